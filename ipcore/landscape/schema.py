"""The analytic tables every landscape metric reads — one logical schema on every backend.

A dataset (a frozen search) or a whole corpus is handed to the metrics as six tables of
plain facts, the same columns whether they live in the live database (SQLite or PostgreSQL),
in a Parquet snapshot read by DuckDB, or in Spark. Facts that need domain rules — legal status
and expiry under CN law, WIPO technology fields, strategic emerging industries and key
fields, the province of an address — are computed by
``ipcore`` when the facts are written, so every backend sees the same values and the metrics
are plain relational expressions.

One row per patent in ``patents``; the other tables hold zero or more rows per patent, joined
on ``patent_id``. Empty strings never stand for "unknown": a missing value is null.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Final

import ibis
import ibis.expr.datatypes as dt
from ibis.expr.schema import Schema

PATENTS: Final = ibis.schema(
    {
        "patent_id": dt.int64,
        "office": dt.string,  # CN, US, EP, WO … (the publishing office)
        "type": dt.string,  # invention, utility, design, plant, reissue, other (DocumentType)
        "kind": dt.string,  # publication kind code (A, B, U, B2 …), null where unknown
        "application_date": dt.date,
        "publication_date": dt.date,
        "grant_date": dt.date,  # null while not granted
        "priority_date": dt.date,  # earliest priority, else the application date
        "family_id": dt.string,
        "family_size": dt.int32,  # members of the family in the corpus (1 for a singleton)
        "family_offices": dt.int32,  # distinct offices of those members (family reach)
        "claims": dt.int32,
        "legal_status": dt.string,  # ipcore.legal_status.Status value as of `as_of`; null: unknown
        "expiry_date": dt.date,  # end of term where the rules give one
        "title": dt.string,
        "citations": dt.int32,  # backward citations listed by the patent; null: source lacks them
        "cited_by": dt.int32,  # forward citations from patents in the corpus; null: unknown
    }
)

# Applicants / owners in the order the patent lists them. `entity_id` is the resolved
# organisation (null where resolution has not run); `name` is that organisation's display
# name, else the name as printed. `province` is a GB/T 2260 province code ("310000") for
# Chinese parties where the address gives one.
OWNERS: Final = ibis.schema(
    {
        "patent_id": dt.int64,
        "position": dt.int16,  # 1 = first applicant
        "entity_id": dt.int64,
        "name": dt.string,
        "country": dt.string,
        "province": dt.string,
    }
)

INVENTORS: Final = ibis.schema(
    {
        "patent_id": dt.int64,
        "position": dt.int16,
        "name": dt.string,
        "country": dt.string,
    }
)

# One row per classification code. Levels are precomputed: `section` "H", `class_code`
# "H01", `subclass` "H01M", `main_group` "H01M 4/00" (null where the code stops at the
# subclass). `scheme` is "ipc" or "cpc".
CLASSES: Final = ibis.schema(
    {
        "patent_id": dt.int64,
        "scheme": dt.string,
        "code": dt.string,
        "section": dt.string,
        "class_code": dt.string,
        "subclass": dt.string,
        "main_group": dt.string,
        "is_main": dt.boolean,
    }
)

# WIPO technology fields (1 to 35, ipcore.technology) a patent's IPC (else CPC) codes fall in.
FIELDS: Final = ibis.schema({"patent_id": dt.int64, "field": dt.int16})

# Industries and key fields a patent belongs to (ipcore.industries), one row per (scheme, code):
# `scheme` is "sei_industry" (CNIPA's 2021 concordance, level 1: "1" … "9"), "sei_category"
# (its sub-categories: "1.1" …) or "key_field" (the plan's key fields as defined the day the
# facts were written: "ai" …). The names are written with the row, so a frozen dataset keeps
# the names its definitions had.
INDUSTRIES: Final = ibis.schema(
    {
        "patent_id": dt.int64,
        "scheme": dt.string,
        "code": dt.string,
        "name_zh": dt.string,
        "name_en": dt.string,
    }
)

SCHEMAS: Final[dict[str, Schema]] = {
    "patents": PATENTS,
    "owners": OWNERS,
    "inventors": INVENTORS,
    "classes": CLASSES,
    "fields": FIELDS,
    "industries": INDUSTRIES,
}


def _same(sql: str) -> str | None:
    return sql


@dataclass(frozen=True)
class Reuse:
    """How the SQL compiled for a metric over one binding of the tables serves another.

    Bindings with equal ``key`` compile every metric to the same SQL up to what ``general``
    takes out and ``specific`` puts back (a dataset's id in the live database): ``general``
    turns this binding's SQL into that shared form (None where it cannot), ``specific`` the
    shared form into this binding's SQL. ``key`` names everything else the SQL depends on:
    the engine and its dialect, the tables' names, how they are limited.
    """

    key: Hashable
    general: Callable[[str], str | None] = _same
    specific: Callable[[str], str] = str


@dataclass(frozen=True)
class Tables:
    """The six analytic tables of one dataset, as Ibis table expressions on one backend;
    ``reuse`` where a metric's SQL, compiled once, may serve later reports
    (``ipcore.landscape.metrics`` keeps it); ``prepared``: tables the metrics derive from
    these, stored beside them by the same code when they were written
    (``ipcore.landscape.metrics.PREPARED``), by name."""

    patents: ibis.Table
    owners: ibis.Table
    inventors: ibis.Table
    classes: ibis.Table
    fields: ibis.Table
    industries: ibis.Table
    reuse: Reuse | None = None
    prepared: Mapping[str, ibis.Table] = field(default_factory=dict, hash=False)

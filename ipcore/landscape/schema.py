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

import duckdb
import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import sqlglot as sg
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
# name, else the name as printed; `key` who the owner is (owner_key: the entity, else the
# name). `province` is a GB/T 2260 province code ("310000") for Chinese parties where the
# address gives one.
OWNERS: Final = ibis.schema(
    {
        "patent_id": dt.int64,
        "position": dt.int16,  # 1 = first applicant
        "entity_id": dt.int64,
        "name": dt.string,
        "country": dt.string,
        "province": dt.string,
        "key": dt.string,
    }
)


def owner_key(entity_id: int | None, name: str | None) -> str | None:
    """申请人标识 — who an owner row stands for: its resolved entity (``"e:42"``) where it has
    one, else its name as printed (``"n:华为技术有限公司"``: the same name unresolved on two
    patents is one owner); None where it has neither.

    Written with the facts rather than derived by every metric: building the text from the
    id or the name cost each owner metric a pass over the rows (on 1.43M patents, grouping
    by the key built as text took 0.26 s, by the stored key 0.16 s with a snapshot's ENUM).
    """
    if entity_id is not None:
        return f"e:{entity_id}"
    return None if name is None else f"n:{name}"

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


def typed(value: ibis.Value, kind: dt.DataType) -> ibis.Value:
    """``value`` cast to ``kind`` only where the engine's own type differs (NOT NULL is no
    difference): a needless CAST on ``patent_id`` kept SQLite from using its index, and one
    report query took 73.6 s instead of 0.15 s."""
    same = value.type().copy(nullable=True) == kind.copy(nullable=True)
    return value if same else value.cast(kind)


def bind(backend: ibis.BaseBackend, name: str, schema: Schema) -> ibis.Table:
    """The stored table ``name`` of ``backend`` as Ibis sees it, with the schema it is known
    to have (one of :data:`SCHEMAS`, or the schema of the expression that wrote it), without
    asking the engine.

    Asking is what ``backend.table(name)`` does, and Ibis parses each column's type from the
    engine's spelling of it: a snapshot's text columns stored as ENUMs are spelled with every
    value (173,207 inventor names), which took Ibis 17 s to parse on 1.43M patents, where the
    schema is known already. The stored types must be what ``schema`` says (an ENUM counts as
    text), or the engine's answers will not be either.
    """
    return ops.DatabaseTable(
        name, schema=schema, source=backend, namespace=ops.Namespace()
    ).to_expr()


def create_temporary(backend: ibis.BaseBackend, name: str, table: ibis.Table) -> ibis.Table:
    """``table`` written into a new temporary table ``name`` of its backend (DuckDB or
    SQLite), bound with the expression's schema (see :func:`bind`: Ibis's own
    ``create_table`` asks the engine for the schema of what it wrote)."""
    target = sg.to_identifier(name, quoted=True).sql(backend.dialect)
    statement = f"CREATE TEMPORARY TABLE {target} AS {backend.compile(table)}"
    with backend._safe_raw_sql(statement):  # SQLite's cursor closed at the end
        pass
    return bind(backend, name, table.schema())


ENCODED: Final[dict[str, tuple[str, ...]]] = {
    "patents": ("office", "type", "legal_status"),
    "owners": ("country", "province", "key"),
    "inventors": ("name", "country"),
    "classes": ("scheme", "section", "class_code", "subclass", "main_group"),
    "industries": ("scheme", "code", "name_zh", "name_en"),
}
"""The text columns the metrics group, pair or match on, by table: a snapshot's DuckDB
database stores them as ENUMs (:func:`encode`). An ENUM's values are read with the database's
catalogue each time it is opened (the 173,207 inventor names of 143,310 patents: about 0.1
s), so columns that are only shown (an owner's name, a full classification code) stay text."""


def encode(database: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    """Store the text column ``table.column`` of a DuckDB database as an ENUM of its distinct
    values, listed in code-point order.

    DuckDB hashes and compares an ENUM as the small integer standing for its value, where
    text is hashed byte by byte: grouping, pairing and matching parties is what a report over
    a large corpus spends its time on (co-inventors on 1.43M patents: 0.36 s as text, 0.13 s
    as an ENUM; the full set 2.4 s → 1.9 s). DuckDB lists the values in its order of text,
    code points, so the ENUM compares, sorts and takes its minimum as the text did (ties
    broken by label stay the same), Ibis reads it as a string, and each value reaches Python
    as the text it was. Bind such tables with :func:`bind`: Ibis's own introspection would
    parse the ENUM's spelling, every value of it.
    """
    kind = sg.to_identifier(f"{table}_{column}", quoted=True).sql("duckdb")
    name = sg.to_identifier(column, quoted=True).sql("duckdb")
    where = sg.to_identifier(table, quoted=True).sql("duckdb")
    # Identifiers quoted by sqlglot; the tables and columns are the schema's own.
    database.execute(
        f"CREATE TYPE {kind} AS ENUM (SELECT DISTINCT {name} FROM {where} "  # noqa: S608
        f"WHERE {name} IS NOT NULL ORDER BY {name})"
    )
    database.execute(f"ALTER TABLE {where} ALTER COLUMN {name} TYPE {kind}")

"""Analytic facts of patents: the rows of ``ipcore.landscape.schema``'s six tables.

Landscape datasets store these facts in the database and ``ipops snapshot`` writes them to
Parquet, so every analytics backend reads the same values. Everything that needs a rule is
decided here, once, in Python: legal status and expiry under CN law as of a day, WIPO
technology fields, strategic emerging industries and key fields (``fields.py``: the key
fields as the bureau defines them that day), the province of a Chinese party, family size and
reach in the corpus. A batch of thousands of patents costs about ten set-based queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min

from ipcore.classification import classification_levels
from ipcore.industries import sei_concordance
from ipcore.landscape.schema import owner_key
from ipcore.legal_status import LegalStatusError, expiry_date, status_on
from ipcore.technology import technology_fields
from ipops.corpus.fields import current_key_fields, patent_texts
from ipops.corpus.lives import LifeFacts, cn_lives
from ipops.corpus.models import (
    Citation,
    Classification,
    Entity,
    Party,
    Patent,
    Priority,
    Publication,
)

Row = dict[str, Any]

_PATENT_VALUES = (
    "id",
    "office",
    "document_type",
    "publication_kind",
    "application_date",
    "publication_date",
    "grant_date",
    "family_id",
    "stated_family_size",
    "claims_count",
    "title",
)


@dataclass
class FactBatch:
    """Rows for each analytic table, keyed by the table names of ``schema.SCHEMAS``."""

    patents: list[Row] = field(default_factory=list)
    owners: list[Row] = field(default_factory=list)
    inventors: list[Row] = field(default_factory=list)
    classes: list[Row] = field(default_factory=list)
    fields: list[Row] = field(default_factory=list)
    industries: list[Row] = field(default_factory=list)

    def tables(self) -> dict[str, list[Row]]:
        return {
            "patents": self.patents,
            "owners": self.owners,
            "inventors": self.inventors,
            "classes": self.classes,
            "fields": self.fields,
            "industries": self.industries,
        }


def patent_facts(ids: Sequence[int], *, on: dt.date) -> FactBatch:
    """The facts of the patents with these ids that exist, legal status as of ``on``."""
    rows = {row["id"]: row for row in Patent.objects.filter(pk__in=ids).values(*_PATENT_VALUES)}
    batch = FactBatch()
    if not rows:
        return batch
    wanted = sorted(rows)
    families = _families({row["family_id"] for row in rows.values() if row["family_id"]})
    priorities = _earliest_priorities(wanted)
    citations, cited_by = _citation_counts(wanted)
    lives = cn_lives(_life_facts(rows.values()))
    codes = _classes(wanted, batch)
    for pk in wanted:
        row = rows[pk]
        family = families.get(row["family_id"]) if row["family_id"] else None
        life = lives.get(pk)
        batch.patents.append(
            {
                "patent_id": pk,
                "office": row["office"],
                "type": row["document_type"],
                "kind": row["publication_kind"] or None,
                "application_date": row["application_date"],
                "publication_date": row["publication_date"],
                "grant_date": row["grant_date"],
                "priority_date": priorities.get(pk) or row["application_date"],
                "family_id": row["family_id"] or None,
                # members in the corpus; else the size the source states (Lens); else alone
                "family_size": family[0] if family else (row["stated_family_size"] or 1),
                "family_offices": family[1] if family else 1,
                "claims": row["claims_count"],
                "legal_status": _status(life, on),
                "expiry_date": expiry_date(life) if life else None,
                "title": row["title"] or None,
                "citations": citations.get(pk),
                "cited_by": cited_by.get(pk) if cited_by is not None else None,
            }
        )
        batch.fields.extend(
            {"patent_id": pk, "field": technology.number}
            for technology in technology_fields(codes.get(pk, ()))
        )
    _industries(wanted, codes, batch)
    _parties(wanted, batch)
    return batch


def _industries(ids: list[int], codes: dict[int, list[str]], batch: FactBatch) -> None:
    """The strategic emerging industries (both levels) and key fields of each patent, from
    the codes its WIPO fields are read from; titles and abstracts are read only for the
    patents whose codes meet a keyword-qualified rule."""
    sei = sei_concordance()
    keys = current_key_fields()
    texts = patent_texts([pk for pk in ids if keys.wants_text(codes.get(pk, ()))])
    names = {d.code: (d.name_zh, d.name_en) for d in keys.definitions}
    for pk in ids:
        own, text = codes.get(pk, ()), texts.get(pk)
        if not own:
            continue
        categories = sei.categories_of(own, text=text)
        found = [
            *(("sei_industry", c) for c in sorted(sei.industries_for(categories))),
            *(("sei_category", c) for c in sorted(categories)),
        ]
        for scheme, code in found:
            category = sei.category(code)
            batch.industries.append(_industry(pk, scheme, code, category.name_zh, category.name_en))
        for code in sorted(keys.fields_of(own, text=text)):
            batch.industries.append(_industry(pk, "key_field", code, *names[code]))


def _industry(pk: int, scheme: str, code: str, name_zh: str, name_en: str) -> Row:
    return {
        "patent_id": pk,
        "scheme": scheme,
        "code": code,
        "name_zh": name_zh,
        "name_en": name_en or None,
    }


def _life_facts(rows: Iterable[Row]) -> Iterable[LifeFacts]:
    for row in rows:
        yield LifeFacts(
            row["id"],
            row["office"],
            row["document_type"],
            row["application_date"],
            row["grant_date"],
            row["publication_date"],
        )


def _status(life: Any, on: dt.date) -> str | None:
    if life is None:
        return None
    try:
        return str(status_on(life, on).value)
    except LegalStatusError:
        return None


def _families(family_ids: set[str]) -> dict[str, tuple[int, int]]:
    """Members and distinct offices of each family, counted over the whole corpus."""
    if not family_ids:
        return {}
    rows = (
        Patent.objects.filter(family_id__in=family_ids)
        .values("family_id")
        .annotate(members=Count("id"), offices=Count("office", distinct=True))
    )
    return {row["family_id"]: (row["members"], row["offices"]) for row in rows}


def _earliest_priorities(ids: list[int]) -> dict[int, dt.date]:
    rows = (
        Priority.objects.filter(patent_id__in=ids, date__isnull=False)
        .values("patent_id")
        .annotate(first=Min("date"))
    )
    return {row["patent_id"]: row["first"] for row in rows}


def _citation_counts(ids: list[int]) -> tuple[dict[int, int], dict[int, int] | None]:
    """Backward citations each patent lists, and forward citations from the corpus — the
    latter None (unknown) when no citation in the corpus names a publication number."""
    listed = dict(
        Citation.objects.filter(patent_id__in=ids)
        .values("patent_id")
        .annotate(n=Count("id"))
        .values_list("patent_id", "n")
    )
    if not Citation.objects.exclude(cited_number="").exists():
        return listed, None
    numbers: dict[str, int] = dict(
        Publication.objects.filter(patent_id__in=ids).values_list("number", "patent_id")
    )
    cited_by: dict[int, int] = dict.fromkeys(ids, 0)
    for number, count in (
        Citation.objects.filter(cited_number__in=list(numbers))
        .values("cited_number")
        .annotate(n=Count("id"))
        .values_list("cited_number", "n")
    ):
        cited_by[numbers[number]] += count
    return listed, cited_by


def _classes(ids: list[int], batch: FactBatch) -> dict[int, list[str]]:
    """Classification rows into the batch; returns the codes each patent's technology fields
    are read from: its IPC codes, else its CPC codes."""
    ipc: dict[int, list[str]] = defaultdict(list)
    cpc: dict[int, list[str]] = defaultdict(list)
    rows = (
        Classification.objects.filter(patent_id__in=ids)
        .order_by("patent_id", "scheme", "sequence")
        .values_list("patent_id", "scheme", "code", "is_main")
    )
    for pk, scheme, code, is_main in rows:
        levels = classification_levels(code)
        if not levels:
            continue
        batch.classes.append(
            {
                "patent_id": pk,
                "scheme": scheme,
                "code": code,
                "section": levels[0],
                "class_code": levels[1],
                "subclass": levels[2],
                "main_group": levels[3] if len(levels) > 3 else None,
                "is_main": bool(is_main),
            }
        )
        (ipc if scheme == "ipc" else cpc)[pk].append(code)
    return {pk: ipc.get(pk) or cpc[pk] for pk in {*ipc, *cpc}}


def _parties(ids: list[int], batch: FactBatch) -> None:
    """Owners (the current owners where the source names them, else the applicants) and
    inventors, in the order the patent lists them."""
    rows = list(
        Party.objects.filter(patent_id__in=ids)
        .order_by("patent_id", "role", "sequence")
        .values_list(
            "patent_id", "role", "sequence", "name", "country", "division_code", "entity_id"
        )
    )
    names = dict(
        Entity.objects.filter(pk__in={row[6] for row in rows if row[6]}).values_list("id", "name")
    )
    with_owner = {row[0] for row in rows if row[1] == "owner"}
    for pk, role, sequence, name, country, division, entity in rows:
        if role == "inventor":
            batch.inventors.append(
                {"patent_id": pk, "position": sequence, "name": name, "country": country or None}
            )
        elif role == "owner" or pk not in with_owner:
            province = division[:2] + "0000" if division else None
            shown = names.get(entity, name) if entity else name
            batch.owners.append(
                {
                    "patent_id": pk,
                    "position": sequence,
                    "entity_id": entity,
                    "name": shown,
                    "country": country or ("CN" if division else None),
                    "province": province,
                    "key": owner_key(entity, shown),
                }
            )

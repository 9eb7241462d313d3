"""What the search index needs to know of each patent, read in a few set-based queries.

The search app builds its index from these plain values, never from corpus model instances:
the corpus owns its tables, and a batch of thousands of patents must cost a handful of
queries, not thousands. Legal status is computed here, under CN rules, as of the day given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Max

from ipcore.legal_status import LegalStatusError, status_on
from ipops.corpus.lives import LifeFacts, cn_lives
from ipops.corpus.models import (
    Classification,
    Party,
    Patent,
    PatentText,
    Publication,
    SearchOutbox,
)

PATENT_VALUES = (
    "id",
    "key",
    "office",
    "document_type",
    "application_number",
    "application_date",
    "publication_number",
    "publication_kind",
    "publication_date",
    "grant_date",
    "claims_count",
    "created_at",
)


@dataclass
class IndexablePatent:
    """One patent's searchable facts (filled in by :func:`indexable_patents`)."""

    id: int
    key: str
    office: str
    document_type: str
    application_number: str
    application_date: dt.date | None
    publication_number: str
    publication_kind: str
    publication_date: dt.date | None
    grant_date: dt.date | None
    claims_count: int | None
    created_at: dt.datetime
    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (field, language, text)
    publications: list[tuple[str, str]] = field(default_factory=list)  # (number, kind)
    owners: list[str] = field(default_factory=list)
    owner_entities: list[int] = field(default_factory=list)
    inventors: list[str] = field(default_factory=list)
    ipc: list[str] = field(default_factory=list)
    cpc: list[str] = field(default_factory=list)
    legal_status: str = ""  # ipcore.legal_status.Status value; "" where not computed

    def text(self, name: str) -> list[str]:
        return [text for field_name, _language, text in self.texts if field_name == name]


def indexable_patents(ids: Sequence[int], *, on: dt.date) -> list[IndexablePatent]:
    """The patents with these ids that still exist, each with its parts (7 queries)."""
    patents = {
        row["id"]: IndexablePatent(**row)
        for row in Patent.objects.filter(pk__in=ids).values(*PATENT_VALUES)
    }
    if not patents:
        return []
    wanted = list(patents)
    for pk, name, language, text in PatentText.objects.filter(patent_id__in=wanted).values_list(
        "patent_id", "field", "language", "text"
    ):
        patents[pk].texts.append((name, language, text))
    for pk, number, kind in Publication.objects.filter(patent_id__in=wanted).values_list(
        "patent_id", "number", "kind"
    ):
        patents[pk].publications.append((number, kind))
    _add_parties(patents)
    _add_classifications(patents)
    _add_status(patents, on)
    return list(patents.values())


def _add_parties(patents: dict[int, IndexablePatent]) -> None:
    rows = (
        Party.objects.filter(patent_id__in=list(patents))
        .order_by("patent_id", "role", "sequence")
        .values_list("patent_id", "role", "name", "entity_id")
    )
    for pk, role, name, entity in rows:
        patent = patents[pk]
        if role == "inventor":
            patent.inventors.append(name)
            continue
        patent.owners.append(name)
        if entity is not None and entity not in patent.owner_entities:
            patent.owner_entities.append(entity)


def _add_classifications(patents: dict[int, IndexablePatent]) -> None:
    rows = (
        Classification.objects.filter(patent_id__in=list(patents))
        .order_by("patent_id", "scheme", "sequence")
        .values_list("patent_id", "scheme", "code")
    )
    for pk, scheme, code in rows:
        (patents[pk].ipc if scheme == "ipc" else patents[pk].cpc).append(code)


def _add_status(patents: dict[int, IndexablePatent], on: dt.date) -> None:
    """Status under CN rules for CN patents with a filing date; others stay uncomputed."""
    facts = (
        LifeFacts(
            p.id, p.office, p.document_type, p.application_date, p.grant_date, p.publication_date
        )
        for p in patents.values()
    )
    for pk, life in cn_lives(facts).items():
        try:
            patents[pk].legal_status = status_on(life, on).value
        except LegalStatusError:
            patents[pk].legal_status = ""


def all_patent_ids(chunk: int = 5000) -> Iterator[list[int]]:
    """Every patent id in ascending chunks (keyset paging: constant cost per chunk)."""
    last = 0
    while True:
        ids = list(
            Patent.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


@dataclass(frozen=True)
class OutboxBatch:
    """Outbox rows claimed for one indexing pass: their ids and the patents they name."""

    row_ids: list[int]
    patent_ids: list[int]


def pending_changes(limit: int) -> OutboxBatch:
    rows = list(SearchOutbox.objects.order_by("id").values_list("id", "patent_id")[:limit])
    return OutboxBatch([row for row, _ in rows], sorted({patent for _, patent in rows}))


def outbox_size() -> int:
    return SearchOutbox.objects.count()


def outbox_high_water() -> int:
    return SearchOutbox.objects.aggregate(top=Max("id"))["top"] or 0

"""Writes batches of `PatentRecord`s into the corpus tables (the engine of `ingest_file`).

One call, one batch, inside the caller's transaction. The rules:

* a record's natural key finds its patent; failing that, any of its publication numbers does
  (a CN title list row and a later CNIPA XML of the same publication become one patent);
* a record whose content hash equals the stored one is *unchanged* and writes nothing;
* a changed record replaces the patent's parts (texts, publications, parties, …) wholesale:
  a source is the truth for what it says, and partial merges would leave stale parts behind;
* a second, different record for a patent already written by the same run is a *conflict*:
  it is rejected (the first one stays), because one file saying two things is a data error;
  an identical second record is a *duplicate* and writes nothing;
* a record that lands on a patent another source wrote, or that only its publication number
  found, is counted as *merged* (a duplicate across sources, folded into one patent);
* every inserted or updated patent gets a search-outbox row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField, JSONField, Model
from django.utils import timezone

from ipcore.divisions import division_of_address
from ipcore.names import normalise_name
from ipcore.patents.record import PartyRole, PatentRecord, RecordError, Scheme, TextField
from ipops.corpus import models as m

RESOLVED_ROLES = frozenset({PartyRole.APPLICANT, PartyRole.OWNER})
# Title shown in lists: Chinese first (Chinese users), then English, then whatever there is.
TITLE_LANGUAGES = ("zh", "en")


@dataclass
class BatchResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # repeated within this import, dropped
    merged: int = 0  # folded into a patent from another source (counted in updated/unchanged too)
    rejected: list[RecordError] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)


def content_hash(record: PatentRecord) -> str:
    """A fingerprint of what the record says (not where it was read from)."""
    canonical = repr(replace(record, location=None))
    return hashlib.sha256(canonical.encode()).hexdigest()


def write_batch(
    records: Sequence[PatentRecord], *, source: m.Source, run: m.IngestRun
) -> BatchResult:
    result = BatchResult()
    records = _first_of_each_key(records, result)
    existing = _existing_patents(records)
    new: list[tuple[PatentRecord, str]] = []
    changed: list[tuple[PatentRecord, str, m.Patent]] = []
    for record in records:
        digest = content_hash(record)
        patent = existing.get(record.key)
        if patent is None:
            new.append((record, digest))
            continue
        if patent.source_id != source.pk or patent.key != record.key:
            result.merged += 1
        if patent.content_hash == digest:
            result.unchanged += 1
        elif patent.ingest_run_id == run.pk:
            result.rejected.append(_conflict(record))
        else:
            changed.append((record, digest, patent))
    new = _without_publication_clashes(new, result)
    inserted = _insert(new, source, run)
    updated = _update(changed, source, run)
    _write_parts([*inserted, *updated])
    result.inserted, result.updated = len(inserted), len(updated)
    result.changed_ids = [pk for _record, pk in (*inserted, *updated)]
    now = timezone.now()
    _insert_rows(
        m.SearchOutbox, ("patent_id", "created_at"), [(pk, now) for pk in result.changed_ids]
    )
    return result


def _first_of_each_key(records: Sequence[PatentRecord], result: BatchResult) -> list[PatentRecord]:
    """Two records with one key in one batch: an identical twin is dropped, a different one
    is a conflict."""
    kept: dict[str, PatentRecord] = {}
    for record in records:
        first = kept.get(record.key)
        if first is None:
            kept[record.key] = record
        elif content_hash(first) == content_hash(record):
            result.duplicates += 1
        else:
            result.rejected.append(_conflict(record))
    return list(kept.values())


def _conflict(record: PatentRecord) -> RecordError:
    return RecordError(
        "key",
        f"duplicate of {record.key} with different content in the same import; first kept",
        location=record.location,
    )


def _existing_patents(records: Sequence[PatentRecord]) -> dict[str, m.Patent]:
    """Stored patents by record key, matched by key or, failing that, by publication number
    — but only where one side lacks an application number: two different application
    numbers are two patents, and a shared publication between them is a data error."""
    columns = ("id", "key", "content_hash", "ingest_run_id", "source_id")
    keys = [r.key for r in records]
    found = {p.key: p for p in m.Patent.objects.filter(key__in=keys).only(*columns)}
    unmatched = {pub.number: r for r in records if r.key not in found for pub in r.publications}
    if unmatched:
        by_number = m.Publication.objects.filter(number__in=list(unmatched)).select_related(
            "patent"
        )
        for publication in by_number.only("number", *(f"patent__{c}" for c in columns)):
            record = unmatched[publication.number]
            if record.application_number is None or ":pub:" in publication.patent.key:
                found.setdefault(record.key, publication.patent)
    return found


def _without_publication_clashes(
    new: list[tuple[PatentRecord, str]], result: BatchResult
) -> list[tuple[PatentRecord, str]]:
    """A new record may not claim a publication another stored patent already has (the
    key lookup would have found it if it were the same patent)."""
    labels = {(p.number, p.kind or "") for record, _ in new for p in record.publications}
    if not labels:
        return new
    numbers = {number for number, _kind in labels}
    taken = (
        set(m.Publication.objects.filter(number__in=numbers).values_list("number", "kind")) & labels
    )
    kept = []
    for record, digest in new:
        clash = [
            f"{p.number}{p.kind or ''}"
            for p in record.publications
            if (p.number, p.kind or "") in taken
        ]
        if clash:
            result.rejected.append(
                RecordError(
                    "publications",
                    f"{', '.join(clash)} already belongs to another patent",
                    location=record.location,
                )
            )
        else:
            kept.append((record, digest))
    return kept


def _patent_fields(record: PatentRecord, digest: str) -> dict[str, Any]:
    latest = max(record.publications, key=lambda p: (p.date is not None, p.date), default=None)
    ipc = [c for c in record.classifications if c.scheme is Scheme.IPC]
    cpc = [c for c in record.classifications if c.scheme is Scheme.CPC]
    owners = record.parties_in(PartyRole.APPLICANT) or record.parties_in(PartyRole.OWNER)
    title, language = _display_title(record)
    return {
        "key": record.key,
        "office": record.office,
        "document_type": record.document_type.value,
        "application_number": record.application_number or "",
        "application_date": record.application_date,
        "publication_number": latest.number if latest else "",
        "publication_kind": (latest.kind or "") if latest else "",
        "publication_date": latest.date if latest else None,
        "grant_date": record.grant_date,
        "title": title,
        "title_language": language,
        "claims_count": record.claims_count,
        "main_ipc": _main_code(ipc),
        "main_cpc": _main_code(cpc),
        "family_id": record.family_id or "",
        "stated_family_size": record.family_size,
        "first_owner": owners[0].name[:300] if owners else "",
        "warnings": list(record.warnings),
        "content_hash": digest,
    }


def _display_title(record: PatentRecord) -> tuple[str, str]:
    titles = [t for t in record.texts if t.field is TextField.TITLE]
    for language in TITLE_LANGUAGES:
        for title in titles:
            if title.language == language:
                return title.text, language
    return (titles[0].text, titles[0].language) if titles else ("", "")


def _main_code(codes: Sequence[Any]) -> str:
    main = next((c for c in codes if c.is_main), codes[0] if codes else None)
    return main.code if main else ""


# The patent columns a record decides (see _patent_fields); rows add their bookkeeping.
RECORD_FIELDS = (
    "key", "office", "document_type", "application_number", "application_date",
    "publication_number", "publication_kind", "publication_date", "grant_date", "title",
    "title_language", "claims_count", "main_ipc", "main_cpc", "family_id",
    "stated_family_size", "first_owner", "warnings", "content_hash",
)  # fmt: skip
PATENT_COLUMNS = (*RECORD_FIELDS, "source_id", "ingest_run_id", "created_at", "updated_at")
UPDATABLE = [*RECORD_FIELDS, "source", "ingest_run", "updated_at"]


def _insert(
    new: list[tuple[PatentRecord, str]], source: m.Source, run: m.IngestRun
) -> list[tuple[PatentRecord, int]]:
    """Insert new patents and learn their ids (by key: one query, any database)."""
    if not new:
        return []
    now = timezone.now()
    rows = []
    for record, digest in new:
        values = _patent_fields(record, digest)
        rows.append((*(values[name] for name in RECORD_FIELDS), source.pk, run.pk, now, now))
    _insert_rows(m.Patent, PATENT_COLUMNS, rows)
    keys = [record.key for record, _digest in new]
    ids = dict(m.Patent.objects.filter(key__in=keys).values_list("key", "id"))
    return [(record, ids[record.key]) for record, _digest in new]


def _update(
    changed: list[tuple[PatentRecord, str, m.Patent]], source: m.Source, run: m.IngestRun
) -> list[tuple[PatentRecord, int]]:
    if not changed:
        return []
    patents = []
    now = timezone.now()  # set by hand: bulk_update does not apply auto_now
    for record, digest, patent in changed:
        for name, value in _patent_fields(record, digest).items():
            setattr(patent, name, value)
        patent.source, patent.ingest_run, patent.updated_at = source, run, now
        patents.append(patent)
    m.Patent.objects.bulk_update(patents, UPDATABLE)
    ids = [p.pk for p in patents]
    for part in PART_MODELS:
        part._default_manager.filter(patent_id__in=ids).delete()
    return [(record, patent.pk) for (record, _d, _p), patent in zip(changed, patents, strict=True)]


# Parts are written with plain parameterised executemany: at corpus scale (millions of part
# rows) building a model instance per row costs more than the database does.
PART_COLUMNS: dict[type[Model], tuple[str, ...]] = {
    m.PatentText: ("patent_id", "field", "language", "text"),
    m.Publication: ("patent_id", "number", "kind", "date"),
    m.Party: (
        "patent_id",
        "role",
        "sequence",
        "name",
        "name_key",
        "country",
        "city",
        "state",
        "address",
        "division_code",
        "entity_id",
    ),
    m.Classification: ("patent_id", "scheme", "code", "subclass", "sequence", "is_main"),
    m.Priority: ("patent_id", "office", "number", "date"),
    m.Citation: (
        "patent_id",
        "sequence",
        "cited_number",
        "cited_kind",
        "text",
        "category",
        "cited_by",
    ),
    m.LegalEvent: ("patent_id", "code", "date", "effective_date", "description"),
}


def _write_parts(written: Iterable[tuple[PatentRecord, int]]) -> None:
    written = list(written)
    if not written:
        return
    entities = _entities_for([record for record, _pk in written])
    rows: dict[type[Model], list[tuple[Any, ...]]] = {model: [] for model in PART_COLUMNS}
    for record, pk in written:
        _collect_parts(record, pk, entities, rows)
    for model, values in rows.items():
        _insert_rows(model, PART_COLUMNS[model], values)


def _collect_parts(
    record: PatentRecord, pk: int, entities: dict[str, int], rows: dict[type[Model], list[Any]]
) -> None:
    rows[m.PatentText] += [
        (pk, t.field.value, t.language, t.text)
        for t in _unique(record.texts, lambda t: (t.field, t.language))
    ]
    rows[m.Publication] += [
        (pk, p.number, p.kind or "", p.date)
        for p in _unique(record.publications, lambda p: (p.number, p.kind or ""))
    ]
    for p in _unique(record.parties, lambda p: (p.role, p.sequence)):
        key = entity_key(p.name) if p.role in RESOLVED_ROLES else ""
        rows[m.Party].append(
            (
                pk,
                p.role.value,
                p.sequence,
                p.name[:300],
                key,
                (p.country or "")[:2],
                (p.city or "")[:100],
                (p.state or "")[:100],
                (p.address or "")[:500],
                _district(p.address) if record.office == "CN" else "",
                entities.get(key) if key else None,
            )
        )
    rows[m.Classification] += [
        (pk, c.scheme.value, c.code, c.code[:4], c.sequence, c.is_main)
        for c in _unique(record.classifications, lambda c: (c.scheme, c.code))
    ]
    rows[m.Priority] += [
        (pk, p.office, p.number, p.date)
        for p in _unique(record.priorities, lambda p: (p.office, p.number))
    ]
    rows[m.Citation] += [
        (
            pk,
            c.sequence,
            c.number or "",
            c.kind or "",
            c.text or "",
            c.category or "",
            c.cited_by or "",
        )
        for c in _unique(record.citations, lambda c: c.sequence)
    ]
    rows[m.LegalEvent] += [
        (pk, e.code, e.date, e.effective_date, e.description)
        for e in _unique(record.legal_events, lambda e: (e.code, e.date))
    ]


def _insert_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    adapters = _adapters(model, columns, connection.vendor)
    prepared = [_adapted(row, adapters) for row in rows] if adapters else rows
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams rows in one round trip: several times faster than INSERTs.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)  # noqa: S608


Adapter = Callable[[Any], Any]


@lru_cache(maxsize=64)
def _adapters(
    model: type[Model], columns: tuple[str, ...], vendor: str
) -> tuple[tuple[int, Adapter], ...]:
    """The columns whose Python value needs converting for the driver, with the converter:
    dates and datetimes the way Django's backend writes them, JSON as text."""
    by_column = {f.column: f for f in model._meta.concrete_fields}
    found = ((index, _adapter(by_column[column])) for index, column in enumerate(columns))
    return tuple((index, adapter) for index, adapter in found if adapter is not None)


def _adapted(row: tuple[Any, ...], adapters: tuple[tuple[int, Adapter], ...]) -> tuple[Any, ...]:
    values = list(row)
    for index, adapt in adapters:
        if values[index] is not None:
            values[index] = adapt(values[index])
    return tuple(values)


def _adapter(field_: Any) -> Adapter | None:
    if isinstance(field_, DateTimeField):
        # A batch stamps every row with the same instant: convert it once, not per row.
        return lru_cache(maxsize=4)(connection.ops.adapt_datetimefield_value)
    if isinstance(field_, DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field_, JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    return None


PART_MODELS: tuple[type[Model], ...] = tuple(PART_COLUMNS)


def _unique(items: Iterable[Any], key: Any) -> list[Any]:
    """Sources repeat a part now and then (the same IPC twice); the first one counts."""
    seen: set[Any] = set()
    kept = []
    for item in items:
        marker = key(item)
        if marker not in seen:
            seen.add(marker)
            kept.append(item)
    return kept


@lru_cache(maxsize=50_000)
def _district(address: str | None) -> str:
    """GB/T 2260 code of a Chinese address (申请人地址), "" when it names no province."""
    return (division_of_address(address) or "") if address else ""


@lru_cache(maxsize=200_000)
def entity_key(name: str) -> str:
    """The normalised form two spellings of one organisation share (ipcore.names)."""
    return normalise_name(name).key[:300] or name.strip().casefold()[:300]


def _entities_for(records: list[PatentRecord]) -> dict[str, int]:
    """Entity id for each applicant/owner name key, creating an entity for keys seen first."""
    names: dict[str, str] = {}
    for record in records:
        for party in record.parties:
            if party.role in RESOLVED_ROLES:
                names.setdefault(entity_key(party.name), party.name)
    known = dict(m.EntityAlias.objects.filter(key__in=list(names)).values_list("key", "entity_id"))
    missing = [key for key in names if key not in known]
    if missing:
        now = timezone.now()
        _insert_rows(
            m.Entity,
            ("key", "name", "country", "created_at"),
            [(key, names[key][:300], "", now) for key in missing],
        )
        fresh = dict(m.Entity.objects.filter(key__in=missing).values_list("key", "id"))
        _insert_rows(m.EntityAlias, ("key", "entity_id"), list(fresh.items()))
        known.update(fresh)
    return known

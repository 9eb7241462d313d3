"""Every write to the corpus: imports, name-resolution decisions.

`ingest_file` streams a file through its format reader and writes it in batches; each batch
is one transaction holding its patents, their parts, search-outbox rows, the run's counters
and checkpoint, and an audit entry — so a kill loses at most the batch in flight, and the next
run of the same file resumes after the last committed batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.formats.base import FileFormatError, FormatReader, ReadResult
from ipcore.formats.registry import TABLE_FORMAT, guess_format, reader_for
from ipcore.formats.tabular import reader_with_mapping
from ipcore.industries.key_fields import DefinitionError, KeyFieldText, definition_of
from ipcore.names import Link, Overrides, resolve_names
from ipcore.patents.record import PatentRecord, RecordError
from ipops.accounts.models import User
from ipops.accounts.queries import require_capability
from ipops.audit.actions import Action
from ipops.audit.services import TargetRef, changes, record_write
from ipops.corpus.loader import RESOLVED_ROLES, entity_key, write_batch
from ipops.corpus.models import (
    Entity,
    EntityAlias,
    IngestRun,
    KeyField,
    LegalEvent,
    NameDecision,
    NameLink,
    Party,
    Patent,
    SearchOutbox,
    Source,
)
from ipops.corpus.readahead import ReaderFactory, read_maybe_ahead
from ipops.corpus.signals import corpus_changed
from ipops.corpus.sources import source_defaults
from ipops.errors import Conflict, InvalidInput

# Records per transaction. Larger batches mean fewer SQLite WAL checkpoints (measured on
# 59k PatentsView patents: commits took 5.6 s at 1,000 and 2.1 s at 5,000); a kill loses at
# most one batch, and memory holds one batch at a time.
DEFAULT_BATCH_SIZE = 5000
REJECT_COLUMNS = ("file", "record", "field", "reason")
RESOLVED_ROLE_VALUES = [role.value for role in RESOLVED_ROLES]
COUNTERS = ("read", "inserted", "updated", "unchanged", "duplicates", "merged", "rejected")
RESUMABLE = (IngestRun.Status.RUNNING, IngestRun.Status.INTERRUPTED, IngestRun.Status.FAILED)

Progress = Callable[[IngestRun], None]


@dataclass(frozen=True)
class IngestSummary:
    path: str
    format: str
    run_id: int
    resumed_from: int
    read: int
    inserted: int
    updated: int
    unchanged: int
    duplicates: int
    merged: int
    rejected: int
    rejects_path: str
    status: str
    message: str = ""


def ingest_file(
    *,
    actor: User | None,
    path: Path,
    format_name: str | None = None,
    mapping: Path | None = None,
    source_name: str | None = None,
    rejects_dir: Path,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> IngestSummary:
    """Import one file. Idempotent: importing it again changes nothing and says so."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_CORPUS)
    reader = _reader(path, format_name, mapping)
    source = _source(source_name or reader.NAME, reader.NAME)
    run = _start_or_resume(actor, path, reader.NAME, source, rejects_dir)
    resumed_from = run.checkpoint
    try:
        results = read_maybe_ahead(_factory(reader, mapping), path)
        _consume(actor, run, source, results, batch_size, progress)
    except FileFormatError as error:
        _close(actor, run, IngestRun.Status.FAILED, str(error), Action.INGEST_FAILED)
    except BaseException:  # a kill or Ctrl-C: what is committed stays, the run can resume
        _close(actor, run, IngestRun.Status.INTERRUPTED, "interrupted", Action.INGEST_FAILED)
        raise
    else:
        _close(actor, run, IngestRun.Status.FINISHED, "", Action.INGEST_FINISHED)
    return _summary(run, resumed_from)


def _reader(path: Path, format_name: str | None, mapping: Path | None) -> FormatReader:
    """The named format, a table read with the user's own mapping file, or a guess."""
    if mapping is not None:
        if not mapping.is_file():
            raise InvalidInput(details={"mapping": [_("No such mapping file.")]})
        return reader_with_mapping(TABLE_FORMAT, mapping)
    return reader_for(format_name) if format_name else guess_format(path)


def _factory(reader: FormatReader, mapping: Path | None) -> ReaderFactory:
    """How a reader process builds the same reader (readers are modules: not picklable)."""
    if mapping is not None:
        return functools.partial(reader_with_mapping, TABLE_FORMAT, mapping)
    return functools.partial(reader_for, reader.NAME)


def _source(name: str, format_name: str) -> Source:
    defaults = source_defaults(name) | {"format": format_name}
    source, _created = Source.objects.get_or_create(name=name, defaults=defaults)
    return source


def _start_or_resume(
    actor: User | None, path: Path, format_name: str, source: Source, rejects_dir: Path
) -> IngestRun:
    digest = file_sha256(path)
    with transaction.atomic():
        run = (
            IngestRun.objects.select_for_update()
            .filter(file_sha256=digest, format=format_name, status__in=RESUMABLE)
            .order_by("-started_at")
            .first()
        )
        if run is not None:
            run.status = IngestRun.Status.RUNNING
            run.save(update_fields=["status"])
            return run
        run = IngestRun.objects.create(
            source=source,
            path=str(path),
            file_sha256=digest,
            format=format_name,
            started_by=actor,
        )
        run.rejects_path = str(rejects_dir / f"rejects-{run.pk}.csv")
        run.save(update_fields=["rejects_path"])
        record_write(
            actor=actor,
            action=Action.INGEST_STARTED,
            target=run,
            new={"path": str(path), "format": format_name, "sha256": digest},
        )
    return run


def _consume(
    actor: User | None,
    run: IngestRun,
    source: Source,
    results: Iterator[ReadResult],
    batch_size: int,
    progress: Progress | None,
) -> None:
    position = 0
    batch: list[PatentRecord] = []
    errors: list[RecordError] = []
    for position, result in enumerate(results, start=1):
        if position <= run.checkpoint:
            continue  # committed by an earlier, interrupted run of this file
        if isinstance(result, RecordError):
            errors.append(result)
        else:
            batch.append(result)
        if len(batch) + len(errors) >= batch_size:
            _commit(actor, run, source, batch, errors, position)
            batch, errors = [], []
            if progress:
                progress(run)
    if batch or errors or position > run.checkpoint:
        _commit(actor, run, source, batch, errors, max(position, run.checkpoint))
        if progress:
            progress(run)


def _commit(
    actor: User | None,
    run: IngestRun,
    source: Source,
    records: list[PatentRecord],
    errors: list[RecordError],
    position: int,
) -> None:
    with transaction.atomic():
        result = write_batch(records, source=source, run=run)
        rejected = [*errors, *result.rejected]
        run.read += len(records) + len(errors)
        run.inserted += result.inserted
        run.updated += result.updated
        run.unchanged += result.unchanged
        run.duplicates += result.duplicates
        run.merged += result.merged
        run.rejected += len(rejected)
        run.checkpoint = position
        run.save(update_fields=[*COUNTERS, "checkpoint"])
        record_write(
            actor=actor,
            action=Action.INGEST_BATCH,
            target=run,
            new={
                "through_record": position,
                "inserted": result.inserted,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "duplicates": result.duplicates,
                "merged": result.merged,
                "rejected": len(rejected),
            },
        )
    if result.changed_ids:
        announce_changes()
    # After the commit: a crash before this line re-reads the batch on resume, and writing
    # the rejects again then is the lesser evil compared to rejects for a batch that rolled back.
    _append_rejects(Path(run.rejects_path), rejected)


def _append_rejects(path: Path, rejected: list[RecordError]) -> None:
    if not rejected:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    new_file = not path.exists()
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new_file:
            writer.writerow(REJECT_COLUMNS)
        for error in rejected:
            location = error.location
            writer.writerow(
                [
                    location.path if location else "",
                    location.record if location else "",
                    error.field_name,
                    error.reason,
                ]
            )


def _close(actor: User | None, run: IngestRun, status: str, message: str, action: Action) -> None:
    with transaction.atomic():
        run.status = status
        run.message = message
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        record_write(
            actor=actor,
            action=action,
            target=run,
            new={
                "status": status,
                **{name: getattr(run, name) for name in COUNTERS},
                "message": message,
            },
        )


def _summary(run: IngestRun, resumed_from: int) -> IngestSummary:
    return IngestSummary(
        path=run.path,
        format=run.format,
        run_id=run.pk,
        resumed_from=resumed_from,
        read=run.read,
        inserted=run.inserted,
        updated=run.updated,
        unchanged=run.unchanged,
        duplicates=run.duplicates,
        merged=run.merged,
        rejected=run.rejected,
        rejects_path=run.rejects_path if run.rejected else "",
        status=run.status,
        message=run.message,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- applicant resolution -------------------------------------------------------------------


@dataclass(frozen=True)
class ResolutionSummary:
    names: int
    entities_before: int
    entities_after: int
    merged_keys: int
    refused_links: int


def resolve_entities(*, actor: User | None) -> ResolutionSummary:
    """Re-cluster every applicant/owner name in the corpus into organisations (ipcore.names),
    honouring people's merge/split decisions, and point names and parties at the result."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_CORPUS)
    names = dict(
        Party.objects.filter(role__in=RESOLVED_ROLE_VALUES)
        .values_list("name_key", "name")
        .distinct()
    )
    resolution = resolve_names(names, overrides=_overrides())
    with transaction.atomic():
        before = Entity.objects.count()
        entity_of_cluster = _entities_for_clusters(resolution.clusters, names)
        merged, repointed = _repoint_aliases(resolution.clusters, entity_of_cluster)
        Party.objects.filter(role__in=RESOLVED_ROLE_VALUES).update(
            entity_id=Subquery(
                EntityAlias.objects.filter(key=OuterRef("name_key")).values("entity_id")[:1]
            )
        )
        Entity.objects.filter(aliases__isnull=True).delete()
        _queue_for_index(_patents_named(repointed))
        _store_links(resolution.links, refused=False)
        _store_links(resolution.refused, refused=True)
        summary = ResolutionSummary(
            names=len(names),
            entities_before=before,
            entities_after=Entity.objects.count(),
            merged_keys=merged,
            refused_links=len(resolution.refused),
        )
        record_write(
            actor=actor,
            action=Action.NAMES_RESOLVED,
            target=TargetRef(type="corpus.entity", id="*", label="applicant resolution"),
            new=asdict(summary),
        )
    return summary


def _store_links(links: tuple[Link, ...], *, refused: bool) -> None:
    if not refused:
        NameLink.objects.all().delete()
    NameLink.objects.bulk_create(
        [
            NameLink(
                source_key=link.source[:300],
                target_key=link.target[:300],
                source_name=link.source_name[:300],
                target_name=link.target_name[:300],
                stage=link.stage.value,
                detail=link.detail[:500],
                refused=refused,
            )
            for link in links
        ],
        batch_size=2000,
    )


def _overrides() -> Overrides:
    decisions = NameDecision.objects.values_list("kind", "name_a", "name_b")
    return Overrides(
        merge=[(a, b) for kind, a, b in decisions if kind == NameDecision.Kind.MERGE],
        split=[(a, b) for kind, a, b in decisions if kind == NameDecision.Kind.SPLIT],
    )


def _entities_for_clusters(clusters: dict[str, str], names: dict[str, str]) -> dict[str, int]:
    """One entity per cluster, keyed by the cluster id; existing ones are kept (and keep their
    link to a platform organisation)."""
    wanted = set(clusters.values())
    existing = dict(Entity.objects.filter(key__in=wanted).values_list("key", "id"))
    display: dict[str, str] = {}
    for key, cluster in clusters.items():
        display.setdefault(cluster, names[key])
    fresh = [Entity(key=c[:300], name=display[c][:300]) for c in wanted if c not in existing]
    Entity.objects.bulk_create(fresh, batch_size=2000)
    existing.update({e.key: e.pk for e in fresh})
    return existing


def _repoint_aliases(
    clusters: dict[str, str], entity_of_cluster: dict[str, int]
) -> tuple[int, list[str]]:
    """Point each name key at its cluster's entity; (keys merged into another, keys moved)."""
    aliases = {a.key: a for a in EntityAlias.objects.filter(key__in=list(clusters))}
    changed, fresh = [], []
    for key, cluster in clusters.items():
        target = entity_of_cluster[cluster]
        alias = aliases.get(key)
        if alias is None:
            fresh.append(EntityAlias(key=key, entity_id=target))
        elif alias.entity_id != target:
            alias.entity_id = target
            changed.append(alias)
    EntityAlias.objects.bulk_create(fresh, batch_size=2000)
    EntityAlias.objects.bulk_update(changed, ["entity_id"], batch_size=2000)
    merged = sum(1 for key, cluster in clusters.items() if key != cluster)
    return merged, [alias.key for alias in changed]


def _patents_named(keys: list[str]) -> set[int]:
    patents: set[int] = set()
    for start in range(0, len(keys), 900):
        chunk = keys[start : start + 900]
        patents.update(Party.objects.filter(name_key__in=chunk).values_list("patent_id", flat=True))
    return patents


def record_name_decision(
    *, actor: User | None, kind: str, name_a: str, name_b: str, note: str = ""
) -> NameDecision:
    """A person says two names are (merge) or are not (split) one organisation. The next
    resolution — and every later import followed by one — respects it."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_CORPUS)
    if kind not in NameDecision.Kind.values:
        raise InvalidInput(details={"kind": [_("Either merge or split.")]})
    first, second = sorted((name_a.strip(), name_b.strip()))
    if not first or first == second:
        raise InvalidInput(details={"name_b": [_("Give two different names.")]})
    if kind == NameDecision.Kind.SPLIT and entity_key(first) == entity_key(second):
        raise InvalidInput(
            details={
                "name_b": [
                    _(
                        "These two names are the same once case, punctuation and legal form are "
                        "set aside, so they cannot be told apart."
                    )
                ]
            }
        )
    with transaction.atomic():
        decision, created = NameDecision.objects.update_or_create(
            name_a=first,
            name_b=second,
            defaults={"kind": kind, "note": note, "decided_by": actor},
        )
        record_write(
            actor=actor,
            action=Action.NAME_DECISION_RECORDED,
            target=decision,
            new={"kind": kind, "name_a": first, "name_b": second, "note": note, "new": created},
        )
    return decision


# --- key fields ------------------------------------------------------------------------------

KEY_FIELD_EDITABLE = ("name_zh", "name_en", "builds_on", "rules", "source")


def update_key_field(
    *,
    actor: User | None,
    key_field: KeyField,
    name_zh: str,
    name_en: str,
    builds_on: list[str],
    rules: str,
    source: str,
) -> KeyField:
    """重点产业领域 — the bureau redefines a key field. The definition is checked as ipcore will
    apply it (every rule line read, every SEI code known, not empty) before anything is
    written; the audit entry keeps the old and new values of what changed."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_FIELD_DEFINITIONS)
    text = KeyFieldText(
        code=key_field.code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        builds_on=tuple(dict.fromkeys(code.strip() for code in builds_on if code.strip())),
        rules="\n".join(line.rstrip() for line in rules.strip().splitlines()),
        source=source.strip(),
    )
    try:
        definition_of(text)
    except DefinitionError as error:
        message = error.message_zh if _chinese() else error.message_en
        raise InvalidInput(message, details={error.field: [message]}) from None
    values = {name: getattr(text, name) for name in KEY_FIELD_EDITABLE}
    values["builds_on"] = list(text.builds_on)
    with transaction.atomic():
        locked = KeyField.objects.select_for_update().get(pk=key_field.pk)
        before = {name: getattr(locked, name) for name in KEY_FIELD_EDITABLE}
        old, new = changes(before, values)
        if not new:
            return locked
        for name, value in values.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        record_write(
            actor=actor,
            action=Action.KEY_FIELD_UPDATED,
            target=locked,
            old=old,
            new={**new, "version": locked.version},
        )
    return locked


def _chinese() -> bool:
    return (get_language() or "zh").startswith("zh")


# --- search outbox --------------------------------------------------------------------------


def announce_changes() -> None:
    """Tell listeners (the search indexer) that the outbox holds work, once committed."""
    transaction.on_commit(lambda: corpus_changed.send(sender=SearchOutbox))


def _queue_for_index(patent_ids: Iterable[int]) -> int:
    """Outbox rows for patents whose indexed facts changed outside an import."""
    now = timezone.now()
    rows = [SearchOutbox(patent_id=pk, created_at=now) for pk in patent_ids]
    SearchOutbox.objects.bulk_create(rows, batch_size=2000)
    if rows:
        announce_changes()
    return len(rows)


def record_legal_events(
    *, actor: Any, events: Sequence[tuple[int, str, dt.date, str]], reason: str
) -> int:
    """Legal events the platform itself registers on corpus patents (a pledge's PE01, PM01,
    PC01 …), as ``(patent_id, code, date, description)``. Runs inside the transaction of the
    change that causes them (the caller's record and these events commit together); the
    patents are queued for the search index and the write is audited. An event already
    recorded (same patent, code and date) is kept as it is."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_legal_events must run inside the change's transaction")
    rows = [
        LegalEvent(patent_id=pk, code=code, date=date, effective_date=date, description=text)
        for pk, code, date, text in events
    ]
    LegalEvent.objects.bulk_create(rows, ignore_conflicts=True)
    patent_ids = sorted({pk for pk, *_rest in events})
    _queue_for_index(patent_ids)
    record_write(
        actor=actor,
        action=Action.LEGAL_EVENTS_RECORDED,
        target=TargetRef("corpus.legalevent", ",".join(map(str, patent_ids[:20])), reason),
        new={"events": [[pk, code, date.isoformat()] for pk, code, date, _t in events]},
    )
    return len(rows)


def record_transfer(
    *, actor: Any, patent_ids: Sequence[int], assignee: Any, on: dt.date, number: str
) -> int:
    """专利权转让登记 (TR01): the assignee organisation becomes the patents' owner — the owner
    parties are replaced by it (applicants stay, as filed), the first owner shown is it, and
    TR01 is recorded. Runs inside the caller's transaction; queued for the search index and
    audited. A later import of the same source records rewrites the parties as that source
    has them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_transfer must run inside the change's transaction")
    entity = _entity_of(assignee)
    ids = sorted(set(patent_ids))
    old = dict(Patent.objects.filter(pk__in=ids).values_list("pk", "first_owner"))
    Party.objects.filter(patent_id__in=ids, role="owner").delete()
    Party.objects.bulk_create(
        Party(
            patent_id=pk,
            role="owner",
            sequence=1,
            name=assignee.name[:300],
            name_key=entity.key,
            entity=entity,
        )
        for pk in ids
    )
    Patent.objects.filter(pk__in=ids).update(first_owner=assignee.name[:300])
    LegalEvent.objects.bulk_create(
        [
            LegalEvent(
                patent_id=pk,
                code="TR01",
                date=on,
                effective_date=on,
                description=f"专利权转让 {number}",
            )
            for pk in ids
        ],
        ignore_conflicts=True,
    )
    _queue_for_index(ids)
    record_write(
        actor=actor,
        action=Action.TRANSFER_RECORDED,
        target=TargetRef("corpus.patent", ",".join(map(str, ids[:20])), number),
        old={"owners": old},
        new={"owner": assignee.name, "organization": assignee.pk, "date": on, "number": number},
    )
    return len(ids)


def link_entity(*, actor: Any, entity: Entity, organization: Any | None) -> Entity:
    """关联申请人 — the bureau states that an applicant entity is this platform organisation
    (``None``: no longer any). Its patents then count as the organisation's own: it may list
    them on the market, pledge them, build portfolios of them. An entity linked to another
    organisation is refused with the reason (unlink it first), the attempt audited: moving
    patents between organisations silently would hand one firm's patents to another.
    ``actor`` None is the operator at the console (``ipops linkentity``)."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_ORGANIZATIONS)
    wanted = organization.pk if organization is not None else None
    with transaction.atomic():
        current = Entity.objects.select_for_update().get(pk=entity.pk)
        linked_to = current.organization_id
        if linked_to == wanted:
            return current
        if wanted is None or linked_to is None:
            Entity.objects.filter(pk=current.pk).update(organization=wanted)
            record_write(
                actor=actor,
                action=Action.ENTITY_LINKED,
                target=current,
                old={"organization": linked_to},
                new={"organization": wanted},
            )
            current.organization_id = wanted
            return current
        record_write(
            actor=actor,
            action=Action.ENTITY_LINK_REFUSED,
            target=current,
            new={"organization": wanted, "linked_to": linked_to},
        )
        elsewhere = current.organization
    # raised after the block, so the refused attempt's audit entry commits
    raise Conflict(
        _(
            "This applicant is already linked to another organisation (%(name)s). "
            "Remove that link first."
        )
        % {"name": elsewhere},
        code="entity_linked",
    )


def _entity_of(organization: Any) -> Entity:
    """The applicant entity an organisation's patents resolve to: the one linked to it, or the
    one its name resolves to (linked to it now), or a new one."""
    linked = Entity.objects.filter(organization=organization).order_by("pk").first()
    if linked is not None:
        return linked
    key = entity_key(organization.name)
    entity, _created = Entity.objects.get_or_create(
        key=key, defaults={"name": organization.name[:300], "organization": organization}
    )
    if entity.organization_id is None:
        Entity.objects.filter(pk=entity.pk).update(organization=organization)
    return entity


def acknowledge_indexed(*, row_ids: list[int]) -> int:
    """Delete the outbox rows the search index has applied — only those: a row written for the
    same patent while the indexer worked stays, so that change is indexed too.

    Not audited: the outbox is the queue of a derived projection, not a record anyone owns;
    the corpus write that filled it was audited in its own transaction."""
    deleted = 0
    with transaction.atomic():
        for start in range(0, len(row_ids), 900):  # SQLite's bound on query parameters
            chunk = row_ids[start : start + 900]
            deleted += SearchOutbox.objects.filter(id__in=chunk).delete()[0]
    return deleted

"""Every write of the landscape app: freezing a search into a dataset, refining it by hand,
deleting it; projects and their stages; report files written in the background. Each is
one transaction with its audit entry; a dataset and its facts are written together or not at
all, and so is a report file.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.landscape.metrics import Progress as MetricProgress
from ipcore.landscape.metrics import Step
from ipcore.landscape.projects import CLOSED_STAGES, Stage, StageError, check_move
from ipcore.search import parse
from ipcore.search.errors import QuerySyntaxError
from ipops.accounts.models import Organization
from ipops.accounts.queries import require_capability
from ipops.audit.actions import Action
from ipops.audit.services import TargetRef, record_write
from ipops.corpus import queries as corpus
from ipops.corpus.facts import patent_facts
from ipops.corpus.fields import field_ref, patents_in_field
from ipops.corpus.indexable import all_patent_ids
from ipops.errors import Conflict, InvalidInput, ServiceError
from ipops.landscape import reports
from ipops.landscape.backends import database_tables, snapshots_dir
from ipops.landscape.models import (
    FACT_MODELS,
    FIELD_FOR_COLUMN,
    Dataset,
    DatasetPatent,
    DatasetTag,
    Project,
    ProjectStageChange,
    ReportTask,
)
from ipops.landscape.prepared import is_current, write_prepared
from ipops.landscape.snapshot import Progress, SnapshotSummary, write_snapshot
from ipops.search import engine
from ipops.search.errors import query_error

logger = logging.getLogger(__name__)

# A dataset lives in the live database with its facts (about 10 rows a patent): beyond this
# size, analyse a Parquet snapshot instead (`ipops landscape … --backend duckdb`).
MAX_DATASET: Final = 200_000
# A description finds the nearest patents, not a set: how many of them a dataset keeps.
SEMANTIC_SIZE: Final = 200
FACT_BATCH: Final = 2000
# A hand list: one number a line (as pasted from a spreadsheet), or separated by semicolons,
# 、 or commas that are not inside a number (US 10,123,456 B2 stays one).
_NUMBER_LIST: Final = re.compile(r"[\n;；、，]|,(?!\d{3}\b)")


def create_dataset(
    *,
    actor: Any,
    name: str,
    query: str,
    strategy: str = Dataset.Strategy.KEYWORD,
    description: str = "",
    as_of: dt.date | None = None,
) -> Dataset:
    """Freeze what ``query`` finds today into a new dataset of the actor's organisation.

    Raises InvalidInput for an unreadable query, an empty result or one over MAX_DATASET.
    """
    _require_analyst(actor)
    ref = field_ref(query.strip()) if strategy == Dataset.Strategy.FIELD else None
    recorded = ref.query_text() if ref is not None else query
    name = name.strip() or (ref.name_zh if ref is not None else query.strip())[:200]
    if not name:
        raise InvalidInput(_("Give the dataset a name or a query."), details={"field": "name"})
    ids, matched = _found(query, strategy)
    with transaction.atomic():
        dataset = Dataset.objects.create(
            name=name[:200],
            description=description,
            query=recorded,
            strategy=strategy,
            as_of=as_of or timezone.localdate(),
            matched=matched,
            organization_id=getattr(actor, "organization_id", None),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        DatasetPatent.objects.bulk_create(
            (DatasetPatent(dataset=dataset, patent_id=pk) for pk in ids), batch_size=FACT_BATCH
        )
        dataset.size = _write_facts(dataset, ids)
        dataset.save(update_fields=["size"])
        write_prepared(dataset, database_tables(dataset.pk, prepared=False))
        record_write(
            actor=actor,
            action=Action.DATASET_CREATED,
            target=dataset,
            new={
                "name": dataset.name,
                "query": recorded,
                "strategy": strategy,
                "size": dataset.size,
                **({"field": ref.key, "definition_version": ref.version} if ref else {}),
            },
        )
    return dataset


def _require_analyst(actor: Any) -> None:
    """None is the platform itself (an operator's `ipops` command); people need the capability."""
    if actor is not None:
        require_capability(actor, Capability.ANALYSE_PATENTS)


def _found(query: str, strategy: str) -> tuple[list[int], int]:
    """The ids a dataset freezes and how many the search matched."""
    if strategy == Dataset.Strategy.FIELD:
        return _in_field(query)
    if strategy == Dataset.Strategy.HAND:
        ids = _numbered_patents(query)
        return ids, len(ids)
    if strategy == Dataset.Strategy.SEMANTIC:
        if not query.strip():
            raise InvalidInput(
                _("Describe the technology to look for."), details={"field": "query"}
            )
        request = engine.SearchRequest(
            query, page_size=SEMANTIC_SIZE, facets=False, strategy=engine.Strategy.SEMANTIC
        )
        ids = [hit.patent_id for hit in engine.run_search(request).hits]
        return _not_empty(ids), len(ids)
    try:
        parse(query)
    except QuerySyntaxError as error:
        raise query_error(error) from error
    matched = engine.count_matches(query, organisations=corpus.entity_ids_named)
    if matched > MAX_DATASET:
        raise InvalidInput(
            _(
                "The search finds %(matched)s patents; a dataset holds at most %(limit)s. "
                "Narrow the search, or analyse the whole corpus from a snapshot "
                "(`ipops snapshot`, then `ipops landscape … --backend duckdb`)."
            )
            % {"matched": f"{matched:,}", "limit": f"{MAX_DATASET:,}"},
            details={"field": "query"},
            code="dataset_too_large",
        )
    ids = list(
        islice(engine.iterate_ids(query, organisations=corpus.entity_ids_named), MAX_DATASET)
    )
    return _not_empty(ids), matched


def _in_field(key: str) -> tuple[list[int], int]:
    """A field definition's patents (``key:ai``, ``sei:1.2``, ``wipo:8``): candidates by
    classification, then the exact matcher (``ipops.corpus.fields``)."""
    ids, matched = patents_in_field(field_ref(key.strip()), limit=MAX_DATASET)
    if matched > MAX_DATASET:
        raise InvalidInput(
            _(
                "The field holds %(matched)s patents; a dataset holds at most %(limit)s. "
                "Choose a narrower field (a sub-category), or analyse the whole corpus from a "
                "snapshot (`ipops snapshot`, then `ipops landscape --backend duckdb`)."
            )
            % {"matched": f"{matched:,}", "limit": f"{MAX_DATASET:,}"},
            details={"field": "query"},
            code="dataset_too_large",
        )
    if not ids:
        raise InvalidInput(
            _("No patent in the corpus belongs to this field: there is nothing to analyse."),
            details={"field": "query"},
            code="empty_dataset",
        )
    return ids, matched


def _not_empty(ids: list[int]) -> list[int]:
    if not ids:
        raise InvalidInput(
            _("The search found no patents: there is nothing to analyse."),
            details={"field": "query"},
            code="empty_dataset",
        )
    return ids


def _numbered_patents(text: str) -> list[int]:
    numbers = [number.strip() for number in _NUMBER_LIST.split(text) if number.strip()]
    if not numbers:
        raise InvalidInput(_("List at least one patent number."), details={"field": "query"})
    named = engine.ids_numbered(numbers)
    unknown = [number for number, ids in named.items() if not ids]
    if unknown:
        raise InvalidInput(
            _("Not in the corpus: %(numbers)s") % {"numbers": ", ".join(unknown[:20])},
            details={"field": "query"},
            code="unknown_patents",
        )
    return list(dict.fromkeys(pk for ids in named.values() for pk in ids))


def _write_facts(dataset: Dataset, ids: Sequence[int]) -> int:
    """Write the facts of these patents into the dataset's fact tables; returns how many
    patents had facts (a patent deleted from the corpus meanwhile has none)."""
    written = 0
    for start in range(0, len(ids), FACT_BATCH):
        batch = patent_facts(ids[start : start + FACT_BATCH], on=dataset.as_of)
        for table, rows in batch.tables().items():
            model = FACT_MODELS[table]
            model.objects.bulk_create(  # type: ignore[attr-defined]
                (model(dataset=dataset, **_model_values(row)) for row in rows),
                batch_size=FACT_BATCH,
            )
        written += len(batch.patents)
    return written


def _model_values(row: dict[str, Any]) -> dict[str, Any]:
    return {FIELD_FOR_COLUMN.get(column, column): value for column, value in row.items()}


def _delete_facts(dataset: Dataset, ids: Iterable[int] | None = None) -> None:
    for model in FACT_MODELS.values():
        rows = model.objects.filter(dataset=dataset)  # type: ignore[attr-defined]
        if ids is not None:
            rows = rows.filter(patent_id__in=list(ids))
        rows.delete()


def exclude_patents(*, actor: Any, dataset: Dataset, patent_ids: Sequence[int]) -> int:
    """Leave these patents out of the dataset's analysis (they stay listed, marked excluded);
    returns how many changed."""
    return _set_excluded(actor, dataset, patent_ids, excluded=True)


def include_patents(*, actor: Any, dataset: Dataset, patent_ids: Sequence[int]) -> int:
    """Take excluded patents back in, or add patents by hand; returns how many changed."""
    return _set_excluded(actor, dataset, patent_ids, excluded=False)


def _set_excluded(
    actor: Any, dataset: Dataset, patent_ids: Sequence[int], *, excluded: bool
) -> int:
    _require_analyst(actor)
    wanted = sorted(set(patent_ids))
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        members = DatasetPatent.objects.filter(dataset=locked, patent_id__in=wanted)
        changing = list(members.exclude(excluded=excluded).values_list("patent_id", flat=True))
        added: list[int] = []
        if not excluded:
            known = set(members.values_list("patent_id", flat=True))
            added = corpus.existing_patent_ids([pk for pk in wanted if pk not in known])
            DatasetPatent.objects.bulk_create(
                DatasetPatent(dataset=locked, patent_id=pk, origin=DatasetPatent.Origin.HAND)
                for pk in added
            )
        DatasetPatent.objects.filter(dataset=locked, patent_id__in=changing).update(
            excluded=excluded
        )
        if excluded:
            _delete_facts(locked, changing)
        else:
            _write_facts(locked, changing + added)
        locked.size = DatasetPatent.objects.filter(dataset=locked, excluded=False).count()
        locked.save(update_fields=["size", "updated_at"])
        write_prepared(locked, database_tables(locked.pk, prepared=False))
        record_write(
            actor=actor,
            action=Action.DATASET_REFINED,
            target=locked,
            old={"size": dataset.size},
            new={
                "size": locked.size,
                "excluded" if excluded else "included": changing,
                "added": added,
            },
        )
    dataset.size = locked.size
    return len(changing) + len(added)


def tag_patents(
    *, actor: Any, dataset: Dataset, patent_ids: Sequence[int], tag: str, remove: bool = False
) -> int:
    """标签 — put ``tag`` on these patents of the dataset (or take it off); patents that are
    not in the dataset are ignored. Returns how many changed. InvalidInput for an empty or
    over-long tag, or one more tag than a dataset may hold."""
    _require_analyst(actor)
    label = _tag_text(tag)
    wanted = sorted(set(patent_ids))
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        members = set(
            DatasetPatent.objects.filter(dataset=locked, patent_id__in=wanted).values_list(
                "patent_id", flat=True
            )
        )
        tagged = DatasetTag.objects.filter(dataset=locked, tag=label)
        having = set(tagged.filter(patent_id__in=members).values_list("patent_id", flat=True))
        if remove:
            changing = sorted(having)
            tagged.filter(patent_id__in=changing).delete()
        else:
            changing = sorted(members - having)
            if changing and not tagged.exists():
                _check_room_for_a_tag(locked)
            DatasetTag.objects.bulk_create(
                DatasetTag(dataset=locked, patent_id=pk, tag=label) for pk in changing
            )
        if changing:
            record_write(
                actor=actor,
                action=Action.DATASET_TAGGED,
                target=locked,
                new={"tag": label, "removed" if remove else "tagged": changing},
            )
    return len(changing)


def _tag_text(tag: str) -> str:
    """A tag as kept: NFKC-normalised (全角 and 半角 alike), spaces collapsed."""
    label = " ".join(unicodedata.normalize("NFKC", tag).split())
    if not label or len(label) > DatasetTag.MAX_LENGTH:
        raise InvalidInput(
            _("A tag is 1 to %(limit)s characters.") % {"limit": DatasetTag.MAX_LENGTH},
            details={"tag": [_("1 to %(limit)s characters.") % {"limit": DatasetTag.MAX_LENGTH}]},
            code="tag_length",
        )
    return label


def _check_room_for_a_tag(dataset: Dataset) -> None:
    used = DatasetTag.objects.filter(dataset=dataset).values("tag").distinct().count()
    if used >= DatasetTag.MAX_PER_DATASET:
        raise InvalidInput(
            _("A dataset holds at most %(limit)s different tags; reuse one or remove one.")
            % {"limit": DatasetTag.MAX_PER_DATASET},
            details={"tag": [_("Too many tags.")]},
            code="too_many_tags",
        )


def delete_dataset(*, actor: Any, dataset: Dataset) -> None:
    _require_analyst(actor)
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.DATASET_DELETED,
            target=dataset,
            old={"name": dataset.name, "size": dataset.size, "query": dataset.query},
        )
        _delete_facts(dataset)
        dataset.delete()


def take_snapshot(
    *,
    actor: Any,
    dataset: Dataset | None = None,
    folder: Path | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> SnapshotSummary:
    """Write the facts of the whole corpus (or of one dataset's patents) as a Parquet snapshot
    for the DuckDB and Spark backends; returns where and how much."""
    day = as_of or timezone.localdate()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    target = folder or snapshots_dir() / (f"{stamp}-dataset-{dataset.pk}" if dataset else stamp)
    if target.exists():
        raise Conflict(_("%(path)s already exists.") % {"path": target})
    batches = _member_batches(dataset) if dataset else all_patent_ids(FACT_BATCH)
    summary = write_snapshot(target, batches, as_of=day, progress=progress)
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.SNAPSHOT_WRITTEN,
            target=TargetRef("snapshot", target.name, str(target)),
            new={"patents": summary.patents, "rows": summary.rows, "as_of": day.isoformat()},
        )
    return summary


def _member_batches(dataset: Dataset) -> Iterable[list[int]]:
    ids = list(
        DatasetPatent.objects.filter(dataset=dataset, excluded=False)
        .order_by("patent_id")
        .values_list("patent_id", flat=True)
    )
    for start in range(0, len(ids), FACT_BATCH):
        yield ids[start : start + FACT_BATCH]


# --- projects ----------------------------------------------------------------------------------


def create_project(
    *,
    actor: Any,
    name: str,
    kind: str,
    client: Organization | None = None,
    description: str = "",
    started_on: dt.date | None = None,
    due_on: dt.date | None = None,
) -> Project:
    """A new project of the actor's organisation (the provider), in its first stage."""
    require_capability(actor, Capability.MANAGE_PROJECTS)
    if actor.organization_id is None:
        raise InvalidInput(_("Projects belong to an organisation; this account has none."))
    start = started_on or timezone.localdate()
    if due_on is not None and due_on < start:
        raise InvalidInput(
            _("The due date is before the start."), details={"due_on": [_("Before the start.")]}
        )
    with transaction.atomic():
        project = Project.objects.create(
            name=name.strip(),
            kind=kind,
            description=description,
            provider_id=actor.organization_id,
            client=client,
            started_on=start,
            due_on=due_on,
            created_by=actor,
        )
        record_write(
            actor=actor,
            action=Action.PROJECT_CREATED,
            target=project,
            new={"name": project.name, "kind": kind, "client": client.pk if client else None},
        )
    return project


def move_project(*, actor: Any, project: Project, to_stage: str, note: str = "") -> Project:
    """Move a project to another stage as the lifecycle allows (StageError otherwise: a
    409 with the reason in both languages)."""
    require_capability(actor, Capability.MANAGE_PROJECTS)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        current, wanted = Stage(locked.stage), Stage(to_stage)
        try:
            check_move(current, wanted)
        except StageError as error:
            raise Conflict(error.message_zh, code="stage_not_allowed") from error
        locked.stage = wanted.value
        locked.finished_on = timezone.localdate() if wanted in CLOSED_STAGES else None
        locked.save(update_fields=["stage", "finished_on", "updated_at"])
        ProjectStageChange.objects.create(
            project=locked,
            from_stage=current.value,
            to_stage=wanted.value,
            note=note[:500],
            changed_by=actor,
        )
        record_write(
            actor=actor,
            action=Action.PROJECT_MOVED,
            target=locked,
            old={"stage": current.value},
            new={"stage": wanted.value, "note": note},
        )
    project.stage, project.finished_on = locked.stage, locked.finished_on
    return project


def attach_dataset(*, actor: Any, project: Project, dataset: Dataset) -> None:
    """Record that a dataset (one the actor may see) is part of a project's work."""
    require_capability(actor, Capability.MANAGE_PROJECTS)
    with transaction.atomic():
        project.datasets.add(dataset)
        record_write(
            actor=actor,
            action=Action.PROJECT_DATASET_ATTACHED,
            target=project,
            new={"dataset": dataset.pk, "dataset_name": dataset.name},
        )


def save_screening(
    *,
    actor: Any,
    name: str,
    numbers: Sequence[str],
    description: str = "",
    project: Project | None = None,
) -> Dataset:
    """Keep the patents an analyst ticked in a risk screening as a dataset (a hand list of
    their numbers, with the screening described), attached to a project when one is given —
    both or neither."""
    wanted = [number.strip() for number in numbers if number.strip()]
    if not wanted:
        raise InvalidInput(
            _("Tick at least one patent to keep."), details={"numbers": [_("None ticked.")]}
        )
    if project is not None:
        require_capability(actor, Capability.MANAGE_PROJECTS)
    with transaction.atomic():
        dataset = create_dataset(
            actor=actor,
            name=name,
            query="\n".join(dict.fromkeys(wanted)),
            strategy=Dataset.Strategy.HAND,
            description=description,
        )
        if project is not None:
            attach_dataset(actor=actor, project=project, dataset=dataset)
    return dataset


# --- report files written in the background ----------------------------------------------------

# Shares of a task's progress bar: computing the metrics, then writing the file.
COMPUTE_SHARE: Final = 80


def request_report(
    *, actor: Any, dataset: Dataset, file_format: str, language: str = "zh-hans"
) -> ReportTask:
    """Queue a report file of a dataset (one the actor may see) for the background worker.

    The same file already queued or being written by the actor's organisation is handed
    back rather than queued twice. InvalidInput for an unknown format or language;
    BrowserUnavailable for a PDF or DOCX where no Chromium can draw it.
    """
    _require_analyst(actor)
    if file_format not in ReportTask.Format.values:
        raise InvalidInput(
            _("Reports are written as %(formats)s, not %(format)s.")
            % {"formats": ", ".join(ReportTask.Format.values), "format": file_format},
            details={"file_format": [_("Choose one of the formats.")]},
            code="report_format",
        )
    if language not in ReportTask.Language.values:
        raise InvalidInput(
            _("Reports are written in Chinese or English."),
            details={"language": [_("Choose Chinese or English.")]},
        )
    reports.check_can_write(file_format)
    organization_id = getattr(actor, "organization_id", None)
    requester: Any = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        pending = ReportTask.objects.filter(
            dataset=dataset,
            file_format=file_format,
            language=language,
            status__in=(ReportTask.Status.QUEUED, ReportTask.Status.RUNNING),
        )
        if organization_id is not None:
            pending = pending.filter(organization_id=organization_id)
        else:
            pending = pending.filter(organization__isnull=True, requested_by=requester)
        same = _alive(pending.first())
        if same is not None:
            return same
        task = ReportTask.objects.create(
            dataset=dataset,
            organization_id=organization_id,
            requested_by=requester,
            file_format=file_format,
            language=language,
            patents=dataset.size,
        )
        record_write(
            actor=actor,
            action=Action.REPORT_REQUESTED,
            target=task,
            new={
                "dataset": dataset.pk,
                "format": file_format,
                "language": language,
                "patents": dataset.size,
            },
        )
        transaction.on_commit(lambda: _enqueue(task.pk))
    return task


def _alive(task: ReportTask | None) -> ReportTask | None:
    """The task, unless its worker died while writing it: that one is failed with a reason
    (so a new request is queued instead of waiting on it for ever)."""
    if task is None or not task.abandoned(timezone.now()):
        return task
    _fail(
        task.pk,
        _(
            "The worker writing this report stopped without finishing (no progress for "
            "%(minutes)s minutes); the report was requested again."
        )
        % {"minutes": int(ReportTask.ABANDONED_AFTER.total_seconds() // 60)},
    )
    return None


def _enqueue(task_id: int) -> None:
    from ipops.landscape.tasks import write_report_file

    try:
        write_report_file.enqueue(task_id)
    except Exception as error:  # a queue outage: say so on the task rather than wait forever
        logger.exception("could not queue report task %s", task_id)
        _fail(task_id, _("The report could not be queued: %(error)s") % {"error": error})


def prepare_dataset(*, actor: Any, dataset: Dataset) -> bool:
    """Write the dataset's prepared tables again where the metrics' code has changed since
    they were written (``prepared.is_current``), so its reports read them instead of
    deriving them; a report task does it before computing. Returns whether it wrote."""
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if is_current(locked):
            return False
        old = locked.prepared_version
        write_prepared(locked, database_tables(locked.pk, prepared=False))
        record_write(
            actor=actor,
            action=Action.DATASET_PREPARED,
            target=locked,
            old={"prepared_version": old},
            new={"prepared_version": locked.prepared_version},
        )
    dataset.prepared_version = locked.prepared_version
    return True


def run_report_task(*, task_id: int) -> ReportTask | None:
    """Write a queued report file (the background worker calls this): claim the task,
    compute the metrics one by one with progress, write the file under REPORT_DIR whole or
    not at all, and record the outcome. None where the task is gone (its dataset deleted)."""
    now = timezone.now()
    claimed = ReportTask.objects.filter(pk=task_id, status=ReportTask.Status.QUEUED).update(
        status=ReportTask.Status.RUNNING,
        step=ReportTask.Step.COMPUTING,
        started_at=now,
        heartbeat_at=now,
    )
    task = ReportTask.objects.select_related("dataset").filter(pk=task_id).first()
    if task is None or not claimed:
        return task  # gone, or another worker has it or had it
    target = report_dir() / f"task-{task.pk}.{task.file_format}"
    try:
        prepare_dataset(actor=None, dataset=task.dataset)
        report = reports.dataset_report(task.dataset, progress=_progress_of(task.pk))
        _note_progress(task.pk, progress=COMPUTE_SHARE, step=ReportTask.Step.RENDERING)
        target.parent.mkdir(parents=True, exist_ok=True)
        reports.write_report(report, target, language=task.language)
    except ServiceError as error:
        _fail(task.pk, str(error.message))
    except Exception as error:  # the worker lives on; the task says what went wrong
        logger.exception("report task %s failed", task.pk)
        _fail(task.pk, _("The report could not be written (%(error)s).") % {"error": repr(error)})
    else:
        _finish(task.pk, target)
    task.refresh_from_db()
    return task


def _progress_of(task_id: int) -> MetricProgress:
    def progress(number: int, total: int, metric: Step) -> None:
        share = 1 + (COMPUTE_SHARE - 1) * (number - 1) // max(total, 1)
        _note_progress(
            task_id, progress=share, metric=metric.name, metric_number=number, metric_total=total
        )

    return progress


def _note_progress(task_id: int, **values: Any) -> None:
    """Where a running task stands, committed at once so the page sees it. Not audited: it
    is the task's own bookkeeping, not a change anyone made (its start and end are)."""
    ReportTask.objects.filter(pk=task_id, status=ReportTask.Status.RUNNING).update(
        heartbeat_at=timezone.now(), **values
    )


def _finish(task_id: int, path: Path) -> None:
    with transaction.atomic():
        task = ReportTask.objects.select_for_update().filter(pk=task_id).first()
        if task is None or task.status != ReportTask.Status.RUNNING:
            path.unlink(missing_ok=True)  # deleted meanwhile: keep no file nobody can reach
            return
        task.status, task.step, task.progress = (
            ReportTask.Status.DONE,
            ReportTask.Step.FINISHED,
            100,
        )
        task.file = path.name
        task.file_size = path.stat().st_size
        task.finished_at = timezone.now()
        task.save(update_fields=["status", "step", "progress", "file", "file_size", "finished_at"])
        record_write(
            actor=task.requested_by,
            action=Action.REPORT_WRITTEN,
            target=task,
            new={"file": task.file, "bytes": task.file_size, "format": task.file_format},
        )


def _fail(task_id: int, message: str) -> None:
    with transaction.atomic():
        task = ReportTask.objects.select_for_update().filter(pk=task_id).first()
        if task is None or not task.active:
            return
        task.status = ReportTask.Status.FAILED
        task.error = message[:2000]
        task.finished_at = timezone.now()
        task.save(update_fields=["status", "error", "finished_at"])
        record_write(
            actor=task.requested_by,
            action=Action.REPORT_FAILED,
            target=task,
            new={"error": task.error, "format": task.file_format},
        )


def report_dir() -> Path:
    return Path(settings.REPORT_DIR)

"""A dataset's prepared tables: written with its facts, read by every report instead of being
derived, written again when the facts change or the metrics' code did."""

from __future__ import annotations

import datetime as dt

import pytest

from ipcore.access import Role
from ipcore.landscape.metrics import PREPARED, MetricParams, SharedTables, compute_all
from ipcore.landscape.metrics import shared_tables as sharing
from ipcore.patents.record import (
    Classification,
    Party,
    PartyRole,
    PatentRecord,
    Scheme,
    Text,
    TextField,
)
from ipops.audit.models import AuditEntry
from ipops.corpus.tests.factories import cn_record, load
from ipops.landscape import services
from ipops.landscape.backends import database_tables
from ipops.landscape.models import Dataset, PreparedRow, ReportTask
from ipops.landscape.prepared import is_current
from ipops.search import services as search_services

pytestmark = pytest.mark.django_db

PARAMS = MetricParams(as_of=dt.date(2026, 11, 25))


def drone(
    serial: int, applicants: tuple[str, ...], inventors: tuple[str, ...], ipc: str
) -> PatentRecord:
    parties = (
        *(Party(PartyRole.APPLICANT, n, name) for n, name in enumerate(applicants, 1)),
        *(Party(PartyRole.INVENTOR, n, name) for n, name in enumerate(inventors, 1)),
    )
    return cn_record(
        serial,
        texts=(Text(TextField.TITLE, "zh", f"一种无人机的避障方法{serial}"),),
        parties=parties,
        classifications=(
            Classification(Scheme.IPC, ipc, 1, is_main=True),
            Classification(Scheme.IPC, "G05D 1/10", 2),
        ),
    )


@pytest.fixture
def analyst(personas):  # type: ignore[no-untyped-def]
    return personas[Role.PROVIDER]


@pytest.fixture
def patents():  # type: ignore[no-untyped-def]
    loaded = load(
        drone(1, ("深圳市大疆创新科技有限公司",), ("张伟", "李娜"), "B64C 39/02"),
        drone(2, ("深圳市大疆创新科技有限公司", "北京航空航天大学"), ("张伟",), "B64C 39/02"),
        drone(3, ("广州极飞科技股份有限公司",), ("李娜", "王芳", "刘洋"), "G06V 20/17"),
        drone(4, ("北京航空航天大学",), ("刘洋",), "B64U 10/13"),
    )
    search_services.apply_pending_changes()
    return loaded


def test_a_frozen_dataset_is_reported_from_its_prepared_tables(analyst, patents) -> None:  # type: ignore[no-untyped-def]
    dataset = services.create_dataset(actor=analyst, name="无人机", query="无人机")
    assert dataset.size == 4 and is_current(Dataset.objects.get(pk=dataset.pk))
    assert set(PreparedRow.objects.filter(dataset=dataset).values_list("table", flat=True)) == set(
        PREPARED
    )
    tables = database_tables(dataset.pk)
    assert set(tables.prepared) == set(PREPARED)
    with sharing(tables) as shared:
        assert isinstance(shared, SharedTables)
        results = compute_all(shared, PARAMS)
        assert not shared._made  # nothing derived: every shared table was read
    derived = compute_all(database_tables(dataset.pk, prepared=False), PARAMS)
    assert results == derived
    by_name = {result.name: result for result in results}
    assert by_name["top_owners"].rows[0][:2] == ("北京航空航天大学", 2)
    assert by_name["co_inventors"].applicable


def test_refining_a_dataset_writes_its_prepared_tables_again(analyst, patents) -> None:  # type: ignore[no-untyped-def]
    dataset = services.create_dataset(actor=analyst, name="无人机", query="无人机")
    services.exclude_patents(actor=analyst, dataset=dataset, patent_ids=[patents[0].pk])
    assert prepared_patents(dataset) == 3
    assert compute_all(database_tables(dataset.pk), PARAMS) == compute_all(
        database_tables(dataset.pk, prepared=False), PARAMS
    )
    services.include_patents(actor=analyst, dataset=dataset, patent_ids=[patents[0].pk])
    assert prepared_patents(dataset) == 4


def prepared_patents(dataset: Dataset) -> int:
    """The patents the dataset's prepared coverage counts."""
    return PreparedRow.objects.get(dataset=dataset, table="coverage", key="patents").patents


def test_tables_written_by_other_code_are_not_read_but_written_again(analyst, patents) -> None:  # type: ignore[no-untyped-def]
    dataset = services.create_dataset(actor=analyst, name="无人机", query="无人机")
    Dataset.objects.filter(pk=dataset.pk).update(prepared_version="0123456789abcdef")
    stale = Dataset.objects.get(pk=dataset.pk)
    assert not database_tables(dataset.pk).prepared
    assert services.prepare_dataset(actor=None, dataset=stale)
    assert is_current(stale) and is_current(Dataset.objects.get(pk=dataset.pk))
    assert database_tables(dataset.pk).prepared
    entry = AuditEntry.objects.get(action="landscape.dataset_prepared")
    assert entry.old_values == {"prepared_version": "0123456789abcdef"}
    assert not services.prepare_dataset(actor=None, dataset=stale)  # current: nothing written
    assert AuditEntry.objects.filter(action="landscape.dataset_prepared").count() == 1


def test_a_report_task_prepares_a_stale_dataset_first(analyst, patents, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.REPORT_DIR = str(tmp_path)
    dataset = services.create_dataset(actor=analyst, name="无人机", query="无人机")
    Dataset.objects.filter(pk=dataset.pk).update(prepared_version="")
    task = ReportTask.objects.create(
        dataset=Dataset.objects.get(pk=dataset.pk),
        requested_by=analyst,
        file_format=ReportTask.Format.XLSX,
        language=ReportTask.Language.CHINESE,
    )
    done = services.run_report_task(task_id=task.pk)
    assert done is not None and done.status == ReportTask.Status.DONE, done and done.error
    assert is_current(Dataset.objects.get(pk=dataset.pk))


def test_deleting_a_dataset_deletes_its_prepared_rows(analyst, patents) -> None:  # type: ignore[no-untyped-def]
    dataset = services.create_dataset(actor=analyst, name="无人机", query="无人机")
    services.delete_dataset(actor=analyst, dataset=dataset)
    assert not PreparedRow.objects.exists()

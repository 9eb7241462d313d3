"""The loader's rules: natural keys, idempotence, updates replace parts, conflicts rejected,
publication numbers join sources, outbox rows for the search index."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from ipcore.patents.record import Party, PartyRole, PatentRecord, Publication, Text, TextField
from ipops.corpus.loader import BatchResult, write_batch
from ipops.corpus.models import (
    Classification,
    Entity,
    IngestRun,
    Patent,
    SearchOutbox,
    Source,
)
from ipops.corpus.models import (
    Party as PartyRow,
)
from ipops.corpus.tests.factories import cn_record, granted_cn_record, us_record

pytestmark = pytest.mark.django_db


def new_run() -> IngestRun:
    source, _ = Source.objects.get_or_create(name="test", defaults={"format": "test"})
    return IngestRun.objects.create(source=source, path="t", file_sha256="0" * 64, format="test")


def write(*records: PatentRecord, run: IngestRun | None = None) -> BatchResult:
    run = run or new_run()
    return write_batch(list(records), source=run.source, run=run)


def test_a_new_record_becomes_a_patent_with_all_its_parts() -> None:
    result = write(granted_cn_record())
    assert (result.inserted, result.updated, result.unchanged) == (1, 0, 0)
    patent = Patent.objects.get()
    assert patent.key == "CN:202111000001.0"
    assert patent.title == "一种锂电池正极材料及其制备方法1"
    assert patent.publication_kind == "B"
    assert patent.main_ipc == "H01M 4/525"
    assert patent.first_owner == "上海张江智芯科技有限公司"
    assert patent.publications.count() == 2
    assert patent.legal_events.count() == 3
    assert list(Classification.objects.values_list("subclass", flat=True)) == ["H01M", "H01M"]


def test_importing_the_same_record_again_changes_nothing() -> None:
    write(cn_record())
    before = Patent.objects.get().updated_at
    result = write(cn_record())
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 1)
    assert Patent.objects.get().updated_at == before
    assert SearchOutbox.objects.count() == 1


def test_a_changed_record_replaces_the_parts() -> None:
    write(cn_record())
    changed = cn_record(parties=(Party(PartyRole.APPLICANT, 1, "上海另一家科技有限公司"),))
    result = write(changed)
    assert result.updated == 1
    assert list(PartyRow.objects.values_list("name", flat=True)) == ["上海另一家科技有限公司"]
    assert SearchOutbox.objects.count() == 2


def test_two_different_records_with_one_key_in_one_run_reject_the_second() -> None:
    run = new_run()
    write(cn_record(), run=run)
    result = write(cn_record(claims_count=99), run=run)
    assert result.updated == 0
    assert len(result.rejected) == 1
    assert "duplicate" in result.rejected[0].reason
    location = result.rejected[0].location
    assert location is not None
    assert location.record == "1"
    assert Patent.objects.get().claims_count == 10


def test_identical_twins_in_one_batch_count_once() -> None:
    result = write(cn_record(), cn_record())
    assert (result.inserted, result.unchanged, result.duplicates) == (1, 0, 1)


def test_a_publication_number_joins_a_record_without_application_number() -> None:
    from_titles = cn_record(application_number=None, application_date=None)
    write(from_titles)
    assert Patent.objects.get().key == "CN:pub:CN113700001"
    result = write(cn_record())
    assert (result.updated, result.merged) == (1, 1)
    patent = Patent.objects.get()
    assert patent.key == "CN:202111000001.0"


def test_a_publication_claimed_by_another_patent_is_rejected() -> None:
    write(cn_record(1))
    thief = cn_record(2, publications=(Publication("CN113700001", "A", dt.date(2021, 12, 10)),))
    result = write(thief)
    assert result.inserted == 0
    assert "CN113700001A already belongs to another patent" in result.rejected[0].reason
    assert Patent.objects.get().application_number == "202111000001.0"


def test_every_applicant_name_resolves_to_an_entity_shared_across_spellings() -> None:
    write(
        us_record("1", parties=(Party(PartyRole.OWNER, 1, "Canon Kabushiki Kaisha"),)),
        us_record("2", parties=(Party(PartyRole.OWNER, 1, "CANON KABUSHIKI KAISHA"),)),
    )
    assert Entity.objects.count() == 1
    assert PartyRow.objects.filter(entity__isnull=True).count() == 0


def test_inventors_are_not_resolved_to_organisations() -> None:
    write(cn_record())
    inventor = PartyRow.objects.get(role="inventor")
    assert inventor.entity_id is None


def test_display_title_prefers_chinese() -> None:
    record = us_record(
        texts=(Text(TextField.TITLE, "en", "Battery"), Text(TextField.TITLE, "zh", "电池"))
    )
    write(record)
    assert Patent.objects.get().title == "电池"


def test_the_key_falls_back_to_the_earliest_publication() -> None:
    record = us_record(
        "7",
        publications=(
            Publication("US2017000001", "A1", dt.date(2017, 1, 5)),
            Publication("US7", "B2", dt.date(2018, 1, 2)),
        ),
    )
    assert record.key == "US:pub:US2017000001"
    assert replace(record, application_number="15/123,456").key == "US:15/123,456"


def test_a_chinese_applicant_address_is_placed_in_its_district() -> None:
    write(cn_record())
    applicant = PartyRow.objects.get(role="applicant")
    assert applicant.division_code == "310115"


def test_updating_many_patents_costs_a_fixed_number_of_queries() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def changed(count: int) -> list[PatentRecord]:
        return [cn_record(n, claims_count=11) for n in range(1, count + 1)]

    write(*(cn_record(n) for n in range(1, 31)))
    with CaptureQueriesContext(connection) as few:
        write(*changed(3))
    with CaptureQueriesContext(connection) as many:
        write(*changed(30))
    assert len(many) == len(few)

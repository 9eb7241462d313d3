"""Datasets made from a field definition, and the industries and key fields in the facts."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from ipcore.access import Role
from ipcore.landscape.metrics import METRICS, MetricParams, compute
from ipcore.patents.record import Classification, PatentRecord, Scheme, Text, TextField
from ipops.audit.models import AuditEntry
from ipops.corpus.models import KeyField
from ipops.corpus.services import update_key_field
from ipops.corpus.tests.factories import cn_record, load
from ipops.errors import InvalidInput
from ipops.landscape import reports, services
from ipops.landscape.backends import Backend, current_snapshot, database_tables
from ipops.landscape.models import Dataset, FactIndustry

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 25)


def patent(serial: int, code: str, title: str = "一种装置") -> PatentRecord:
    return cn_record(
        serial,
        texts=(Text(TextField.TITLE, "zh", title),),
        classifications=(Classification(Scheme.IPC, code, 1, is_main=True),),
    )


@pytest.fixture
def corpus() -> dict[str, int]:
    records = {
        "wafer": patent(1, "H01L 21/02", "一种晶圆清洗方法"),
        "memory": patent(2, "H10B 12/00", "一种动态随机存储器"),
        "car_battery": patent(3, "H01M 4/131", "电动汽车用锂电池正极"),
        "battery": patent(4, "H01M 4/131", "储能用锂电池正极"),
        "network": patent(5, "H04L 1/18", "一种重传方法"),
    }
    return {name: load(record)[0].pk for name, record in records.items()}


@pytest.fixture
def analyst(personas):  # type: ignore[no-untyped-def]
    return personas[Role.PROVIDER]


def _members(dataset: Dataset) -> set[int]:
    return set(dataset.members.values_list("patent_id", flat=True))


def test_a_key_field_becomes_a_dataset_with_its_query_recorded(analyst, corpus) -> None:  # type: ignore[no-untyped-def]
    dataset = services.create_dataset(
        actor=analyst, name="", query="key:integrated-circuits", strategy="field", as_of=DAY
    )

    assert _members(dataset) == {corpus["wafer"], corpus["memory"]}
    assert (dataset.name, dataset.query) == ("集成电路", "领域：集成电路（重点产业）")
    assert (dataset.size, dataset.matched, dataset.strategy) == (2, 2, "field")
    entry = AuditEntry.objects.get(action="landscape.dataset_created")
    assert entry.new_values["field"] == "key:integrated-circuits"
    assert entry.new_values["definition_version"] == 1


def test_a_strategic_emerging_industry_with_a_keyword_rule(analyst, corpus) -> None:  # type: ignore[no-untyped-def]
    # SEI 5.2 rule 5 takes H01M 4/13… only for patents that mention vehicles.
    dataset = services.create_dataset(
        actor=analyst, name="新能源汽车", query="sei:5", strategy="field"
    )

    assert _members(dataset) == {corpus["car_battery"]}
    assert dataset.query == "领域：5 新能源汽车产业（战略性新兴产业）"


@pytest.mark.parametrize(
    ("key", "code"), [("sei:9.9", "unknown_field"), ("wipo:33", "empty_dataset")]
)
def test_a_field_that_cannot_make_a_dataset_says_why(analyst, corpus, key, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.create_dataset(actor=analyst, name="x", query=key, strategy="field")

    assert raised.value.code == code
    assert not Dataset.objects.exists()


def test_the_facts_record_industries_and_key_fields_for_the_metrics(analyst, corpus) -> None:  # type: ignore[no-untyped-def]
    dataset = services.create_dataset(
        actor=analyst, name="半导体与通信", query="key:next-gen-it", strategy="field"
    )
    rows = set(
        FactIndustry.objects.filter(dataset=dataset).values_list("patent_id", "scheme", "code")
    )

    assert rows == {
        (corpus["wafer"], "sei_industry", "1"),
        (corpus["wafer"], "sei_category", "1.2"),
        (corpus["wafer"], "key_field", "integrated-circuits"),
        (corpus["wafer"], "key_field", "next-gen-it"),
        (corpus["network"], "sei_industry", "1"),
        (corpus["network"], "sei_category", "1.1"),
        (corpus["network"], "key_field", "next-gen-it"),
    }
    tables = database_tables(dataset.pk)
    params = MetricParams(as_of=DAY)
    industries = compute(METRICS["sei_industries"], tables, params)
    assert industries.rows == (
        ("1", 2, 1.0, "新一代信息技术产业", "New-generation information technology"),
    )
    key = compute(METRICS["key_fields"], tables, params)
    assert [row[:2] for row in key.rows] == [("next-gen-it", 2), ("integrated-circuits", 1)]


def test_an_edited_key_field_applies_to_new_datasets_only(analyst, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    before = services.create_dataset(
        actor=analyst, name="集成电路", query="key:integrated-circuits", strategy="field"
    )
    field = KeyField.objects.get(code="integrated-circuits")
    update_key_field(
        actor=personas[Role.BUREAU],
        key_field=field,
        name_zh="集成电路（不含存储器）",
        name_en=field.name_en,
        builds_on=[],
        rules="H01L21*  # 只算工艺",
        source=field.source,
    )

    after = services.create_dataset(
        actor=analyst, name="", query="key:integrated-circuits", strategy="field"
    )

    assert _members(after) == {corpus["wafer"]}
    assert after.query == "领域：集成电路（不含存储器）（重点产业）"
    assert (
        AuditEntry.objects.filter(action="landscape.dataset_created")
        .latest("id")
        .new_values["definition_version"]
        == 2
    )
    names = set(
        FactIndustry.objects.filter(dataset=before, scheme="key_field").values_list(
            "name_zh", flat=True
        )
    )
    assert names == {"集成电路", "新一代信息技术（含数字电视编解码）"}  # as frozen


def test_the_page_makes_a_dataset_from_a_field(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)

    page = client.get("/landscape/?field=key:ai").content.decode()
    assert 'value="key:ai" selected' in page
    response = client.post(
        "/landscape/", {"strategy": "field", "definition": "sei:1.1", "name": "", "query": ""}
    )

    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert _members(dataset) == {corpus["network"]}
    refused = client.post("/landscape/", {"strategy": "field", "definition": "", "query": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["definition"]


def test_a_snapshot_carries_the_industries(analyst, corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "snap"
    services.take_snapshot(actor=None, folder=folder, as_of=DAY)

    report = reports.snapshot_report(
        current_snapshot(folder),
        None,
        backend=Backend.DUCKDB,
        title="corpus",
        query="",
        names=["sei_categories", "key_fields"],
    )

    categories = {row[0]: row[1] for row in report.results[0].rows}
    assert categories == {"1.1": 1, "1.2": 1, "5.2": 1}
    assert "2 件专利不属于任何战略性新兴产业" in report.results[0].note_zh  # memory, battery


def test_a_snapshot_without_the_industries_asks_to_be_written_again(corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "old"
    services.take_snapshot(actor=None, folder=folder, as_of=DAY)
    (folder / "industries.parquet").unlink()

    with pytest.raises(InvalidInput) as raised:
        current_snapshot(folder)

    assert raised.value.code == "old_snapshot"


def test_a_snapshot_without_the_owner_key_asks_to_be_written_again(corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "old"
    services.take_snapshot(actor=None, folder=folder, as_of=DAY)
    owners = folder / "owners.parquet"
    pq.write_table(pq.read_table(owners).drop_columns(["key"]), owners)

    with pytest.raises(InvalidInput) as raised:
        current_snapshot(folder)

    assert raised.value.code == "old_snapshot"
    assert "owners.key" in raised.value.message

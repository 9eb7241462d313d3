"""Datasets: a search frozen with its facts, refined by hand, read back through Ibis."""

from __future__ import annotations

import datetime as dt

import pytest

from ipcore.access import Role
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
from ipops.corpus.tests.factories import cn_record, load, us_record
from ipops.errors import InvalidInput, NotPermitted
from ipops.landscape import queries, services
from ipops.landscape.backends import database_tables
from ipops.landscape.models import Dataset, DatasetPatent, DatasetTag, FactClass, FactPatent
from ipops.search import services as search_services

pytestmark = pytest.mark.django_db


def battery(
    serial: int, applicant: str, *, ipc: str = "H01M 4/525", **changes: object
) -> PatentRecord:
    return cn_record(
        serial,
        texts=(Text(TextField.TITLE, "zh", f"一种锂电池正极材料{serial}"),),
        parties=(Party(PartyRole.APPLICANT, 1, applicant),),
        classifications=(Classification(Scheme.IPC, ipc, 1, is_main=True),),
        **changes,
    )


def index(*records: PatentRecord) -> None:
    load(*records)
    search_services.apply_pending_changes()


@pytest.fixture
def analyst(personas):  # type: ignore[no-untyped-def]
    return personas[Role.PROVIDER]


def test_a_search_is_frozen_with_its_facts(analyst) -> None:  # type: ignore[no-untyped-def]
    index(
        battery(1, "宁德时代新能源科技股份有限公司"),
        battery(2, "比亚迪股份有限公司", ipc="H01M 10/0525"),
        cn_record(3, texts=(Text(TextField.TITLE, "zh", "电动汽车充电桩"),)),
    )
    dataset = services.create_dataset(
        actor=analyst, name="锂电池正极", query="锂电池", as_of=dt.date(2026, 11, 25)
    )
    assert (dataset.size, dataset.matched) == (2, 2)
    assert dataset.organization_id == analyst.organization_id
    assert FactPatent.objects.filter(dataset=dataset).count() == 2
    assert set(FactClass.objects.filter(dataset=dataset).values_list("subclass", flat=True)) == {
        "H01M"
    }
    entry = AuditEntry.objects.get(action="landscape.dataset_created")
    assert entry.new_values["size"] == 2


def test_ibis_reads_the_facts_on_the_request_connection(analyst) -> None:  # type: ignore[no-untyped-def]
    index(battery(1, "宁德时代新能源科技股份有限公司"), battery(2, "比亚迪股份有限公司"))
    dataset = services.create_dataset(actor=analyst, name="", query="锂电池")
    tables = database_tables(dataset.pk)
    patents = tables.patents.to_pyarrow().to_pylist()
    assert sorted(row["office"] for row in patents) == ["CN", "CN"]
    assert all(isinstance(row["application_date"], dt.date) for row in patents)
    owners = tables.owners.to_pyarrow().to_pylist()
    assert {row["name"] for row in owners} == {
        "宁德时代新能源科技股份有限公司",
        "比亚迪股份有限公司",
    }
    assert tables.classes.count().to_pyarrow().as_py() == 2


def test_refining_by_hand_moves_facts_with_the_membership(analyst) -> None:  # type: ignore[no-untyped-def]
    patents = load(battery(1, "甲公司"), battery(2, "乙公司"), us_record("10000001"))
    search_services.apply_pending_changes()
    dataset = services.create_dataset(actor=analyst, name="x", query="锂电池")
    first, _second, us = patents
    assert services.exclude_patents(actor=analyst, dataset=dataset, patent_ids=[first.pk]) == 1
    assert dataset.size == 1
    assert not FactPatent.objects.filter(dataset=dataset, patent_id=first.pk).exists()
    assert DatasetPatent.objects.get(dataset=dataset, patent=first).excluded
    changed = services.include_patents(actor=analyst, dataset=dataset, patent_ids=[first.pk, us.pk])
    assert changed == 2
    assert dataset.size == 3
    assert FactPatent.objects.filter(dataset=dataset).count() == 3
    assert DatasetPatent.objects.get(dataset=dataset, patent=us).origin == "hand"


def test_patents_are_tagged_and_found_by_their_tags(analyst) -> None:  # type: ignore[no-untyped-def]
    patents = load(battery(1, "甲公司"), battery(2, "乙公司"), us_record("10000001"))
    search_services.apply_pending_changes()
    dataset = services.create_dataset(actor=analyst, name="x", query="锂电池")
    first, second, outsider = patents
    # the full-width tag is kept as its NFKC form; a patent outside the dataset is ignored
    wide = " 核心专利（\uff21） "
    tagged = services.tag_patents(
        actor=analyst, dataset=dataset, patent_ids=[first.pk, outsider.pk], tag=wide
    )
    assert tagged == 1
    assert services.tag_patents(
        actor=analyst, dataset=dataset, patent_ids=[first.pk, second.pk], tag="核心专利(A)"
    ) == 1  # the first already has it
    services.tag_patents(actor=analyst, dataset=dataset, patent_ids=[second.pk], tag="竞争对手")
    assert queries.tags_of(dataset) == [("核心专利(A)", 2), ("竞争对手", 1)]
    core = queries.members_of(dataset, tag="核心专利(A)")
    assert sorted(m.patent_id for m in core) == sorted([first.pk, second.pk])
    assert queries.tags_by_patent(dataset, [second.pk]) == {second.pk: ["核心专利(A)", "竞争对手"]}
    untagged = services.tag_patents(
        actor=analyst, dataset=dataset, patent_ids=[first.pk], tag="核心专利(A)", remove=True
    )
    assert untagged == 1
    assert [m.patent_id for m in queries.members_of(dataset, tag="核心专利(A)")] == [second.pk]
    entries = AuditEntry.objects.filter(action="landscape.dataset_tagged").order_by("pk")
    assert [entry.new_values for entry in entries] == [
        {"tag": "核心专利(A)", "tagged": [first.pk]},
        {"tag": "核心专利(A)", "tagged": [second.pk]},
        {"tag": "竞争对手", "tagged": [second.pk]},
        {"tag": "核心专利(A)", "removed": [first.pk]},
    ]


def test_bad_tags_are_refused_and_change_nothing(analyst, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (patent,) = load(battery(1, "甲公司"))
    search_services.apply_pending_changes()
    dataset = services.create_dataset(actor=analyst, name="x", query="锂电池")
    for tag in ("   ", "长" * 21):
        with pytest.raises(InvalidInput) as refused:
            services.tag_patents(actor=analyst, dataset=dataset, patent_ids=[patent.pk], tag=tag)
        assert refused.value.code == "tag_length"
    monkeypatch.setattr(DatasetTag, "MAX_PER_DATASET", 1)
    services.tag_patents(actor=analyst, dataset=dataset, patent_ids=[patent.pk], tag="一")
    with pytest.raises(InvalidInput) as refused:
        services.tag_patents(actor=analyst, dataset=dataset, patent_ids=[patent.pk], tag="二")
    assert refused.value.code == "too_many_tags"
    assert list(DatasetTag.objects.values_list("tag", flat=True)) == ["一"]
    assert AuditEntry.objects.filter(action="landscape.dataset_tagged").count() == 1


def test_the_members_page_tags_and_filters(client_for, analyst) -> None:  # type: ignore[no-untyped-def]
    first, second = load(battery(1, "甲公司"), battery(2, "乙公司"))
    search_services.apply_pending_changes()
    dataset = services.create_dataset(actor=analyst, name="x", query="锂电池")
    client = client_for(Role.PROVIDER)
    url = f"/landscape/datasets/{dataset.pk}/"
    posted = client.post(
        f"{url}members/", {"patents": [first.pk], "action": "tag", "tag": "核心专利"}
    )
    assert posted.status_code == 302
    page = client.get(f"{url}?tag=核心专利").content.decode()
    assert "核心专利 (1)" in page
    assert first.publication_number in page and second.publication_number not in page
    refused = client.post(
        f"{url}members/", {"patents": [first.pk], "action": "tag", "tag": ""}, follow=True
    )
    assert "1 to 20 characters" in refused.content.decode() or "1 至 20" in refused.content.decode()


def test_a_dataset_by_patent_numbers(analyst) -> None:  # type: ignore[no-untyped-def]
    index(battery(1, "甲公司"), us_record("10000001"))
    dataset = services.create_dataset(
        actor=analyst,
        name="两件",
        query="CN113700001A, US 10,000,001 B2\nCN 113700001",
        strategy="hand",
    )
    assert dataset.size == 2
    with pytest.raises(InvalidInput, match="CN999"):
        services.create_dataset(actor=analyst, name="y", query="CN999", strategy="hand")


@pytest.mark.parametrize(
    ("query", "code"),
    [("(锂电池", "query_syntax"), ("不存在的词语组合", "empty_dataset"), ("", "query_syntax")],
)
def test_bad_searches_make_no_dataset(analyst, query: str, code: str) -> None:  # type: ignore[no-untyped-def]
    index(battery(1, "甲公司"))
    with pytest.raises(InvalidInput) as raised:
        services.create_dataset(actor=analyst, name="x", query=query)
    assert raised.value.code == code
    assert not Dataset.objects.exists()


def test_a_search_too_large_for_the_database_says_what_to_do(analyst, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    index(battery(1, "甲公司"), battery(2, "乙公司"))
    monkeypatch.setattr(services, "MAX_DATASET", 1)
    with pytest.raises(InvalidInput, match="snapshot") as raised:
        services.create_dataset(actor=analyst, name="x", query="锂电池")
    assert raised.value.code == "dataset_too_large"


def test_the_public_cannot_make_datasets() -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotPermitted):
        services.create_dataset(actor=AnonymousUser(), name="x", query="锂电池")


def test_deleting_a_dataset_removes_its_facts(analyst) -> None:  # type: ignore[no-untyped-def]
    index(battery(1, "甲公司"))
    dataset = services.create_dataset(actor=analyst, name="x", query="锂电池")
    services.delete_dataset(actor=analyst, dataset=dataset)
    assert not FactPatent.objects.exists()
    assert AuditEntry.objects.filter(action="landscape.dataset_deleted").count() == 1

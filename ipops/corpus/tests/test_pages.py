"""Patent pages: what they show, in Chinese, at a fixed query cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipcore.access import Role
from ipcore.patents.record import Classification, Party, PartyRole, Scheme
from ipops.corpus.quality import quality_report
from ipops.corpus.tests.factories import cn_record, granted_cn_record, load

pytestmark = pytest.mark.django_db


def queries_for(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_detail_page_explains_status_kind_classes_and_events(client) -> None:  # type: ignore[no-untyped-def]
    (patent,) = load(granted_cn_record())
    page = client.get(f"/patents/{patent.pk}/").content.decode()
    assert "一种锂电池正极材料及其制备方法1" in page
    assert "有效" in page  # in force: granted, fees assumed paid
    assert "发明专利授权公告" in page  # kind B explained
    assert "H01M 4/525" in page
    assert "上海张江智芯科技有限公司" in page
    assert "GR01" in page
    assert "下一笔年费" in page


def test_a_foreign_patent_says_its_status_is_not_computed(client) -> None:  # type: ignore[no-untyped-def]
    from ipops.corpus.tests.factories import us_record

    (patent,) = load(us_record())
    page = client.get(f"/patents/{patent.pk}/").content.decode()
    assert "本记录不作计算" in page


def test_the_detail_page_cost_does_not_grow_with_parts(client) -> None:  # type: ignore[no-untyped-def]
    (small,) = load(cn_record(1))
    parties = tuple(Party(PartyRole.INVENTOR, n, f"发明人{n}") for n in range(1, 30))
    classes = tuple(Classification(Scheme.IPC, f"H01M {n}/00", n) for n in range(1, 30))
    (large,) = load(cn_record(2, parties=parties, classifications=classes))
    assert queries_for(client, f"/patents/{small.pk}/") == queries_for(
        client, f"/patents/{large.pk}/"
    )


def test_the_list_cost_does_not_grow_with_patents(client) -> None:  # type: ignore[no-untyped-def]
    load(*(cn_record(n) for n in range(1, 6)))
    few = queries_for(client, "/patents/")
    load(*(cn_record(n) for n in range(6, 41)))
    assert queries_for(client, "/patents/") == few


def test_the_list_filters_by_subclass_and_refuses_a_malformed_one(client) -> None:  # type: ignore[no-untyped-def]
    load(cn_record(1))
    assert "H01M" in client.get("/patents/?subclass=H01M").content.decode()
    page = client.get("/patents/?subclass=H01").content.decode()
    assert "小类形如 H04W" in page


def test_the_quality_page_counts_sources_and_runs(client_for) -> None:  # type: ignore[no-untyped-def]
    load(cn_record(1))
    page = client_for(Role.BUREAU).get("/patents/quality/").content.decode()
    assert "按来源的完整度" in page
    assert "test" in page


def test_the_api_gives_a_whole_patent_with_its_status(client) -> None:  # type: ignore[no-untyped-def]
    (patent,) = load(granted_cn_record())
    body = client.get(f"/api/patents/{patent.pk}").json()
    assert body["application_number"] == "202111000001.0"
    assert body["legal_status"]["status"] == "in_force"
    assert [c["code"] for c in body["classifications"]] == ["H01M 4/525", "H01M 10/0525"]
    assert client.get("/api/patents?knid=CN").json()["code"] == "unknown_query_field"


def test_the_quality_page_shows_duplicates_and_what_the_last_import_changed(client_for) -> None:  # type: ignore[no-untyped-def]
    load(cn_record(1, application_number=None, application_date=None), source_name="titles")
    load(cn_record(1), cn_record(1), cn_record(2), source_name="xml")
    report = quality_report()
    assert (report.duplicates_in_files, report.merged_across_sources) == (1, 1)
    assert {p.key for p in report.changed_by_last_run} == {
        "CN:202111000001.0",
        "CN:202111000002.0",
    }
    page = client_for(Role.BUREAU).get("/patents/quality/").content.decode()
    assert "合并的重复记录" in page and "上次导入改动的专利" in page

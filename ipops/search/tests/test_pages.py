"""The search page, exports, saved searches, the API and `ipops search`, as users meet them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from ipcore.access import Role
from ipcore.patents.record import Text, TextField
from ipops.audit.models import AuditEntry
from ipops.corpus.tests.factories import cn_record, load, us_record
from ipops.search import services
from ipops.search.models import SavedSearch

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus() -> None:
    load(
        cn_record(1, texts=(Text(TextField.TITLE, "zh", "一种锂电池正极材料"),)),
        cn_record(2, texts=(Text(TextField.TITLE, "zh", "锂电池隔膜"),)),
        us_record("10000001", texts=(Text(TextField.TITLE, "en", "Drone landing gear"),)),
    )
    services.apply_pending_changes()


def test_the_public_searches_and_sees_highlights_facets_and_parsed_query(client, corpus) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/search/", {"q": "电池 AND CC=CN"}).content.decode()
    assert "<mark>电池</mark>" in page
    assert "2 件专利" in page
    assert "TAC:电池 AND CC:CN" in page  # how the query was read
    assert "受理局" in page  # a facet heading
    assert "导出 CSV" not in page  # exports and saving need an account
    assert 'href="?q=' in page and "??" not in page  # facet links refine the query


def test_a_bad_query_is_explained_on_the_page(client, corpus) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search/", {"q": "TI=(电池 OR"})
    assert response.status_code == 200
    assert "第 10 列" in response.content.decode()


def test_htmx_gets_only_the_results(client, corpus) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/search/", {"q": "电池"}, headers={"HX-Request": "true"})
    assert "<textarea" not in response.content.decode()
    assert "<mark>电池</mark>" in response.content.decode()


def test_export_the_whole_result_set(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ENTERPRISE)
    response = client.get("/search/export.csv", {"q": "电池"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "号码"
    assert {row[0] for row in rows[1:]} == {"CN113700001A", "CN113700002A"}
    workbook = load_workbook(io.BytesIO(b"".join(client.get("/search/export.xlsx", {"q": "电池"}))))
    assert workbook.active.max_row == 3


def test_a_bad_export_query_goes_back_to_the_page_with_the_reason(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.ENTERPRISE).get("/search/export.csv", {"q": "TI=("})
    assert response.status_code == 302


def test_save_run_and_count_new_patents(client_for, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    response = client.post("/search/saved/", {"name": "锂电", "query": "锂电池", "mode": "keyword"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert client.post(f"/search/saved/{saved.pk}/run/").status_code == 302
    saved.refresh_from_db()
    assert saved.last_total == 2
    load(cn_record(3, texts=(Text(TextField.TITLE, "zh", "固态锂电池"),)))
    services.apply_pending_changes()
    page = client.get("/search/saved/").content.decode()
    assert "+1" in page
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"search.saved", "search.run"} <= actions


def test_a_saved_search_must_read_and_be_named_once(client_for, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    page = client.post("/search/saved/", {"name": "x", "query": "TI=(", "mode": "keyword"})
    assert "第 5 列" in page.content.decode()
    client.post("/search/saved/", {"name": "x", "query": "电池", "mode": "keyword"})
    again = client.post("/search/saved/", {"name": "x", "query": "锂", "mode": "keyword"})
    assert "同名" in again.content.decode()
    assert SavedSearch.objects.count() == 1


def test_someone_elses_saved_search_is_not_found(client_for, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    saved = SavedSearch.objects.create(owner=personas[Role.BANK], name="mine", query="电池")
    client = client_for(Role.ENTERPRISE)
    assert client.post(f"/search/saved/{saved.pk}/run/").status_code == 404
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_api_searches_and_explains_errors(client, corpus) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/search", {"q": "电池", "sort": "newest", "limit": 1}).json()
    assert body["total"] == 2 and len(body["results"]) == 1 and body["next_cursor"]
    second = client.get(
        "/api/search", {"q": "电池", "sort": "newest", "limit": 1, "cursor": body["next_cursor"]}
    ).json()
    assert second["results"][0]["id"] != body["results"][0]["id"]
    error = client.get("/api/search", {"q": "TI=(电池"})
    assert error.status_code == 422
    assert error.json()["code"] == "query_syntax"
    assert error.json()["details"]["column"] == 7
    assert client.get("/api/search", {"q": "x", "qq": "1"}).json()["code"] == "unknown_query_field"


def test_the_api_saves_searches_for_their_owner(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BANK)
    created = client.post(
        "/api/saved-searches",
        {"name": "drones", "query": "drone"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert [s["name"] for s in client.get("/api/saved-searches").json()] == ["drones"]
    assert client.delete(f"/api/saved-searches/{created.json()['id']}").status_code == 204


def test_the_command_line_searches(corpus, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("search", "锂电池 NOT 隔膜", "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["total"] == 1
    assert body["results"][0]["number"] == "CN113700001A"
    with pytest.raises(CommandError, match=r"第 5 列|column 5"):
        call_command("search", "TI=(")


def test_reindex_rebuilds_and_applies_queued_changes(corpus, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("reindex")
    assert "3 documents" in capsys.readouterr().out
    load(us_record("10000002"))
    call_command("reindex", "--pending")
    assert "4 documents" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="search.index_rebuilt").count() == 1

"""Risk screening and organisation profiles over HTTP (pages, files, API) and the command
line, on the demo cut of real drone patents."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ipcore.access import Role
from ipcore.landscape.screening import DISCLAIMER_EN, DISCLAIMER_ZH
from ipops.landscape.models import Dataset
from ipops.landscape.profiles import find_organisations
from ipops.landscape.tests.evaluation_corpus import load_evaluation_corpus

pytestmark = pytest.mark.django_db

FOLDING = {
    "description": "A drone whose propeller arms fold so that it flies folded or deployed",
    "office": "US",
    "as_of": "2026-11-25",
    "limit": "10",
}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    return load_evaluation_corpus(tmp_path, monkeypatch=monkeypatch)


@pytest.fixture
def indexed(tmp_path: Path) -> dict[str, int]:
    return load_evaluation_corpus(tmp_path, embed=False)


# --- the screening page -------------------------------------------------------------------------


def test_the_page_shows_the_form_and_the_disclaimer_in_both_languages(client_for, indexed) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.ENTERPRISE).get("/landscape/screening/")
    assert page.status_code == 200
    text = page.content.decode()
    assert DISCLAIMER_ZH in text and DISCLAIMER_EN in text
    assert '<option value="US">US (' in text  # the offices the corpus holds, with counts


def test_without_a_search_index_the_page_says_what_to_run(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    page = client.get(f"/landscape/screening/?{urlencode(FOLDING)}")
    assert page.status_code == 200
    assert "ipops reindex" in page.content.decode()
    api = client.post("/api/landscape/screening", FOLDING, content_type="application/json")
    assert api.status_code == 503 and api.json()["code"] == "search_index_missing"


def test_a_screening_lists_patents_with_status_basis_and_passages(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.PROVIDER).get(f"/landscape/screening/?{urlencode(FOLDING)}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "US10870478B2" in text and "Korea Aerospace Research Institute" in text
    assert "<mark>drone</mark>" in text
    assert 'name="numbers" value="US10870478B2" checked' in text  # in force: ticked
    assert 'name="numbers" value="US2012292430A1">' in text  # pending: not ticked
    assert "screening.csv?" in text and "screening.xlsx?" in text


def test_bad_input_is_shown_on_the_form(client_for, indexed) -> None:  # type: ignore[no-untyped-def]
    query = urlencode({**FOLDING, "classes": "B64C not-a-class", "filed_from": "2020-01-01",
                       "filed_to": "2019-01-01"})  # fmt: skip
    page = client_for(Role.PROVIDER).get(f"/landscape/screening/?{query}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "not-a-class" in text and "errorlist" in text
    assert "US10870478B2" not in text


def test_the_files_carry_the_disclaimer_the_parameters_and_the_rows(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    # The column names in English (they follow the reader's language, Chinese by default).
    client.cookies["django_language"] = "en"
    response = client.get(f"/landscape/screening.csv?{urlencode(FOLDING)}")
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff" + DISCLAIMER_ZH)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == [DISCLAIMER_EN]
    header = rows.index(next(row for row in rows if len(row) > 10))
    first = dict(zip(rows[header], rows[header + 1], strict=True))
    assert first["Number"] == "US10870478B2"
    assert "【drone】" in first["Matched passages"]
    xlsx = client.get(f"/landscape/screening.xlsx?{urlencode(FOLDING)}")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Patents", "About"]
    assert book["Patents"]["C2"].value == "US10870478B2"
    assert book["About"]["A1"].value == DISCLAIMER_ZH
    assert client.get("/landscape/screening.pdf").status_code == 404


def test_ticked_patents_are_kept_as_a_dataset_in_a_project(client_for, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    from ipops.landscape.services import create_project

    project = create_project(
        actor=personas[Role.PROVIDER], name="出口美国", kind="evaluation_market_risk"
    )
    client = client_for(Role.PROVIDER)
    response = client.post(
        "/landscape/screening/save/",
        {
            "name": "折叠无人机",
            "numbers": ["US10870478B2", "US2012292430A1"],
            "description": "Risk screening at US",
            "back": urlencode(FOLDING),
            "project": project.pk,
        },
    )
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and response.url == f"/landscape/datasets/{dataset.pk}/"
    assert (dataset.name, dataset.size) == ("折叠无人机", 2)
    assert list(project.datasets.all()) == [dataset]
    nothing = client.post("/landscape/screening/save/", {"name": "x", "back": urlencode(FOLDING)})
    assert nothing.status_code == 302 and "/landscape/screening/?" in nothing.url
    assert Dataset.objects.count() == 1


# --- organisation profiles ----------------------------------------------------------------------


def test_organisations_are_found_and_profiled(client_for, indexed) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BANK)
    found = client.get("/landscape/organisations/?q=parrot").content.decode()
    parrot = next(m.id for m in find_organisations(None, "parrot") if m.name == "PARROT")
    assert f'href="/landscape/organisations/{parrot}/"' in found
    page = client.get(f"/landscape/organisations/{parrot}/?as_of=2026-11-25")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="portfolio_standing"' in text and 'id="filing_trend"' in text
    assert "landscape/report.js" in text
    book = load_workbook(
        io.BytesIO(client.get(f"/landscape/organisations/{parrot}/profile.xlsx").content)
    )
    assert len(book.sheetnames) > 5
    data = json.loads(client.get(f"/landscape/organisations/{parrot}/profile.json").content)
    assert data["size"] == 3
    assert client.get("/landscape/organisations/999999999/").status_code == 404
    assert client.get(f"/landscape/organisations/{parrot}/profile.doc").status_code == 404


# --- API ----------------------------------------------------------------------------------------


def test_the_api_screens_profiles_and_keeps(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    body = {**FOLDING, "limit": 5}
    answer = client.post("/api/landscape/screening", body, content_type="application/json")
    assert answer.status_code == 200
    data = answer.json()
    first = data["in_force"][0]
    assert (first["number"], first["standing"], first["basis"]) == (
        "US10870478B2",
        "in_force",
        "estimated",
    )
    assert first["passages"][0]["fragments"]
    assert data["disclaimer_en"] == DISCLAIMER_EN
    wrong = client.post(
        "/api/landscape/screening", {**body, "office": "ZZ"}, content_type="application/json"
    )
    assert wrong.status_code == 422 and "office" in wrong.json()["details"]
    kept = client.post(
        "/api/landscape/screening/dataset",
        {"name": "api", "numbers": ["US10870478B2"]},
        content_type="application/json",
    )
    assert kept.status_code == 201 and kept.json()["size"] == 1
    found = client.get("/api/landscape/organisations?q=parrot").json()
    assert found[0]["name"] == "PARROT"
    profile = client.get(f"/api/landscape/organisations/{found[0]['id']}/profile").json()
    assert profile["standings"]["in_force"] == 2
    assert client.get("/api/landscape/organisations?q=x&kind=y").status_code == 422


# --- command line -------------------------------------------------------------------------------


def test_ipops_screen_prints_writes_and_refuses(corpus, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "screening.csv"
    call_command("screen", FOLDING["description"], "--office", "us", "--as-of", "2026-11-25",
                 "--limit", "5", "--out", str(out))  # fmt: skip
    printed = capsys.readouterr().out
    assert DISCLAIMER_ZH in printed and "US10870478B2" in printed
    assert "US10870478B2" in out.read_text(encoding="utf-8")
    call_command("screen", FOLDING["description"], "--office", "US", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["in_force"][0]["number"] == "US10870478B2"
    with pytest.raises(CommandError, match="ZZ"):
        call_command("screen", "drone", "--office", "ZZ")
    with pytest.raises(CommandError, match=r"\.csv, \.xlsx"):
        call_command("screen", "drone", "--office", "US", "--out", str(tmp_path / "x.pdf"))


def test_ipops_profile_by_name_or_id(indexed, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="give one as #ID"):
        call_command("profile", "parr")  # PARROT and PARROT S A, neither exactly
    call_command("profile", "PARROT", "--as-of", "2026-11-25")
    printed = capsys.readouterr().out
    assert "PARROT" in printed and "3 patents" in printed and "2 in force" in printed
    (korea,) = find_organisations(None, "Korea Aerospace")
    out = tmp_path / "profile.xlsx"
    call_command("profile", f"#{korea.id}", "--json", "--out", str(out))
    data = json.loads(capsys.readouterr().out)
    assert (data["size"], data["estimated"]) == (1, 1)
    assert out.stat().st_size > 0
    with pytest.raises(CommandError, match="no organisation"):
        call_command("profile", "不存在的公司")


# --- query counts are a contract ----------------------------------------------------------------


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_a_screening_costs_the_same_queries_for_2_rows_or_50(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    few = _queries(client, f"/landscape/screening/?{urlencode({**FOLDING, 'limit': '2'})}")
    many = _queries(client, f"/landscape/screening/?{urlencode({**FOLDING, 'limit': '50'})}")
    assert few == many == 16, (few, many)


def test_a_profile_costs_a_fixed_number_of_queries(client_for, indexed) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    (korea,) = find_organisations(None, "Korea Aerospace")
    parrot = next(m.id for m in find_organisations(None, "parrot") if m.name == "PARROT")
    # What is read depends on what the portfolio holds, never on how many patents: a US
    # grant; then two CN grants and an EP application (CN lives and legal events, priorities).
    # One of them reads the stored value scores.
    assert _queries(client, f"/landscape/organisations/{korea.id}/") == 16
    assert _queries(client, f"/landscape/organisations/{parrot}/") == 19
    # as of 2010 only the EP application existed: the same reads, fewer metrics with data
    assert _queries(client, f"/landscape/organisations/{parrot}/?as_of=2010-01-01") == 18

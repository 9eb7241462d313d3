"""Reports end to end: pages, files, the API and `ipops landscape`/`ipops snapshot`, on the
live database and on DuckDB over a snapshot — the same numbers from both."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from ipcore.access import Role
from ipcore.landscape.metrics import (
    METRICS,
    PREPARED,
    compiled_count,
    forget_compiled,
    prepared_version,
)
from ipcore.landscape.metrics import _compiled as compiled
from ipcore.patents.record import Party, PartyRole, PatentRecord, Text, TextField
from ipops.corpus.tests.factories import cn_record, load, us_record
from ipops.landscape import services
from ipops.landscape.backends import Backend, current_snapshot, snapshot_tables
from ipops.landscape.models import Dataset
from ipops.landscape.reports import dataset_report
from ipops.search import services as search_services
from ipops.warmup import STEPS, warm_up

pytestmark = pytest.mark.django_db


def battery(serial: int, applicant: str, year: int) -> PatentRecord:
    import datetime as dt

    return cn_record(
        serial,
        application_date=dt.date(year, 3, 1),
        texts=(Text(TextField.TITLE, "zh", f"一种锂电池正极材料{serial}"),),
        parties=(
            Party(PartyRole.APPLICANT, 1, applicant, country="CN", address="上海市浦东新区"),
            Party(PartyRole.INVENTOR, 1, f"发明人{serial % 3}"),
        ),
    )


@pytest.fixture
def corpus() -> None:
    load(
        battery(1, "宁德时代新能源科技股份有限公司", 2019),
        battery(2, "宁德时代新能源科技股份有限公司", 2020),
        battery(3, "比亚迪股份有限公司", 2020),
        battery(4, "上海张江智芯科技有限公司", 2021),
        us_record("10000001", texts=(Text(TextField.TITLE, "en", "Lithium battery cathode"),)),
    )
    search_services.apply_pending_changes()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def metric(report: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(m for m in report["metrics"] if m["name"] == name)


def test_the_report_page_and_its_files(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    response = client.post(
        "/landscape/", {"name": "锂电池", "strategy": "keyword", "query": "锂电池"}
    )
    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/landscape/datasets/{dataset.pk}/"
    assert dataset.size == 4
    page = client.get(f"/landscape/datasets/{dataset.pk}/report/").content.decode()
    assert "宁德时代新能源科技股份有限公司" in page
    assert "/static/vendor/echarts" in page
    english = client.get(f"/landscape/datasets/{dataset.pk}/report/?lang=en").content.decode()
    assert "Patent landscape report" in english
    html = client.get(f"/landscape/datasets/{dataset.pk}/report.html")
    assert "attachment" in html["Content-Disposition"]
    assert "https://" not in html.content.decode().split("<body", 1)[1][:2000]
    xlsx = client.get(f"/landscape/datasets/{dataset.pk}/report.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert len(workbook.sheetnames) > 10


def test_a_bad_query_is_a_message_on_the_form(client_for, corpus) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.PROVIDER).post(
        "/landscape/", {"name": "x", "strategy": "keyword", "query": "TI=(锂电池"}
    )
    assert page.status_code == 200
    assert "第 4 列" in page.content.decode()  # where the query went wrong
    assert not Dataset.objects.exists()


def test_excluding_a_patent_changes_the_report(client_for, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    dataset = services.create_dataset(actor=personas[Role.PROVIDER], name="x", query="锂电池")
    before = client.get(f"/api/landscape/datasets/{dataset.pk}/report").json()
    byd = dataset.members.get(patent__first_owner="比亚迪股份有限公司").patent_id
    response = client.post(
        f"/landscape/datasets/{dataset.pk}/members/", {"patents": [byd], "action": "exclude"}
    )
    assert response.status_code == 302
    after = client.get(f"/api/landscape/datasets/{dataset.pk}/report").json()
    assert (before["size"], after["size"]) == (4, 3)
    owners = {row[0] for row in metric(after, "top_owners")["rows"]}
    assert "比亚迪股份有限公司" not in str(owners)


def test_the_command_line_report_on_the_database_and_on_duckdb_agree(
    corpus: None, tmp_path: Path
) -> None:
    from_db = json.loads(run("landscape", "锂电池", "--json"))
    assert from_db["size"] == 4
    assert from_db["backend"] == "db"
    run("snapshot", "--out", str(tmp_path / "snap"))
    from_duckdb = json.loads(
        run(
            "landscape",
            "锂电池",
            "--backend",
            "duckdb",
            "--snapshot",
            str(tmp_path / "snap"),
            "--json",
        )
    )
    assert from_duckdb["backend"] == "duckdb"
    for name in ("filing_trend", "top_owners", "concentration", "classification_mix_subclass"):
        assert metric(from_db, name)["rows"] == metric(from_duckdb, name)["rows"], name
    whole = json.loads(
        run("landscape", "--backend", "duckdb", "--snapshot", str(tmp_path / "snap"), "--json")
    )
    assert whole["size"] == 5  # an empty query: the whole snapshot, the US patent included


def test_a_snapshot_is_read_from_its_duckdb_file_and_without_it_from_parquet(
    corpus: None, tmp_path: Path
) -> None:
    run("snapshot", "--out", str(tmp_path / "snap"))
    database = tmp_path / "snap" / "facts.duckdb"
    assert database.is_file()
    snapshot = current_snapshot(tmp_path / "snap")
    assert snapshot.prepared == prepared_version()
    assert set(snapshot_tables(snapshot, backend=Backend.DUCKDB).prepared) == set(PREPARED)
    assert not snapshot_tables(snapshot, [1], backend=Backend.DUCKDB).prepared
    args = ("landscape", "锂电池", "--backend", "duckdb", "--snapshot", str(tmp_path / "snap"))
    from_database = json.loads(run(*args, "--json"))
    whole = json.loads(run(*args[:1], *args[2:], "--json"))  # from the prepared tables
    database.unlink()  # as an older ipops wrote it: the Parquet files loaded into memory
    assert json.loads(run(*args, "--json"))["metrics"] == from_database["metrics"]
    assert json.loads(run(*args[:1], *args[2:], "--json"))["metrics"] == whole["metrics"]


def test_a_dataset_report_runs_the_sql_compiled_for_another_dataset(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    analyst = personas[Role.PROVIDER]
    first = services.create_dataset(actor=analyst, name="a", query="锂电池")
    second = services.create_dataset(
        actor=analyst, name="b", query="CN113700002A\nCN113700003A", strategy="hand"
    )
    forget_compiled()
    dataset_report(first)
    kept = compiled_count()
    assert kept > len(METRICS) / 2  # the metrics that could run, and the coverage
    reused = dataset_report(second)
    assert compiled_count() == kept
    forget_compiled()
    assert reused.results == dataset_report(second).results
    assert reused.results != dataset_report(first).results


def test_a_warmed_up_worker_compiles_nothing_for_its_first_report(  # type: ignore[no-untyped-def]
    personas, corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = services.create_dataset(actor=personas[Role.PROVIDER], name="a", query="锂电池")
    forget_compiled()
    assert set(warm_up()) == set(STEPS)  # every step, none failed
    assert compiled_count() == len(METRICS) + 1  # and the coverage

    def compile_again(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("compiled again")

    with monkeypatch.context() as patched:
        patched.setattr(compiled, "_compile", compile_again)
        warmed = dataset_report(dataset)
    forget_compiled()
    assert warmed.results == dataset_report(dataset).results


def test_a_step_that_fails_leaves_the_worker_cold_not_broken(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("no database yet")

    monkeypatch.setitem(STEPS, "landscape report queries", broken)
    assert set(warm_up()) == set(STEPS) - {"landscape report queries"}
    assert "warming up landscape report queries failed" in caplog.text


def test_the_command_line_writes_files(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = run("landscape", "锂电池", "--out", str(tmp_path / "report.html"), "--lang", "en")
    assert "written:" in out
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Patent landscape report" in html and "echarts" in html
    run("landscape", "--dataset", str(Dataset.objects.get().pk), "--out", str(tmp_path / "r.xlsx"))
    assert openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True).sheetnames


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("landscape", "TI=(锂电池"), "第 4 列|column 4"),
        (("landscape", "锂电池", "--out", "report.pptx"), ".pptx"),
        (("landscape", "--backend", "duckdb", "--snapshot", "/nonexistent"), "snapshot"),
        (("landscape",), "QUERY"),
        (("landscape", "--dataset", "999"), "no dataset"),
    ],
)
def test_command_line_mistakes_are_clear_errors(
    corpus: None, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)

"""Topic clusters in landscape reports, end to end: real titles from the demo corpus (see
demo/corpus/PROVENANCE.md) embedded by the real model, the section on the report page, in the
API, the XLSX and the snapshot backends, and what it says without vectors."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command

from ipcore.access import Role
from ipcore.landscape.topics import section as topics
from ipcore.landscape.topics import topic_count
from ipcore.patents.record import (
    Classification,
    Party,
    PartyRole,
    PatentRecord,
    Publication,
    Scheme,
    Text,
    TextField,
)
from ipops.corpus.tests.factories import cn_record, load, us_record
from ipops.landscape import reports, services
from ipops.landscape.models import Dataset, ReportTask
from ipops.landscape.rendering.browser import browser_available
from ipops.search import embedder, semantic
from ipops.search import services as search_services

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "demo" / "corpus"
DRONE = re.compile(r"\b(drone|unmanned aerial|uav)s?\b", re.IGNORECASE)
PER_GROUP = 12


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    embedder.model()  # once per process (~2 s)


def cn_titles(subclass: str) -> list[str]:
    with gzip.open(DEMO / "cn-titles-sample.csv.gz", "rt", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        found = [r["title"] for r in rows if r["ipc_subclasses"].split("|")[0] == subclass]
    return found[:PER_GROUP]


def drone_titles() -> list[str]:
    with gzip.open(DEMO / "lens-drones-sample.csv.gz", "rt", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        found = [r["Title"] for r in rows if r["Jurisdiction"] == "US" and DRONE.search(r["Title"])]
    return found[:PER_GROUP]


def chinese(serial: int, title: str, applicant: str, year: int, code: str) -> PatentRecord:
    return cn_record(
        serial,
        application_date=dt.date(year, 4, 1),
        publications=(Publication(f"CN1137{serial:05d}", "A", dt.date(year + 1, 10, 1)),),
        texts=(Text(TextField.TITLE, "zh", title),),
        classifications=(Classification(Scheme.IPC, code, 1, is_main=True),),
        parties=(Party(PartyRole.APPLICANT, 1, applicant, country="CN"),),
    )


def english(number: int, title: str, year: int) -> PatentRecord:
    return us_record(
        str(number),
        application_date=dt.date(year, 4, 1),
        texts=(Text(TextField.TITLE, "en", title),),
        classifications=(Classification(Scheme.CPC, "B64C 39/024", 1, is_main=True),),
        parties=(Party(PartyRole.OWNER, 1, "SZ DJI Technology Co Ltd", country="CN"),),
    )


GROUPS = ("battery", "farm", "drone")


@pytest.fixture
def corpus() -> dict[str, str]:
    """36 patents in three groups, embedded; the group of each by its number."""
    records, groups = [], {}
    for i, title in enumerate(cn_titles("H01M")):
        records.append(
            chinese(i + 1, title, "宁德时代新能源科技股份有限公司", 2014 + i % 6, "H01M 10/00")
        )
        groups[f"CN1137{i + 1:05d}A"] = "battery"
    for i, title in enumerate(cn_titles("A01G")):
        records.append(chinese(100 + i, title, "中国农业大学", 2010 + i % 5, "A01G 9/00"))
        groups[f"CN1137{100 + i:05d}A"] = "farm"
    for i, title in enumerate(drone_titles()):
        records.append(english(10_000_000 + i, title, 2015 + i % 6))
        groups[f"US{10_000_000 + i}B2"] = "drone"
    assert len(records) == 3 * PER_GROUP
    load(*records)
    search_services.apply_pending_changes()
    semantic.embed_pending()
    return groups


def late_arrivals() -> None:
    """Three more batteries, loaded after the embedding pass: no vectors yet."""
    load(
        *(
            chinese(900 + i, f"一种锂离子电池隔膜{i}", "比亚迪股份有限公司", 2020, "H01M 50/40")
            for i in range(3)
        )
    )
    search_services.apply_pending_changes()


def make_dataset(personas) -> Dataset:  # type: ignore[no-untyped-def]
    return services.create_dataset(
        actor=personas[Role.PROVIDER], name="三个主题", query="CC=(CN OR US)"
    )


def test_the_report_page_shows_the_topics_and_their_map(client_for, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    late_arrivals()
    dataset = make_dataset(personas)
    assert dataset.size == 39
    page = client_for(Role.PROVIDER).get(f"/landscape/datasets/{dataset.pk}/report/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "技术主题聚类" in text and '"type": "map"' in text
    assert "3 件专利尚未生成向量，未参与聚类。" in text
    assert "按语义相似度，专利聚为" in text  # the generated finding
    english = client_for(Role.PROVIDER).get(f"/landscape/datasets/{dataset.pk}/report/?lang=en")
    assert "Topic clusters" in english.content.decode()


def test_each_topic_gathers_one_group_and_is_named_by_its_titles(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset(personas)
    result = reports.dataset_report(dataset).result(topics.NAME)
    assert result is not None and result.applicable, result and result.note_en
    records = result.records()
    assert len(records) == topic_count(36) == 4
    assert sum(r["patents"] for r in records) == 36  # type: ignore[misc]
    for record in records:
        numbers = [part.split(" ")[0] for part in str(record["examples"]).split("; ")]
        assert len({corpus[number] for number in numbers}) == 1, record  # one group's examples
    labels = " ".join(f"{r['label_zh']} {r['label_en']}" for r in records)
    assert "电池" in labels and re.search(r"drone", labels, re.IGNORECASE)
    farm = next(r for r in records if corpus[str(r["examples"]).split(" ")[0]] == "farm")
    assert str(farm["top_owners"]).startswith("中国农业大学 (")
    assert 2010 <= int(farm["first_year"]) <= int(farm["last_year"]) <= 2014  # type: ignore[arg-type]


def test_the_same_topics_on_the_database_and_on_a_snapshot(personas, corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset(personas)
    from_db = reports.dataset_report(dataset).result(topics.NAME)
    call_command(
        "snapshot", "--out", str(tmp_path / "snap"), stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert (tmp_path / "snap" / "vectors.parquet").is_file()
    out = io.StringIO()
    call_command(
        "landscape",
        "--dataset",
        str(dataset.pk),
        "--backend",
        "duckdb",
        "--snapshot",
        str(tmp_path / "snap"),
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )
    from_duckdb = next(m for m in json.loads(out.getvalue())["metrics"] if m["name"] == topics.NAME)
    assert from_db is not None and from_duckdb["applicable"]
    assert [row[:5] for row in from_duckdb["rows"]] == [
        [*row[:4], pytest.approx(row[4])] for row in from_db.rows
    ]


def test_a_snapshot_without_vectors_says_to_write_it_again(personas, corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command(
        "snapshot", "--out", str(tmp_path / "snap"), stdout=io.StringIO(), stderr=io.StringIO()
    )
    (tmp_path / "snap" / "vectors.parquet").unlink()  # as an older ipops wrote it
    out = io.StringIO()
    call_command(
        "landscape",
        "--backend",
        "duckdb",
        "--snapshot",
        str(tmp_path / "snap"),
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )
    found = next(m for m in json.loads(out.getvalue())["metrics"] if m["name"] == topics.NAME)
    assert not found["applicable"] and "ipops snapshot" in found["note_en"]
    assert json.loads(out.getvalue())["size"] == 36  # the other metrics are computed as before


def test_without_any_vector_the_section_says_to_embed(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    load(
        *(
            chinese(i + 1, title, "宁德时代", 2018, "H01M 10/00")
            for i, title in enumerate(cn_titles("H01M"))
        )
    )
    search_services.apply_pending_changes()
    dataset = make_dataset(personas)
    text = (
        client_for(Role.PROVIDER).get(f"/landscape/datasets/{dataset.pk}/report/").content.decode()
    )
    assert topics.NO_VECTORS.zh in text
    api = client_for(Role.PROVIDER).get(f"/api/landscape/datasets/{dataset.pk}/report").json()
    found = next(m for m in api["metrics"] if m["name"] == topics.NAME)
    assert found["applicable"] is False and "ipops embed" in found["note_en"]


def test_the_workbook_has_a_sheet_of_topics(client_for, personas, corpus) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset(personas)
    xlsx = client_for(Role.PROVIDER).get(f"/landscape/datasets/{dataset.pk}/report.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert topics.STEP.title_zh in workbook.sheetnames
    rows = list(workbook[topics.STEP.title_zh].iter_rows(values_only=True))
    assert any(row and "主题词" in [str(cell) for cell in row] for row in rows)


def test_a_report_task_names_the_topic_step_while_it_runs(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    dataset = make_dataset(personas)
    task = services.request_report(
        actor=personas[Role.PROVIDER], dataset=dataset, file_format="xlsx"
    )
    total = len(reports.SECTIONS)
    ReportTask.objects.filter(pk=task.pk).update(
        status="running",
        step="computing",
        metric=topics.NAME,
        metric_number=total,
        metric_total=total,
    )
    task.refresh_from_db()
    from django.utils import translation

    with translation.override("en"):
        assert task.step_text() == f"Metric {total}/{total}: Topic clusters"


# --- rendering ------------------------------------------------------------------------------


def test_the_map_chart_places_each_topic_sized_by_its_patents(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    from ipops.landscape.rendering.charts import chart_spec
    from ipops.landscape.rendering.tables import visible_columns

    result = reports.dataset_report(make_dataset(personas)).result(topics.NAME)
    assert result is not None
    spec = chart_spec(result, "zh-hans")
    assert spec is not None and spec["type"] == "map" and spec["value_title"] == "专利数"
    points = spec["points"]
    assert [p["patents"] for p in points] == [r["patents"] for r in result.records()]
    assert all(-1.0 <= p["x"] <= 1.0 and -1.0 <= p["y"] <= 1.0 for p in points)
    assert points[0]["name"].startswith("1 ") and points[0]["short"].startswith("1 ")
    shown = [column.name for _i, column in visible_columns(result, "zh-hans")]
    assert "label_zh" in shown and "label_en" not in shown


@pytest.mark.skipif(
    not browser_available(),
    reason="Chromium not found (apt-get install chromium, or set IPOPS_CHROMIUM)",
)
def test_chromium_draws_the_map_for_the_docx(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    from ipops.landscape.rendering.browser import chart_images
    from ipops.landscape.rendering.pdf import export_html

    computed = reports.dataset_report(make_dataset(personas), names=[topics.NAME])
    images = chart_images(export_html(computed, language="zh-hans", renderer="canvas"))
    assert list(images) == ["landscape-data-topic_clusters"]
    assert images["landscape-data-topic_clusters"].startswith(b"\x89PNG")
    from ipops.landscape.rendering.pdf import pdf_bytes
    from ipops.landscape.tests.test_exports import pdf_text

    assert "技术主题聚类" in pdf_text(pdf_bytes(computed))  # the map printed as SVG, and its table

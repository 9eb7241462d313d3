"""Report files: DOCX and PDF, the browser they need, and report tasks written in the
background with their progress, their page and their permission-checked download.

Tests marked ``browser`` drive Chromium and skip with a message where there is none; the
DOCX's structure is also tested without one, with stand-in chart images.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from ipcore.access import Role
from ipcore.landscape.metrics import METRICS
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.errors import InvalidInput
from ipops.landscape import reports, services
from ipops.landscape.models import Dataset, ReportTask
from ipops.landscape.rendering import browser, fonts
from ipops.landscape.rendering.docx import write_docx
from ipops.landscape.rendering.html import render_html
from ipops.landscape.tests.test_rendering import ALL, report
from ipops.landscape.tests.test_reports import battery


@pytest.fixture
def corpus(db) -> None:  # type: ignore[no-untyped-def]
    """Four Chinese lithium-battery patents of three applicants, searchable."""
    from ipops.corpus.tests.factories import load
    from ipops.search import services as search_services

    load(
        battery(1, "宁德时代新能源科技股份有限公司", 2019),
        battery(2, "宁德时代新能源科技股份有限公司", 2020),
        battery(3, "比亚迪股份有限公司", 2020),
        battery(4, "上海张江智芯科技有限公司", 2021),
    )
    search_services.apply_pending_changes()


needs_chromium = pytest.mark.skipif(
    not browser.browser_available(),
    reason="Chromium not found (apt-get install chromium, or set IPOPS_CHROMIUM)",
)
CHARTS = ("filing_trend", "top_owners", "geography_office", "field_by_year", "co_ownership")


def png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (white), standing in for a chart image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def stand_in_images() -> dict[str, bytes]:
    return {f"landscape-data-{name}": png() for name in CHARTS}


def document_text(document: docx.document.Document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


# --- DOCX ---------------------------------------------------------------------------------


def test_the_docx_has_headings_the_generated_findings_images_and_word_tables() -> None:
    out = io.BytesIO()
    write_docx(report(*ALL), out, images=stand_in_images())
    document = docx.Document(io.BytesIO(out.getvalue()))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert "1  申请趋势" in headings and "8  引用分析" in headings
    assert document.core_properties.title == "浦东新区锂离子电池产业专利导航"
    text = document_text(document)
    assert "以下结论由系统根据指标自动生成" in text  # the findings are marked as generated
    assert "2019–2022年共有397件申请" in text  # noqa: RUF001 — a finding, word for word
    assert "数据源未提供引用信息" in text  # the metric the data cannot answer says why
    assert len(document.inline_shapes) == len(CHARTS)
    owners = next(t for t in document.tables if t.rows[0].cells[0].text == "申请人")
    assert owners.rows[1].cells[0].text == "宁德时代新能源科技股份有限公司"
    assert owners.rows[1].cells[2].text == "14.8%"
    assert len(owners.rows) == 1 + 25  # header + every row (under the document limit)
    styles = document.styles["Normal"].element.xpath("./w:rPr/w:rFonts/@w:eastAsia")
    assert styles == ["Microsoft YaHei"]


def test_the_docx_in_english_and_a_long_table_cut_with_a_note() -> None:
    from ipops.landscape.rendering.html import DOCUMENT_ROW_LIMIT
    from ipops.landscape.tests.test_rendering import TOP_OWNERS

    long = TOP_OWNERS.__class__(
        **{
            **TOP_OWNERS.__dict__,
            "rows": tuple((f"Owner {n}", 500 - n, 0.001) for n in range(300)),
        }
    )
    out = io.BytesIO()
    write_docx(report(long), out, language="en", images={})
    document = docx.Document(io.BytesIO(out.getvalue()))
    text = document_text(document)
    assert "Key findings" in text and "Top applicants" in text
    assert "关键" not in text and "主要申请人" not in text
    assert f"The first {DOCUMENT_ROW_LIMIT} of 300 rows are shown" in text
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Applicant"]
    assert len(table.rows) == 1 + DOCUMENT_ROW_LIMIT


def test_an_empty_report_writes_a_docx() -> None:
    out = io.BytesIO()
    write_docx(report(size=0), out, language="en", images={})
    assert "This report holds no metrics." in document_text(
        docx.Document(io.BytesIO(out.getvalue()))
    )


# --- the browser, fonts, formats -----------------------------------------------------------


def test_no_browser_is_a_clear_message(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.CHROMIUM = "/nonexistent/chromium"
    with pytest.raises(browser.BrowserUnavailable, match="IPOPS_CHROMIUM"):
        browser.chromium_executable()
    settings.CHROMIUM = ""
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(browser.BrowserUnavailable, match="apt-get install chromium"):
        browser.chromium_executable()
    assert not browser.browser_available()
    with pytest.raises(browser.BrowserUnavailable):
        reports.check_can_write("pdf")
    reports.check_can_write("xlsx")  # the other formats need no browser


def test_ipops_check_says_whether_pdf_and_docx_can_be_drawn(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ipops.portal.checks import Level, check_report_exports

    settings.CHROMIUM = "/nonexistent/chromium"
    settings.REPORT_FONT_DIR = tmp_path
    findings = check_report_exports()
    assert [f.level for f in findings] == [Level.WARNING, Level.WARNING]
    assert "IPOPS_CHROMIUM" in findings[0].hint and "npm ci" in findings[1].hint


def test_formats(tmp_path: Path) -> None:
    assert [reports.report_format(Path(f"r.{f}")) for f in ("PDF", "docx")] == ["pdf", "docx"]
    with translation.override("en"), pytest.raises(InvalidInput, match=r"\.pdf, \.docx, not \.doc"):
        reports.report_format(Path("r.doc"))


def test_a_file_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> None:
        Path(str(args[2])).write_text("half")  # the .partial file, half written
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports, "_write", broken)
    with pytest.raises(RuntimeError):
        reports.write_report(report(*ALL), tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    reports.write_report(report(*ALL), tmp_path / "r.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_the_web_font_rules_and_files() -> None:
    css = fonts.font_face_css("http://example.invalid/fonts/")
    assert css.count("@font-face") > 150  # ~100 subsets in each of two weights
    assert "font-weight: 700" in css and "font-weight: 400" in css
    assert ".woff)" not in css and "./files" not in css
    name = re.search(r"fonts/([^)]+\.woff2)", css).group(1)  # type: ignore[union-attr]
    assert fonts.font_file(name) is not None
    assert fonts.font_file("../../package.json") is None
    assert fonts.font_file("noto-sans-sc-1-100-normal.woff2") is None  # a weight not read


def test_the_export_page_opens_every_table_and_names_its_font() -> None:
    from ipops.landscape.rendering.html import Export

    page = render_html(
        report(*ALL), standalone=True, export=Export("svg", "@font-face{}", "Noto Sans SC")
    )
    assert 'data-export-font="Noto Sans SC"' in page and 'data-renderer="svg"' in page
    assert page.count("<details") == page.count('<details class="report-table" open>')


# --- progress ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_compute_all_tells_its_progress(corpus: None) -> None:
    dataset = services.create_dataset(actor=None, name="x", query="锂电池")
    heard: list[tuple[int, int, str]] = []
    computed = reports.dataset_report(
        dataset, progress=lambda number, total, metric: heard.append((number, total, metric.name))
    )
    sections = reports.SECTIONS  # the metrics, then the topic clusters
    assert heard == [(n, len(sections), name) for n, name in enumerate(sections, start=1)]
    assert [r.name for r in computed.results] == list(sections)


@pytest.mark.django_db
def test_the_command_line_shows_progress_on_stderr(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    err = io.StringIO()
    call_command(
        "landscape", "锂电池", "--out", str(tmp_path / "r.json"), stdout=io.StringIO(), stderr=err
    )
    lines = err.getvalue().splitlines()
    total = len(reports.SECTIONS)
    assert f"metric 1/{total}: 申请趋势" in lines[0]
    assert any(f"metric {total}/{total}: 技术主题聚类" in line for line in lines)
    assert "writing" in lines[-1]
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["size"] == 4


@pytest.mark.django_db
def test_the_command_line_without_a_browser_says_so_before_the_work(corpus, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHROMIUM = "/nonexistent/chromium"
    with pytest.raises(CommandError, match="IPOPS_CHROMIUM"):
        call_command(
            "landscape", "锂电池", "--out", "r.pdf", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not Dataset.objects.exists()  # refused before freezing anything


# --- report tasks ------------------------------------------------------------------------


@pytest.fixture
def reports_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.REPORT_DIR = tmp_path / "reports"
    return settings.REPORT_DIR  # type: ignore[no-any-return]


@pytest.fixture
def dataset(personas, corpus) -> Dataset:  # type: ignore[no-untyped-def]
    return services.create_dataset(actor=personas[Role.PROVIDER], name="锂电池", query="锂电池")


def test_a_report_task_is_queued_audited_and_not_queued_twice(  # type: ignore[no-untyped-def]
    personas, dataset, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    provider = personas[Role.PROVIDER]
    with django_capture_on_commit_callbacks(execute=True):
        task = services.request_report(
            actor=provider, dataset=dataset, file_format="xlsx", language="en"
        )
    assert (task.status, task.progress, task.organization_id) == (
        "queued",
        0,
        provider.organization_id,
    )
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("write_report_file")
    assert queued.args_kwargs["args"] == [task.pk]
    entry = AuditEntry.objects.get(action=Action.REPORT_REQUESTED)
    assert entry.new_values == {
        "dataset": dataset.pk,
        "format": "xlsx",
        "language": "en",
        "patents": 4,
    }
    again = services.request_report(
        actor=provider, dataset=dataset, file_format="xlsx", language="en"
    )
    assert again.pk == task.pk and ReportTask.objects.count() == 1


def test_a_task_whose_worker_died_is_failed_and_requested_again(personas, dataset) -> None:  # type: ignore[no-untyped-def]
    provider = personas[Role.PROVIDER]
    task = services.request_report(actor=provider, dataset=dataset, file_format="xlsx")
    quiet_since = timezone.now() - ReportTask.ABANDONED_AFTER - dt.timedelta(minutes=1)
    ReportTask.objects.filter(pk=task.pk).update(
        status=ReportTask.Status.RUNNING, started_at=quiet_since, heartbeat_at=quiet_since
    )
    with translation.override("en"):
        again = services.request_report(actor=provider, dataset=dataset, file_format="xlsx")
    assert again.pk != task.pk and again.status == ReportTask.Status.QUEUED
    task.refresh_from_db()
    assert task.status == ReportTask.Status.FAILED
    assert "stopped without finishing" in task.error
    assert AuditEntry.objects.filter(action=Action.REPORT_FAILED, target_id=str(task.pk)).exists()


def test_a_running_task_that_still_reports_progress_is_waited_on(personas, dataset) -> None:  # type: ignore[no-untyped-def]
    provider = personas[Role.PROVIDER]
    task = services.request_report(actor=provider, dataset=dataset, file_format="xlsx")
    long_ago = timezone.now() - 3 * ReportTask.ABANDONED_AFTER
    ReportTask.objects.filter(pk=task.pk).update(
        status=ReportTask.Status.RUNNING, started_at=long_ago, heartbeat_at=timezone.now()
    )
    again = services.request_report(actor=provider, dataset=dataset, file_format="xlsx")
    assert again.pk == task.pk and again.status == ReportTask.Status.RUNNING


def test_a_bad_request_writes_nothing(personas, dataset, settings) -> None:  # type: ignore[no-untyped-def]
    provider = personas[Role.PROVIDER]
    with translation.override("en"), pytest.raises(InvalidInput, match="not pptx"):
        services.request_report(actor=provider, dataset=dataset, file_format="pptx")
    with pytest.raises(InvalidInput):
        services.request_report(actor=provider, dataset=dataset, file_format="xlsx", language="fr")
    settings.CHROMIUM = "/nonexistent/chromium"
    with pytest.raises(browser.BrowserUnavailable):
        services.request_report(actor=provider, dataset=dataset, file_format="docx")
    assert not ReportTask.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.REPORT_REQUESTED).exists()


def test_a_task_computes_with_progress_and_writes_its_file(  # type: ignore[no-untyped-def]
    personas, dataset, reports_dir, monkeypatch
) -> None:
    task = services.request_report(
        actor=personas[Role.PROVIDER], dataset=dataset, file_format="xlsx"
    )
    seen: list[tuple[str, int, int, str]] = []
    write = reports.write_report

    def watched(*args: object, **kwargs: object) -> None:
        row = ReportTask.objects.get(pk=task.pk)  # what the page would show now
        with translation.override("en"):
            seen.append((row.step, row.progress, row.metric_number, row.step_text()))
        write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reports, "write_report", watched)
    done = services.run_report_task(task_id=task.pk)
    assert done is not None
    total = len(reports.SECTIONS)
    assert seen == [("rendering", services.COMPUTE_SHARE, total, "Writing the file")]
    assert (done.status, done.progress, done.step, done.error) == ("done", 100, "finished", "")
    assert done.metric_total == total
    path = reports_dir / done.file
    assert [p.name for p in reports_dir.iterdir()] == [path.name]  # no .partial left
    assert done.file_size == path.stat().st_size
    assert len(openpyxl.load_workbook(path, read_only=True).sheetnames) == 1 + total
    assert AuditEntry.objects.filter(action=Action.REPORT_WRITTEN, target_id=str(task.pk)).exists()
    again = services.run_report_task(task_id=task.pk)  # a second delivery: nothing happens
    assert again is not None and again.status == "done"


def test_progress_reads_as_the_metric_in_the_readers_language(personas, dataset) -> None:  # type: ignore[no-untyped-def]
    task = services.request_report(
        actor=personas[Role.PROVIDER], dataset=dataset, file_format="xlsx"
    )
    ReportTask.objects.filter(pk=task.pk).update(
        status="running", step="computing", metric="top_owners", metric_number=2, metric_total=25
    )
    task.refresh_from_db()
    with translation.override("en"):
        assert task.step_text() == "Metric 2/25: Top owners"
    with translation.override("zh-hans"):
        text = task.step_text()
    assert "2/25" in text and text.endswith(METRICS["top_owners"].title_zh)


def test_a_failing_task_says_why_and_leaves_no_file(  # type: ignore[no-untyped-def]
    personas, dataset, reports_dir, monkeypatch
) -> None:
    task = services.request_report(
        actor=personas[Role.PROVIDER], dataset=dataset, file_format="xlsx"
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise InvalidInput("磁盘已满 disk full")

    monkeypatch.setattr(reports, "write_report", broken)
    failed = services.run_report_task(task_id=task.pk)
    assert failed is not None
    assert (failed.status, failed.error, failed.file) == ("failed", "磁盘已满 disk full", "")
    assert not reports_dir.exists() or list(reports_dir.iterdir()) == []
    entry = AuditEntry.objects.get(action=Action.REPORT_FAILED)
    assert entry.new_values["error"] == "磁盘已满 disk full"


def test_the_report_files_page_polls_and_downloads(  # type: ignore[no-untyped-def]
    client_for, personas, dataset, reports_dir
) -> None:
    client = client_for(Role.PROVIDER)
    url = f"/landscape/datasets/{dataset.pk}/exports/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file_format": "xlsx", "language": "zh-hans"})
    assert response.status_code == 302 and response["Location"] == url
    task = ReportTask.objects.get()
    row = client.get(f"/landscape/report-tasks/{task.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith("<tr") and 'hx-trigger="every 2s"' in row
    assert client.get(f"/landscape/report-tasks/{task.pk}/file").status_code == 404  # not yet
    services.run_report_task(task_id=task.pk)
    row = client.get(f"/landscape/report-tasks/{task.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in row and f"/landscape/report-tasks/{task.pk}/file" in row
    download = client.get(f"/landscape/report-tasks/{task.pk}/file")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert openpyxl.load_workbook(io.BytesIO(body), read_only=True).sheetnames
    page = client.get(url).content.decode()
    assert f"report-task-{task.pk}" in page


def test_only_the_requesters_organisation_sees_its_tasks(  # type: ignore[no-untyped-def]
    client_for, personas, dataset, reports_dir
) -> None:
    task = services.request_report(
        actor=personas[Role.PROVIDER], dataset=dataset, file_format="xlsx"
    )
    services.run_report_task(task_id=task.pk)
    bureau = client_for(Role.BUREAU)  # sees the dataset, not another organisation's files
    assert bureau.get(f"/landscape/datasets/{dataset.pk}/exports/").status_code == 200
    assert (
        f"report-task-{task.pk}"
        not in bureau.get(f"/landscape/datasets/{dataset.pk}/exports/").content.decode()
    )
    for role in (Role.BUREAU, Role.ENTERPRISE, Role.BANK):
        client = client_for(role)
        assert client.get(f"/landscape/report-tasks/{task.pk}/").status_code == 404
        assert client.get(f"/landscape/report-tasks/{task.pk}/file").status_code == 404


def test_a_large_dataset_is_reported_in_the_background(client_for, dataset, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reports, "INLINE_LIMIT", 3)
    client = client_for(Role.PROVIDER)
    for url in (
        f"/landscape/datasets/{dataset.pk}/report/",
        f"/landscape/datasets/{dataset.pk}/report.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/landscape/datasets/{dataset.pk}/exports/"
    followed = client.get(f"/landscape/datasets/{dataset.pk}/report/", follow=True)
    shown = list(followed.context["messages"])  # one for each of the three redirects
    assert [m.level_tag for m in shown] == ["info"] * 3
    assert "4" in shown[-1].message  # the dataset's size


def test_the_report_page_offers_every_format(client_for, dataset) -> None:  # type: ignore[no-untyped-def]
    page = (
        client_for(Role.PROVIDER).get(f"/landscape/datasets/{dataset.pk}/report/").content.decode()
    )
    for href in ("report.html?lang=zh-hans", "report.xlsx?lang=zh-hans"):
        assert href in page
    for file_format in ("pdf", "docx"):
        assert f'name="file_format" value="{file_format}"' in page
    assert "csrfmiddlewaretoken" in page


# --- with Chromium ------------------------------------------------------------------------


def pdf_fonts(data: bytes) -> set[tuple[str, bool]]:
    """(font name, glyphs embedded) of every font the PDF's pages use: a TrueType or CFF
    font program, or a Type 3 font's own glyph drawings (Chromium's stroked chart labels)."""
    from pypdf import PdfReader

    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            programs = ("/FontFile", "/FontFile2", "/FontFile3")
            embedded = any(key in descriptor for key in programs) or (
                font.get("/Subtype") == "/Type3" and "/CharProcs" in font
            )
            name = font.get("/BaseFont") or descriptor.get("/FontFamily") or "?"
            found.add((str(name).replace(" ", ""), embedded))
    return found


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


@pytest.mark.browser
@needs_chromium
def test_the_pdf_embeds_its_chinese_font_and_holds_the_text() -> None:
    from ipops.landscape.rendering.pdf import pdf_bytes

    data = pdf_bytes(report(*ALL))
    assert data.startswith(b"%PDF")
    used = pdf_fonts(data)
    assert any("NotoSansSC" in name for name, _ in used), used
    assert all(embedded for _, embedded in used), used
    text = pdf_text(data)
    assert "浦东新区锂离子电池产业专利导航" in text  # the title
    assert "宁德时代新能源科技股份有限公司" in text  # a table cell and a chart label
    assert "以下结论由系统根据指标自动生成" in text
    english = pdf_text(pdf_bytes(report(*ALL), language="en"))
    assert "Patentlandscapereport" in english and "Topapplicants" in english


@pytest.mark.browser
@needs_chromium
def test_the_docx_charts_are_drawn_by_chromium() -> None:
    out = io.BytesIO()
    write_docx(report(*ALL), out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    assert len(document.inline_shapes) == len(CHARTS)
    images = [part.blob for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == len(CHARTS)
    for blob in images:
        assert blob.startswith(b"\x89PNG")
        width = struct.unpack(">I", blob[16:20])[0]
        assert 2 * 600 <= width <= 2 * browser.PRINT_WIDTH  # twice the page's density


@pytest.mark.browser
@needs_chromium
@pytest.mark.django_db
def test_pdf_and_docx_from_the_command_line_and_a_task(  # type: ignore[no-untyped-def]
    corpus,
    personas,
    reports_dir,
    tmp_path: Path,
) -> None:
    call_command(
        "landscape",
        "锂电池",
        "--out",
        str(tmp_path / "r.pdf"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert "锂电池" in pdf_text((tmp_path / "r.pdf").read_bytes())
    call_command(
        "landscape",
        "--dataset",
        str(Dataset.objects.get().pk),
        "--out",
        str(tmp_path / "r.docx"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert docx.Document(str(tmp_path / "r.docx")).inline_shapes
    dataset = services.create_dataset(actor=personas[Role.PROVIDER], name="锂电池", query="锂电池")
    task = services.request_report(
        actor=personas[Role.PROVIDER], dataset=dataset, file_format="pdf"
    )
    done = services.run_report_task(task_id=task.pk)
    assert done is not None and done.status == "done", done.error if done else None
    assert "锂电池" in pdf_text((reports_dir / done.file).read_bytes())

"""A landscape report as a page and as a workbook, from hand-built results."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from openpyxl import load_workbook

from ipcore.landscape.results import Column, ColumnKind, MetricResult, Report, Shape, Value
from ipops.landscape.rendering import charts, html, tables
from ipops.landscape.rendering.html import render_html
from ipops.landscape.rendering.xlsx import write_xlsx

INT, NUM, SHARE, TEXT, YEAR, DATE = (
    ColumnKind.INTEGER,
    ColumnKind.NUMBER,
    ColumnKind.SHARE,
    ColumnKind.TEXT,
    ColumnKind.YEAR,
    ColumnKind.DATE,
)


def metric(
    name: str,
    titles: tuple[str, str],
    shape: Shape,
    columns: list[tuple[str, str, str, ColumnKind]],
    rows: Sequence[tuple[Value, ...]],
    **kwargs: object,
) -> MetricResult:
    return MetricResult(
        name=name,
        title_zh=titles[0],
        title_en=titles[1],
        shape=shape,
        columns=tuple(Column(*column) for column in columns),
        rows=tuple(rows),
        **kwargs,  # type: ignore[arg-type]
    )


FILING_TREND = metric(
    "filing_trend",
    ("申请趋势", "Filing trend"),
    Shape.SERIES,
    [
        ("year", "申请年", "Filing year", YEAR),
        ("applications", "申请量", "Applications", INT),
        ("publications", "公开量", "Publications", INT),
        ("grants", "授权量", "Grants", INT),
    ],
    [(2019, 104, 100, 48), (2020, 110, 101, 52), (2021, 98, 105, 50), (2022, 85, 92, 44)],
)
TOP_OWNERS = metric(
    "top_owners",
    ("主要申请人", "Top applicants"),
    Shape.RANKING,
    [
        ("name", "申请人", "Applicant", TEXT),
        ("patents", "专利数", "Patents", INT),
        ("share", "占比", "Share", SHARE),
    ],
    [("宁德时代新能源科技股份有限公司", 120, 0.1478)]
    + [(f"上海申请人{n:02d}有限公司", 30 - n, (30 - n) / 812) for n in range(1, 25)],
)
CONCENTRATION = metric(
    "concentration",
    ("申请人集中度", "Applicant concentration"),
    Shape.SCALARS,
    [
        ("name", "指标", "Measure", TEXT),
        ("value", "数值", "Value", NUM),
        ("label_zh", "指标名称", "Measure (Chinese)", TEXT),
        ("label_en", "指标名称（英文）", "Measure name", TEXT),
    ],
    [
        ("owners", 412, "权利人数", "Owners"),
        ("cr4", 0.342, "CR4（前 4 名份额）", "CR4 (top 4 share)"),
        ("cr8", 0.451, "CR8（前 8 名份额）", "CR8 (top 8 share)"),
        ("hhi", 612.4, "HHI 指数", "HHI"),
    ],
    extras={"kinds": {"owners": "integer", "cr4": "share", "cr8": "share", "hhi": "number"}},
)
OFFICES = metric(
    "geography_office",
    ("公开局分布", "Publishing offices"),
    Shape.DISTRIBUTION,
    [
        ("office", "公开局", "Office", TEXT),
        ("patents", "专利数", "Patents", INT),
        ("share", "占比", "Share", SHARE),
    ],
    [("CN", 720, 0.8867), ("US", 50, 0.0616), ("EP", 27, 0.0333), ("WO", 15, 0.0185)],
)
FIELD_BY_YEAR = metric(
    "field_by_year",
    ("技术领域年度分布", "Technology fields by year"),
    Shape.MATRIX,
    [
        ("field", "技术领域", "Technology field", TEXT),
        ("year", "申请年", "Filing year", YEAR),
        ("patents", "专利数", "Patents", INT),
    ],
    [
        ("电气机械、设备和能源", 2021, 40),
        ("电气机械、设备和能源", 2022, 52),
        ("基础材料化学", 2022, 9),
    ],
)
CO_OWNERSHIP = metric(
    "co_ownership",
    ("合作申请网络", "Co-applicant network"),
    Shape.NETWORK,
    [
        ("source", "申请人", "Applicant", TEXT),
        ("target", "合作申请人", "Co-applicant", TEXT),
        ("weight", "合作专利数", "Joint patents", INT),
    ],
    [("上海交通大学", "上海汽车集团股份有限公司", 6), ("复旦大学", "上海交通大学", 2)],
)
RECENT = metric(
    "recent_patents",
    ("最新专利", "Latest patents"),
    Shape.TABLE,
    [
        ("number", "公开号", "Publication number", TEXT),
        ("title", "名称", "Title", TEXT),
        ("publication_date", "公开日", "Publication date", DATE),
    ],
    [
        ("CN118315591A", "一种固态电解质及其制备方法", dt.date(2024, 6, 28)),
        ("CN118299345B", "<script>alert('x')</script> 锂电池正极", dt.date(2024, 6, 25)),
    ],
)
CITATIONS = metric(
    "citations",
    ("引用分析", "Citations"),
    Shape.RANKING,
    [("number", "公开号", "Number", TEXT), ("cited_by", "被引次数", "Cited by", INT)],
    [],
    applicable=False,
    note_zh="数据源未提供引用信息，无法分析引用。",
    note_en="The source gives no citations, so they cannot be analysed.",
)
ALL = (
    FILING_TREND,
    TOP_OWNERS,
    CONCENTRATION,
    OFFICES,
    FIELD_BY_YEAR,
    CO_OWNERSHIP,
    RECENT,
    CITATIONS,
)


def report(*results: MetricResult, size: int = 812) -> Report:
    return Report(
        title="浦东新区锂离子电池产业专利导航",
        query="TI=(锂离子电池 OR 锂电池) AND AD=[2013 TO 2024]",
        size=size,
        as_of=dt.date(2024, 6, 30),
        generated_at=dt.datetime(2024, 7, 1, 2, 30, tzinfo=dt.UTC),
        backend="duckdb",
        results=results,
    )


def data_blocks(page: str) -> dict[str, dict[str, object]]:
    blocks = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', page)
    return {block_id: json.loads(text) for block_id, text in blocks}


# --- the page --------------------------------------------------------------------------------


def test_each_metric_has_a_section_and_its_data() -> None:
    page = render_html(report(*ALL), standalone=False)
    blocks = data_blocks(page)
    expected_charts = {
        "filing_trend": "series",
        "top_owners": "ranking",
        "concentration": None,
        "geography_office": "distribution",
        "field_by_year": "matrix",
        "co_ownership": "network",
        "recent_patents": None,
    }
    for name, chart_type in expected_charts.items():
        assert f'<section class="report-section report-card" id="{name}"' in page
        payload = blocks[f"landscape-data-{name}"]
        assert payload["metric"] == name
        chart = payload["chart"]
        assert (chart and chart["type"]) == chart_type  # type: ignore[index]
        if chart_type:
            assert f'data-chart="landscape-data-{name}"' in page
    # Not applicable: its note, no chart and no data.
    assert 'id="citations"' in page
    assert "数据源未提供引用信息，无法分析引用。" in page
    assert "landscape-data-citations" not in page


def test_the_chinese_page_has_the_cover_contents_and_findings() -> None:
    page = render_html(report(*ALL), standalone=False)
    assert '<html lang="zh-hans">' in page
    assert "<h1>浦东新区锂离子电池产业专利导航</h1>" in page
    assert "TI=(锂离子电池 OR 锂电池) AND AD=[2013 TO 2024]" in page
    assert "812" in page and "2024-06-30" in page
    assert "2024-07-01 10:30 (Asia/Shanghai)" in page  # shown in Shanghai time
    assert '<a href="#filing_trend">申请趋势</a>' in page
    assert "由系统根据指标自动生成" in page
    assert "本报告分析了812件专利，法律状态截至2024-06-30。" in page
    assert "最主要的申请人是宁德时代新能源科技股份有限公司（120件，占14.8%）" in page
    # Figures of a SCALARS result: named in the language, formatted by their kind.
    assert "<dt>CR4（前 4 名份额）</dt><dd>34.2%</dd>" in page
    assert "<dd>612.4</dd>" in page and "<dd>412</dd>" in page
    assert '<td class="num">34.2%</td>' in page  # and so in its table
    assert "Measure name" not in page  # the English twin of a column is not shown
    # The table behind a chart: every row, formatted.
    assert '<td class="num">14.8%</td>' in page
    assert "<td>2024-06-28</td>" in page


def test_the_english_page_is_english() -> None:
    page = render_html(report(*ALL), language="en", standalone=False)
    assert '<html lang="en">' in page
    for title in ("Filing trend", "Top applicants", "Publishing offices", "Citations"):
        assert title in page
    for title in ("申请趋势", "主要申请人", "公开局分布", "引用分析"):
        assert title not in page
    assert "Key findings" in page and "Contents" in page
    assert "generated from the metrics" in page
    assert "This report analyses 812 patents; legal status is as of 2024-06-30." in page
    assert "The source gives no citations, so they cannot be analysed." in page
    assert '<th scope="col">Applicant</th>' in page
    assert "DuckDB over a Parquet snapshot" in page
    blocks = data_blocks(page)
    offices = blocks["landscape-data-geography_office"]["chart"]
    assert offices["labels"][:2] == ["China (CN)", "United States (US)"]  # type: ignore[index]


def test_the_served_page_links_static_files_and_keeps_the_security_policy() -> None:
    page = render_html(report(*ALL), standalone=False)
    assert 'href="/static/landscape/report.css"' in page
    assert 'src="/static/vendor/echarts.min.js"' in page
    assert 'src="/static/landscape/report.js"' in page
    # No inline script or style: only data blocks and scripts with a src.
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'type="application/json"' in tag or "src=" in tag, tag
    assert "<style" not in page
    assert " style=" not in page


def test_the_standalone_file_needs_nothing_else() -> None:
    page = render_html(report(*ALL), standalone=True)
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.DOTALL)
    assert "src=" not in markup and "<link" not in markup
    assert set(re.findall(r'href="(.)', markup)) == {"#"}  # links within the page only
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" not in tag
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    echarts = Path(settings.VENDOR_ASSETS["vendor/echarts.min.js"]).read_text(encoding="utf-8")
    assert echarts[:2000] in page and echarts[-2000:] in page
    assert "ipopsLandscapeCharts" in page  # report.js
    assert ".report-cover" in page.split("</style>")[0]  # report.css
    # Every script element ends where it should: inlined text closes none early.
    assert page.count("<script") == page.count("</script>")
    assert len(data_blocks(page)) == 7


def test_values_are_escaped_in_the_table_and_the_data() -> None:
    owners = metric(
        "top_owners",
        ("主要申请人", "Top applicants"),
        Shape.RANKING,
        [("name", "申请人", "Applicant", TEXT), ("patents", "专利数", "Patents", INT)],
        [("</script><script>alert(1)</script>", 3)],
    )
    page = render_html(report(owners, RECENT), standalone=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    chart = data_blocks(page)["landscape-data-top_owners"]["chart"]
    assert chart["labels"] == ["</script><script>alert(1)</script>"]  # type: ignore[index]


def test_an_empty_report_renders() -> None:
    page = render_html(report(size=0), language="en", standalone=True)
    assert "The dataset holds no patents, so there is nothing to report." in page
    assert "This report holds no metrics." in page
    assert data_blocks(page) == {}


def test_a_long_table_is_cut_on_the_page() -> None:
    rows: list[tuple[Value, ...]] = [
        (f"CN{n:09d}A", f"专利{n}", dt.date(2024, 1, 1)) for n in range(html.TABLE_ROW_LIMIT + 40)
    ]
    long = metric(
        "recent_patents",
        ("最新专利", "Latest patents"),
        Shape.TABLE,
        [
            ("number", "公开号", "Publication number", TEXT),
            ("title", "名称", "Title", TEXT),
            ("publication_date", "公开日", "Publication date", DATE),
        ],
        rows,
    )
    page = render_html(report(long), language="en", standalone=False)
    assert page.count("<td>CN") == html.TABLE_ROW_LIMIT
    assert f"The first {html.TABLE_ROW_LIMIT} of {len(rows)} rows are shown" in page
    assert '<details class="report-table" open>' in page  # a table-only result starts open


# --- charts ----------------------------------------------------------------------------------


def test_chart_specs_by_shape() -> None:
    trend = charts.chart_spec(FILING_TREND, "zh-hans")
    assert trend is not None
    assert trend["style"] == "line" and trend["x"] == ["2019", "2020", "2021", "2022"]
    assert [series["name"] for series in trend["series"]] == ["申请量", "公开量", "授权量"]
    ranking = charts.chart_spec(TOP_OWNERS, "zh-hans")
    assert ranking is not None
    assert len(ranking["labels"]) == charts.RANKING_LIMIT and ranking["total_rows"] == 25
    assert ranking["values"][0] == 120 and ranking["shares"][0] == 0.1478
    offices = charts.chart_spec(OFFICES, "zh-hans")
    assert offices is not None and offices["pie"] is True
    assert offices["labels"][0] == "中国（CN）"
    matrix = charts.chart_spec(FIELD_BY_YEAR, "zh-hans")
    assert matrix is not None
    assert matrix["x"] == ["2021", "2022"] and matrix["max"] == 52
    assert [0, 0, 40] in matrix["cells"] and [1, 1, 9] in matrix["cells"]
    network = charts.chart_spec(CO_OWNERSHIP, "zh-hans")
    assert network is not None
    assert {node["name"]: node["value"] for node in network["nodes"]}["上海交通大学"] == 8
    assert charts.chart_spec(CONCENTRATION, "zh-hans") is None
    assert charts.chart_spec(RECENT, "zh-hans") is None
    assert charts.chart_spec(CITATIONS, "zh-hans") is None


def test_a_matrix_names_its_axes_in_the_language_and_keeps_the_metrics_order() -> None:
    matrix = metric(
        "owner_field_matrix",
        ("申请人-技术领域矩阵", "Owners by technology field"),
        Shape.MATRIX,
        [
            ("owner", "申请人", "Owner", TEXT),
            ("field", "技术领域编号", "Field no.", INT),
            ("patents", "专利数", "Patents", INT),
            ("field_zh", "技术领域", "Field (Chinese)", TEXT),
            ("field_en", "技术领域（英文）", "Technology field", TEXT),
        ],
        [
            ("复旦大学", 19, 3, "基础材料化学", "Basic materials chemistry"),
            (
                "上海交通大学",
                1,
                9,
                "电气机械、设备和能源",
                "Electrical machinery, apparatus, energy",
            ),
            ("上海交通大学", 19, 2, "基础材料化学", "Basic materials chemistry"),
        ],
        extras={"row_labels": ["上海交通大学", "复旦大学"], "column_labels": [1, 19]},
    )
    spec = charts.chart_spec(matrix, "en")
    assert spec is not None
    assert spec["y"] == ["上海交通大学", "复旦大学"]
    assert spec["x"] == ["Electrical machinery, apparatus, energy", "Basic materials chemistry"]
    assert sorted(spec["cells"]) == [[0, 0, 9], [1, 0, 2], [1, 1, 3]]


def test_a_ranking_of_patent_ids_is_labelled_by_title() -> None:
    cited = metric(
        "most_cited",
        ("高被引专利", "Most cited patents"),
        Shape.RANKING,
        [
            ("patent_id", "专利 ID", "Patent ID", INT),
            ("cited_by", "被引次数", "Times cited", INT),
            ("title", "名称", "Title", TEXT),
        ],
        [(1201, 14, "一种锂离子电池正极材料"), (877, 9, "Solid electrolyte")],
    )
    spec = charts.chart_spec(cited, "zh-hans")
    assert spec is not None
    assert spec["labels"] == ["一种锂离子电池正极材料", "Solid electrolyte"]
    assert spec["values"] == [14, 9]


def test_a_single_series_is_drawn_as_bars_and_nan_is_left_out() -> None:
    series = metric(
        "newcomers",
        ("新进入者", "Newcomers"),
        Shape.SERIES,
        [("year", "年", "Year", YEAR), ("newcomers", "新进入者", "Newcomers", INT)],
        [(2021, 4), (2022, float("nan"))],
    )
    spec = charts.chart_spec(series, "en")
    assert spec is not None
    assert spec["style"] == "bar" and spec["series"][0]["values"] == [4, None]
    page = render_html(report(series), standalone=False)
    assert "NaN" not in page


# --- the workbook ---------------------------------------------------------------------------


def workbook_of(rendered: Report, language: str = "zh-hans"):  # type: ignore[no-untyped-def]
    stream = io.BytesIO()
    write_xlsx(rendered, stream, language=language)
    stream.seek(0)
    return load_workbook(stream)


def test_the_workbook_has_a_summary_and_a_sheet_per_metric() -> None:
    book = workbook_of(report(*ALL))
    with translation.override("zh-hans"):
        summary = translation.gettext("Summary")
    assert book.sheetnames == [
        summary,
        "申请趋势",
        "主要申请人",
        "申请人集中度",
        "公开局分布",
        "技术领域年度分布",
        "合作申请网络",
        "最新专利",
        "引用分析",
    ]
    first = book[summary]
    assert first["A1"].value == "浦东新区锂离子电池产业专利导航"
    cells = [cell for row in first.iter_rows(values_only=True) for cell in row if cell]
    assert "TI=(锂离子电池 OR 锂电池) AND AD=[2013 TO 2024]" in cells
    assert 812 in cells
    generated = [cell for cell in cells if isinstance(cell, dt.datetime)]
    # The as-of date, and the generation time in Shanghai.
    assert [cell.isoformat() for cell in generated] == [
        "2024-06-30T00:00:00",
        "2024-07-01T10:30:00",
    ]
    assert "本报告分析了812件专利，法律状态截至2024-06-30。" in cells
    assert any(isinstance(cell, str) and "自动生成" in cell for cell in cells)


def test_metric_sheets_keep_types_and_formats() -> None:
    book = workbook_of(report(*ALL))
    figures = book["申请人集中度"]
    assert [cell.value for cell in figures[1]] == ["指标", "数值", "指标名称"]
    assert figures["B3"].value == pytest.approx(0.342) and figures["B3"].number_format == "0.0%"
    assert figures["B2"].number_format == "#,##0"
    owners = book["主要申请人"]
    assert [cell.value for cell in owners[1]] == ["申请人", "专利数", "占比"]
    assert owners.freeze_panes == "A2"
    assert owners["A2"].value == "宁德时代新能源科技股份有限公司"
    assert owners["B2"].value == 120 and owners["B2"].number_format == "#,##0"
    assert owners["C2"].value == pytest.approx(0.1478) and owners["C2"].number_format == "0.0%"
    assert owners.max_row == 26  # every row, not only the chart's twenty
    assert owners.column_dimensions["A"].width >= 30  # sized for the names
    trend = book["申请趋势"]
    assert trend["A2"].value == 2019 and trend["A2"].number_format == "0"
    recent = book["最新专利"]
    assert recent["C2"].value.date() == dt.date(2024, 6, 28)
    assert recent["C2"].number_format == "yyyy-mm-dd"
    citations = book["引用分析"]
    values = [row[0] for row in citations.iter_rows(values_only=True)]
    assert "数据源未提供引用信息，无法分析引用。" in values


def test_the_english_workbook_and_long_sheet_names() -> None:
    twin = metric(
        "top_owners_by_grants",
        ("主要申请人", "Top applicants ranked by granted invention patents in force"),
        Shape.RANKING,
        [("name", "申请人", "Applicant", TEXT), ("patents", "专利数", "Patents", INT)],
        [("复旦大学", 3)],
    )
    same = metric(
        "top_owners_by_family",
        ("主要申请人", "Top applicants ranked by granted invention patents in force"),
        Shape.RANKING,
        [("name", "申请人", "Applicant", TEXT), ("patents", "专利数", "Patents", INT)],
        [("同济大学", 2)],
    )
    book = workbook_of(report(TOP_OWNERS, twin, same, CITATIONS), language="en")
    assert book.sheetnames[0] == "Summary"
    assert book.sheetnames[2:4] == [
        "Top applicants ranked by grante",
        "Top applicants ranked by gr (2)",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert [cell.value for cell in book["Top applicants"][1]] == ["Applicant", "Patents", "Share"]
    zh = workbook_of(report(TOP_OWNERS, twin, same))
    assert zh.sheetnames[1:] == ["主要申请人", "主要申请人 (2)", "主要申请人 (3)"]


def test_the_workbook_streams_into_a_response_and_an_empty_report_writes() -> None:
    response = HttpResponse()
    write_xlsx(report(size=0), response, language="en")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary"]
    cells = [cell for row in book["Summary"].iter_rows(values_only=True) for cell in row]
    assert "The dataset holds no patents, so there is nothing to report." in cells


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (0.342, SHARE, "34.2%"),
        (1234, INT, "1,234"),
        (612.4, NUM, "612.4"),
        (2020, YEAR, "2020"),
        (2020.0, YEAR, "2020"),
        (dt.date(2024, 6, 30), DATE, "2024-06-30"),
        (None, TEXT, "—"),
        ("CN118315591A", TEXT, "CN118315591A"),
    ],
)
def test_cells_as_text(value: Value, kind: ColumnKind, text: str) -> None:
    assert tables.cell_text(value, kind) == text


def test_inlined_text_cannot_end_its_element_early() -> None:
    assert html._inside("script", "s = '</SCRIPT>';") == "s = '<\\/SCRIPT>';"
    assert html._inside("style", "a::after { content: '</style>'; }") == (
        "a::after { content: '<\\/style>'; }"
    )
    with pytest.raises(ValueError, match="<!--"):
        html._inside("script", "x = '<!--';")

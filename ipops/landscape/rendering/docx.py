"""The report as a Word document (DOCX) a client edits: the same cover, findings and metric
sections as the HTML page, in Word's own headings, paragraphs and tables.

Each metric's chart is a PNG drawn by Chromium with the page's own ECharts options
(``browser.chart_images``); its table is an editable Word table (the first
``DOCUMENT_ROW_LIMIT`` rows: the XLSX holds them all); the findings carry the note that they
were generated. Text is set in Microsoft YaHei (微软雅黑) for Chinese and Arial for Latin
script, which Word and WPS on a Chinese desktop have; the document's language is Chinese or
English as asked.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ipcore.landscape.results import Report
from ipops.landscape.rendering.browser import chart_images
from ipops.landscape.rendering.html import (
    DOCUMENT_ROW_LIMIT,
    Cell,
    Section,
    report_context,
)
from ipops.landscape.rendering.pdf import export_html
from ipops.landscape.rendering.xlsx import Writable

EAST_ASIAN_FONT: Final = "Microsoft YaHei"
LATIN_FONT: Final = "Arial"
IMAGE_WIDTH: Final = Cm(16)
BLUE: Final = RGBColor(0x08, 0x2A, 0x66)
GREY: Final = RGBColor(0x6B, 0x73, 0x85)
AMBER: Final = RGBColor(0xB5, 0x47, 0x08)
HEADER_FILL: Final = "E8EFFB"


def write_docx(
    report: Report,
    path_or_stream: str | Path | Writable,
    *,
    language: str = "zh-hans",
    images: Mapping[str, bytes] | None = None,
) -> None:
    """Write the document; ``images`` (PNG bytes by chart data id) are drawn by Chromium
    when not given."""
    if images is None:
        images = chart_images(export_html(report, language=language, renderer="canvas"))
    with translation.override(language):
        context = report_context(report, language=language, row_limit=DOCUMENT_ROW_LIMIT)
        document = Document()
        _set_up(document, report, language)
        _cover(document, context)
        _contents(document, context["sections"])
        _findings(document, context)
        for section in context["sections"]:
            _section(document, section, images.get(section.data_id))
        if not context["sections"]:
            document.add_paragraph(_("This report holds no metrics."))
        if isinstance(path_or_stream, str | Path):
            document.save(str(path_or_stream))
        else:
            buffer = io.BytesIO()
            document.save(buffer)
            path_or_stream.write(buffer.getvalue())


# --- page, styles --------------------------------------------------------------------------


def _set_up(document: Any, report: Report, language: str) -> None:
    properties = document.core_properties
    properties.title = report.title
    properties.subject = _("Patent landscape report")
    properties.author = "ipops"
    properties.language = "zh-CN" if language.startswith("zh") else "en-US"
    for page in document.sections:
        page.page_width, page.page_height = Cm(21), Cm(29.7)
        page.left_margin = page.right_margin = Cm(2.2)
        page.top_margin, page.bottom_margin = Cm(2.2), Cm(2)
        _page_number(page.footer.paragraphs[0])
    chinese = language.startswith("zh")
    for name, size in (
        ("Normal", 10.5),
        ("Title", 24),
        ("Heading 1", 15),
        ("Heading 2", 12),
        ("Caption", 9),
    ):
        style = document.styles[name]
        style.font.size = Pt(size)
        _fonts(style.element.get_or_add_rPr(), chinese)
        if name != "Normal":
            style.font.color.rgb = BLUE


def _fonts(rpr: Any, chinese: bool) -> None:
    """Latin and East Asian fonts set by name (a theme font would win over a name), and the
    text's language, so Word's proofing and line breaking treat Chinese as Chinese."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN" if chinese else "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _page_number(paragraph: Any) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# --- cover, contents, findings ---------------------------------------------------------


def _cover(document: Any, context: Mapping[str, Any]) -> None:
    report = context["report"]
    kind = document.add_paragraph()
    _run(kind, _("Pudong IP Operations Service Platform"), bold=True, color=BLUE)
    _run(kind, "  浦东新区知识产权运营服务体系 · ipops", color=GREY)
    document.add_paragraph(_("Patent landscape report"), style="Subtitle")
    document.add_paragraph(report.title, style="Title")
    facts = [
        (_("Query"), report.query or _("Every patent in the snapshot")),
        (_("Patents"), context["size"]),
        (_("Data as of"), report.as_of.isoformat()),
        (
            _("Generated"),
            f"{context['generated_at']:%Y-%m-%d %H:%M} ({context['time_zone']})",
        ),
        (_("Computed on"), str(context["backend"])),
    ]
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        cells = table.add_row().cells
        _run(cells[0].paragraphs[0], label, bold=True, color=GREY)
        cells[1].paragraphs[0].add_run(str(value))
    _widths(table, (Cm(3.5), Cm(13)))
    document.add_page_break()


def _contents(document: Any, sections: Sequence[Section]) -> None:
    document.add_heading(_("Contents"), level=1)
    document.add_paragraph(_("Key findings"))
    for section in sections:
        paragraph = document.add_paragraph(f"{section.number}  {section.title}")
        if not section.applicable:
            _run(paragraph, f"  ({_('Not applicable')})", color=GREY)
    document.add_page_break()


def _findings(document: Any, context: Mapping[str, Any]) -> None:
    document.add_heading(_("Key findings"), level=1)
    note = document.add_paragraph()
    _run(note, f"【{_('Machine-generated')}】", bold=True, color=GREY)
    _run(note, str(context["generated_note"]), italic=True, color=GREY)
    for finding in context["findings"]:
        paragraph = document.add_paragraph(style="List Bullet")
        color = {"caveat": AMBER, "not_applicable": GREY}.get(finding.kind)
        _run(paragraph, finding.text, color=color)


# --- one section per metric -------------------------------------------------------------


def _section(document: Any, section: Section, image: bytes | None) -> None:
    document.add_heading(f"{section.number}  {section.title}", level=1)
    if section.description:
        _run(document.add_paragraph(), section.description, color=GREY)
    if not section.applicable:
        text = section.note or _("The data cannot answer this metric.")
        _run(document.add_paragraph(), text, italic=True, color=GREY)
        return
    if section.figures:
        figures = document.add_table(rows=0, cols=2)
        figures.style = "Table Grid"
        for figure in section.figures:
            cells = figures.add_row().cells
            cells[0].paragraphs[0].add_run(figure.label)
            _run(cells[1].paragraphs[0], figure.value, bold=True, color=BLUE)
            cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _widths(figures, (Cm(11), Cm(5)))
    if image is not None:
        document.add_picture(io.BytesIO(image), width=IMAGE_WIDTH)
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(
            _("Figure %(number)s %(title)s") % {"number": section.number, "title": section.title},
            style="Caption",
        ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if section.note:
        _run(document.add_paragraph(), section.note, color=GREY, size=9)
    if section.rows:
        _data_table(document, section)
    else:
        _run(document.add_paragraph(), _("No data for this metric."), italic=True, color=GREY)


def _data_table(document: Any, section: Section) -> None:
    caption = ngettext(
        "Data table (%(count)s row)", "Data table (%(count)s rows)", section.total_rows
    ) % {"count": f"{section.total_rows:,}"}
    _run(document.add_paragraph(), caption, bold=True, color=BLUE)
    table = document.add_table(rows=1, cols=len(section.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for cell, head in zip(header.cells, section.headers, strict=True):
        _fill_cell(cell, head, bold=True)
        _shade(cell, HEADER_FILL)
    for row in section.rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            _fill_cell(cell, value)
    if section.truncated:
        text = _(
            "The first %(shown)s of %(total)s rows are shown; the XLSX export holds them all."
        ) % {"shown": len(section.rows), "total": section.total_rows}
        _run(document.add_paragraph(), text, italic=True, color=GREY, size=9)


def _fill_cell(cell: Any, value: Cell, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    _run(paragraph, value.text, bold=bold, size=9)
    if value.numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _run(
    paragraph: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
) -> Any:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = Pt(size)
    return run


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    """The header row repeats at the top of every page a long table runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _widths(table: Any, widths: Sequence[Any]) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width

"""The report as a PDF: the standalone page in its export form, printed by headless Chromium.

The PDF is the HTML report on A4 (``report.css``'s print rules: the cover and the contents on
pages of their own, each metric from a new page, every table open), its text set in Noto Sans
SC from the npm package and embedded as font subsets, its charts drawn by ECharts as SVG with
the same options the page uses, so chart text is text too. Needs Chromium
(``rendering/browser.py``); BrowserUnavailable says so where there is none.
"""

from __future__ import annotations

from pathlib import Path

from ipcore.landscape.results import Report
from ipops.landscape.rendering.browser import FONT_BASE, print_pdf
from ipops.landscape.rendering.fonts import FONT_FAMILY, font_face_css
from ipops.landscape.rendering.html import Export, render_html
from ipops.landscape.rendering.xlsx import Writable


def export_html(report: Report, *, language: str, renderer: str) -> str:
    """The page Chromium reads: "svg" charts for a PDF, "canvas" for images."""
    export = Export(renderer=renderer, font_css=font_face_css(FONT_BASE), font_family=FONT_FAMILY)
    return render_html(report, language=language, standalone=True, export=export)


def pdf_bytes(report: Report, *, language: str = "zh-hans") -> bytes:
    return print_pdf(export_html(report, language=language, renderer="svg"))


def write_pdf(
    report: Report, path_or_stream: str | Path | Writable, *, language: str = "zh-hans"
) -> None:
    data = pdf_bytes(report, language=language)
    if isinstance(path_or_stream, str | Path):
        Path(path_or_stream).write_bytes(data)
    else:
        path_or_stream.write(data)

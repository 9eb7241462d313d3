"""The report as an HTML page: a cover, contents, the generated findings, then one section per
metric with its chart, the table behind it, and its note.

Two forms of one template. ``standalone=False`` is the page ipops serves: it links the
stylesheet and scripts as static files, so the platform's Content-Security-Policy (no inline
script or style) holds. ``standalone=True`` is one self-contained file a client keeps or the
CLI writes: the stylesheet, ECharts (from the npm package, settings.VENDOR_ASSETS) and the
chart script are inlined, and nothing is fetched from the network. In both, chart data sits
in ``<script type="application/json">`` blocks read by ``static/landscape/report.js``.

A third form, ``export=Export(...)``, is the standalone page as Chromium reads it to print the
PDF or to draw the DOCX's chart images (``rendering/browser.py``): the CJK web font declared
first, every table open and cut at ``DOCUMENT_ROW_LIMIT`` rows, charts drawn by the same
options (SVG for the PDF, so its text is text in the embedded font; canvas for images).

Templates are loaded by an engine of their own over this app's template folder, so rendering
works whether or not ``ipops.landscape`` is an installed app (the CLI, tests).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Engine
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ipcore.landscape import narrative
from ipcore.landscape.results import MetricResult, Report, Shape
from ipops.landscape.rendering.charts import ChartSpec, chart_spec
from ipops.landscape.rendering.tables import (
    NUMERIC_KINDS,
    cell_kinds,
    cell_text,
    visible_columns,
)

APP_DIR: Final = Path(__file__).resolve().parent.parent
TEMPLATE_DIR: Final = APP_DIR / "templates"
STATIC_DIR: Final = APP_DIR / "static" / "landscape"
ECHARTS_ASSET: Final = "vendor/echarts.min.js"
# A page lists at most this many rows of a table; the XLSX export has them all.
TABLE_ROW_LIMIT: Final = 500
# A printed report (PDF, DOCX) lists fewer: a table of 500 rows is 12 pages nobody reads.
DOCUMENT_ROW_LIMIT: Final = 100


@dataclass(frozen=True)
class Export:
    """The page Chromium reads for an export: how its charts are drawn ("svg" or "canvas"),
    the @font-face rules of the web font, and the font's family name."""

    renderer: str
    font_css: str
    font_family: str


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """One metric as the page shows it."""

    number: int
    name: str
    anchor: str
    title: str
    description: str
    note: str
    applicable: bool
    shape: str
    chart: ChartSpec | None
    figures: tuple[Figure, ...]
    headers: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: int

    @property
    def data_id(self) -> str:
        return f"landscape-data-{self.anchor}"

    @property
    def payload(self) -> dict[str, Any]:
        return {"metric": self.name, "shape": self.shape, "chart": self.chart}

    @property
    def truncated(self) -> bool:
        return self.total_rows > len(self.rows)


@dataclass(frozen=True)
class FindingItem:
    text: str
    kind: str
    anchor: str  # the section the finding comes from; "" for the dataset


def render_html(
    report: Report,
    *,
    language: str = "zh-hans",
    standalone: bool,
    export: Export | None = None,
    toolbar: SafeString | None = None,
) -> str:
    """The report page in ``language`` ("zh-hans" or "en"); ``export`` makes it the page
    Chromium prints (standalone implied); ``toolbar`` is HTML the served page shows above
    the report (its download links, rendered by the view with the request)."""
    standalone = standalone or export is not None
    with translation.override(language):
        row_limit = DOCUMENT_ROW_LIMIT if export is not None else TABLE_ROW_LIMIT
        context = report_context(report, language=language, row_limit=row_limit)
        context["standalone"] = standalone
        context["export"] = export
        context["toolbar"] = toolbar
        if standalone:
            context["inline"] = inline_assets()
            if export is not None:
                context["inline"]["fonts"] = _inside("style", export.font_css)
        template = _engine().get_template("landscape/report.html")
        return template.render(Context(context))


def report_context(
    report: Report, *, language: str, row_limit: int = TABLE_ROW_LIMIT
) -> dict[str, Any]:
    """What the report templates read; call under ``translation.override(language)``."""
    sections = _sections(report, language, row_limit)
    anchors = {section.name: section.anchor for section in sections}
    found = narrative.findings(report, language)
    generated_at = timezone.localtime(report.generated_at)
    return {
        "report": report,
        "size": f"{report.size:,}",
        "generated_at": generated_at,
        "time_zone": timezone.get_current_timezone_name(),
        "backend": backend_label(report.backend),
        "findings": [
            FindingItem(finding.text, finding.kind.value, anchors.get(finding.metric, ""))
            for finding in found
        ],
        "generated_note": narrative.generated_note(language),
        "sections": sections,
    }


def inline_assets() -> dict[str, SafeString]:
    """The stylesheet and scripts of a self-contained page, safe to place inside
    ``<style>`` and ``<script>`` elements."""
    echarts = Path(settings.VENDOR_ASSETS[ECHARTS_ASSET])
    if not echarts.is_file():
        raise ImproperlyConfigured(
            f"ECharts is not installed at {echarts}: run `make install` (npm ci) first."
        )
    return {
        "css": _inside("style", (STATIC_DIR / "report.css").read_text(encoding="utf-8")),
        "echarts": _inside("script", echarts.read_text(encoding="utf-8")),
        "script": _inside("script", (STATIC_DIR / "report.js").read_text(encoding="utf-8")),
    }


def _inside(element: str, text: str) -> SafeString:
    """Raw text for a ``<style>`` or ``<script>`` element: its own end tag is written "<\\/",
    which means the same inside JS strings and regular expressions and in CSS. "<!--" could
    make the parser read past the end tag; no rewriting keeps every script valid, so a file
    holding it is refused (ECharts and our files hold none)."""
    if "<!--" in text:
        raise ValueError(f"cannot inline into <{element}>: the text holds '<!--'")
    text = re.sub(rf"</(?={element})", r"<\\/", text, flags=re.IGNORECASE)
    return mark_safe(text)  # noqa: S308 — our own files and the pinned npm package, escaped above


@functools.cache
def _engine() -> Engine:
    return Engine(
        dirs=[str(TEMPLATE_DIR)],
        app_dirs=False,
        autoescape=True,
        libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"},
    )


def backend_label(backend: str) -> str:
    labels = {
        "db": _("Live database"),
        "duckdb": _("DuckDB over a Parquet snapshot"),
        "spark": _("Apache Spark"),
    }
    return labels.get(backend, backend)


# --- sections --------------------------------------------------------------------------------


def _sections(report: Report, language: str, row_limit: int) -> list[Section]:
    seen: set[str] = set()
    sections = []
    for number, result in enumerate(report.results, start=1):
        anchor = _slug(result.name) or f"metric-{number}"
        if anchor in seen:
            anchor = f"{anchor}-{number}"
        seen.add(anchor)
        sections.append(_section(number, anchor, result, language, row_limit))
    return sections


def _section(
    number: int, anchor: str, result: MetricResult, language: str, row_limit: int
) -> Section:
    columns = visible_columns(result, language)
    applicable = result.applicable
    kinds = cell_kinds(result)[:row_limit] if applicable else []
    shown = result.rows[:row_limit] if applicable else ()
    suffix = "zh" if language.lower().startswith("zh") else "en"
    description = result.extras.get(f"description_{suffix}", "")
    return Section(
        number=number,
        name=result.name,
        anchor=anchor,
        title=result.title(language),
        description=description if isinstance(description, str) else "",
        note=result.note(language),
        applicable=applicable,
        shape=result.shape.value,
        chart=chart_spec(result, language),
        figures=_figures(result, language) if applicable else (),
        headers=tuple(Cell(c.title(language), c.kind in NUMERIC_KINDS) for _i, c in columns),
        rows=tuple(
            tuple(Cell(cell_text(row[i], kind[i]), kind[i] in NUMERIC_KINDS) for i, _c in columns)
            for row, kind in zip(shown, kinds, strict=True)
        ),
        total_rows=len(result.rows) if applicable else 0,
    )


def _figures(result: MetricResult, language: str) -> tuple[Figure, ...]:
    """A SCALARS result's figures as cards: its name's words, its value formatted."""
    names = [column.name for column in result.columns]
    if result.shape is not Shape.SCALARS or "value" not in names:
        return ()
    value_at = names.index("value")
    return tuple(
        Figure(
            narrative.row_label(result, record, language),
            cell_text(record["value"], kinds[value_at]),
        )
        for record, kinds in zip(result.records(), cell_kinds(result), strict=True)
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")

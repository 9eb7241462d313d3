"""The report as an XLSX workbook — what a client opens in Excel or WPS to check and reuse the
numbers: a summary sheet (the report's facts, the generated findings, a list of the sheets),
then one sheet per metric holding the table behind its chart.

Cells keep their types: counts and numbers as numbers, shares as fractions formatted as
percentages, dates as dates. Written in openpyxl's write-only mode, so a long table streams
to disk rather than sitting in memory as cell objects.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ipcore.landscape import narrative
from ipcore.landscape.results import Column, ColumnKind, MetricResult, Report, Value
from ipops.landscape.rendering.html import backend_label
from ipops.landscape.rendering.tables import cell_kinds, cell_text, visible_columns

SHEET_NAME_MAX: Final = 31  # Excel's limit
_SHEET_NAME_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")
WIDTH_SAMPLE: Final = 200  # rows read to size a column
WIDTH_MIN, WIDTH_MAX = 8, 60
# A NUMBER keeps Excel's General format: "#,##0.##" would print 612 as "612.".
FORMATS: Final = {
    ColumnKind.INTEGER: "#,##0",
    ColumnKind.SHARE: "0.0%",
    ColumnKind.DATE: "yyyy-mm-dd",
    ColumnKind.YEAR: "0",
}
HEADER_FONT: Final = Font(bold=True, color="082A66")
HEADER_FILL: Final = PatternFill("solid", fgColor="E8EFFB")
TITLE_FONT: Final = Font(bold=True, size=14, color="082A66")
BOLD: Final = Font(bold=True)
NOTE_FONT: Final = Font(italic=True, color="6B7385")
WRAP: Final = Alignment(wrap_text=True, vertical="top")


class Writable(Protocol):
    """A binary stream a workbook can be written to: a file, BytesIO, an HttpResponse."""

    def write(self, data: bytes, /) -> Any: ...


def write_xlsx(
    report: Report, path_or_stream: str | Path | Writable, *, language: str = "zh-hans"
) -> None:
    """Write the workbook to a path or a binary stream (an XLSX is a zip: a stream that
    cannot seek, such as an HttpResponse, is written without going back)."""
    with translation.override(language):
        workbook = Workbook(write_only=True)
        names = _SheetNames()
        summary = names.claim(_("Summary"))
        sheets = [names.claim(result.title(language)) for result in report.results]
        _write_summary(workbook.create_sheet(summary), report, language, sheets)
        for result, name in zip(report.results, sheets, strict=True):
            sheet = workbook.create_sheet(name)
            if result.applicable:
                _write_table(sheet, result, language)
            else:
                _write_not_applicable(sheet, result, language)
        workbook.save(path_or_stream)


class _SheetNames:
    """Sheet names Excel accepts: at most 31 characters, none of []:*?/\\, unique ignoring case."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        base = _SHEET_NAME_FORBIDDEN.sub("_", wanted).strip().strip("'") or "Sheet"
        name = base[:SHEET_NAME_MAX]
        number = 1
        while name.casefold() in self._taken:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        self._taken.add(name.casefold())
        return name


# --- the summary --------------------------------------------------------------------------


def _write_summary(
    sheet: WriteOnlyWorksheet, report: Report, language: str, sheets: Sequence[str]
) -> None:
    for letter, width in zip("ABCD", (28, 90, 12, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    generated = timezone.localtime(report.generated_at).replace(tzinfo=None)
    timezone_name = timezone.get_current_timezone_name()
    sheet.append([_styled(sheet, report.title, TITLE_FONT)])
    sheet.append([])
    facts: list[tuple[str, Any, str | None]] = [
        (_("Query"), report.query or _("Every patent in the snapshot"), None),
        (_("Patents"), report.size, FORMATS[ColumnKind.INTEGER]),
        (_("Data as of"), report.as_of, FORMATS[ColumnKind.DATE]),
        (f"{_('Generated')} ({timezone_name})", generated, "yyyy-mm-dd hh:mm"),
        (_("Computed on"), backend_label(report.backend), None),
    ]
    for label, value, number_format in facts:
        cell = _styled(sheet, value, None, number_format)
        cell.alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
        sheet.append([_styled(sheet, label, BOLD), cell])
    sheet.append([])
    sheet.append([_styled(sheet, _("Key findings"), TITLE_FONT)])
    sheet.append([_styled(sheet, narrative.generated_note(language), NOTE_FONT)])
    titles = {result.name: result.title(language) for result in report.results}
    for finding in narrative.findings(report, language):
        plain = finding.kind is narrative.Kind.FINDING
        text = _styled(sheet, finding.text, None if plain else NOTE_FONT)
        text.alignment = WRAP
        sheet.append([titles.get(finding.metric, ""), text])
    sheet.append([])
    sheet.append([_styled(sheet, _("Contents"), TITLE_FONT)])
    sheet.append(_header(sheet, [_("Sheet"), _("Metric"), _("Rows"), _("Note")]))
    for result, name in zip(report.results, sheets, strict=True):
        rows = len(result.rows) if result.applicable else None
        note = result.note(language) or ("" if result.applicable else _("Not applicable"))
        sheet.append([name, result.title(language), rows, note])


# --- one sheet per metric ----------------------------------------------------------------


def _write_table(sheet: WriteOnlyWorksheet, result: MetricResult, language: str) -> None:
    columns = visible_columns(result, language)
    for number, (position, column) in enumerate(columns, start=1):
        width = _width(column, (row[position] for row in result.rows[:WIDTH_SAMPLE]), language)
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, [column.title(language) for _position, column in columns]))
    for row, kinds in zip(result.rows, cell_kinds(result), strict=True):
        sheet.append(
            [_value_cell(sheet, row[position], kinds[position]) for position, _c in columns]
        )


def _write_not_applicable(sheet: WriteOnlyWorksheet, result: MetricResult, language: str) -> None:
    sheet.column_dimensions["A"].width = 100
    note = result.note(language) or _("The data cannot answer this metric.")
    sheet.append([_styled(sheet, result.title(language), TITLE_FONT)])
    sheet.append([_styled(sheet, _("Not applicable"), BOLD)])
    cell = _styled(sheet, note, None)
    cell.alignment = WRAP
    sheet.append([cell])


def _value_cell(sheet: WriteOnlyWorksheet, value: Value, kind: ColumnKind) -> Any:
    """A typed cell where the kind has a format; the plain value otherwise (faster)."""
    number_format = FORMATS.get(kind)
    if value is None or number_format is None:
        return value
    if kind is ColumnKind.DATE and not isinstance(value, dt.date):
        return value
    if kind is not ColumnKind.DATE and (
        isinstance(value, bool) or not isinstance(value, int | float)
    ):
        return value
    return _styled(sheet, value, None, number_format)


def _header(sheet: WriteOnlyWorksheet, titles: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = _styled(sheet, title, HEADER_FONT)
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def _styled(
    sheet: WriteOnlyWorksheet, value: Any, font: Font | None, number_format: str | None = None
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _width(column: Column, values: Iterable[Value], language: str) -> float:
    widest = max(
        (_display_width(cell_text(value, column.kind)) for value in values),
        default=0,
    )
    widest = max(widest, _display_width(column.title(language)))
    return float(min(max(widest + 2, WIDTH_MIN), WIDTH_MAX))


def _display_width(text: str) -> int:
    """Characters as Excel lays them out: a CJK character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)

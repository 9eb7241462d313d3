"""What a metric hands to a report: named, typed columns and plain rows, in Chinese and English.

A result is backend-free (plain Python values), so the HTML report, the XLSX/DOCX/PDF exports,
the narrative and the JSON API all read the same object. Its ``shape`` tells a report how to
draw it; the rows are the table behind the chart, exported as they are.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

Value = int | float | str | bool | dt.date | None


class Shape(enum.StrEnum):
    """How a result is read and drawn (the first columns carry the meaning named here)."""

    SERIES = "series"  # year, then one or more numeric series → line / bar over time
    RANKING = "ranking"  # label, value, share and extras, largest first → horizontal bars
    MATRIX = "matrix"  # row label, column label, value → heat map
    NETWORK = "network"  # source, target, weight (edges) → graph
    SCALARS = "scalars"  # name, value → figures stated in words and cards
    DISTRIBUTION = "distribution"  # bucket, count (and share) → bars or a pie
    MAP = "map"  # label, patents and an x/y position per group → a bubble map (topic clusters)
    TABLE = "table"  # anything else: a table only


class ColumnKind(enum.StrEnum):
    INTEGER = "integer"
    NUMBER = "number"
    SHARE = "share"  # a fraction 0..1, shown as a percentage
    TEXT = "text"
    DATE = "date"
    YEAR = "year"


@dataclass(frozen=True)
class Column:
    name: str
    title_zh: str
    title_en: str
    kind: ColumnKind

    def title(self, language: str) -> str:
        return self.title_zh if language.startswith("zh") else self.title_en


@dataclass(frozen=True)
class MetricResult:
    """One metric computed over one dataset.

    ``applicable`` is False where the data cannot answer (no citations, no owners, no dates);
    ``note_zh``/``note_en`` then say why, and a report shows that sentence instead of an empty
    or misleading chart. ``notes`` may also carry caveats for an applicable result (for
    example how many patents lacked a date and were left out).
    """

    name: str
    title_zh: str
    title_en: str
    shape: Shape
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    applicable: bool = True
    note_zh: str = ""
    note_en: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    def title(self, language: str) -> str:
        return self.title_zh if language.startswith("zh") else self.title_en

    def note(self, language: str) -> str:
        return self.note_zh if language.startswith("zh") else self.note_en

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def records(self) -> list[dict[str, Value]]:
        """Rows as dictionaries keyed by column name (for JSON)."""
        names = [column.name for column in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Report:
    """A landscape report: which data, as of when, and every metric computed over it."""

    title: str
    query: str  # the search that made the dataset, as the user wrote it ("" for a hand list)
    size: int  # patents in the dataset
    as_of: dt.date  # legal status and remaining life are as of this day
    generated_at: dt.datetime  # aware
    backend: str  # "db", "duckdb" or "spark"
    results: tuple[MetricResult, ...]

    def result(self, name: str) -> MetricResult | None:
        return next((result for result in self.results if result.name == name), None)


def as_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready values (dates as ISO text): what `--json` and the API give."""
    return {
        "title": report.title,
        "query": report.query,
        "size": report.size,
        "as_of": report.as_of.isoformat(),
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "backend": report.backend,
        "metrics": [
            {
                "name": result.name,
                "title_zh": result.title_zh,
                "title_en": result.title_en,
                "shape": result.shape.value,
                "applicable": result.applicable,
                "note_zh": result.note_zh,
                "note_en": result.note_en,
                "columns": [
                    {
                        "name": column.name,
                        "title_zh": column.title_zh,
                        "title_en": column.title_en,
                        "kind": column.kind.value,
                    }
                    for column in result.columns
                ],
                "rows": [[_json_value(value) for value in row] for row in result.rows],
            }
            for result in report.results
        ],
    }


def _json_value(value: Value) -> int | float | str | bool | None:
    return value.isoformat() if isinstance(value, dt.date) else value

"""The table behind a chart as a reader sees it: columns in the report's language, cells
formatted by their kind. Shared by the HTML page and the XLSX workbook so both show the same
columns."""

from __future__ import annotations

import datetime as dt

from ipcore.landscape.narrative import is_share_name
from ipcore.landscape.results import Column, ColumnKind, MetricResult, Shape, Value

NUMERIC_KINDS = frozenset({ColumnKind.INTEGER, ColumnKind.NUMBER, ColumnKind.SHARE})


def visible_columns(result: MetricResult, language: str) -> list[tuple[int, Column]]:
    """(position, column) of the columns a reader in ``language`` sees: a ``…_en`` column is
    left out of a Chinese report where its ``…_zh`` partner is there, and the other way round."""
    names = {column.name for column in result.columns}
    own, other = ("_zh", "_en") if language.lower().startswith("zh") else ("_en", "_zh")
    return [
        (position, column)
        for position, column in enumerate(result.columns)
        if not (column.name.endswith(other) and column.name[: -len(other)] + own in names)
    ]


def cell_kinds(result: MetricResult) -> list[list[ColumnKind]]:
    """The kind of every cell, row by row: a column's kind, except the ``value`` of a SCALARS
    result, whose kind is its figure's (``extras["kinds"]`` by name, else a ``kind`` column,
    else a share for share-like names such as cr4, else a number)."""
    kinds = [column.kind for column in result.columns]
    names = [column.name for column in result.columns]
    if result.shape is not Shape.SCALARS or "value" not in names or not names:
        return [kinds] * len(result.rows)
    value_at = names.index("value")
    declared = result.extras.get("kinds")
    declared = declared if isinstance(declared, dict) else {}
    known = {kind.value for kind in ColumnKind}
    rows = []
    for record in result.records():
        name = str(record[names[0]])
        kind = declared.get(name, record.get("kind"))
        if isinstance(kind, str) and kind in known:
            figure = ColumnKind(kind)
        else:
            figure = ColumnKind.SHARE if is_share_name(name) else ColumnKind.NUMBER
        rows.append([figure if i == value_at else k for i, k in enumerate(kinds)])
    return rows


def cell_text(value: Value, kind: ColumnKind) -> str:
    """A cell as text: 34.2%, 1,234, 612.4, 2024-06-30; "—" for a missing value."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int | float) and kind is ColumnKind.SHARE:
        return percent_text(value)
    if isinstance(value, int | float) and kind is ColumnKind.YEAR:
        return str(int(value))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def percent_text(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def number_text(value: float) -> str:
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")

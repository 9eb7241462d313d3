"""What each chart of a report draws, as plain data for ``static/landscape/report.js``.

A result's ``shape`` picks the chart (SERIES → bars or lines over years, RANKING → horizontal
bars, DISTRIBUTION → a pie or bars, MATRIX → a heat map, NETWORK → a force graph, MAP → a
bubble map of topics; SCALARS and TABLE have none). The spec is written into the page with
``json_script`` and turned into ECharts options by the static script, so no script is ever
built from strings. Charts show the head of long results; the table beside them holds every
row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from ipcore.landscape.narrative import row_label
from ipcore.landscape.results import Column, ColumnKind, MetricResult, Shape, Value

ChartSpec = dict[str, Any]

RANKING_LIMIT: Final = 20  # bars a ranking chart shows
PIE_LIMIT: Final = 6  # a distribution of more buckets is drawn as bars
MATRIX_LIMIT: Final = 30  # rows and columns of a heat map, the largest by total
NETWORK_EDGES: Final = 200  # heaviest edges a graph draws
_VALUE_KINDS: Final = (ColumnKind.INTEGER, ColumnKind.NUMBER)


def chart_spec(result: MetricResult, language: str) -> ChartSpec | None:
    """The chart of an applicable result with rows, or None where it has none."""
    if not result.applicable or not result.rows or not result.columns:
        return None
    build = _BUILDERS.get(result.shape)
    return build(result, language) if build is not None else None


def _series(result: MetricResult, language: str) -> ChartSpec | None:
    x_column, *others = result.columns
    values = [
        (position, column)
        for position, column in enumerate(others, start=1)
        if column.kind in _VALUE_KINDS
    ]
    percent = not values
    if percent:
        values = [
            (position, column)
            for position, column in enumerate(others, start=1)
            if column.kind is ColumnKind.SHARE
        ]
    if not values:
        return None
    style = result.extras.get("chart")
    if style not in ("bar", "line"):
        style = "bar" if len(values) == 1 else "line"
    return {
        "type": "series",
        "style": style,
        "percent": percent,
        "x": [_text(row[0]) for row in result.rows],
        "x_title": x_column.title(language),
        "series": [
            {
                "name": column.title(language),
                "values": [_json_number(row[i]) for row in result.rows],
            }
            for i, column in values
        ],
    }


def _ranking(result: MetricResult, language: str) -> ChartSpec | None:
    value = _value_column(result)
    if value is None:
        return None
    position, column = value
    share = _first_position(result, lambda c: c.kind is ColumnKind.SHARE)
    head = result.records()[:RANKING_LIMIT]
    rows = result.rows[:RANKING_LIMIT]
    return {
        "type": "ranking",
        "percent": column.kind is ColumnKind.SHARE,
        "labels": [row_label(result, record, language) for record in head],
        "values": [_json_number(row[position]) for row in rows],
        "shares": None if share is None else [_json_number(row[share]) for row in rows],
        "value_title": column.title(language),
        "total_rows": len(result.rows),
    }


def _distribution(result: MetricResult, language: str) -> ChartSpec | None:
    spec = _ranking(result, language)
    if spec is None:
        return None
    values = [value for value in spec["values"] if value is not None]
    pie = len(result.rows) <= PIE_LIMIT and not spec["percent"] and all(v >= 0 for v in values)
    return {**spec, "type": "distribution", "pie": pie}


def _matrix(result: MetricResult, language: str) -> ChartSpec | None:
    """Rows × columns of the first three columns; an axis value is shown by its name in the
    language where the result has one (``field`` → ``field_zh``), and the axes keep the
    result's own order (``extras["row_labels"]``/``["column_labels"]``) where it gives one."""
    if len(result.columns) < 3:
        return None
    y_column, x_column, value_column = result.columns[:3]
    totals_y: dict[str, float] = {}
    totals_x: dict[str, float] = {}
    cells: dict[tuple[str, str], float] = {}
    names: dict[str, str] = {}
    for record in result.records():
        y, x = _text(record[y_column.name]), _text(record[x_column.name])
        value = _json_number(record[value_column.name]) or 0.0
        cells[(x, y)] = cells.get((x, y), 0.0) + value
        totals_y[y] = totals_y.get(y, 0.0) + value
        totals_x[x] = totals_x.get(x, 0.0) + value
        for axis, key in ((y_column, y), (x_column, x)):
            name = record.get(f"{axis.name}_{_suffix(language)}")
            if isinstance(name, str) and name:
                names[key] = name
    ys = _ordered(totals_y, result.extras.get("row_labels"))
    xs = _ordered(totals_x, result.extras.get("column_labels"))
    if x_column.kind is ColumnKind.YEAR and "column_labels" not in result.extras:
        xs = sorted(xs)
    x_index = {label: i for i, label in enumerate(xs)}
    y_index = {label: i for i, label in enumerate(ys)}
    data = [
        [x_index[x], y_index[y], value]
        for (x, y), value in cells.items()
        if x in x_index and y in y_index
    ]
    return {
        "type": "matrix",
        "x": [names.get(label, label) for label in xs],
        "y": [names.get(label, label) for label in ys],
        "cells": data,
        "max": max((cell[2] for cell in data), default=0),
        "x_title": x_column.title(language),
        "y_title": y_column.title(language),
        "value_title": value_column.title(language),
    }


def _network(result: MetricResult, language: str) -> ChartSpec | None:
    if len(result.columns) < 2:
        return None
    edges = []
    for row in result.rows:
        weight = _json_number(row[2]) if len(row) > 2 else 1.0
        edges.append((_text(row[0]), _text(row[1]), weight or 0.0))
    edges.sort(key=lambda edge: -edge[2])
    edges = edges[:NETWORK_EDGES]
    strength: dict[str, float] = {}
    for source, target, weight in edges:
        strength[source] = strength.get(source, 0.0) + weight
        strength[target] = strength.get(target, 0.0) + weight
    return {
        "type": "network",
        "nodes": [{"name": name, "value": value} for name, value in strength.items()],
        "links": [{"source": s, "target": t, "value": w} for s, t, w in edges if s != t],
        "value_title": result.columns[2].title(language) if len(result.columns) > 2 else "",
    }


def _map(result: MetricResult, language: str) -> ChartSpec | None:
    """A bubble per group at its ``x``/``y`` (topic clusters: ThemeScape's map), sized by its
    ``patents``; the bubble is labelled with its number and first two terms, the tooltip
    with its whole label."""
    names = {column.name for column in result.columns}
    if not {"x", "y", "patents"} <= names:
        return None
    points = []
    for record in result.records():
        x, y, patents = (_json_number(record[name]) for name in ("x", "y", "patents"))
        if x is None or y is None or patents is None:
            continue
        label = row_label(result, record, language)
        number = _text(record[result.columns[0].name])
        terms = [term for term in re.split(r"、|, ", label) if term][:2]
        points.append(
            {
                "name": f"{number} {label}",
                "short": f"{number} {' / '.join(terms)}".strip(),
                "x": x,
                "y": y,
                "patents": patents,
                "share": _json_number(record.get("share")),
            }
        )
    if not points:
        return None
    return {
        "type": "map",
        "points": points,
        "value_title": result.column("patents").title(language),
    }


_BUILDERS: Final[Mapping[Shape, Callable[[MetricResult, str], ChartSpec | None]]] = {
    Shape.SERIES: _series,
    Shape.RANKING: _ranking,
    Shape.DISTRIBUTION: _distribution,
    Shape.MATRIX: _matrix,
    Shape.NETWORK: _network,
    Shape.MAP: _map,
}


def _value_column(result: MetricResult) -> tuple[int, Column] | None:
    """The value a bar shows: the first count or number after the label, else a share."""
    for kinds in (_VALUE_KINDS, (ColumnKind.SHARE,)):
        for position, column in enumerate(result.columns):
            if position > 0 and column.kind in kinds:
                return position, column
    return None


def _first_position(result: MetricResult, wanted: Callable[[Column], bool]) -> int | None:
    return next(
        (i for i, column in enumerate(result.columns) if i > 0 and wanted(column)),
        None,
    )


def _ordered(totals: Mapping[str, float], order: object) -> list[str]:
    """The MATRIX_LIMIT labels of the largest totals, in the result's order where it gives
    one (a list of labels), else in their first-seen order."""
    keep = set(sorted(totals, key=lambda label: -totals[label])[:MATRIX_LIMIT])
    if isinstance(order, list | tuple):
        given = [_text(label) for label in order]
        return [label for label in given if label in keep] + [
            label for label in totals if label in keep and label not in given
        ]
    return [label for label in totals if label in keep]


def _suffix(language: str) -> str:
    return "zh" if language.lower().startswith("zh") else "en"


def _text(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_number(value: Value) -> float | None:
    """A number JSON can carry (NaN and infinities cannot: JSON.parse would fail)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None

"""Finding the header row of a table and naming its columns, merged cells included.

Rules (documented for users in ``ipcore/data/mappings/README.md``):

1. The header is the first of the top ``HEADER_SEARCH_ROWS`` rows that holds every signature
   column of the mapping (so a title line above the header, common in CNIPA exports, is
   skipped). With no mapping given, every shipped mapping is tried on every such row.
2. A header cell merged across several columns names all of them (fill across).
3. If the row under a horizontally merged header cell has text beneath it, and text *only*
   beneath merged cells, it is a second header row (申请人 over 名称 | 地址): those columns are
   named ``parent/child`` (``申请人/名称``), the others keep their one-row name (their cells
   are usually merged downwards), and data starts below it.
4. Columns that share a name (several under one merged cell, or a parent and its children)
   are read together: a list field takes the values of all of them in order, a single
   field the first non-empty one.

Only XLSX carries merge information; in a CSV an empty header cell is simply unnamed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from ipcore.formats._table_files import CellRange, Row
from ipcore.formats._table_mapping import TableMapping, header_key

HEADER_SEARCH_ROWS: Final = 10


@dataclass(frozen=True)
class Header:
    """The header as found: its row numbers, column names and where data begins."""

    rows: tuple[int, ...]  # spreadsheet row numbers: one, or two for a two-row header
    names: tuple[str | None, ...]  # by column position
    index: Mapping[str, tuple[int, ...]]  # header_key(name) → 0-based positions
    data_from: int  # index into the buffered top rows of the first data row

    def has(self, column: str) -> bool:
        return header_key(column) in self.index

    def positions(self, column: str) -> tuple[int, ...]:
        return self.index.get(header_key(column), ())

    @property
    def has_gaps(self) -> bool:
        """Whether some column has no name (a sign of merged cells in an XLSX)."""
        return any(name is None for name in self.names)


def find_header(
    top: Sequence[Row],
    candidates: Sequence[TableMapping],
    merged_ranges: Callable[[], list[CellRange]],
) -> tuple[TableMapping, Header] | None:
    """The first (row, mapping) whose header holds the mapping's signature; None if none.

    Merged ranges are fetched only when the plain reading finds no header or one with
    unnamed columns, since fetching them means one more pass over an XLSX sheet.
    """
    found = _scan(top, candidates, [])
    if found is None or found[1].has_gaps:
        merges = merged_ranges()
        if merges:
            found = _scan(top, candidates, merges) or found
    return found


def first_header(top: Sequence[Row], merged_ranges: Callable[[], list[CellRange]]) -> Header:
    """The first non-empty row as header: used with an explicit mapping that matched no row,
    so that the missing columns can be named."""
    start = next((i for i, row in enumerate(top) if not row.is_empty), 0)
    header = header_at(top, start, [])
    if header.has_gaps:
        header = header_at(top, start, merged_ranges())
    return header


def _scan(
    top: Sequence[Row], candidates: Sequence[TableMapping], merges: list[CellRange]
) -> tuple[TableMapping, Header] | None:
    for position, row in enumerate(top):
        if row.is_empty:
            continue
        header = header_at(top, position, merges)
        matching = [m for m in candidates if all(header.has(name) for name in m.signature)]
        if matching:
            # The most specific layout wins when two mappings both fit.
            return max(matching, key=lambda mapping: len(mapping.signature)), header
    return None


def header_at(top: Sequence[Row], position: int, merges: list[CellRange]) -> Header:
    """Read row ``position`` of ``top`` as the header, applying rules 2 and 3."""
    row = top[position]
    # Wide enough for the top rows and for any merge on the header row: a merged cell may
    # span columns that the first data rows leave empty.
    merged_width = max((m.max_col for m in merges if m.min_row == row.number), default=0)
    width = max(merged_width, *(len(other.cells) for other in top))
    names: list[str | None] = [*row.cells, *([None] * (width - len(row.cells)))]
    spanned = _fill_across(names, row.number, merges)
    below = top[position + 1] if position + 1 < len(top) else None
    parents: dict[int, str] = {}
    rows: tuple[int, ...] = (row.number,)
    if spanned and below is not None and _is_sub_header(below, spanned):
        for column in spanned:
            child = below.cells[column] if column < len(below.cells) else None
            parent = names[column]
            if child and parent:
                parents[column] = parent
                names[column] = f"{parent}/{child}"
        rows = (row.number, below.number)
    return Header(rows, tuple(names), _index(names, parents), position + len(rows))


def _fill_across(names: list[str | None], row_number: int, merges: list[CellRange]) -> set[int]:
    """Rule 2: copy each horizontally merged header cell's name over its span."""
    spanned: set[int] = set()
    for merged in merges:
        if merged.min_row != row_number or merged.max_col == merged.min_col:
            continue
        name = names[merged.min_col - 1] if merged.min_col - 1 < len(names) else None
        for column in range(merged.min_col - 1, min(merged.max_col, len(names))):
            names[column] = name
            spanned.add(column)
    return spanned


def _is_sub_header(below: Row, spanned: set[int]) -> bool:
    """Rule 3: text under merged header cells, and nowhere else."""
    filled = {column for column, cell in enumerate(below.cells) if cell}
    return bool(filled) and filled <= spanned


def _index(names: Sequence[str | None], parents: Mapping[int, str]) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for column, name in enumerate(names):
        if name is None:
            continue
        index.setdefault(header_key(name), []).append(column)
        if column in parents:
            index.setdefault(header_key(parents[column]), []).append(column)
    return {key: tuple(columns) for key, columns in index.items()}

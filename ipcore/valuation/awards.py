"""获奖名单 — reading an award list a bureau uploads (China Patent Award, national science and
technology awards), one of CNIPA's high-value criteria.

A list is a table (CSV or XLSX) with a header row naming at least the patent number column —
``专利号``, ``公开号``, ``公告号``, ``申请号``, ``授权公告号`` or ``patent number`` … — and
optionally the award (``奖项``, ``获奖等级``, ``award``). Every row's number must read as a
patent number (a CN application number such as ``ZL201810390462.7``, or a publication number
in any common spelling): a row that does not is an error naming the row, and the list is
refused whole, so nothing half-read is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from ipcore.identifiers.cn import parse_cn_application
from ipcore.identifiers.docdb import parse_doc_number
from ipcore.identifiers.errors import IdentifierError

NUMBER_HEADERS: Final = (
    "专利号",
    "授权公告号",
    "公告号",
    "公开号",
    "公开（公告）号",
    "申请号",
    "专利申请号",
    "patent number",
    "publication number",
    "application number",
    "number",
    "patent",
)
AWARD_HEADERS: Final = ("奖项", "获奖等级", "奖励等级", "等级", "奖励", "award", "prize", "level")
MAX_ERRORS: Final = 20


class AwardListError(ValueError):
    """A list that cannot be read: every problem with its row, in Chinese and English."""

    def __init__(self, problems_zh: Sequence[str], problems_en: Sequence[str]) -> None:
        self.problems_zh = tuple(problems_zh)
        self.problems_en = tuple(problems_en)
        super().__init__("; ".join(self.problems_en))

    def messages(self, language: str) -> tuple[str, ...]:
        return self.problems_zh if language.startswith("zh") else self.problems_en


@dataclass(frozen=True)
class AwardRow:
    """One awarded patent: the row it came from, its number as written and normalised
    (``kind`` "application" or "publication"), and the award as the list words it."""

    row: int
    written: str
    number: str
    kind: str
    award: str


def read_number(text: str) -> tuple[str, str]:
    """(normalised number, "application" | "publication"); IdentifierError if neither."""
    cleaned = text.strip()
    try:
        return parse_cn_application(cleaned).normalised, "application"
    except IdentifierError:
        pass
    document = parse_doc_number(cleaned)
    return document.docdb, "publication"


def read_award_rows(rows: Iterable[tuple[int, Sequence[str | None]]]) -> list[AwardRow]:
    """The awarded patents of a table given as (row number, cells), header first."""
    iterator = iter(rows)
    header = next((row for row in iterator if any(cell for cell in row[1])), None)
    if header is None:
        raise AwardListError(["文件是空的"], ["the file is empty"])
    names = [(cell or "").strip().lower() for cell in header[1]]
    number_at = _column(names, NUMBER_HEADERS)
    if number_at is None:
        raise AwardListError(
            [f"第 {header[0]} 行表头中没有专利号列（可用列名：{'、'.join(NUMBER_HEADERS[:6])}）"],
            [f"row {header[0]}: no patent number column in the header (e.g. 'patent number')"],
        )
    award_at = _column(names, AWARD_HEADERS)
    found: list[AwardRow] = []
    zh: list[str] = []
    en: list[str] = []
    for number, cells in iterator:
        written = _cell(cells, number_at)
        if not written:
            if any(cell for cell in cells):
                zh.append(f"第 {number} 行：缺少专利号")
                en.append(f"row {number}: no patent number")
            continue
        try:
            normalised, kind = read_number(written)
        except IdentifierError:
            zh.append(f"第 {number} 行：“{written}”不是可识别的专利号")
            en.append(f"row {number}: {written!r} is not a patent number")
            continue
        award = _cell(cells, award_at) if award_at is not None else ""
        found.append(AwardRow(number, written, normalised, kind, award))
    if zh:
        more = len(zh) - MAX_ERRORS
        tail_zh = [f"另有 {more} 处问题"] if more > 0 else []
        tail_en = [f"and {more} more problems"] if more > 0 else []
        raise AwardListError(zh[:MAX_ERRORS] + tail_zh, en[:MAX_ERRORS] + tail_en)
    if not found:
        raise AwardListError(["名单中没有专利"], ["the list names no patent"])
    return found


def _column(names: list[str], wanted: Sequence[str]) -> int | None:
    for candidate in wanted:
        if candidate in names:
            return names.index(candidate)
    return None


def _cell(cells: Sequence[str | None], at: int) -> str:
    return (cells[at] or "").strip() if at < len(cells) else ""

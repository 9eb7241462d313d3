"""同组比较 — placing a patent's indicator among patents of the same field and filing year.

A raw citation count means nothing across fields and ages (OECD 2013 normalises every
indicator by technology field and year), so each indicator becomes a percentile within a
cohort: the patents with the same main IPC subclass filed the same year. A cohort needs
``min_size`` patents whose indicator is known; a smaller one widens step by step — the IPC
class (3 characters), the section, the filing year alone, the whole corpus — and the
explanation names the cohort actually used. A patent with no known value, or no cohort big
enough at any level, stays unknown.

This module is the reference: plain Python over one indicator at a time.
``ipcore.valuation.columns`` computes the same numbers for a whole corpus at once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from ipcore.valuation.indicators import Measure, Unknown


class Level(IntEnum):
    """Cohort levels, narrowest first."""

    SUBCLASS_YEAR = 0
    CLASS_YEAR = 1
    SECTION_YEAR = 2
    YEAR = 3
    ALL = 4


LEVELS: Final = tuple(Level)


@dataclass(frozen=True)
class Cohort:
    level: Level
    field: str | None = None  # "H01M", "H01" or "H" by level
    year: int | None = None

    def label(self, language: str) -> str:
        """ "H01M 2015 年申请" / "H01M 2015 filings" and the wider levels' wording."""
        zh = language.startswith("zh")
        if self.level is Level.ALL:
            return "本库全部专利" if zh else "all patents in this database"
        if self.level is Level.YEAR:
            return f"{self.year} 年申请" if zh else f"{self.year} filings"
        if self.level is Level.SUBCLASS_YEAR:
            return f"{self.field} {self.year} 年申请" if zh else f"{self.field} {self.year} filings"
        if self.level is Level.CLASS_YEAR:
            return (
                f"{self.field} 大类 {self.year} 年申请"
                if zh
                else f"class {self.field} {self.year} filings"
            )
        if zh:
            return f"{self.field} 部 {self.year} 年申请"
        return f"section {self.field} {self.year} filings"


def cohorts_of(main_subclass: str | None, year: int | None) -> tuple[Cohort, ...]:
    """The cohorts a patent belongs to, narrowest first; levels whose parts it lacks are
    skipped (no year: only the whole corpus)."""
    cohorts: list[Cohort] = []
    if year is not None:
        if main_subclass:
            cohorts.append(Cohort(Level.SUBCLASS_YEAR, main_subclass[:4], year))
            cohorts.append(Cohort(Level.CLASS_YEAR, main_subclass[:3], year))
            cohorts.append(Cohort(Level.SECTION_YEAR, main_subclass[:1], year))
        cohorts.append(Cohort(Level.YEAR, None, year))
    cohorts.append(Cohort(Level.ALL))
    return tuple(cohorts)


@dataclass(frozen=True)
class Placement:
    """Where a value stands in its cohort: ``percentile`` 0-100 (the share of the cohort it
    beats, ties counting half; direction applied, so higher is always better) among ``size``
    patents with a known value."""

    percentile: float
    cohort: Cohort
    size: int


def percentile(value: float, ordered: list[float], *, higher_is_better: bool = True) -> float:
    """Mid-rank percentile of ``value`` among the sorted ``ordered`` values (which include
    it): 100 × (values it beats + half the values equal to it) / all. Alone, it is at 50."""
    below = bisect_left(ordered, value)
    above = len(ordered) - bisect_right(ordered, value)
    equal = len(ordered) - below - above
    beaten = below if higher_is_better else above
    return 100.0 * (beaten + 0.5 * equal) / len(ordered)


def place(
    measures: Mapping[int, Measure],
    cohorts: Mapping[int, tuple[Cohort, ...]],
    *,
    higher_is_better: bool,
    min_size: int,
) -> dict[int, Placement | Unknown]:
    """Each patent's placement (by id) in the narrowest of its cohorts holding at least
    ``min_size`` known values; Unknown for an unknown value or no big-enough cohort."""
    members: dict[Cohort, list[float]] = defaultdict(list)
    for pk, value in measures.items():
        if not isinstance(value, Unknown):
            for cohort in cohorts[pk]:
                members[cohort].append(value)
    for values in members.values():
        values.sort()
    placed: dict[int, Placement | Unknown] = {}
    for pk, value in measures.items():
        if isinstance(value, Unknown):
            placed[pk] = value
            continue
        chosen = next((c for c in cohorts[pk] if len(members[c]) >= min_size), None)
        if chosen is None:
            placed[pk] = Unknown("no_cohort")
            continue
        values = members[chosen]
        placed[pk] = Placement(
            percentile(value, values, higher_is_better=higher_is_better), chosen, len(values)
        )
    return placed

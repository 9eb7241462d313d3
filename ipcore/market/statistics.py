"""交易统计 — deals, licences, transfers and pledge amounts counted by period and dimension.

Plain rows in, tallies out: each `Record` is one completed deal, one filed licence, one
registered transfer or one registered pledge, with the date it counts on, its amount (None
where none was recorded: a deal may close without a price on the platform), and the
dimensions the platform records — the deal's kind, the organisation's district (行政区划代码)
and size class, and the WIPO technology fields of its patents. A record with patents in
several fields counts once in each of them, so a field breakdown may add up to more than the
total.

Average annual growth (年均增长率) is the compound rate between the first year with records
and the last complete year: ``(last / first) ** (1 / years) - 1``. It is None — undefined,
not zero — with fewer than two years, or when the first year's value is zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Measure(StrEnum):
    """What is counted."""

    DEALS = "deals"  # 交易: deals completed on the platform, any kind
    LICENCES = "licences"  # 许可备案: licences filed or registered at CNIPA
    TRANSFERS = "transfers"  # 转让登记: transfers and capital contributions registered
    PLEDGES = "pledges"  # 质押登记: pledges registered (released ones included)


class Dimension(StrEnum):
    """What a measure is broken down by."""

    MONTH = "month"
    YEAR = "year"
    KIND = "kind"  # a deal's kind (transfer, each licence, capital contribution); "pledge"
    FIELD = "field"
    DISTRICT = "district"
    SIZE = "size"


MEASURES: Final = tuple(Measure)
NOT_RECORDED: Final = ""  # the key of records whose dimension is not recorded


@dataclass(frozen=True)
class Record:
    measure: Measure
    on: dt.date
    amount: Decimal | None = None
    district: str = NOT_RECORDED
    size: str = NOT_RECORDED
    fields: tuple[int, ...] = ()
    kind: str = NOT_RECORDED


@dataclass(frozen=True)
class Tally:
    """How many records, the sum of the recorded amounts, and how many had no amount."""

    count: int = 0
    amount: Decimal = Decimal(0)
    unpriced: int = 0

    def add(self, amount: Decimal | None) -> Tally:
        if amount is None:
            return Tally(self.count + 1, self.amount, self.unpriced + 1)
        return Tally(self.count + 1, self.amount + amount, self.unpriced)


def keys_of(record: Record, dimension: Dimension) -> tuple[str, ...]:
    """The keys a record counts under: one, or one per field (none recorded: ``""``)."""
    if dimension is Dimension.MONTH:
        return (f"{record.on:%Y-%m}",)
    if dimension is Dimension.YEAR:
        return (str(record.on.year),)
    if dimension is Dimension.FIELD:
        return tuple(str(f) for f in dict.fromkeys(record.fields)) or (NOT_RECORDED,)
    if dimension is Dimension.KIND:
        return (record.kind,)
    if dimension is Dimension.DISTRICT:
        return (record.district,)
    return (record.size,)


def tally(records: Iterable[Record], dimension: Dimension) -> dict[str, dict[Measure, Tally]]:
    """Each key (in order, numbers by value; the not-recorded key last) with a tally per
    measure."""
    table: dict[str, dict[Measure, Tally]] = defaultdict(dict)
    for record in records:
        for key in keys_of(record, dimension):
            row = table[key]
            row[record.measure] = row.get(record.measure, Tally()).add(record.amount)
    ordered = sorted(table, key=lambda k: (k == NOT_RECORDED, k.zfill(8) if k.isdigit() else k))
    return {key: {m: table[key].get(m, Tally()) for m in MEASURES} for key in ordered}


def totals(records: Iterable[Record]) -> dict[Measure, Tally]:
    """One tally per measure over every record."""
    found: dict[Measure, Tally] = {m: Tally() for m in MEASURES}
    for record in records:
        found[record.measure] = found[record.measure].add(record.amount)
    return found


def average_annual_growth(
    by_year: Mapping[int, Decimal | int], *, last_complete_year: int
) -> Decimal | None:
    """Compound annual growth from the first year in `by_year` to `last_complete_year`
    (a year missing in between counts as zero), as a fraction rounded to 0.0001
    (``Decimal("0.2500")`` = 25 %); None when fewer than two years or the first is zero."""
    years = [y for y in by_year if y <= last_complete_year]
    if not years:
        return None
    first = min(years)
    span = last_complete_year - first
    start = Decimal(by_year[first])
    end = Decimal(by_year.get(last_complete_year, 0))
    if span < 1 or start <= 0:
        return None
    if end == 0:
        return Decimal("-1.0000")
    rate = (end / start) ** (Decimal(1) / Decimal(span)) - 1
    return rate.quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Growth:
    count: Decimal | None
    amount: Decimal | None


# PLAN.md O3: pledge financing (质押融资) grows by 20 % a year — the amount secured.
PLAN_GROWTH_TARGETS: Final[Mapping[Measure, Decimal]] = MappingProxyType(
    {Measure.PLEDGES: Decimal("0.20")}
)


def meets_target(measure: Measure, growth: Growth) -> bool | None:
    """Whether the measure's amount grew at least as fast as the plan asks; None where the
    plan sets no rate for it or the growth is undefined."""
    target = PLAN_GROWTH_TARGETS.get(measure)
    if target is None or growth.amount is None:
        return None
    return growth.amount >= target


def growth(records: Iterable[Record], *, last_complete_year: int) -> dict[Measure, Growth]:
    """Average annual growth of each measure's count and amount."""
    counts: dict[Measure, dict[int, int]] = {m: {} for m in MEASURES}
    amounts: dict[Measure, dict[int, Decimal]] = {m: {} for m in MEASURES}
    for record in records:
        year = record.on.year
        counts[record.measure][year] = counts[record.measure].get(year, 0) + 1
        amounts[record.measure][year] = amounts[record.measure].get(year, Decimal(0)) + (
            record.amount or Decimal(0)
        )
    return {
        m: Growth(
            average_annual_growth(counts[m], last_complete_year=last_complete_year),
            average_annual_growth(amounts[m], last_complete_year=last_complete_year),
        )
        for m in MEASURES
    }

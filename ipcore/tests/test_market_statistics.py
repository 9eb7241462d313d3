"""交易统计: tallies by period and dimension and average annual growth, by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ipcore.market.statistics import (
    Dimension,
    Growth,
    Measure,
    Record,
    Tally,
    average_annual_growth,
    growth,
    meets_target,
    tally,
    totals,
)

D = dt.date
ROWS = [
    Record(Measure.DEALS, D(2023, 1, 5), Decimal("100000"), "310115", "small", (6, 13)),
    Record(Measure.DEALS, D(2023, 1, 20), None, "310115", "micro", (6,)),
    Record(Measure.DEALS, D(2024, 3, 1), Decimal("250000.50"), "310104", "", ()),
    Record(Measure.PLEDGES, D(2024, 3, 31), Decimal("5000000"), "310115", "small", (13,)),
    Record(Measure.LICENCES, D(2025, 12, 31), Decimal("1"), "", "large", (6,)),
]


def test_by_month_counts_and_sums_each_measure_and_unpriced_apart() -> None:
    table = tally(ROWS, Dimension.MONTH)
    assert list(table) == ["2023-01", "2024-03", "2025-12"]
    assert table["2023-01"][Measure.DEALS] == Tally(2, Decimal("100000"), 1)
    assert table["2024-03"][Measure.DEALS] == Tally(1, Decimal("250000.50"), 0)
    assert table["2024-03"][Measure.PLEDGES] == Tally(1, Decimal("5000000"), 0)
    assert table["2024-03"][Measure.TRANSFERS] == Tally()
    assert table["2025-12"][Measure.LICENCES] == Tally(1, Decimal("1"), 0)


def test_by_year() -> None:
    table = tally(ROWS, Dimension.YEAR)
    assert {k: v[Measure.DEALS].count for k, v in table.items()} == {
        "2023": 2,
        "2024": 1,
        "2025": 0,
    }


def test_a_record_counts_in_each_of_its_fields_and_unrecorded_comes_last() -> None:
    table = tally(ROWS, Dimension.FIELD)
    assert list(table) == ["6", "13", ""]
    assert table["6"][Measure.DEALS] == Tally(2, Decimal("100000"), 1)
    assert table["13"][Measure.DEALS] == Tally(1, Decimal("100000"), 0)
    assert table["13"][Measure.PLEDGES].amount == Decimal("5000000")
    assert table[""][Measure.DEALS].count == 1


def test_by_district_and_size() -> None:
    district = tally(ROWS, Dimension.DISTRICT)
    assert list(district) == ["310104", "310115", ""]
    assert district["310115"][Measure.DEALS].count == 2
    size = tally(ROWS, Dimension.SIZE)
    assert size["small"][Measure.PLEDGES].count == 1
    assert size[""][Measure.DEALS].count == 1


def test_by_kind() -> None:
    rows = [
        Record(Measure.DEALS, D(2024, 1, 1), Decimal("5"), kind="transfer"),
        Record(Measure.TRANSFERS, D(2024, 1, 1), Decimal("5"), kind="transfer"),
        Record(Measure.DEALS, D(2024, 2, 1), Decimal("7"), kind="ordinary_licence"),
        Record(Measure.PLEDGES, D(2024, 2, 1), Decimal("9"), kind="pledge"),
    ]
    table = tally(rows, Dimension.KIND)
    assert list(table) == ["ordinary_licence", "pledge", "transfer"]
    assert table["transfer"][Measure.DEALS] == Tally(1, Decimal("5"), 0)
    assert table["transfer"][Measure.TRANSFERS] == Tally(1, Decimal("5"), 0)
    assert table["pledge"][Measure.PLEDGES] == Tally(1, Decimal("9"), 0)
    assert table["pledge"][Measure.DEALS] == Tally()


def test_totals() -> None:
    found = totals(ROWS)
    assert found[Measure.DEALS] == Tally(3, Decimal("350000.50"), 1)
    assert found[Measure.TRANSFERS] == Tally()


def test_growth_is_compound_between_first_and_last_complete_year() -> None:
    # 100 -> 121 over two years: 10 % a year
    assert average_annual_growth({2022: 100, 2023: 110, 2024: 121}, last_complete_year=2024) == (
        Decimal("0.1000")
    )
    # 8 -> 27 over three years: (27/8)^(1/3) = 1.5
    assert average_annual_growth({2021: 8, 2024: 27}, last_complete_year=2024) == Decimal("0.5000")
    # the running year is left out; a missing last year is zero
    assert average_annual_growth({2023: 4, 2024: 1, 2025: 99}, last_complete_year=2024) == (
        Decimal("-0.7500")
    )
    assert average_annual_growth({2023: 4}, last_complete_year=2024) == Decimal("-1.0000")


def test_growth_is_undefined_not_zero() -> None:
    assert average_annual_growth({}, last_complete_year=2024) is None
    assert average_annual_growth({2024: 5}, last_complete_year=2024) is None
    assert average_annual_growth({2025: 5}, last_complete_year=2024) is None
    assert average_annual_growth({2023: 0, 2024: 5}, last_complete_year=2024) is None


def test_the_plan_asks_pledge_amounts_to_grow_twenty_percent_a_year() -> None:
    assert meets_target(Measure.PLEDGES, Growth(None, Decimal("0.2000"))) is True
    assert meets_target(Measure.PLEDGES, Growth(Decimal("0.5"), Decimal("0.1999"))) is False
    assert meets_target(Measure.PLEDGES, Growth(Decimal("0.5"), None)) is None  # undefined
    assert meets_target(Measure.DEALS, Growth(None, Decimal("0.9"))) is None  # no plan rate


def test_growth_per_measure_of_counts_and_amounts() -> None:
    found = growth(ROWS, last_complete_year=2024)
    # deals: 2 (2023) -> 1 (2024): -50 %; amounts 100000 -> 250000.50: +150.0005 %
    assert found[Measure.DEALS].count == Decimal("-0.5000")
    assert found[Measure.DEALS].amount == Decimal("1.5000")
    # pledges only in 2024: one year, undefined
    assert found[Measure.PLEDGES].count is None
    assert found[Measure.LICENCES].count is None

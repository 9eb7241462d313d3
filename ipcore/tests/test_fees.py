"""年费: amounts, reductions, due dates and the late-payment window.

Worked examples use real CN records (paths under ``shared/data/``):

* ``formats/google-patents-html/CN101551481B_zh.html`` — filed 2009-03-25, granted
  2012-11-21, CF01 with "Termination date: 20150325": the day the year-7 fee fell due.
* ``formats/cnipa-xml/new-format-v2.2.1/cn_new1.xml`` — 202111286633.X, a divisional whose
  filing date is its parent's, 2017-04-24. The file is the A publication; the grant date
  used with it below is illustrative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.fees import (
    FeeDue,
    FeeReduction,
    annual_fee,
    annual_fee_due,
    fee_due_date,
    grace_end,
    late_payment_surcharge,
    next_annual_fee,
    reduction_rate,
    restoration_fee,
    surcharge_schedule,
)
from ipcore.identifiers.cn import PatentType
from ipcore.legal_status import (
    LegalEvent,
    LegalStatusError,
    PatentLife,
    expiry_date,
    patent_year_on,
    term_years,
)
from ipcore.periods import add_months, is_corresponding_day

D = dt.date
INVENTION, UTILITY_MODEL, DESIGN = PatentType.INVENTION, PatentType.UTILITY_MODEL, PatentType.DESIGN
TODAY = D(2025, 6, 1)
FIRST_VERSION = D(2021, 6, 1)  # the earliest fee schedule in ipcore/data

CN101551481B = PatentLife(
    INVENTION,
    D(2009, 3, 25),
    events=(
        LegalEvent("GR01", D(2012, 11, 21)),
        LegalEvent("CF01", D(2016, 5, 11), effective_date=D(2015, 3, 25)),
    ),
)
# cn_new1.xml's divisional, with an illustrative grant in patent year 5.
DIVISIONAL = PatentLife(INVENTION, D(2017, 4, 24), grant_date=D(2022, 3, 15))


# --- the DOMAIN.md table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patent_type", "years", "amount"),
    [
        (INVENTION, (1, 3), 900), (INVENTION, (4, 6), 1200), (INVENTION, (7, 9), 2000),
        (INVENTION, (10, 12), 4000), (INVENTION, (13, 15), 6000), (INVENTION, (16, 20), 8000),
        (UTILITY_MODEL, (1, 3), 600), (UTILITY_MODEL, (4, 5), 900),
        (UTILITY_MODEL, (6, 8), 1200), (UTILITY_MODEL, (9, 10), 2000),
        (DESIGN, (1, 3), 600), (DESIGN, (4, 5), 900), (DESIGN, (6, 8), 1200),
        (DESIGN, (9, 10), 2000), (DESIGN, (11, 15), 3000),
    ],
)  # fmt: skip
def test_annual_fees_match_domain_md(
    patent_type: PatentType, years: tuple[int, int], amount: int
) -> None:
    for year in range(years[0], years[1] + 1):
        assert annual_fee(patent_type, year, on=TODAY) == Decimal(amount)


@pytest.mark.parametrize(
    ("patent_type", "year"), [(INVENTION, 21), (UTILITY_MODEL, 11), (DESIGN, 16), (INVENTION, 0)]
)
def test_no_fee_outside_the_term(patent_type: PatentType, year: int) -> None:
    with pytest.raises(LegalStatusError) as caught:
        annual_fee(patent_type, year, on=TODAY)

    assert caught.value.code == "no_fee_for_year"


def test_reductions_take_85_and_70_percent_off() -> None:
    # DOMAIN.md "Reductions: 85 % for one qualifying applicant, 70 % for several" — 减缴85%.
    assert reduction_rate(FeeReduction.SINGLE, on=TODAY) == Decimal("0.85")
    assert annual_fee(INVENTION, 1, on=TODAY, reduction=FeeReduction.SINGLE) == Decimal("135.00")
    assert annual_fee(INVENTION, 1, on=TODAY, reduction=FeeReduction.JOINT) == Decimal("270.00")
    assert annual_fee(DESIGN, 11, on=TODAY, reduction=FeeReduction.SINGLE) == Decimal("450.00")
    assert reduction_rate(FeeReduction.NONE, on=TODAY) == 0


def test_money_is_decimal_to_the_fen() -> None:
    fee = annual_fee(UTILITY_MODEL, 4, on=TODAY, reduction=FeeReduction.JOINT)

    assert isinstance(fee, Decimal)
    assert fee == Decimal("270.00") and fee.as_tuple().exponent == -2


def test_restoration_fee() -> None:
    assert restoration_fee(on=TODAY) == Decimal("1000.00")


@pytest.mark.parametrize(
    "compute",
    [
        lambda: annual_fee(INVENTION, 1, on=FIRST_VERSION - dt.timedelta(days=1)),
        lambda: restoration_fee(on=D(2020, 1, 1)),
        lambda: late_payment_surcharge(Decimal(900), D(2020, 1, 1), D(2020, 3, 1)),
    ],
)
def test_dates_before_the_first_fee_version_raise(compute: Callable[[], object]) -> None:
    with pytest.raises(LegalStatusError) as caught:
        compute()

    assert caught.value.code == "no_fee_version"


# --- due dates ----------------------------------------------------------------------------


def test_due_dates_follow_the_guidelines_example() -> None:
    # 专利审查指南: filed 1997-06-03, granted 2001-08-01 with the year-5 fee paid at
    # registration; the year-6 fee is due by 2002-06-03.
    patent = PatentLife(INVENTION, D(1997, 6, 3), grant_date=D(2001, 8, 1))

    assert patent_year_on(patent.filing_date, D(2001, 8, 1)) == 5
    assert fee_due_date(patent, 5) == D(2001, 8, 1)
    assert fee_due_date(patent, 6) == D(2002, 6, 3)


def test_cn101551481b_lapsed_on_the_due_date_of_its_year_7_fee() -> None:
    assert fee_due_date(CN101551481B, 4) == D(2012, 11, 21)  # granted in patent year 4
    assert fee_due_date(CN101551481B, 7) == D(2015, 3, 25)  # CF01 "Termination date"
    # CF01 was published after DOMAIN.md's six-month window had closed (the surcharge data
    # starts in 2021, so the window is counted here by hand).
    assert add_months(D(2015, 3, 25), 6) == D(2015, 9, 25) < CN101551481B.events[-1].date


def test_no_fee_before_the_year_of_grant_or_after_the_term() -> None:
    for year in (1, 3, 21):
        with pytest.raises(LegalStatusError) as caught:
            fee_due_date(CN101551481B, year)
        assert caught.value.code == "no_fee_for_year"


def test_an_application_owes_no_annual_fee() -> None:
    pending = PatentLife(INVENTION, D(2023, 5, 5))

    assert next_annual_fee(pending, TODAY) is None
    with pytest.raises(LegalStatusError) as caught:
        fee_due_date(pending, 1)
    assert caught.value.code == "not_granted"


# --- next fee -----------------------------------------------------------------------------


def test_next_fee_of_the_divisional() -> None:
    due = next_annual_fee(DIVISIONAL, TODAY)

    assert due is not None
    assert (due.patent_year, due.due_date) == (10, D(2026, 4, 24))
    assert due.amount == due.full_amount == Decimal("4000.00")
    assert due.grace_end == D(2026, 10, 24)
    assert [step.surcharge for step in due.surcharge_schedule] == [
        Decimal(amount) for amount in ("0.00", "200.00", "400.00", "600.00", "800.00", "1000.00")
    ]
    assert not due.at_grant


def test_reduction_covers_ten_years_from_the_year_of_grant() -> None:
    # Granted in year 5: years 5-14 are reduced, year 15 is not.
    year_14 = annual_fee_due(DIVISIONAL, 14, reduction=FeeReduction.SINGLE)
    year_15 = annual_fee_due(DIVISIONAL, 15, reduction=FeeReduction.SINGLE)

    assert (year_14.amount, year_14.full_amount) == (Decimal("900.00"), Decimal("6000.00"))
    assert year_15.amount == year_15.full_amount == Decimal("6000.00")


def test_surcharge_is_on_the_full_fee_unless_told_otherwise() -> None:
    full = next_annual_fee(DIVISIONAL, TODAY, reduction=FeeReduction.SINGLE)
    reduced = next_annual_fee(
        DIVISIONAL, TODAY, reduction=FeeReduction.SINGLE, surcharge_on_full_fee=False
    )

    assert full is not None and reduced is not None
    assert full.amount == reduced.amount == Decimal("600.00")
    assert full.surcharge_schedule[-1].surcharge == Decimal("1000.00")  # 25 % of 4000
    assert reduced.surcharge_schedule[-1].surcharge == Decimal("150.00")  # 25 % of 600


def test_the_grant_year_fee_is_due_at_grant_without_a_late_window() -> None:
    patent = PatentLife(UTILITY_MODEL, D(2024, 9, 2), grant_date=D(2025, 3, 14))

    due = next_annual_fee(patent, TODAY, paid_through_year=0)

    assert due == FeeDue(
        patent_year=1,
        due_date=D(2025, 3, 14),
        amount=Decimal("600.00"),
        full_amount=Decimal("600.00"),
        grace_end=D(2025, 3, 14),
        surcharge_schedule=(),
        at_grant=True,
    )
    with pytest.raises(LegalStatusError) as caught:
        due.surcharge_if_paid_on(D(2025, 3, 15))
    assert caught.value.code == "grant_fee_late"


def test_an_overdue_fee_and_what_paying_it_now_costs() -> None:
    # Year 9 (due 2025-04-24) not yet paid on 2025-06-01: the second month late, 5 %.
    due = next_annual_fee(DIVISIONAL, TODAY, paid_through_year=8)

    assert due is not None and due.due_date == D(2025, 4, 24) < TODAY
    assert due.surcharge_if_paid_on(TODAY) == Decimal("100.00")
    assert late_payment_surcharge(due.full_amount, due.due_date, TODAY) == Decimal("100.00")


def test_no_next_fee_after_the_last_year_or_once_ended() -> None:
    utility_model = PatentLife(UTILITY_MODEL, D(2015, 7, 1), grant_date=D(2016, 2, 1))

    assert next_annual_fee(utility_model, D(2024, 7, 1)) is None  # year 10 is the last
    assert next_annual_fee(utility_model, D(2025, 7, 1)) is None  # expired
    assert next_annual_fee(CN101551481B, TODAY) is None  # lapsed


def test_design_filed_before_2021_06_01_pays_ten_years_only() -> None:
    old_design = PatentLife(DESIGN, D(2021, 5, 31), grant_date=D(2021, 11, 2))
    new_design = PatentLife(DESIGN, D(2021, 6, 1), grant_date=D(2021, 11, 2))

    assert next_annual_fee(old_design, D(2030, 6, 1)) is None
    new_due = next_annual_fee(new_design, D(2030, 6, 1))
    assert new_due is not None and (new_due.patent_year, new_due.amount) == (11, Decimal(3000))


# --- late payment -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid_on", "surcharge"),
    [
        (D(2025, 4, 1), "0.00"),  # early
        (D(2025, 4, 24), "0.00"),  # on the due date
        (D(2025, 5, 24), "0.00"),  # one whole month late is still the free month
        (D(2025, 5, 25), "100.00"),
        (D(2025, 6, 24), "100.00"),
        (D(2025, 6, 25), "200.00"),
        (D(2025, 8, 25), "400.00"),
        (D(2025, 10, 24), "500.00"),  # last day of the window: 25 %
    ],
)
def test_surcharge_by_month_late(paid_on: dt.date, surcharge: str) -> None:
    assert late_payment_surcharge(Decimal(2000), D(2025, 4, 24), paid_on) == Decimal(surcharge)


def test_paying_after_the_window_needs_restoration() -> None:
    with pytest.raises(LegalStatusError) as caught:
        late_payment_surcharge(Decimal(2000), D(2025, 4, 24), D(2025, 10, 25))

    assert caught.value.code == "past_grace"
    assert "恢复" in caught.value.message_zh


def test_window_months_end_on_month_ends_when_there_is_no_corresponding_day() -> None:
    steps = surcharge_schedule(Decimal(900), D(2025, 8, 31))

    assert [step.ends_on for step in steps] == [
        D(2025, 9, 30), D(2025, 10, 31), D(2025, 11, 30), D(2025, 12, 31), D(2026, 1, 31),
        D(2026, 2, 28),
    ]  # fmt: skip
    assert steps[1].starts_on == D(2025, 10, 1)
    assert grace_end(D(2025, 8, 31)) == D(2026, 2, 28)


# --- properties ---------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)
due_dates = st.dates(min_value=FIRST_VERSION, max_value=D(2060, 12, 31))


@given(money, due_dates, st.integers(min_value=-40, max_value=200))
def test_surcharge_never_exceeds_a_quarter_of_the_fee(
    fee: Decimal, due: dt.date, days_late: int
) -> None:
    paid_on = due + dt.timedelta(days=days_late)
    if paid_on > grace_end(due):
        with pytest.raises(LegalStatusError):
            late_payment_surcharge(fee, due, paid_on)
        return
    surcharge = late_payment_surcharge(fee, due, paid_on)

    # Half a fen of slack: amounts are rounded half-up to the fen.
    assert Decimal(0) <= surcharge <= fee * Decimal("0.25") + Decimal("0.005")


@given(money, due_dates, st.integers(min_value=0, max_value=200))
def test_surcharge_never_falls_as_payment_gets_later(
    fee: Decimal, due: dt.date, days_late: int
) -> None:
    paid_on = min(due + dt.timedelta(days=days_late), grace_end(due))
    earlier = max(due, paid_on - dt.timedelta(days=1))

    assert late_payment_surcharge(fee, due, earlier) <= late_payment_surcharge(fee, due, paid_on)


@st.composite
def granted_patents(draw: st.DrawFn) -> PatentLife:
    patent_type = draw(st.sampled_from(list(PatentType)))
    filing = draw(st.dates(min_value=D(2001, 1, 1), max_value=D(2035, 12, 31)))
    to_grant = draw(st.integers(min_value=0, max_value=6 * 366))
    return PatentLife(patent_type, filing, grant_date=filing + dt.timedelta(days=to_grant))


@given(granted_patents(), st.integers(min_value=0, max_value=20 * 366), st.booleans())
def test_a_fee_is_due_on_a_filing_anniversary_or_the_grant_date(
    patent: PatentLife, days: int, grant_fee_unpaid: bool
) -> None:
    assert patent.grant_date is not None
    on = max(patent.grant_date, FIRST_VERSION) + dt.timedelta(days=days)
    if on >= expiry_date(patent):
        return
    paid_through = 0 if grant_fee_unpaid and on == patent.grant_date else None
    due = next_annual_fee(patent, on, paid_through_year=paid_through)
    if due is None:
        assert patent_year_on(patent.filing_date, on) == term_years(
            patent.patent_type, patent.filing_date
        )
        return

    assert due.due_date == patent.grant_date or is_corresponding_day(
        patent.filing_date, due.due_date
    )
    assert patent_year_on(patent.filing_date, due.due_date) == due.patent_year
    assert due.grace_end == (due.due_date if due.at_grant else add_months(due.due_date, 6))


@given(granted_patents(), st.integers(min_value=1, max_value=20))
def test_a_reduced_fee_is_the_full_fee_times_one_minus_the_rate(
    patent: PatentLife, patent_year: int
) -> None:
    try:
        due = annual_fee_due(patent, patent_year, reduction=FeeReduction.JOINT)
    except LegalStatusError:
        return  # a year before the grant, after the term, or before the first fee version
    assert due.amount in {
        due.full_amount,
        (due.full_amount * Decimal("0.30")).quantize(Decimal("0.01")),
    }

"""年费 — CN annual fees: amounts, reductions, due dates and the late-payment window.

Every amount and rate is versioned data in ``ipcore/data`` (see
``PROVENANCE-legal-status-and-fees.md``), so that the bureau can add a new fee schedule as
rows with a later ``effective_from`` and past dates keep computing as they did:

* ``cn_annual_fees.csv`` — 年费标准 per patent type and band of patent years (DOMAIN.md §2);
* ``cn_fee_reductions.csv`` — 费用减缴 rates and how many years from grant they cover;
* ``cn_late_payment_surcharges.csv`` — 滞纳金 rate per month late; the number of months is
  the late-payment window (滞纳期, 6 months);
* ``cn_other_fees.csv`` — 恢复权利请求费 (restoration).

A version is chosen by a date: the fee and reduction in force on the due date, the
surcharges in force on the due date. The first version is dated 2021-06-01, the earliest
date the DOMAIN.md table can be vouched for (it has the design fee for years 11-15, which
exists only since designs got 15 years); earlier dates raise ``no_fee_version`` until
someone adds the older tables. Money is ``Decimal`` in CNY, rounded to the fen.

Dates are nominal: a due date on a public holiday moves to the next working day in law
(专利法实施细则), which needs the working-day calendar ipcore does not have yet.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from ipcore._data import read_data_csv
from ipcore._versioned import parse_iso_date, version_on
from ipcore.identifiers.cn import PatentType
from ipcore.legal_status import (
    LegalStatusError,
    PatentLife,
    Status,
    patent_year_on,
    status_on,
    term_years,
)
from ipcore.periods import add_months, add_years

FEN: Final = Decimal("0.01")
"""Money is kept to the fen (分), DESIGN.md "Money"."""


class FeeReduction(StrEnum):
    """费用减缴 — which reduction an applicant qualifies for.

    DOMAIN.md: "85 % for one qualifying applicant, 70 % for several". Read as the Chinese rule
    words it (减缴85%): the fee is reduced *by* the rate, so one qualifying applicant pays
    15 % of the fee and several pay 30 % — ``fee × (1 - rate)``. The rates are data.
    """

    NONE = "none"  # 不减缴
    SINGLE = "single"  # 单个个人或单位 — reduced by 85 %
    JOINT = "joint"  # 两个或两个以上共同申请人/专利权人 — reduced by 70 %


@dataclass(frozen=True)
class ReductionRule:
    """One row of ``cn_fee_reductions.csv``.

    ``years_from_grant`` *(inferred, not in DOMAIN.md)*: the reduction covers the annual fees
    of that many patent years counting the year of grant (专利收费减缴办法: 年费（自授予专利权当年
    起十年内的年费）, as reproduced in public code); None would mean every year.
    """

    rate: Decimal
    years_from_grant: int | None


@dataclass(frozen=True)
class FeeBand:
    """年费档 — the annual fee for patent years ``first_year`` to ``last_year``."""

    first_year: int
    last_year: int
    amount: Decimal


@dataclass(frozen=True)
class SurchargeStep:
    """滞纳金时段 — paying between ``starts_on`` and ``ends_on`` (both inclusive) adds
    ``surcharge`` (``rate`` of the fee) to the annual fee."""

    month_late: int
    starts_on: dt.date
    ends_on: dt.date
    rate: Decimal
    surcharge: Decimal


@dataclass(frozen=True)
class FeeDue:
    """应缴年费 — the annual fee of one patent year, when it is due and what lateness costs.

    ``amount`` is what is payable on time (after any reduction); ``full_amount`` the 全额年费
    before reduction. ``at_grant`` marks the fee of the year of grant, paid when the grant is
    registered: it has no late-payment window (``grace_end == due_date``, no steps), because
    not paying it forfeits the grant rather than starting a 滞纳期 *(inferred: public pages
    quoting CNIPA exclude 授予专利权当年的年费 from late payment; DOMAIN.md is silent)*.
    """

    patent_year: int
    due_date: dt.date
    amount: Decimal
    full_amount: Decimal
    grace_end: dt.date
    surcharge_schedule: tuple[SurchargeStep, ...]
    at_grant: bool = False

    def surcharge_if_paid_on(self, paid_on: dt.date) -> Decimal:
        """滞纳金 owed when paying on ``paid_on``; past the window it raises ``past_grace``."""
        if paid_on <= self.due_date:
            return Decimal("0.00")
        if self.at_grant:
            raise LegalStatusError(
                "grant_fee_late",
                message_zh="授予专利权当年的年费应在办理登记手续时缴纳，不适用滞纳期",
                message_en="the fee of the year of grant is paid at grant registration: "
                "it has no late-payment window",
            )
        for step in self.surcharge_schedule:
            if step.starts_on <= paid_on <= step.ends_on:
                return step.surcharge
        raise _past_grace_error(self.due_date, self.grace_end, paid_on)


# --- amounts ------------------------------------------------------------------------------


def annual_fee(
    patent_type: PatentType,
    patent_year: int,
    *,
    on: dt.date,
    reduction: FeeReduction = FeeReduction.NONE,
) -> Decimal:
    """年费 for one patent year under the schedule in force on ``on``, after ``reduction``.

    The reduction is applied unconditionally here; whether a given year is still inside the
    reduction's years from grant is a question about the patent, answered by
    :func:`annual_fee_due`.
    """
    bands = version_on(_fee_tables()[PatentType(patent_type)], on)
    if bands is None:
        raise _no_version_error("annual fee", "年费标准", on)
    for band in bands:
        if band.first_year <= patent_year <= band.last_year:
            return _reduce(band.amount, reduction_rate(reduction, on=on))
    raise LegalStatusError(
        "no_fee_for_year",
        message_zh=f"{patent_type}专利第{patent_year}年度没有年费标准",
        message_en=f"no annual fee is set for year {patent_year} of a {patent_type} patent",
    )


def reduction_rate(reduction: FeeReduction, *, on: dt.date) -> Decimal:
    """The fraction the fee is reduced by (0.85 = pay 15 %); 0 for no reduction."""
    if reduction is FeeReduction.NONE:
        return Decimal(0)
    return _reduction_rule(reduction, on).rate


def restoration_fee(*, on: dt.date) -> Decimal:
    """恢复权利请求费 in force on ``on`` (DOMAIN.md: 1000 CNY).

    Restoring a patent lapsed for an unpaid fee also takes the fee itself and its surcharge.
    """
    amount = version_on(_other_fees()["restoration"], on)
    if amount is None:
        raise _no_version_error("restoration fee", "恢复权利请求费", on)
    return amount


# --- due dates ----------------------------------------------------------------------------


def fee_due_date(patent: PatentLife, patent_year: int) -> dt.date:
    """缴费期限 — the day the annual fee of ``patent_year`` is due.

    The fee of the year of grant is paid when the grant is registered: it is taken as due on
    the grant date (a simplification: registration precedes the grant announcement by a few
    weeks, and the record gives only the announcement). Each later year's fee is due on the
    filing-date anniversary that starts that year (专利审查指南: filed 1997-06-03, granted in
    year 5, the year-6 fee is due by 2002-06-03). Years before the grant owe no annual fee
    (专利法: 自被授予专利权的当年开始缴纳年费).
    """
    grant_year = _grant_year(patent)
    last_year = term_years(patent.patent_type, patent.filing_date)
    if not grant_year <= patent_year <= last_year:
        raise LegalStatusError(
            "no_fee_for_year",
            message_zh=f"第{patent_year}年度不在应缴年费的年度（第{grant_year}至{last_year}年度）内",
            message_en=f"year {patent_year} is outside the fee-paying years "
            f"{grant_year}-{last_year} of this patent",
        )
    if patent_year == grant_year:
        return _granted_on(patent)
    return add_years(patent.filing_date, patent_year - 1)


def annual_fee_due(
    patent: PatentLife,
    patent_year: int,
    *,
    reduction: FeeReduction = FeeReduction.NONE,
    surcharge_on_full_fee: bool = True,
) -> FeeDue:
    """The :class:`FeeDue` of one patent year of a granted patent.

    The schedule in force on the due date prices it. ``reduction`` counts only for years
    inside its years from grant. ``surcharge_on_full_fee`` *(inferred)*: DOMAIN.md says the
    surcharge is a percentage "of the fee"; CNIPA's wording, as public pages quote it, is
    全额年费 — the fee before reduction — so that is the default.
    """
    due_date = fee_due_date(patent, patent_year)
    full = annual_fee(patent.patent_type, patent_year, on=due_date)
    covered = _reduction_covers(patent, patent_year, reduction, due_date)
    applied = reduction if covered else FeeReduction.NONE
    amount = annual_fee(patent.patent_type, patent_year, on=due_date, reduction=applied)
    if patent_year == _grant_year(patent):
        return FeeDue(patent_year, due_date, amount, full, due_date, (), at_grant=True)
    steps = surcharge_schedule(full if surcharge_on_full_fee else amount, due_date)
    return FeeDue(patent_year, due_date, amount, full, steps[-1].ends_on, steps)


def next_annual_fee(
    patent: PatentLife,
    on: dt.date,
    *,
    reduction: FeeReduction = FeeReduction.NONE,
    paid_through_year: int | None = None,
    surcharge_on_full_fee: bool = True,
) -> FeeDue | None:
    """下一期年费 of a patent in force on ``on``; None when no annual fee lies ahead.

    None for a patent not in force (pending applications pay no annual fee; an ended patent
    pays none) and when the next year would fall past the term. ``paid_through_year`` is the
    last patent year paid for. *(inferred)* Without payment records, it defaults to the
    patent year ``on`` falls in: a patent still in force is taken to have paid for its
    current year. Pass it to see an overdue fee — its ``due_date`` then lies before ``on``
    and :meth:`FeeDue.surcharge_if_paid_on` prices the lateness. Fees during a term
    compensation period are not modelled.
    """
    if status_on(patent, on) is not Status.IN_FORCE:
        return None
    paid = (
        patent_year_on(patent.filing_date, on) if paid_through_year is None else paid_through_year
    )
    # Years before the grant owe nothing, so an unpaid grant-year fee comes next, not year 1.
    patent_year = max(paid + 1, _grant_year(patent))
    if patent_year > term_years(patent.patent_type, patent.filing_date):
        return None
    return annual_fee_due(
        patent, patent_year, reduction=reduction, surcharge_on_full_fee=surcharge_on_full_fee
    )


# --- late payment -------------------------------------------------------------------------


def surcharge_schedule(fee: Decimal, due_date: dt.date) -> tuple[SurchargeStep, ...]:
    """滞纳金 by month late for a fee due on ``due_date``, under the rates in force then.

    Month *k* ends on the 相应日 *k* months after the due date (so paying exactly one month
    late is still month 1, "含一整月"); each month starts the day after the previous one
    ends. The last month's end is the end of the late-payment window.
    """
    rates = version_on(_surcharge_rates(), due_date)
    if rates is None:
        raise _no_version_error("late-payment surcharge", "滞纳金标准", due_date)
    steps = []
    starts_on = due_date + dt.timedelta(days=1)
    for month_late, rate in enumerate(rates, start=1):
        ends_on = add_months(due_date, month_late)
        steps.append(SurchargeStep(month_late, starts_on, ends_on, rate, _money(fee * rate)))
        starts_on = ends_on + dt.timedelta(days=1)
    return tuple(steps)


def late_payment_surcharge(fee: Decimal, due_date: dt.date, paid_on: dt.date) -> Decimal:
    """滞纳金 for paying ``fee`` (pass the full fee, 全额年费) on ``paid_on``.

    Nothing when paid on or before the due date or within the first month late; then
    5 %, 10 % … 25 % of the fee by month (rates are data). Paying after the window is not
    late payment any more — the patent has lapsed and needs restoration — so it raises
    :class:`LegalStatusError` with code ``past_grace``.
    """
    if paid_on <= due_date:
        return Decimal("0.00")
    steps = surcharge_schedule(fee, due_date)
    for step in steps:
        if paid_on <= step.ends_on:
            return step.surcharge
    raise _past_grace_error(due_date, steps[-1].ends_on, paid_on)


def grace_end(due_date: dt.date) -> dt.date:
    """滞纳期届满日 — the last day a fee due on ``due_date`` can still be paid late."""
    return surcharge_schedule(Decimal(0), due_date)[-1].ends_on


# --- helpers ------------------------------------------------------------------------------


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _reduce(amount: Decimal, rate: Decimal) -> Decimal:
    return _money(amount * (1 - rate))


def _granted_on(patent: PatentLife) -> dt.date:
    granted_on = patent.granted_on
    if granted_on is None:
        raise LegalStatusError(
            "not_granted",
            message_zh="专利申请尚未授权，不缴纳年费",
            message_en="the application has not been granted: no annual fee is due",
        )
    return granted_on


def _grant_year(patent: PatentLife) -> int:
    """授予专利权当年 — the patent year the grant falls in."""
    return patent_year_on(patent.filing_date, _granted_on(patent))


def _reduction_covers(
    patent: PatentLife, patent_year: int, reduction: FeeReduction, on: dt.date
) -> bool:
    if reduction is FeeReduction.NONE:
        return False
    years = _reduction_rule(reduction, on).years_from_grant
    return years is None or patent_year < _grant_year(patent) + years


def _reduction_rule(reduction: FeeReduction, on: dt.date) -> ReductionRule:
    rule = version_on(_reduction_rules()[reduction], on)
    if rule is None:
        raise _no_version_error("fee reduction", "费用减缴标准", on)
    return rule


def _no_version_error(name_en: str, name_zh: str, on: dt.date) -> LegalStatusError:
    return LegalStatusError(
        "no_fee_version",
        message_zh=f"{on}没有适用的{name_zh}（数据中最早的版本晚于该日）",
        message_en=f"no {name_en} schedule in the data is in force on {on}",
    )


def _past_grace_error(due_date: dt.date, last_day: dt.date, paid_on: dt.date) -> LegalStatusError:
    return LegalStatusError(
        "past_grace",
        message_zh=f"缴费日{paid_on}已超过滞纳期（{due_date}到期，最迟{last_day}），专利权已终止，需请求恢复权利",
        message_en=f"paid on {paid_on}, after the late-payment window for {due_date} closed on "
        f"{last_day}: the patent has lapsed and needs restoration",
    )


# --- data ---------------------------------------------------------------------------------


@functools.cache
def _fee_tables() -> dict[PatentType, dict[dt.date, tuple[FeeBand, ...]]]:
    """Fee bands per patent type and version; a version replaces the bands of the types it
    lists (a new schedule for inventions alone leaves designs as they were)."""
    tables: dict[PatentType, dict[dt.date, list[FeeBand]]] = {kind: {} for kind in PatentType}
    for row in read_data_csv("cn_annual_fees.csv"):
        version = tables[PatentType(row["patent_type"])].setdefault(
            parse_iso_date(row["effective_from"]), []
        )
        version.append(
            FeeBand(
                int(row["first_year"]), int(row["last_year"]), _money(Decimal(row["amount_cny"]))
            )
        )
    return {
        kind: {start: tuple(bands) for start, bands in versions.items()}
        for kind, versions in tables.items()
    }


@functools.cache
def _reduction_rules() -> dict[FeeReduction, dict[dt.date, ReductionRule]]:
    rules: dict[FeeReduction, dict[dt.date, ReductionRule]] = {kind: {} for kind in FeeReduction}
    for row in read_data_csv("cn_fee_reductions.csv"):
        years = row["years_from_grant"].strip()
        rules[FeeReduction(row["reduction"])][parse_iso_date(row["effective_from"])] = (
            ReductionRule(Decimal(row["rate"]), int(years) if years else None)
        )
    return rules


@functools.cache
def _surcharge_rates() -> dict[dt.date, tuple[Decimal, ...]]:
    """Rates by month late (index 0 = month 1) per version."""
    by_version: dict[dt.date, dict[int, Decimal]] = {}
    for row in read_data_csv("cn_late_payment_surcharges.csv"):
        version = by_version.setdefault(parse_iso_date(row["effective_from"]), {})
        version[int(row["month_late"])] = Decimal(row["rate"])
    return {
        start: tuple(rates[month] for month in sorted(rates)) for start, rates in by_version.items()
    }


@functools.cache
def _other_fees() -> dict[str, dict[dt.date, Decimal]]:
    fees: dict[str, dict[dt.date, Decimal]] = {}
    for row in read_data_csv("cn_other_fees.csv"):
        fees.setdefault(row["fee"], {})[parse_iso_date(row["effective_from"])] = _money(
            Decimal(row["amount_cny"])
        )
    return fees

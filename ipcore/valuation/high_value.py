"""高价值发明专利 — CNIPA's definition, counted once per patent.

Since 2021 CNIPA counts as high-value a **valid invention patent** that meets at least one of
five criteria (DOMAIN.md §6, §7, in CNIPA's wording):

1. 战略性新兴产业的发明专利 — in a strategic emerging industry by the 2021 concordance;
2. 在海外有同族专利权的发明专利 — a family member granted abroad (a right, by the wording:
   a pending PCT or foreign application does not count);
3. 维持年限超过10年的发明专利 — maintained more than 10 years, counted from filing *(inferred)*;
4. 实现较高质押融资金额的发明专利 — a pledge securing a high amount (no threshold is
   published: the threshold is a setting);
5. 获得国家科学技术奖或中国专利奖的发明专利 — a national science and technology award or a
   China Patent Award (award lists are data).

A patent meeting several criteria counts once. Each criterion is met, not met, or unknown
(the data cannot tell), and so is the verdict: a valid invention meeting none of the known
criteria while one is unknown is "cannot tell", never "not high-value".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from ipcore.periods import add_years
from ipcore.valuation.facts import IN_FORCE

MAINTAINED_YEARS: Final = 10


class Criterion(StrEnum):
    STRATEGIC_INDUSTRY = "strategic_industry"
    FAMILY_ABROAD = "family_abroad"
    MAINTAINED = "maintained"
    HIGH_PLEDGE = "high_pledge"
    AWARD = "award"

    def label(self, language: str) -> str:
        zh, en = CRITERION_LABELS[self]
        return zh if language.startswith("zh") else en


CRITERION_LABELS: Final = {
    Criterion.STRATEGIC_INDUSTRY: ("战略性新兴产业", "Strategic emerging industry"),
    Criterion.FAMILY_ABROAD: ("海外有同族专利权", "Family member granted abroad"),
    Criterion.MAINTAINED: ("维持超过10年", "Maintained over 10 years"),
    Criterion.HIGH_PLEDGE: ("较高质押融资金额", "High pledge amount"),
    Criterion.AWARD: ("国家科学技术奖或中国专利奖", "National S&T award or China Patent Award"),
}


@dataclass(frozen=True)
class HighValueFacts:
    """What the five criteria read of one patent.

    ``sei_categories``: its strategic-emerging-industry categories (None: cannot be decided —
    no classification, or no concordance); ``granted_abroad``: a family member granted at an
    office other than CNIPA (None: no family data); ``pledge_amount``: the largest amount a
    registered pledge of it secures (None: none registered); ``pledge_without_amount``: a
    pledge is known (e.g. a PE01 event) whose amount is not; ``awards``: the awards it won.
    """

    office: str
    document_type: str
    status: str | None
    application_date: dt.date | None
    sei_categories: frozenset[str] | None = None
    granted_abroad: bool | None = None
    pledge_amount: Decimal | None = None
    pledge_without_amount: bool = False
    awards: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """``eligible``: a valid CN invention patent (None: validity unknown); ``met`` and
    ``unknown``: the criteria it meets and those the data cannot decide."""

    eligible: bool | None
    met: frozenset[Criterion]
    unknown: frozenset[Criterion]

    @property
    def high_value(self) -> bool | None:
        """True: counted; False: not high-value; None: the data cannot tell."""
        if self.eligible is False:
            return False
        if self.eligible is None:
            return None if self.met or self.unknown else False
        if self.met:
            return True
        return None if self.unknown else False


def assess(facts: HighValueFacts, *, as_of: dt.date, pledge_threshold: Decimal) -> Assessment:
    """The five criteria of one patent as of a day."""
    if facts.office != "CN" or facts.document_type != "invention":
        return Assessment(False, frozenset(), frozenset())
    eligible = None if facts.status is None else facts.status == IN_FORCE
    verdicts = {
        Criterion.STRATEGIC_INDUSTRY: None
        if facts.sei_categories is None
        else bool(facts.sei_categories),
        Criterion.FAMILY_ABROAD: facts.granted_abroad,
        Criterion.MAINTAINED: _maintained(facts, as_of),
        Criterion.HIGH_PLEDGE: _pledged(facts, pledge_threshold),
        Criterion.AWARD: bool(facts.awards),
    }
    return Assessment(
        eligible=eligible,
        met=frozenset(c for c, verdict in verdicts.items() if verdict is True),
        unknown=frozenset(c for c, verdict in verdicts.items() if verdict is None),
    )


def _maintained(facts: HighValueFacts, as_of: dt.date) -> bool | None:
    """More than 10 years in force: filed over 10 years ago and in force today (a lapse and
    restoration in between is still maintenance)."""
    if facts.application_date is None or facts.status is None:
        return None
    return facts.status == IN_FORCE and as_of > add_years(facts.application_date, MAINTAINED_YEARS)


def _pledged(facts: HighValueFacts, threshold: Decimal) -> bool | None:
    if facts.pledge_amount is not None and facts.pledge_amount >= threshold:
        return True
    return None if facts.pledge_without_amount else False


def per_ten_thousand(count: int, population: int) -> float:
    """每万人口拥有量 — count ÷ (resident population / 10,000) (DOMAIN.md §6)."""
    if population <= 0:
        raise ValueError(f"a population must be positive, not {population}")
    return count / (population / 10_000)

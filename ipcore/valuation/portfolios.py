"""高价值专利组合 — a portfolio's composition, its standing against the plan's target, and its
strength.

PLAN.md C2: the district cultivates at least 25 high-value patent portfolios, each with at
least 60 invention patents and 12 PCT applications. What counts is a rule with choices
(whether pending applications count, whether a patent of unknown status does): they are
:class:`CountingRules`, set by the platform, and every standing says what is missing in words.

Strength follows the PatentSight Patent Asset Index (Ernst and Omland 2011): per family,
technology relevance × market coverage, summed over the portfolio's families.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from ipcore.valuation.facts import ENDED_STATUSES, IN_FORCE, PENDING
from ipcore.valuation.indicators import DAYS_PER_YEAR, Unknown

PLAN_PORTFOLIOS: Final = 25
PLAN_INVENTIONS: Final = 60
PLAN_PCT: Final = 12


@dataclass(frozen=True)
class CountingRules:
    """How a portfolio's inventions count toward the target: granted ones in force always;
    pending applications and records of unknown status only if the rules say so."""

    min_inventions: int = PLAN_INVENTIONS
    min_pct: int = PLAN_PCT
    count_pending: bool = False
    count_unknown_status: bool = False

    def __post_init__(self) -> None:
        if self.min_inventions < 0 or self.min_pct < 0:
            raise ValueError("portfolio targets cannot be negative")


@dataclass(frozen=True)
class Member:
    """One patent of a portfolio as the composition reads it."""

    patent_id: int
    office: str
    document_type: str
    status: str | None
    family_key: str  # the family id, or the patent's own key when it has none
    pct_numbers: tuple[str, ...] = ()  # PCT applications it is (WO) or entered from
    expiry: dt.date | None = None
    total_score: float | None = None
    forward_percentile: float | None = None  # forward citations in its cohort, 0-100


@dataclass(frozen=True)
class Standing:
    """Where a portfolio stands against the target, and what it lacks."""

    inventions: int
    pct: int
    inventions_needed: int
    pct_needed: int
    not_counted_pending: int
    not_counted_unknown: int

    @property
    def meets(self) -> bool:
        return self.inventions_needed == 0 and self.pct_needed == 0

    def sentence(self, language: str) -> str:
        zh = language.startswith("zh")
        if self.meets:
            return (
                f"已达标：发明专利 {self.inventions} 件，PCT 申请 {self.pct} 件"
                if zh
                else f"Meets the target: {self.inventions} invention patents, "
                f"{self.pct} PCT applications"
            )
        missing = []
        if self.inventions_needed:
            missing.append(
                f"{self.inventions_needed} 件发明专利"
                if zh
                else f"{self.inventions_needed} invention patents"
            )
        if self.pct_needed:
            missing.append(
                f"{self.pct_needed} 件 PCT 申请" if zh else f"{self.pct_needed} PCT applications"
            )
        if zh:
            return (
                f"未达标：还差 {'、'.join(missing)}"
                f"（现有发明专利 {self.inventions} 件，PCT 申请 {self.pct} 件）"
            )
        return (
            f"Short of the target by {' and '.join(missing)} "
            f"(has {self.inventions} invention patents, {self.pct} PCT applications)"
        )


def counts_as_invention(member: Member, rules: CountingRules) -> bool:
    if member.document_type != "invention":
        return False
    if member.status == IN_FORCE:
        return True
    if member.status == PENDING:
        return rules.count_pending
    if member.status is None:
        return rules.count_unknown_status
    return False


def standing(members: Sequence[Member], rules: CountingRules) -> Standing:
    """Inventions counted under the rules, distinct PCT applications, and the shortfall."""
    inventions = sum(1 for m in members if counts_as_invention(m, rules))
    pct = len({number for m in members for number in m.pct_numbers})
    inventions_only = [m for m in members if m.document_type == "invention"]
    return Standing(
        inventions=inventions,
        pct=pct,
        inventions_needed=max(rules.min_inventions - inventions, 0),
        pct_needed=max(rules.min_pct - pct, 0),
        not_counted_pending=0
        if rules.count_pending
        else sum(1 for m in inventions_only if m.status == PENDING),
        not_counted_unknown=0
        if rules.count_unknown_status
        else sum(1 for m in inventions_only if m.status is None),
    )


# --- composition ---------------------------------------------------------------------------

LIFE_BUCKETS: Final = ((0, 5), (5, 10), (10, 15), (15, 99))  # years of term left
VALUE_BUCKETS: Final = ((0, 25), (25, 50), (50, 75), (75, 101))  # total score


@dataclass(frozen=True)
class Composition:
    """构成 — counts by type, status, office, years of term left and total score; the unknowns
    counted apart, never folded into a bucket."""

    size: int
    types: Mapping[str, int]
    statuses: Mapping[str, int]  # "unknown" for no status
    offices: Mapping[str, int]
    pct_applications: int
    families: int
    remaining_life: Mapping[str, int]  # "0-5" … "15+", "ended", "unknown"
    values: Mapping[str, int]  # "0-25" … "75-100", "unknown"


def composition(members: Sequence[Member], as_of: dt.date) -> Composition:
    return Composition(
        size=len(members),
        types=_counts(m.document_type for m in members),
        statuses=_counts(m.status or "unknown" for m in members),
        offices=_counts(m.office for m in members),
        pct_applications=len({n for m in members for n in m.pct_numbers}),
        families=len({m.family_key for m in members}),
        remaining_life=_counts(_life_bucket(m, as_of) for m in members),
        values=_counts(_value_bucket(m.total_score) for m in members),
    )


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(Counter(values).most_common())


def _life_bucket(member: Member, as_of: dt.date) -> str:
    if member.status in ENDED_STATUSES:
        return "ended"
    if member.expiry is None:
        return "unknown"
    years = (member.expiry - as_of).days / DAYS_PER_YEAR
    if years <= 0:
        return "ended"
    for low, high in LIFE_BUCKETS:
        if low <= years < high:
            return f"{low}-{high}" if high < 99 else f"{low}+"
    return f"{LIFE_BUCKETS[-1][0]}+"


def _value_bucket(score: float | None) -> str:
    if score is None:
        return "unknown"
    for low, high in VALUE_BUCKETS:
        if low <= score < high:
            return f"{low}-{min(high, 100)}"
    return "unknown"


# --- strength ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Strength:
    """组合强度 — Σ over families of technology relevance × market coverage, from the families
    whose relevance is known; ``unknown_families`` counts the others."""

    value: float | Unknown
    families: int
    unknown_families: int


def strength(
    members: Sequence[Member], market_sizes: Mapping[str, float] | None = None
) -> Strength:
    """PatentSight's Patent Asset Index, adapted to what the corpus holds.

    Technology relevance of a family: its best forward-citation percentile ÷ 50, so 1.0 is the
    middle of its field and year (PatentSight divides by the field-and-year mean citation
    count; a percentile is the robust form of the same comparison). Market coverage: the
    summed ``market_sizes`` of the offices where the family is filed, relative to the largest
    market (PatentSight uses GDP-based market sizes, the US = 1); without market-size data
    every office counts 1 — a plain count of markets, said so wherever it is shown.
    """
    families: dict[str, list[Member]] = {}
    for member in members:
        if member.status not in ENDED_STATUSES:
            families.setdefault(member.family_key, []).append(member)
    total = 0.0
    known = 0
    for family in families.values():
        percentiles = [m.forward_percentile for m in family if m.forward_percentile is not None]
        if not percentiles:
            continue
        offices = {m.office for m in family}
        coverage = (
            sum(market_sizes.get(office, 0.0) for office in offices)
            if market_sizes
            else float(len(offices))
        )
        total += max(percentiles) / 50.0 * coverage
        known += 1
    value: float | Unknown = total if known else Unknown("no_citing_data")
    return Strength(value=value, families=len(families), unknown_families=len(families) - known)

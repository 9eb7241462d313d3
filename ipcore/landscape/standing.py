"""权利状态 — whether a patent stands as a right on a day, at any office, and how we know.

Risk screening (目标市场风险排查) and organisation profiles ask the same question of every
patent, whatever its office: on this day is it in force, may it still become a right, or has
it ended — and on what basis is that said. Never silently:

* **CN** — CNIPA's rules (:mod:`ipcore.legal_status`) replayed over the legal events on record
  (:attr:`Basis.CN_EVENTS`). A CN record without any legal event is read by the same rules
  over its dates alone (:attr:`Basis.CN_DATES`): a grant stays in force until its term ends,
  so a lapse for unpaid fees would not show — the basis says so.
* **Other offices** — the corpus holds no legal status for them: the standing is an
  *estimate* (:attr:`Basis.ESTIMATED`) from the grant and the statutory term
  (``data/estimated_terms.csv``, versioned by filing date, each row with its source).
  Maintenance fees, lapses, oppositions, revocations, term adjustments and extensions are
  unknown. A published application without a grant on record is *pending* while its term
  could still run (it may become a right, or may have been abandoned: nothing says which),
  and ended once the term it could have had is over.
* **WO** — an international application is never a right itself: pending while its
  national phases can still be entered (30 months from priority, PCT Art. 22), ended after.
* Where the record lacks the dates a rule needs, the standing is unknown
  (:attr:`Basis.NONE`), and a screening lists it apart rather than dropping it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ipcore._data import read_data_csv
from ipcore._versioned import parse_iso_date, version_on
from ipcore.legal_status import Status
from ipcore.periods import add_months, add_years

ANY_OFFICE: Final = "*"
PCT_NATIONAL_PHASE_MONTHS: Final = 30  # PCT Art. 22(1): 30 months from the priority date
DAYS_PER_YEAR: Final = 365.25


class Standing(StrEnum):
    """权利状态 — the four classes a screening and a profile sort patents into."""

    IN_FORCE = "in_force"  # 有效
    PENDING = "pending"  # 审中：可能获得授权
    ENDED = "ended"  # 失效：届满、未缴年费终止、撤回、驳回、无效、放弃
    UNKNOWN = "unknown"  # 不详


class Basis(StrEnum):
    """状态依据 — what a standing rests on."""

    CN_EVENTS = "cn_events"  # CNIPA rules over the legal events on record
    CN_DATES = "cn_dates"  # CNIPA rules over the dates alone: no legal event on record
    ESTIMATED = "estimated"  # no legal-status data: grant and statutory term
    NONE = "none"  # the record lacks what any rule needs


STANDING_LABELS: Final[Mapping[Standing, tuple[str, str]]] = MappingProxyType(
    {
        Standing.IN_FORCE: ("有效", "In force"),
        Standing.PENDING: ("审中（可能获得授权）", "Pending (may become a right)"),
        Standing.ENDED: ("失效", "Ended"),
        Standing.UNKNOWN: ("状态不详", "Status unknown"),
    }
)
"""(Chinese, English) label of each standing."""

BASIS_LABELS: Final[Mapping[Basis, tuple[str, str]]] = MappingProxyType(
    {
        Basis.CN_EVENTS: (
            "依中国专利法律状态（CNIPA 法律事件）",
            "CN legal status (CNIPA legal events)",
        ),
        Basis.CN_DATES: (
            "依中国规则，仅据日期（无法律事件记录，未缴年费终止等无法反映）",
            "CN rules over dates only — no legal events on record (a lapse would not show)",
        ),
        Basis.ESTIMATED: (
            "估计——无法律状态数据（授权与法定保护期限）",
            "estimated — no legal-status data (grant and statutory term)",
        ),
        Basis.NONE: (
            "不详——记录缺少判断所需的日期或期限规则",
            "unknown — the record lacks the dates or term rule a status needs",
        ),
    }
)
"""(Chinese, English) label of each basis, as a screening prints it beside the status."""

_ENDED_STATUSES: Final = frozenset(
    {
        Status.LAPSED,
        Status.EXPIRED,
        Status.WITHDRAWN,
        Status.REJECTED,
        Status.INVALIDATED,
        Status.ABANDONED,
    }
)


@dataclass(frozen=True)
class PatentStanding:
    """One patent's standing on a day.

    ``status`` is the detailed status where a rule gives one (CN: any of
    :class:`~ipcore.legal_status.Status`; an estimate: in force, pending or expired), None
    otherwise. ``expiry`` is the day its term ends — or would end, for an application —
    where the rules give one.
    """

    standing: Standing
    basis: Basis
    status: Status | None = None
    expiry: dt.date | None = None

    def remaining_years(self, on: dt.date) -> float | None:
        """Years of term left on ``on`` (one decimal) for a patent in force or pending; for a
        pending application it is the most it could have if granted."""
        if self.expiry is None or self.standing not in (Standing.IN_FORCE, Standing.PENDING):
            return None
        return max(0.0, round((self.expiry - on).days / DAYS_PER_YEAR, 1))

    @property
    def estimated(self) -> bool:
        return self.basis is Basis.ESTIMATED


def cn_standing(
    status: Status | str | None, expiry: dt.date | None, *, events_known: bool, on: dt.date
) -> PatentStanding:
    """The standing of a CN patent on ``on`` from its status under CNIPA rules (None: the
    rules could not read the record). ``events_known`` says whether the record holds any
    legal event.

    An application still "pending" under the CN rules once the term it could have had is
    over (nothing on the record ended it: the rules keep it pending) stands as ended: no
    right can arise on it any more.
    """
    if status is None:
        return PatentStanding(Standing.UNKNOWN, Basis.NONE)
    status = Status(status)
    basis = Basis.CN_EVENTS if events_known else Basis.CN_DATES
    if status is Status.IN_FORCE:
        return PatentStanding(Standing.IN_FORCE, basis, status, expiry)
    if status is Status.PENDING:
        if expiry is not None and on >= expiry:
            return PatentStanding(Standing.ENDED, basis, status, expiry)
        return PatentStanding(Standing.PENDING, basis, status, expiry)
    assert status in _ENDED_STATUSES  # every other Status ends a patent
    return PatentStanding(Standing.ENDED, basis, status, expiry)


@dataclass(frozen=True)
class TermFacts:
    """What a record says that an estimated term needs."""

    office: str
    document_type: str  # ipcore.patents.record.DocumentType value
    filing_date: dt.date | None
    grant_date: dt.date | None
    priority_date: dt.date | None = None  # the earliest priority (WO: the 30-month clock)


def estimated_standing(facts: TermFacts, on: dt.date) -> PatentStanding:
    """The standing of a patent of an office without legal-status data, estimated from its
    grant and the statutory term (see the module docstring). Raises ValueError for a day
    before the filing date: the patent did not exist yet."""
    if facts.filing_date is not None and on < facts.filing_date:
        raise ValueError(f"{on} is before the filing date {facts.filing_date}")
    if facts.office.upper() == "WO":
        return _international(facts, on)
    if facts.filing_date is None:
        return PatentStanding(Standing.UNKNOWN, Basis.NONE)
    granted = facts.grant_date is not None and facts.grant_date <= on
    rules = _rules_for(facts.office, facts.document_type, facts.filing_date)
    if not rules:
        return PatentStanding(Standing.UNKNOWN, Basis.NONE)
    expiry = _term_end(rules, facts.filing_date, facts.grant_date if granted else None)
    if granted:
        if expiry is None:  # a rule counting from grant, and the grant has no date
            return PatentStanding(Standing.UNKNOWN, Basis.NONE)
        if on < expiry:
            return PatentStanding(Standing.IN_FORCE, Basis.ESTIMATED, Status.IN_FORCE, expiry)
        return PatentStanding(Standing.ENDED, Basis.ESTIMATED, Status.EXPIRED, expiry)
    if expiry is not None and on >= expiry:
        # Never granted within the longest term it could have had: whatever happened to the
        # application, no right can stand on it now.
        return PatentStanding(Standing.ENDED, Basis.ESTIMATED, None, expiry)
    return PatentStanding(Standing.PENDING, Basis.ESTIMATED, Status.PENDING, expiry)


def _international(facts: TermFacts, on: dt.date) -> PatentStanding:
    start = facts.priority_date or facts.filing_date
    if start is None:
        return PatentStanding(Standing.UNKNOWN, Basis.NONE)
    deadline = add_months(start, PCT_NATIONAL_PHASE_MONTHS)
    if on < deadline:
        return PatentStanding(Standing.PENDING, Basis.ESTIMATED, Status.PENDING)
    return PatentStanding(Standing.ENDED, Basis.ESTIMATED)


def estimated_expiry(facts: TermFacts) -> dt.date | None:
    """The day the statutory term of a granted patent (or of an application, if granted)
    ends under the estimated-term rules; None where no rule applies or a needed date is
    missing."""
    if facts.filing_date is None or facts.office.upper() == "WO":
        return None
    rules = _rules_for(facts.office, facts.document_type, facts.filing_date)
    return _term_end(rules, facts.filing_date, facts.grant_date) if rules else None


@dataclass(frozen=True)
class TermRule:
    """One row of ``estimated_terms.csv``: ``years`` counted from the filing or the grant."""

    counts_from: str  # "filing" or "grant"
    years: int
    source: str


def _term_end(
    rules: tuple[TermRule, ...], filing: dt.date, grant: dt.date | None
) -> dt.date | None:
    """The latest end among the rules of one version (the "longer of" 17 years from grant
    and 20 from filing); rules counting from an unknown grant are skipped."""
    starts = {"filing": filing, "grant": grant}
    ends = [
        add_years(start, rule.years)
        for rule in rules
        if (start := starts[rule.counts_from]) is not None
    ]
    return max(ends) if ends else None


def _rules_for(office: str, document_type: str, filing: dt.date) -> tuple[TermRule, ...]:
    """The rules of the version in force on the filing date: the office's own rows for the
    type where it has any, else those for any office."""
    table = _term_table()
    versions = table.get((office.upper(), document_type)) or table.get((ANY_OFFICE, document_type))
    if versions is None:
        return ()
    return version_on(versions, filing) or ()


@functools.cache
def _term_table() -> dict[tuple[str, str], dict[dt.date, tuple[TermRule, ...]]]:
    grouped: dict[tuple[str, str], dict[dt.date, list[TermRule]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in read_data_csv("estimated_terms.csv"):
        counts_from = row["counts_from"]
        if counts_from not in ("filing", "grant"):
            raise ValueError(f"estimated_terms.csv: counts_from {counts_from!r}")
        grouped[(row["office"], row["document_type"])][parse_iso_date(row["filed_from"])].append(
            TermRule(counts_from, int(row["years"]), row["source"])
        )
    return {
        key: {start: tuple(rules) for start, rules in versions.items()}
        for key, versions in grouped.items()
    }

"""法律状态 — a CN patent's legal status on any date, its term and its patent years.

The status is replayed from the facts a record holds: the patent type, the filing date
(申请日), the grant date (授权公告日) and the CNIPA legal events (法律事件, INPADOC CN codes such
as CF01). What each code does is data (``ipcore/data/cn_legal_event_effects.csv``, codes and
English meanings from ``reference-cn/codes/cn_legal_event_codes.csv``); a code not listed
there — PB01, TR01, PE01, a code from next year — is kept on the record and has no effect on
the status, never an error.

Terms are versioned data too (``cn_patent_terms.csv``), keyed by filing date, because the term
law applies to applications filed after it took effect (DOMAIN.md: a design filed before
2021-06-01 has 10 years, one filed on or after it 15).

Readings that DOMAIN.md does not state are marked *(inferred)* where they are made.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ipcore._data import read_data_csv
from ipcore._versioned import parse_iso_date, version_on
from ipcore.identifiers._text import compact
from ipcore.identifiers.cn import PatentType
from ipcore.periods import add_years


class LegalStatusError(ValueError):
    """法律状态数据错误 — dates or events that cannot belong to one patent.

    Shaped like :class:`ipcore.identifiers.errors.IdentifierError`: ``code`` is a stable
    machine name for the rule that failed (an import report groups by it, a test asserts on
    it), with a message in each language; ``str()`` is the English one, for logs.
    """

    code: str
    message_zh: str
    message_en: str

    def __init__(self, code: str, *, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments defeat ValueError's default pickling; errors travel through
        # pickle (task queues, multiprocessing).
        return (_rebuild_error, (type(self), self.code, self.message_zh, self.message_en))

    def __str__(self) -> str:
        return self.message_en

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message_en={self.message_en!r})"


def _rebuild_error(
    cls: type[LegalStatusError], code: str, message_zh: str, message_en: str
) -> LegalStatusError:
    return cls(code, message_zh=message_zh, message_en=message_en)


class Status(StrEnum):
    """法律状态 of a patent or application on a date."""

    PENDING = "pending"  # 审中: filed, not granted, not ended
    IN_FORCE = "in_force"  # 有效: granted, within its term, no terminating event
    LAPSED = "lapsed"  # 未缴年费终止 (CF01)
    EXPIRED = "expired"  # 期限届满 (CX01, or the term has run out)
    WITHDRAWN = "withdrawn"  # 撤回 / 视为撤回 (WD01, WW01)
    REJECTED = "rejected"  # 驳回 (RJ01)
    INVALIDATED = "invalidated"  # 全部无效 (IW01)
    # Not in the brief's list but in DOMAIN.md §2's ends ("abandoned (AV01)"): folding a
    # declared abandonment into "lapsed" would tell a user the fee went unpaid.
    ABANDONED = "abandoned"  # 放弃专利权 (AV01)


STATUS_LABELS_ZH: Final[Mapping[Status, str]] = MappingProxyType(
    {
        Status.PENDING: "审中",
        Status.IN_FORCE: "有效",
        Status.LAPSED: "失效（未缴年费）",
        Status.EXPIRED: "届满",
        Status.WITHDRAWN: "撤回",
        Status.REJECTED: "驳回",
        Status.INVALIDATED: "无效",
        Status.ABANDONED: "放弃",
    }
)
"""Chinese UI labels of :class:`Status`, as a CNIPA search page words them."""


class EventEffect(StrEnum):
    """What a legal event does to the status (the ``effect`` column of the effects table)."""

    GRANT = "grant"  # 授权
    TERMINATE = "terminate"  # 终止 before or instead of a grant
    RESTORE = "restore"  # 权利恢复: undoes a restorable termination
    PARTIAL = "partial"  # 部分无效 and the like: the patent stays in force


@dataclass(frozen=True)
class EventRule:
    """法律事件的效力 — one row of ``cn_legal_event_effects.csv``.

    ``status`` is the status a TERMINATE event ends in; None for the generic termination
    codes (CE01, C17, EXPY) whose cause is not stated, which end in EXPIRED when dated on or
    after the expiry date and LAPSED before it *(inferred)*. ``restorable`` says whether a
    later RR01 can undo it: DOMAIN.md says so of lapses; for deemed withdrawal and deemed
    abandonment it is *(inferred)* (both follow a missed time limit, which restoration cures).
    """

    code: str
    effect: EventEffect
    status: Status | None = None
    restorable: bool = False


@dataclass(frozen=True)
class LegalEvent:
    """法律事件 — one CNIPA legal-status event on a patent's record.

    ``date`` is the date the record gives the event (its gazette date, 公告日).
    ``effective_date`` is the date it took effect when the record states one: a CF01 of
    CN101551481B is published 2016-05-11 with "Termination date: 20150325". ``code`` is
    upper-cased and stripped; any code is accepted.
    """

    code: str
    date: dt.date
    effective_date: dt.date | None = None
    description: str = ""

    def __post_init__(self) -> None:
        code = compact(self.code)
        if not code:
            raise LegalStatusError(
                "event_code",
                message_zh="法律事件代码为空",
                message_en="a legal event needs a code",
            )
        object.__setattr__(self, "code", code)

    @property
    def effective_on(self) -> dt.date:
        """The date the event changes the status: its effective date, else its own date.

        (inferred) Status is the legal position, not what the gazette had printed by then: a
        fee lapse counts from the unpaid due date even though CF01 is published months later.
        """
        return self.effective_date or self.date

    @property
    def rule(self) -> EventRule | None:
        """The event's effect on the status; None for codes that have none (or are unknown)."""
        return event_rule(self.code)


@dataclass(frozen=True)
class PatentLife:
    """专利生命周期 — the facts a CN patent's status, term and fees follow from.

    ``filing_date`` is the 申请日 the record gives: for a PCT national-phase entry the
    international filing date, for a divisional application (分案申请) its parent's date —
    the term counts from it, never from a priority date. ``grant_date`` is the 授权公告日;
    a grant event (GR01) in ``events`` serves too. ``term_extension_days`` is 专利权期限补偿
    (examination delay, drug patents): the events (TG01, TP01) do not carry the number of days,
    so it is a field. Events are kept in order of the date they take effect.
    """

    patent_type: PatentType
    filing_date: dt.date
    grant_date: dt.date | None = None
    publication_date: dt.date | None = None
    events: tuple[LegalEvent, ...] = ()
    term_extension_days: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "patent_type", _patent_type(self.patent_type))
        _check_filing_date(self.filing_date)
        _check_after_filing(self.filing_date, self.grant_date, "grant", "授权公告日")
        _check_after_filing(self.filing_date, self.publication_date, "publication", "公布日")
        for event in self.events:
            _check_event(self.filing_date, event)
        if self.term_extension_days < 0:
            raise LegalStatusError(
                "term_extension",
                message_zh=f"期限补偿天数不能为负：{self.term_extension_days}",
                message_en=f"term extension cannot be negative: {self.term_extension_days} days",
            )
        ordered = tuple(sorted(self.events, key=lambda event: event.effective_on))
        object.__setattr__(self, "events", ordered)

    @property
    def granted_on(self) -> dt.date | None:
        """授权日 — the grant date, else the earliest grant event; None if never granted."""
        grants = [event.effective_on for event in self.events if _is_grant(event)]
        if self.grant_date is not None:
            grants.append(self.grant_date)
        return min(grants, default=None)


# --- term and patent years ------------------------------------------------------------------


def term_years(patent_type: PatentType, filing_date: dt.date) -> int:
    """保护期限 in years for an application of this type filed on this date (versioned data)."""
    term = version_on(_terms()[PatentType(patent_type)], filing_date)
    if term is None:
        raise _no_term_error(filing_date)
    return term


def expiry_date(patent: PatentLife) -> dt.date:
    """期满终止日 — the first day the patent is no longer in force because its term ran out.

    The term counts from the filing date; the 20th (10th, 15th) 相应日 of the filing date ends
    it, 29 February falling back to 28 February (see :mod:`ipcore.periods`). So
    ``expiry_date - filing_date`` is the term in whole years, and the last day in force is the
    day before. (inferred) DOMAIN.md says only "from the filing date"; this reading agrees with
    the patent years (year 21 would begin that day) and with Google Patents, which gives
    CN101551481B (filed 2009-03-25) "anticipated expiration 2029-03-25". Term compensation
    days are added at the end.
    """
    end_of_term = add_years(patent.filing_date, term_years(patent.patent_type, patent.filing_date))
    return end_of_term + dt.timedelta(days=patent.term_extension_days)


def patent_year_on(filing_date: dt.date, on: dt.date) -> int:
    """专利年度 — the patent year ``on`` falls in, counted from the filing date (year 1 first).

    Patent years run from one 相应日 of the filing date to the day before the next, whatever
    the priority or grant date (专利审查指南: filed 1999-06-01, year 1 is 1999-06-01 to
    2000-05-31). A filing date of 29 February starts its years on 28 February in common years.
    """
    if on < filing_date:
        raise _before_filing_error(on, filing_date)
    years = on.year - filing_date.year
    if add_years(filing_date, years) > on:
        years -= 1
    return years + 1


# --- status ------------------------------------------------------------------------------


def status_on(patent: PatentLife, on: dt.date) -> Status:
    """法律状态 of ``patent`` on the date ``on``.

    Events that take effect by ``on`` are replayed in order: a grant makes the patent granted
    (and supersedes an earlier rejection or withdrawal, since only a successful 复审 or a
    restoration can be followed by a grant — *(inferred)*); a terminating event ends it, the
    latest one winning (an IW01 after a CF01 reads "invalidated": invalidation is decided on
    lapsed patents too); a restoration (RR01) undoes a restorable termination; partial events
    (IP01) change nothing. A granted patent that has not ended is in force until its expiry
    date and expired from then on, with or without a CX01. An application past its term but
    never granted stays "pending": nothing on the record ended it.

    (inferred) The status is the register's position on that date: IW01 makes a patent void
    from the start in law, but it reads "in force" on dates before the decision.
    """
    if on < patent.filing_date:
        raise _before_filing_error(on, patent.filing_date)
    granted, ended = _replay(patent, on)
    if ended is not None:
        return ended
    if not granted:
        return Status.PENDING
    return Status.EXPIRED if on >= expiry_date(patent) else Status.IN_FORCE


def is_valid_on(patent: PatentLife, on: dt.date) -> bool:
    """有效 — granted and no terminating event (or end of term) by that date (DOMAIN.md §2)."""
    return status_on(patent, on) is Status.IN_FORCE


def event_rule(code: str) -> EventRule | None:
    """The effect of a legal-event code on the status; None when it has none or is unknown."""
    return _event_rules().get(compact(code))


# --- dates from records -------------------------------------------------------------------

_RECORD_DATE: Final = re.compile(r"^(\d{4})[-./]?(\d{1,2})[-./]?(\d{1,2})$")


def parse_event_date(text: str) -> dt.date:
    """A date as patent records write it (``20160511``, ``2016-05-11``, ``2016.5.11``).

    Records hold impossible dates (``20230229``, and ``00000000`` for "none" in CNIPA XML):
    they raise :class:`LegalStatusError` with code ``impossible_date`` instead of a bare
    ``ValueError`` so that an importer can report them with the record.
    """
    match = _RECORD_DATE.match(compact(text))
    if match is None:
        raise _date_error(text, "not a date")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise _date_error(text, str(error)) from None


# --- replay -------------------------------------------------------------------------------

_GRANT_RULE: Final = EventRule(code="", effect=EventEffect.GRANT)
_SUPERSEDED_BY_GRANT: Final = frozenset({Status.WITHDRAWN, Status.REJECTED})


def _replay(patent: PatentLife, on: dt.date) -> tuple[bool, Status | None]:
    """(granted, how it ended or None) after the events that take effect by ``on``."""
    granted, ended, restorable = False, None, False
    for when, rule in _timeline(patent):
        if when > on:
            break
        if rule.effect is EventEffect.GRANT:
            granted = True
            if ended in _SUPERSEDED_BY_GRANT:
                ended = None
        elif rule.effect is EventEffect.TERMINATE:
            ended, restorable = _terminal_status(patent, rule, when), rule.restorable
        elif rule.effect is EventEffect.RESTORE and ended is not None and restorable:
            ended = None
    return granted, ended


def _timeline(patent: PatentLife) -> list[tuple[dt.date, EventRule]]:
    """Status-relevant events by effective date; the grant date counts as a grant event.

    ``sorted`` is stable, so events of one day keep the record's order, and the grant date
    goes first among them (it is placed first before sorting).
    """
    timeline = [] if patent.grant_date is None else [(patent.grant_date, _GRANT_RULE)]
    for event in patent.events:
        rule = event.rule
        if rule is not None:
            timeline.append((event.effective_on, rule))
    return sorted(timeline, key=lambda item: item[0])


def _terminal_status(patent: PatentLife, rule: EventRule, when: dt.date) -> Status:
    if rule.status is not None:
        return rule.status
    return Status.EXPIRED if when >= expiry_date(patent) else Status.LAPSED


def _is_grant(event: LegalEvent) -> bool:
    rule = event.rule
    return rule is not None and rule.effect is EventEffect.GRANT


# --- data ---------------------------------------------------------------------------------


@functools.cache
def _terms() -> dict[PatentType, dict[dt.date, int]]:
    """Term in years per patent type, by the filing date it applies from.

    Keyed per type so that a version row changes only the type it names (2021-06-01 changed
    designs alone).
    """
    terms: dict[PatentType, dict[dt.date, int]] = {kind: {} for kind in PatentType}
    for row in read_data_csv("cn_patent_terms.csv"):
        effective_from = parse_iso_date(row["effective_from"])
        terms[PatentType(row["patent_type"])][effective_from] = int(row["term_years"])
    return terms


@functools.cache
def _first_filing_date() -> dt.date:
    """The earliest filing date any term rule covers: 1985-04-01, when the Patent Law began."""
    return min(min(versions) for versions in _terms().values())


@functools.cache
def _event_rules() -> dict[str, EventRule]:
    rules: dict[str, EventRule] = {}
    for row in read_data_csv("cn_legal_event_effects.csv"):
        status = row["status"]
        rules[row["event_code"]] = EventRule(
            code=row["event_code"],
            effect=EventEffect(row["effect"]),
            status=Status(status) if status and status != "by_term" else None,
            restorable=row["restorable"] == "yes",
        )
    return rules


# --- validation ---------------------------------------------------------------------------


def _patent_type(value: str) -> PatentType:
    # Importers hand over plain strings ("invention") as often as the enum.
    try:
        return PatentType(value)
    except ValueError:
        raise LegalStatusError(
            "patent_type",
            message_zh=f"专利类型“{value}”无效（应为发明、实用新型或外观设计）",
            message_en=f"patent type {value!r} is not invention, utility_model or design",
        ) from None


def _check_filing_date(filing_date: dt.date) -> None:
    first = _first_filing_date()
    if filing_date < first:
        raise LegalStatusError(
            "filing_before_patent_law",
            message_zh=f"申请日{filing_date}早于专利法施行日{first}",
            message_en=f"filing date {filing_date} is before the Patent Law took effect ({first})",
        )


def _check_after_filing(
    filing_date: dt.date, value: dt.date | None, name_en: str, name_zh: str
) -> None:
    if value is not None and value < filing_date:
        raise LegalStatusError(
            f"{name_en}_before_filing",
            message_zh=f"{name_zh}{value}早于申请日{filing_date}",
            message_en=f"{name_en} date {value} is before the filing date {filing_date}",
        )


def _check_event(filing_date: dt.date, event: LegalEvent) -> None:
    for when in (event.date, event.effective_date):
        if when is not None and when < filing_date:
            raise LegalStatusError(
                "event_before_filing",
                message_zh=f"法律事件{event.code}的日期{when}早于申请日{filing_date}",
                message_en=f"legal event {event.code} dated {when} is before the filing date "
                f"{filing_date}",
            )


def _no_term_error(filing_date: dt.date) -> LegalStatusError:
    return LegalStatusError(
        "no_term_rule",
        message_zh=f"没有适用于申请日{filing_date}的保护期限规定",
        message_en=f"no term rule covers applications filed on {filing_date}",
    )


def _before_filing_error(on: dt.date, filing_date: dt.date) -> LegalStatusError:
    return LegalStatusError(
        "before_filing",
        message_zh=f"日期{on}早于申请日{filing_date}，此时专利申请尚不存在",
        message_en=f"{on} is before the filing date {filing_date}: there was no application yet",
    )


def _date_error(text: str, why: str) -> LegalStatusError:
    return LegalStatusError(
        "impossible_date",
        message_zh=f"“{text}”不是有效日期",
        message_en=f"{text!r} is not a possible date: {why}",
    )

"""挂牌 — what a patent can be offered as, and what stops it being offered.

An owner (or its provider) lists patents for transfer (转让), an exclusive, sole or ordinary
licence (独占/排他/普通许可), an open licence (开放许可, Patent Law arts. 50-52) or a capital
contribution (作价入股). A listing is open until a deal completes it, its owner withdraws it, or
a listed patent stops being in force (it is then withdrawn automatically as lapsed).

What refuses a patent on a listing, checked here over plain data:

* only a patent in force can be licensed, pledged or contributed; a pending application can
  only be offered for transfer (专利申请权转让);
* while an open-licence declaration stands, the patentee may grant ordinary licences but no
  exclusive or sole licence — and an exclusive or sole offer already open blocks a declaration;
* a utility model or design needs a patent evaluation report (专利权评价报告) for an open
  licence;
* one patent is not offered twice for the same kind at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from ipcore.identifiers.cn import PatentType
from ipcore.legal_status import STATUS_LABELS_ZH, Status


class ListingKind(StrEnum):
    """挂牌方式."""

    TRANSFER = "transfer"  # 转让
    EXCLUSIVE_LICENCE = "exclusive_licence"  # 独占许可
    SOLE_LICENCE = "sole_licence"  # 排他许可
    ORDINARY_LICENCE = "ordinary_licence"  # 普通许可
    OPEN_LICENCE = "open_licence"  # 开放许可
    CAPITAL_CONTRIBUTION = "capital_contribution"  # 作价入股

    @property
    def is_licence(self) -> bool:
        return self in LICENCE_KINDS


LICENCE_KINDS: Final = frozenset(
    {
        ListingKind.EXCLUSIVE_LICENCE,
        ListingKind.SOLE_LICENCE,
        ListingKind.ORDINARY_LICENCE,
        ListingKind.OPEN_LICENCE,
    }
)
# Exclusive and sole licences exclude the open licence's "anyone may use it" (art. 51).
_EXCLUDES_OPEN: Final = frozenset({ListingKind.EXCLUSIVE_LICENCE, ListingKind.SOLE_LICENCE})

KIND_LABELS_ZH: Final[Mapping[ListingKind, str]] = {
    ListingKind.TRANSFER: "转让",
    ListingKind.EXCLUSIVE_LICENCE: "独占许可",
    ListingKind.SOLE_LICENCE: "排他许可",
    ListingKind.ORDINARY_LICENCE: "普通许可",
    ListingKind.OPEN_LICENCE: "开放许可",
    ListingKind.CAPITAL_CONTRIBUTION: "作价入股",
}


class ListingStatus(StrEnum):
    """挂牌状态."""

    OPEN = "open"  # 挂牌中
    CLOSED = "closed"  # 已成交
    WITHDRAWN = "withdrawn"  # 已撤牌 (by its owner)
    LAPSED = "lapsed"  # 专利失效自动撤牌


LISTING_MOVES: Final = frozenset(
    {
        (ListingStatus.OPEN, ListingStatus.CLOSED),
        (ListingStatus.OPEN, ListingStatus.WITHDRAWN),
        (ListingStatus.OPEN, ListingStatus.LAPSED),
    }
)


class ListingGround(StrEnum):
    """Why a patent cannot be on a listing of a kind."""

    NOT_IN_FORCE = "not_in_force"
    OPEN_LICENCE_DECLARED = "open_licence_declared"
    EXCLUSIVE_OFFERED = "exclusive_offered"
    EVALUATION_REPORT_MISSING = "evaluation_report_missing"
    ALREADY_LISTED = "already_listed"
    NOT_OWNER = "not_owner"


@dataclass(frozen=True)
class ListedPatent:
    """What the rules need to know about one patent offered on a listing."""

    number: str
    patent_type: PatentType | None  # None: not a CN patent (the CN rules cannot tell)
    status: Status | None  # None: the record does not say (no filing date)
    owned_by_lister: bool
    open_kinds: frozenset[ListingKind] = field(default_factory=frozenset)  # its other listings
    has_evaluation_report: bool = False


@dataclass(frozen=True)
class ListingProblem:
    ground: ListingGround
    number: str
    message_zh: str
    message_en: str


def _status_text(status: Status | None) -> tuple[str, str]:
    if status is None:
        return "法律状态未知", "its legal status is unknown"
    return STATUS_LABELS_ZH[status], status.value.replace("_", " ")


def listing_problems(kind: ListingKind, patent: ListedPatent) -> list[ListingProblem]:
    """Every reason ``patent`` cannot be offered as ``kind``; empty when it can."""
    n = patent.number
    problems: list[ListingProblem] = []

    def add(ground: ListingGround, zh: str, en: str) -> None:
        problems.append(ListingProblem(ground, n, zh, en))

    if not patent.owned_by_lister:
        add(
            ListingGround.NOT_OWNER,
            f"{n} 的专利权人不是挂牌机构",
            f"{n} is not a patent of the listing organisation",
        )
    allowed = {Status.IN_FORCE} | ({Status.PENDING} if kind is ListingKind.TRANSFER else set())
    if patent.status not in allowed:
        zh, en = _status_text(patent.status)
        add(
            ListingGround.NOT_IN_FORCE,
            f"{n} {zh}，不能以{KIND_LABELS_ZH[kind]}方式挂牌",
            f"{n}: {en}, so it cannot be offered as {kind.value.replace('_', ' ')}",
        )
    if kind in patent.open_kinds:
        add(
            ListingGround.ALREADY_LISTED,
            f"{n} 已以{KIND_LABELS_ZH[kind]}方式挂牌",
            f"{n} is already listed as {kind.value.replace('_', ' ')}",
        )
    if kind in _EXCLUDES_OPEN and ListingKind.OPEN_LICENCE in patent.open_kinds:
        add(
            ListingGround.OPEN_LICENCE_DECLARED,
            f"{n} 已声明开放许可，不能再给予独占或排他许可",
            f"{n} is under an open licence: no exclusive or sole licence while it stands",
        )
    if kind is ListingKind.OPEN_LICENCE and patent.open_kinds & _EXCLUDES_OPEN:
        add(
            ListingGround.EXCLUSIVE_OFFERED,
            f"{n} 正以独占或排他许可方式挂牌，不能同时声明开放许可",
            f"{n} is offered for an exclusive or sole licence, so it cannot be opened to all",
        )
    if (
        kind is ListingKind.OPEN_LICENCE
        and patent.patent_type in {PatentType.UTILITY_MODEL, PatentType.DESIGN}
        and not patent.has_evaluation_report
    ):
        add(
            ListingGround.EVALUATION_REPORT_MISSING,
            f"{n} 是实用新型或外观设计，开放许可须提交专利权评价报告",
            f"{n} is a utility model or design: an open licence needs a patent evaluation report",
        )
    return problems


def problems_of(kind: ListingKind, patents: Iterable[ListedPatent]) -> list[ListingProblem]:
    """Every problem of every patent on one listing, in the order the patents were given."""
    return [problem for patent in patents for problem in listing_problems(kind, patent)]


def remaining_years(expiry: dt.date, on: dt.date) -> float:
    """剩余保护期 in years (0 once expired), to one decimal as a listing shows it."""
    return max(0.0, round((expiry - on).days / 365.25, 1))


def ends_listing(status: Status) -> bool:
    """A listed patent in this status takes its open listings down (withdrawn as lapsed)."""
    return status not in {Status.IN_FORCE, Status.PENDING}

"""质押登记 — the refusal grounds a pledge registration can be checked against beforehand.

Under CNIPA's 2021 pledge registration rules, a registration is refused when a pledged patent
is no longer in force (lapsed, invalidated, expired …), its annual fee is unpaid, it is
preserved or its proceedings suspended, the debt term runs past the patent's remaining term,
a co-owner has not consented, or it is already pledged. These checks run over plain data the
caller gathers; a fact the caller cannot know (a fee payment the platform has no record of)
is passed as None and reported as "cannot tell", never as passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ipcore.legal_status import STATUS_LABELS_ZH, Status


class PledgeGround(StrEnum):
    """驳回理由."""

    NOT_IN_FORCE = "not_in_force"  # 专利权已终止、被宣告无效或未授权
    FEE_OVERDUE = "fee_overdue"  # 未按规定缴纳年费
    PRESERVED = "preserved"  # 被保全或中止程序
    TERM_TOO_LONG = "term_too_long"  # 债务履行期限超过专利权剩余有效期
    ALREADY_PLEDGED = "already_pledged"  # 已经质押
    CONSENT_MISSING = "consent_missing"  # 共有专利未经全体共有人同意
    BAD_AMOUNT = "bad_amount"  # 被担保债权数额不是正数
    BAD_TERM = "bad_term"  # 债务履行期限结束在开始之前


@dataclass(frozen=True)
class PledgedPatent:
    """What the rules need to know about one patent offered as pledge."""

    number: str
    status: Status | None  # None: the record cannot say
    expiry: dt.date | None
    fee_overdue: bool | None  # None: no record of fee payments
    already_pledged: bool
    preserved: bool = False
    owners: frozenset[str] = field(default_factory=frozenset)  # 专利权人 (all co-owners)
    consenting: frozenset[str] = field(default_factory=frozenset)  # pledgors and consents


@dataclass(frozen=True)
class PledgeTerms:
    amount: Decimal  # 被担保债权数额, CNY
    debt_start: dt.date
    debt_end: dt.date  # 债务履行期限届满日


@dataclass(frozen=True)
class Refusal:
    """One ground that refuses (``certain``) or may refuse (cannot tell) the registration."""

    ground: PledgeGround
    number: str  # the patent's number; "" for the terms themselves
    message_zh: str
    message_en: str
    certain: bool = True


def term_refusals(terms: PledgeTerms) -> list[Refusal]:
    """Problems with the secured claim itself."""
    refusals = []
    if terms.amount <= 0:
        refusals.append(
            Refusal(
                PledgeGround.BAD_AMOUNT,
                "",
                f"被担保债权数额须为正数（填写的是 {terms.amount}）",
                f"the secured amount must be positive (given {terms.amount})",
            )
        )
    if terms.debt_end < terms.debt_start:
        refusals.append(
            Refusal(
                PledgeGround.BAD_TERM,
                "",
                "债务履行期限的结束日早于开始日",
                "the debt term ends before it starts",
            )
        )
    return refusals


def patent_refusals(patent: PledgedPatent, terms: PledgeTerms) -> list[Refusal]:
    """Every ground that refuses (or may refuse) pledging ``patent`` under ``terms``."""
    n = patent.number
    out: list[Refusal] = []
    if patent.status is not Status.IN_FORCE:
        label = STATUS_LABELS_ZH[patent.status] if patent.status else "法律状态未知"
        en = patent.status.value.replace("_", " ") if patent.status else "status unknown"
        out.append(
            Refusal(
                PledgeGround.NOT_IN_FORCE,
                n,
                f"{n} 不是有效专利（{label}）",
                f"{n} is not in force ({en})",
                certain=patent.status is not None,
            )
        )
    if patent.fee_overdue is None:
        out.append(
            Refusal(
                PledgeGround.FEE_OVERDUE,
                n,
                f"{n} 的年费缴纳情况平台无记录，请核实",
                f"{n}: the platform has no record of its annual fee payments; check them",
                certain=False,
            )
        )
    elif patent.fee_overdue:
        out.append(
            Refusal(PledgeGround.FEE_OVERDUE, n, f"{n} 年费逾期未缴", f"{n}: annual fee overdue")
        )
    if patent.preserved:
        out.append(
            Refusal(
                PledgeGround.PRESERVED,
                n,
                f"{n} 已被保全或程序中止",
                f"{n} is preserved or its proceedings are suspended",
            )
        )
    if patent.expiry is not None and terms.debt_end > patent.expiry:
        out.append(
            Refusal(
                PledgeGround.TERM_TOO_LONG,
                n,
                f"债务履行期限（至 {terms.debt_end}）超过 {n} 的剩余有效期（至 {patent.expiry}）",
                f"the debt term (to {terms.debt_end}) runs past {n}'s term (to {patent.expiry})",
            )
        )
    if patent.already_pledged:
        out.append(
            Refusal(PledgeGround.ALREADY_PLEDGED, n, f"{n} 已经质押", f"{n} is already pledged")
        )
    missing = sorted(patent.owners - patent.consenting)
    if missing:
        out.append(
            Refusal(
                PledgeGround.CONSENT_MISSING,
                n,
                f"{n} 为共有专利，缺少共有人同意：{'、'.join(missing)}",
                f"{n} is co-owned; consent missing from: {', '.join(missing)}",
            )
        )
    return out


def pledge_refusals(terms: PledgeTerms, patents: Iterable[PledgedPatent]) -> list[Refusal]:
    """All grounds against a pledge: the terms' own, then each patent's in order."""
    return [*term_refusals(terms), *(r for p in patents for r in patent_refusals(p, terms))]


def may_register(refusals: Iterable[Refusal]) -> bool:
    """Registrable when no ground certainly refuses it (uncertain ones are shown to check)."""
    return not any(refusal.certain for refusal in refusals)

"""交易 — a deal's stages and the moves between them, as one table.

A deal starts as an inquiry (a buyer asks about a listing), goes to negotiation when the
seller takes it up, to contract signed, to filed/registered (licence filing 许可备案 or
transfer registration 转让登记 at CNIPA) and to completed. An open deal may be withdrawn by
either party, or recorded as failed (talks broke down, CNIPA refused the filing). Closed
deals stay closed. Each allowed move names the parties who may make it: the seller side
(the listing's owner and its provider), the buyer side (the inquirer), and the bureau, which
supervises every deal and may record a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class DealStage(StrEnum):
    """交易阶段."""

    INQUIRY = "inquiry"  # 意向咨询
    NEGOTIATION = "negotiation"  # 洽谈
    CONTRACT_SIGNED = "contract_signed"  # 合同签订
    FILED = "filed"  # 备案/登记
    COMPLETED = "completed"  # 完成
    WITHDRAWN = "withdrawn"  # 撤回
    FAILED = "failed"  # 未成交


class DealSide(StrEnum):
    """Who acts on a deal: 转让方/许可方, 受让方/被许可方, or the supervising bureau."""

    SELLER = "seller"
    BUYER = "buyer"
    BUREAU = "bureau"


OPEN_STAGES: Final[tuple[DealStage, ...]] = (
    DealStage.INQUIRY,
    DealStage.NEGOTIATION,
    DealStage.CONTRACT_SIGNED,
    DealStage.FILED,
)
CLOSED_STAGES: Final = frozenset({DealStage.COMPLETED, DealStage.WITHDRAWN, DealStage.FAILED})

_PARTIES: Final = frozenset({DealSide.SELLER, DealSide.BUYER})
_ANYONE: Final = frozenset({DealSide.SELLER, DealSide.BUYER, DealSide.BUREAU})


def _moves() -> dict[tuple[DealStage, DealStage], frozenset[DealSide]]:
    moves: dict[tuple[DealStage, DealStage], frozenset[DealSide]] = {
        # the seller takes an inquiry up; a buyer cannot force talks
        (DealStage.INQUIRY, DealStage.NEGOTIATION): frozenset({DealSide.SELLER}),
        (DealStage.NEGOTIATION, DealStage.CONTRACT_SIGNED): _PARTIES,
        (DealStage.CONTRACT_SIGNED, DealStage.FILED): _PARTIES,
        (DealStage.FILED, DealStage.COMPLETED): _PARTIES,
    }
    for stage in OPEN_STAGES:
        moves[(stage, DealStage.WITHDRAWN)] = _PARTIES
        moves[(stage, DealStage.FAILED)] = _ANYONE
    return moves


MOVES: Final[Mapping[tuple[DealStage, DealStage], frozenset[DealSide]]] = _moves()
"""The one table: (from, to) → the sides that may make that move. Nothing else is allowed."""

STAGE_LABELS_ZH: Final[Mapping[DealStage, str]] = {
    DealStage.INQUIRY: "意向咨询",
    DealStage.NEGOTIATION: "洽谈",
    DealStage.CONTRACT_SIGNED: "合同签订",
    DealStage.FILED: "备案/登记",
    DealStage.COMPLETED: "完成",
    DealStage.WITHDRAWN: "撤回",
    DealStage.FAILED: "未成交",
}
SIDE_LABELS_ZH: Final[Mapping[DealSide, str]] = {
    DealSide.SELLER: "出让方",
    DealSide.BUYER: "受让方",
    DealSide.BUREAU: "知识产权局",
}


class DealMoveError(ValueError):
    """A move the table does not allow, or one this side may not make, with the reason in
    both languages."""

    def __init__(self, current: DealStage, wanted: DealStage, side: DealSide | None) -> None:
        self.current = current
        self.wanted = wanted
        self.side = side
        self.allowed_stage = (current, wanted) in MOVES
        super().__init__(self.message_en)

    @property
    def message_zh(self) -> str:
        frm, to = STAGE_LABELS_ZH[self.current], STAGE_LABELS_ZH[self.wanted]
        if self.current in CLOSED_STAGES:
            return f"交易已{frm}，不能再转到“{to}”"
        if not self.allowed_stage:
            return f"交易不能从“{frm}”转到“{to}”"
        sides = "、".join(SIDE_LABELS_ZH[s] for s in sorted(MOVES[self.current, self.wanted]))
        return f"从“{frm}”转到“{to}”只能由{sides}操作"

    @property
    def message_en(self) -> str:
        frm, to = self.current.value, self.wanted.value
        if self.current in CLOSED_STAGES:
            return f"the deal is {frm} (closed) and cannot move to {to}"
        if not self.allowed_stage:
            return f"a deal cannot move from {frm} to {to}"
        sides = ", ".join(s.value for s in sorted(MOVES[self.current, self.wanted]))
        return f"only the {sides} may move a deal from {frm} to {to}"


def check_move(current: DealStage, wanted: DealStage, side: DealSide | None = None) -> None:
    """Raise DealMoveError unless the table allows ``current`` → ``wanted`` (and, when
    ``side`` is given, unless that side may make the move)."""
    sides = MOVES.get((current, wanted))
    if sides is None or (side is not None and side not in sides):
        raise DealMoveError(current, wanted, side)


def next_stages(current: DealStage, side: DealSide | None = None) -> tuple[DealStage, ...]:
    """The stages a deal may go to from ``current`` (for ``side``, when given), in stage order:
    what a page offers as buttons."""
    return tuple(
        wanted
        for wanted in DealStage
        if (sides := MOVES.get((current, wanted))) is not None and (side is None or side in sides)
    )

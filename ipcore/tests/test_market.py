"""Market rules: every deal move in and out of the table, who may make it, listing problems,
the licence-filing time limit and each pledge refusal ground."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from ipcore.identifiers.cn import PatentType
from ipcore.legal_status import Status
from ipcore.market.deals import (
    CLOSED_STAGES,
    MOVES,
    DealMoveError,
    DealSide,
    DealStage,
    check_move,
    next_stages,
)
from ipcore.market.filing import filing_deadline
from ipcore.market.listings import (
    ListedPatent,
    ListingGround,
    ListingKind,
    listing_problems,
    remaining_years,
)
from ipcore.market.pledges import (
    PledgedPatent,
    PledgeGround,
    PledgeTerms,
    may_register,
    pledge_refusals,
)

ALLOWED = sorted(
    (current, wanted, side) for (current, wanted), sides in MOVES.items() for side in sides
)
FORBIDDEN_STAGES = sorted(
    (current, wanted)
    for current, wanted in itertools.product(DealStage, DealStage)
    if (current, wanted) not in MOVES
)
FORBIDDEN_SIDES = sorted(
    (current, wanted, side)
    for (current, wanted), sides in MOVES.items()
    for side in DealSide
    if side not in sides
)


@pytest.mark.parametrize(("current", "wanted", "side"), ALLOWED)
def test_every_move_in_the_table_is_allowed_for_its_sides(
    current: DealStage, wanted: DealStage, side: DealSide
) -> None:
    check_move(current, wanted, side)
    assert wanted in next_stages(current, side)


@pytest.mark.parametrize(("current", "wanted"), FORBIDDEN_STAGES)
def test_every_move_outside_the_table_is_refused_with_a_reason(
    current: DealStage, wanted: DealStage
) -> None:
    for side in (None, *DealSide):
        with pytest.raises(DealMoveError) as raised:
            check_move(current, wanted, side)
        assert current.value in raised.value.message_en
        assert raised.value.message_zh
    assert wanted not in next_stages(current)


@pytest.mark.parametrize(("current", "wanted", "side"), FORBIDDEN_SIDES)
def test_a_side_not_named_for_a_move_is_refused_naming_who_may(
    current: DealStage, wanted: DealStage, side: DealSide
) -> None:
    with pytest.raises(DealMoveError) as raised:
        check_move(current, wanted, side)
    assert raised.value.message_en.startswith("only the ")
    assert "只能由" in raised.value.message_zh


def test_the_happy_path_and_closed_deals() -> None:
    path = [
        DealStage.INQUIRY,
        DealStage.NEGOTIATION,
        DealStage.CONTRACT_SIGNED,
        DealStage.FILED,
        DealStage.COMPLETED,
    ]
    for current, wanted in itertools.pairwise(path):
        check_move(current, wanted)
    for closed in CLOSED_STAGES:
        assert next_stages(closed) == ()
        with pytest.raises(DealMoveError, match="closed"):
            check_move(closed, DealStage.NEGOTIATION)
    # only the seller takes an inquiry up; the buyer may still withdraw it
    assert next_stages(DealStage.INQUIRY, DealSide.BUYER) == (
        DealStage.WITHDRAWN,
        DealStage.FAILED,
    )
    assert next_stages(DealStage.NEGOTIATION, DealSide.BUREAU) == (DealStage.FAILED,)


def _patent(**changes: object) -> ListedPatent:
    values: dict[str, object] = {
        "number": "CN111994302B",
        "patent_type": PatentType.INVENTION,
        "status": Status.IN_FORCE,
        "owned_by_lister": True,
    }
    values.update(changes)
    return ListedPatent(**values)  # type: ignore[arg-type]


def _grounds(kind: ListingKind, patent: ListedPatent) -> list[ListingGround]:
    return [problem.ground for problem in listing_problems(kind, patent)]


def test_an_owned_patent_in_force_can_be_offered_every_way() -> None:
    for kind in ListingKind:
        assert listing_problems(kind, _patent()) == []


@pytest.mark.parametrize(
    ("kind", "patent", "ground"),
    [
        (ListingKind.TRANSFER, _patent(owned_by_lister=False), ListingGround.NOT_OWNER),
        (ListingKind.ORDINARY_LICENCE, _patent(status=Status.LAPSED), ListingGround.NOT_IN_FORCE),
        (ListingKind.TRANSFER, _patent(status=Status.EXPIRED), ListingGround.NOT_IN_FORCE),
        (ListingKind.OPEN_LICENCE, _patent(status=Status.PENDING), ListingGround.NOT_IN_FORCE),
        (ListingKind.TRANSFER, _patent(status=None), ListingGround.NOT_IN_FORCE),
        (
            ListingKind.SOLE_LICENCE,
            _patent(open_kinds=frozenset({ListingKind.OPEN_LICENCE})),
            ListingGround.OPEN_LICENCE_DECLARED,
        ),
        (
            ListingKind.OPEN_LICENCE,
            _patent(open_kinds=frozenset({ListingKind.EXCLUSIVE_LICENCE})),
            ListingGround.EXCLUSIVE_OFFERED,
        ),
        (
            ListingKind.OPEN_LICENCE,
            _patent(patent_type=PatentType.UTILITY_MODEL),
            ListingGround.EVALUATION_REPORT_MISSING,
        ),
        (
            ListingKind.TRANSFER,
            _patent(open_kinds=frozenset({ListingKind.TRANSFER})),
            ListingGround.ALREADY_LISTED,
        ),
    ],
)
def test_each_listing_problem(
    kind: ListingKind, patent: ListedPatent, ground: ListingGround
) -> None:
    assert _grounds(kind, patent) == [ground]
    assert patent.number in listing_problems(kind, patent)[0].message_zh


def test_what_stays_allowed() -> None:
    # a pending application may still be transferred; an ordinary licence beside an open one
    assert _grounds(ListingKind.TRANSFER, _patent(status=Status.PENDING)) == []
    open_declared = _patent(open_kinds=frozenset({ListingKind.OPEN_LICENCE}))
    assert _grounds(ListingKind.ORDINARY_LICENCE, open_declared) == []
    design = _patent(patent_type=PatentType.DESIGN, has_evaluation_report=True)
    assert _grounds(ListingKind.OPEN_LICENCE, design) == []
    assert remaining_years(dt.date(2030, 1, 1), dt.date(2025, 1, 1)) == 5.0
    assert remaining_years(dt.date(2020, 1, 1), dt.date(2025, 1, 1)) == 0.0


def test_licence_filing_is_due_three_months_after_the_contract_takes_effect() -> None:
    deadline = filing_deadline(dt.date(2024, 11, 30))
    assert deadline.due_on == dt.date(2025, 2, 28)  # corresponding day, clamped
    assert not deadline.overdue(dt.date(2025, 2, 28))
    assert deadline.overdue(dt.date(2025, 3, 1))
    assert deadline.days_left(dt.date(2025, 2, 20)) == 8
    filed = filing_deadline(dt.date(2024, 1, 15), filed_on=dt.date(2024, 4, 16))
    assert filed.due_on == dt.date(2024, 4, 15)
    assert filed.late and not filed.overdue(dt.date(2025, 1, 1))
    assert filed.days_left(dt.date(2024, 2, 1)) is None
    assert not filing_deadline(dt.date(2024, 1, 15), filed_on=dt.date(2024, 4, 15)).late
    with pytest.raises(ValueError, match="before the contract took effect"):
        filing_deadline(dt.date(2024, 1, 15), filed_on=dt.date(2024, 1, 1))


TERMS = PledgeTerms(Decimal("5000000"), dt.date(2025, 1, 1), dt.date(2027, 12, 31))


def _pledged(**changes: object) -> PledgedPatent:
    values: dict[str, object] = {
        "number": "CN111994302B",
        "status": Status.IN_FORCE,
        "expiry": dt.date(2040, 6, 1),
        "fee_overdue": False,
        "already_pledged": False,
        "owners": frozenset({"甲公司"}),
        "consenting": frozenset({"甲公司"}),
    }
    values.update(changes)
    return PledgedPatent(**values)  # type: ignore[arg-type]


def test_a_clean_pledge_registers() -> None:
    assert pledge_refusals(TERMS, [_pledged()]) == []
    assert may_register([])


@pytest.mark.parametrize(
    ("terms", "patent", "ground"),
    [
        (TERMS, _pledged(status=Status.LAPSED), PledgeGround.NOT_IN_FORCE),
        (TERMS, _pledged(status=Status.INVALIDATED), PledgeGround.NOT_IN_FORCE),
        (TERMS, _pledged(fee_overdue=True), PledgeGround.FEE_OVERDUE),
        (TERMS, _pledged(preserved=True), PledgeGround.PRESERVED),
        (TERMS, _pledged(expiry=dt.date(2027, 6, 30)), PledgeGround.TERM_TOO_LONG),
        (TERMS, _pledged(already_pledged=True), PledgeGround.ALREADY_PLEDGED),
        (
            TERMS,
            _pledged(owners=frozenset({"甲公司", "乙大学"})),
            PledgeGround.CONSENT_MISSING,
        ),
        (
            PledgeTerms(Decimal("-1"), dt.date(2025, 1, 1), dt.date(2026, 1, 1)),
            _pledged(),
            PledgeGround.BAD_AMOUNT,
        ),
        (
            PledgeTerms(Decimal("1"), dt.date(2025, 1, 1), dt.date(2024, 1, 1)),
            _pledged(),
            PledgeGround.BAD_TERM,
        ),
    ],
)
def test_each_refusal_ground_refuses(
    terms: PledgeTerms, patent: PledgedPatent, ground: PledgeGround
) -> None:
    refusals = pledge_refusals(terms, [patent])
    assert [r.ground for r in refusals] == [ground]
    assert refusals[0].certain
    assert not may_register(refusals)


def test_what_the_platform_cannot_know_is_shown_but_does_not_refuse() -> None:
    refusals = pledge_refusals(TERMS, [_pledged(fee_overdue=None)])
    assert [(r.ground, r.certain) for r in refusals] == [(PledgeGround.FEE_OVERDUE, False)]
    assert may_register(refusals)
    unknown = pledge_refusals(TERMS, [_pledged(status=None)])
    assert [(r.ground, r.certain) for r in unknown] == [(PledgeGround.NOT_IN_FORCE, False)]
    co_owner = pledge_refusals(TERMS, [_pledged(owners=frozenset({"甲公司", "乙大学"}))])
    assert "乙大学" in co_owner[0].message_zh


def test_amounts_in_wan_and_yi() -> None:
    from ipcore.market.money import in_wan

    assert in_wan(Decimal("1234500")) == "123.45万元"
    assert in_wan(Decimal("50000")) == "5万元"
    assert in_wan(Decimal("250000000")) == "2.5亿元"
    assert in_wan(Decimal("0.01")) == "0万元"

"""High-value invention patents (CNIPA's five criteria) and portfolios against the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from ipcore.valuation.high_value import (
    Criterion,
    HighValueFacts,
    assess,
    per_ten_thousand,
)
from ipcore.valuation.indicators import Unknown
from ipcore.valuation.portfolios import (
    CountingRules,
    Member,
    composition,
    standing,
    strength,
)

AS_OF = dt.date(2026, 1, 1)
THRESHOLD = Decimal("10000000")


def facts(**changes: object) -> HighValueFacts:
    base = HighValueFacts(
        office="CN",
        document_type="invention",
        status="in_force",
        application_date=dt.date(2020, 5, 1),
        sei_categories=frozenset(),
        granted_abroad=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_valid_invention_meeting_no_criterion_is_not_high_value() -> None:
    result = assess(facts(), as_of=AS_OF, pledge_threshold=THRESHOLD)
    assert result.eligible is True
    assert result.met == frozenset() and result.unknown == frozenset()
    assert result.high_value is False


@pytest.mark.parametrize(
    ("change", "criterion"),
    [
        ({"sei_categories": frozenset({"1.1"})}, Criterion.STRATEGIC_INDUSTRY),
        ({"granted_abroad": True}, Criterion.FAMILY_ABROAD),
        ({"application_date": dt.date(2015, 12, 31)}, Criterion.MAINTAINED),
        ({"pledge_amount": Decimal("10000000.00")}, Criterion.HIGH_PLEDGE),
        ({"awards": ("中国专利金奖",)}, Criterion.AWARD),
    ],
)
def test_each_criterion_makes_it_high_value(
    change: dict[str, object], criterion: Criterion
) -> None:
    result = assess(facts(**change), as_of=AS_OF, pledge_threshold=THRESHOLD)
    assert result.met == {criterion}
    assert result.high_value is True


def test_several_criteria_count_once() -> None:
    result = assess(
        facts(sei_categories=frozenset({"4.1"}), granted_abroad=True, awards=("x",)),
        as_of=AS_OF,
        pledge_threshold=THRESHOLD,
    )
    assert len(result.met) == 3
    assert result.high_value is True  # one patent, one count: the verdict is a single bool


def test_ten_years_means_more_than_ten_and_in_force() -> None:
    exactly = facts(application_date=dt.date(2016, 1, 1))
    assert Criterion.MAINTAINED not in assess(exactly, as_of=AS_OF, pledge_threshold=THRESHOLD).met
    lapsed = facts(application_date=dt.date(2010, 1, 1), status="lapsed")
    result = assess(lapsed, as_of=AS_OF, pledge_threshold=THRESHOLD)
    assert result.eligible is False and result.high_value is False


def test_unknowns_give_cannot_tell_not_no() -> None:
    no_family = facts(granted_abroad=None, sei_categories=None)
    result = assess(no_family, as_of=AS_OF, pledge_threshold=THRESHOLD)
    assert result.unknown == {Criterion.FAMILY_ABROAD, Criterion.STRATEGIC_INDUSTRY}
    assert result.high_value is None
    unpriced = facts(pledge_without_amount=True)
    assert assess(unpriced, as_of=AS_OF, pledge_threshold=THRESHOLD).high_value is None
    small = facts(pledge_amount=Decimal("5000000"))
    assert assess(small, as_of=AS_OF, pledge_threshold=THRESHOLD).high_value is False
    status_unknown = facts(status=None, granted_abroad=True)
    assert assess(status_unknown, as_of=AS_OF, pledge_threshold=THRESHOLD).high_value is None


def test_only_cn_invention_patents_are_eligible() -> None:
    for change in ({"office": "US"}, {"document_type": "utility_model"}):
        result = assess(
            facts(granted_abroad=True, **change), as_of=AS_OF, pledge_threshold=THRESHOLD
        )
        assert result.eligible is False and result.high_value is False


def test_per_ten_thousand_residents() -> None:
    assert per_ten_thousand(5_830, 5_830_000) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="positive"):
        per_ten_thousand(1, 0)


# --- portfolios ----------------------------------------------------------------------------


def member(pk: int, **changes: object) -> Member:
    base = Member(
        patent_id=pk,
        office="CN",
        document_type="invention",
        status="in_force",
        family_key=f"f{pk}",
        expiry=dt.date(2040, 1, 1),
        total_score=60.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_standing_spells_out_what_is_missing() -> None:
    members = [member(i) for i in range(50)]
    members += [member(100 + i, status="pending") for i in range(5)]
    members += [member(200 + i, document_type="utility_model") for i in range(20)]
    members += [member(300 + i, pct_numbers=(f"PCT/CN2020/{i:06d}",)) for i in range(3)]
    members += [member(400, pct_numbers=("PCT/CN2020/000001",))]  # the same PCT again
    result = standing(members, CountingRules())
    assert (result.inventions, result.pct) == (54, 3)
    assert (result.inventions_needed, result.pct_needed) == (6, 9)
    assert result.not_counted_pending == 5
    assert not result.meets
    assert result.sentence("zh") == (
        "未达标：还差 6 件发明专利、9 件 PCT 申请（现有发明专利 54 件，PCT 申请 3 件）"
    )
    assert "Short of the target by 6 invention patents and 9 PCT applications" in result.sentence(
        "en"
    )
    counting_pending = standing(members, CountingRules(count_pending=True))
    assert counting_pending.inventions == 59
    assert counting_pending.not_counted_pending == 0


def test_a_portfolio_with_no_inventions_says_so() -> None:
    result = standing([member(1, document_type="design")], CountingRules())
    assert result.inventions == 0 and result.inventions_needed == 60
    assert "还差 60 件发明专利" in result.sentence("zh")


def test_meeting_the_target() -> None:
    members = [member(i, pct_numbers=(f"PCT/CN2021/{i:06d}",)) for i in range(60)]
    result = standing(members, CountingRules())
    assert result.meets
    assert result.sentence("zh") == "已达标：发明专利 60 件，PCT 申请 60 件"


def test_composition_keeps_unknowns_apart() -> None:
    members = [
        member(1),
        member(2, status=None, expiry=None, total_score=None),
        member(3, status="lapsed", office="US"),
        member(4, expiry=dt.date(2028, 1, 1), total_score=90.0),
    ]
    result = composition(members, AS_OF)
    assert result.size == 4
    assert result.statuses == {"in_force": 2, "unknown": 1, "lapsed": 1}
    assert result.remaining_life == {"10-15": 1, "unknown": 1, "ended": 1, "0-5": 1}
    assert result.values == {"50-75": 2, "unknown": 1, "75-100": 1}
    assert result.offices == {"CN": 3, "US": 1}


def test_strength_sums_families_and_counts_unknowns() -> None:
    members = [
        member(1, family_key="a", forward_percentile=90.0),
        member(2, family_key="a", office="US", forward_percentile=50.0),
        member(3, family_key="b", forward_percentile=50.0),
        member(4, family_key="c"),
        member(5, family_key="d", status="expired", forward_percentile=99.0),
    ]
    result = strength(members)
    assert result.value == pytest.approx(90 / 50 * 2 + 50 / 50 * 1)
    assert (result.families, result.unknown_families) == (3, 1)
    sized = strength(members, {"CN": 0.5, "US": 1.0})
    assert sized.value == pytest.approx(1.8 * 1.5 + 1.0 * 0.5)
    assert strength([member(9)]).value == Unknown("no_citing_data")


# --- award lists ---------------------------------------------------------------------------


def test_award_rows_read_numbers_in_any_spelling() -> None:
    from ipcore.valuation.awards import read_award_rows

    rows = read_award_rows(
        [
            (1, ("序号", "专利号", "专利名称", "奖项")),
            (2, ("1", "ZL201810390462.7", "一种…", "金奖")),
            (3, ("2", "CN 114081026 A", "", "优秀奖")),
            (4, (None, None, None, None)),  # a blank row is skipped
        ]
    )
    assert [(r.row, r.number, r.kind, r.award) for r in rows] == [
        (2, "201810390462.7", "application", "金奖"),
        (3, "CN114081026A", "publication", "优秀奖"),
    ]


def test_a_bad_award_list_says_which_rows() -> None:
    from ipcore.valuation.awards import AwardListError, read_award_rows

    with pytest.raises(AwardListError) as caught:
        read_award_rows([(1, ("专利号",)), (2, ("ZL201810390462.7",)), (3, ("第三件",))])
    assert caught.value.messages("zh") == ("第 3 行：“第三件”不是可识别的专利号",)
    with pytest.raises(AwardListError, match="no patent number column"):
        read_award_rows([(1, ("名称", "年份")), (2, ("x", "2020"))])
    with pytest.raises(AwardListError, match="names no patent"):
        read_award_rows([(1, ("patent number",))])

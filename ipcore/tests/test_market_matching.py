"""Matching: fusion of the keyword and meaning rankings, shared words, IPC fields, likely
licensees ranked by filings in the listed patents' main groups and subclasses."""

from __future__ import annotations

import pytest

from ipcore.market.matching import (
    Reason,
    fused,
    main_group,
    rank_licensees,
    shared_terms,
    term_ranking,
)


def test_first_in_both_rankings_scores_one_and_meaning_weighs_more() -> None:
    ranked = fused(["a", "b", "c"], ["a", "c"])
    assert ranked[0] == ("a", 1.0)
    # c: 1/(20+3) + 3/(20+2) beats b: 1/(20+2)
    assert [key for key, _ in ranked] == ["a", "c", "b"]
    assert ranked[1][1] == pytest.approx((1 / 23 + 3 / 22) / (4 / 21), abs=1e-3)


def test_one_ranking_alone_is_kept_in_its_order_and_cut() -> None:
    assert [k for k, _ in fused([], [3, 1, 2], top=2)] == [3, 1]
    assert fused([5, 4], [])[0] == (5, 1.0)
    assert fused([], []) == []


def test_shared_terms_keep_the_need_order() -> None:
    assert shared_terms(["锂电", "电池", "drone"], {"drone", "电池"}) == ("电池", "drone")
    assert shared_terms(["x"], []) == ()


def test_term_ranking_by_count_then_coverage_and_drops_the_unrelated() -> None:
    terms = ["锂电", "电池", "正极"]
    candidates = {
        1: ["电池", "外壳", "结构", "散热"],  # one of four
        2: ["锂电", "电池", "正极", "材料"],  # three
        3: ["电池"],  # one of one: better coverage than 1
        4: ["无人", "人机"],  # none
    }
    ranked = term_ranking(terms, candidates)
    assert [key for key, _ in ranked] == [2, 3, 1]
    assert ranked[0][1] == ("锂电", "电池", "正极")
    assert term_ranking(terms, candidates, minimum=2) == [(2, ("锂电", "电池", "正极"))]


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("H01M 4/525", "H01M 4/00"),
        ("H01M  10/0525", "H01M 10/00"),
        ("H01M4/525", "H01M 4/00"),
        ("H01M", "H01M"),
    ],
)
def test_main_group(code: str, group: str) -> None:
    assert main_group(code) == group


def test_licensees_rank_by_main_group_then_subclass_and_leave_the_owner_out() -> None:
    filings = [
        (1, "p1", "H01M 4/525"),  # owner
        (2, "p2", "H01M 4/131"),
        (2, "p2", "H01M 4/62"),  # same patent again: counts once
        (2, "p3", "H01M 10/052"),
        (3, "p4", "H01M 10/0525"),
        (3, "p5", "H01M 50/20"),
        (4, "p6", "G06F 16/00"),  # another field
    ]
    ranked = rank_licensees(
        filings,
        main_groups=["H01M 4/00"],
        subclasses=["H01M"],
        names={1: "Owner", 2: "Beta", 3: "Alpha"},
        excluded=[1],
    )
    assert [(lic.name, lic.in_main_groups, lic.in_subclasses) for lic in ranked] == [
        ("Beta", 1, 2),
        ("Alpha", 0, 2),
    ]
    assert ranked[0].fields == ("H01M", "H01M 4/00")
    assert rank_licensees(filings, main_groups=[], subclasses=["H01M"], names={}, top=1)[0].name


def test_a_reason_by_meaning_only() -> None:
    assert Reason(similarity=0.4).by_meaning_only
    assert not Reason(terms=("电池",), similarity=0.4).by_meaning_only
    assert not Reason().by_meaning_only

"""Reciprocal rank fusion: scores, ties, repeats, weights — against a plain-Python oracle."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.search.fusion import reciprocal_rank_fusion


def test_agreement_beats_one_engines_top_hit() -> None:
    keyword = [1, 2, 3]
    semantic = [4, 2, 5]
    fused = reciprocal_rank_fusion([keyword, semantic])
    assert fused[0][0] == 2  # second in both beats first in one
    assert math.isclose(fused[0][1], 2 / 62)
    assert [key for key, _ in fused] == [2, 1, 4, 3, 5]


def test_scores_follow_the_formula() -> None:
    fused = dict(reciprocal_rank_fusion([[10, 20], [20]], k=1))
    assert math.isclose(fused[10], 1 / 2)
    assert math.isclose(fused[20], 1 / 3 + 1 / 2)


def test_ties_keep_first_met_order() -> None:
    assert [key for key, _ in reciprocal_rank_fusion([[7, 8], [8, 7]])] == [7, 8]
    assert [key for key, _ in reciprocal_rank_fusion([[3], [1], [2]])] == [3, 1, 2]


def test_a_repeated_key_counts_at_its_first_place_only() -> None:
    assert reciprocal_rank_fusion([[5, 5, 6]], k=0) == [(5, 1.0), (6, 1 / 3)]


def test_weights_trust_one_ranking_more() -> None:
    fused = reciprocal_rank_fusion([[1], [2]], weights=[1.0, 2.0])
    assert [key for key, _ in fused] == [2, 1]


def test_empty_input_and_bad_arguments() -> None:
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []
    with pytest.raises(ValueError, match="negative"):
        reciprocal_rank_fusion([[1]], k=-1)
    with pytest.raises(ValueError, match="weights"):
        reciprocal_rank_fusion([[1], [2]], weights=[1.0])


def oracle(rankings: list[list[int]], k: int) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        firsts = {key: ranking.index(key) + 1 for key in set(ranking)}
        for key, rank in firsts.items():
            scores[key] = scores.get(key, 0.0) + 1 / (k + rank)
    return scores


rankings_strategy = st.lists(st.lists(st.integers(0, 30), max_size=15), max_size=4)


@given(rankings_strategy, st.integers(0, 100))
def test_matches_the_oracle_and_is_sorted(rankings: list[list[int]], k: int) -> None:
    fused = reciprocal_rank_fusion(rankings, k)
    expected = oracle(rankings, k)
    assert {key for key, _ in fused} == set(expected)
    for key, score in fused:
        assert math.isclose(score, expected[key])
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(fused))

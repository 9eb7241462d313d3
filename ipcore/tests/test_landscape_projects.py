"""The project lifecycle: one stage at a time, back one to redo, abandon while working."""

from __future__ import annotations

import itertools

import pytest

from ipcore.landscape.projects import (
    WORKING_STAGES,
    ProjectKind,
    Stage,
    StageError,
    check_move,
    next_stages,
    progress,
)


def test_a_project_walks_the_stages_in_order_to_done() -> None:
    stages = (*WORKING_STAGES, Stage.DONE)
    for current, wanted in itertools.pairwise(stages):
        check_move(current, wanted)
    assert progress(Stage.NEED) == 0.0
    assert progress(Stage.DONE) == 1.0


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (Stage.NEED, Stage.SEARCH),  # no skipping the plan
        (Stage.DONE, Stage.EVALUATION),  # a finished project stays finished
        (Stage.ABANDONED, Stage.NEED),
        (Stage.NEED, Stage.DONE),
        (Stage.PLAN, Stage.PLAN),
    ],
)
def test_other_moves_are_refused_in_both_languages(current: Stage, wanted: Stage) -> None:
    with pytest.raises(StageError) as raised:
        check_move(current, wanted)
    assert current.value in str(raised.value)
    assert "项目不能从" in raised.value.message_zh


def test_what_a_page_offers_next() -> None:
    assert next_stages(Stage.NEED) == (Stage.PLAN, Stage.ABANDONED)
    assert next_stages(Stage.ANALYSIS) == (Stage.OUTPUTS, Stage.ABANDONED, Stage.DATA)
    assert next_stages(Stage.EVALUATION) == (Stage.DONE, Stage.ABANDONED, Stage.OUTPUTS)
    assert next_stages(Stage.DONE) == ()


def test_kinds_say_which_standard_they_follow() -> None:
    assert ProjectKind.NAVIGATION_INDUSTRY.is_navigation
    assert not ProjectKind.EVALUATION_MERGER.is_navigation

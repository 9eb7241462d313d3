"""专利导航项目与分析评议项目 — what a project is and the stages it moves through.

Patent navigation projects follow GB/T 39551 (专利导航指南): by their object they are
regional (区域规划类), industry (产业规划类), enterprise operations (企业经营类), R&D
(研发活动类) or talent (人才管理类) projects. Analysis-evaluation projects follow GB/T 37286
(知识产权分析评议服务 服务规范) and are named by their use: technology insight, market-risk
screening, M&A evaluation, dispute evidence. Both standards describe the same working
stages, from the client's need to an evaluation of the result; the KPI scoreboard counts
projects by type and by the stage they have reached.

The allowed moves are one table: forward one stage at a time, back one stage (to redo work
a review sent back), and closing an unfinished project as abandoned. Anything else raises.
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from typing import Final


class ProjectKind(StrEnum):
    """项目类型 — navigation projects by their object, analysis-evaluation by their use."""

    NAVIGATION_REGIONAL = "navigation_regional"  # 区域规划类专利导航
    NAVIGATION_INDUSTRY = "navigation_industry"  # 产业规划类专利导航
    NAVIGATION_ENTERPRISE = "navigation_enterprise"  # 企业经营类专利导航
    NAVIGATION_RESEARCH = "navigation_research"  # 研发活动类专利导航
    NAVIGATION_TALENT = "navigation_talent"  # 人才管理类专利导航
    EVALUATION_TECHNOLOGY = "evaluation_technology"  # 分析评议：技术洞察
    EVALUATION_MARKET_RISK = "evaluation_market_risk"  # 分析评议：目标市场风险排查
    EVALUATION_MERGER = "evaluation_merger"  # 分析评议：并购评估
    EVALUATION_DISPUTE = "evaluation_dispute"  # 分析评议：纠纷证据

    @property
    def is_navigation(self) -> bool:
        return self.value.startswith("navigation_")


class Stage(StrEnum):
    """项目阶段 — in the order the standards give them."""

    NEED = "need"  # 需求分析
    PLAN = "plan"  # 制定方案
    SEARCH = "search"  # 信息检索
    DATA = "data"  # 数据处理
    ANALYSIS = "analysis"  # 分析
    OUTPUTS = "outputs"  # 成果产出
    EVALUATION = "evaluation"  # 成果评估
    DONE = "done"  # 完成
    ABANDONED = "abandoned"  # 终止


WORKING_STAGES: Final[tuple[Stage, ...]] = (
    Stage.NEED,
    Stage.PLAN,
    Stage.SEARCH,
    Stage.DATA,
    Stage.ANALYSIS,
    Stage.OUTPUTS,
    Stage.EVALUATION,
)
CLOSED_STAGES: Final = frozenset({Stage.DONE, Stage.ABANDONED})


def _transitions() -> frozenset[tuple[Stage, Stage]]:
    order = (*WORKING_STAGES, Stage.DONE)
    forward = set(itertools.pairwise(order))
    back = {(later, earlier) for earlier, later in itertools.pairwise(WORKING_STAGES)}
    abandon = {(stage, Stage.ABANDONED) for stage in WORKING_STAGES}
    return frozenset(forward | back | abandon)


TRANSITIONS: Final[frozenset[tuple[Stage, Stage]]] = _transitions()


class StageError(ValueError):
    """A move the lifecycle does not allow, said in both languages."""

    def __init__(self, current: Stage, wanted: Stage) -> None:
        self.current = current
        self.wanted = wanted
        super().__init__(self.message_en)

    @property
    def message_zh(self) -> str:
        return f"项目不能从“{STAGE_LABELS_ZH[self.current]}”转到“{STAGE_LABELS_ZH[self.wanted]}”"

    @property
    def message_en(self) -> str:
        return f"a project cannot move from {self.current.value} to {self.wanted.value}"


STAGE_LABELS_ZH: Final[dict[Stage, str]] = {
    Stage.NEED: "需求分析",
    Stage.PLAN: "制定方案",
    Stage.SEARCH: "信息检索",
    Stage.DATA: "数据处理",
    Stage.ANALYSIS: "分析",
    Stage.OUTPUTS: "成果产出",
    Stage.EVALUATION: "成果评估",
    Stage.DONE: "完成",
    Stage.ABANDONED: "终止",
}


def check_move(current: Stage, wanted: Stage) -> None:
    """Raise StageError unless the lifecycle allows going from ``current`` to ``wanted``."""
    if (current, wanted) not in TRANSITIONS:
        raise StageError(current, wanted)


def next_stages(current: Stage) -> tuple[Stage, ...]:
    """Where a project may go from ``current``, forward first (what a page offers)."""
    order = (*WORKING_STAGES, Stage.DONE, Stage.ABANDONED)
    allowed = {wanted for stage, wanted in TRANSITIONS if stage is current}
    forward = [s for s in order if s in allowed and order.index(s) > order.index(current)]
    back = [s for s in order if s in allowed and order.index(s) < order.index(current)]
    return (*forward, *back)


def progress(stage: Stage) -> float:
    """How far along the working stages a project is, 0 to 1 (1 when done)."""
    if stage is Stage.DONE:
        return 1.0
    if stage is Stage.ABANDONED:
        return 0.0
    return WORKING_STAGES.index(stage) / len(WORKING_STAGES)

"""评分说明 — every score in words, Chinese and English.

"技术 72：被引次数（5年内）3 次，位于 H01M 2015 年申请的前 10%；IPC 小类数 4 个，高于 H01M
2015 年申请中 80% 的专利；未知：通用性、原创性" — the largest known parts first, then what
could not be known, so a reader sees what the number rests on.
"""

from __future__ import annotations

from typing import Final

from ipcore.valuation.cohorts import Placement
from ipcore.valuation.indicators import INDICATOR_BY_NAME, Measure, Unknown
from ipcore.valuation.scores import DimensionScore, Part, ValueScore

PARTS_NAMED: Final = 3  # the known parts a sentence names, largest weight first

_STATUS_WORDS: Final = {
    100.0: ("有效", "in force"),
    50.0: ("审中", "pending"),
    0.0: ("已失效", "ended"),
}


def explain(score: ValueScore, language: str) -> list[str]:
    """One sentence per dimension, then one for the total."""
    lines = [explain_dimension(dimension, language) for dimension in score.dimensions]
    lines.append(_total_sentence(score, language))
    return lines


def explain_dimension(dimension: DimensionScore, language: str) -> str:
    zh = language.startswith("zh")
    head = (
        f"{dimension.dimension.label(language)} {_number(dimension.score, dimension.coverage, zh)}"
    )
    known = [part for part in dimension.parts if not isinstance(part.score, Unknown)]
    unknown = [part for part in dimension.parts if isinstance(part.score, Unknown)]
    clauses = [_part_clause(part, language) for part in known[:PARTS_NAMED]]
    if unknown:
        labels = ("、" if zh else ", ").join(
            _in_sentence(INDICATOR_BY_NAME[part.indicator].label(language), zh) for part in unknown
        )
        clauses.append(f"未知：{labels}" if zh else f"unknown: {labels}")
    if not clauses:
        return head
    return f"{head}：{'；'.join(clauses)}" if zh else f"{head}: {'; '.join(clauses)}"


def _number(score: float | Unknown, coverage: float, zh: bool) -> str:
    if isinstance(score, Unknown):
        share = f"{coverage:.0%}"
        return (
            f"未知（仅 {share} 的权重有数据）"
            if zh
            else f"unknown (data for {share} of the weight)"
        )
    if coverage < 1.0 - 1e-9:
        return (
            f"{score:.0f}（依据 {coverage:.0%} 的权重）"
            if zh
            else f"{score:.0f} (on {coverage:.0%} of the weight)"
        )
    return f"{score:.0f}"


def _total_sentence(score: ValueScore, language: str) -> str:
    zh = language.startswith("zh")
    label = "总分" if zh else "Total"
    return f"{label} {_number(score.total, score.coverage, zh)}"


def _part_clause(part: Part, language: str) -> str:
    zh = language.startswith("zh")
    indicator = INDICATOR_BY_NAME[part.indicator]
    label = indicator.label(language)
    if part.indicator == "legal_status":
        words = _STATUS_WORDS.get(_known(part.value), ("—", "—"))
        return f"{label}{words[0]}" if zh else f"{_in_sentence(label, zh)} {words[1]}"
    if part.indicator == "invalidation":
        value = _known(part.value)
        text_zh = "无无效记录" if value == 100.0 else ("部分无效" if value == 50.0 else "全部无效")
        text_en = {100.0: "never invalidated", 50.0: "partly invalidated"}.get(value, "invalidated")
        return text_zh if zh else text_en
    shown = format_value(part.indicator, part.value)
    if part.indicator == "remaining_term":
        return f"剩余保护期占 {shown}%" if zh else f"{shown}% of the term left"
    unit = indicator.unit(language)
    if zh:
        gap = "" if label.endswith("）") else " "
        stated = f"{label}{gap}{shown}{' ' + unit if unit else ''}"
    else:  # counts speak for themselves in English; years need their unit
        stated = f"{_in_sentence(label, zh)} {shown}{' ' + unit if unit == 'years' else ''}"
    if part.placement is None:
        return stated
    return (
        f"{stated}，{_position(part.placement, zh)}"
        if zh
        else f"{stated}, {_position(part.placement, zh)}"
    )


def _position(placement: Placement, zh: bool) -> str:
    pct = placement.percentile
    cohort = placement.cohort.label("zh" if zh else "en")
    if zh and cohort[0].isascii():
        cohort = f" {cohort}"  # a space between Chinese and a class code or year
    for cut in (10, 25):
        if pct >= 100 - cut:
            return f"位于{cohort}的前 {cut}%" if zh else f"top {cut}% of {cohort}"
        if pct <= cut:
            return f"位于{cohort}的后 {cut}%" if zh else f"bottom {cut}% of {cohort}"
    return f"高于{cohort}中 {pct:.0f}% 的专利" if zh else f"above {pct:.0f}% of {cohort}"


def _in_sentence(label: str, zh: bool) -> str:
    """An English label inside a sentence: lower case, acronyms kept ("IPC subclasses")."""
    if zh or len(label) < 2 or not label[1].islower():
        return label
    return label[0].lower() + label[1:]


def _known(value: Measure) -> float:
    return -1.0 if isinstance(value, Unknown) else value


def format_value(name: str, value: Measure) -> str:
    """An indicator value as a page shows it: counts whole, shares and indices to 2 places,
    years to 1, unknown as "—"."""
    if isinstance(value, Unknown):
        return "—"
    if name in {"generality", "originality", "radicalness"}:
        return f"{value:.2f}"
    if name in {"grant_lag", "remaining_years", "age_years"}:
        return f"{value:.1f}"
    return f"{value:.0f}"

"""评分权重 — value-score weights per purpose, as versioned data.

Weights live in ``ipcore/data/valuation_weights/<version>.toml`` (the format and the reasons
for the defaults are in the file). GB/T 42748-2023 chooses indicators and weights by
scenario, so a :class:`WeightSet` holds one :class:`PurposeWeights` per :class:`Purpose`, each
splitting 1 between the legal, technical and economic dimensions and, within each dimension,
1 between its indicators. A file that breaks a rule is refused with a :class:`WeightsError`
saying which version, purpose and dimension, and what the numbers add up to.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from ipcore.valuation.indicators import INDICATOR_BY_NAME, Scale

WEIGHTS_FOLDER: Final = ("data", "valuation_weights")
SUM_TOLERANCE: Final = 1e-6


class Dimension(StrEnum):
    """价值维度 (CNIPA value-degree model: LVD, TVD, EVD)."""

    LEGAL = "legal"
    TECHNICAL = "technical"
    ECONOMIC = "economic"

    def label(self, language: str) -> str:
        zh, en = _DIMENSION_LABELS[self]
        return zh if language.startswith("zh") else en


_DIMENSION_LABELS: Final = {
    Dimension.LEGAL: ("法律", "Legal"),
    Dimension.TECHNICAL: ("技术", "Technical"),
    Dimension.ECONOMIC: ("经济", "Economic"),
}


class Purpose(StrEnum):
    """评估目的 — the GB/T 42748 scenarios the platform scores for."""

    LICENSING = "licensing"  # 许可与转让
    PLEDGE = "pledge"  # 质押融资
    MANAGEMENT = "management"  # 分级管理


class WeightsError(ValueError):
    """A weights file that cannot be used: where (file, purpose, dimension) and why."""

    def __init__(self, where: str, *, message_zh: str, message_en: str) -> None:
        self.where = where
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{where}: {message_en}")

    def message(self, language: str) -> str:
        text = self.message_zh if language.startswith("zh") else self.message_en
        return f"{self.where}：{text}" if language.startswith("zh") else f"{self.where}: {text}"


@dataclass(frozen=True)
class DimensionWeights:
    dimension: Dimension
    weight: float
    indicators: tuple[tuple[str, float], ...]  # (indicator name, weight), weight order


@dataclass(frozen=True)
class PurposeWeights:
    purpose: Purpose
    name_zh: str
    name_en: str
    dimensions: tuple[DimensionWeights, ...]  # legal, technical, economic

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en

    def dimension(self, dimension: Dimension) -> DimensionWeights:
        return next(d for d in self.dimensions if d.dimension is dimension)


@dataclass(frozen=True)
class WeightSet:
    """One version of the weights: every purpose, and the cohort and coverage rules."""

    version: str
    effective_from: dt.date
    min_cohort: int
    forward_window_years: int
    min_coverage: float
    purposes: Mapping[Purpose, PurposeWeights]

    def indicators(self) -> tuple[str, ...]:
        """Every indicator some purpose weighs, in the order of ``INDICATORS``."""
        used = {
            name
            for purpose in self.purposes.values()
            for dimension in purpose.dimensions
            for name, _weight in dimension.indicators
        }
        return tuple(name for name in INDICATOR_BY_NAME if name in used)


def parse_weights(text: str, *, where: str = "weights") -> WeightSet:
    """Read and check a weights file's text; raises WeightsError saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WeightsError(
            where, message_zh=f"不是有效的 TOML：{error}", message_en=f"not valid TOML: {error}"
        ) from None
    version = _text(data, "version", where)
    where = f"{where} {version}"
    effective_from = data.get("effective_from")
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise WeightsError(
            where,
            message_zh="effective_from 须为日期（YYYY-MM-DD）",
            message_en="effective_from must be a date (YYYY-MM-DD)",
        )
    cohorts = _table(data, "cohorts", where)
    scores = _table(data, "scores", where)
    min_coverage = _number(scores, "min_coverage", f"{where} [scores]")
    if not 0 < min_coverage <= 1:
        raise WeightsError(
            f"{where} [scores]",
            message_zh=f"min_coverage 须在 0 与 1 之间，而不是 {min_coverage}",
            message_en=f"min_coverage must be above 0 and at most 1, not {min_coverage}",
        )
    purposes = _table(data, "purposes", where)
    unknown = sorted(set(purposes) - set(Purpose))
    missing = sorted(set(Purpose) - set(purposes))
    if unknown or missing:
        raise WeightsError(
            where,
            message_zh=f"评估目的须恰为 {', '.join(Purpose)}（多出 {unknown}，缺少 {missing}）",
            message_en=f"purposes must be exactly {', '.join(Purpose)} "
            f"(unknown {unknown}, missing {missing})",
        )
    return WeightSet(
        version=version,
        effective_from=effective_from,
        min_cohort=_count(cohorts, "min_size", f"{where} [cohorts]"),
        forward_window_years=_count(cohorts, "forward_window_years", f"{where} [cohorts]"),
        min_coverage=min_coverage,
        purposes=MappingProxyType(
            {
                purpose: _purpose(purpose, _table(purposes, purpose.value, where), where)
                for purpose in Purpose
            }
        ),
    )


def _purpose(purpose: Purpose, data: Mapping[str, Any], where: str) -> PurposeWeights:
    where = f"{where}, {purpose.value}"
    dimensions = tuple(
        _dimension(dimension, _table(data, dimension.value, where), f"{where}.{dimension.value}")
        for dimension in Dimension
    )
    _sums_to_one(
        [d.weight for d in dimensions],
        where,
        what_zh="三个维度的权重",
        what_en="the three dimension weights",
    )
    seen: dict[str, Dimension] = {}
    for dimension in dimensions:
        for name, _weight in dimension.indicators:
            if name in seen:
                raise WeightsError(
                    where,
                    message_zh=f"指标 {name} 同时出现在 {seen[name].value} 与 "
                    f"{dimension.dimension.value}",
                    message_en=f"indicator {name} is in both {seen[name].value} and "
                    f"{dimension.dimension.value}",
                )
            seen[name] = dimension.dimension
    return PurposeWeights(
        purpose=purpose,
        name_zh=_text(data, "name_zh", where),
        name_en=_text(data, "name_en", where),
        dimensions=dimensions,
    )


def _dimension(dimension: Dimension, data: Mapping[str, Any], where: str) -> DimensionWeights:
    weight = _number(data, "weight", where)
    indicators = _table(data, "indicators", where)
    if not indicators:
        raise WeightsError(where, message_zh="没有指标", message_en="no indicators")
    pairs: list[tuple[str, float]] = []
    for name in indicators:
        indicator = INDICATOR_BY_NAME.get(name)
        if indicator is None:
            raise WeightsError(
                where,
                message_zh=f"未知指标 {name}（可用：{', '.join(INDICATOR_BY_NAME)}）",
                message_en=f"unknown indicator {name} (known: {', '.join(INDICATOR_BY_NAME)})",
            )
        if indicator.scale is Scale.INFO:
            raise WeightsError(
                where,
                message_zh=f"指标 {name} 只作展示，不能加权",
                message_en=f"indicator {name} is shown, not scored: it takes no weight",
            )
        pairs.append((name, _number(indicators, name, where)))
    _sums_to_one([w for _n, w in pairs], where, what_zh="指标权重", what_en="the indicator weights")
    pairs.sort(key=lambda pair: -pair[1])
    return DimensionWeights(dimension=dimension, weight=weight, indicators=tuple(pairs))


def _sums_to_one(weights: list[float], where: str, *, what_zh: str, what_en: str) -> None:
    total = math.fsum(weights)
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise WeightsError(
            where,
            message_zh=f"{what_zh}之和须为 1，现为 {total:g}",
            message_en=f"{what_en} must sum to 1, not {total:g}",
        )


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise WeightsError(where, message_zh=f"缺少 [{key}] 表", message_en=f"no [{key}] table")
    return value


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise WeightsError(where, message_zh=f"缺少 {key}", message_en=f"{key} is missing")
    return value.strip()


def _number(data: Mapping[str, Any], key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise WeightsError(
            where, message_zh=f"{key} 须为数字", message_en=f"{key} must be a number"
        )
    if value < 0:
        raise WeightsError(
            where, message_zh=f"{key} 不能为负：{value}", message_en=f"{key} is negative: {value}"
        )
    return float(value)


def _count(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise WeightsError(
            where,
            message_zh=f"{key} 须为正整数",
            message_en=f"{key} must be a positive whole number",
        )
    return value


@cache
def weight_sets() -> tuple[WeightSet, ...]:
    """Every committed version, oldest first."""
    folder = resources.files("ipcore").joinpath(*WEIGHTS_FOLDER)
    sets = [
        parse_weights(item.read_text(encoding="utf-8"), where=item.name)
        for item in folder.iterdir()
        if item.name.endswith(".toml")
    ]
    versions = [s.version for s in sets]
    if len(set(versions)) != len(versions):
        raise WeightsError(
            "valuation_weights",
            message_zh=f"版本号重复：{sorted(versions)}",
            message_en=f"a version appears twice: {sorted(versions)}",
        )
    return tuple(sorted(sets, key=lambda s: s.effective_from))


def current_weights(on: dt.date) -> WeightSet:
    """The version in force on ``on`` (the earliest one before any is in force)."""
    sets = weight_sets()
    in_force = [s for s in sets if s.effective_from <= on]
    return in_force[-1] if in_force else sets[0]


def weights_version(version: str) -> WeightSet:
    """A committed version by its name; KeyError when there is none."""
    for weights in weight_sets():
        if weights.version == version:
            return weights
    raise KeyError(version)

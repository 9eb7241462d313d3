"""价值评分 — dimension scores and a total from indicator scores and a purpose's weights.

PVD = a·LVD + b·TVD + c·EVD (CNIPA value-degree model, DOMAIN.md §6) with the weights of one
purpose (``ipcore.valuation.weights``). Every indicator score is 0-100: an absolute
indicator's value is its score, a cohort indicator's score is its percentile among patents of
the same field and filing year (``ipcore.valuation.cohorts``).

Unknown indicators are left out and the known ones' weights re-normalised, *as long as* the
known weight (the coverage) reaches the version's ``min_coverage``; below it the dimension
is unknown, and so is a total whose known dimensions carry too little weight. The coverage is
kept with each score, so a page can say how much of it rests on data.

This is the reference: one patent at a time. ``ipcore.valuation.columns`` computes the same
numbers for a whole corpus at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ipcore.valuation.cohorts import Placement
from ipcore.valuation.indicators import INDICATOR_BY_NAME, Measure, Scale, Unknown
from ipcore.valuation.weights import Dimension, Purpose, PurposeWeights, WeightSet

COVERAGE_TOLERANCE: Final = 1e-9


@dataclass(frozen=True)
class Part:
    """One weighted indicator of a dimension: its raw value, placement and 0-100 score."""

    indicator: str
    weight: float
    value: Measure
    placement: Placement | None
    score: float | Unknown


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    weight: float
    score: float | Unknown
    coverage: float  # the share of the dimension's weight whose indicator is known
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class ValueScore:
    """A patent's value for one purpose under one weights version."""

    purpose: Purpose
    version: str
    dimensions: tuple[DimensionScore, ...]
    total: float | Unknown
    coverage: float  # the share of the dimension weights whose dimension is known

    def dimension(self, dimension: Dimension) -> DimensionScore:
        return next(d for d in self.dimensions if d.dimension is dimension)


def indicator_score(name: str, value: Measure, placement: Placement | Unknown) -> float | Unknown:
    """0-100: an absolute indicator's own value, a cohort indicator's percentile."""
    if isinstance(value, Unknown):
        return value
    if INDICATOR_BY_NAME[name].scale is Scale.ABSOLUTE:
        return min(max(value, 0.0), 100.0)
    if isinstance(placement, Unknown):
        return placement
    return placement.percentile


def weighted(
    pairs: list[tuple[float, float | Unknown]], min_coverage: float
) -> tuple[float | Unknown, float]:
    """The weight-normalised mean of the known scores and the known weight (coverage)."""
    known = [(w, s) for w, s in pairs if not isinstance(s, Unknown)]
    coverage = math.fsum(w for w, _s in known)
    if coverage + COVERAGE_TOLERANCE < min_coverage or coverage <= 0:
        return Unknown("low_coverage"), coverage
    mean = math.fsum(w * s for w, s in known) / coverage
    return min(max(mean, 0.0), 100.0), coverage  # a mean of 0-100 scores, rounding aside


def score_patent(
    values: Mapping[str, Measure],
    placements: Mapping[str, Placement | Unknown],
    weights: WeightSet,
    purpose: Purpose,
) -> ValueScore:
    """The value score of one patent from its indicator values and cohort placements."""
    purpose_weights: PurposeWeights = weights.purposes[purpose]
    dimensions = []
    for dimension in purpose_weights.dimensions:
        parts = []
        for name, weight in dimension.indicators:
            placement = placements.get(name, Unknown("no_cohort"))
            parts.append(
                Part(
                    indicator=name,
                    weight=weight,
                    value=values[name],
                    placement=placement if isinstance(placement, Placement) else None,
                    score=indicator_score(name, values[name], placement),
                )
            )
        score, coverage = weighted([(p.weight, p.score) for p in parts], weights.min_coverage)
        dimensions.append(
            DimensionScore(dimension.dimension, dimension.weight, score, coverage, tuple(parts))
        )
    total, coverage = weighted([(d.weight, d.score) for d in dimensions], weights.min_coverage)
    return ValueScore(purpose, weights.version, tuple(dimensions), total, coverage)

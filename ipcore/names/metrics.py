"""B-cubed precision and recall — how name-disambiguation results are scored.

For every mention m, with C(m) its predicted cluster and G(m) its true one:
precision(m) = |C(m) ∩ G(m)| / |C(m)| and recall(m) = |C(m) ∩ G(m)| / |G(m)|;
the scores are the means over all mentions (Bagga & Baldwin 1998; the measure of the
PatentsView evaluation, arXiv:2301.03591). Every mention weighs the same, so a large
organisation counts in proportion to its patents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

M = TypeVar("M", bound=Hashable)  # mention id


@dataclass(frozen=True, slots=True)
class BCubed:
    """B-cubed scores of a clustering against a gold standard."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


def bcubed(predicted: Mapping[M, Hashable], gold: Mapping[M, Hashable]) -> BCubed:
    """B-cubed precision and recall of ``predicted`` clusters against ``gold`` clusters.

    Both map mention id → cluster id and must cover the same mentions. Computed from the
    contingency table in O(mentions): the n mentions shared by a predicted cluster C and
    a gold cluster G each score n/|C| precision and n/|G| recall.
    """
    if predicted.keys() != gold.keys():
        missing = len(gold.keys() - predicted.keys())
        extra = len(predicted.keys() - gold.keys())
        raise ValueError(f"mentions differ: {missing} without a prediction, {extra} not in gold")
    if not gold:
        raise ValueError("no mentions to score")
    shared = Counter((predicted[mention], gold[mention]) for mention in gold)
    predicted_size = Counter(predicted.values())
    gold_size = Counter(gold.values())
    precision = sum(n * n / predicted_size[c] for (c, _), n in shared.items())
    recall = sum(n * n / gold_size[g] for (_, g), n in shared.items())
    return BCubed(precision=precision / len(gold), recall=recall / len(gold))

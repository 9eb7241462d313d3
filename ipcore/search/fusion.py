"""结果融合 — reciprocal rank fusion (RRF) of several rankings of the same documents.

Hybrid search asks two engines that score on different scales (BM25 and cosine
similarity): their scores cannot be added, but their *ranks* can. RRF (Cormack, Clarke and
Büttcher, SIGIR 2009) gives a document ``1 / (k + rank)`` from each ranking it appears in
and sums them; ``k = 60`` is the paper's constant, which damps the difference between the
first few ranks so that one engine's top hit cannot outvote agreement between them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)

DEFAULT_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Key]],
    k: int = DEFAULT_K,
    *,
    weights: Sequence[float] | None = None,
) -> list[tuple[Key, float]]:
    """Fuse rankings (each best first) into one: ``(key, score)``, best first.

    A key's score is the sum over the rankings it appears in of ``weight / (k + rank)``,
    rank counting from 1; a key repeated within one ranking counts at its first place only.
    Ties keep the order in which keys were first met (ranking by ranking, best first), so
    the result is deterministic. ``weights`` (one per ranking, default 1) lets a caller
    trust one engine more.
    """
    if k < 0:
        raise ValueError(f"k must not be negative, not {k}")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    scores: dict[Key, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[Key] = set()
        for rank, key in enumerate(ranking, start=1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    # sorted() is stable and dicts keep insertion order: ties stay in first-met order.
    return sorted(scores.items(), key=lambda item: -item[1])

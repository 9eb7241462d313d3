"""球面 k 均值 — spherical k-means over unit vectors, deterministic and bounded in work.

Patent embeddings are compared by cosine, so clusters are found on the unit sphere: each
centroid is the normalised mean of its members and each vector joins the centroid it is most
similar to (Dhillon & Modha, "Concept decompositions for large sparse text data using
clustering", 2001). Seeding is k-means++ (Arthur & Vassilvitskii, 2007) on the cosine distance
``1 - cos`` (half the squared Euclidean distance between unit vectors), from a generator with
a fixed seed: the same vectors in the same order give the same clusters.

Work is bounded whatever the dataset's size: the centroids are fitted on at most
:data:`FIT_SAMPLE` vectors (a seeded sample), then every vector is assigned, the centroids
are computed once more from all members and every vector is assigned again. Each step is a
matrix product of ``n × d`` by ``d × k`` done :data:`CHUNK` rows at a time, so 200,000
vectors cost a few such products, not a few hundred.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
Labels = npt.NDArray[np.int64]

SEED: Final = 20_181_115
MIN_TOPICS: Final = 4
MAX_TOPICS: Final = 20
MIN_MEAN_SIZE: Final = 5
"""A dataset gets no more topics than one per this many patents (10 patents: 2 topics)."""
FIT_SAMPLE: Final = 20_000
RESTARTS: Final = 3
MAX_ITERATIONS: Final = 60
CHUNK: Final = 16_384
SAME: Final = 1e-6
"""Rows closer than this (``1 - cos``) are the same direction: float32 rounding, no more."""
_TINY: Final = 1e-12


def topic_count(n: int) -> int:
    """How many topics ``n`` patents are split into: ``round(sqrt(n / 2))`` held within
    :data:`MIN_TOPICS`..:data:`MAX_TOPICS`, and at most one per :data:`MIN_MEAN_SIZE`
    patents (at least one; none for no patents).

    The square-root rule is the usual starting point for k (Mardia et al., *Multivariate
    Analysis*, 1979); the bounds keep a map readable: fewer than four topics says little, and
    more than twenty bubbles cannot be labelled on one chart. bench/README.md ("topics.py")
    compares it with other choices of k against IPC subclasses.
    """
    if n <= 0:
        return 0
    k = min(MAX_TOPICS, max(MIN_TOPICS, round(math.sqrt(n / 2))))
    return max(1, min(k, n // MIN_MEAN_SIZE))


def unit_rows(vectors: npt.ArrayLike) -> Matrix:
    """Each row divided by its length, as a new float32 array; a zero row stays zero."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array (one row per patent), not {matrix.ndim}-D")
    if matrix.size and not np.isfinite(matrix).all():
        raise ValueError("vectors hold NaN or infinite values")
    lengths = np.maximum(row_lengths(matrix), np.float32(_TINY))
    result: Matrix = np.divide(matrix, lengths[:, None], dtype=np.float32)
    return result


def row_lengths(matrix: Matrix) -> npt.NDArray[np.float32]:
    """Each row's Euclidean length, without an n × d temporary (``np.linalg.norm`` makes
    one: 293 MiB at 200,000 vectors)."""
    lengths: npt.NDArray[np.float32] = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    return lengths


@dataclass(frozen=True)
class Clustering:
    """Which cluster each vector is in (0 = the largest), the clusters' unit centroids, and
    each vector's cosine similarity to its own centroid."""

    labels: Labels
    centroids: Matrix
    similarity: npt.NDArray[np.float32]
    iterations: int  # Lloyd iterations of the fit that was kept
    fitted_on: int  # vectors the centroids were fitted on before the final assignment

    @property
    def k(self) -> int:
        return int(self.centroids.shape[0])

    def sizes(self) -> list[int]:
        return [int(n) for n in np.bincount(self.labels, minlength=self.k)]


def spherical_kmeans(
    vectors: npt.ArrayLike,
    k: int,
    *,
    seed: int = SEED,
    fit_sample: int = FIT_SAMPLE,
    restarts: int = RESTARTS,
    normalised: bool = False,
) -> Clustering:
    """Cluster the rows of ``vectors`` (normalised here) into at most ``k`` clusters.

    Fewer clusters come back where the rows hold fewer than ``k`` distinct directions
    (duplicates, or fewer rows than ``k``); none for no rows. Clusters are numbered by size,
    largest first, ties by their first member's row. Of ``restarts`` seedings the fit with
    the highest total similarity is kept. ``normalised`` says the rows are float32 unit
    vectors already (no copy is made of them).
    """
    points = np.asarray(vectors, dtype=np.float32) if normalised else unit_rows(vectors)
    n, dims = points.shape
    if n == 0 or k <= 0:
        return _empty(dims)
    rng = np.random.default_rng(seed)
    sample = points
    if n > fit_sample:
        sample = points[np.sort(rng.choice(n, size=fit_sample, replace=False))]
    best: tuple[float, Matrix, int] | None = None
    for _ in range(max(1, restarts)):
        centroids, iterations, score = _fit(sample, k, rng)
        if best is None or score > best[0] + 1e-6:
            best = (score, centroids, iterations)
    assert best is not None
    _, centroids, iterations = best
    labels, _ = _assign(points, centroids)
    if sample is not points:  # one full update: the centroids of every member
        centroids = _update(points, labels, centroids)
    labels, similarity = _assign(points, centroids)
    return _ordered(labels, centroids, similarity, iterations, len(sample))


def _empty(dims: int) -> Clustering:
    return Clustering(
        labels=np.empty(0, dtype=np.int64),
        centroids=np.empty((0, dims), dtype=np.float32),
        similarity=np.empty(0, dtype=np.float32),
        iterations=0,
        fitted_on=0,
    )


def _fit(points: Matrix, k: int, rng: np.random.Generator) -> tuple[Matrix, int, float]:
    """Seed, then Lloyd's iterations until no vector moves: (centroids, iterations, total
    similarity of the vectors to their centroids)."""
    centroids = seed_centroids(points, k, rng)
    labels, similarity = _assign(points, centroids)
    iterations = 0
    while iterations < MAX_ITERATIONS:
        iterations += 1
        centroids = _update(points, labels, centroids)
        moved, similarity = _assign(points, centroids)
        if np.array_equal(moved, labels):
            break
        labels = moved
    return centroids, iterations, float(similarity.sum(dtype=np.float64))


def seed_centroids(points: Matrix, k: int, rng: np.random.Generator) -> Matrix:
    """k-means++: the first centre a random row, each next one a row drawn with probability
    proportional to its distance from the nearest centre so far (half the squared Euclidean
    distance: ``1 - cos`` between unit rows, 0 between equal rows, zero rows included).
    Stops early where every row coincides with a centre (fewer distinct rows than ``k``)."""
    n = points.shape[0]
    lengths = np.einsum("ij,ij->i", points, points)
    chosen = [int(rng.integers(n))]
    nearest = _distance(points, lengths, chosen[0])
    while len(chosen) < k:
        weights = nearest.astype(np.float64)
        total = weights.sum()
        if total <= 1e-9:
            break
        pick = int(np.searchsorted(np.cumsum(weights), rng.random() * total, side="right"))
        pick = min(pick, n - 1)
        chosen.append(pick)
        nearest = np.minimum(nearest, _distance(points, lengths, pick))
    seeded: Matrix = points[chosen].copy()
    return seeded


def _distance(
    points: Matrix, lengths: npt.NDArray[np.float32], row: int
) -> npt.NDArray[np.float32]:
    """Half the squared Euclidean distance of every row from row ``row`` (never negative)."""
    half: npt.NDArray[np.float32] = (lengths + lengths[row]) / 2 - points @ points[row]
    half[half < SAME] = 0.0  # equal rows, up to float32 rounding
    return half


def _assign(points: Matrix, centroids: Matrix) -> tuple[Labels, npt.NDArray[np.float32]]:
    """The most similar centroid of every row (the first of equals) and that similarity."""
    n = points.shape[0]
    labels = np.empty(n, dtype=np.int64)
    similarity = np.empty(n, dtype=np.float32)
    for start in range(0, n, CHUNK):
        scores = points[start : start + CHUNK] @ centroids.T
        best = scores.argmax(axis=1)
        labels[start : start + CHUNK] = best
        similarity[start : start + CHUNK] = scores[np.arange(len(best)), best]
    return labels, similarity


def _update(points: Matrix, labels: Labels, centroids: Matrix) -> Matrix:
    """Each cluster's normalised mean. A cluster left empty takes the row least similar to
    its centroid (a different row for each emptied cluster), so k stays as seeded."""
    k = centroids.shape[0]
    sums = np.zeros(centroids.shape, dtype=np.float64)
    for start in range(0, points.shape[0], CHUNK):
        block = labels[start : start + CHUNK]
        members = np.zeros((k, block.size), dtype=np.float32)
        members[block, np.arange(block.size)] = 1.0
        sums += members @ points[start : start + CHUNK]
    counts = np.bincount(labels, minlength=k)
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        _, similarity = _assign(points, centroids)
        loneliest = np.argsort(similarity, kind="stable")
        for cluster, row in zip(empty, loneliest, strict=False):
            sums[cluster] = points[row]
    updated: Matrix = unit_rows(sums)
    return updated


def _ordered(
    labels: Labels,
    centroids: Matrix,
    similarity: npt.NDArray[np.float32],
    iterations: int,
    fitted_on: int,
) -> Clustering:
    """Renumber the clusters by size (largest first, ties by first member) and drop any
    left without members."""
    k = centroids.shape[0]
    sizes = np.bincount(labels, minlength=k)
    first = np.full(k, labels.size, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(labels.size))
    kept = [c for c in sorted(range(k), key=lambda c: (-sizes[c], first[c])) if sizes[c] > 0]
    renumber = np.full(k, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    return Clustering(
        labels=renumber[labels],
        centroids=centroids[kept],
        similarity=similarity,
        iterations=iterations,
        fitted_on=fitted_on,
    )

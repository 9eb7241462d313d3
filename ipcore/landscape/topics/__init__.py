"""技术主题聚类 — topic clusters of a dataset from its patents' embeddings, ThemeScape-style.

The landscape maps of Derwent (ThemeScape), PatSnap and Orbit group a set of patents by what
they are about, name each group by its words and lay the groups out on a plane so that
related ones sit near each other. Here, from each patent's embedding (multilingual-e5-small,
centred on its script's mean as the search index holds it):

1. the dataset's own mean direction is removed and the vectors normalised again, so that
   the differences *within* the dataset decide the clusters rather than what all its
   patents share (bench/README.md, "topics.py", measures the effect);
2. spherical k-means (:mod:`.clustering`): k from the dataset's size
   (:func:`~.clustering.topic_count`), k-means++ seeding from a fixed seed, the centroids
   fitted on at most 20,000 vectors, then every vector assigned;
3. labels by class-based TF-IDF over the members' titles (:mod:`.labels`);
4. examples: each topic's patents closest to its centroid;
5. a position per topic on a plane: the first two principal components of the centroids
   (scaled into -1..1), bubbles that would cover each other pushed apart, so a bubble map
   can draw the topics with their sizes and related topics side by side.

Numbers only (numpy); nothing here knows a database or a report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from ipcore.landscape.topics.clustering import (
    SEED,
    Clustering,
    row_lengths,
    spherical_kmeans,
    topic_count,
    unit_rows,
)
from ipcore.landscape.topics.labels import LABEL_TERMS, topic_terms

__all__ = [
    "EXAMPLES",
    "LABEL_SAMPLE",
    "SEED",
    "Topic",
    "Topics",
    "bubble_radius",
    "find_topics",
    "map_positions",
    "topic_count",
]

EXAMPLES: Final = 3
LABEL_SAMPLE: Final = 3_000
SPREAD_ROUNDS: Final = 50
"""Titles of one topic read for its label at most (a seeded sample of a larger topic)."""


@dataclass(frozen=True)
class Topic:
    """One topic: its members' count, label terms, most central members and map position.
    ``examples`` are row positions in the vectors given, most central first."""

    number: int  # 1 = the largest topic
    size: int
    terms_zh: tuple[str, ...]  # CJK terms of its titles, best first
    terms_en: tuple[str, ...]  # terms in other scripts (English), best first
    examples: tuple[int, ...]
    cohesion: float  # mean cosine similarity of the members to the centroid
    x: float
    y: float

    @property
    def label_zh(self) -> str:
        """Its Chinese terms, or where its titles have none, its English ones."""
        return "、".join(self.terms_zh) if self.terms_zh else ", ".join(self.terms_en)

    @property
    def label_en(self) -> str:
        """Its English terms, or where its titles have none, its Chinese ones."""
        return ", ".join(self.terms_en) if self.terms_en else "、".join(self.terms_zh)


@dataclass(frozen=True)
class Topics:
    """The topics of a set of vectors and which topic each vector is in (0-based index
    into ``topics``, in the order the vectors were given)."""

    topics: tuple[Topic, ...]
    assignment: npt.NDArray[np.int64]
    fitted_on: int

    def __len__(self) -> int:
        return len(self.topics)


def find_topics(
    vectors: npt.ArrayLike,
    titles: Sequence[str | None],
    *,
    k: int | None = None,
    seed: int = SEED,
    recentre: bool = True,
    label_terms: int = LABEL_TERMS,
) -> Topics:
    """The topics of the patents whose vectors (one row each) and titles are given in the
    same order. ``k`` overrides :func:`topic_count`; fewer topics come back where the
    vectors hold fewer distinct directions. No vectors give no topics."""
    points = unit_rows(vectors)  # a copy of the caller's vectors: changed in place below
    if len(titles) != points.shape[0]:
        raise ValueError(f"{points.shape[0]} vectors but {len(titles)} titles")
    if recentre and points.shape[0] > 1:
        points -= points.mean(axis=0, dtype=np.float64).astype(np.float32)
        points /= np.maximum(row_lengths(points), 1e-12)[:, None]
    wanted = topic_count(points.shape[0]) if k is None else k
    clustering = spherical_kmeans(points, wanted, seed=seed, normalised=True)
    if clustering.k == 0:
        return Topics((), np.empty(0, dtype=np.int64), 0)
    members = _members(clustering)
    rng = np.random.default_rng(seed)
    terms = topic_terms(
        [[titles[row] or "" for row in _label_rows(rows, rng)] for rows in members],
        limit=label_terms,
    )
    positions = map_positions(clustering.centroids, clustering.sizes())
    topics = tuple(
        Topic(
            number=index + 1,
            size=len(rows),
            terms_zh=terms[index].chinese,
            terms_en=terms[index].other,
            examples=_central(rows, clustering.similarity),
            cohesion=round(float(clustering.similarity[rows].mean(dtype=np.float64)), 4),
            x=positions[index][0],
            y=positions[index][1],
        )
        for index, rows in enumerate(members)
    )
    return Topics(topics, clustering.labels, clustering.fitted_on)


def _members(clustering: Clustering) -> list[npt.NDArray[np.int64]]:
    order = np.argsort(clustering.labels, kind="stable")
    bounds = np.cumsum(clustering.sizes())[:-1]
    return [rows.astype(np.int64) for rows in np.split(order, bounds)]


def _label_rows(rows: npt.NDArray[np.int64], rng: np.random.Generator) -> list[int]:
    if rows.size <= LABEL_SAMPLE:
        return [int(row) for row in rows]
    return [int(row) for row in np.sort(rng.choice(rows, size=LABEL_SAMPLE, replace=False))]


def _central(rows: npt.NDArray[np.int64], similarity: npt.NDArray[np.float32]) -> tuple[int, ...]:
    """The EXAMPLES members most similar to the centroid (the first row of equals)."""
    ranked = rows[np.lexsort((rows, -similarity[rows]))]
    return tuple(int(row) for row in ranked[:EXAMPLES])


def map_positions(
    centroids: npt.ArrayLike, sizes: Sequence[int] | None = None
) -> list[tuple[float, float]]:
    """Each centroid's place on a plane: its first two principal components, the sign of
    each fixed so that its largest coordinate is positive, scaled together into -1..1
    (one topic sits at the origin; two lie on the x axis). With ``sizes``, bubbles that
    would cover each other (a radius of :func:`bubble_radius`) are then pushed apart."""
    places = _principal_places(centroids)
    if sizes is not None and len(sizes) == len(places) > 1:
        places = _spread(places, [bubble_radius(n, max(sizes)) for n in sizes])
    return [(round(float(x), 4), round(float(y), 4)) for x, y in places]


def bubble_radius(size: int, largest: int) -> float:
    """A bubble's radius in map units, as the report draws it (report.js: a diameter of
    14 + 66·sqrt(size / largest) pixels on a plot about 160 pixels to the unit)."""
    return 0.045 + 0.21 * math.sqrt(size / max(largest, 1))


def _spread(places: npt.NDArray[np.float64], radii: Sequence[float]) -> npt.NDArray[np.float64]:
    """Push overlapping bubbles apart along the line between them (each pair by half the
    overlap each, in turn, up to SPREAD_ROUNDS rounds): neighbours stay neighbours."""
    moved = places.copy()
    k = len(radii)
    for _ in range(SPREAD_ROUNDS):
        shifted = False
        for i in range(k):
            for j in range(i + 1, k):
                gap = moved[j] - moved[i]
                distance = float(np.hypot(*gap))
                overlap = radii[i] + radii[j] - distance
                if overlap <= 1e-6:
                    continue
                direction = gap / distance if distance > 1e-9 else np.array([1.0, 0.0])
                moved[i] -= direction * overlap / 2
                moved[j] += direction * overlap / 2
                shifted = True
        if not shifted:
            break
    return moved


def _principal_places(centroids: npt.ArrayLike) -> npt.NDArray[np.float64]:
    matrix = np.asarray(centroids, dtype=np.float64)
    k = matrix.shape[0]
    if k == 0:
        return np.zeros((0, 2))
    centred = matrix - matrix.mean(axis=0)
    left, singular, _ = np.linalg.svd(centred, full_matrices=False)
    coordinates = np.zeros((k, 2))
    components = min(2, singular.size)
    coordinates[:, :components] = left[:, :components] * singular[:components]
    for axis in range(2):
        column = coordinates[:, axis]
        if column[np.argmax(np.abs(column))] < 0:
            coordinates[:, axis] = -column
    largest = np.abs(coordinates).max()
    if largest > 1e-9:
        coordinates /= largest
    else:
        coordinates[:] = 0.0
    return coordinates

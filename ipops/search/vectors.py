"""向量索引 — the nearest-neighbour index over patent vectors (usearch, HNSW, cosine).

Like the text index it is a projection: the vectors themselves are
:class:`~ipops.search.models.PatentEmbedding` rows, and ``semantic.rebuild_vector_index``
makes the index again from them at any time. Two files in ``SEARCH_INDEX_DIR/vectors/``:

* ``index.usearch`` — the vectors as searched: each *centred* on its script's mean vector
  (:class:`Centres`), then normalised again;
* ``centres.npz`` — those means, which queries are centred on too.

Why centre: e5 gives every text of one script a large shared component, so unrelated
Chinese titles score above the English patent a Chinese description is about. Removing
each script's mean (Libovický et al., "On the language neutrality of pre-trained
multilingual representations", 2020) took a Chinese description to its English patent in
the top 10 from 2 of 28 times to 21 of 28, and left same-language neighbours as good as
before (bench/README.md). Within one script it shifts every score by the same amount.

Files change under ``write.lock`` (an exclusive ``flock``), each saved to a temporary name
and moved into place with ``os.replace``: a reader sees an old file or a new one, never half
of one. Every process keeps what it last loaded (the index memory-mapped) and loads again
when a file's identity (inode, modification time, size) changes: two ``stat`` calls a search.
Keys are patent ids.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from usearch.index import Index

from ipops.search.embedder import DIMENSIONS, Vectors
from ipops.search.index import IndexUnavailable

# f32 rather than i8: i8 makes the file a third (51 against 161 MiB at 100,000 vectors) but
# finds 95.8 % of the exact 10 nearest against 99.9 % (bench/README.md, "semantic.py").
DTYPE: Final = "f32"
INDEX_FILE: Final = "index.usearch"
CENTRES_FILE: Final = "centres.npz"
# A script's own mean needs enough texts to mean anything; below this it shares the mean
# of all vectors.
MIN_CENTRED: Final = 100
# The means are computed again (a rebuild) once a script has this many times the vectors
# they were computed from: a corpus that grows tenfold is rebuilt about ten times in all.
REBUILD_GROWTH: Final = 1.25


class VectorIndexUnavailable(IndexUnavailable):
    """No vector index has been built yet (or its file is gone): `ipops embed` builds one."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The semantic search index has not been built yet (%(path)s). Run "
                "`ipops embed`, or wait for the background embedding."
            )
            % {"path": path}
        )


def directory() -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / "vectors"


def index_path() -> Path:
    return directory() / INDEX_FILE


def empty_index() -> Index:
    return Index(ndim=DIMENSIONS, metric="cos", dtype=DTYPE)


# --- centres --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Centres:
    """Each script's mean vector (scripts with fewer than MIN_CENTRED vectors use the mean
    of all), and how many vectors each was computed from."""

    means: dict[str, Vectors]
    overall: Vectors
    counts: dict[str, int]

    @classmethod
    def from_sums(cls, sums: dict[str, Vectors], counts: dict[str, int]) -> Centres:
        total = sum(counts.values())
        overall = (
            np.sum(list(sums.values()), axis=0) / total if total else np.zeros(DIMENSIONS)
        ).astype(np.float32)
        means = {
            script: (sums[script] / count).astype(np.float32)
            for script, count in counts.items()
            if count >= MIN_CENTRED
        }
        return cls(means, overall, dict(counts))

    def centre(self, vectors: Vectors, scripts: Sequence[str]) -> Vectors:
        """Vectors (one per row) less their script's mean, normalised again."""
        if not scripts:
            return np.empty((0, DIMENSIONS), dtype=np.float32)
        shift = np.vstack([self.means.get(script, self.overall) for script in scripts])
        centred = np.atleast_2d(vectors) - shift
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        result: Vectors = (centred / np.maximum(norms, 1e-12)).astype(np.float32)
        return result

    def outgrown(self, counts: dict[str, int]) -> bool:
        """Whether some script now has enough new vectors to compute the means again."""
        return any(
            count >= MIN_CENTRED and count >= REBUILD_GROWTH * self.counts.get(script, 0)
            for script, count in counts.items()
        )

    def save(self, path: Path) -> None:
        scripts = sorted(self.counts)
        means = [self.means.get(script, self.overall) for script in scripts]
        with open(path, "wb") as handle:
            np.savez(
                handle,
                overall=self.overall,
                scripts=np.array(scripts, dtype=str),
                means=np.vstack(means) if means else np.empty((0, DIMENSIONS)),
                centred=np.array([script in self.means for script in scripts], dtype=bool),
                counts=np.array([self.counts[script] for script in scripts], dtype=np.int64),
            )

    @classmethod
    def load(cls, path: Path) -> Centres:
        with np.load(path) as data:
            scripts = [str(script) for script in data["scripts"]]
            means = {
                script: data["means"][i].astype(np.float32)
                for i, script in enumerate(scripts)
                if data["centred"][i]
            }
            counts = {script: int(data["counts"][i]) for i, script in enumerate(scripts)}
            return cls(means, data["overall"].astype(np.float32), counts)


# --- writing --------------------------------------------------------------------------------


@contextmanager
def locked(name: str, *, wait: bool = True) -> Iterator[bool]:
    """Hold the exclusive lock file ``name`` in the index directory. Yields False, holding
    nothing, when ``wait`` is off and another process holds it."""
    directory().mkdir(parents=True, exist_ok=True)
    with open(directory() / name, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_for_writing() -> tuple[Index, Centres] | None:
    """The index in memory (not mapped: it is about to change) and its centres, or None
    where either is missing. Call it holding ``write.lock``."""
    if not index_path().exists() or not (directory() / CENTRES_FILE).exists():
        return None
    index = Index.restore(str(index_path()))
    return None if index is None else (index, Centres.load(directory() / CENTRES_FILE))


def save(index: Index, centres: Centres) -> None:
    """Put both files in place, centres first. Call it holding ``write.lock``."""
    suffix = f".{os.getpid()}.tmp"
    centres.save(directory() / (CENTRES_FILE + suffix))
    os.replace(directory() / (CENTRES_FILE + suffix), directory() / CENTRES_FILE)
    index.save(str(directory() / (INDEX_FILE + suffix)))
    os.replace(directory() / (INDEX_FILE + suffix), index_path())


def upsert(index: Index, keys: list[int], centred: Vectors) -> None:
    """Add (centred) vectors under patent ids, replacing any a key already has."""
    if not keys:
        return
    remove(index, keys)
    index.add(np.asarray(keys, dtype=np.uint64), centred)


def remove(index: Index, keys: Iterable[int]) -> None:
    present = [key for key in keys if key in index]
    if present:
        index.remove(np.asarray(present, dtype=np.uint64))


def count() -> int | None:
    """Vectors in the index file (memory-mapped, so cheap), None where it or its centres
    are missing."""
    if not index_path().exists() or not (directory() / CENTRES_FILE).exists():
        return None
    index = Index.restore(str(index_path()), view=True)
    return None if index is None else len(index)


# --- reading --------------------------------------------------------------------------------

Identity = tuple[tuple[int, int, int], tuple[int, int, int]]
_reader_lock = threading.Lock()
_loaded: tuple[Identity, Index, Centres] | None = None


def reader() -> tuple[Index, Centres]:
    """The current index, memory-mapped, and its centres; loaded again when replaced."""
    global _loaded
    try:
        identity = (_identity(index_path()), _identity(directory() / CENTRES_FILE))
    except FileNotFoundError:
        raise VectorIndexUnavailable(index_path()) from None
    with _reader_lock:
        if _loaded is None or _loaded[0] != identity:
            index = Index.restore(str(index_path()), view=True)
            if index is None:  # usearch's answer for a file that is not an index
                raise VectorIndexUnavailable(index_path())
            _loaded = (identity, index, Centres.load(directory() / CENTRES_FILE))
        return _loaded[1], _loaded[2]


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def nearest(vector: Vectors, script: str, count: int) -> list[tuple[int, float]]:
    """The ``count`` patents nearest a raw (uncentred) vector of text in ``script``:
    ``(patent id, cosine similarity between the centred vectors)``, best first."""
    index, centres = reader()
    if count <= 0 or len(index) == 0:
        return []
    matches = index.search(centres.centre(vector, [script])[0], count)
    return [
        (int(key), 1.0 - float(distance))
        for key, distance in zip(matches.keys, matches.distances, strict=True)
    ]

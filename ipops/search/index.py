"""The Tantivy index: its schema, where it lives, and how a rebuilt index replaces the old one.

The index is a projection of the database (DESIGN.md "Search"): it can be deleted at any time
and rebuilt with `ipops reindex`. It lives under ``DATA_DIR/search/``, one directory per
*generation*; the file ``CURRENT`` names the generation in use. A rebuild writes a new
generation beside the old one and then replaces ``CURRENT`` atomically, so searches never see
a half-built index, and every process notices the switch on its next search.

Text fields hold tokens made by :mod:`ipcore.search.analysis` (CJK bigrams and words), passed
to Tantivy pre-tokenised: the query compiler uses the same functions, so both sides always
agree. In stemmed mode an English word also matches through ``~stem`` tokens indexed at the
word's own position (only where the stem differs from the word).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import tantivy
from django.conf import settings

# Text fields: analysed, positions kept for phrases. Codes follow ipcore.search.fields.
TEXT_FIELDS: Final = ("ti", "ab", "cl", "ap", "inv")
# Exact-value fields (one raw term per value), with fast columns for facets where useful.
KEYWORD_FIELDS: Final = {
    "an": False,
    "pn": False,
    "ipc": False,
    "cpc": False,
    "cc": True,
    "kd": True,
    "type": True,
    "ls": True,
    "ipc_section": True,
    "ipc_class": True,
    "ipc_subclass": True,
}
# Integer fields: indexed for ranges, fast for sorting and facets. Dates are yyyymmdd.
INTEGER_FIELDS: Final = ("ad", "pd", "gd", "year", "claims", "field", "org", "created")
# A unique sort key per document for keyset paging by date: yyyymmdd * 10^10 + patent id.
SORT_KEY_FIELD: Final = "date_key"
SORT_KEY_SCALE: Final = 10**10
STEM_MARK: Final = "~"
WRITER_HEAP: Final = 128_000_000


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="raw", index_option="position")
    for name, fast in KEYWORD_FIELDS.items():
        builder.add_text_field(
            name, stored=False, tokenizer_name="raw", index_option="basic", fast=fast
        )
    for name in INTEGER_FIELDS:
        builder.add_integer_field(name, stored=False, indexed=True, fast=True)
    builder.add_integer_field(SORT_KEY_FIELD, stored=False, indexed=True, fast=True)
    return builder.build()


SCHEMA: Final = build_schema()


class IndexUnavailable(RuntimeError):
    """No index has been built yet (or its files are gone): `ipops reindex` builds one."""


@dataclass(frozen=True)
class Generation:
    name: str
    path: Path


def root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def current_generation() -> Generation | None:
    pointer = root() / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = root() / name
    return Generation(name, path) if name and (path / "meta.json").exists() else None


def new_generation() -> Generation:
    name = f"gen-{time.time_ns()}"
    path = root() / name
    path.mkdir(parents=True)
    return Generation(name, path)


def publish(generation: Generation) -> None:
    """Make ``generation`` the one searches use, then delete older ones."""
    pointer = root() / "CURRENT"
    temporary = root() / f"CURRENT.{os.getpid()}"
    temporary.write_text(generation.name, encoding="utf-8")
    os.replace(temporary, pointer)  # atomic: a reader sees the old name or the new one
    _forget_readers()
    for old in root().glob("gen-*"):
        if old.name != generation.name:
            shutil.rmtree(old, ignore_errors=True)  # open readers keep their mapped files


def create_index(generation: Generation) -> tantivy.Index:
    return tantivy.Index(SCHEMA, path=str(generation.path))


def ensure_index() -> tantivy.Index:
    """The current index, created empty on first use (so the outbox can be applied to it)."""
    generation = current_generation()
    if generation is None:
        generation = new_generation()
        index = create_index(generation)
        publish(generation)
        return index
    return tantivy.Index.open(str(generation.path))


# --- readers: one open index and searcher per process, renewed when the index changes -----

_lock = threading.Lock()
# How long a searcher is trusted before the index files are checked again. Another process
# (the background indexer) commits to the index; its changes show up at most this late. This
# process's own commits call `mark_changed`, so they show at once.
RECHECK_SECONDS: Final = 0.5


@dataclass
class _Reader:
    folder: str  # SEARCH_INDEX_DIR it was opened under (tests switch it)
    generation: str
    stamp: int  # meta.json's modification time: every commit rewrites it
    index: tantivy.Index
    searcher: tantivy.Searcher
    checked: float = 0.0  # time.monotonic() of the last look at the files


_current: _Reader | None = None


def searcher() -> tantivy.Searcher:
    """A searcher on the latest commit of the current index. Opening one costs more than a
    small search, so it is kept until the index changes (a commit rewrites meta.json; a
    rebuild switches generation) — checked with a read and a stat at most every
    RECHECK_SECONDS (those cost a tenth of a millisecond, half of a small search)."""
    global _current
    reader = _current
    if (
        reader is not None
        and time.monotonic() - reader.checked < RECHECK_SECONDS
        and reader.folder == str(settings.SEARCH_INDEX_DIR)
    ):
        return reader.searcher
    generation = current_generation()
    if generation is None:
        raise IndexUnavailable(str(root()))
    try:
        stamp = (generation.path / "meta.json").stat().st_mtime_ns
    except FileNotFoundError:
        raise IndexUnavailable(str(generation.path)) from None
    with _lock:
        reader = _current
        if reader is None or reader.generation != generation.name:
            index = tantivy.Index.open(str(generation.path))
            folder = str(settings.SEARCH_INDEX_DIR)
            reader = _current = _Reader(folder, generation.name, stamp, index, index.searcher())
        elif reader.stamp != stamp:
            reader.index.reload()
            reader.stamp, reader.searcher = stamp, reader.index.searcher()
        reader.checked = time.monotonic()
        return reader.searcher


def mark_changed() -> None:
    """This process committed to the index: the next search looks at the files again."""
    reader = _current
    if reader is not None:
        reader.checked = 0.0


def _forget_readers() -> None:
    global _current
    with _lock:
        _current = None

"""Reading a file in a second process while this one writes: two cores, one pipeline.

Parsing (Parquet rows, XML trees) and writing (hashing, normalising names, inserting) each
take about half of an import's time, and both are Python, so in one process they queue
behind one lock. A reader process parses and sends records in chunks through a bounded
queue (memory stays flat: at most `depth` chunks wait), while this process writes.

The child runs only `ipcore` code (started with "spawn", it never sees Django's database
connections), dies with its parent (Linux's parent-death signal, so a killed import leaves
no orphan), and sends a file-format error back to be raised here as if read in-process.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import queue as queue_module
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

from django.conf import settings

from ipcore.formats.base import FileFormatError, FormatReader, ReadResult

CHUNK: Final = 500
DEPTH: Final = 8
_POLL_SECONDS: Final = 1.0
_PR_SET_PDEATHSIG: Final = 1

ReaderFactory = Callable[[], FormatReader]


class ReaderCrashed(RuntimeError):
    """The reader process failed in a way that is not a file-format error (a bug)."""


def read_maybe_ahead(factory: ReaderFactory, path: Path) -> Iterator[ReadResult]:
    """Read in a second process when the file is big enough to gain from it (below
    `READ_AHEAD_MIN_BYTES`, starting a Python child, ~0.5 s, costs more than it saves)."""
    small = path.stat().st_size < settings.READ_AHEAD_MIN_BYTES
    if small or multiprocessing.cpu_count() < 2:
        return factory().read(path)
    return read_ahead(factory, path)


def read_ahead(
    factory: ReaderFactory, path: Path, *, chunk: int = CHUNK, depth: int = DEPTH
) -> Iterator[ReadResult]:
    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue(maxsize=depth)
    child = context.Process(
        target=_produce, args=(factory, path, channel, chunk), name="ipops-reader", daemon=True
    )
    child.start()
    try:
        yield from _receive(channel, child)
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)
        channel.close()
        channel.join_thread()


def _receive(channel: Any, child: Any) -> Iterator[ReadResult]:
    while True:
        try:
            kind, payload = channel.get(timeout=_POLL_SECONDS)
        except queue_module.Empty:
            if not child.is_alive():
                message = f"the reader process ended (exit code {child.exitcode})"
                raise ReaderCrashed(message) from None
            continue
        if kind == "records":
            yield from payload
        elif kind == "format_error":
            raise payload
        elif kind == "crash":
            raise ReaderCrashed(payload)
        else:
            return


def _produce(factory: ReaderFactory, path: Path, channel: Any, chunk: int) -> None:
    """In the child: read, send chunks, then "done" (or the error that stopped reading)."""
    _die_with_parent()
    batch: list[ReadResult] = []
    try:
        for result in factory().read(path):
            batch.append(result)
            if len(batch) >= chunk:
                channel.put(("records", batch))
                batch = []
        if batch:
            channel.put(("records", batch))
        channel.put(("done", None))
    except FileFormatError as error:
        if batch:
            channel.put(("records", batch))
        channel.put(("format_error", error))
    except Exception as error:  # reported to the parent, which raises it as ReaderCrashed
        channel.put(("crash", f"{type(error).__name__}: {error}"))
    channel.close()
    channel.join_thread()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

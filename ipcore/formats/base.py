"""The contract every format reader keeps.

A reader is a module with:

* ``NAME`` — the format's name on the command line (``ipops ingest --format NAME``);
* ``DESCRIPTION`` — one line for ``--help``;
* ``sniff(path: Path, head: bytes) -> bool`` — whether a file looks like this format, from its
  name and first bytes (``head``, up to 64 KiB); cheap and without side effects;
* ``read(path: Path) -> Iterator[PatentRecord | RecordError]`` — stream the file in constant
  memory. A bad record is *yielded* as a `RecordError` (naming the record and the field), never
  raised, so one bad record never costs the rest of the file. A file that cannot be read at
  all (truncated archive, not this format) raises `FileFormatError`.

Readers never touch a database and never guess silently: a value they cannot read becomes a
warning on the record or a `RecordError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from ipcore.patents.record import PatentRecord, RecordError

HEAD_BYTES = 64 * 1024
MAX_XML_BYTES = 200 * 1024 * 1024  # one XML document larger than this is refused, not parsed

ReadResult = PatentRecord | RecordError


class FileFormatError(ValueError):
    """The whole file is unreadable as this format (says which file and why)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.reason))


class FormatReader(Protocol):
    NAME: str
    DESCRIPTION: str

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path) -> Iterator[ReadResult]: ...


_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})")


def parse_date(text: str | None) -> dt.date | None:
    """`20211210`, `2021-12-10`, `2021/12/10`, `2021.12.10` → a date; empty → None.

    Raises ValueError with the offending text for impossible dates (2021-02-30, 00000000)
    so the caller can say which field of which record was wrong.
    """
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _COMPACT_DATE.match(cleaned) or _ISO_DATE.match(cleaned)
    if match is None:
        raise ValueError(f"not a date: {text!r}")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"impossible date: {text!r}") from None

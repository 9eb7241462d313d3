"""Which formats exist and how one is guessed from a file."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import cast

from ipcore.formats.base import HEAD_BYTES, FileFormatError, FormatReader

# Order matters for guessing: the most specific sniffers first.
READER_MODULES: tuple[str, ...] = (
    "ipcore.formats.patentsview",
    "ipcore.formats.cnipa_xml",
    "ipcore.formats.uspto_xml",
    "ipcore.formats.epo_xml",
    "ipcore.formats.tabular",
)


def readers() -> dict[str, FormatReader]:
    found: dict[str, FormatReader] = {}
    for name in READER_MODULES:
        module = cast(FormatReader, importlib.import_module(name))
        found[module.NAME] = module
    return found


def reader_for(name: str) -> FormatReader:
    available = readers()
    if name not in available:
        raise KeyError(f"unknown format {name!r}; one of {', '.join(sorted(available))}")
    return available[name]


def guess_format(path: Path) -> FormatReader:
    """The first reader whose sniffer accepts the file; FileFormatError when none does."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    for reader in readers().values():
        if reader.sniff(path, head):
            return reader
    raise FileFormatError(path, "format not recognised; name one with --format")

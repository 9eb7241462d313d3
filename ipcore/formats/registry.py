"""Which formats exist and how one is guessed from a file."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Final, cast

from ipcore.formats.base import HEAD_BYTES, FileFormatError, FormatReader

# Order matters for guessing: the most specific sniffers first.
READER_MODULES: tuple[str, ...] = (
    "ipcore.formats.patentsview",
    "ipcore.formats.cnipa_xml",
    "ipcore.formats.uspto_xml",
    "ipcore.formats.epo_xml",
    "ipcore.formats.tabular",
)

TABLE_FORMAT: Final = "table"

# Format names that are the table reader with one shipped mapping (ipcore/data/mappings):
# `ipops ingest --format lens` reads like `--format table` with the `lens` mapping, and the
# data keeps "lens" as its format.
FORMAT_ALIASES: Final[dict[str, tuple[str, str]]] = {
    "lens": (TABLE_FORMAT, "lens"),
    "cn-titles": (TABLE_FORMAT, "cn-titles"),
}


def readers() -> dict[str, FormatReader]:
    found: dict[str, FormatReader] = {}
    for name in READER_MODULES:
        module = cast(FormatReader, importlib.import_module(name))
        found[module.NAME] = module
    return found


def format_names() -> list[str]:
    """Every name ``--format`` accepts: the readers and the table aliases."""
    return sorted([*readers(), *FORMAT_ALIASES])


def reader_for(name: str) -> FormatReader:
    if name in FORMAT_ALIASES:
        return _alias_reader(name)
    available = readers()
    if name not in available:
        known = ", ".join(sorted([*available, *FORMAT_ALIASES]))
        raise KeyError(f"unknown format {name!r}; one of {known}")
    return available[name]


def guess_format(path: Path) -> FormatReader:
    """The first reader whose sniffer accepts the file; FileFormatError when none does.

    A table whose header matches a mapping that has an alias is read under the alias, so
    a Lens export guessed from its header is recorded as "lens", not as "table".
    """
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    for reader in readers().values():
        if not reader.sniff(path, head):
            continue
        if reader.NAME == TABLE_FORMAT:
            return _table_alias(path) or reader
        return reader
    raise FileFormatError(path, "format not recognised; name one with --format")


def _alias_reader(name: str) -> FormatReader:
    from ipcore.formats import tabular

    base, mapping = FORMAT_ALIASES[name]
    if base != TABLE_FORMAT:  # pragma: no cover - guards a future alias of another reader
        raise KeyError(f"alias {name!r} names {base!r}, which takes no mapping")
    return tabular.reader_with_mapping(name, mapping)


def _table_alias(path: Path) -> FormatReader | None:
    from ipcore.formats import tabular

    try:
        mapping = tabular.describe(path).mapping.name
    except (FileFormatError, ValueError):
        return None
    for alias, (_, aliased) in FORMAT_ALIASES.items():
        if aliased == mapping:
            return _alias_reader(alias)
    return None

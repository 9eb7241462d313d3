"""Text clean-up shared by the identifier parsers."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC, upper-case, strip: full-width and lower-case ``cn2018…`` both read as ``CN2018…``.

    NFKC runs again after upper-casing because case mapping can leave text that is not in
    NFKC form, and every normaliser built on this must be idempotent.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).upper()).strip()


def compact(text: str) -> str:
    """:func:`fold`, then drop all whitespace (``ZL 2018 1 0390462.7`` → ``ZL201810390462.7``)."""
    return _WHITESPACE.sub("", fold(text))

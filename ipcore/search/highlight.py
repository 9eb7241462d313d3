"""命中高亮 — where a result's text matches the query, for snippets in a result list.

Matching here mirrors the index: a CJK term matches as a substring, any other word as a
whole word, case- and width-insensitive, Traditional or Simplified alike. The text is shown
as stored; only the match positions come from its normalised form, which has the same length
character by character for the normalisations used (case-folding may not, so Latin matching
runs on a lower-cased copy and falls back to no highlight where lengths differ).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ipcore.chinese import to_simplified
from ipcore.search.analysis import is_cjk


@dataclass(frozen=True)
class Fragment:
    text: str
    hit: bool


def highlight(text: str, terms: Sequence[str], *, width: int = 200) -> list[Fragment]:
    """``text`` cut to about ``width`` characters around its first match, as fragments marked
    hit or not; the start of the text when nothing matches."""
    spans = match_spans(text, terms)
    start = _window_start(text, spans, width)
    end = min(len(text), start + width)
    fragments: list[Fragment] = []
    if start > 0:
        fragments.append(Fragment("…", hit=False))
    position = start
    for low, high in spans:
        if high <= start or low >= end:
            continue
        low, high = max(low, position), min(high, end)
        if low > position:
            fragments.append(Fragment(text[position:low], hit=False))
        if high > low:
            fragments.append(Fragment(text[low:high], hit=True))
        position = max(position, high)
    if position < end:
        fragments.append(Fragment(text[position:end], hit=False))
    if end < len(text):
        fragments.append(Fragment("…", hit=False))
    return fragments


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) character spans of every term's matches in ``text``."""
    folded = _fold(text)
    if len(folded) != len(text):
        return []
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = _fold(term.strip())
        if not needle:
            continue
        if any(is_cjk(ch) for ch in needle):
            pattern = re.escape(needle)
        else:
            pattern = rf"(?<!\w){re.escape(needle)}(?!\w)"
        spans.extend(match.span() for match in re.finditer(pattern, folded))
    return _merged(sorted(spans))


def _fold(text: str) -> str:
    return to_simplified(text.lower())


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _window_start(text: str, spans: list[tuple[int, int]], width: int) -> int:
    if not spans or spans[0][0] < width // 3:
        return 0
    return max(0, min(spans[0][0] - width // 3, len(text) - width))

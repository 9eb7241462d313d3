"""检索文本分析 — how text becomes index terms, shared by the indexer and the query compiler.

One function analyses both sides, so a query term can only ever be looked up in the form the
indexer wrote it:

* **CJK text** (Han ideographs with extension A and beyond, kana, hangul) is indexed as
  overlapping character bigrams: ``锂电池正极`` → ``锂电 电池 池正 正极``, at consecutive
  positions. A query term of n ≥ 2 characters becomes its n-1 bigrams, matched as a phrase
  (consecutive positions). A chain of consecutive bigrams spells exactly one string, so within
  a run of CJK characters the match is exact both ways: every substring is found (the
  substring recall CNIPA and incoPat users expect) and nothing else is. Word segmentation
  (jieba) would miss terms that cross its word boundaries; a 2-character term has no trigram.
* **Other letters and digits** form words, case-folded: ``Lithium-ion`` → ``lithium ion``.
  :func:`stem_english` conflates ``batteries``/``battery`` when a caller asks for it.
* Everything else (punctuation, spaces, symbols) separates tokens and is dropped.

Two limits, both deliberate:

* **A single CJK character** is indexed as a unigram only where it stands alone (between
  non-CJK text); inside a run it exists only as half of a bigram. Indexing every unigram too
  would double the postings for one rare kind of query. So :func:`query_tokens` returns the
  character itself and the compiler matches it with :func:`single_cjk_char_pattern`: the
  unigram, any bigram that starts with it, or any bigram that ends with it.
* **Runs are adjacent in position**: ``正极，极片`` is indexed as ``正极 极片``, so the phrase
  for ``正极片`` (``正极 极片``) also matches it — the same bridging that every positional
  engine shows for ``lithium. Ion`` against the phrase ``lithium ion``. The exactness above
  holds within one run of CJK characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from ipcore.chinese import to_simplified

# Code point ranges read as CJK (bigram-indexed). Half-width katakana and the compatibility
# jamo are not listed: NFKC maps them into the ranges below before anything looks at them.
CJK_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (0x1100, 0x11FF),  # hangul jamo
    (0x3005, 0x3007),  # iteration mark, closing mark, ideographic number zero
    (0x3040, 0x30FF),  # hiragana, katakana (with ー)
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs NFKC leaves alone
    (0x20000, 0x323AF),  # extensions B to H
)

_CJK_CLASS: Final = "".join(f"{chr(low)}-{chr(high)}" for low, high in CJK_RANGES)
# A word is a run of letters and digits that are not CJK; "_" is punctuation here, although
# Python's \w counts it as a word character.
_RUN: Final = re.compile(f"(?P<cjk>[{_CJK_CLASS}]+)|(?P<word>[^\\W_{_CJK_CLASS}]+)")
_CJK_CHAR: Final = re.compile(f"[{_CJK_CLASS}]")


def normalise_text(text: str) -> str:
    """NFKC, case-fold, Traditional → Simplified: full-width and upper-case ``LITHIUM`` both
    read ``lithium``, and ``電池`` reads ``电池`` (Taiwan and Hong Kong filings, and searchers
    who type Traditional, meet Simplified text).

    NFKC runs again after case-folding because folding can leave text outside NFKC
    (``ẞ`` → ``ss`` is fine, but some foldings decompose), and this must be idempotent.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return to_simplified(folded)


def is_cjk(char: str) -> bool:
    """Whether one character is indexed as CJK (bigrams) rather than as part of a word."""
    return _CJK_CHAR.fullmatch(char) is not None


def is_one_run(text: str) -> bool:
    """Whether ``text`` is one run of CJK characters or one word: what a wildcard can extend.

    ``batter``, ``锂电`` are; ``lithium-ion`` (two words) and ``5G基站`` (a word and a CJK
    run) are not.
    """
    return _RUN.fullmatch(normalise_text(text)) is not None


def index_tokens(text: str, *, stem: bool = False) -> list[str]:
    """The tokens of a text in order, one position each: CJK bigrams and words.

    ``"锂电池 Positive electrodes"`` → ``["锂电", "电池", "positive", "electrodes"]``;
    with ``stem=True`` the last is ``"electrod"``.
    """
    tokens: list[str] = []
    for match in _RUN.finditer(normalise_text(text)):
        run = match.group()
        if match.lastgroup == "cjk":
            tokens.extend(_bigrams(run))
        else:
            tokens.append(stem_english(run) if stem else run)
    return tokens


def query_tokens(term: str, *, stem: bool = False) -> list[str]:
    """The tokens a query term must match, as a phrase (consecutive positions).

    Exactly :func:`index_tokens`: the point is that both sides agree. A term of one CJK
    character yields that character, which the index holds only where the character stood
    alone; see :func:`single_cjk_char_pattern`. Wildcards are the compiler's business: pass
    the text without them.
    """
    return index_tokens(term, stem=stem)


def single_cjk_char_pattern(char: str) -> str:
    """A regular expression over index terms that finds one CJK character anywhere.

    ``锂`` occurs as the unigram ``锂`` (standing alone), as the first character of a bigram
    (``锂电``) or as the second (``金属锂`` → ``属锂``: the last character of a run starts no
    bigram). The pattern is anchored by the engine (Tantivy's RegexQuery matches whole terms).
    """
    if len(char) != 1 or not is_cjk(char):
        raise ValueError(f"{char!r} is not one CJK character")
    return f"{char}.?|.{char}"


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


# --- a light English stemmer -------------------------------------------------------------
#
# Porter's steps 1a, 1b and 1c (plurals, -ed, -ing, final y) and 5a (final e): enough to
# conflate "battery/batteries", "charge/charged/charging/charges", and conservative enough
# never to merge words that differ in more than inflection, which the later Porter steps
# (-ational, -ness, -ive …) do for terms a patent searcher keeps apart.

_VOWELS: Final = frozenset("aeiou")
_ASCII_WORD: Final = re.compile(r"[a-z]+")


@lru_cache(maxsize=1 << 16)
def stem_english(word: str) -> str:
    """``batteries`` → ``batteri``, ``charging`` → ``charg``; anything but a-z is unchanged.

    Stems are index terms, not words: ``battery`` also becomes ``batteri``, which is what
    makes the two meet. Words of one or two letters are left alone (Porter's rule).
    """
    if len(word) <= 2 or not _ASCII_WORD.fullmatch(word):
        return word
    return _step_5a(_step_1c(_step_1b(_step_1a(word))))


def _is_consonant(word: str, i: int) -> bool:
    # "y" is a consonant at the start and after a vowel ("toy"), a vowel after a consonant
    # ("happy").
    char = word[i]
    if char in _VOWELS:
        return False
    if char == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in [C](VC)^m[V]."""
    pattern = "".join("c" if _is_consonant(stem, i) else "v" for i in range(len(stem)))
    return re.sub(r"(.)\1+", r"\1", pattern).count("vc")


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _ends_double_consonant(stem: str) -> bool:
    return len(stem) >= 2 and stem[-1] == stem[-2] and _is_consonant(stem, len(stem) - 1)


def _ends_cvc(stem: str) -> bool:
    """Consonant-vowel-consonant, the last not w, x or y (``hop``, not ``snow``)."""
    if len(stem) < 3 or stem[-1] in "wxy":
        return False
    n = len(stem)
    return (
        _is_consonant(stem, n - 3) and not _is_consonant(stem, n - 2) and _is_consonant(stem, n - 1)
    )


def _step_1a(word: str) -> str:
    for suffix, replacement in (("sses", "ss"), ("ies", "i"), ("ss", "ss"), ("s", "")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    return word


def _step_1b(word: str) -> str:
    if word.endswith("eed"):
        return word[:-1] if _measure(word[:-3]) > 0 else word
    for suffix in ("ed", "ing"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and _has_vowel(stem):
            return _repair_1b(stem)
    return word


def _repair_1b(stem: str) -> str:
    # Put back what stripping -ed/-ing took too far: "conflat(ed)" → "conflate",
    # "hopp(ing)" → "hop", "fil(ing)" → "file".
    if stem.endswith(("at", "bl", "iz")):
        return stem + "e"
    if _ends_double_consonant(stem) and stem[-1] not in "lsz":
        return stem[:-1]
    if _measure(stem) == 1 and _ends_cvc(stem):
        return stem + "e"
    return stem


def _step_1c(word: str) -> str:
    if word.endswith("y") and _has_vowel(word[:-1]):
        return word[:-1] + "i"
    return word


def _step_5a(word: str) -> str:
    if not word.endswith("e"):
        return word
    stem = word[:-1]
    measure = _measure(stem)
    if measure > 1 or (measure == 1 and not _ends_cvc(stem)):
        return stem
    return word

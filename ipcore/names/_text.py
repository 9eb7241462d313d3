"""Character-level clean-up of organisation names: the steps that need no table.

Every function here is idempotent on its own output, which :func:`normalise_name` relies on
(normalising a key again must give the same key).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from ipcore.chinese import to_simplified

# Mojibake — UTF-8 bytes read as Windows-1252 — starts with the lead byte of a 2-byte
# (Ã, Â) or 3-byte (â, ä, å, ç, è, é, ï: punctuation and CJK) sequence. Only runs starting
# with one of these are repaired: normalised keys never contain them (their accents are
# removed), so repair can never fire on a key and break idempotence.
_MOJIBAKE_RUN: Final = re.compile("[ÃÂâäåçèéï][\u0080-\u00ff\u0152-\u0192\u02c6-\u2122]+")
_MAX_REPAIR_ROUNDS: Final = 3  # the benchmark data holds text encoded twice over

# Initials written with dots — S.N.E.C.M.A., U. S., e.V., S.A — read as one word. A lone
# "A." (Commissariat A. l'Energie) is left alone: it needs a second dotted letter.
_DOTTED_INITIALS: Final = re.compile(
    r"\b[^\W\d_]\.(?:(?:\s?[^\W\d_]\.)+(?:[^\W\d_]\b)?|(?:[^\W\d_]\.)*[^\W\d_]\b)"
)
_APOSTROPHES: Final = "'’‘`´′ʼ"  # noqa: RUF001 — every apostrophe seen in real names
# French elision — l'Energie, d'Etude, L'Air Liquide, also written "l 'Energie" — reads as
# the word alone: the article goes, as "The" does, and never stands as a lone letter that
# would look like a person's initial. (D'Amico loses its D too: a rare, consistent cost.)
_ELISION: Final = re.compile(f"\\b[lLdD]\\s?[{_APOSTROPHES}]\\s?(?=[^\\W\\d_])")
# An apostrophe after another one-letter word (O'Brien) or before one or two letters, which
# shortens a word (Int'l, Nat'l, Majesty's), joins. Any other separates words: a space.
_JOINING_APOSTROPHE: Final = re.compile(
    f"(?<=\\b[^\\W\\d_])[{_APOSTROPHES}](?=[^\\W\\d_])"
    f"|[{_APOSTROPHES}](?=[^\\W\\d_]{{1,2}}(?![^\\W\\d_]))"
)
_SEPARATING_APOSTROPHE: Final = re.compile(f"[{_APOSTROPHES}]")
_NON_WORD: Final = re.compile(r"[\W_]+")
_COMBINING_ACCENTS: Final = re.compile("[\u0300-\u036f]")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252, once or twice over.

    ``Max-Planck-Gesellschaft zur FÃƒÂ¶rderung`` → ``… Förderung``. A run that does not
    decode cleanly is kept as it is: guessing would corrupt real Latin-1 names.
    """
    for _ in range(_MAX_REPAIR_ROUNDS):
        repaired = _MOJIBAKE_RUN.sub(_repair_run, text)
        if repaired == text:
            break
        text = repaired
    return text


def _repair_run(match: re.Match[str]) -> str:
    run = match.group()
    try:
        return run.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return run


def fold(text: str) -> str:
    """NFKC (full-width → half-width), case-fold, drop Latin accents, Traditional → Simplified.

    Only combining marks U+0300 to U+036F are dropped, so ``Société`` → ``societe`` while
    Japanese voicing marks (U+3099) and Hangul syllables survive the NFD/NFC round trip.
    NFKC runs again after case-folding because case mapping can leave non-NFKC text.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    stripped = _COMBINING_ACCENTS.sub("", unicodedata.normalize("NFD", folded))
    return to_simplified(unicodedata.normalize("NFC", stripped))


def tokenise(text: str) -> list[str]:
    """Words of a name, folded: initials joined, apostrophes resolved, & read as "and".

    Punctuation of every kind separates words, so ``Hewlett-Packard``, ``Hewlett Packard``
    and ``HEWLETT.PACKARD`` give the same tokens.
    """
    text = _DOTTED_INITIALS.sub(lambda m: _NON_WORD.sub("", m.group()) + " ", text)
    text = _JOINING_APOSTROPHE.sub("", _ELISION.sub("", text))
    text = _SEPARATING_APOSTROPHE.sub(" ", text).replace("&", " and ")
    return _NON_WORD.sub(" ", fold(text)).split()


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Han, kana or Hangul character (names written without spaces)."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x9FFF  # CJK unified ideographs and extension A
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0x20000 <= code <= 0x3134F  # extensions B to G
    )


def initials(tokens: list[str] | tuple[str, ...]) -> str:
    """First letters of ``tokens``: ``international business machines`` → ``ibm``."""
    return "".join(token[0] for token in tokens)

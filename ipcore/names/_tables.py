"""The word lists behind name normalisation, read once from ``ipcore/data/names/*.csv``.

Lists are data, not code, so that a reviewer can add a legal form or an abbreviation
without touching the rules. Every entry is folded and tokenised exactly as names are, so a
table row written the way people write it (``S.p.A.``, ``Int'l``) matches what the
tokeniser makes of a real name.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ipcore._data import read_data_csv
from ipcore.names._text import is_cjk, tokenise

_MAX_ONE_EDIT_FORM: Final = 8  # forms up to 8 letters allow one typo, longer ones two


class LegalClass(enum.Enum):
    """What kind of legal person a legal-form suffix says the name belongs to."""

    NONE = "none"
    BUSINESS = "business"  # 有限公司, Inc., GmbH, K.K. … and partnerships
    ASSOCIATION = "association"  # e.V. — a registered society, not a company


@dataclass(frozen=True, slots=True)
class LegalForm:
    """One row of ``legal_forms.csv``: its tokens and what stripping it records."""

    tokens: tuple[str, ...]
    canonical: str
    legal_class: LegalClass
    prefix: bool  # may stand before the name (Kabushiki Kaisha Toshiba, 株式会社日立製作所)
    suffix: bool
    fuzzy: bool  # long enough that a one- or two-letter typo is still unmistakable
    cjk: bool  # Han/kana/Hangul: matched inside a word, since such names have no spaces


@dataclass(frozen=True, slots=True)
class NameTables:
    """Everything :func:`normalise_name` looks up, indexed for speed."""

    legal_forms: tuple[LegalForm, ...]  # longest first, so 股份有限公司 wins over 有限公司
    # The same forms indexed for the hot path: Latin ones by their last (suffix) or first
    # (prefix) word, CJK ones apart, and the typo-tolerant ones as (glued form, edit limit).
    suffixes_by_last_word: dict[str, tuple[LegalForm, ...]]
    prefixes_by_first_word: dict[str, tuple[LegalForm, ...]]
    cjk_suffixes: tuple[LegalForm, ...]
    cjk_prefixes: tuple[LegalForm, ...]
    fuzzy_suffixes: tuple[tuple[str, int, LegalForm], ...]
    abbreviations: dict[str, tuple[str, ...]]
    articles: frozenset[str]
    leading_articles: frozenset[str]
    function_words: frozenset[str]
    institution_words: frozenset[str]
    institution_cjk: tuple[str, ...]
    artifacts: tuple[re.Pattern[str], ...]
    glued_forms: re.Pattern[str]
    phrases: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]  # by first word


@functools.cache
def name_tables() -> NameTables:
    """The tables, read and indexed once per process."""
    forms = _legal_forms()
    stopwords = read_data_csv("names/stopwords.csv")
    institutions = [
        _single_token(row["word"]) for row in read_data_csv("names/institution_words.csv")
    ]
    articles = _words(stopwords, "article")
    latin = [form for form in forms if not form.cjk]
    return NameTables(
        legal_forms=forms,
        suffixes_by_last_word=_index(
            [form for form in latin if form.suffix], lambda form: form.tokens[-1]
        ),
        prefixes_by_first_word=_index(
            [form for form in latin if form.prefix], lambda form: form.tokens[0]
        ),
        cjk_suffixes=tuple(form for form in forms if form.cjk and form.suffix),
        cjk_prefixes=tuple(form for form in forms if form.cjk and form.prefix),
        fuzzy_suffixes=tuple(
            (glued, 1 if len(glued) <= _MAX_ONE_EDIT_FORM else 2, form)
            for form in latin
            if form.fuzzy and form.suffix
            for glued in ["".join(form.tokens)]
        ),
        abbreviations=_abbreviations(),
        articles=articles,
        leading_articles=_words(stopwords, "leading"),
        function_words=_words(stopwords, "function"),
        institution_words=frozenset(w for w in institutions if not is_cjk(w[0])),
        institution_cjk=tuple(w for w in institutions if is_cjk(w[0])),
        artifacts=tuple(re.compile(row["pattern"]) for row in read_data_csv("names/artifacts.csv")),
        glued_forms=_glued_forms_pattern(forms),
        phrases=_phrases(articles),
    )


def _legal_forms() -> tuple[LegalForm, ...]:
    forms: dict[tuple[str, ...], LegalForm] = {}
    for row in read_data_csv("names/legal_forms.csv"):
        tokens = tuple(tokenise(row["form"]))
        if not tokens or tokens in forms:
            continue
        forms[tokens] = LegalForm(
            tokens=tokens,
            canonical=row["canonical"],
            legal_class=LegalClass(row["class"]),
            prefix=row["position"] in {"prefix", "either"},
            suffix=row["position"] in {"suffix", "either"},
            fuzzy=row["fuzzy"] == "1",
            cjk=any(is_cjk(char) for char in tokens[0]),
        )
    return tuple(sorted(forms.values(), key=lambda form: -len("".join(form.tokens))))


def _index(
    forms: list[LegalForm], word: Callable[[LegalForm], str]
) -> dict[str, tuple[LegalForm, ...]]:
    """Forms grouped by one of their words, keeping the longest-first order."""
    grouped: dict[str, list[LegalForm]] = {}
    for form in forms:
        grouped.setdefault(word(form), []).append(form)
    return {key: tuple(group) for key, group in grouped.items()}


def _abbreviations() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for row in read_data_csv("names/abbreviations.csv"):
        table.setdefault(_single_token(row["abbreviation"]), tuple(tokenise(row["expansion"])))
    return table


def _phrases(
    articles: frozenset[str],
) -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """Phrase → replacement, longest first under each first word.

    Articles are left out of the phrases because they are gone from names by the time
    phrases are matched.
    """
    found: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for row in read_data_csv("names/phrases.csv"):
        phrase = tuple(token for token in tokenise(row["phrase"]) if token not in articles)
        replacement = tuple(tokenise(row["replacement"]))
        if len(replacement) >= len(phrase):
            raise ValueError(f"phrase {row['phrase']!r} must shrink, or replacing never ends")
        found.setdefault(phrase[0], []).append((phrase, replacement))
    return {
        first: tuple(sorted(entries, key=lambda entry: -len(entry[0])))
        for first, entries in found.items()
    }


def _words(rows: list[dict[str, str]], role: str) -> frozenset[str]:
    return frozenset(_single_token(row["word"]) for row in rows if row["role"] == role)


def _single_token(text: str) -> str:
    """A table entry that must be one word after tokenising; a bad row fails at import."""
    tokens = tokenise(text)
    if len(tokens) != 1:
        raise ValueError(f"name table entry {text!r} is not one word: {tokens}")
    return tokens[0]


def _glued_forms_pattern(forms: tuple[LegalForm, ...]) -> re.Pattern[str]:
    """Where a long legal form is glued to the name: ``General ElectricCompany``.

    Only single-word Latin forms of five letters or more, starting with a capital after a
    lower-case letter: ``PharmaCo`` or ``NetInc`` are brand names, not typos.
    """
    words = sorted(
        {form.tokens[0] for form in forms if len(form.tokens) == 1 and len(form.tokens[0]) >= 5}
        - {form.tokens[0] for form in forms if form.cjk}
    )
    alternatives = "|".join(f"{word[0].upper()}(?i:{re.escape(word[1:])})" for word in words)
    return re.compile(f"(?<=[a-z])(?=(?:{alternatives})\\b)")

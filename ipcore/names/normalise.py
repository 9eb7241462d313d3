"""申请人名称规范化 — normalising applicant and owner names into matching keys.

``上海XX有限公司``, ``上海XX公司`` and ``上海ＸＸ有限公司`` share the key ``上海xx``;
``International Business Machines Corp.``, ``INTERNATIONAL BUSINESS MACHINES CORPORATION``
and ``International Business Machines Corporaiton`` share ``international business
machines``. The legal form that was stripped is kept beside the key, because a key alone
cannot tell 清华大学 from a company that happens to be called 清华大学有限公司.

The steps, in order, each one explainable to a reviewer:

1. repair mojibake (``FÃƒÂ¶rderung`` → ``Förderung``) and NFKC (full-width → half-width);
2. cut data-source artifacts (``… CNT GBX COD 07`` in USPTO assignee fields);
3. unglue long legal forms (``ElectricCompany``) and resolve a parenthesised acronym
   (``Centre National de la Recherche Scientifique (CNRS)``), keeping the acronym aside;
4. case-fold, drop accents and punctuation, join dotted initials (``S.N.E.C.M.A.``),
   drop French elision (``l'Energie`` → ``energie``);
5. until nothing changes: expand abbreviations (``Univ.``, ``Int'l``, ``Mfg.``, ``U.S.``),
   drop articles (``The``), rewrite phrases (``United States of America as represented
   by the Secretary of the Navy`` → ``united states navy``), strip legal forms at either
   end — exactly, or with a typo when the form is long (``Corportion``) — and a
   standalone acronym of the rest of the name.

Tables live in ``ipcore/data/names/`` (see :mod:`ipcore.names._tables`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from ipcore.names._tables import LegalClass, LegalForm, NameTables, name_tables
from ipcore.names._text import initials, is_cjk, repair_mojibake, tokenise
from ipcore.names.distance import edit_distance

# A parenthesised part, possibly left unclosed at the end: "Foo (FB)", "Foo (FB".
_PARENTHETICAL: Final = re.compile(r"\(([^()]*)\)?")
_MIN_ACRONYM: Final = 3  # two letters (AG, SA, KK) are far more often legal forms
_MIN_FUZZY_TOKEN: Final = 5
_MIN_CJK_CORE: Final = 2  # 公司 must leave at least a two-character name


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A raw name and what matching sees of it.

    - ``key``: words joined by single spaces, without legal form, articles or a stated
      acronym, with ``phrases.csv`` applied; names with one key are one organisation.
    - ``loose_key``: the words as written (before phrases are rewritten), without function
      words (of, and, de, la, der …), for the looser comparisons: a misspelt
      ``as represnted by`` escapes the phrase table but is one edit away here.
    - ``legal_forms``: canonical labels of the stripped forms in reading order
      (``Co., Ltd.`` gives ``("Company", "Limited")``); ``legal_class`` sums them up.
    - ``acronym``: an acronym the name states for itself (``cnrs``), or "".
    - ``is_institution``: the key names a university, institute, hospital …
    """

    raw: str
    key: str
    loose_key: str
    legal_forms: tuple[str, ...]
    legal_class: LegalClass
    acronym: str
    is_institution: bool

    @property
    def tokens(self) -> tuple[str, ...]:
        """The key's words."""
        return tuple(self.key.split())

    @property
    def legal_form(self) -> str:
        """The stripped legal forms as one label: ``Company Limited``, ``集团有限公司``."""
        text = ""
        for form in self.legal_forms:
            glue = "" if text and is_cjk(text[-1]) and is_cjk(form[0]) else " "
            text = f"{text}{glue}{form}" if text else form
        return text


@dataclass(frozen=True, slots=True)
class _Core:
    tokens: tuple[str, ...]
    forms: tuple[LegalForm, ...]
    acronym: str


def normalise_name(raw: str) -> NormalisedName:
    """Normalise one applicant/owner name; pure, deterministic and idempotent on the key.

    ``normalise_name(n.key).key == n.key`` for every ``n`` this returns, so keys can be
    stored and compared with freshly normalised names.
    """
    tables = name_tables()
    text = unicodedata.normalize("NFKC", repair_mojibake(raw))
    for artifact in tables.artifacts:
        text = artifact.sub("", text)
    text = tables.glued_forms.sub(" ", text)
    text, stated_acronym = _resolve_parenthesised_acronym(text, tables)
    words = tokenise(text)
    core = _core(words, tables)
    literal = _core(words, tables, phrases=False)
    forms = core.forms
    legal_class = _legal_class(forms)
    key = " ".join(core.tokens)
    return NormalisedName(
        raw=raw,
        key=key,
        loose_key=" ".join(_loose(literal.tokens, tables)),
        legal_forms=_distinct_neighbours(tuple(form.canonical for form in forms)),
        legal_class=legal_class,
        acronym=stated_acronym or core.acronym,
        is_institution=_is_institution(core.tokens, tables),
    )


def _core(tokens: list[str], tables: NameTables, *, phrases: bool = True) -> _Core:
    """Strip articles, legal forms and a stated acronym until the tokens stop changing;
    rewrite phrases too unless ``phrases`` is False."""
    words = tokens
    prefix_forms: list[LegalForm] = []
    suffix_forms: list[LegalForm] = []
    acronym = ""
    while words:
        before = words
        # Abbreviations again on every round: stripping 株式会社 from 株式会社Int'l
        # leaves a new word to expand.
        words = _drop_articles(_expand_abbreviations(words, tables), tables)
        if phrases:
            words = _collapse_repeats(_replace_phrases(words, tables))
        words = _strip_prefix_forms(words, tables, prefix_forms)
        words = _strip_suffix_forms(words, tables, suffix_forms)
        words, found = _strip_standalone_acronym(words, tables)
        acronym = acronym or found
        if words == before:
            break
    return _Core(tuple(words), (*prefix_forms, *reversed(suffix_forms)), acronym)


def _expand_abbreviations(tokens: list[str], tables: NameTables) -> list[str]:
    expanded: list[str] = []
    for token in tokens:
        expanded.extend(tables.abbreviations.get(token, (token,)))
    return expanded


def _drop_articles(tokens: list[str], tables: NameTables) -> list[str]:
    kept = [token for token in tokens if token not in tables.articles] or tokens
    while len(kept) > 1 and kept[0] in tables.leading_articles:
        kept = kept[1:]
    return kept


def _replace_phrases(tokens: list[str], tables: NameTables) -> list[str]:
    """Apply ``phrases.csv`` left to right: ``united states of america`` → ``united states``."""
    result: list[str] = []
    position = 0
    while position < len(tokens):
        for phrase, replacement in tables.phrases.get(tokens[position], ()):
            if tuple(tokens[position : position + len(phrase)]) == phrase:
                result.extend(replacement)
                position += len(phrase)
                break
        else:
            result.append(tokens[position])
            position += 1
    return result or tokens


def _collapse_repeats(tokens: list[str]) -> list[str]:
    """A phrase of two or three words written twice in a row is written once.

    ``United States as represented by the United States Department of Energy`` reads
    ``united states united states department of energy`` once the formula is gone. Single
    repeated words stay: ``Walla Walla`` is a name.
    """
    for width in (3, 2):
        position = 0
        while position + 2 * width <= len(tokens):
            end = position + width
            if tokens[position:end] == tokens[end : end + width]:
                tokens = tokens[:end] + tokens[end + width :]
            else:
                position += 1
    return tokens


# --- legal forms -----------------------------------------------------------------------------


def _strip_suffix_forms(tokens: list[str], tables: NameTables, found: list[LegalForm]) -> list[str]:
    """Strip legal forms from the end, appending each to ``found`` (outermost first).

    An "and" left at the end belongs to the form after it: ``GmbH & Co. KG`` is three
    forms, ``Smith & Co.`` is Smith.
    """
    while True:
        if found and len(tokens) > 1 and tokens[-1] == "and":
            tokens = tokens[:-1]
        stripped = _strip_one_suffix(tokens, tables)
        if stripped is None:
            stripped = _strip_fuzzy_suffix(tokens, tables)
        if stripped is None:
            return tokens
        tokens, form = stripped
        found.append(form)


def _strip_one_suffix(tokens: list[str], tables: NameTables) -> tuple[list[str], LegalForm] | None:
    last = tokens[-1]
    for form in tables.suffixes_by_last_word.get(last, ()):
        width = len(form.tokens)
        if len(tokens) > width and tuple(tokens[-width:]) == form.tokens:
            return tokens[:-width], form
    if is_cjk(last[-1]):
        for form in tables.cjk_suffixes:
            word = form.tokens[0]
            if last == word and len(tokens) > 1:
                return tokens[:-1], form
            if last.endswith(word) and len(last) - len(word) >= _MIN_CJK_CORE:
                return [*tokens[:-1], last[: -len(word)]], form
    return None


def _strip_prefix_forms(tokens: list[str], tables: NameTables, found: list[LegalForm]) -> list[str]:
    while True:
        stripped = _strip_one_prefix(tokens, tables)
        if stripped is None:
            return tokens
        tokens, form = stripped
        found.append(form)


def _strip_one_prefix(tokens: list[str], tables: NameTables) -> tuple[list[str], LegalForm] | None:
    first = tokens[0]
    for form in tables.prefixes_by_first_word.get(first, ()):
        width = len(form.tokens)
        if len(tokens) > width and tuple(tokens[:width]) == form.tokens:
            return tokens[width:], form
    if is_cjk(first[0]):
        for form in tables.cjk_prefixes:
            word = form.tokens[0]
            if first == word and len(tokens) > 1:
                return tokens[1:], form
            if first.startswith(word) and len(first) - len(word) >= _MIN_CJK_CORE:
                return [first[len(word) :], *tokens[1:]], form
    return None


def _strip_fuzzy_suffix(
    tokens: list[str], tables: NameTables
) -> tuple[list[str], LegalForm] | None:
    """A long legal form with a typo — ``Corportion``, ``Comapny``, ``Kabushiki Kaishi``.

    The last word (or the last two, for a form split by a stray space) must be Latin, at
    least five letters, start like the form, and be within one edit of a form of up to
    eight letters or two edits of a longer one: far enough from ordinary words that
    ``Compact`` or ``Corporate`` stay.
    """
    for width in (1, 2):
        if len(tokens) <= width:
            break
        candidate = "".join(tokens[-width:])
        if len(candidate) < _MIN_FUZZY_TOKEN or not (candidate.isascii() and candidate.isalpha()):
            continue
        for word, limit, form in tables.fuzzy_suffixes:
            if word[0] == candidate[0] and edit_distance(candidate, word, limit) <= limit:
                return tokens[:-width], form
    return None


def _distinct_neighbours(labels: tuple[str, ...]) -> tuple[str, ...]:
    """``Kabushi Kaisha`` strips two forms that both read K.K.: record it once."""
    return tuple(label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label)


def _legal_class(forms: tuple[LegalForm, ...]) -> LegalClass:
    if any(form.legal_class is LegalClass.ASSOCIATION for form in forms):
        return LegalClass.ASSOCIATION
    return LegalClass.BUSINESS if forms else LegalClass.NONE


# --- acronyms --------------------------------------------------------------------------------


def _resolve_parenthesised_acronym(text: str, tables: NameTables) -> tuple[str, str]:
    """``Full Name (FN)`` or ``FN (Full Name)`` → the full name's text and ``fn``.

    A parenthesis that is not an acronym of the rest (``Matsushita Electronics (Europe)``)
    is left in place: it tells subsidiaries apart.
    """
    matches = list(_PARENTHETICAL.finditer(text))
    if not matches:
        return text, ""
    last = matches[-1]
    outside = f"{text[: last.start()]} {text[last.end() :]}"
    inside = last.group(1)
    outside_core = _core(tokenise(outside), tables).tokens
    inside_core = _core(tokenise(inside), tables).tokens
    if len(inside_core) == 1 and _is_acronym_of(inside_core[0], outside_core, tables):
        return outside, inside_core[0]
    if len(outside_core) == 1 and _is_acronym_of(outside_core[0], inside_core, tables):
        return inside, outside_core[0]
    return text, ""


def _strip_standalone_acronym(tokens: list[str], tables: NameTables) -> tuple[list[str], str]:
    """An acronym written before or after the full name: ``Snecma Societe Nationale …``."""
    if len(tokens) < _MIN_ACRONYM + 1:
        return tokens, ""
    if _is_acronym_of(tokens[-1], tokens[:-1], tables):
        return tokens[:-1], tokens[-1]
    if _is_acronym_of(tokens[0], tokens[1:], tables):
        return tokens[1:], tokens[0]
    return tokens, ""


def _is_acronym_of(candidate: str, words: list[str] | tuple[str, ...], tables: NameTables) -> bool:
    if len(candidate) < _MIN_ACRONYM or not (candidate.isascii() and candidate.isalpha()):
        return False
    # Acronyms skip small words: CNRS for Centre National de la Recherche Scientifique,
    # CEA for Commissariat à l'Energie Atomique.
    content = [word for word in words if word not in tables.function_words and len(word) > 1]
    return candidate in {initials(words), initials(content)}


# --- comparisons -----------------------------------------------------------------------------


def _loose(tokens: tuple[str, ...], tables: NameTables) -> tuple[str, ...]:
    """Tokens without function words; all of them if nothing else is left."""
    return tuple(token for token in tokens if token not in tables.function_words) or tokens


def _is_institution(tokens: tuple[str, ...], tables: NameTables) -> bool:
    if any(token in tables.institution_words for token in tokens):
        return True
    return any(word in token for token in tokens for word in tables.institution_cjk)

"""An `IndexablePatent` as a Tantivy document: the only place that decides what is indexed.

Text goes through :func:`ipcore.search.analysis.index_tokens` (CJK bigrams, words), so the
query compiler, which uses the same analysis, always looks terms up in the form written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import tantivy

from ipcore.classification import classification_levels
from ipcore.search.analysis import index_tokens
from ipcore.technology import technology_fields
from ipops.corpus.indexable import IndexablePatent
from ipops.search.index import SORT_KEY_FIELD, SORT_KEY_SCALE, STEM_MARK

# The IPC facets, from the most general level: a code's first three classification_levels.
FACET_LEVELS: Final = ("ipc_section", "ipc_class", "ipc_subclass")

# Which stored texts feed which index field. Claims may be long: a bound keeps one patent
# from dominating indexing time (and the index) without losing what searchers look for.
TEXT_SOURCES = {"ti": "title", "ab": "abstract", "cl": "claims"}
MAX_TEXT_CHARS = 60_000


def build_document(patent: IndexablePatent) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("id", patent.id)
    for field_name, source in TEXT_SOURCES.items():
        _add_text(doc, field_name, patent.text(source))
    _add_text(doc, "ap", patent.owners)
    _add_text(doc, "inv", patent.inventors)
    for number in _application_numbers(patent):
        doc.add_text("an", number)
    for number in _publication_numbers(patent):
        doc.add_text("pn", number)
    _add_classifications(doc, "ipc", patent.ipc, facets=True)
    _add_classifications(doc, "cpc", patent.cpc, facets=not patent.ipc)
    doc.add_text("cc", patent.office)
    if patent.publication_kind:
        doc.add_text("kd", patent.publication_kind)
    doc.add_text("type", patent.document_type)
    if patent.legal_status:
        doc.add_text("ls", patent.legal_status)
    _add_dates(doc, patent)
    if patent.claims_count is not None:
        doc.add_integer("claims", patent.claims_count)
    for technology in technology_fields([*patent.ipc, *patent.cpc]):
        doc.add_integer("field", technology.number)
    for entity in patent.owner_entities:
        doc.add_integer("org", entity)
    doc.add_integer("created", created_number(patent.created_at))
    return doc


def _add_text(doc: tantivy.Document, field_name: str, texts: Iterable[str]) -> None:
    """All values of a field as one token stream; a gap between values keeps a phrase from
    matching across two names or two texts."""
    tokens: list[tantivy.Token] = []
    words: list[str] = []
    position = 0
    for text in texts:
        plain = index_tokens(text[:MAX_TEXT_CHARS])
        stemmed = index_tokens(text[:MAX_TEXT_CHARS], stem=True)
        for offset, (token, stem) in enumerate(zip(plain, stemmed, strict=True)):
            tokens.append(tantivy.Token(token, position + offset, 0, 0))
            if stem != token:
                tokens.append(tantivy.Token(STEM_MARK + stem, position + offset, 0, 0))
        words.extend(plain)
        position += len(plain) + 10
    if tokens:
        doc.add_pre_tokenized_text(field_name, tantivy.PreTokenizedString(" ".join(words), tokens))


def number_forms(number: str, office: str = "") -> list[str]:
    """``CN 202111000001.0`` → ``CN2021110000010`` and ``2021110000010``: a searcher types
    numbers with or without the office, with or without punctuation."""
    compact = "".join(ch for ch in number.upper() if ch.isalnum())
    if not compact:
        return []
    forms = [compact]
    if office and not compact.startswith(office):
        forms.append(office + compact)
    letters = len(compact) - len(compact.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if letters == 2:
        forms.append(compact[2:])
    return forms


def _application_numbers(patent: IndexablePatent) -> set[str]:
    return set(number_forms(patent.application_number, patent.office))


def _publication_numbers(patent: IndexablePatent) -> set[str]:
    numbers: set[str] = set()
    for number, kind in patent.publications:
        for form in number_forms(number, patent.office):
            numbers.add(form)
            if kind:
                numbers.add(form + kind.upper())
    return numbers


def _add_classifications(
    doc: tantivy.Document, field_name: str, codes: list[str], *, facets: bool
) -> None:
    seen: set[str] = set()
    levels: set[str] = set()
    for code in codes:
        terms = classification_levels(code)
        for term in terms:
            if term not in seen:
                seen.add(term)
                doc.add_text(field_name, term)
        if facets and terms:
            _add_facet_levels(doc, terms, levels)


def _add_facet_levels(doc: tantivy.Document, terms: tuple[str, ...], levels: set[str]) -> None:
    """Section, class and subclass facet values, each once per patent: a US patent's dozen
    CPC codes share a few subclasses, and repeated values made the facets 2.5x slower to
    aggregate over large result sets (measured: 46 -> 18 ms over 135,537 patents)."""
    for facet, term in zip(FACET_LEVELS, terms, strict=False):
        if term not in levels:  # the levels' lengths differ, so one set serves all three
            levels.add(term)
            doc.add_text(facet, term)


def _add_dates(doc: tantivy.Document, patent: IndexablePatent) -> None:
    for field_name, date in (
        ("ad", patent.application_date),
        ("pd", patent.publication_date),
        ("gd", patent.grant_date),
    ):
        if date is not None:
            doc.add_integer(field_name, date_number(date))
    year_date = patent.application_date or patent.publication_date or patent.grant_date
    if year_date is not None:
        doc.add_integer("year", year_date.year)
    sort_date = patent.publication_date or patent.application_date or patent.grant_date
    doc.add_integer(SORT_KEY_FIELD, date_sort_key(sort_date, patent.id))


def created_number(moment: dt.datetime) -> int:
    """When a patent entered the corpus, in milliseconds: "new since" compares with this."""
    return int(moment.timestamp() * 1000)


def date_number(date: dt.date) -> int:
    return date.year * 10000 + date.month * 100 + date.day


def date_sort_key(date: dt.date | None, patent_id: int) -> int:
    return (date_number(date) if date else 0) * SORT_KEY_SCALE + patent_id

"""专利检索 — the query language and the text analysis behind patent search, framework-free.

* :mod:`.fields` — the fields a query can name (codes, Chinese and English names, kinds);
* :mod:`.query` — :func:`parse` a query into a tree of :mod:`.nodes`, or a
  :class:`QuerySyntaxError` with the column and what was expected;
* :mod:`.render` — :func:`render` the tree back as canonical text, :func:`describe` it in
  words;
* :mod:`.analysis` — how text becomes index terms (CJK bigrams, words), used alike by the
  indexer and by the compiler that turns a tree into engine queries.

A compiler walks the tree; user text never reaches an engine's own query syntax.
"""

from __future__ import annotations

from ipcore.search.errors import QuerySyntaxError
from ipcore.search.fields import (
    DEFAULT_FIELD,
    FIELDS,
    FIELDS_BY_NAME,
    FieldKind,
    FieldValue,
    SearchField,
    field_named,
)
from ipcore.search.nodes import (
    And,
    ClassificationTerm,
    Exact,
    Leaf,
    MatchAll,
    Not,
    Or,
    Phrase,
    Query,
    Range,
    Span,
    Term,
)
from ipcore.search.query import parse
from ipcore.search.render import describe, render

__all__ = [
    "DEFAULT_FIELD",
    "FIELDS",
    "FIELDS_BY_NAME",
    "And",
    "ClassificationTerm",
    "Exact",
    "FieldKind",
    "FieldValue",
    "Leaf",
    "MatchAll",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "QuerySyntaxError",
    "Range",
    "SearchField",
    "Span",
    "Term",
    "describe",
    "field_named",
    "parse",
    "render",
]

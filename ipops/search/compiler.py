"""A parsed query (:mod:`ipcore.search.nodes`) as a Tantivy query object.

User text never reaches an engine's query syntax: every leaf becomes a term, phrase, range
or regular expression built here from analysed tokens (regular expressions only from
escaped literal text and the ``*``/``?`` a user typed). What a query may cost is bounded:
the parser caps the number of terms, and wildcards need literal characters before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import tantivy

from ipcore.search import nodes as n
from ipcore.search.analysis import is_cjk, normalise_text, query_tokens, single_cjk_char_pattern
from ipcore.search.analysis import stem_english as stem
from ipcore.search.errors import QuerySyntaxError
from ipcore.technology import TECHNOLOGY_FIELDS
from ipops.search.documents import date_number
from ipops.search.index import SCHEMA, STEM_MARK

# BM25 per field, weighted: a word in the title says more about a patent than one in its
# claims (incoPat and PatSnap rank the same way).
FIELD_WEIGHTS: Final = {"ti": 3.0, "ab": 1.5, "cl": 1.0}
TEXT_FIELDS: Final = {
    "TI": ("ti",),
    "AB": ("ab",),
    "CL": ("cl",),
    "TAC": ("ti", "ab", "cl"),
    "FT": ("ti", "ab", "cl"),  # the corpus holds no description text yet
    "AP": ("ap",),
    "IN": ("inv",),
}
KEYWORD_FIELDS: Final = {"AN": "an", "PN": "pn", "CC": "cc", "KD": "kd", "TYPE": "type", "LS": "ls"}
RANGE_FIELDS: Final = {"AD": "ad", "PD": "pd", "GD": "gd", "CLAIMS": "claims"}
CLASSIFICATION_FIELDS: Final = {"IPC": "ipc", "CPC": "cpc"}
# A wildcard must follow this many literal characters: "a*" would expand to tens of
# thousands of index terms and cost the whole site a slow query.
MIN_WILDCARD_PREFIX: Final = 2

OrganisationLookup = Callable[[str], Sequence[int]]


@dataclass(frozen=True)
class CompileOptions:
    stemmed: bool = False
    organisations: OrganisationLookup | None = None  # ORG value → entity ids


def compile_query(tree: n.Query, options: CompileOptions | None = None) -> tantivy.Query:
    return _Compiler(options or CompileOptions()).node(tree)


class _Compiler:
    def __init__(self, options: CompileOptions) -> None:
        self.options = options

    def node(self, node: n.Query) -> tantivy.Query:
        if isinstance(node, n.And):
            return self.conjunction(node)
        if isinstance(node, n.Or):
            return _boolean([(tantivy.Occur.Should, self.node(child)) for child in node.children])
        if isinstance(node, n.Not):  # only reached for a Not the parser left alone
            return _boolean(
                [
                    (tantivy.Occur.Must, tantivy.Query.all_query()),
                    (tantivy.Occur.MustNot, self.node(node.child)),
                ]
            )
        if isinstance(node, n.MatchAll):
            return tantivy.Query.all_query()
        if isinstance(node, n.Term):
            return self.text(node.field, node, node.text, phrase=False, wildcard=node.wildcard)
        if isinstance(node, n.Phrase):
            return self.text(node.field, node, node.text, phrase=True, wildcard=False)
        if isinstance(node, n.Exact):
            return self.exact(node)
        if isinstance(node, n.ClassificationTerm):
            return classification_query(node)
        return range_query(node)

    def conjunction(self, node: n.And) -> tantivy.Query:
        clauses = [
            (tantivy.Occur.MustNot, self.node(child.child))
            if isinstance(child, n.Not)
            else (tantivy.Occur.Must, self.node(child))
            for child in node.children
        ]
        return _boolean(clauses)

    # --- text ----------------------------------------------------------------------------

    def text(
        self, field: str, node: n.Term | n.Phrase, text: str, *, phrase: bool, wildcard: bool
    ) -> tantivy.Query:
        index_fields = TEXT_FIELDS[field]
        per_field = [
            self.text_in(name, node, text, phrase=phrase, wildcard=wildcard)
            for name in index_fields
        ]
        if len(per_field) == 1:
            return per_field[0]
        weighted = [
            tantivy.Query.boost_query(query, FIELD_WEIGHTS.get(name, 1.0))
            for name, query in zip(index_fields, per_field, strict=True)
        ]
        return _boolean([(tantivy.Occur.Should, query) for query in weighted])

    def text_in(
        self, index_field: str, node: n.Term | n.Phrase, text: str, *, phrase: bool, wildcard: bool
    ) -> tantivy.Query:
        if wildcard:
            return wildcard_query(index_field, node, text)
        tokens = query_tokens(text)
        if not tokens:
            return tantivy.Query.empty_query()
        if len(tokens) == 1 and len(tokens[0]) == 1 and is_cjk(tokens[0]):
            pattern = single_cjk_char_pattern(tokens[0])
            return tantivy.Query.regex_query(SCHEMA, index_field, pattern)
        stemmed = self.options.stemmed and not phrase
        if len(tokens) == 1:
            if stemmed:
                return _stem_alternatives(index_field, tokens[0])
            return tantivy.Query.term_query(SCHEMA, index_field, tokens[0])
        if stemmed:
            patterns = [_stem_pattern(token) for token in tokens]
            return tantivy.Query.regex_phrase_query(SCHEMA, index_field, _words(patterns))
        return tantivy.Query.phrase_query(SCHEMA, index_field, _words(tokens))

    # --- exact values --------------------------------------------------------------------

    def exact(self, node: n.Exact) -> tantivy.Query:
        if node.field == "ORG":
            return self.organisation(node)
        if node.field == "FIELD":
            return technology_query(node)
        index_field = KEYWORD_FIELDS[node.field]
        value = node.value
        if node.prefix:
            _require_prefix(node, value)
            return tantivy.Query.regex_query(SCHEMA, index_field, re.escape(value) + ".*")
        return tantivy.Query.term_query(SCHEMA, index_field, value)

    def organisation(self, node: n.Exact) -> tantivy.Query:
        lookup = self.options.organisations
        ids = list(lookup(node.value)) if lookup else []
        if not ids:
            return tantivy.Query.empty_query()
        return _boolean(
            [(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, "org", pk)) for pk in ids]
        )


def wildcard_query(index_field: str, node: n.Term | n.Phrase, text: str) -> tantivy.Query:
    """``batter*`` and ``wom?n`` against whole index terms; a CJK run with ``?`` against its
    bigrams (``电动?车`` → ``电动 动. .车`` as a phrase); ``*`` in a CJK run splits it into
    parts that must each occur (a CJK term is a substring match already)."""
    literal = re.sub(r"[*?]", "", text)
    _require_prefix(node, text.split("*")[0].split("?")[0] if literal else "")
    folded = normalise_text(text)
    if any(is_cjk(ch) for ch in literal):
        return _cjk_wildcard(index_field, folded)
    pattern = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in folded)
    return tantivy.Query.regex_query(SCHEMA, index_field, pattern)


def _cjk_wildcard(index_field: str, text: str) -> tantivy.Query:
    parts = [part for part in text.split("*") if part.strip("?")]
    queries = []
    for part in parts:
        if "?" not in part:
            tokens = query_tokens(part)
            if len(tokens) == 1:
                queries.append(tantivy.Query.term_query(SCHEMA, index_field, tokens[0]))
            elif tokens:
                queries.append(tantivy.Query.phrase_query(SCHEMA, index_field, _words(tokens)))
            continue
        windows = [part[i : i + 2] for i in range(len(part) - 1)] or [part]
        patterns = [re.escape(w).replace(r"\?", ".") for w in windows]
        if len(patterns) == 1:
            queries.append(tantivy.Query.regex_query(SCHEMA, index_field, patterns[0]))
        else:
            queries.append(tantivy.Query.regex_phrase_query(SCHEMA, index_field, _words(patterns)))
    return _boolean([(tantivy.Occur.Must, query) for query in queries])


def _require_prefix(node: n.Term | n.Phrase | n.Exact, prefix: str) -> None:
    if len(prefix) < MIN_WILDCARD_PREFIX:
        raise QuerySyntaxError(
            "wildcard_prefix",
            column=node.span.start or 1,
            message_zh=f"通配符前至少需要 {MIN_WILDCARD_PREFIX} 个字符",
            message_en=f"a wildcard needs at least {MIN_WILDCARD_PREFIX} characters before it",
        )


def _stem_alternatives(index_field: str, token: str) -> tantivy.Query:
    root = stem(token)
    return _boolean(
        [
            (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, index_field, root)),
            (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, index_field, STEM_MARK + root)),
        ]
    )


def _stem_pattern(token: str) -> str:
    root = stem(token)
    if root == token and not token.isascii():
        return re.escape(token)
    return f"{re.escape(STEM_MARK)}?{re.escape(root)}"


def classification_query(node: n.ClassificationTerm) -> tantivy.Query:
    """One term per level (see ipcore.classification.classification_levels); a partial
    subgroup is the one case that needs a range of fixed-width codes, as a prefix expression."""
    index_field = CLASSIFICATION_FIELDS[node.field]
    if node.exact:
        return tantivy.Query.term_query(SCHEMA, index_field, node.fixed_width_prefix)
    if "/" not in node.code or node.is_main_group:
        return tantivy.Query.term_query(SCHEMA, index_field, node.code)
    return tantivy.Query.regex_query(SCHEMA, index_field, re.escape(node.fixed_width_prefix) + ".*")


def range_query(node: n.Range) -> tantivy.Query:
    index_field = RANGE_FIELDS[node.field]
    low = _bound(node.low)
    high = _bound(node.high)
    if low is None and high is None:
        return tantivy.Query.exists_query(index_field)
    return tantivy.Query.range_query(
        SCHEMA, index_field, tantivy.FieldType.Integer, lower_bound=low, upper_bound=high
    )


def _bound(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return date_number(value)  # type: ignore[arg-type]


def technology_query(node: n.Exact) -> tantivy.Query:
    wanted = normalise_text(node.value).strip()
    for technology in TECHNOLOGY_FIELDS:
        names = {str(technology.number), normalise_text(technology.name_zh)}
        names.add(normalise_text(technology.name_en))
        if wanted in names:
            return tantivy.Query.term_query(SCHEMA, "field", technology.number)
    raise QuerySyntaxError(
        "unknown_technology_field",
        column=node.span.start or 1,
        message_zh=f"没有名为“{node.value}”的技术领域（可写编号 1-35 或领域名称）",
        message_en=f"no technology field named {node.value!r} (write 1-35 or the field's name)",
    )


def _words(tokens: list[str]) -> list[str | tuple[int, str]]:
    return list(tokens)


def _boolean(clauses: list[tuple[tantivy.Occur, tantivy.Query]]) -> tantivy.Query:
    if len(clauses) == 1 and clauses[0][0] is tantivy.Occur.Must:
        return clauses[0][1]
    return tantivy.Query.boolean_query(clauses)

"""Running a search: parse, compile, ask the index, count facets, page by cursor.

Returns patent ids with scores and facet counts; turning ids into patents to show is the
caller's business (through corpus queries), so the index never needs to store documents.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import tantivy

from ipcore.search import nodes as n
from ipcore.search import parse
from ipcore.search.errors import QuerySyntaxError
from ipcore.search.fusion import reciprocal_rank_fusion
from ipcore.search.values import normalise_number
from ipops.search import index, semantic
from ipops.search.compiler import CompileOptions, OrganisationLookup, compile_query
from ipops.search.documents import created_number
from ipops.search.index import SORT_KEY_FIELD

MAX_PAGE_SIZE: Final = 1000  # exports page through in batches this size
FACET_SIZE: Final = 20
# Facets a searcher filters by, in the order a page shows them; each is a fast index field.
FACETS: Final = (
    "year",
    "cc",
    "type",
    "kd",
    "ls",
    "ipc_section",
    "ipc_class",
    "ipc_subclass",
    "org",
    "field",
)


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


class Strategy(enum.StrEnum):
    """How results are found: the query language, meaning (a description), or both fused."""

    KEYWORD = "keyword"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


# Candidates a semantic or hybrid ranking considers from each retriever: nearest-neighbour
# search ranks, it does not match, so its "result set" is a depth, not a count.
RANKING_DEPTH: Final = 200
# Fusion settings measured in bench/semantic.py (P@10 on CN titles and US abstracts): k = 20
# with the meaning ranking weighing 3 was above both keyword and meaning alone on every set,
# where plain k = 60 was not. Chosen on that data, without a held-out set: revisit.
HYBRID_K: Final = 20
HYBRID_WEIGHTS: Final = (1.0, 3.0)


@dataclass(frozen=True)
class SearchRequest:
    query: str
    sort: Sort = Sort.RELEVANCE
    page_size: int = 20
    cursor: str = ""
    facets: bool = True
    stemmed: bool = False
    since: dt.datetime | None = None  # only patents added to the corpus after this moment
    strategy: Strategy = Strategy.KEYWORD
    like: int | None = None  # "more like this patent" (semantic)


@dataclass(frozen=True)
class Hit:
    patent_id: int
    score: float


@dataclass(frozen=True)
class FacetBucket:
    value: str | int
    count: int


@dataclass(frozen=True)
class SearchResult:
    tree: n.Query | None  # None for a semantic search: a description is not a query
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetBucket]] = field(default_factory=dict)
    next_cursor: str = ""


class InvalidCursor(ValueError):
    """A page cursor that this search did not hand out."""


def run_search(
    request: SearchRequest, *, organisations: OrganisationLookup | None = None
) -> SearchResult:
    """Raises QuerySyntaxError for a query that cannot be read, IndexUnavailable when no
    index has been built, InvalidCursor for a forged or stale cursor."""
    if request.like is not None or request.strategy is not Strategy.KEYWORD:
        return _ranked_search(request, organisations)
    tree = parse(request.query)
    compiled = compile_query(tree, CompileOptions(request.stemmed, organisations))
    if request.since is not None:
        compiled = _and(compiled, _since(request.since))
    searcher = index.searcher()
    size = max(1, min(request.page_size, MAX_PAGE_SIZE))
    total, hits, next_cursor = _page(searcher, compiled, request, size)
    facets = _facets(searcher, compiled) if request.facets else {}
    return SearchResult(tree, total, hits, facets, next_cursor)


# --- semantic and hybrid: a ranking of bounded depth, paged by offset ------------------------


def _ranked_search(
    request: SearchRequest, organisations: OrganisationLookup | None
) -> SearchResult:
    searcher = index.searcher()
    tree: n.Query | None = None
    if request.like is not None:
        ranking = [pk for pk, _ in semantic.similar_to_patent(request.like, RANKING_DEPTH)]
    elif request.strategy is Strategy.SEMANTIC:
        ranking = [pk for pk, _ in semantic.similar_to_text(request.query, RANKING_DEPTH)]
    else:
        tree = parse(request.query)
        ranking = _hybrid_ranking(searcher, tree, request, organisations)
    offset = int(_read_cursor(request.cursor, Sort.RELEVANCE).get("offset", 0))
    size = max(1, min(request.page_size, MAX_PAGE_SIZE))
    hits = [Hit(pk, 1.0 / (rank + 1)) for rank, pk in enumerate(ranking)][offset : offset + size]
    more = offset + size < len(ranking)
    cursor = _cursor(Sort.RELEVANCE, offset=offset + size) if more else ""
    facets = _facets(searcher, _ids_query(ranking)) if request.facets and ranking else {}
    return SearchResult(tree, len(ranking), hits, facets, cursor)


def _hybrid_ranking(
    searcher: tantivy.Searcher,
    tree: n.Query,
    request: SearchRequest,
    organisations: OrganisationLookup | None,
) -> list[int]:
    """Keyword and semantic rankings fused by reciprocal rank. The query's filters (office,
    dates, classes …) bind both sides: a semantic neighbour that fails them is dropped, so
    a user's CC=CN holds whatever ranks the results."""
    compiled = compile_query(tree, CompileOptions(request.stemmed, organisations))
    keyword = searcher.search(compiled, RANKING_DEPTH, count=False)
    keyword_ids = _ids(searcher, [address for _score, address in keyword.hits])
    text = " ".join(query_terms(tree))
    if not text:  # only filters: nothing to compare meanings with
        return keyword_ids
    neighbours = [pk for pk, _ in semantic.similar_to_text(text, RANKING_DEPTH)]
    filters = filter_part(tree)
    if filters is not None and neighbours:
        passing = compile_query(filters, CompileOptions(organisations=organisations))
        neighbours = _matching(searcher, passing, neighbours)
    fused = reciprocal_rank_fusion([keyword_ids, neighbours], k=HYBRID_K, weights=HYBRID_WEIGHTS)
    return [pk for pk, _score in fused]


def _matching(searcher: tantivy.Searcher, query: tantivy.Query, ids: list[int]) -> list[int]:
    """Those of ``ids`` that ``query`` matches, in their order."""
    found = searcher.search(_and(query, _ids_query(ids)), len(ids), count=False)
    allowed = set(_ids(searcher, [address for _score, address in found.hits]))
    return [pk for pk in ids if pk in allowed]


def matching_ids(
    query: str, ids: Sequence[int], *, organisations: OrganisationLookup | None = None
) -> list[int]:
    """Those of ``ids`` that ``query`` matches, in their order: a ranking from elsewhere (a
    risk screening's semantic neighbours) bound by the same filters as a keyword search."""
    if not ids:
        return []
    compiled = compile_query(parse(query), CompileOptions(organisations=organisations))
    return _matching(index.searcher(), compiled, list(ids))


def office_counts() -> dict[str, int]:
    """Patents per office in the index, every office (a form's choice of target office)."""
    spec = {"cc": {"terms": {"field": "cc", "size": 1000}}}
    raw = index.searcher().aggregate(tantivy.Query.all_query(), spec)
    return {str(bucket["key"]): int(bucket["doc_count"]) for bucket in raw["cc"]["buckets"]}


def filter_part(tree: n.Query) -> n.Query | None:
    """The conditions of a query that are not text to match: fields with exact values,
    classes, dates and counts (and their negations), joined by AND."""
    parts = tree.children if isinstance(tree, n.And) else (tree,)
    kept = tuple(part for part in parts if _is_filter(part))
    if not kept:
        return None
    if not any(not isinstance(part, n.Not) for part in kept):
        kept = (n.MatchAll(), *kept)
    return kept[0] if len(kept) == 1 else n.And(kept)


def _is_filter(node: n.Query) -> bool:
    if isinstance(node, n.Not):
        return _is_filter(node.child)
    if isinstance(node, n.Or):
        return all(_is_filter(child) for child in node.children)
    return isinstance(node, n.Exact | n.ClassificationTerm | n.Range)


def _ids_query(ids: Sequence[int]) -> tantivy.Query:
    return tantivy.Query.term_set_query(index.SCHEMA, "id", list(ids))


def count_matches(
    query: str,
    *,
    since: dt.datetime | None = None,
    stemmed: bool = False,
    organisations: OrganisationLookup | None = None,
) -> int:
    """How many patents match (a saved search's "new since last run" count)."""
    request = SearchRequest(query, page_size=1, facets=False, stemmed=stemmed, since=since)
    return run_search(request, organisations=organisations).total


def _page(
    searcher: tantivy.Searcher, query: tantivy.Query, request: SearchRequest, size: int
) -> tuple[int, list[Hit], str]:
    cursor = _read_cursor(request.cursor, request.sort)
    if request.sort is Sort.RELEVANCE:
        offset = int(cursor.get("offset", 0))
        result = searcher.search(query, size, count=True, offset=offset)
        ids = _ids(searcher, [address for _score, address in result.hits])
        hits = [Hit(pk, float(score)) for (score, _a), pk in zip(result.hits, ids, strict=True)]
        total = _count(result)
        more = offset + size < total
        return total, hits, _cursor(request.sort, offset=offset + size) if more else ""
    # Date order pages by keyset on a unique sort key: page 10,000 costs what page 1 does.
    total = _count(searcher.search(query, 1, count=True))  # Tantivy refuses a limit of 0
    descending = request.sort is Sort.NEWEST
    after = cursor.get("after")
    if after is not None:
        query = _and(query, _beyond(int(after), descending=descending))
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    result = searcher.search(query, size, count=False, order_by_field=SORT_KEY_FIELD, order=order)
    ids = _ids(searcher, [address for _key, address in result.hits])
    keys = [int(key) for key, _address in result.hits]
    hits = [Hit(pk, 0.0) for pk in ids]
    more = len(hits) == size
    return total, hits, _cursor(request.sort, after=keys[-1]) if more and keys else ""


def _ids(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[int]:
    return [
        int(value) for value in searcher.fast_field_values("id", addresses) if value is not None
    ]


def _count(result: tantivy.SearchResult) -> int:
    # tantivy-py's stub omits `count`, which search(count=True) always sets.
    return int(result.count)  # type: ignore[attr-defined]


def iterate_ids(
    query: str,
    *,
    batch: int = 1000,
    stemmed: bool = False,
    organisations: OrganisationLookup | None = None,
) -> Iterator[int]:
    """Every matching patent id, newest first, in batches (for exports of whole result sets)."""
    cursor = ""
    while True:
        request = SearchRequest(query, Sort.NEWEST, batch, cursor, facets=False, stemmed=stemmed)
        result = run_search(request, organisations=organisations)
        yield from (hit.patent_id for hit in result.hits)
        if not result.next_cursor:
            return
        cursor = result.next_cursor


def ids_numbered(numbers: Sequence[str]) -> dict[str, list[int]]:
    """The patents each number names, as a searcher types it — a publication number with or
    without its kind, or an application number, in any spelling PN= and AN= accept. A number
    naming no patent maps to an empty list."""
    searcher = index.searcher()
    found: dict[str, list[int]] = {}
    for number in numbers:
        value = normalise_number(number)
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(index.SCHEMA, "pn", value)),
                (tantivy.Occur.Should, tantivy.Query.term_query(index.SCHEMA, "an", value)),
            ]
        )
        result = searcher.search(query, 10)
        found[number] = _ids(searcher, [address for _score, address in result.hits])
    return found


def _facets(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, list[FacetBucket]]:
    spec = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
    spec["year"]["terms"]["size"] = 60
    raw = searcher.aggregate(query, spec)
    facets = {
        name: [
            FacetBucket(bucket["key"], int(bucket["doc_count"])) for bucket in raw[name]["buckets"]
        ]
        for name in FACETS
    }
    facets["year"].sort(key=lambda bucket: bucket.value, reverse=True)
    return facets


def _since(moment: dt.datetime) -> tantivy.Query:
    return tantivy.Query.range_query(
        index.SCHEMA, "created", tantivy.FieldType.Integer, lower_bound=created_number(moment) + 1
    )


def _beyond(key: int, *, descending: bool) -> tantivy.Query:
    if descending:
        return tantivy.Query.range_query(
            index.SCHEMA, SORT_KEY_FIELD, tantivy.FieldType.Integer, upper_bound=key - 1
        )
    return tantivy.Query.range_query(
        index.SCHEMA, SORT_KEY_FIELD, tantivy.FieldType.Integer, lower_bound=key + 1
    )


def _and(*queries: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query) for query in queries])


# --- cursors: opaque to clients, checked on the way back -----------------------------------


def _cursor(sort: Sort, **position: int) -> str:
    payload = json.dumps({"sort": sort.value, **position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _read_cursor(cursor: str, sort: Sort) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor(cursor) from error
    if not isinstance(data, dict) or data.get("sort") != sort.value:
        raise InvalidCursor(cursor)
    values = {k: v for k, v in data.items() if k != "sort"}
    if not all(isinstance(v, int) and v >= 0 for v in values.values()):
        raise InvalidCursor(cursor)
    return values


def query_terms(tree: n.Query) -> list[str]:
    """The texts a query looks for in text fields (positive ones), to highlight in results."""
    found: list[str] = []
    stack: list[n.Query] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, n.And | n.Or):
            stack.extend(node.children)
        elif isinstance(node, n.Term | n.Phrase):
            found.append(node.text.replace("*", "").replace("?", ""))
    return [term for term in found if term]


__all__: Sequence[str] = (
    "FACETS",
    "Hit",
    "InvalidCursor",
    "QuerySyntaxError",
    "SearchRequest",
    "SearchResult",
    "Sort",
    "Strategy",
    "count_matches",
    "iterate_ids",
    "query_terms",
    "run_search",
)

"""JSON API of patent search: `/api/search` and saved searches."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ipops.accounts.decorators import current_user
from ipops.apitools import strict_query
from ipops.search import queries, services
from ipops.search.engine import SearchRequest, Sort, Strategy
from ipops.search.models import SavedSearch

router = Router(tags=["search"])


class ResultOut(Schema):
    id: int
    number: str
    title: str
    owner: str
    office: str
    type: str
    application_date: dt.date | None
    publication_date: dt.date | None
    main_class: str
    score: float
    snippet: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    query: str
    parsed: str
    explained: str
    total: int
    results: list[ResultOut]
    facets: list[FacetOut]
    next_cursor: str


SEARCH_PARAMS = ("q", "sort", "limit", "cursor", "facets", "stemmed", "semantic", "hybrid", "like")


@router.get("/search", response=SearchOut, auth=None, summary="Search patents")
@strict_query(SEARCH_PARAMS)
def search(
    request: HttpRequest,
    q: str = "",
    sort: Sort = Sort.RELEVANCE,
    limit: int = 20,
    cursor: str = "",
    facets: bool = True,
    stemmed: bool = False,
    semantic: bool = False,
    hybrid: bool = False,
    like: int | None = None,
) -> dict[str, Any]:
    """Query language as on the search page (`TI=(锂电池 AND 正极) AND AD>=2020`). Pages go
    by `next_cursor`; a query that cannot be read answers 422 with the column.
    `semantic=true`: `q` is a description in any language, ranked by meaning;
    `hybrid=true`: the query ranked by words and meaning fused; `like=ID`: patents like that
    one. Those three return the best 200 at most."""
    strategy = Strategy.SEMANTIC if semantic else Strategy.HYBRID if hybrid else Strategy.KEYWORD
    page = queries.search_patents(
        request.user,
        SearchRequest(
            q,
            sort,
            max(1, min(limit, 100)),
            cursor,
            facets,
            stemmed,
            strategy=strategy,
            like=like,
        ),
    )
    return {
        "query": page.query,
        "parsed": page.parsed,
        "explained": page.explained,
        "total": page.total,
        "results": [_result(row) for row in page.rows],
        "facets": [
            {"name": g.name, "label": g.label, "values": [v.__dict__ for v in g.values]}
            for g in page.facets
        ],
        "next_cursor": page.next_cursor,
    }


def _result(row: queries.ResultRow) -> dict[str, Any]:
    patent = row.patent
    return {
        "id": patent.id,
        "number": patent.number,
        "title": patent.title,
        "owner": patent.first_owner,
        "office": patent.office,
        "type": patent.document_type,
        "application_date": patent.application_date,
        "publication_date": patent.publication_date,
        "main_class": patent.main_code,
        "score": round(row.score, 4),
        "snippet": "".join(fragment.text for fragment in row.snippet),
    }


class SavedSearchIn(Schema):
    name: str
    query: str
    mode: str = SavedSearch.Mode.KEYWORD


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    mode: str
    last_run_at: dt.datetime | None
    last_total: int | None
    new_since_last_run: int | None


@router.get("/saved-searches", response=list[SavedSearchOut], summary="Your saved searches")
def list_saved(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {**_saved(status.saved), "new_since_last_run": status.new_since_last_run}
        for status in queries.saved_search_statuses(request.user)
    ]


@router.post("/saved-searches", response={201: SavedSearchOut}, summary="Save a search")
def create_saved(request: HttpRequest, body: SavedSearchIn) -> dict[str, Any]:
    """The query must read (422 with the column otherwise); names are unique per user (409)."""
    saved = services.save_search(actor=current_user(request), **body.dict())
    return {**_saved(saved), "new_since_last_run": None}


@router.delete("/saved-searches/{saved_id}", response={204: None}, summary="Delete one")
def delete_saved(request: HttpRequest, saved_id: int) -> None:
    saved = queries.saved_search_for(request.user, saved_id)
    services.delete_saved_search(actor=current_user(request), saved=saved)


def _saved(saved: SavedSearch) -> dict[str, Any]:
    return {
        "id": saved.pk,
        "name": saved.name,
        "query": saved.query,
        "mode": saved.mode,
        "last_run_at": saved.last_run_at,
        "last_total": saved.last_total,
    }

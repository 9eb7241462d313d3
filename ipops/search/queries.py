"""Reads of the search app: a page of results as users see it, and saved searches.

Pages, the API and `ipops search` all call :func:`search_patents`, so a query means the same
everywhere. Errors are service errors: a query that cannot be read is `InvalidInput` with the
column, a missing index is `IndexMissing` (HTTP 503) with the command that builds one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from django.http import Http404
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.search import describe, render
from ipcore.search.errors import QuerySyntaxError
from ipcore.search.highlight import Fragment, highlight
from ipcore.technology import TECHNOLOGY_FIELDS
from ipops.accounts.queries import require_capability
from ipops.corpus import queries as corpus
from ipops.corpus.models import DocumentTypeChoices
from ipops.errors import InvalidInput
from ipops.search import engine, semantic, vectors
from ipops.search.embedder import DIMENSIONS
from ipops.search.errors import IndexMissing, query_error
from ipops.search.index import IndexUnavailable
from ipops.search.models import SavedSearch
from ipops.search.vectors import VectorIndexUnavailable

FACET_LABELS = {
    "year": gettext_lazy("Year"),
    "cc": gettext_lazy("Office"),
    "type": gettext_lazy("Type"),
    "kd": gettext_lazy("Kind code"),
    "ls": gettext_lazy("Legal status"),
    "ipc_section": gettext_lazy("IPC section"),
    "ipc_class": gettext_lazy("IPC class"),
    "ipc_subclass": gettext_lazy("IPC subclass"),
    "org": gettext_lazy("Organisation"),
    "field": gettext_lazy("Technology field"),
}
# The query-language field a facet value filters by, so a click adds `FIELD=value`.
FACET_FIELDS = {
    "year": "AD",
    "cc": "CC",
    "type": "TYPE",
    "kd": "KD",
    "ls": "LS",
    "ipc_section": "IPC",
    "ipc_class": "IPC",
    "ipc_subclass": "IPC",
    "org": "ORG",
    "field": "FIELD",
}


@dataclass(frozen=True)
class ResultRow:
    patent: corpus.PatentSummary
    score: float
    title: list[Fragment]
    snippet: list[Fragment]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    refine: str  # the query with this value added


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    values: list[FacetValue]


@dataclass(frozen=True)
class SearchPage:
    query: str
    parsed: str
    explained: str
    total: int
    rows: list[ResultRow]
    facets: list[FacetGroup] = field(default_factory=list)
    next_cursor: str = ""
    strategy: engine.Strategy = engine.Strategy.KEYWORD


def search_patents(user: Any, request: engine.SearchRequest) -> SearchPage:
    require_capability(user, Capability.SEARCH_PATENTS)
    try:
        result = engine.run_search(request, organisations=corpus.entity_ids_named)
    except QuerySyntaxError as error:
        raise query_error(error) from error
    except engine.InvalidCursor as error:
        raise InvalidInput(
            details={"cursor": [_("This page link is not valid any more.")]}
        ) from error
    except VectorIndexUnavailable as error:
        raise IndexMissing(str(error)) from error
    except IndexUnavailable as error:
        raise IndexMissing() from error
    patents = corpus.patent_summaries(user, [hit.patent_id for hit in result.hits])
    scores = {hit.patent_id: hit.score for hit in result.hits}
    terms = engine.query_terms(result.tree) if result.tree is not None else []
    rows = [
        ResultRow(
            p, scores[p.id], highlight(p.title, terms, width=300), highlight(p.abstract, terms)
        )
        for p in patents
    ]
    language: Literal["zh", "en"] = "zh" if (get_language() or "zh").startswith("zh") else "en"
    parsed, explained = _reading(result.tree, request, language)
    return SearchPage(
        query=request.query,
        parsed=parsed,
        explained=explained,
        total=result.total,
        rows=rows,
        facets=_facets(result, request.query, language) if result.tree is not None else [],
        next_cursor=result.next_cursor,
        strategy=request.strategy,
    )


def _reading(
    tree: Any, request: engine.SearchRequest, language: Literal["zh", "en"]
) -> tuple[str, str]:
    """How the request was read: the canonical query, and the same in words."""
    if request.like is not None:
        return "", _("The patents closest in meaning to patent %(id)s") % {"id": request.like}
    if tree is None:
        return "", _("The patents closest in meaning to this description, in any language")
    explained = describe(tree, language=language)
    if request.strategy is engine.Strategy.HYBRID:
        explained = _("%(query)s, ranked by words and meaning together") % {"query": explained}
    return render(tree), explained


def _facets(result: engine.SearchResult, query: str, language: str) -> list[FacetGroup]:
    organisations = corpus.entity_names(
        [int(bucket.value) for bucket in result.facets.get("org", [])]
    )
    types = dict(DocumentTypeChoices.choices)
    fields = {str(f.number): f.in_language(language) for f in TECHNOLOGY_FIELDS}
    labels: dict[str, dict[str, str]] = {
        "org": {str(pk): name for pk, name in organisations.items()},
        "type": {k: str(v) for k, v in types.items()},
        "field": fields,
    }
    facets: list[FacetGroup] = []
    for name, buckets in result.facets.items():
        values = []
        for bucket in buckets:
            value = str(bucket.value)
            label = labels.get(name, {}).get(value, value)
            refine_value = label if name == "org" else value
            values.append(
                FacetValue(value, label, bucket.count, _refine(query, name, refine_value))
            )
        if values:
            facets.append(FacetGroup(name, str(FACET_LABELS[name]), values))
    return facets


def _refine(query: str, facet: str, value: str) -> str:
    quoted = f'"{value}"' if any(ch in value for ch in ' ()"=:') else value
    return f"({query}) AND {FACET_FIELDS[facet]}={quoted}"


# --- saved searches ------------------------------------------------------------------------


def saved_searches_for(user: Any) -> list[SavedSearch]:
    require_capability(user, Capability.SAVE_SEARCHES)
    return list(SavedSearch.objects.filter(owner=user))


def saved_search_for(user: Any, saved_id: int) -> SavedSearch:
    """One of the user's own saved searches; anyone else's is "not found"."""
    require_capability(user, Capability.SAVE_SEARCHES)
    try:
        return SavedSearch.objects.get(pk=saved_id, owner=user)
    except SavedSearch.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class SavedSearchStatus:
    saved: SavedSearch
    new_since_last_run: int | None  # None: never run, or the query no longer reads


def saved_search_statuses(user: Any) -> list[SavedSearchStatus]:
    statuses = []
    for saved in saved_searches_for(user):
        new: int | None = None
        if saved.last_run_at is not None:
            try:
                new = engine.count_matches(
                    saved.query,
                    since=saved.last_run_at,
                    stemmed=saved.mode == SavedSearch.Mode.STEMMED,
                    organisations=corpus.entity_ids_named,
                )
            except (QuerySyntaxError, IndexUnavailable):
                new = None
        statuses.append(SavedSearchStatus(saved, new))
    return statuses


# --- vectors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CentredVectors:
    """Patents' vectors as the vector index holds them: each centred on its script's mean and
    normalised again (see vectors.py). ``ids`` ascending, one row of ``vectors`` each."""

    ids: npt.NDArray[np.int64]
    vectors: npt.NDArray[np.float32]

    def __len__(self) -> int:
        return int(self.ids.size)


def centred_vectors(
    patent_ids: Iterable[int], *, centres: vectors.Centres | None = None
) -> CentredVectors:
    """The current vectors of these patents, centred as the vector index holds them; a patent
    the background embedding has not reached yet (or embedded by an older recipe) is absent.

    For analyses over patents the caller already may see (a landscape dataset's topic
    clusters): vectors are derived from public bibliographic text, so this read is not scoped
    to a user. Memory is one float32 row per patent (1.5 KiB): 200,000 patents take 293 MiB.
    ``centres`` (:func:`semantic.current_centres`) saves reading them again where many
    batches are read alike.
    """
    wanted = sorted(set(patent_ids))
    ids = np.empty(len(wanted), dtype=np.int64)
    rows = np.empty((len(wanted), DIMENSIONS), dtype=np.float32)
    found = 0
    if not wanted:
        return CentredVectors(ids, rows)
    centres = centres or semantic.current_centres()
    for keys, scripts, block in semantic.vectors_of(wanted):
        ids[found : found + len(keys)] = keys
        rows[found : found + len(keys)] = centres.centre(block, scripts)
        found += len(keys)
    return CentredVectors(ids[:found].copy(), rows[:found].copy())

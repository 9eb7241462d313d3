"""Search pages: the professional search page (also the public's), exports, saved searches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipcore.access import Capability
from ipcore.search import FIELDS
from ipops.accounts.decorators import current_user, requires
from ipops.errors import ServiceError, add_to_form
from ipops.portal.htmx import page_or_partial
from ipops.search import export as exports
from ipops.search import queries, services
from ipops.search.engine import SearchRequest, Sort
from ipops.search.forms import SaveSearchForm, SearchForm, strategy_of
from ipops.search.models import SavedSearch

PAGE_SIZE = 20


@require_GET  # public too: the capability check is in the queries
def search(request: HttpRequest) -> HttpResponse:
    """专利检索 — query box with field help, results with snippets, facets, export, save."""
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "fields": FIELDS, "page": None, "error": ""}
    if form.is_valid() and (form.cleaned_data["q"].strip() or form.cleaned_data["like"]):
        data = form.cleaned_data
        strategy, stemmed = strategy_of(data["mode"] or SavedSearch.Mode.KEYWORD)
        search_request = SearchRequest(
            query=data["q"],
            sort=Sort(data["sort"] or Sort.RELEVANCE),
            page_size=PAGE_SIZE,
            cursor=data["cursor"],
            facets=not data["cursor"],
            stemmed=stemmed,
            strategy=strategy,
            like=data["like"],
        )
        try:
            page = queries.search_patents(request.user, search_request)
        except ServiceError as error:
            context["error"] = str(error.message)
        else:
            context.update(_result_context(request, page, data))
    template = page_or_partial(request, "search/search.html", "search/_results.html")
    return render(request, template, context)


def _result_context(
    request: HttpRequest, page: queries.SearchPage, data: dict[str, Any]
) -> dict[str, object]:
    mode = data["mode"] or SavedSearch.Mode.KEYWORD
    keyword = mode in SavedSearch.Mode.values and not data["like"]
    return {
        "page": page,
        "more_url": _more_url(request, page.next_cursor),
        # Exports and saved searches take the query language: a description or "more like
        # this" is a ranking of bounded depth, not a result set to export or to watch.
        "export_query": urlencode({"q": data["q"], "mode": mode}) if keyword else "",
        "save_form": SaveSearchForm(initial={"query": data["q"], "mode": mode})
        if keyword
        else None,
    }


def _more_url(request: HttpRequest, cursor: str) -> str:
    if not cursor:
        return ""
    query = request.GET.copy()
    query["cursor"] = cursor
    return f"{reverse('search:search')}?{query.urlencode()}"


@requires(Capability.EXPORT_RESULTS)
@require_GET
def export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The whole result set (up to EXPORT_LIMIT rows), newest first."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    query = request.GET.get("q", "").strip()
    stemmed = request.GET.get("mode") == SavedSearch.Mode.STEMMED
    try:  # read the query once up front, so a bad one is a page, not a broken download
        queries.search_patents(request.user, SearchRequest(query, page_size=1, facets=False))
    except ServiceError as error:
        messages.error(request, str(error.message))
        return redirect(f"{reverse('search:search')}?{urlencode({'q': query})}")
    rows = exports.result_rows(request.user, query, stemmed=stemmed)
    name = f"ipops-search-{timezone.localtime():%Y%m%d-%H%M}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    return FileResponse(
        exports.xlsx_file(rows),
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@requires(Capability.SAVE_SEARCHES)
@require_http_methods(["GET", "POST"])
def saved_list(request: HttpRequest) -> HttpResponse:
    """保存的检索式 — each with its count of patents new since it was last run."""
    form = SaveSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_search(actor=current_user(request), **form.cleaned_data)
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Search saved."))
            return redirect("search:saved_list")
    context = {"form": form, "statuses": queries.saved_search_statuses(request.user)}
    return render(request, "search/saved_list.html", context)


@requires(Capability.SAVE_SEARCHES)
@require_POST
def saved_run(request: HttpRequest, saved_id: int) -> HttpResponse:
    saved = queries.saved_search_for(request.user, saved_id)
    try:
        page = queries.search_patents(
            request.user,
            SearchRequest(
                saved.query,
                page_size=1,
                facets=False,
                stemmed=saved.mode == SavedSearch.Mode.STEMMED,
            ),
        )
    except ServiceError as error:
        messages.error(request, str(error.message))
        return redirect("search:saved_list")
    services.mark_search_run(actor=current_user(request), saved=saved, total=page.total)
    return redirect(
        f"{reverse('search:search')}?{urlencode({'q': saved.query, 'mode': saved.mode})}"
    )


@requires(Capability.SAVE_SEARCHES)
@require_POST
def saved_delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    saved = queries.saved_search_for(request.user, saved_id)
    services.delete_saved_search(actor=current_user(request), saved=saved)
    messages.success(request, _("Saved search deleted."))
    return redirect("search:saved_list")

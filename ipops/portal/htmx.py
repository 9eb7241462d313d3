"""HTMX helpers (NetBox utilities/htmx.py style): one view serves a page and its partial."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """An HTMX request that swaps part of the page (not a boosted full navigation)."""
    return (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
    )


def page_or_partial(request: HttpRequest, page: str, partial: str) -> str:
    return partial if is_htmx(request) else page

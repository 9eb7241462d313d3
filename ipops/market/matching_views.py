"""Market pages: a need's page, and the matches of a need or a listing with the marks
(useful or not) people gave them. Parse → authorise → service → render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipcore.access import Capability
from ipops.accounts.decorators import current_user, requires
from ipops.corpus.models import Entity, Patent
from ipops.errors import InvalidInput, ServiceError
from ipops.market import matching, queries, services
from ipops.market.models import Listing, MatchFeedback, Need
from ipops.portal.htmx import is_htmx, page_or_partial

MATCH_KINDS = ("patent", "need", "entity")


def _need(request: HttpRequest, need_id: int) -> Need:
    queries.needs_for(request.user)  # the capability check: needs are public
    return get_object_or_404(Need.objects.select_related("organization"), pk=need_id)


@require_GET  # public page: the capability check is in the queries
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    """技术需求 — one need; its matches for those who may see them."""
    need = _need(request, need_id)
    context = {
        "need": need,
        "may_see_matches": matching.may_see_matches(request.user, need.organization_id),
    }
    return render(request, "market/need_detail.html", context)


@requires(Capability.VIEW_DEALS)
@require_GET
def need_matches(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _need(request, need_id)
    found = matching.matches_for_need(request.user, need)  # 404 unless it may see them
    template = page_or_partial(request, "market/need_matches.html", "market/_need_matches.html")
    return render(request, template, {"need": need, "found": found})


@requires(Capability.VIEW_DEALS)
@require_GET
def listing_matches(request: HttpRequest, listing_id: int) -> HttpResponse:
    listing = queries.listing_for(request.user, listing_id)
    found = matching.matches_for_listing(request.user, listing)
    template = page_or_partial(
        request, "market/listing_matches.html", "market/_listing_matches.html"
    )
    return render(request, template, {"listing": listing, "found": found})


@requires(Capability.VIEW_DEALS)
@require_POST
def need_feedback(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _need(request, need_id)
    if not matching.may_see_matches(request.user, need.organization_id):
        raise Http404
    return _feedback(request, need, None, reverse("market:need_matches", args=[need.pk]))


@requires(Capability.VIEW_DEALS)
@require_POST
def listing_feedback(request: HttpRequest, listing_id: int) -> HttpResponse:
    listing = queries.listing_for(request.user, listing_id)
    if not matching.may_see_matches(request.user, listing.organization_id):
        raise Http404
    return _feedback(request, None, listing, reverse("market:listing_matches", args=[listing.pk]))


def _feedback(
    request: HttpRequest, need: Need | None, listing: Listing | None, back: str
) -> HttpResponse:
    kind = request.POST.get("kind", "")
    useful = request.POST.get("useful", "")
    error = ""
    mark: MatchFeedback | None = None
    try:
        patent, matched_need, entity = _target(kind, request.POST.get("target", ""))
        if useful not in ("yes", "no"):
            raise InvalidInput(details={"useful": [_("Say whether the match is useful.")]})
        mark = services.record_match_feedback(
            actor=current_user(request),
            useful=useful == "yes",
            note=request.POST.get("note", ""),
            need=need,
            listing=listing,
            patent=patent,
            matched_need=matched_need,
            entity=entity,
        )
    except ServiceError as refused:
        reasons = [str(m) for ms in refused.details.values() if isinstance(ms, list) for m in ms]
        error = " ".join(reasons) or str(refused.message)
    if not is_htmx(request):
        return redirect(back)
    context = {
        "mark": mark,
        "error": error,
        "kind": kind,
        "target": request.POST.get("target", ""),
        "action": request.path,
    }
    return render(request, "market/_match_mark.html", context, status=200 if mark else 400)


def _target(kind: str, target: str) -> tuple[Patent | None, Need | None, Entity | None]:
    """The patent, need or entity a mark is on (one of the three)."""
    if kind not in MATCH_KINDS or not target.isdigit():
        raise InvalidInput(details={"target": [_("Say which match the mark is on.")]})
    pk = int(target)
    patent = Patent.objects.filter(pk=pk).first() if kind == "patent" else None
    need = Need.objects.filter(pk=pk).first() if kind == "need" else None
    entity = Entity.objects.filter(pk=pk).first() if kind == "entity" else None
    if patent is None and need is None and entity is None:
        raise InvalidInput(details={"target": [_("That match no longer exists.")]})
    return patent, need, entity

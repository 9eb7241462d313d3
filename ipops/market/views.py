"""Market pages: listings (public), needs (public), deals (parties and the bureau).
Parse → authorise → service → render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipcore.access import Capability
from ipops.accounts.decorators import current_user, requires
from ipops.accounts.models import Organization
from ipops.accounts.queries import has_capability, viewer_of
from ipops.errors import ServiceError, add_to_form
from ipops.market import documents, queries, services
from ipops.market.forms import (
    DocumentForm,
    InquiryForm,
    ListingFilterForm,
    ListingForm,
    MessageForm,
    MoveForm,
    NeedForm,
)
from ipops.market.matching import may_see_matches
from ipops.market.models import Deal, StageChoices
from ipops.portal.htmx import is_htmx

PAGE_SIZE = 30


def _said(error: ServiceError) -> str:
    """A refusal in one line: the reasons of each field, else the message."""
    reasons = [str(m) for ms in error.details.values() if isinstance(ms, list) for m in ms]
    return " ".join(reasons) or str(error.message)


def _owners(request: HttpRequest) -> Any:
    """The organisations the user may list or post for: their own, and a provider's clients."""
    ids = viewer_of(request.user).visible_owner_ids()
    return Organization.objects.filter(pk__in=ids).order_by("name")


@require_GET  # public pages: the capability check is in the queries
def listing_list(request: HttpRequest) -> HttpResponse:
    """技术交易 — listings anyone may browse, with facets by kind and status."""
    form = ListingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {"status": "open"}
    filters = queries.ListingFilter(
        text=data.get("q", ""), kind=data.get("kind", ""), status=data.get("status", "")
    )
    listings = queries.listings_for(request.user, filters)
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "facets": queries.listing_facets(listings),
        "may_trade": has_capability(request.user, Capability.TRADE_PATENTS),
        "query": _without_page(request),
    }
    return render(request, "market/listing_list.html", context)


@require_GET  # public pages: the capability check is in the queries
def listing_detail(request: HttpRequest, listing_id: int) -> HttpResponse:
    listing = queries.listing_for(request.user, listing_id)
    user_org = viewer_of(request.user).organization_id
    may_inquire = (
        has_capability(request.user, Capability.TRADE_PATENTS)
        and listing.status == "open"
        and user_org not in (None, listing.organization_id)
    )
    context = {
        "listing": listing,
        "lines": queries.listed_lines(queries.patents_of(listing)),
        "may_manage": queries.may_manage_listing(request.user, listing),
        "may_see_matches": may_see_matches(request.user, listing.organization_id),
        "inquiry_form": InquiryForm() if may_inquire else None,
    }
    return render(request, "market/listing_detail.html", context)


def _without_page(request: HttpRequest) -> str:
    """The filters of a list page, for its page links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@requires(Capability.TRADE_PATENTS)
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest) -> HttpResponse:
    owners = _owners(request)
    form = ListingForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.create_listing(actor=current_user(request), **form.cleaned_data)
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Listing published."))
            return redirect("market:listing_detail", listing.pk)
    return render(request, "market/listing_form.html", {"form": form})


@requires(Capability.TRADE_PATENTS)
@require_POST
def listing_withdraw(request: HttpRequest, listing_id: int) -> HttpResponse:
    listing = queries.listing_for(request.user, listing_id)
    try:
        services.withdraw_listing(
            actor=current_user(request), listing=listing, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Listing withdrawn."))
    except ServiceError as error:
        messages.error(request, _said(error))
    return redirect("market:listing_detail", listing.pk)


@requires(Capability.TRADE_PATENTS)
@require_POST
def deal_open(request: HttpRequest, listing_id: int) -> HttpResponse:
    listing = queries.listing_for(request.user, listing_id)
    form = InquiryForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        deal = services.open_deal(actor=current_user(request), listing=listing, message=message)
    except ServiceError as error:
        messages.error(request, _said(error))
        return redirect("market:listing_detail", listing.pk)
    messages.success(request, _("Inquiry sent: the owner has been told."))
    return redirect("market:deal_detail", deal.pk)


@require_GET  # public pages: the capability check is in the queries
def need_list(request: HttpRequest) -> HttpResponse:
    """技术需求 — what organisations are looking for."""
    text = request.GET.get("q", "").strip()[:200]
    page = Paginator(queries.needs_for(request.user, text), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "q": text,
        "may_trade": has_capability(request.user, Capability.TRADE_PATENTS),
    }
    return render(request, "market/need_list.html", context)


@requires(Capability.TRADE_PATENTS)
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_need(actor=current_user(request), **form.cleaned_data)
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Need published."))
            return redirect("market:need_list")
    return render(request, "market/need_form.html", {"form": form})


@requires(Capability.VIEW_DEALS)
@require_GET
def deal_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    stage = stage if stage in StageChoices.values else ""
    page = Paginator(queries.deals_for(request.user, stage), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "stage": stage,
        "stages": StageChoices.choices,
        "overdue": queries.overdue_filings(request.user),
    }
    return render(request, "market/deal_list.html", context)


@requires(Capability.VIEW_DEALS)
@require_GET
def deal_detail(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = queries.deal_for(request.user, deal_id)
    moves = [
        (s.value, StageChoices(s.value).label) for s in queries.offered_moves(request.user, deal)
    ]
    context = {
        "deal": deal,
        "side": queries.side_of(request.user, deal),
        "lines": queries.listed_lines(queries.patents_of(deal)),
        "moves": moves,
        "filing": queries.filing_of(deal),
        "changes": deal.changes.select_related("changed_by"),
        "deal_messages": deal.messages.select_related("author", "organization"),
        "message_form": MessageForm(),
        **_documents_context(request, deal),
    }
    return render(request, "market/deal_detail.html", context)


def _documents_context(
    request: HttpRequest, deal: Deal, form: DocumentForm | None = None, error: str = ""
) -> dict[str, Any]:
    may_add = queries.may_add_documents(request.user, deal)
    return {
        "deal": deal,
        "documents": queries.documents_of(deal),
        "document_form": (form or DocumentForm()) if may_add else None,
        "document_error": error,
    }


@requires(Capability.VIEW_DEALS)
@require_POST
def deal_move(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = queries.deal_for(request.user, deal_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next stage."))
        return redirect("market:deal_detail", deal.pk)
    try:
        services.move_deal(actor=current_user(request), deal=deal, **form.cleaned_data)
        messages.success(request, _("Deal moved; the other side has been told."))
    except ServiceError as error:
        messages.error(request, _said(error))
    return redirect("market:deal_detail", deal.pk)


@requires(Capability.VIEW_DEALS)
@require_POST
def deal_message(request: HttpRequest, deal_id: int) -> HttpResponse:
    deal = queries.deal_for(request.user, deal_id)
    form = MessageForm(request.POST)
    try:
        body = form.cleaned_data["body"] if form.is_valid() else ""
        services.send_message(actor=current_user(request), deal=deal, body=body)
        messages.success(request, _("Message sent."))
    except ServiceError as error:
        messages.error(request, _said(error))
    return redirect("market:deal_detail", deal.pk)


@requires(Capability.VIEW_DEALS)
@require_POST
def deal_document_upload(request: HttpRequest, deal_id: int) -> HttpResponse:
    """A party adds a document to the deal; an HTMX request gets the documents section back
    (with the reason when refused), any other the deal page."""
    deal = queries.deal_for(request.user, deal_id)
    form = DocumentForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.upload_deal_document(
                actor=current_user(request),
                deal=deal,
                kind=form.cleaned_data["kind"],
                file_name=upload.name or "",
                # one byte past the limit is enough to refuse it: the rest is never read
                content=upload.read(settings.MARKET_MAX_UPLOAD_BYTES + 1),
                note=form.cleaned_data["note"],
            )
        except ServiceError as refused:
            error = _said(refused)
    else:
        error = " ".join(str(m) for ms in form.errors.values() for m in ms)
    if is_htmx(request):
        context = _documents_context(request, deal, form if error else None, error)
        return render(request, "market/_deal_documents.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Document added; the other side has been told."))
    return redirect("market:deal_detail", deal.pk)


@requires(Capability.VIEW_DEALS)
@require_GET
def deal_document(request: HttpRequest, deal_id: int, document_id: int) -> FileResponse:
    """A deal's document, to its parties and the bureau (404 for anyone else), as a download
    of the type its bytes were found to be — never shown inline, never sniffed."""
    document = queries.document_for(request.user, deal_id, document_id)
    return documents.download(document)


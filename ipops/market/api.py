"""JSON API of the market: listings, deals, their moves and messages — the same services
and queries as the pages (a script acting for an organisation uses its API token)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.errors import HttpError

from ipcore.access import Capability
from ipops.accounts.decorators import current_user
from ipops.accounts.models import Organization
from ipops.accounts.queries import require_capability, viewer_of
from ipops.corpus.models import Entity, Patent
from ipops.market import documents, matching, queries, services
from ipops.market.models import Deal, DealDocument, Listing, MatchFeedback, Need

router = Router(tags=["market"])


class PatentLineOut(Schema):
    id: int
    number: str
    title: str
    status: str | None
    expiry: dt.date | None
    remaining_years: float | None
    value_score: float | None


class ListingOut(Schema):
    id: int
    organization: str
    kind: str
    title: str
    description: str
    price_min: Decimal | None
    price_max: Decimal | None
    terms: str
    status: str
    status_reason: str
    created_at: dt.datetime


class ListingDetailOut(ListingOut):
    contact: str
    patents: list[PatentLineOut]


class ListingIn(Schema):
    kind: str
    title: str
    numbers: list[str]
    contact: str
    description: str = ""
    terms: str = ""
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    evaluation_report: bool = False
    organization_id: int | None = None


def _listing(listing: Listing) -> dict[str, Any]:
    return {
        "id": listing.pk,
        "organization": listing.organization.name,
        "kind": listing.kind,
        "title": listing.title,
        "description": listing.description,
        "price_min": listing.price_min,
        "price_max": listing.price_max,
        "terms": listing.terms,
        "status": listing.status,
        "status_reason": listing.status_reason,
        "created_at": listing.created_at,
    }


def _lines(patents: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": line.id,
            "number": line.number,
            "title": line.title,
            "status": line.status.value if line.status else None,
            "expiry": line.expiry,
            "remaining_years": line.remaining_years,
            "value_score": line.value_score,
        }
        for line in queries.listed_lines(patents)
    ]


@router.get("/market/listings", response=list[ListingOut], summary="Browse listings")
def list_listings(
    request: HttpRequest, q: str = "", kind: str = "", status: str = "open", limit: int = 100
) -> list[dict[str, Any]]:
    """Listings newest first; `status` empty for every status."""
    filters = queries.ListingFilter(text=q, kind=kind, status=status)
    listings = queries.listings_for(request.user, filters)[: max(1, min(limit, 500))]
    return [_listing(listing) for listing in listings]


@router.get("/market/listings/{listing_id}", response=ListingDetailOut, summary="One listing")
def get_listing(request: HttpRequest, listing_id: int) -> dict[str, Any]:
    """The listing with each patent's legal status, expiry, years left and value score."""
    listing = queries.listing_for(request.user, listing_id)
    return _listing(listing) | {
        "contact": listing.contact,
        "patents": _lines(queries.patents_of(listing)),
    }


@router.post("/market/listings", response={201: ListingDetailOut}, summary="List patents")
def create_listing(request: HttpRequest, body: ListingIn) -> Any:
    """Offer patents of your organisation (`organization_id`: a client you serve). 422 with
    the reason for each patent that cannot be listed; nothing is written then."""
    organization = None
    if body.organization_id is not None:
        if body.organization_id not in viewer_of(request.user).visible_owner_ids():
            raise HttpError(404, "Not found, or not visible to you.")
        organization = Organization.objects.get(pk=body.organization_id)
    values = body.dict(exclude={"organization_id"})
    listing = services.create_listing(
        actor=current_user(request), organization=organization, **values
    )
    return get_listing(request, listing.pk)


class MessageOut(Schema):
    organization: str | None
    author: str | None
    body: str
    sent_at: dt.datetime


class FilingOut(Schema):
    effective_on: dt.date
    due_on: dt.date
    filed_on: dt.date | None
    overdue: bool
    late: bool
    days_left: int | None


class DealOut(Schema):
    id: int
    listing_id: int
    seller: str
    buyer: str
    kind: str
    stage: str
    price: Decimal | None
    version: int
    updated_at: dt.datetime
    registration_number: str
    licence_filing: FilingOut | None


class DealDetailOut(DealOut):
    side: str | None
    next_stages: list[str]
    patents: list[PatentLineOut]
    messages: list[MessageOut]


def _deal(deal: Deal) -> dict[str, Any]:
    return {
        "id": deal.pk,
        "listing_id": deal.listing_id,
        "seller": deal.seller.name,
        "buyer": deal.buyer.name,
        "kind": deal.kind,
        "stage": deal.stage,
        "price": deal.price,
        "version": deal.version,
        "updated_at": deal.updated_at,
        "registration_number": deal.registration_number,
        "licence_filing": queries.filing_of(deal),
    }


@router.get("/market/deals", response=list[DealOut], summary="Your deals")
def list_deals(request: HttpRequest, stage: str = "") -> list[dict[str, Any]]:
    """Deals your organisation (or a client) is party to; the bureau gets every deal."""
    return [_deal(deal) for deal in queries.deals_for(request.user, stage)[:500]]


@router.get("/market/deals/{deal_id}", response=DealDetailOut, summary="One deal")
def get_deal(request: HttpRequest, deal_id: int) -> dict[str, Any]:
    """The deal with your side, the stages you may move it to, its patents and messages.
    404 unless you are a party or the bureau."""
    deal = queries.deal_for(request.user, deal_id)
    side = queries.side_of(request.user, deal)
    messages = deal.messages.select_related("author", "organization")
    return _deal(deal) | {
        "side": side.value if side else None,
        "next_stages": [s.value for s in queries.offered_moves(request.user, deal)],
        "patents": _lines(queries.patents_of(deal)),
        "messages": [
            {
                "organization": m.organization.name if m.organization else None,
                "author": m.author.get_username() if m.author else None,
                "body": m.body,
                "sent_at": m.sent_at,
            }
            for m in messages
        ],
    }


class InquiryIn(Schema):
    listing_id: int
    message: str = ""


@router.post("/market/deals", response={201: DealDetailOut}, summary="Inquire on a listing")
def open_deal(request: HttpRequest, body: InquiryIn) -> Any:
    listing = queries.listing_for(request.user, body.listing_id)
    deal = services.open_deal(actor=current_user(request), listing=listing, message=body.message)
    return get_deal(request, deal.pk)


class MoveIn(Schema):
    to_stage: str
    version: int
    note: str = ""
    price: Decimal | None = None
    effective_on: dt.date | None = None  # signing a licence: when the contract takes effect
    registered_on: dt.date | None = None  # filed/registered: CNIPA's date …
    registration_number: str = ""  # … and number


@router.post("/market/deals/{deal_id}/move", response=DealDetailOut, summary="Move a deal")
def move_deal(request: HttpRequest, deal_id: int, body: MoveIn) -> dict[str, Any]:
    """`version`: the deal's version you acted on. 409 `move_not_allowed` with the reason for a
    move the rules or your side do not allow; 409 `deal_changed` when someone changed it."""
    deal = queries.deal_for(request.user, deal_id)
    services.move_deal(actor=current_user(request), deal=deal, **body.dict())
    return get_deal(request, deal_id)


class MessageIn(Schema):
    body: str


@router.post("/market/deals/{deal_id}/messages", response={201: DealDetailOut}, summary="Write")
def send_message(request: HttpRequest, deal_id: int, body: MessageIn) -> Any:
    deal = queries.deal_for(request.user, deal_id)
    services.send_message(actor=current_user(request), deal=deal, body=body.body)
    return get_deal(request, deal_id)


# --- deal documents ----------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    file_type: str
    content_type: str
    size: int
    sha256: str
    side: str
    note: str
    uploaded_by: str | None
    uploaded_at: dt.datetime
    url: str


def _document(document: DealDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "kind": document.kind,
        "name": document.original_name,
        "file_type": document.file_type,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "side": document.side,
        "note": document.note,
        "uploaded_by": document.uploaded_by.get_username() if document.uploaded_by else None,
        "uploaded_at": document.uploaded_at,
        "url": f"/api/market/deals/{document.deal_id}/documents/{document.pk}",
    }


@router.get(
    "/market/deals/{deal_id}/documents", response=list[DocumentOut], summary="A deal's documents"
)
def list_deal_documents(request: HttpRequest, deal_id: int) -> list[dict[str, Any]]:
    """The documents kept on the deal, newest first. 404 unless you are a party or the bureau."""
    deal = queries.deal_for(request.user, deal_id)
    return [_document(document) for document in queries.documents_of(deal)]


@router.post(
    "/market/deals/{deal_id}/documents", response={201: DocumentOut}, summary="Add a document"
)
def upload_deal_document(
    request: HttpRequest,
    deal_id: int,
    file: File[UploadedFile],
    kind: Form[str],
    note: Form[str] = "",
) -> Any:
    """Multipart: `file`, `kind` (contract, filing_certificate, registration_notice,
    valuation_report, other), `note`. The parties only; checked by content. 422 with the
    reason as `code`: `empty`, `too_large`, `type_not_allowed`, `not_what_it_says`,
    `unsafe_archive`; 409 `deal_closed` for a deal withdrawn or failed; 403 for the bureau."""
    deal = queries.deal_for(request.user, deal_id)
    document = services.upload_deal_document(
        actor=current_user(request),
        deal=deal,
        kind=kind,
        file_name=file.name or "",
        content=file.read(settings.MARKET_MAX_UPLOAD_BYTES + 1),
        note=note,
    )
    return _document(document)


@router.get("/market/deals/{deal_id}/documents/{document_id}", summary="Download a document")
def get_deal_document(request: HttpRequest, deal_id: int, document_id: int) -> FileResponse:
    """The file as uploaded (an attachment of the type its content was found to be)."""
    return documents.download(queries.document_for(request.user, deal_id, document_id))


# --- matching ----------------------------------------------------------------------------------


class ReasonOut(Schema):
    terms: list[str]
    similarity: float | None
    fields: list[str]
    in_force: bool | None


class MarkOut(Schema):
    useful: bool
    note: str
    by: str
    at: dt.datetime


class PatentMatchOut(Schema):
    patent_id: int
    number: str
    title: str
    score: float
    reason: ReasonOut
    listing_ids: list[int]
    mark: MarkOut | None


class NeedMatchesOut(Schema):
    need_id: int
    listed: list[PatentMatchOut]
    patents: list[PatentMatchOut]
    notes: list[str]


class NeedMatchOut(Schema):
    need_id: int
    title: str
    organization: str
    reason: ReasonOut
    mark: MarkOut | None


class LicenseeOut(Schema):
    entity_id: int
    name: str
    organization: str | None
    in_main_groups: int
    in_subclasses: int
    fields: list[str]
    mark: MarkOut | None


class ListingMatchesOut(Schema):
    listing_id: int
    needs: list[NeedMatchOut]
    licensees: list[LicenseeOut]
    main_groups: list[str]


class FeedbackIn(Schema):
    useful: bool
    note: str = ""
    need_id: int | None = None  # the match is a need's …
    listing_id: int | None = None  # … or a listing's
    patent_id: int | None = None  # what it matched: a patent (for a need) …
    matched_need_id: int | None = None  # … a need or an organisation (entity) (for a listing)
    entity_id: int | None = None


def _reason(reason: Any) -> dict[str, Any]:
    return {
        "terms": list(reason.terms),
        "similarity": reason.similarity,
        "fields": list(reason.fields),
        "in_force": reason.in_force,
    }


def _mark(mark: MatchFeedback | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    return {
        "useful": mark.useful,
        "note": mark.note,
        "by": mark.user.get_username(),
        "at": mark.created_at,
    }


@router.get("/market/needs/{need_id}/matches", response=NeedMatchesOut, summary="Need matches")
def need_matches(request: HttpRequest, need_id: int) -> dict[str, Any]:
    """Listed patents and other CN patents in force matching the need, best first, with the
    reason and the latest mark of each. 404 unless the need is your organisation's (or a
    client's), or you are the bureau."""
    require_capability(request.user, Capability.VIEW_DEALS)
    need = get_object_or_404(Need, pk=need_id)
    found = matching.matches_for_need(request.user, need)

    def rows(matches: list[matching.PatentMatch]) -> list[dict[str, Any]]:
        return [
            {
                "patent_id": m.patent_id,
                "number": m.number,
                "title": m.title,
                "score": m.score,
                "reason": _reason(m.reason),
                "listing_ids": [listing.pk for listing in m.listings],
                "mark": _mark(m.feedback),
            }
            for m in matches
        ]

    return {
        "need_id": need.pk,
        "listed": rows(found.listed),
        "patents": rows(found.patents),
        "notes": list(found.notes),
    }


@router.get(
    "/market/listings/{listing_id}/matches", response=ListingMatchesOut, summary="Listing matches"
)
def listing_matches(request: HttpRequest, listing_id: int) -> dict[str, Any]:
    """Open needs sharing the listed patents' words and likely licensees. 404 unless the
    listing is your organisation's (or a client's), or you are the bureau."""
    require_capability(request.user, Capability.VIEW_DEALS)
    listing = queries.listing_for(request.user, listing_id)
    found = matching.matches_for_listing(request.user, listing)
    return {
        "listing_id": listing.pk,
        "needs": [
            {
                "need_id": m.need.pk,
                "title": m.need.title,
                "organization": m.need.organization.name,
                "reason": _reason(m.reason),
                "mark": _mark(m.feedback),
            }
            for m in found.needs
        ],
        "licensees": [
            {
                "entity_id": m.licensee.entity_id,
                "name": m.licensee.name,
                "organization": m.organization_name,
                "in_main_groups": m.licensee.in_main_groups,
                "in_subclasses": m.licensee.in_subclasses,
                "fields": list(m.licensee.fields),
                "mark": _mark(m.feedback),
            }
            for m in found.licensees
        ],
        "main_groups": list(found.main_groups),
    }


@router.post("/market/matches/feedback", response={201: MarkOut}, summary="Mark a match")
def mark_match(request: HttpRequest, body: FeedbackIn) -> Any:
    """Mark one match useful or not (with a note). 422 with the reason for a mark on nothing,
    on two things or on a match that cannot be; 404 for a need or listing you may not see."""
    require_capability(request.user, Capability.VIEW_DEALS)
    need = get_object_or_404(Need, pk=body.need_id) if body.need_id is not None else None
    listing = (
        queries.listing_for(request.user, body.listing_id) if body.listing_id is not None else None
    )
    source = need or listing
    if source is not None and not matching.may_see_matches(request.user, source.organization_id):
        raise HttpError(404, "Not found, or not visible to you.")
    mark = services.record_match_feedback(
        actor=current_user(request),
        useful=body.useful,
        note=body.note,
        need=need,
        listing=listing,
        patent=get_object_or_404(Patent, pk=body.patent_id) if body.patent_id else None,
        matched_need=(
            get_object_or_404(Need, pk=body.matched_need_id) if body.matched_need_id else None
        ),
        entity=get_object_or_404(Entity, pk=body.entity_id) if body.entity_id else None,
    )
    return _mark(mark)

"""Reads of the market, scoped to the user.

Listings and needs are public (everyone browses them, the public too). A deal and its
messages are seen only by its parties — the members of the seller and buyer organisations
and the providers serving them — and by the bureau; anyone else gets a 404, as for every
private record. The same goes for a deal's documents: they are read through the deal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ipcore.access import Capability
from ipcore.identifiers.cn import PatentType
from ipcore.legal_status import Status, expiry_date, status_on
from ipcore.market.deals import DealSide, DealStage, next_stages
from ipcore.market.documents import takes_documents
from ipcore.market.listings import ListingKind, remaining_years
from ipops.accounts.queries import require_capability, viewer_of
from ipops.corpus.lives import LifeFacts, cn_lives
from ipops.corpus.models import Party, Patent
from ipops.corpus.queries import CN_TYPES
from ipops.market.models import (
    Deal,
    DealDocument,
    KindChoices,
    Listing,
    ListingStatusChoices,
    Need,
)
from ipops.valuation.queries import licensing_scores


@dataclass(frozen=True)
class ListingFilter:
    text: str = ""
    kind: str = ""
    status: str = ListingStatusChoices.OPEN
    document_type: str = ""


def listings_for(user: Any, filters: ListingFilter | None = None) -> QuerySet[Listing]:
    """Listings anyone may browse, filtered as asked, newest first."""
    require_capability(user, Capability.VIEW_PUBLIC)
    f = filters or ListingFilter()
    listings = Listing.objects.select_related("organization")
    if f.status:
        listings = listings.filter(status=f.status)
    if f.kind:
        listings = listings.filter(kind=f.kind)
    if f.document_type:
        listings = listings.filter(items__patent__document_type=f.document_type).distinct()
    if f.text:
        listings = listings.filter(
            Q(title__icontains=f.text)
            | Q(description__icontains=f.text)
            | Q(items__patent__title__icontains=f.text)
        ).distinct()
    return listings


def listing_facets(listings: QuerySet[Listing]) -> dict[str, list[tuple[str, str, int]]]:
    """How many of these listings fall in each kind and status: (value, label, count)."""
    kinds = Counter(listings.order_by().values_list("kind", flat=True))
    statuses = Counter(listings.order_by().values_list("status", flat=True))
    return {
        "kind": [(v, str(label), kinds[v]) for v, label in KindChoices.choices if kinds[v]],
        "status": [
            (v, str(label), statuses[v]) for v, label in ListingStatusChoices.choices if statuses[v]
        ],
    }


def listing_for(user: Any, listing_id: int) -> Listing:
    require_capability(user, Capability.VIEW_PUBLIC)
    try:
        return Listing.objects.select_related("organization").get(pk=listing_id)
    except Listing.DoesNotExist:
        raise Http404 from None


def may_manage_listing(user: Any, listing: Listing) -> bool:
    """The listing's organisation and its providers manage it (the bureau only watches)."""
    viewer = viewer_of(user)
    return (
        getattr(user, "is_authenticated", False)
        and viewer.role.value in {"enterprise", "provider"}
        and listing.organization_id in viewer.visible_owner_ids()
    )


@dataclass(frozen=True)
class ListedLine:
    """A listed patent as the listing shows it: status, remaining life and value score."""

    id: int
    number: str
    title: str
    type_label: str
    status: Status | None
    expiry: dt.date | None
    remaining_years: float | None
    value_score: float | None


def patent_lives(patents: Sequence[Patent], on: dt.date) -> dict[int, tuple[Status, dt.date]]:
    """Status on ``on`` and expiry of each CN patent the rules can read, by id."""
    lives = cn_lives(
        LifeFacts(
            p.pk, p.office, p.document_type, p.application_date, p.grant_date, p.publication_date
        )
        for p in patents
    )
    return {pk: (status_on(life, on), expiry_date(life)) for pk, life in lives.items()}


def patent_types(patents: Sequence[Patent]) -> dict[int, PatentType]:
    return {p.pk: CN_TYPES[p.document_type] for p in patents if p.document_type in CN_TYPES}


def listed_lines(patents: Sequence[Patent], on: dt.date | None = None) -> list[ListedLine]:
    today = on or timezone.localdate()
    lives = patent_lives(patents, today)
    scores = licensing_scores([p.pk for p in patents])
    lines = []
    for p in patents:
        status, expiry = lives.get(p.pk, (None, None))
        lines.append(
            ListedLine(
                id=p.pk,
                number=p.display_number,
                title=p.title,
                type_label=p.get_document_type_display(),
                status=status,
                expiry=expiry,
                remaining_years=remaining_years(expiry, today) if expiry else None,
                value_score=scores.get(p.pk),
            )
        )
    return lines


def patents_of(listing_or_deal: Listing | Deal) -> list[Patent]:
    ids = list(listing_or_deal.items.values_list("patent_id", flat=True))
    return list(Patent.objects.filter(pk__in=ids).order_by("pk"))


def owner_organizations(patent_ids: Sequence[int]) -> dict[int, set[int]]:
    """The platform organisations holding each patent: those its owners resolve to (an
    applicant entity linked to an organisation) — its applicants where the source names no
    owner (a registered transfer names one) — by patent id."""
    by_role: dict[int, dict[str, set[int]]] = {pk: {} for pk in patent_ids}
    rows = Party.objects.filter(
        patent_id__in=patent_ids, role__in=("applicant", "owner")
    ).values_list("patent_id", "role", "entity__organization_id")
    for pk, role, organization_id in rows:
        held = by_role[pk].setdefault(role, set())
        if organization_id is not None:
            held.add(organization_id)
    return {
        pk: roles["owner"] if "owner" in roles else roles.get("applicant", set())
        for pk, roles in by_role.items()
    }


def open_kinds(patent_ids: Sequence[int]) -> dict[int, set[ListingKind]]:
    """The kinds each patent is offered as on open listings now."""
    kinds: dict[int, set[ListingKind]] = {pk: set() for pk in patent_ids}
    for pk, kind in Listing.objects.filter(
        status=ListingStatusChoices.OPEN, items__patent_id__in=patent_ids
    ).values_list("items__patent_id", "kind"):
        kinds[pk].add(ListingKind(kind))
    return kinds


def needs_for(user: Any, text: str = "") -> QuerySet[Need]:
    require_capability(user, Capability.VIEW_PUBLIC)
    needs = Need.objects.select_related("organization").filter(status=Need.Status.OPEN)
    if text:
        needs = needs.filter(
            Q(title__icontains=text) | Q(description__icontains=text) | Q(field__icontains=text)
        )
    return needs


def _visible_deals(user: Any) -> QuerySet[Deal]:
    viewer = viewer_of(user)
    deals = Deal.objects.select_related("listing", "seller", "buyer")
    if viewer.sees_everything:
        return deals
    owners = viewer.visible_owner_ids()
    return deals.filter(Q(seller_id__in=owners) | Q(buyer_id__in=owners))


def deals_for(user: Any, stage: str = "") -> QuerySet[Deal]:
    require_capability(user, Capability.VIEW_DEALS)
    deals = _visible_deals(user)
    return deals.filter(stage=stage) if stage else deals


def deal_for(user: Any, deal_id: int) -> Deal:
    """The deal, for its parties and the bureau; 404 for anyone else."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    require_capability(user, Capability.VIEW_DEALS)
    try:
        return _visible_deals(user).get(pk=deal_id)
    except Deal.DoesNotExist:
        raise Http404 from None


def side_of(user: Any, deal: Deal) -> DealSide | None:
    """Which side of the deal the user acts for (None: not a party, not the bureau)."""
    if not getattr(user, "is_authenticated", False):
        return None
    viewer = viewer_of(user)
    owners = viewer.visible_owner_ids() if viewer.role.value in {"enterprise", "provider"} else ()
    if deal.seller_id in owners:
        return DealSide.SELLER
    if deal.buyer_id in owners:
        return DealSide.BUYER
    return DealSide.BUREAU if viewer.sees_everything else None


@dataclass(frozen=True)
class FilingLine:
    """许可备案 of a licence deal: when it is due, and whether it is overdue or was late."""

    effective_on: dt.date
    due_on: dt.date
    filed_on: dt.date | None
    overdue: bool
    late: bool
    days_left: int | None


def filing_of(deal: Deal, today: dt.date | None = None) -> FilingLine | None:
    deadline = deal.filing_deadline()
    if deadline is None:
        return None
    on = today or timezone.localdate()
    return FilingLine(
        effective_on=deadline.effective_on,
        due_on=deadline.due_on,
        filed_on=deadline.filed_on,
        overdue=deadline.overdue(on),
        late=deadline.late,
        days_left=deadline.days_left(on),
    )


def overdue_filings(user: Any, today: dt.date | None = None) -> list[Deal]:
    """Licence deals whose contract is signed and whose filing time limit has passed."""
    on = today or timezone.localdate()
    signed = deals_for(user, DealStage.CONTRACT_SIGNED.value).filter(
        contract_effective_on__isnull=False
    )
    return [deal for deal in signed if (line := filing_of(deal, on)) and line.overdue]


def offered_moves(user: Any, deal: Deal) -> tuple[DealStage, ...]:
    side = side_of(user, deal)
    return () if side is None else next_stages(DealStage(deal.stage), side)


def documents_of(deal: Deal) -> QuerySet[DealDocument]:
    """The documents kept on a deal (already read through `deal_for`), newest first."""
    return deal.documents.select_related("uploaded_by")


def document_for(user: Any, deal_id: int, document_id: int) -> DealDocument:
    """One document of a deal, for the deal's parties and the bureau; 404 for anyone else
    and for a document of another deal."""
    deal = deal_for(user, deal_id)
    try:
        return documents_of(deal).get(pk=document_id)
    except DealDocument.DoesNotExist:
        raise Http404 from None


def may_add_documents(user: Any, deal: Deal) -> bool:
    """The parties (and their providers) add documents while the deal takes them."""
    side = side_of(user, deal)
    return side in (DealSide.SELLER, DealSide.BUYER) and takes_documents(DealStage(deal.stage))

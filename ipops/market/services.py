"""Every write of the market: listings, needs, deals, their moves and messages.

Each is one keyword-only function, one transaction, one audit entry. A refused request
writes nothing but the audit entry that records the attempt and its reason (in its own
transaction), then raises. Deal writes are guarded by the deal's ``version``: the caller
says which version it acted on and the UPDATE only applies to that version, so of two people
acting on one deal at once the second is told the deal changed instead of overwriting it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.market.deals import CLOSED_STAGES, DealMoveError, DealSide, DealStage, check_move
from ipcore.market.documents import (
    DOCUMENT_TYPES,
    MAX_NOTE_CHARS,
    DocumentKind,
    closed_to_documents,
)
from ipcore.market.listings import (
    KIND_LABELS_ZH,
    ListedPatent,
    ListingKind,
    ListingStatus,
    ends_listing,
    problems_of,
)
from ipcore.market.money import in_wan
from ipcore.uploads import CheckedFile, UploadRefused, check_upload, display_name
from ipops.accounts.models import Organization, User
from ipops.accounts.queries import require_capability, viewer_of
from ipops.audit.actions import Action
from ipops.audit.services import TargetRef, record_write
from ipops.corpus.models import Entity, Patent
from ipops.corpus.services import record_legal_events, record_transfer
from ipops.errors import Conflict, InvalidInput, NotPermitted, ServiceError
from ipops.market import documents, queries
from ipops.market.models import (
    Deal,
    DealDocument,
    DealMessage,
    DealPatent,
    DealStageChange,
    DocumentKindChoices,
    Listing,
    ListingPatent,
    ListingStatusChoices,
    MatchFeedback,
    Need,
)
from ipops.notifications.services import notify
from ipops.search.embedder import RECIPE, embed_passages, script_of
from ipops.search.semantic import to_bytes
from ipops.valuation.numbers import patents_numbered

logger = logging.getLogger(__name__)

MAX_PATENTS: Final = 200  # on one listing
EMBED_BATCH: Final = 500  # needs embedded by one background pass
MAX_PRICE: Final = Decimal("99999999999999.99")  # what the price columns hold
# Deals that move the patents to the buyer when CNIPA registers them (TR01).
_TRANSFERS: Final = frozenset({ListingKind.TRANSFER, ListingKind.CAPITAL_CONTRIBUTION})
# A listing that closes when its deal completes: the rights are gone (or exclusive now).
_CLOSES_LISTING: Final = frozenset(
    {
        ListingKind.TRANSFER,
        ListingKind.EXCLUSIVE_LICENCE,
        ListingKind.SOLE_LICENCE,
        ListingKind.CAPITAL_CONTRIBUTION,
    }
)


# --- listings --------------------------------------------------------------------------------


def create_listing(
    *,
    actor: Any,
    organization: Organization | None = None,
    kind: str,
    title: str,
    numbers: Sequence[str],
    contact: str,
    description: str = "",
    terms: str = "",
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    evaluation_report: bool = False,
) -> Listing:
    """Offer patents of ``organization`` (the actor's own, or a provider's client) as ``kind``.

    Refused (InvalidInput, the attempt audited) when a number is not in the corpus, a patent
    is not the organisation's or not in force, or the kind conflicts with its other listings.
    """
    require_capability(actor, Capability.TRADE_PATENTS)
    owner = _lister(actor, organization)
    listing_kind = _kind(kind)
    errors = _listing_field_errors(title, contact, price_min, price_max)
    patents = _numbered_patents(numbers, errors)
    if errors:
        raise InvalidInput(details=errors)
    problems = problems_of(listing_kind, _listed(patents, owner.pk, evaluation_report))
    if problems:
        zh = _zh()
        reasons = [p.message_zh if zh else p.message_en for p in problems]
        _refused(actor, Action.LISTING_REFUSED, owner, {"kind": kind, "reasons": reasons})
        raise InvalidInput(details={"numbers": reasons}, code="listing_refused")
    with transaction.atomic():
        listing = Listing.objects.create(
            organization=owner,
            kind=listing_kind.value,
            title=title.strip()[:200],
            description=description.strip(),
            terms=terms.strip(),
            contact=contact.strip()[:200],
            price_min=price_min,
            price_max=price_max,
            evaluation_report=evaluation_report,
            created_by=actor,
        )
        ListingPatent.objects.bulk_create(ListingPatent(listing=listing, patent=p) for p in patents)
        record_write(
            actor=actor,
            action=Action.LISTING_CREATED,
            target=listing,
            new={
                "organization": owner.pk,
                "kind": listing_kind.value,
                "patents": [p.display_number for p in patents],
                "price_min": price_min,
                "price_max": price_max,
            },
        )
    return listing


def _zh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "zh-hans").startswith("zh")


def _lister(actor: Any, organization: Organization | None) -> Organization:
    viewer = viewer_of(actor)
    if organization is None:
        if viewer.organization_id is None:
            raise InvalidInput(details={"organization": [_("Choose the patents' owner.")]})
        return Organization.objects.get(pk=viewer.organization_id)
    if organization.pk not in viewer.visible_owner_ids():
        raise NotPermitted(_("You may only list patents of your organisation or your clients."))
    return organization


def _kind(kind: str) -> ListingKind:
    try:
        return ListingKind(kind)
    except ValueError:
        raise InvalidInput(details={"kind": [_("Choose how the patents are offered.")]}) from None


def _listing_field_errors(
    title: str, contact: str, price_min: Decimal | None, price_max: Decimal | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the listing a title.")]
    if not contact.strip():
        errors["contact"] = [_("Say how buyers reach you.")]
    for name, price in (("price_min", price_min), ("price_max", price_max)):
        if price is not None and not Decimal(0) <= price <= MAX_PRICE:
            errors[name] = [_("A price is a positive amount in CNY (or empty: negotiable).")]
    if price_min is not None and price_max is not None and price_min > price_max:
        errors["price_max"] = [_("The highest price is below the lowest.")]
    return errors


def _numbered_patents(numbers: Sequence[str], errors: dict[str, list[str]]) -> list[Patent]:
    cleaned = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not cleaned:
        errors["numbers"] = [_("List at least one patent number.")]
        return []
    if len(cleaned) > MAX_PATENTS:
        errors["numbers"] = [
            _("At most %(limit)s patents on one listing.") % {"limit": MAX_PATENTS}
        ]
        return []
    found = patents_numbered(cleaned)
    missing = [n for n, ids in found.items() if len(ids) != 1]
    if missing:
        errors["numbers"] = [
            _("Not in the corpus (or not one patent): %(numbers)s")
            % {"numbers": ", ".join(missing)}
        ]
        return []
    ids = list(dict.fromkeys(ids[0] for ids in found.values()))
    return list(Patent.objects.filter(pk__in=ids).order_by("pk"))


def _listed(patents: list[Patent], owner_id: int, report: bool) -> list[ListedPatent]:
    ids = [p.pk for p in patents]
    lives = queries.patent_lives(patents, timezone.localdate())
    types = queries.patent_types(patents)
    owners = queries.owner_organizations(ids)
    kinds = queries.open_kinds(ids)
    return [
        ListedPatent(
            number=p.display_number,
            patent_type=types.get(p.pk),
            status=lives[p.pk][0] if p.pk in lives else None,
            owned_by_lister=owner_id in owners[p.pk],
            open_kinds=frozenset(kinds[p.pk]),
            has_evaluation_report=report,
        )
        for p in patents
    ]


def _refused(actor: Any, action: Action, target: Any, values: dict[str, Any]) -> None:
    """Record a refused attempt: its own transaction, since the request itself writes nothing."""
    with transaction.atomic():
        record_write(actor=actor, action=action, target=target, new=values)


def withdraw_listing(*, actor: Any, listing: Listing, reason: str = "") -> Listing:
    """Take an open listing down (its organisation or their provider)."""
    if not queries.may_manage_listing(actor, listing):
        raise NotPermitted(_("Only the listing's organisation or its provider may withdraw it."))
    with transaction.atomic():
        changed = Listing.objects.filter(pk=listing.pk, status=ListingStatusChoices.OPEN).update(
            status=ListingStatus.WITHDRAWN.value,
            status_reason=reason.strip()[:500],
            updated_at=timezone.now(),
        )
        if not changed:
            raise Conflict(_("This listing is no longer open."), code="listing_closed")
        record_write(
            actor=actor,
            action=Action.LISTING_WITHDRAWN,
            target=listing,
            old={"status": ListingStatus.OPEN.value},
            new={"status": ListingStatus.WITHDRAWN.value, "reason": reason},
        )
    listing.refresh_from_db()
    return listing


def withdraw_lapsed_listings(*, actor: Any = None) -> int:
    """Withdraw every open listing with a patent no longer in force (lapsed, expired,
    invalidated …), each with the reason; returns how many. Run after each import."""
    today = timezone.localdate()
    withdrawn = 0
    for listing in Listing.objects.filter(status=ListingStatusChoices.OPEN).iterator():
        patents = queries.patents_of(listing)
        lives = queries.patent_lives(patents, today)
        ended = [p for p in patents if p.pk in lives and ends_listing(lives[p.pk][0])]
        if not ended:
            continue
        reason = "; ".join(f"{p.display_number}: {lives[p.pk][0].value}" for p in ended)
        with transaction.atomic():
            if not Listing.objects.filter(pk=listing.pk, status=ListingStatusChoices.OPEN).update(
                status=ListingStatus.LAPSED.value, status_reason=reason[:500]
            ):
                continue
            record_write(
                actor=actor,
                action=Action.LISTING_LAPSED,
                target=listing,
                old={"status": ListingStatus.OPEN.value},
                new={"status": ListingStatus.LAPSED.value, "reason": reason},
            )
            notify(
                recipients=_members([listing.organization_id]),
                subject=_("Listing withdrawn: %(title)s") % {"title": listing.title},
                body=reason,
                link=reverse("market:listing_detail", args=[listing.pk]),
            )
        withdrawn += 1
    return withdrawn


# --- needs -----------------------------------------------------------------------------------


def create_need(
    *,
    actor: Any,
    title: str,
    description: str,
    field: str = "",
    budget: Decimal | None = None,
    organization: Organization | None = None,
) -> Need:
    """Publish a technology need of the actor's organisation (or a provider's client)."""
    require_capability(actor, Capability.TRADE_PATENTS)
    owner = _lister(actor, organization)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the need a title.")]
    if not description.strip():
        errors["description"] = [_("Describe the technology you need.")]
    if budget is not None and not Decimal(0) <= budget <= MAX_PRICE:
        errors["budget"] = [_("A budget is a positive amount in CNY (or empty).")]
    if errors:
        raise InvalidInput(details=errors)
    with transaction.atomic():
        need = Need.objects.create(
            organization=owner,
            title=title.strip()[:200],
            description=description.strip(),
            field=field.strip()[:200],
            budget=budget,
            created_by=actor,
        )
        record_write(
            actor=actor,
            action=Action.NEED_CREATED,
            target=need,
            new={"organization": owner.pk, "title": need.title, "budget": budget},
        )
        transaction.on_commit(_queue_need_embedding)
    return need


# --- deals -----------------------------------------------------------------------------------


def _queue_need_embedding() -> None:
    from ipops.market.tasks import embed_needs

    try:
        embed_needs.enqueue()
    except Exception:  # a queue outage must not fail the need already published
        logger.exception("could not queue the needs' embedding; matching ranks them by words")


def embed_needs(*, limit: int = EMBED_BATCH) -> int:
    """语义向量 — embed open needs not yet embedded with the current model (after one is
    posted, in the background): their text as a passage of the patents' embedding model, so a
    listing's matches rank needs by meaning as well as by words. Like the search index and
    the patents' vectors, a projection of what people wrote, recomputed at will: not audited.
    Returns how many were embedded; the model runs outside any transaction."""
    pending = list(
        Need.objects.filter(status=Need.Status.OPEN)
        .exclude(vector_model=RECIPE)
        .order_by("id")[:limit]
    )
    if not pending:
        return 0
    texts = [need.text for need in pending]
    vectors = embed_passages(texts)
    with transaction.atomic():
        for need, text, vector in zip(pending, texts, vectors, strict=True):
            Need.objects.filter(pk=need.pk).update(
                vector=to_bytes(vector), vector_model=RECIPE, vector_script=script_of(text)
            )
    return len(pending)


def open_deal(*, actor: Any, listing: Listing, message: str = "") -> Deal:
    """A buyer's inquiry on an open listing: a new deal between the listing's organisation
    and the actor's, with the listing's patents, and the seller told."""
    require_capability(actor, Capability.TRADE_PATENTS)
    buyer_id = viewer_of(actor).organization_id
    if buyer_id is None:
        raise NotPermitted(_("Only members of an organisation can open a deal."))
    if buyer_id == listing.organization_id:
        raise InvalidInput(_("This is your own organisation's listing."), code="own_listing")
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if locked.status != ListingStatusChoices.OPEN:
            raise Conflict(_("This listing is no longer open."), code="listing_closed")
        if Deal.objects.filter(
            listing=locked, buyer_id=buyer_id, stage__in=[s.value for s in _OPEN]
        ).exists():
            raise Conflict(
                _("Your organisation already has an open deal on this listing."),
                code="deal_exists",
            )
        deal = Deal.objects.create(
            listing=locked,
            seller_id=locked.organization_id,
            buyer_id=buyer_id,
            kind=locked.kind,
            created_by=actor,
        )
        DealPatent.objects.bulk_create(
            DealPatent(deal=deal, patent_id=pk)
            for pk in locked.items.values_list("patent_id", flat=True)
        )
        if message.strip():
            DealMessage.objects.create(
                deal=deal, author=actor, organization_id=buyer_id, body=message.strip()
            )
        record_write(
            actor=actor,
            action=Action.DEAL_OPENED,
            target=deal,
            new={"listing": locked.pk, "seller": locked.organization_id, "buyer": buyer_id},
        )
        _tell(deal, [deal.seller_id], _("New inquiry on %(title)s") % {"title": locked.title})
    return deal


_OPEN: Final = tuple(s for s in DealStage if s not in CLOSED_STAGES)


def move_deal(
    *,
    actor: Any,
    deal: Deal,
    to_stage: str,
    version: int,
    note: str = "",
    price: Decimal | None = None,
    effective_on: dt.date | None = None,
    registered_on: dt.date | None = None,
    registration_number: str = "",
) -> Deal:
    """Move a deal as the table allows for the actor's side, if it is still at ``version``.

    Signing a licence needs the date the contract takes effect (the 3-month licence-filing
    limit counts from it); filing/registering needs CNIPA's date and number. Refused with the
    reason (Conflict, the attempt audited) for a move the table forbids or one the actor's
    side may not make; Conflict ``deal_changed`` when someone else changed the deal since
    ``version`` was read."""
    require_capability(actor, Capability.VIEW_DEALS)
    side = queries.side_of(actor, deal)
    if side is None:
        raise NotPermitted(_("You are not a party to this deal."))
    current, wanted = DealStage(deal.stage), _stage(to_stage)
    try:
        check_move(current, wanted, side)
    except DealMoveError as error:
        reason = error.message_zh if _zh() else error.message_en
        _refused(
            actor,
            Action.DEAL_MOVE_REFUSED,
            deal,
            {"from": current.value, "to": wanted.value, "side": side.value, "reason": reason},
        )
        raise Conflict(reason, code="move_not_allowed") from error
    if price is not None and not Decimal(0) <= price <= MAX_PRICE:
        raise InvalidInput(details={"price": [_("A price is a positive amount in CNY.")]})
    values: dict[str, Any] = {"stage": wanted.value, "version": F("version") + 1}
    values |= _contract_values(deal, wanted, effective_on, registered_on, registration_number)
    if price is not None:
        values["price"] = price
    with transaction.atomic():
        changed = Deal.objects.filter(pk=deal.pk, version=version, stage=current.value).update(
            **values, updated_at=timezone.now()
        )
        if not changed:
            raise Conflict(
                _("Someone changed this deal since you opened it. Reload it and try again."),
                code="deal_changed",
            )
        DealStageChange.objects.create(
            deal=deal,
            from_stage=current.value,
            to_stage=wanted.value,
            side=side.value,
            note=note.strip()[:500],
            changed_by=actor,
        )
        if wanted is DealStage.FILED:
            on, number = values["registered_on"], values["registration_number"]
            _record_registration(actor, deal, on, number)
        if wanted is DealStage.COMPLETED and ListingKind(deal.kind) in _CLOSES_LISTING:
            Listing.objects.filter(pk=deal.listing_id, status=ListingStatusChoices.OPEN).update(
                status=ListingStatus.CLOSED.value, updated_at=timezone.now()
            )
        record_write(
            actor=actor,
            action=Action.DEAL_MOVED,
            target=deal,
            old={"stage": current.value, "version": version, "price": deal.price},
            new={
                "stage": wanted.value,
                "side": side.value,
                "note": note,
                "price": price,
                **{k: v for k, v in values.items() if k not in ("stage", "version")},
            },
        )
        deal.refresh_from_db()
        _tell(
            deal,
            [deal.seller_id, deal.buyer_id],
            _("Deal %(number)s: %(stage)s")
            % {"number": deal.pk, "stage": deal.get_stage_display()},
            exclude=actor,
        )
    return deal


def _record_registration(actor: Any, deal: Deal, on: dt.date, number: str) -> None:
    """What CNIPA's registration changes in the corpus, inside the move's transaction: a
    transfer or capital contribution takes effect on registration (the buyer now owns the
    patents, TR01); a licence filing (许可备案) is recorded as EE01 on each patent. Both feed
    the patents' transaction count in the value scores at the next rescoring."""
    patent_ids = list(deal.items.values_list("patent_id", flat=True))
    if ListingKind(deal.kind) in _TRANSFERS:
        record_transfer(
            actor=actor, patent_ids=patent_ids, assignee=deal.buyer, on=on, number=number
        )
        return
    description = f"专利实施许可合同备案的生效 {number}"
    record_legal_events(
        actor=actor,
        events=[(pk, "EE01", on, description) for pk in patent_ids],
        reason=f"licence filing {number}",
    )


def _contract_values(
    deal: Deal,
    wanted: DealStage,
    effective_on: dt.date | None,
    registered_on: dt.date | None,
    number: str,
) -> dict[str, Any]:
    """The contract and filing facts a move records, checked: nothing is written otherwise."""
    today = timezone.localdate()
    if wanted is DealStage.CONTRACT_SIGNED:
        if effective_on is None and deal.is_licence:
            raise InvalidInput(
                details={
                    "effective_on": [
                        _(
                            "Give the date the licence contract takes effect: it must be filed "
                            "with CNIPA within 3 months of it."
                        )
                    ]
                }
            )
        return {"contract_effective_on": effective_on} if effective_on else {}
    if wanted is DealStage.FILED:
        errors: dict[str, list[str]] = {}
        if registered_on is None:
            errors["registered_on"] = [_("Give the date CNIPA filed or registered it.")]
        elif registered_on > today:
            errors["registered_on"] = [_("The filing date cannot be in the future.")]
        elif deal.contract_effective_on and registered_on < deal.contract_effective_on:
            errors["registered_on"] = [_("Filed before the contract took effect.")]
        if not number.strip():
            errors["registration_number"] = [_("Give CNIPA's filing or registration number.")]
        if errors:
            raise InvalidInput(details=errors)
        return {"registered_on": registered_on, "registration_number": number.strip()[:64]}
    return {}


def _stage(value: str) -> DealStage:
    try:
        return DealStage(value)
    except ValueError:
        raise InvalidInput(details={"to_stage": [_("No such deal stage.")]}) from None


def send_message(*, actor: Any, deal: Deal, body: str) -> DealMessage:
    """A message on a deal from one of its parties (or the bureau), the others told."""
    require_capability(actor, Capability.VIEW_DEALS)
    side = queries.side_of(actor, deal)
    if side is None:
        raise NotPermitted(_("You are not a party to this deal."))
    text = body.strip()
    if not text:
        raise InvalidInput(details={"body": [_("Write a message.")]})
    if len(text) > 5000:
        raise InvalidInput(details={"body": [_("A message holds at most 5,000 characters.")]})
    organization_id = deal.seller_id if side is DealSide.SELLER else deal.buyer_id
    with transaction.atomic():
        message = DealMessage.objects.create(
            deal=deal,
            author=actor,
            organization_id=None if side is DealSide.BUREAU else organization_id,
            body=text,
        )
        record_write(
            actor=actor,
            action=Action.DEAL_MESSAGE_SENT,
            target=TargetRef("market.deal", str(deal.pk), str(deal)),
            new={"message": message.pk, "side": side.value, "length": len(text)},
        )
        _tell(
            deal,
            [deal.seller_id, deal.buyer_id],
            _("New message on deal %(number)s") % {"number": deal.pk},
            exclude=actor,
        )
    return message


# --- deal documents --------------------------------------------------------------------------

DOCUMENT_KINDS: Final = frozenset(kind.value for kind in DocumentKind)


def upload_deal_document(
    *, actor: Any, deal: Deal, kind: str, file_name: str, content: bytes, note: str = ""
) -> DealDocument:
    """Keep a document on a deal — its contract, CNIPA's filing certificate or registration
    notice, a valuation report — uploaded by one of its parties (or their provider); the
    bureau reads them. The bytes are checked by what they are (`ipcore.uploads`), stored under
    the data directory with a name of the platform's own, and the other side is told.

    Refused with the reason, nothing written and the attempt audited
    (``market.document_refused``): anyone but a party (the bureau too), a deal withdrawn or
    failed, an unknown kind, a note over 500 characters, and a file that is empty, over
    ``MARKET_MAX_UPLOAD_BYTES``, of a type not accepted or not what its name says."""
    require_capability(actor, Capability.VIEW_DEALS)
    facts = {"kind": kind, "name": display_name(file_name), "size": len(content)}
    attempt = _Attempt(actor, deal, facts)
    side = queries.side_of(actor, deal)
    if side not in (DealSide.SELLER, DealSide.BUYER):
        raise attempt.refused(
            "not_a_party", NotPermitted(_("Only the parties to a deal may add documents to it."))
        )
    _check_deal_takes_documents(attempt, DealStage(deal.stage))
    errors: dict[str, list[str]] = {}
    if kind not in DOCUMENT_KINDS:
        errors["kind"] = [_("Choose what kind of document this is.")]
    if len(note) > MAX_NOTE_CHARS:
        errors["note"] = [_("A note has at most %(limit)s characters.") % {"limit": MAX_NOTE_CHARS}]
    if errors:
        raise attempt.refused("invalid_input", InvalidInput(details=errors))
    try:
        checked = check_upload(
            file_name, content, max_bytes=settings.MARKET_MAX_UPLOAD_BYTES, allowed=DOCUMENT_TYPES
        )
    except UploadRefused as error:
        message = error.message_zh if _zh() else error.message_en
        refusal = InvalidInput(details={"file": [message]}, code=error.reason.value)
        raise attempt.refused(error.reason.value, refusal) from None
    return _keep_document(attempt, side, DocumentKind(kind), checked, content, note.strip())


class _Attempt:
    """An upload being tried: what it was, for the audit entry of its refusal."""

    def __init__(self, actor: Any, deal: Deal, facts: dict[str, Any]) -> None:
        self.actor, self.deal, self.facts = actor, deal, facts

    def refused(self, reason: str, error: ServiceError) -> ServiceError:
        """Audit the refusal (its own transaction: the upload writes nothing) and hand back
        the error to raise."""
        messages = [str(m) for ms in error.details.values() if isinstance(ms, list) for m in ms]
        _refused(
            self.actor,
            Action.DOCUMENT_REFUSED,
            _deal_ref(self.deal),
            self.facts | {"reason": reason, "message": " ".join(messages) or str(error.message)},
        )
        return error


def _deal_ref(deal: Deal) -> TargetRef:
    return TargetRef("market.deal", str(deal.pk), str(deal))


def _check_deal_takes_documents(attempt: _Attempt, stage: DealStage) -> None:
    closed = closed_to_documents(stage)
    if closed is not None:
        reason = closed[0] if _zh() else closed[1]
        raise attempt.refused("deal_closed", Conflict(reason, code="deal_closed"))


def _keep_document(
    attempt: _Attempt,
    side: DealSide,
    kind: DocumentKind,
    checked: CheckedFile,
    content: bytes,
    note: str,
) -> DealDocument:
    """Write the checked file, then its row, audit entry and notice in one transaction; the
    file is deleted again when that transaction does not commit."""
    actor, deal = attempt.actor, attempt.deal
    digest = hashlib.sha256(content).hexdigest()
    stored_name = documents.new_name(deal, checked.extension)
    path = documents.store(stored_name, content)
    try:
        with transaction.atomic():
            # the deal's row locked: a move waits for the upload (and the reverse), so a
            # document never lands on a deal that was withdrawn meanwhile
            stage = Deal.objects.select_for_update().values_list("stage", flat=True)
            closed = closed_to_documents(DealStage(stage.get(pk=deal.pk)))
            if closed is not None:
                raise Conflict(closed[0] if _zh() else closed[1], code="deal_closed")
            document = DealDocument.objects.create(
                deal=deal,
                kind=kind.value,
                original_name=checked.name,
                file_type=checked.file_type.value,
                size=checked.size,
                sha256=digest,
                stored_name=stored_name,
                side=side.value,
                note=note,
                uploaded_by=actor,
            )
            record_write(
                actor=actor,
                action=Action.DOCUMENT_UPLOADED,
                target=_deal_ref(deal),
                new={
                    "document": document.pk,
                    "kind": kind.value,
                    "name": checked.name,
                    "file_type": checked.file_type.value,
                    "size": checked.size,
                    "sha256": digest,
                    "side": side.value,
                },
            )
            _tell(
                deal,
                [deal.buyer_id if side is DealSide.SELLER else deal.seller_id],
                _("New document on deal %(number)s: %(kind)s")
                % {"number": deal.pk, "kind": DocumentKindChoices(kind.value).label},
                exclude=actor,
            )
    except BaseException as error:
        documents.discard(path)
        if isinstance(error, Conflict):  # closed meanwhile: the attempt is audited on its own
            raise attempt.refused("deal_closed", error) from None
        raise
    return document


def _members(organization_ids: Sequence[int]) -> list[User]:
    return list(User.objects.filter(organization_id__in=organization_ids, is_active=True))


def _tell(deal: Deal, organization_ids: Sequence[int], subject: str, exclude: Any = None) -> None:
    people = [u for u in _members(organization_ids) if exclude is None or u.pk != exclude.pk]
    body = f"{deal.listing.title} · {KIND_LABELS_ZH[ListingKind(deal.kind)]}"
    if deal.price is not None:
        body += f" · {in_wan(deal.price)}"
    notify(
        recipients=people,
        subject=subject,
        body=body,
        link=reverse("market:deal_detail", args=[deal.pk]),
    )


# --- match feedback --------------------------------------------------------------------------

MAX_NOTE: Final = 500


def record_match_feedback(
    *,
    actor: Any,
    useful: bool,
    note: str = "",
    need: Need | None = None,
    listing: Listing | None = None,
    patent: Patent | None = None,
    matched_need: Need | None = None,
    entity: Entity | None = None,
) -> MatchFeedback:
    """Keep a mark — useful or not — on one match: of a need to a patent, or of a listing to
    a need or to a likely licensee (an entity). The need's or listing's organisation, its
    providers and the bureau may mark; the mark is kept for the organisation it was given for
    (the bureau's for its own)."""
    require_capability(actor, Capability.VIEW_DEALS)
    source = need or listing
    errors: dict[str, list[str]] = {}
    if (need is None) == (listing is None):
        errors["source"] = [_("Say whether the match is of a need or of a listing.")]
    matched = [m for m in (patent, matched_need, entity) if m is not None]
    if len(matched) != 1:
        errors["match"] = [_("Say which patent, need or organisation the mark is on.")]
    elif need is not None and patent is None:
        errors["match"] = [_("A need is matched to patents: mark a patent.")]
    elif listing is not None and patent is not None:
        errors["match"] = [_("A listing is matched to needs and organisations, not patents.")]
    elif (
        matched_need is not None
        and listing is not None
        and matched_need.organization_id == listing.organization_id
    ):
        errors["match"] = [_("A listing is not matched to its own organisation's needs.")]
    if len(note) > MAX_NOTE:
        errors["note"] = [_("A note has at most %(limit)s characters.") % {"limit": MAX_NOTE}]
    if errors:
        if source is not None:
            reasons = [str(m) for ms in errors.values() for m in ms]
            _refused(actor, Action.MATCH_FEEDBACK_REFUSED, source, {"reasons": reasons})
        raise InvalidInput(next(iter(errors.values()))[0], details=errors)
    assert source is not None
    viewer = viewer_of(actor)
    if not (
        getattr(actor, "is_authenticated", False)
        and viewer.may_see_private_of(source.organization_id)
    ):
        reason = _("Only the organisation, its providers and the bureau see these matches.")
        _refused(actor, Action.MATCH_FEEDBACK_REFUSED, source, {"reasons": [reason]})
        raise NotPermitted(reason)
    organization_id = (
        source.organization_id
        if source.organization_id in viewer.visible_owner_ids()
        else viewer.organization_id
    )
    if organization_id is None:
        raise NotPermitted(_("Your account belongs to no organisation."))
    with transaction.atomic():
        mark = MatchFeedback.objects.create(
            user=actor,
            organization_id=organization_id,
            need=need,
            listing=listing,
            matched_patent=patent,
            matched_need=matched_need,
            matched_entity=entity,
            useful=useful,
            note=note.strip(),
        )
        record_write(
            actor=actor,
            action=Action.MATCH_FEEDBACK,
            target=mark,
            new={
                "organization": organization_id,
                "need": need.pk if need else None,
                "listing": listing.pk if listing else None,
                "patent": patent.pk if patent else None,
                "matched_need": matched_need.pk if matched_need else None,
                "entity": entity.pk if entity else None,
                "useful": useful,
                "note": mark.note,
            },
        )
    return mark

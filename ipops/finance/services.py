"""Every write of pledges: registering one (after the refusal checks) and releasing it.
Each is one transaction with its audit entry and the CNIPA legal events on the patents;
a refused registration writes only the audit entry of the attempt, with its reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.market.money import in_wan
from ipcore.market.pledges import (
    PledgeGround,
    PledgeTerms,
    Refusal,
    may_register,
    pledge_refusals,
)
from ipops.accounts.models import Organization, User
from ipops.accounts.queries import require_capability, viewer_of
from ipops.audit.actions import Action
from ipops.audit.services import record_write
from ipops.corpus.models import Patent
from ipops.corpus.services import record_legal_events
from ipops.errors import Conflict, InvalidInput, NotPermitted
from ipops.finance import queries
from ipops.finance.models import STANDING, Pledge, PledgePatent
from ipops.notifications.services import notify
from ipops.valuation.numbers import patents_numbered

MAX_AMOUNT: Final = Decimal("99999999999999.99")
MAX_PATENTS: Final = 500


@dataclass(frozen=True)
class PledgeApplication:
    """质押登记申请 — what the pledgee and pledgor apply with."""

    pledgor: Organization
    numbers: Sequence[str]
    claim_type: str
    amount: Decimal
    debt_start: dt.date
    debt_end: dt.date
    guarantee_scope: str = ""
    valuation: str = ""
    consents: Sequence[str] = ()


@dataclass(frozen=True)
class PledgeCheck:
    patents: list[Patent]
    refusals: list[Refusal]

    @property
    def registrable(self) -> bool:
        return may_register(self.refusals)

    def reasons(self) -> list[str]:
        zh = (get_language() or "zh-hans").startswith("zh")
        return [r.message_zh if zh else r.message_en for r in self.refusals]


def check_pledge(*, actor: Any, application: PledgeApplication) -> PledgeCheck:
    """The refusal grounds a registration would meet, before registering (a read: nothing is
    written). InvalidInput for numbers that are not corpus patents."""
    require_capability(actor, Capability.VIEW_PLEDGES)
    patents = _patents(application.numbers)
    today = timezone.localdate()
    terms = PledgeTerms(application.amount, application.debt_start, application.debt_end)
    facts = queries.pledge_facts(patents, application.pledgor.pk, list(application.consents), today)
    return PledgeCheck(patents, pledge_refusals(terms, facts))


def _patents(numbers: Sequence[str]) -> list[Patent]:
    cleaned = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not cleaned:
        raise InvalidInput(details={"numbers": [_("List at least one patent number.")]})
    if len(cleaned) > MAX_PATENTS:
        raise InvalidInput(details={"numbers": [_("Too many patents for one pledge.")]})
    found = patents_numbered(cleaned)
    missing = [n for n, ids in found.items() if len(ids) != 1]
    if missing:
        raise InvalidInput(
            details={
                "numbers": [
                    _("Not in the corpus (or not one patent): %(numbers)s")
                    % {"numbers": ", ".join(missing)}
                ]
            }
        )
    ids = list(dict.fromkeys(ids[0] for ids in found.values()))
    return list(Patent.objects.filter(pk__in=ids).order_by("pk"))


def register_pledge(*, actor: Any, application: PledgeApplication) -> Pledge:
    """Register a pledge held by the actor's bank. Refused (InvalidInput with every reason,
    the attempt audited) when a ground certainly refuses it; grounds the platform cannot
    check (annual fee payments) are for the applicants to confirm and do not refuse it."""
    require_capability(actor, Capability.REGISTER_PLEDGES)
    pledgee_id = viewer_of(actor).organization_id
    if pledgee_id is None:
        raise NotPermitted(_("Only a member of a financial institution can register a pledge."))
    if application.amount > MAX_AMOUNT:
        raise InvalidInput(details={"amount": [_("The amount is too large.")]})
    check = check_pledge(actor=actor, application=application)
    if not check.registrable:
        reasons = [
            r for r, refusal in zip(check.reasons(), check.refusals, strict=True) if refusal.certain
        ]
        with transaction.atomic():
            record_write(
                actor=actor,
                action=Action.PLEDGE_REFUSED,
                target=application.pledgor,
                new={"numbers": list(application.numbers), "reasons": reasons},
            )
        raise InvalidInput(details={"numbers": reasons}, code="pledge_refused")
    today = timezone.localdate()
    with transaction.atomic():
        pledge = Pledge.objects.create(
            number=f"pending-{timezone.now().timestamp()}",
            pledgor=application.pledgor,
            pledgee_id=pledgee_id,
            claim_type=application.claim_type,
            amount=application.amount,
            debt_start=application.debt_start,
            debt_end=application.debt_end,
            guarantee_scope=application.guarantee_scope.strip(),
            valuation=application.valuation.strip()[:300],
            consents=[c.strip() for c in application.consents if c.strip()],
            registered_on=today,
            created_by=actor,
        )
        pledge.number = f"Y{today.year}{pledge.pk:08d}"
        pledge.save(update_fields=["number"])
        PledgePatent.objects.bulk_create(
            PledgePatent(pledge=pledge, patent=p) for p in check.patents
        )
        record_legal_events(
            actor=actor,
            events=[
                (p.pk, "PE01", today, f"专利权质押登记 {pledge.number}") for p in check.patents
            ],
            reason=pledge.number,
        )
        record_write(
            actor=actor,
            action=Action.PLEDGE_REGISTERED,
            target=pledge,
            new={
                "pledgor": application.pledgor.pk,
                "pledgee": pledgee_id,
                "amount": application.amount,
                "debt_term": [application.debt_start, application.debt_end],
                "patents": [p.display_number for p in check.patents],
                "unchecked": [r.ground.value for r in check.refusals],
            },
        )
        _tell(pledge, _("Pledge %(number)s registered") % {"number": pledge.number})
    return pledge


def release_pledge(*, actor: Any, pledge: Pledge, note: str = "") -> Pledge:
    """注销 — the pledgee bank (or the bureau) releases a registered pledge; PC01 on each
    patent."""
    viewer = viewer_of(actor)
    if not (viewer.sees_everything or pledge.pledgee_id == viewer.organization_id):
        raise NotPermitted(_("Only the pledgee may release a pledge."))
    today = timezone.localdate()
    with transaction.atomic():
        if not Pledge.objects.filter(pk=pledge.pk, status__in=STANDING).update(
            status=Pledge.Status.RELEASED, released_on=today
        ):
            raise Conflict(_("This pledge is already released."), code="pledge_released")
        ids = list(pledge.items.values_list("patent_id", flat=True))
        record_legal_events(
            actor=actor,
            events=[(pk, "PC01", today, f"专利权质押登记注销 {pledge.number}") for pk in ids],
            reason=pledge.number,
        )
        record_write(
            actor=actor,
            action=Action.PLEDGE_RELEASED,
            target=pledge,
            old={"status": pledge.status},
            new={"status": Pledge.Status.RELEASED, "note": note},
        )
        pledge.refresh_from_db()
        _tell(pledge, _("Pledge %(number)s released") % {"number": pledge.number})
    return pledge


_CHANGE_GROUNDS: Final = frozenset(
    {PledgeGround.BAD_AMOUNT, PledgeGround.BAD_TERM, PledgeGround.TERM_TOO_LONG}
)


def change_pledge(
    *, actor: Any, pledge: Pledge, amount: Decimal, debt_end: dt.date, note: str = ""
) -> Pledge:
    """变更 — the pledgee changes the secured amount or extends the debt term of a standing
    pledge; refused with the reasons (the attempt audited) for an amount that is not positive
    or a term past a patent's expiry. PM01 on each patent."""
    viewer = viewer_of(actor)
    if pledge.pledgee_id != viewer.organization_id:
        raise NotPermitted(_("Only the pledgee may change a pledge."))
    if amount > MAX_AMOUNT:
        raise InvalidInput(details={"amount": [_("The amount is too large.")]})
    today = timezone.localdate()
    patents = queries.patents_of(pledge)
    terms = PledgeTerms(amount, pledge.debt_start, debt_end)
    facts = queries.pledge_facts(patents, pledge.pledgor_id, pledge.consents, today)
    refusals = [
        r for r in pledge_refusals(terms, facts) if r.ground in _CHANGE_GROUNDS and r.certain
    ]
    if refusals:
        zh = (get_language() or "zh-hans").startswith("zh")
        reasons = [r.message_zh if zh else r.message_en for r in refusals]
        with transaction.atomic():
            record_write(
                actor=actor,
                action=Action.PLEDGE_CHANGE_REFUSED,
                target=pledge,
                new={"reasons": reasons},
            )
        raise InvalidInput(details={"amount": reasons}, code="pledge_change_refused")
    old = {"amount": pledge.amount, "debt_end": pledge.debt_end}
    with transaction.atomic():
        if not Pledge.objects.filter(pk=pledge.pk, status__in=STANDING).update(
            status=Pledge.Status.CHANGED, amount=amount, debt_end=debt_end, changed_on=today
        ):
            raise Conflict(_("This pledge is already released."), code="pledge_released")
        record_legal_events(
            actor=actor,
            events=[(p.pk, "PM01", today, f"专利权质押登记变更 {pledge.number}") for p in patents],
            reason=pledge.number,
        )
        record_write(
            actor=actor,
            action=Action.PLEDGE_CHANGED,
            target=pledge,
            old=old,
            new={"amount": amount, "debt_end": debt_end, "note": note},
        )
        pledge.refresh_from_db()
        _tell(pledge, _("Pledge %(number)s changed") % {"number": pledge.number})
    return pledge


def _tell(pledge: Pledge, subject: str) -> None:
    people = User.objects.filter(
        organization_id__in=[pledge.pledgor_id, pledge.pledgee_id], is_active=True
    )
    notify(
        recipients=people,
        subject=subject,
        body=f"{pledge.pledgor.name} → {pledge.pledgee.name} · {in_wan(pledge.amount)}",
        link=reverse("finance:pledge_detail", args=[pledge.pk]),
    )

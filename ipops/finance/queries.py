"""Reads of pledges, scoped to the user: the pledgee bank, the pledgor (and the provider
serving it) and the bureau see a pledge; anyone else gets a 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.fees import FeeDue, next_annual_fee
from ipcore.legal_status import PatentLife, Status, expiry_date, status_on
from ipcore.market.pledge_import import ImportFacts, KnownOrganisation, RegisteredPledge
from ipcore.market.pledge_records import PledgeRecords
from ipcore.market.pledges import PledgedPatent
from ipcore.periods import add_years
from ipops.accounts.models import Organization, name_key
from ipops.accounts.queries import require_capability, viewer_of
from ipops.corpus.lives import LifeFacts, cn_lives
from ipops.corpus.models import LegalEvent, Party, Patent
from ipops.finance.models import STANDING, Pledge, PledgePatent
from ipops.market.queries import patent_lives
from ipops.valuation.numbers import patents_numbered

# CNIPA legal events that open and close a pledge, and a preservation (财产保全)
_PLEDGE_OPEN, _PLEDGE_CLOSED = "PE01", "PC01"
_PRESERVED, _PRESERVATION_LIFTED = "PP01", "PD01"


def pledges_for(user: Any, status: str = "") -> QuerySet[Pledge]:
    require_capability(user, Capability.VIEW_PLEDGES)
    viewer = viewer_of(user)
    pledges = Pledge.objects.select_related("pledgor", "pledgee")
    if not viewer.sees_everything:
        owners = viewer.visible_owner_ids()
        pledges = pledges.filter(Q(pledgor_id__in=owners) | Q(pledgee_id__in=owners))
    return pledges.filter(status=status) if status else pledges


def pledge_for(user: Any, pledge_id: int) -> Pledge:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        return pledges_for(user).get(pk=pledge_id)
    except Pledge.DoesNotExist:
        raise Http404 from None


def patents_of(pledge: Pledge) -> list[Patent]:
    ids = list(pledge.items.values_list("patent_id", flat=True))
    return list(Patent.objects.filter(pk__in=ids).order_by("pk"))


def _open_by_events(patent_ids: Sequence[int], opens: str, closes: str) -> set[int]:
    """Patents whose latest of the two events is the opening one (a pledge or preservation
    that CNIPA's legal events show still standing)."""
    latest: dict[int, str] = {}
    for pk, code in (
        LegalEvent.objects.filter(patent_id__in=patent_ids, code__in=(opens, closes))
        .order_by("date", "id")  # the same day: the one recorded last
        .values_list("patent_id", "code")
    ):
        latest[pk] = code
    return {pk for pk, code in latest.items() if code == opens}


def pledged_patent_ids(patent_ids: Sequence[int]) -> set[int]:
    """Patents pledged now: in a registered pledge on the platform, or PE01 not yet closed."""
    on_platform = set(
        PledgePatent.objects.filter(
            patent_id__in=patent_ids, pledge__status__in=STANDING
        ).values_list("patent_id", flat=True)
    )
    return on_platform | _open_by_events(patent_ids, _PLEDGE_OPEN, _PLEDGE_CLOSED)


def _holders(
    patent_ids: Sequence[int], pledgor_id: int
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Each patent's right holders by name (owners where the source names them, otherwise its
    applicants), and which of those names resolve to the pledgor's organisation."""
    names: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    pledgors: dict[int, set[str]] = defaultdict(set)
    for pk, role, name, organization_id in Party.objects.filter(
        patent_id__in=patent_ids, role__in=("applicant", "owner")
    ).values_list("patent_id", "role", "name", "entity__organization_id"):
        names[pk][role].add(name)
        if organization_id == pledgor_id:
            pledgors[pk].add(name)
    holders = {
        pk: roles.get("owner") or roles.get("applicant", set()) for pk, roles in names.items()
    }
    return holders, pledgors


def pledge_facts(
    patents: Sequence[Patent], pledgor_id: int, consents: Sequence[str], on: dt.date
) -> list[PledgedPatent]:
    """What the refusal grounds need to know of each patent, gathered in a few queries. The
    platform has no record of annual fee payments, so that ground is "cannot tell"."""
    ids = [p.pk for p in patents]
    lives = patent_lives(patents, on)
    pledged = pledged_patent_ids(ids)
    preserved = _open_by_events(ids, _PRESERVED, _PRESERVATION_LIFTED)
    holders, pledgor_names = _holders(ids, pledgor_id)
    given = {name.strip() for name in consents if name.strip()}
    facts = []
    for patent in patents:
        # the pledgor consents by applying: its names are those that resolve to it; a patent
        # none of whose holders is the pledgor lacks every holder's consent
        owners = holders.get(patent.pk, set())
        status, expiry = lives.get(patent.pk, (None, None))
        facts.append(
            PledgedPatent(
                number=patent.display_number,
                status=status,
                expiry=expiry,
                fee_overdue=None,
                already_pledged=patent.pk in pledged,
                preserved=patent.pk in preserved,
                owners=frozenset(owners),
                consenting=frozenset(pledgor_names.get(patent.pk, set()) | given),
            )
        )
    return facts


def largest_pledge_amounts(patent_ids: Sequence[int]) -> dict[int, Decimal]:
    """The largest secured amount (CNY) of any pledge registered on the platform (standing or
    since released), by patent: the input of CNIPA's "high pledge amount" criterion."""
    amounts: dict[int, Decimal] = {}
    for start in range(0, len(patent_ids), 900):  # SQLite's bound on query parameters
        chunk = list(patent_ids[start : start + 900])
        for pk, amount in PledgePatent.objects.filter(patent_id__in=chunk).values_list(
            "patent_id", "pledge__amount"
        ):
            if pk not in amounts or amount > amounts[pk]:
                amounts[pk] = amount
    return amounts


@dataclass(frozen=True)
class RiskLine:
    """One pledged patent that needs the pledgee's attention, and why."""

    pledge: Pledge
    patent_id: int
    number: str
    status: Status | None
    expiry: dt.date | None
    fee_due: FeeDue | None
    alerts: tuple[str, ...]
    severe: bool


RISK_EXPIRY_YEARS: Final = 2  # an expiry this close is worth watching
RISK_FEE_DAYS: Final = 90  # an annual fee due this soon


def risk_panel(user: Any, on: dt.date | None = None) -> list[RiskLine]:
    """风险提示 — for each standing pledge the user may see, its patents that are no longer in
    force, expire before the debt term ends or within 2 years, have an annual fee due within
    90 days, or carry an invalidation event; severe ones first."""
    today = on or timezone.localdate()
    pledges = list(pledges_for(user).filter(status__in=STANDING).prefetch_related("items"))
    ids = sorted({item.patent_id for pledge in pledges for item in pledge.items.all()})
    patents = {p.pk: p for p in Patent.objects.filter(pk__in=ids)}
    lives = cn_lives(
        LifeFacts(
            p.pk, p.office, p.document_type, p.application_date, p.grant_date, p.publication_date
        )
        for p in patents.values()
    )
    invalidations = _events(ids, ("IP01", "IW01"))
    lines = []
    for pledge in pledges:
        for item in pledge.items.all():
            life = lives.get(item.patent_id)
            line = _risk(pledge, patents[item.patent_id], life, invalidations, today)
            if line.alerts:
                lines.append(line)
    return sorted(lines, key=lambda line: (not line.severe, line.number))


def _events(
    patent_ids: Sequence[int], codes: Sequence[str]
) -> dict[int, list[tuple[str, dt.date]]]:
    found: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for pk, code, date in LegalEvent.objects.filter(
        patent_id__in=patent_ids, code__in=codes
    ).values_list("patent_id", "code", "date"):
        found[pk].append((code, date))
    return found


def _risk(
    pledge: Pledge,
    patent: Patent,
    life: PatentLife | None,
    invalidations: dict[int, list[tuple[str, dt.date]]],
    today: dt.date,
) -> RiskLine:
    status = status_on(life, today) if life else None
    expiry = expiry_date(life) if life else None
    fee = next_annual_fee(life, today) if life else None
    alerts: list[str] = []
    severe = False
    if status is not Status.IN_FORCE:
        alerts.append(_("No longer in force (%(status)s).") % {"status": status or _("unknown")})
        severe = True
    if expiry and expiry < pledge.debt_end:
        alerts.append(_("Expires on %(date)s, before the debt term ends.") % {"date": expiry})
        severe = True
    elif expiry and expiry <= add_years(today, RISK_EXPIRY_YEARS):
        alerts.append(_("Expires on %(date)s.") % {"date": expiry})
    if fee and (fee.due_date - today).days <= RISK_FEE_DAYS:
        alerts.append(
            _("Annual fee of %(amount)s CNY due on %(date)s.")
            % {"amount": fee.amount, "date": fee.due_date}
        )
    for code, date in invalidations.get(patent.pk, []):
        alerts.append(_("Invalidation event %(code)s on %(date)s.") % {"code": code, "date": date})
        severe = severe or code == "IW01"
    return RiskLine(
        pledge, patent.pk, patent.display_number, status, expiry, fee, tuple(alerts), severe
    )


# --- importing pledge records --------------------------------------------------------------

_CHUNK: Final = 900  # SQLite's bound on query parameters, with room to spare


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[start : start + _CHUNK] for start in range(0, len(values), _CHUNK)]


def _known(organization: Organization) -> KnownOrganisation:
    return KnownOrganisation(organization.pk, organization.name, organization.uscc)


def pledge_import_facts(
    user: Any, read: PledgeRecords, pledgee: Organization | None
) -> ImportFacts:
    """What the records of a file are checked against: the organisations they name (by credit
    code or name), the corpus patents their numbers name with the patents' lives, and the
    pledges the register holds under their numbers. ``user`` None is the platform itself (an
    `ipops` command): it sees every pledge. A bank imports only the pledges it holds."""
    records = read.records
    parties = [party for r in records for party in (r.pledgor, r.pledgee)]
    usccs = sorted({party.uscc for party in parties if party.uscc})
    keys = sorted({name_key(party.name) for party in parties if party.name and not party.uscc})
    by_uscc: dict[str, KnownOrganisation] = {}
    by_name: dict[str, KnownOrganisation] = {}
    for field_name, values in (("uscc__in", usccs), ("name_key__in", keys)):
        for chunk in _chunks(values):
            for organization in Organization.objects.filter(**{field_name: chunk}):
                by_uscc[organization.uscc] = by_name[organization.name_key] = _known(organization)
    patents = patents_numbered(sorted({p.number for r in records for p in r.patents}))
    ids = sorted({found[0] for found in patents.values() if len(found) == 1})
    corpus = [p for chunk in _chunks(ids) for p in Patent.objects.filter(pk__in=chunk)]
    viewer = viewer_of(user)
    only = None
    if user is not None and not viewer.sees_everything:
        assert viewer.organization_id is not None  # finance.services: a bank's member imports
        only = _known(Organization.objects.get(pk=viewer.organization_id))
    return ImportFacts(
        by_uscc=by_uscc,
        by_name=by_name,
        name_key=name_key,
        patents=patents,
        lives=cn_lives(_life_facts(p) for p in corpus),
        patent_numbers={p.pk: p.display_number for p in corpus},
        registered=_registered([r.number for r in records], only),
        default_pledgee=_known(pledgee) if pledgee else None,
        only_pledgee=only,
    )


def _life_facts(p: Patent) -> LifeFacts:
    return LifeFacts(
        p.pk, p.office, p.document_type, p.application_date, p.grant_date, p.publication_date
    )


def _registered(
    numbers: Sequence[str], only: KnownOrganisation | None
) -> dict[str, RegisteredPledge]:
    pledges = [p for chunk in _chunks(numbers) for p in Pledge.objects.filter(number__in=chunk)]
    patent_ids: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks([p.pk for p in pledges]):
        for pledge_id, patent_id in PledgePatent.objects.filter(pledge_id__in=chunk).values_list(
            "pledge_id", "patent_id"
        ):
            patent_ids[pledge_id].add(patent_id)
    return {
        p.number: RegisteredPledge(
            number=p.number,
            pledgor_id=p.pledgor_id,
            pledgee_id=p.pledgee_id,
            claim_kind=p.claim_type,
            amount=p.amount,
            debt_start=p.debt_start,
            debt_end=p.debt_end,
            registered_on=p.registered_on,
            status=p.status,
            changed_on=p.changed_on,
            released_on=p.released_on,
            guarantee_scope=p.guarantee_scope,
            patent_ids=frozenset(patent_ids[p.pk]),
            visible=only is None or p.pledgee_id == only.id,
        )
        for p in pledges
    }

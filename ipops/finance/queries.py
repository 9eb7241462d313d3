"""Reads of pledges, scoped to the user: the pledgee bank, the pledgor (and the provider
serving it) and the bureau see a pledge; anyone else gets a 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ipcore.access import Capability
from ipcore.market.pledges import PledgedPatent
from ipops.accounts.queries import require_capability, viewer_of
from ipops.corpus.models import LegalEvent, Party, Patent
from ipops.finance.models import Pledge, PledgePatent
from ipops.market.queries import patent_lives

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
            patent_id__in=patent_ids, pledge__status=Pledge.Status.REGISTERED
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

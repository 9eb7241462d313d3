"""交易统计 from the database: the rows `ipcore.market.statistics` counts.

- deals: deals completed on the platform, dated by the move to completed, with the agreed
  price;
- licences: licence deals filed at CNIPA (许可备案: filed or completed since), dated by
  CNIPA's filing date;
- transfers: transfers and capital contributions registered at CNIPA (转让登记), dated by
  the registration date;
- pledges: pledges registered on the platform (released or changed ones too), dated by the
  registration, with the secured amount.

The dimensions are those of the patent holder's side — the seller of a deal, the pledgor of
a pledge: its district (`Organization.division_code`) and size class
(`Organization.size_class`, blank where not recorded), and the WIPO fields of the patents'
main IPC codes; the deal's kind ("pledge" for pledges). Public viewers see the totals by
month, year and kind; the breakdowns by field,
district and size need `VIEW_MARKET_BREAKDOWNS` (bureau and center).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from ipcore.access import Capability
from ipcore.market.deals import DealStage
from ipcore.market.listings import LICENCE_KINDS, ListingKind
from ipcore.market.statistics import (
    Dimension,
    Growth,
    Measure,
    Record,
    Tally,
    growth,
    tally,
    totals,
)
from ipcore.technology import technology_field
from ipops.accounts.queries import has_capability
from ipops.corpus.models import Patent
from ipops.finance.models import Pledge, PledgePatent
from ipops.market.models import Deal, DealPatent, DealStageChange

TRANSFER_KINDS = frozenset({ListingKind.TRANSFER, ListingKind.CAPITAL_CONTRIBUTION})
BREAKDOWNS = (Dimension.FIELD, Dimension.DISTRICT, Dimension.SIZE)
PERIODS = (Dimension.YEAR, Dimension.MONTH, Dimension.KIND)  # open to everyone
PLEDGE_KIND = "pledge"  # the kind key of pledges


def _fields(patent_ids: dict[int, list[int]]) -> dict[int, tuple[int, ...]]:
    """Each record's WIPO fields from its patents' main IPC codes (in patent order)."""
    wanted = {pk for ids in patent_ids.values() for pk in ids}
    codes = dict(Patent.objects.filter(pk__in=wanted).values_list("pk", "main_ipc"))
    found: dict[int, tuple[int, ...]] = {}
    for record_id, ids in patent_ids.items():
        fields = (technology_field(codes.get(pk) or "") for pk in sorted(ids))
        found[record_id] = tuple(dict.fromkeys(f.number for f in fields if f is not None))
    return found


def _patents_of(model: Any, key: str, ids: list[int]) -> dict[int, list[int]]:
    by_record: dict[int, list[int]] = defaultdict(list)
    for record_id, patent_id in model.objects.filter(**{f"{key}__in": ids}).values_list(
        key, "patent_id"
    ):
        by_record[record_id].append(patent_id)
    return by_record


def records() -> list[Record]:
    """Every completed deal, filed licence, registered transfer and registered pledge."""
    rows: list[Record] = []
    deals = list(
        Deal.objects.filter(stage__in=(DealStage.FILED, DealStage.COMPLETED)).select_related(
            "seller"
        )
    )
    completed_on = {
        deal_id: timezone.localdate(at)
        for deal_id, at in DealStageChange.objects.filter(
            deal__in=[d.pk for d in deals], to_stage=DealStage.COMPLETED
        ).values_list("deal_id", "changed_at")
    }
    deal_fields = _fields(_patents_of(DealPatent, "deal_id", [d.pk for d in deals]))
    for deal in deals:
        seller = deal.seller
        base = Record(
            Measure.DEALS,
            completed_on.get(deal.pk, dt.date.min),
            amount=deal.price,
            district=seller.division_code,
            size=seller.size_class,
            fields=deal_fields.get(deal.pk, ()),
            kind=deal.kind,
        )
        if deal.pk in completed_on:
            rows.append(base)
        if deal.registered_on is None:
            continue
        kind = ListingKind(deal.kind)
        if kind in LICENCE_KINDS:
            rows.append(replace(base, measure=Measure.LICENCES, on=deal.registered_on))
        elif kind in TRANSFER_KINDS:
            rows.append(replace(base, measure=Measure.TRANSFERS, on=deal.registered_on))
    pledges = list(Pledge.objects.select_related("pledgor"))
    pledge_fields = _fields(_patents_of(PledgePatent, "pledge_id", [p.pk for p in pledges]))
    rows.extend(
        Record(
            Measure.PLEDGES,
            pledge.registered_on,
            amount=pledge.amount,
            district=pledge.pledgor.division_code,
            size=pledge.pledgor.size_class,
            fields=pledge_fields.get(pledge.pk, ()),
            kind=PLEDGE_KIND,
        )
        for pledge in pledges
    )
    return rows


@dataclass(frozen=True)
class Statistics:
    dimension: Dimension
    table: dict[str, dict[Measure, Tally]]
    totals: dict[Measure, Tally]
    growth: dict[Measure, Growth]
    last_complete_year: int
    breakdowns: bool  # whether the viewer may break down by field, district and size


def dimensions_for(user: Any) -> tuple[Dimension, ...]:
    """The dimensions `user` may see: periods for everyone, breakdowns for bureau/center."""
    if has_capability(user, Capability.VIEW_MARKET_BREAKDOWNS):
        return PERIODS + BREAKDOWNS
    return PERIODS


def statistics_for(user: Any, dimension: Dimension, *, today: dt.date | None = None) -> Statistics:
    """The market statistics `user` may see by `dimension` (one they may not see is refused
    by the caller: ask `dimensions_for` first)."""
    allowed = dimensions_for(user)
    if dimension not in allowed:
        raise ValueError(f"dimension {dimension} not allowed")
    today = today or timezone.localdate()
    found = records()
    return Statistics(
        dimension=dimension,
        table=tally(found, dimension),
        totals=totals(found),
        growth=growth(found, last_complete_year=today.year - 1),
        last_complete_year=today.year - 1,
        breakdowns=Dimension.FIELD in allowed,
    )

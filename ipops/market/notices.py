"""公示 — public notices of completed registrations: licences filed (许可备案), transfers and
capital contributions registered (转让登记) and pledges registered (质押登记).

A notice names the patents, the kind, the parties' organisations and CNIPA's registration
date and number, as CNIPA's own announcements do — never the price, the secured amount or
any other private term: the rows are built from named columns only, so a price cannot leak
through a template.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ipcore.market.deals import DealStage
from ipcore.market.listings import LICENCE_KINDS, ListingKind
from ipops.corpus.models import Patent
from ipops.finance.models import Pledge, PledgePatent
from ipops.market.models import Deal, DealPatent, KindChoices
from ipops.market.statistics import TRANSFER_KINDS


@dataclass(frozen=True)
class Notice:
    kind: str  # "licence", "transfer" or "pledge"
    kind_label: str
    registered_on: dt.date
    number: str
    patents: tuple[str, ...]  # display numbers
    from_party: str  # licensor / transferor / pledgor
    to_party: str  # licensee / transferee / pledgee


def _numbers(model: Any, key: str, ids: list[int]) -> dict[int, tuple[str, ...]]:
    links = list(model.objects.filter(**{f"{key}__in": ids}).values_list(key, "patent_id"))
    patents = {p.pk: p for p in Patent.objects.filter(pk__in={pid for _, pid in links})}
    found: dict[int, list[str]] = defaultdict(list)
    for record_id, patent_id in sorted(links):
        found[record_id].append(patents[patent_id].display_number)
    return {k: tuple(v) for k, v in found.items()}


def notices(kind: str = "") -> list[Notice]:
    """Every completed registration, newest first; `kind` keeps one kind."""
    found: list[Notice] = []
    if kind in ("", "licence", "transfer"):
        deals = list(
            Deal.objects.filter(
                stage__in=(DealStage.FILED, DealStage.COMPLETED), registered_on__isnull=False
            ).select_related("seller", "buyer")
        )
        numbers = _numbers(DealPatent, "deal_id", [d.pk for d in deals])
        labels = dict(KindChoices.choices)
        for deal in deals:
            listing_kind = ListingKind(deal.kind)
            group = "licence" if listing_kind in LICENCE_KINDS else "transfer"
            if kind not in ("", group) or (
                group == "transfer" and listing_kind not in TRANSFER_KINDS
            ):
                continue
            assert deal.registered_on is not None
            found.append(
                Notice(
                    kind=group,
                    kind_label=str(labels[deal.kind]),
                    registered_on=deal.registered_on,
                    number=deal.registration_number,
                    patents=numbers.get(deal.pk, ()),
                    from_party=deal.seller.name,
                    to_party=deal.buyer.name,
                )
            )
    if kind in ("", "pledge"):
        pledges = list(Pledge.objects.select_related("pledgor", "pledgee"))
        numbers = _numbers(PledgePatent, "pledge_id", [p.pk for p in pledges])
        found.extend(
            Notice(
                kind="pledge",
                kind_label=_("Pledge"),
                registered_on=pledge.registered_on,
                number=pledge.number,
                patents=numbers.get(pledge.pk, ()),
                from_party=pledge.pledgor.name,
                to_party=pledge.pledgee.name,
            )
            for pledge in pledges
        )
    found.sort(key=lambda n: (n.registered_on, n.number), reverse=True)
    return found

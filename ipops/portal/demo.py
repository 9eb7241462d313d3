"""演示业务数据 — the work each demo role finds on a trial installation (`ipops loaddemo`).

The demo organisations are fictitious and the demo corpus holds real public patents, none of
them held by a Pudong firm. So that the market, pledge and portfolio pages show something, the
demo enterprise stands in for one real applicant of the corpus — Parrot, whose Chinese
invention patents on drones are granted and within term — through the same applicant link
the bureau makes (`corpus.services.link_entity`). Everything else goes through the services
people use: a licence listing and a transfer listing, a technology need, the provider's
inquiry in negotiation with messages, a pledge the demo bank registered (with its PE01), the
enterprise's portfolio, a landscape dataset and a navigation project of the provider.

Loading is idempotent: once the demo enterprise has a listing, nothing is added again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ipops.accounts.demo import demo_username
from ipops.accounts.models import User
from ipops.corpus.models import Entity
from ipops.corpus.queries import entity_ids_named

# The stand-in applicant's names as the Lens export spells them, and its patents in force.
STAND_IN_NAMES = ("PARROT", "PARROT S A")
LICENCE_NUMBERS = ("CN102771201B", "CN102844085B")
TRANSFER_NUMBERS = ("CN102298070B",)
PLEDGED_NUMBERS = ("CN102597801B",)


def load_demo_workflows() -> list[str]:
    """Add the demo scenario unless it is there; return a line for each thing added (none
    when the demo corpus or accounts are missing: `--no-corpus` loads accounts only)."""
    people = _people()
    stand_in = _stand_in_entities()
    if people is None or not stand_in:
        return []
    from ipops.market.models import Listing

    if Listing.objects.filter(organization=people["enterprise"].organization).exists():
        return []
    with transaction.atomic():
        return [
            *_link_stand_in(people, stand_in),
            *_market(people),
            *_pledge(people),
            *_portfolio(people, stand_in[0]),
            *_landscape(people),
        ]


def _people() -> dict[str, User] | None:
    keys = ("bureau", "provider", "enterprise", "bank")
    found = {u.username: u for u in User.objects.filter(username__in=map(demo_username, keys))}
    if len(found) < len(keys):
        return None
    return {key: found[demo_username(key)] for key in keys}


def _stand_in_entities() -> list[Entity]:
    ids = {pk for name in STAND_IN_NAMES for pk in entity_ids_named(name)}
    return list(Entity.objects.filter(pk__in=ids).order_by("pk"))


def _link_stand_in(people: dict[str, User], stand_in: list[Entity]) -> list[str]:
    from ipops.corpus.services import link_entity

    organization = people["enterprise"].organization
    assert organization is not None  # demo accounts belong to their demo organisation
    lines = []
    for entity in stand_in:
        if entity.organization_id is None:
            link_entity(actor=people["bureau"], entity=entity, organization=organization)
            lines.append(f"applicant {entity.name} linked to {organization.name}")
    return lines


def _market(people: dict[str, User]) -> list[str]:
    from ipops.market import services as market

    seller, buyer = people["enterprise"], people["provider"]
    licence = market.create_listing(
        actor=seller,
        kind="ordinary_licence",
        title="旋翼无人机导航与电机支架专利普通许可",
        numbers=list(LICENCE_NUMBERS),
        contact="演示企业知识产权部 021-5000 0000",
        description="两件有效发明专利：旋翼无人机电子导航卡支架、电机承载块。可按年许可。",
        terms="普通许可，许可期 3 年，可续期；提成或一次性付费均可商谈。",
        price_min=Decimal("300000"),
        price_max=Decimal("800000"),
    )
    market.create_listing(
        actor=seller,
        kind="transfer",
        title="无人机水平速度估计方法专利转让",
        numbers=list(TRANSFER_NUMBERS),
        contact="演示企业知识产权部 021-5000 0000",
        description="基于视觉的无人机水平速度估计方法，有效发明专利。",
        price_min=Decimal("1200000"),
        price_max=Decimal("1200000"),
    )
    market.create_need(
        actor=seller,
        title="无人机电池快速更换与续航管理技术",
        description="寻求多旋翼无人机电池自动更换、电量估计与续航管理的专利或技术方案，"
        "用于物流巡检无人机，可许可或转让。",
        field="无人机 / 电池管理",
        budget=Decimal("500000"),
    )
    deal = market.open_deal(
        actor=buyer,
        listing=licence,
        message="我司拟为浦东物流客户运营该技术，希望了解许可费与技术支持安排。",
    )
    deal = market.move_deal(
        actor=seller, deal=deal, to_stage="negotiation", version=deal.version, note="安排面谈"
    )
    market.send_message(
        actor=seller, deal=deal, body="可提供 3 年普通许可，一次性许可费 50 万元，含技术交底。"
    )
    market.send_message(actor=buyer, deal=deal, body="收到。请提供专利年费缴纳凭证与权利要求书。")
    return ["2 listings, 1 need, 1 deal in negotiation"]


def _pledge(people: dict[str, User]) -> list[str]:
    from ipops.finance.services import PledgeApplication, register_pledge

    today = timezone.localdate()
    pledgor = people["enterprise"].organization
    assert pledgor is not None
    pledge = register_pledge(
        actor=people["bank"],
        application=PledgeApplication(
            pledgor=pledgor,
            numbers=list(PLEDGED_NUMBERS),
            claim_type="loan",
            amount=Decimal("3000000"),
            debt_start=today,
            debt_end=today + dt.timedelta(days=2 * 365),
            guarantee_scope="主债权及利息、违约金、实现质权的费用",
            valuation="演示评估报告（收益法），评估值 800 万元",
        ),
    )
    return [f"pledge {pledge.number}"]


def _portfolio(people: dict[str, User], entity: Entity) -> list[str]:
    from ipops.valuation.services import PortfolioSource, create_portfolio

    portfolio = create_portfolio(
        actor=people["enterprise"],
        name="无人机核心专利组合",
        source=PortfolioSource(basis="owner", owner=str(entity.pk)),
        description="演示：按申请人建立的专利组合。",
    )
    return [f"portfolio {portfolio.name}"]


def _landscape(people: dict[str, User]) -> list[str]:
    """The provider's drone dataset (it needs the search index `loaddemo` has just brought up
    to date; without one the dataset is left out, said so) and its navigation project."""
    from ipops.landscape.services import create_dataset, create_project
    from ipops.search.index import IndexUnavailable

    lines = []
    try:
        dataset = create_dataset(
            actor=people["provider"], name="无人机专利", query="无人机 OR drone"
        )
    except IndexUnavailable:
        lines.append("dataset left out: no search index yet (`ipops reindex`)")
    else:
        lines.append(f"dataset {dataset.name} ({dataset.size} patents)")
    create_project(
        actor=people["provider"],
        name="浦东低空经济产业专利导航（演示）",
        kind="navigation_industry",
        client=people["enterprise"].organization,
        description="演示项目：以无人机专利数据集为基础的产业专利导航。",
    )
    return [*lines, "1 navigation project"]


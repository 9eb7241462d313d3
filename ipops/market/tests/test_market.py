"""Market services and pages: listings refused for the reasons the rules give, deals moved
only as the table allows for each side, two writers on one deal, messages only between the
parties and the bureau, notifications on each change, lapsed listings withdrawn."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ipcore.access import Role
from ipops.accounts.tests.factories import make_persona
from ipops.audit.models import AuditEntry
from ipops.corpus.models import LegalEvent
from ipops.errors import Conflict, InvalidInput, NotPermitted
from ipops.market import queries, services
from ipops.market.models import Deal, DealMessage, Listing
from ipops.market.tests.factories import granted_patent, lapse
from ipops.notifications.models import Notification

pytestmark = pytest.mark.django_db
E, P, B, K = Role.ENTERPRISE, Role.PROVIDER, Role.BUREAU, Role.BANK


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Services answer in the reader's language: these tests read the English reasons."""
    with translation.override("en"):
        yield


@pytest.fixture
def seller_patent(personas):  # type: ignore[no-untyped-def]
    return granted_patent(1, personas[E].organization)


@pytest.fixture
def buyer():  # type: ignore[no-untyped-def]
    return make_persona(Role.ENTERPRISE)


def _list(actor: Any, **changes: Any) -> Listing:
    values: dict[str, Any] = {
        "kind": "transfer",
        "title": "锂电池正极材料专利转让",
        "numbers": ["CN113700001B"],
        "contact": "张经理 021-12345678",
        "price_min": Decimal("500000"),
        "price_max": Decimal("800000"),
    }
    values.update(changes)
    return services.create_listing(actor=actor, **values)


def test_an_owner_lists_its_patent_in_force(personas, seller_patent) -> None:  # type: ignore[no-untyped-def]
    listing = _list(personas[E])
    assert listing.organization == personas[E].organization
    assert list(listing.patents.all()) == [seller_patent]
    entry = AuditEntry.objects.get(action="market.listing_created")
    assert entry.new_values["patents"] == ["CN113700001B"]
    (line,) = queries.listed_lines(queries.patents_of(listing))
    assert line.status == "in_force" and line.remaining_years and line.remaining_years > 10


def test_a_provider_lists_for_its_client_and_a_bank_may_not(personas, seller_patent) -> None:  # type: ignore[no-untyped-def]
    listing = _list(personas[P], organization=personas[E].organization)
    assert listing.organization == personas[E].organization
    with pytest.raises(NotPermitted):
        _list(personas[K], kind="ordinary_licence")


@pytest.mark.parametrize(
    ("setup", "changes", "field", "words"),
    [
        ("other_owner", {}, "numbers", "not a patent of the listing organisation"),
        ("lapsed", {}, "numbers", "lapsed"),
        ("none", {"numbers": ["CN999999999B"]}, "numbers", "Not in the corpus"),
        ("none", {"price_min": Decimal("-1")}, "price_min", "positive amount"),
        ("none", {"price_min": Decimal("9"), "price_max": Decimal("1")}, "price_max", "below"),
        ("none", {"contact": " "}, "contact", "reach you"),
    ],
)
def test_bad_listings_are_refused_with_the_reason_and_nothing_written(  # type: ignore[no-untyped-def]
    personas, seller_patent, buyer, setup, changes, field, words
) -> None:
    actor = personas[E]
    if setup == "other_owner":
        actor = buyer
    if setup == "lapsed":
        lapse(seller_patent)
    with pytest.raises(InvalidInput) as raised:
        _list(actor, **changes)
    assert words in " ".join(raised.value.details[field])
    assert not Listing.objects.exists()
    if field == "numbers" and setup != "none":  # refused by the market rules: attempt audited
        entry = AuditEntry.objects.get(action="market.listing_refused")
        assert words in " ".join(entry.new_values["reasons"])


def test_no_exclusive_licence_beside_an_open_licence(personas, seller_patent) -> None:  # type: ignore[no-untyped-def]
    _list(personas[E], kind="open_licence")
    with pytest.raises(InvalidInput) as raised:
        _list(personas[E], kind="exclusive_licence")
    assert "open licence" in raised.value.details["numbers"][0]
    assert _list(personas[E], kind="ordinary_licence").kind == "ordinary_licence"


def _deal(personas: Any, buyer: Any) -> Deal:
    listing = _list(personas[E])
    return services.open_deal(actor=buyer, listing=listing, message="请报价")


def test_a_deal_walks_to_completion_and_closes_the_transfer_listing(  # type: ignore[no-untyped-def]
    personas, seller_patent, buyer, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    personas[E].email = "seller@example.cn"
    personas[E].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        deal = _deal(personas, buyer)
    assert Notification.objects.filter(recipient=personas[E]).count() == 1
    assert [m.to for m in mailoutbox] == [["seller@example.cn"]]
    steps = [
        (personas[E], "negotiation", None),
        (buyer, "contract_signed", Decimal("650000")),
        (personas[E], "filed", None),
        (buyer, "completed", None),
    ]
    registration: dict[str, Any] = {
        "registered_on": dt.date(2025, 3, 1),
        "registration_number": "TR2025001",
    }
    for actor, stage, price in steps:
        deal = services.move_deal(
            actor=actor,
            deal=deal,
            to_stage=stage,
            version=deal.version,
            price=price,
            **(registration if stage == "filed" else {}),
        )
    assert deal.stage == "completed" and deal.version == 5 and deal.price == Decimal("650000")
    assert deal.registration_number == "TR2025001" and queries.filing_of(deal) is None
    assert Listing.objects.get().status == "closed"
    assert AuditEntry.objects.filter(action="market.deal_moved").count() == 4
    assert Notification.objects.filter(recipient=buyer).count() == 2  # seller's two moves
    assert list(deal.changes.values_list("side", flat=True)) == [
        "seller",
        "buyer",
        "seller",
        "buyer",
    ]


def test_a_move_the_side_may_not_make_is_refused_with_the_reason(  # type: ignore[no-untyped-def]
    personas, seller_patent, buyer
) -> None:
    deal = _deal(personas, buyer)
    with pytest.raises(Conflict) as raised:  # only the seller takes an inquiry up
        services.move_deal(actor=buyer, deal=deal, to_stage="negotiation", version=1)
    assert raised.value.code == "move_not_allowed"
    with pytest.raises(Conflict):  # no skipping ahead
        services.move_deal(actor=personas[E], deal=deal, to_stage="completed", version=1)
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("inquiry", 1)
    assert AuditEntry.objects.filter(action="market.deal_move_refused").count() == 2
    # the bureau may record a failure, not a withdrawal
    with pytest.raises(Conflict):
        services.move_deal(actor=personas[B], deal=deal, to_stage="withdrawn", version=1)
    assert services.move_deal(actor=personas[B], deal=deal, to_stage="failed", version=1).stage
    with pytest.raises(NotPermitted):
        services.move_deal(actor=make_persona(E), deal=deal, to_stage="withdrawn", version=2)


def test_two_writers_on_one_deal_cannot_overwrite_each_other(  # type: ignore[no-untyped-def]
    personas, seller_patent, buyer
) -> None:
    deal = _deal(personas, buyer)
    services.move_deal(actor=personas[E], deal=deal, to_stage="negotiation", version=1)
    seen_by_seller = Deal.objects.get(pk=deal.pk)  # both read version 2
    seen_by_buyer = Deal.objects.get(pk=deal.pk)
    services.move_deal(
        actor=personas[E], deal=seen_by_seller, to_stage="contract_signed", version=2
    )
    with pytest.raises(Conflict) as raised:  # the buyer acts on what it read: version 2
        services.move_deal(actor=buyer, deal=seen_by_buyer, to_stage="withdrawn", version=2)
    assert raised.value.code == "deal_changed"
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("contract_signed", 3)
    assert deal.changes.count() == 2


def test_messages_only_between_the_parties_and_the_bureau(  # type: ignore[no-untyped-def]
    personas, seller_patent, buyer, client
) -> None:
    deal = _deal(personas, buyer)
    services.send_message(actor=personas[E], deal=deal, body="报价 65 万元")
    # the seller's provider speaks for its client
    services.send_message(actor=personas[P], deal=deal, body="代理机构跟进")
    services.send_message(actor=personas[B], deal=deal, body="请按时备案")
    with pytest.raises(NotPermitted):
        services.send_message(actor=personas[K], deal=deal, body="x")
    with pytest.raises(InvalidInput):
        services.send_message(actor=buyer, deal=deal, body="   ")
    assert DealMessage.objects.filter(deal=deal).count() == 4  # the inquiry's message too
    outsider = make_persona(Role.ENTERPRISE)
    client.force_login(outsider)
    url = reverse("market:deal_message", args=[deal.pk])
    assert client.post(url, {"body": "hello"}).status_code == 404
    assert client.get(reverse("market:deal_detail", args=[deal.pk])).status_code == 404
    assert DealMessage.objects.filter(deal=deal).count() == 4
    client.force_login(personas[B])
    page = client.get(reverse("market:deal_detail", args=[deal.pk]))
    assert "代理机构跟进" in page.content.decode()


def test_listings_of_a_lapsed_patent_are_withdrawn(personas, seller_patent) -> None:  # type: ignore[no-untyped-def]
    listing = _list(personas[E])
    assert services.withdraw_lapsed_listings() == 0
    lapse(seller_patent)
    assert services.withdraw_lapsed_listings() == 1
    listing.refresh_from_db()
    assert listing.status == "lapsed" and "CN113700001B: lapsed" in listing.status_reason
    assert Notification.objects.filter(recipient=personas[E]).exists()
    assert services.withdraw_lapsed_listings() == 0


def test_pages_list_show_and_publish(personas, seller_patent, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas[E])
    response = client.post(
        reverse("market:listing_create"),
        {
            "kind": "ordinary_licence",
            "title": "锂电池许可",
            "numbers": "CN113700001B",
            "contact": "021-1234",
            "price_min": "120000",
        },
    )
    listing = Listing.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{listing.pk}/")
    client.logout()
    listing_page = client.get(reverse("market:listing_detail", args=[listing.pk])).content.decode()
    assert "CN113700001B" in listing_page and "12万元" in listing_page
    browse = client.get(reverse("market:listing_list"), {"kind": "ordinary_licence"})
    assert "锂电池许可" in browse.content.decode()
    client.force_login(personas[E])
    refused = client.post(
        reverse("market:listing_create"),
        {"kind": "transfer", "title": "x", "numbers": "CN999999999B", "contact": "y"},
    )
    assert refused.status_code == 200 and "CN999999999B" in refused.content.decode()


def test_the_command_withdraws_lapsed_listings(personas, seller_patent) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    _list(personas[E])
    lapse(seller_patent)
    out = StringIO()
    call_command("withdraw_lapsed", stdout=out)
    assert "withdrew 1 listing" in out.getvalue()
    assert Listing.objects.get().status == "lapsed"


def test_a_licence_is_filed_within_three_months_of_taking_effect(  # type: ignore[no-untyped-def]
    personas, seller_patent, buyer, client
) -> None:
    listing = _list(personas[E], kind="ordinary_licence")
    deal = services.open_deal(actor=buyer, listing=listing)
    deal = services.move_deal(actor=personas[E], deal=deal, to_stage="negotiation", version=1)
    with pytest.raises(InvalidInput) as raised:  # a licence needs its effective date
        services.move_deal(actor=buyer, deal=deal, to_stage="contract_signed", version=2)
    assert "3 months" in raised.value.details["effective_on"][0]
    deal = services.move_deal(
        actor=buyer,
        deal=deal,
        to_stage="contract_signed",
        version=2,
        effective_on=dt.date(2025, 1, 15),
    )
    line = queries.filing_of(deal, today=dt.date(2025, 4, 16))
    assert line is not None and line.due_on == dt.date(2025, 4, 15) and line.overdue
    assert queries.overdue_filings(personas[B]) == [deal]
    client.force_login(personas[E])
    assert f"#{deal.pk}" in client.get(reverse("market:deal_list")).content.decode()
    # before the contract took effect; said in Chinese, the platform's first language (this
    # module reads English otherwise)
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        services.move_deal(
            actor=personas[E],
            deal=deal,
            to_stage="filed",
            version=3,
            registered_on=dt.date(2025, 1, 1),
            registration_number="X",
        )
    assert raised.value.details["registered_on"] == ["备案日期早于合同生效日。"]
    deal = services.move_deal(
        actor=personas[E],
        deal=deal,
        to_stage="filed",
        version=3,
        registered_on=dt.date(2025, 4, 20),
        registration_number="2025310000123",
    )
    line = queries.filing_of(deal)
    assert line is not None and line.late and not line.overdue
    assert queries.overdue_filings(personas[B]) == []
    entry = AuditEntry.objects.filter(action="market.deal_moved").latest("id")
    assert entry.new_values["registration_number"] == "2025310000123"
    # the filing is on the patent as EE01, which the value scores count as a transaction
    event = LegalEvent.objects.get(patent=seller_patent, code="EE01")
    assert (event.date, event.description) == (
        dt.date(2025, 4, 20),
        "专利实施许可合同备案的生效 2025310000123",
    )
    assert AuditEntry.objects.filter(action="corpus.legal_events_recorded").exists()
    # an ordinary licence leaves its listing open for other licensees
    services.move_deal(actor=buyer, deal=deal, to_stage="completed", version=4)
    assert Listing.objects.get().status == "open"


def test_the_deal_page_says_why_a_move_was_refused(personas, seller_patent, buyer, client) -> None:  # type: ignore[no-untyped-def]
    listing = _list(personas[E], kind="ordinary_licence")
    deal = services.open_deal(actor=buyer, listing=listing)
    services.move_deal(actor=personas[E], deal=deal, to_stage="negotiation", version=1)
    client.force_login(buyer)
    url = reverse("market:deal_move", args=[deal.pk])
    page = client.post(url, {"to_stage": "contract_signed", "version": "2"}, follow=True)
    text = page.content.decode()
    assert "3 months" in text or "3 个月" in text  # the page speaks the reader's language
    signed = client.post(
        url, {"to_stage": "contract_signed", "version": "2", "effective_on": "2025-01-15"}
    )
    assert signed.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == "contract_signed" and str(deal.contract_effective_on) == "2025-01-15"


def test_a_registered_transfer_makes_the_buyer_the_owner(personas, seller_patent, buyer) -> None:  # type: ignore[no-untyped-def]
    from ipops.corpus.models import Patent

    deal = _deal(personas, buyer)
    for actor, stage in ((personas[E], "negotiation"), (buyer, "contract_signed")):
        deal = services.move_deal(actor=actor, deal=deal, to_stage=stage, version=deal.version)
    services.move_deal(
        actor=personas[E],
        deal=deal,
        to_stage="filed",
        version=deal.version,
        registered_on=dt.date(2025, 6, 3),
        registration_number="TR2025000042",
    )
    assert queries.owner_organizations([seller_patent.pk]) == {
        seller_patent.pk: {buyer.organization_id}
    }
    assert Patent.objects.get(pk=seller_patent.pk).first_owner == buyer.organization.name
    event = LegalEvent.objects.get(patent=seller_patent, code="TR01")
    assert event.date == dt.date(2025, 6, 3) and "TR2025000042" in event.description
    assert AuditEntry.objects.filter(action="corpus.transfer_recorded").count() == 1
    # the buyer may now offer it, the seller no longer
    assert _list(buyer, kind="ordinary_licence").organization_id == buyer.organization_id
    with pytest.raises(InvalidInput):
        _list(personas[E], kind="sole_licence")


def test_list_and_deal_pages_cost_the_same_queries_for_more_rows(  # type: ignore[no-untyped-def]
    personas, buyer, client
) -> None:
    """Query counts are a contract: more listings, patents or deals add no queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get(url).status_code == 200
        return len(queries_run)

    for serial in (1, 2, 3):
        granted_patent(serial, personas[E].organization)
    first = _list(personas[E], numbers=["CN113700001B"])
    deal = services.open_deal(actor=buyer, listing=first, message="一")
    client.force_login(buyer)
    pages = [
        reverse("market:listing_list"),
        reverse("market:listing_detail", args=[first.pk]),
        reverse("market:deal_list"),
    ]
    few = [counted(url) for url in pages]
    few_deal = counted(reverse("market:deal_detail", args=[deal.pk]))
    more = _list(personas[E], kind="ordinary_licence", numbers=["CN113700002B", "CN113700003B"])
    services.open_deal(actor=buyer, listing=more, message="二")
    services.send_message(actor=buyer, deal=deal, body="三")
    pages[1] = reverse("market:listing_detail", args=[more.pk])
    assert [counted(url) for url in pages] == few
    assert counted(reverse("market:deal_detail", args=[deal.pk])) == few_deal

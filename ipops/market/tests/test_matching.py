"""Matching on real-shaped corpus patents: a need finds the listed patent and other patents in
force (not the lapsed one) with the shared words as its reason; a listing finds the needs
sharing its words and the organisations filing in its IPC fields (not its owner); marks are
kept, audited, shown on the list and only for the need's or listing's side and the bureau."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from ipcore.access import Role
from ipops.accounts.tests.factories import make_persona
from ipops.audit.models import AuditEntry
from ipops.corpus.models import Entity, Party
from ipops.errors import InvalidInput, NotPermitted
from ipops.market import matching, services
from ipops.market.models import MatchFeedback
from ipops.market.tests.factories import granted_patent, lapse
from ipops.search.services import apply_pending_changes

pytestmark = pytest.mark.django_db
E, P, B, K = Role.ENTERPRISE, Role.PROVIDER, Role.BUREAU, Role.BANK


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def market(personas):  # type: ignore[no-untyped-def]
    """The enterprise's need; another seller's listing of patent 1; patent 2 in force and
    unlisted, patent 3 lapsed, both filed by a third company in the same IPC main group."""
    seller = make_persona(E)
    listed = granted_patent(1, seller.organization)
    listing = services.create_listing(
        actor=seller, kind="transfer", title="正极材料专利转让", numbers=[listed.display_number],
        contact="021-1234",
    )  # fmt: skip
    third = Entity.objects.create(key="third", name="深圳某电池有限公司")
    unlisted, lapsed = granted_patent(2), granted_patent(3)
    Party.objects.filter(patent__in=[unlisted, lapsed], role="applicant").update(entity=third)
    lapse(lapsed)
    apply_pending_changes()
    need = services.create_need(
        actor=personas[E], title="锂电池正极材料", description="需要一种锂电池正极材料及其制备方法"
    )
    return {
        "seller": seller, "listing": listing, "listed": listed, "unlisted": unlisted,
        "lapsed": lapsed, "third": third, "need": need,
    }  # fmt: skip


def test_a_need_finds_listed_and_other_patents_in_force_with_reasons(personas, market) -> None:  # type: ignore[no-untyped-def]
    found = matching.matches_for_need(personas[E], market["need"])
    assert [m.patent_id for m in found.listed] == [market["listed"].pk]
    top = found.listed[0]
    assert top.listings == (market["listing"],)
    assert {"锂电", "正极", "材料"} <= set(top.reason.terms)
    assert top.reason.in_force and top.reason.fields == ("H01M 4/00", "H01M 10/00")
    assert any(f.hit for passage in top.passages for f in passage.fragments)
    others = [m.patent_id for m in found.patents]
    assert market["unlisted"].pk in others
    assert market["lapsed"].pk not in others  # not in force
    assert market["listed"].pk not in others  # shown with its listing
    assert found.notes  # no vector index here: said, matched by words


def test_a_need_shares_nothing_with_unrelated_text(personas, market) -> None:  # type: ignore[no-untyped-def]
    need = services.create_need(actor=personas[E], title="无人机", description="无人机避障飞控")
    found = matching.matches_for_need(personas[E], need)
    assert found.listed == [] and found.patents == []


def test_a_listing_finds_needs_and_likely_licensees_not_its_owner(personas, market) -> None:  # type: ignore[no-untyped-def]
    unrelated = services.create_need(actor=personas[E], title="无人机", description="无人机避障")
    found = matching.matches_for_listing(market["seller"], market["listing"])
    assert [m.need for m in found.needs] == [market["need"]]
    assert unrelated not in [m.need for m in found.needs]
    assert "正极" in found.needs[0].reason.terms
    assert found.main_groups == ("H01M 10/00", "H01M 4/00") and found.subclasses == ("H01M",)
    names = [m.licensee.name for m in found.licensees]
    assert names == ["深圳某电池有限公司"]  # the seller's own entity left out
    licensee = found.licensees[0].licensee
    assert (licensee.in_main_groups, licensee.in_subclasses) == (2, 2)


@pytest.mark.parametrize("role", [E, P, B])
def test_the_side_and_the_bureau_see_matches(personas, market, role) -> None:  # type: ignore[no-untyped-def]
    assert matching.matches_for_need(personas[role], market["need"]).listed


@pytest.mark.parametrize("role", [K, Role.CENTER])
def test_anyone_else_gets_a_404(personas, market, role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Http404):
        matching.matches_for_need(personas[role], market["need"])
    with pytest.raises(Http404):
        matching.matches_for_listing(make_persona(E), market["listing"])


def test_a_mark_is_kept_audited_and_shown(personas, market) -> None:  # type: ignore[no-untyped-def]
    need, listed = market["need"], market["listed"]
    services.record_match_feedback(actor=personas[E], need=need, patent=listed, useful=False)
    mark = services.record_match_feedback(
        actor=personas[P], need=need, patent=listed, useful=True, note="值得联系"
    )
    assert mark.organization == need.organization  # the provider marks for its client
    entry = AuditEntry.objects.filter(action="market.match_feedback").latest("id")
    assert entry.new_values["useful"] is True and entry.new_values["patent"] == listed.pk
    assert MatchFeedback.objects.filter(need=need).count() == 2  # history kept
    shown = matching.matches_for_need(personas[E], need).listed[0].feedback
    assert shown == mark
    bureau = services.record_match_feedback(
        actor=personas[B], listing=market["listing"], entity=market["third"], useful=True
    )
    assert bureau.organization_id == personas[B].organization_id
    found = matching.matches_for_listing(market["seller"], market["listing"])
    assert found.licensees[0].feedback == bureau


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "match"),
        ({"listing": "listing"}, "source"),
        ({"patent": "listed", "note": "x" * 501}, "note"),
        ({"matched_need": "need"}, "match"),
    ],
)
def test_bad_marks_are_refused_with_the_reason_and_nothing_written(  # type: ignore[no-untyped-def]
    personas, market, changes, field
) -> None:
    kwargs: dict[str, Any] = {k: market.get(v, v) for k, v in changes.items()}
    with pytest.raises(InvalidInput) as refused:
        services.record_match_feedback(
            actor=personas[E], need=market["need"], useful=True, **kwargs
        )
    assert field in refused.value.details
    assert not MatchFeedback.objects.exists()
    attempt = AuditEntry.objects.filter(action="market.match_feedback_refused").get()
    assert refused.value.details[field][0] in attempt.new_values["reasons"]


def test_someone_else_may_not_mark(personas, market) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.record_match_feedback(
            actor=make_persona(E), need=market["need"], patent=market["listed"], useful=True
        )
    assert not MatchFeedback.objects.exists()
    assert AuditEntry.objects.filter(action="market.match_feedback_refused").count() == 1


def test_pages_show_matches_and_take_a_mark(personas, market, client) -> None:  # type: ignore[no-untyped-def]
    need = market["need"]
    client.force_login(personas[E])
    client.cookies["django_language"] = "en"  # the messages below in English (Chinese first)
    page = client.get(reverse("market:need_detail", args=[need.pk])).content.decode()
    assert reverse("market:need_matches", args=[need.pk]) in page
    partial = client.get(reverse("market:need_matches", args=[need.pk]), HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert market["listed"].display_number in text and "<mark>" in text
    assert "<html" not in text
    url = reverse("market:need_feedback", args=[need.pk])
    posted = {"kind": "patent", "target": market["listed"].pk, "useful": "yes"}
    marked = client.post(url, posted, HTTP_HX_REQUEST="true")
    assert marked.status_code == 200 and "Marked useful" in marked.content.decode()
    refused = client.post(url, {**posted, "target": "x"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "Say which match" in refused.content.decode()
    assert MatchFeedback.objects.count() == 1
    listing = market["listing"]
    client.force_login(market["seller"])
    text = client.get(reverse("market:listing_matches", args=[listing.pk])).content.decode()
    assert "深圳某电池有限公司" in text and need.title in text
    client.force_login(make_persona(E))
    assert client.get(reverse("market:listing_matches", args=[listing.pk])).status_code == 404
    assert client.post(url, posted).status_code == 404
    page = client.get(reverse("market:need_detail", args=[need.pk])).content.decode()
    assert reverse("market:need_matches", args=[need.pk]) not in page


def test_the_api_gives_matches_and_takes_a_mark(personas, market, client) -> None:  # type: ignore[no-untyped-def]
    need, listed = market["need"], market["listed"]
    client.force_login(personas[P])
    found = client.get(f"/api/market/needs/{need.pk}/matches").json()
    assert [row["patent_id"] for row in found["listed"]] == [listed.pk]
    assert "正极" in found["listed"][0]["reason"]["terms"]
    body = {"need_id": need.pk, "patent_id": listed.pk, "useful": False, "note": "已有同类"}
    marked = client.post("/api/market/matches/feedback", body, content_type="application/json")
    assert marked.status_code == 201 and marked.json()["useful"] is False
    again = client.get(f"/api/market/needs/{need.pk}/matches").json()
    assert again["listed"][0]["mark"]["note"] == "已有同类"
    wrong = {"need_id": need.pk, "entity_id": market["third"].pk, "useful": True}
    refused = client.post("/api/market/matches/feedback", wrong, content_type="application/json")
    assert refused.status_code == 422 and MatchFeedback.objects.count() == 1
    client.force_login(market["seller"])
    listing = client.get(f"/api/market/listings/{market['listing'].pk}/matches").json()
    assert [row["need_id"] for row in listing["needs"]] == [need.pk]
    assert listing["licensees"][0]["name"] == "深圳某电池有限公司"
    client.force_login(make_persona(E))
    assert client.get(f"/api/market/needs/{need.pk}/matches").status_code == 404
    assert (
        client.post(
            "/api/market/matches/feedback", body, content_type="application/json"
        ).status_code
        == 404
    )


def test_matches_cost_the_same_queries_for_more_listings_and_marks(personas, market) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    need, listing = market["need"], market["listing"]

    def cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as for_need:
            matching.matches_for_need(personas[E], need)
        with CaptureQueriesContext(connection) as for_listing:
            matching.matches_for_listing(market["seller"], listing)
        return len(for_need), len(for_listing)

    before = cost()
    for serial in (4, 5, 6):
        seller = make_persona(E)
        patent = granted_patent(serial, seller.organization)
        services.create_listing(
            actor=seller, kind="transfer", title=f"转让{serial}", numbers=[patent.display_number],
            contact="021",
        )  # fmt: skip
        services.create_need(actor=seller, title=f"正极材料{serial}", description="锂电池正极")
        services.record_match_feedback(actor=personas[E], need=need, patent=patent, useful=True)
    apply_pending_changes()
    assert len(matching.matches_for_need(personas[E], need).listed) == 4
    assert len(matching.matches_for_listing(market["seller"], listing).needs) == 4
    assert cost() == before

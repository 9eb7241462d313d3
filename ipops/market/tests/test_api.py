"""The market over the JSON API: the same rules and refusals as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ipcore.access import Role
from ipops.accounts.tests.factories import make_persona
from ipops.market.models import Listing
from ipops.market.tests.factories import granted_patent

pytestmark = pytest.mark.django_db


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_list_inquire_move_and_talk_over_the_api(personas, client) -> None:  # type: ignore[no-untyped-def]
    seller = personas[Role.ENTERPRISE]
    granted_patent(1, seller.organization)
    granted_patent(2)  # nobody's on the platform
    client.force_login(seller)
    listing = {"kind": "transfer", "title": "转让", "contact": "021", "price_min": "500000"}
    refused = _post(client, "/api/market/listings", listing | {"numbers": ["CN113700002B"]})
    assert refused.status_code == 422  # in the reader's language: Chinese first
    assert "CN113700002B 的专利权人不是挂牌机构" in refused.json()["details"]["numbers"][0]
    assert not Listing.objects.exists()
    created = _post(client, "/api/market/listings", listing | {"numbers": ["CN113700001B"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["patents"][0]["status"] == "in_force" and body["patents"][0]["remaining_years"]

    buyer = make_persona(Role.ENTERPRISE)
    client.force_login(buyer)
    deal = _post(client, "/api/market/deals", {"listing_id": body["id"], "message": "请报价"})
    assert deal.status_code == 201
    deal_id = deal.json()["id"]
    assert deal.json()["side"] == "buyer" and deal.json()["next_stages"] == ["withdrawn", "failed"]
    refused_move = _post(
        client, f"/api/market/deals/{deal_id}/move", {"to_stage": "negotiation", "version": 1}
    )
    assert refused_move.status_code == 409 and refused_move.json()["code"] == "move_not_allowed"

    client.force_login(seller)
    moved = _post(
        client, f"/api/market/deals/{deal_id}/move", {"to_stage": "negotiation", "version": 1}
    )
    assert moved.status_code == 200 and moved.json()["version"] == 2
    stale = _post(client, f"/api/market/deals/{deal_id}/move", {"to_stage": "failed", "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "deal_changed"
    said = _post(client, f"/api/market/deals/{deal_id}/messages", {"body": "报价 60 万元"})
    assert [m["body"] for m in said.json()["messages"]] == ["请报价", "报价 60 万元"]

    client.force_login(make_persona(Role.ENTERPRISE))  # no party
    outsider = _post(client, f"/api/market/deals/{deal_id}/messages", {"body": "hi"})
    assert outsider.status_code == 404
    assert client.get(f"/api/market/deals/{deal_id}").status_code == 404

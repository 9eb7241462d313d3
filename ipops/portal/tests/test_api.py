"""The JSON API end to end: tokens, errors as `{code, message, details}`, and scoping."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from ipcore.access import Role
from ipops import __version__
from ipops.accounts import services
from ipops.accounts.models import Organization
from ipops.accounts.tests.factories import valid_uscc
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry

B, P, E, K = Role.BUREAU, Role.PROVIDER, Role.ENTERPRISE, Role.BANK


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def new_organization(serial: int, name: str = "上海接口测试有限公司") -> dict[str, str]:
    return {
        "name": name,
        "kind": "enterprise",
        "uscc": valid_uscc(serial),
        "division_code": "310115",
        "size_class": "small",
    }


@pytest.fixture
def bureau_token(personas) -> str:  # type: ignore[no-untyped-def]
    _token, secret = services.create_api_token(actor=personas[B], name="tests")
    return secret


def post_json(client: Client, path: str, body: dict[str, Any], **headers: str):  # type: ignore[no-untyped-def]
    return client.post(path, body, content_type="application/json", headers=headers)


# --- tokens ---------------------------------------------------------------------------------


def test_a_token_made_in_a_session_works_until_it_is_revoked(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    created = post_json(client_for(K), "/api/tokens", {"name": "nightly"})
    secret, token_id = created.json()["secret"], created.json()["id"]
    script = Client()

    me = script.get("/api/me", headers=bearer(secret))
    revoked = script.delete(f"/api/tokens/{token_id}", headers=bearer(secret))
    after = script.get("/api/me", headers=bearer(secret))

    assert created.status_code == 201
    assert secret.startswith("ipops_")
    assert me.json()["account"]["username"] == personas[K].username
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_token"


def test_the_secret_is_shown_once(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(K)
    post_json(client, "/api/tokens", {"name": "nightly"})

    (listed,) = client.get("/api/tokens").json()

    assert "secret" not in listed
    assert listed["prefix"].startswith("ipops_")


def test_an_unknown_token_is_refused(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/me", headers=bearer("ipops_not-a-real-token"))

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_a_deactivated_accounts_token_is_refused(client, personas, bureau_token) -> None:  # type: ignore[no-untyped-def]
    services.set_user_active(actor=None, account=personas[B], active=False)

    response = client.get("/api/me", headers=bearer(bureau_token))

    assert response.json()["code"] == "invalid_token"


def test_no_credentials_is_unauthenticated(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/me")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_an_expired_session_cookie_says_so(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(K)
    Session.objects.all().delete()

    response = client.get("/api/me")

    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"


def test_a_session_write_without_the_csrf_token_is_refused_as_json(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas[B])

    response = post_json(client, "/api/organizations", new_organization(600_001))

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert response.json()["message"].startswith("CSRF 校验失败")
    assert not Organization.objects.filter(name="上海接口测试有限公司").exists()


def test_a_session_write_with_the_csrf_token_goes_through(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas[B])
    client.get("/accounts/profile/")  # the page that sets the CSRF cookie

    response = post_json(
        client,
        "/api/tokens",
        {"name": "from the browser"},
        x_csrftoken=client.cookies["csrftoken"].value,
    )

    assert response.status_code == 201


def test_a_token_write_needs_no_csrf_token(personas, bureau_token) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)

    response = post_json(
        client, "/api/organizations", new_organization(600_002), **bearer(bureau_token)
    )

    assert response.status_code == 201


# --- organisations --------------------------------------------------------------------------


def test_bureau_registers_an_organisation_and_it_is_audited(client, personas, bureau_token) -> None:  # type: ignore[no-untyped-def]
    response = post_json(
        client,
        "/api/organizations",
        new_organization(600_003),
        **bearer(bureau_token),
        x_request_id="api-request-0001",
    )

    body = response.json()
    entry = AuditEntry.objects.get(action=Action.ORGANIZATION_CREATED, target_id=str(body["id"]))
    assert response.status_code == 201
    assert (body["uscc"], body["role"], body["division_label"]) == (
        valid_uscc(600_003),
        "enterprise",
        "上海市浦东新区",
    )
    assert entry.actor == personas[B]
    assert entry.request_id == "api-request-0001"


def test_a_wrong_check_character_is_422_on_the_uscc_field(client, bureau_token) -> None:  # type: ignore[no-untyped-def]
    code = valid_uscc(600_004)
    payload = new_organization(600_004) | {"uscc": code[:17] + ("1" if code[17] != "1" else "2")}

    response = post_json(client, "/api/organizations", payload, **bearer(bureau_token))

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["details"]) == ["uscc"]
    assert not Organization.objects.filter(name=payload["name"]).exists()


def test_a_duplicate_is_409_conflict(client, personas, bureau_token) -> None:  # type: ignore[no-untyped-def]
    existing = personas[K].organization
    payload = new_organization(600_005) | {"uscc": existing.uscc.lower()}

    response = post_json(client, "/api/organizations", payload, **bearer(bureau_token))

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert list(response.json()["details"]) == ["uscc"]


def test_an_enterprise_may_not_register_organisations(client_for) -> None:  # type: ignore[no-untyped-def]
    response = post_json(client_for(E), "/api/organizations", new_organization(600_006))

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Organization.objects.filter(name="上海接口测试有限公司").exists()


def test_an_enterprise_may_not_edit_its_own_organisation(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    own = personas[E].organization

    response = client_for(E).patch(
        f"/api/organizations/{own.pk}", {"address": "改了"}, content_type="application/json"
    )

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.address == ""


def test_a_patch_changes_only_what_it_names(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    target = personas[K].organization

    response = client_for(B).patch(
        f"/api/organizations/{target.pk}", {"address": "陆家嘴"}, content_type="application/json"
    )

    entry = AuditEntry.objects.get(action=Action.ORGANIZATION_UPDATED)
    assert response.json()["address"] == "陆家嘴"
    assert response.json()["name"] == target.name
    assert (entry.old_values, entry.new_values) == ({"address": ""}, {"address": "陆家嘴"})


def test_bureau_opens_an_account_in_an_organisation(client, personas, bureau_token) -> None:  # type: ignore[no-untyped-def]
    bank = personas[K].organization
    payload = {"username": "teller", "password": "a-long-teller-passphrase"}

    response = post_json(
        client, f"/api/organizations/{bank.pk}/accounts", payload, **bearer(bureau_token)
    )

    assert response.status_code == 201
    assert (response.json()["role"], response.json()["organization_id"]) == ("bank", bank.pk)
    assert AuditEntry.objects.filter(action=Action.USER_CREATED, target_label="teller").exists()


def test_a_bank_may_not_open_accounts_even_in_its_own_organisation(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    bank = personas[K].organization
    payload = {"username": "teller", "password": "a-long-teller-passphrase"}

    response = post_json(client_for(K), f"/api/organizations/{bank.pk}/accounts", payload)

    assert response.status_code == 403
    assert not bank.members.filter(username="teller").exists()


def test_an_unknown_query_field_is_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get("/api/organizations", {"knid": "bank"})

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_query_field"
    assert "knid" in response.json()["details"]


def test_pagination_fields_are_known_query_fields(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get("/api/organizations", {"kind": "bank", "limit": 1, "offset": 0})

    assert response.status_code == 200
    assert [item["kind"] for item in response.json()["items"]] == ["bank"]


# --- platform -------------------------------------------------------------------------------


def test_an_unknown_api_path_is_a_json_404(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/nope")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_the_schema_names_the_version_and_the_paths(client, db) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/openapi.json").json()

    assert schema["info"]["version"] == __version__
    assert {"/api/me", "/api/organizations", "/api/tokens", "/api/audit/entries"} <= set(
        schema["paths"]
    )


def test_api_messages_follow_accept_language(client, db) -> None:  # type: ignore[no-untyped-def]
    english = client.get("/api/me", headers={"accept-language": "en"}).json()
    chinese = client.get("/api/me").json()

    assert english["message"] == "Authentication required: send a bearer token."
    assert chinese["message"] == "需要身份认证：请发送 Bearer 令牌。"


def test_a_body_that_is_not_json_is_a_400_in_the_error_shape(client, bureau_token) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/tokens", "{not json", content_type="application/json", headers=bearer(bureau_token)
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


# (method, path, body, whose credentials, expected status)
ERRORS: list[tuple[str, str, str, str, int]] = [
    ("get", "/api/me", "", "none", 401),
    ("get", "/api/me", "", "unknown token", 401),
    ("get", "/api/nope", "", "none", 404),
    ("get", "/api/organizations?knid=bank", "", "bureau", 422),
    ("get", "/api/organizations/999999999", "", "bureau", 404),
    ("post", "/api/organizations", "{}", "bureau", 422),
    ("post", "/api/organizations", "{not json", "bureau", 400),
    ("post", "/api/organizations", json.dumps(new_organization(600_010)), "enterprise", 403),
    ("post", "/api/tokens", '{"name": ""}', "bureau", 422),
    ("get", "/api/audit/entries?since=not-a-date", "", "bureau", 422),
    ("get", "/api/audit/entries?until=2026-01-01&since=2026-02-01", "", "bureau", 422),
    ("get", "/api/audit/entries", "", "enterprise", 403),
]


@pytest.fixture
def credentials(personas, bureau_token) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    _token, enterprise = services.create_api_token(actor=personas[E], name="tests")
    return {
        "none": {},
        "unknown token": bearer("ipops_unknown"),
        "bureau": bearer(bureau_token),
        "enterprise": bearer(enterprise),
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "who", "status"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[3]}") for case in ERRORS],
)
def test_every_error_body_is_code_message_details(
    client: Client,
    credentials: dict[str, dict[str, str]],
    method: str,
    path: str,
    body: str,
    who: str,
    status: int,
) -> None:
    response = getattr(client, method)(
        path, body, content_type="application/json", headers=credentials[who]
    )

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["message"]


# --- the same scoping as the pages ----------------------------------------------------------


def api_ids(client: Client) -> set[int]:
    return {item["id"] for item in client.get("/api/organizations").json()["items"]}


def page_ids(client: Client) -> set[int]:
    return {o.pk for o in client.get("/accounts/organizations/").context["page"].object_list}


def test_an_enterprise_lists_only_its_own_organisation(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    assert api_ids(client_for(E)) == {personas[E].organization_id}


@pytest.mark.parametrize("role", [B, P], ids=lambda role: role.value)
def test_the_api_lists_what_the_page_lists(client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)

    assert api_ids(client) == page_ids(client)


def test_a_provider_lists_itself_and_its_client(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    expected = {personas[P].organization_id, personas[E].organization_id}

    assert api_ids(client_for(P)) == expected


def test_an_organisation_out_of_scope_is_404_not_403(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    response = client_for(E).get(f"/api/organizations/{personas[K].organization_id}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_api_searches_like_the_page(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(B)
    wanted = personas[K].organization

    by_api = client.get("/api/organizations", {"q": wanted.uscc.lower()}).json()["items"]
    by_page = client.get("/accounts/organizations/", {"q": wanted.uscc.lower()})

    assert [item["id"] for item in by_api] == [wanted.pk]
    assert [o.pk for o in by_page.context["page"].object_list] == [wanted.pk]


def test_a_search_stays_inside_the_scope(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    outsider = personas[K].organization

    response = client_for(P).get("/api/organizations", {"q": outsider.uscc})

    assert response.json()["items"] == []


def test_a_wrong_method_answers_json_with_the_allowed_methods(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.BUREAU).put("/api/me")
    assert response.status_code == 405
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert set(body) == {"code", "message", "details"}
    assert "GET" in response["Allow"]

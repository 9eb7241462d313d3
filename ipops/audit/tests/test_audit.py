"""The audit log: one entry per write, in the write's transaction, and never rewritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ipcore.access import OrganizationKind, Role
from ipops.accounts import services
from ipops.accounts.models import Engagement, Organization, User
from ipops.accounts.tests.factories import PASSWORD, make_organization, valid_uscc
from ipops.audit.actions import Action
from ipops.audit.context import request_id_scope
from ipops.audit.models import AuditEntry
from ipops.audit.services import record_write
from ipops.errors import Conflict

B, E, K, P = Role.BUREAU, Role.ENTERPRISE, Role.BANK, Role.PROVIDER
REQUEST_ID = "test-request-0001"
NEW_PASSWORD = "a-brand-new-passphrase"

People = dict[Role, User]


def _create_organization(people: People) -> tuple[User | None, Any]:
    organization = services.create_organization(
        actor=people[B],
        name="上海审计测试有限公司",
        kind="enterprise",
        uscc=valid_uscc(800_001),
        division_code="310115",
    )
    return people[B], organization


def _update_organization(people: People) -> tuple[User | None, Any]:
    organization = people[K].organization
    assert organization is not None
    services.update_organization(actor=people[B], organization=organization, address="银城中路")
    return people[B], organization


def _start_engagement(people: People) -> tuple[User | None, Any]:
    provider = make_organization(OrganizationKind.AGENCY)
    client = people[K].organization
    assert client is not None
    return people[B], services.start_engagement(
        actor=people[B], provider=provider, client=client, kind="agency"
    )


def _end_engagement(people: People) -> tuple[User | None, Any]:
    engagement = Engagement.objects.get()
    return people[B], services.end_engagement(actor=people[B], engagement=engagement)


def _create_user(people: People) -> tuple[User | None, Any]:
    return people[B], services.create_user(
        actor=people[B], username="auditee", password=PASSWORD, organization=people[K].organization
    )


def _deactivate_user(people: People) -> tuple[User | None, Any]:
    return people[B], services.set_user_active(actor=people[B], account=people[K], active=False)


def _change_password(people: People) -> tuple[User | None, Any]:
    services.change_password(actor=people[K], old_password=PASSWORD, new_password=NEW_PASSWORD)
    return people[K], people[K]


def _reset_password(people: People) -> tuple[User | None, Any]:
    token = default_token_generator.make_token(people[K])
    services.reset_password(account=people[K], token=token, new_password=NEW_PASSWORD)
    return None, people[K]


def _create_token(people: People) -> tuple[User | None, Any]:
    token, _secret = services.create_api_token(actor=people[K], name="export")
    return people[K], token


def _revoke_token(people: People) -> tuple[User | None, Any]:
    token, _secret = services.create_api_token(actor=people[K], name="export")
    return people[K], services.revoke_api_token(actor=people[K], token=token)


Write = Callable[[People], tuple[User | None, Any]]
WRITES: list[tuple[Write, Action]] = [
    (_create_organization, Action.ORGANIZATION_CREATED),
    (_update_organization, Action.ORGANIZATION_UPDATED),
    (_start_engagement, Action.ENGAGEMENT_CREATED),
    (_end_engagement, Action.ENGAGEMENT_ENDED),
    (_create_user, Action.USER_CREATED),
    (_deactivate_user, Action.USER_DEACTIVATED),
    (_change_password, Action.PASSWORD_CHANGED),
    (_reset_password, Action.PASSWORD_RESET),
    (_create_token, Action.TOKEN_CREATED),
    (_revoke_token, Action.TOKEN_REVOKED),
]


@pytest.mark.parametrize(
    ("write", "action"), [pytest.param(w, a, id=w.__name__.lstrip("_")) for w, a in WRITES]
)
def test_every_service_write_leaves_one_entry(personas, write: Write, action: Action) -> None:  # type: ignore[no-untyped-def]
    before = AuditEntry.objects.filter(action=action).count()

    with request_id_scope(REQUEST_ID), transaction.atomic():
        actor, target = write(personas)

    entry = AuditEntry.objects.filter(action=action).latest("id")
    assert AuditEntry.objects.filter(action=action).count() == before + 1
    assert entry.actor == actor
    assert entry.actor_label == (actor.username if actor else "anonymous")
    assert (entry.target_type, entry.target_id) == (target._meta.label_lower, str(target.pk))
    assert entry.request_id == REQUEST_ID


def test_an_entry_holds_the_old_and_new_values(personas) -> None:  # type: ignore[no-untyped-def]
    _update_organization(personas)

    entry = AuditEntry.objects.get(action=Action.ORGANIZATION_UPDATED)
    assert (entry.old_values, entry.new_values) == ({"address": ""}, {"address": "银城中路"})
    assert entry.actor_organization_id == personas[B].organization_id


def test_a_refused_write_leaves_no_entry(personas) -> None:  # type: ignore[no-untyped-def]
    before = AuditEntry.objects.count()

    with pytest.raises(Conflict):
        services.create_organization(
            actor=personas[B],
            name=str(personas[K].organization),
            kind="bank",
            uscc=valid_uscc(800_002),
            division_code="310115",
        )

    assert AuditEntry.objects.count() == before


def test_an_http_write_stores_the_request_id_it_echoes(client_for) -> None:  # type: ignore[no-untyped-def]
    form = {
        "name": "上海请求编号有限公司",
        "kind": "enterprise",
        "uscc": valid_uscc(800_003),
        "division_code": "310115",
    }

    response = client_for(B).post(
        "/accounts/organizations/new/", form, headers={"x-request-id": REQUEST_ID}
    )

    entry = AuditEntry.objects.get(action=Action.ORGANIZATION_CREATED, target_label=form["name"])
    assert response["X-Request-ID"] == REQUEST_ID
    assert entry.request_id == REQUEST_ID


def test_a_malformed_request_id_is_replaced(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz", headers={"x-request-id": "bad id\nwith newline"})

    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def test_a_failed_sign_in_is_recorded_with_the_username_tried(client, db) -> None:  # type: ignore[no-untyped-def]
    client.post("/accounts/login/", {"username": "mallory", "password": "guess-guess"})

    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert (entry.actor, entry.target_type, entry.target_id) == (None, "accounts.user", "mallory")
    assert entry.new_values == {"address": "127.0.0.1"}


# --- append-only ----------------------------------------------------------------------------


def test_record_write_outside_a_transaction_raises() -> None:
    """No database here: the check comes before any query."""
    organization = Organization(pk=1, name="x")

    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        record_write(actor=None, action=Action.ORGANIZATION_CREATED, target=organization)


@pytest.fixture
def entry(personas) -> AuditEntry:  # type: ignore[no-untyped-def]
    return AuditEntry.objects.earliest("id")


def test_an_entry_cannot_be_saved_again(entry: AuditEntry) -> None:
    entry.action = Action.LOGGED_IN

    with pytest.raises(TypeError, match="append-only"):
        entry.save()


def test_an_entry_cannot_be_deleted(entry: AuditEntry) -> None:
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()


def test_the_log_cannot_be_updated_in_bulk(entry: AuditEntry) -> None:
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(action=Action.LOGGED_IN)


def test_the_log_cannot_be_deleted_in_bulk(entry: AuditEntry) -> None:
    with pytest.raises(TypeError, match="append-only"):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE audit_auditentry SET action = 'accounts.logged_in'", id="update"),
        pytest.param("DELETE FROM audit_auditentry", id="delete"),
    ],
)
def test_the_database_refuses_raw_sql_rewrites(entry: AuditEntry, statement: str) -> None:
    before = list(AuditEntry.objects.values_list("id", "action"))

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert list(AuditEntry.objects.values_list("id", "action")) == before


# --- reading and filtering ------------------------------------------------------------------


@pytest.fixture
def log(personas) -> People:  # type: ignore[no-untyped-def]
    """Personas plus one entry of known request id by the bureau."""
    with request_id_scope(REQUEST_ID), transaction.atomic():
        _update_organization(personas)
    return personas  # type: ignore[no-any-return]


def listed_actions(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {entry.action for entry in response.context["page"].object_list}


def test_the_page_filters_by_action(client_for, log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get("/audit/", {"action": Action.ORGANIZATION_UPDATED})

    assert listed_actions(response) == {Action.ORGANIZATION_UPDATED}


def test_the_page_filters_by_actor(client_for, log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get("/audit/", {"actor": log[B].username})

    assert {e.actor_id for e in response.context["page"].object_list} == {log[B].pk}


def test_the_page_filters_by_request_id(client_for, log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get("/audit/", {"request_id": REQUEST_ID})

    assert listed_actions(response) == {Action.ORGANIZATION_UPDATED}


def test_the_page_filters_by_dates(client_for, log) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    client = client_for(B)

    included = client.get("/audit/", {"since": today, "until": today})
    excluded = client.get("/audit/", {"since": tomorrow})

    assert len(included.context["page"].object_list) == AuditEntry.objects.count()
    assert list(excluded.context["page"].object_list) == []


def test_the_page_shows_an_invalid_date_range(client_for, log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get("/audit/", {"since": "2026-03-02", "until": "2026-03-01"})

    assert response.status_code == 200
    assert response.context["form"].errors["until"] == ["截止日期早于起始日期。"]
    assert "截止日期早于起始日期。" in response.content.decode()


def test_an_entry_page_shows_before_and_after(client_for, log) -> None:  # type: ignore[no-untyped-def]
    entry = AuditEntry.objects.get(action=Action.ORGANIZATION_UPDATED)

    response = client_for(B).get(f"/audit/{entry.pk}/")

    assert response.context["rows"] == [("address", "", "银城中路")]


def api_actions(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["action"] for item in response.json()["items"]}


def test_the_api_filters_like_the_page(client_for, log) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate().isoformat()
    query = {"action": Action.ORGANIZATION_UPDATED, "actor": log[B].username, "since": today}

    response = client_for(B).get("/api/audit/entries", {**query, "request_id": REQUEST_ID})

    assert response.status_code == 200
    assert api_actions(response) == {Action.ORGANIZATION_UPDATED}
    assert response.json()["items"][0]["new_values"] == {"address": "银城中路"}


def test_the_api_refuses_an_invalid_date_range(client_for, log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get(
        "/api/audit/entries", {"since": "2026-03-02", "until": "2026-03-01"}
    )

    assert response.status_code == 422
    assert set(response.json()["details"]) == {"until"}


def test_the_api_refuses_an_unknown_action(client_for, log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(B).get("/api/audit/entries", {"action": "accounts.nothing"})

    assert response.status_code == 422
    assert set(response.json()["details"]) == {"action"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_route_writes_the_log(client_for, entry: AuditEntry, method: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(B)
    paths = [
        "/audit/",
        f"/audit/{entry.pk}/",
        "/api/audit/entries",
        f"/api/audit/entries/{entry.pk}",
    ]

    statuses = {path: getattr(client, method)(path).status_code for path in paths}

    assert statuses == dict.fromkeys(paths, 405)
    assert AuditEntry.objects.filter(pk=entry.pk, action=entry.action).exists()


def test_the_api_schema_offers_only_reads_of_the_log(client, db) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/openapi.json").json()["paths"]

    methods = {m for path, ops in paths.items() if path.startswith("/api/audit") for m in ops}
    assert methods == {"get"}

"""The rules of organisations, engagements, accounts and passwords, called as services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from ipcore.access import OrganizationKind, Role
from ipops.accounts import queries, services
from ipops.accounts.models import ApiToken, Engagement, Organization, User
from ipops.accounts.tests.factories import (
    PASSWORD,
    make_organization,
    make_persona,
    make_user,
    valid_uscc,
)
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.errors import Conflict, InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db

SERIAL = 900_000  # credit codes made here stay clear of the factories' running serials


def wrong_check_char(code: str) -> str:
    """The same code with its 18th character replaced by another valid-looking one."""
    return code[:17] + ("1" if code[17] != "1" else "2")


def register(**fields: str) -> Organization:
    defaults = {
        "name": "上海张江测试科技有限公司",
        "kind": OrganizationKind.ENTERPRISE,
        "uscc": valid_uscc(SERIAL),
        "division_code": "310115",
    }
    return services.create_organization(actor=None, **(defaults | fields))


def nothing_written() -> bool:
    return not Organization.objects.exists() and not AuditEntry.objects.exists()


# --- create_organization --------------------------------------------------------------------


def test_create_organization_saves_the_normalised_code_and_records_it() -> None:
    organization = register(uscc=" " + valid_uscc(SERIAL).lower() + " ", size_class="micro")

    entry = AuditEntry.objects.get()
    assert organization.uscc == valid_uscc(SERIAL)
    assert organization.role is Role.ENTERPRISE
    assert entry.action == Action.ORGANIZATION_CREATED
    assert entry.target_id == str(organization.pk)
    assert entry.new_values["uscc"] == valid_uscc(SERIAL)
    assert entry.new_values["size_class"] == "micro"


def test_wrong_check_character_is_refused_naming_the_rule_and_writing_nothing() -> None:
    code = valid_uscc(SERIAL)

    with pytest.raises(InvalidInput) as refused:
        register(uscc=wrong_check_char(code))

    (message,) = refused.value.details["uscc"]
    assert "校验码" in message
    assert f"应为“{code[17]}”" in message
    assert nothing_written()


def test_a_character_outside_the_code_set_is_refused_naming_its_position() -> None:
    code = valid_uscc(SERIAL)

    with pytest.raises(InvalidInput) as refused:
        register(uscc=code[:9] + "I" + code[10:])

    assert "第10位" in refused.value.details["uscc"][0]
    assert nothing_written()


def test_a_credit_code_with_an_unknown_region_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        register(uscc=valid_uscc(SERIAL, region="999999"))

    assert "行政区划码" in refused.value.details["uscc"][0]
    assert nothing_written()


@pytest.mark.parametrize(
    "division_code",
    [
        pytest.param("999999", id="unknown"),
        pytest.param("310103", id="retired-luwan"),
        pytest.param("", id="blank"),
    ],
)
def test_district_must_be_a_current_division(division_code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(division_code=division_code)

    assert set(refused.value.details) == {"division_code"}
    assert nothing_written()


def test_a_retired_region_inside_the_credit_code_is_accepted() -> None:
    """The code keeps the district of registration; 南汇 was merged into Pudong in 2009."""
    organization = register(uscc=valid_uscc(SERIAL, region="310225"))

    assert organization.uscc[2:8] == "310225"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        register(kind="church")

    assert set(refused.value.details) == {"kind"}


def test_duplicate_credit_code_is_a_conflict_however_it_is_typed() -> None:
    register()

    with pytest.raises(Conflict) as refused:
        register(name="另一家公司", uscc="　" + valid_uscc(SERIAL).lower())

    assert set(refused.value.details) == {"uscc"}
    assert Organization.objects.count() == 1
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("上海ＡＢＣ有限公司", "上海abc有限公司", id="full-width"),
        pytest.param("上海ABC有限公司", "上海abc有限公司", id="case"),
        pytest.param("上海 ABC 有限公司", "上海ABC有限公司", id="spaces"),
        pytest.param("上海ABC有限公司", "上海ＡＢＣ　有限公司", id="ideographic-space"),
    ],
)
def test_duplicate_name_ignores_width_case_and_spaces(first: str, second: str) -> None:
    register(name=first)

    with pytest.raises(Conflict) as refused:
        register(name=second, uscc=valid_uscc(SERIAL + 1))

    assert set(refused.value.details) == {"name"}
    assert Organization.objects.count() == 1


def test_only_the_bureau_registers_organisations(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.create_organization(
            actor=personas[Role.ENTERPRISE],
            name="越权登记公司",
            kind="enterprise",
            uscc=valid_uscc(SERIAL),
            division_code="310115",
        )


# --- update_organization --------------------------------------------------------------------


def test_update_records_only_the_changed_fields_old_and_new(personas) -> None:  # type: ignore[no-untyped-def]
    bureau = personas[Role.BUREAU]
    organization = register(size_class="small")

    services.update_organization(
        actor=bureau, organization=organization, size_class="micro", address="张江路1号"
    )

    entry = AuditEntry.objects.filter(action=Action.ORGANIZATION_UPDATED).get()
    assert entry.actor == bureau
    assert entry.old_values == {"size_class": "small", "address": ""}
    assert entry.new_values == {"size_class": "micro", "address": "张江路1号"}


def test_update_without_a_change_records_nothing() -> None:
    organization = register(address="张江路1号")

    services.update_organization(
        actor=None, organization=organization, name=organization.name, address=" 张江路1号 "
    )

    assert not AuditEntry.objects.filter(action=Action.ORGANIZATION_UPDATED).exists()


def test_update_without_a_change_leaves_the_row_untouched() -> None:
    organization = register()

    services.update_organization(actor=None, organization=organization, kind="enterprise")

    assert Organization.objects.get().updated_at == organization.updated_at


def test_update_to_a_wrong_credit_code_changes_nothing() -> None:
    organization = register()

    with pytest.raises(InvalidInput):
        services.update_organization(
            actor=None, organization=organization, uscc=wrong_check_char(organization.uscc)
        )

    organization.refresh_from_db()
    assert organization.uscc == valid_uscc(SERIAL)
    assert not AuditEntry.objects.filter(action=Action.ORGANIZATION_UPDATED).exists()


def test_update_to_another_organisations_name_is_a_conflict() -> None:
    register(name="上海甲公司")
    second = register(name="上海乙公司", uscc=valid_uscc(SERIAL + 1))

    with pytest.raises(Conflict):
        services.update_organization(actor=None, organization=second, name="上海甲公司 ")

    second.refresh_from_db()
    assert second.name == "上海乙公司"


def test_update_refuses_fields_it_does_not_know() -> None:
    organization = register()

    with pytest.raises(InvalidInput) as refused:
        services.update_organization(actor=None, organization=organization, pk=99)

    assert set(refused.value.details) == {"pk"}


# --- people ---------------------------------------------------------------------------------


def test_create_user_records_the_account_without_its_password() -> None:
    organization = make_organization()

    user = services.create_user(
        actor=None, username=" alice ", password=PASSWORD, organization=organization
    )

    entry = AuditEntry.objects.get(action=Action.USER_CREATED)
    assert user.username == "alice"
    assert user.check_password(PASSWORD)
    assert entry.target_id == str(user.pk)
    assert "password" not in entry.new_values


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("short1!", id="too-short"),
        pytest.param("1234567890123", id="numeric"),
        pytest.param("password1234", id="common"),
    ],
)
def test_create_user_enforces_the_password_rules(password: str) -> None:
    organization = make_organization()

    with pytest.raises(InvalidInput) as refused:
        services.create_user(
            actor=None, username="alice", password=password, organization=organization
        )

    assert set(refused.value.details) == {"password"}
    assert not User.objects.exists()


def test_username_is_unique_ignoring_case() -> None:
    organization = make_organization()
    make_user(organization, username="Alice")

    with pytest.raises(Conflict) as refused:
        services.create_user(
            actor=None, username="aLICE", password=PASSWORD, organization=organization
        )

    assert set(refused.value.details) == {"username"}
    assert User.objects.count() == 1


def test_every_account_but_an_operators_belongs_to_an_organisation() -> None:
    with pytest.raises(InvalidInput) as refused:
        services.create_user(actor=None, username="alice", password=PASSWORD, organization=None)

    assert set(refused.value.details) == {"organization"}


def test_deactivating_an_account_revokes_its_tokens(personas) -> None:  # type: ignore[no-untyped-def]
    account = personas[Role.ENTERPRISE]
    _token, secret = services.create_api_token(actor=account, name="nightly export")

    services.set_user_active(actor=personas[Role.BUREAU], account=account, active=False)

    assert not ApiToken.objects.filter(user=account, revoked_at__isnull=True).exists()
    assert services.user_for_token(secret) is None
    entry = AuditEntry.objects.get(action=Action.USER_DEACTIVATED)
    assert (entry.old_values, entry.new_values) == ({"is_active": True}, {"is_active": False})


def test_an_expired_token_no_longer_authenticates(personas) -> None:  # type: ignore[no-untyped-def]
    token, secret = services.create_api_token(
        actor=personas[Role.BANK], name="ci", expires_in_days=1
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert services.user_for_token(secret) is None


def test_a_live_token_names_its_account(personas) -> None:  # type: ignore[no-untyped-def]
    _token, secret = services.create_api_token(actor=personas[Role.BANK], name="ci")

    assert services.user_for_token(secret) == personas[Role.BANK]
    assert services.user_for_token(secret + "x") is None


def test_nobody_deactivates_their_own_account(personas) -> None:  # type: ignore[no-untyped-def]
    bureau = personas[Role.BUREAU]

    with pytest.raises(InvalidInput) as refused:
        services.set_user_active(actor=bureau, account=bureau, active=False)

    assert set(refused.value.details) == {"is_active"}
    bureau.refresh_from_db()
    assert bureau.is_active


def test_setting_the_state_an_account_already_has_records_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    services.set_user_active(actor=personas[Role.BUREAU], account=personas[Role.BANK], active=True)

    assert not AuditEntry.objects.filter(action=Action.USER_REACTIVATED).exists()


# --- engagements ----------------------------------------------------------------------------


def provider_and_client() -> tuple[Organization, Organization]:
    return make_organization(OrganizationKind.AGENCY), make_organization()


def test_start_engagement_records_it() -> None:
    provider, client = provider_and_client()

    engagement = services.start_engagement(
        actor=None, provider=provider, client=client, kind="agency"
    )

    entry = AuditEntry.objects.get(action=Action.ENGAGEMENT_CREATED)
    assert entry.target_id == str(engagement.pk)
    assert entry.new_values["client"] == client.pk


def test_only_a_provider_serves_clients() -> None:
    bank, client = make_organization(OrganizationKind.BANK), make_organization()

    with pytest.raises(InvalidInput) as refused:
        services.start_engagement(actor=None, provider=bank, client=client, kind="custody")

    assert set(refused.value.details) == {"provider"}


def test_a_provider_is_not_its_own_client() -> None:
    provider = make_organization(OrganizationKind.AGENCY)

    with pytest.raises(InvalidInput):
        services.start_engagement(actor=None, provider=provider, client=provider, kind="custody")


def test_unknown_service_kind_is_refused() -> None:
    provider, client = provider_and_client()

    with pytest.raises(InvalidInput) as refused:
        services.start_engagement(actor=None, provider=provider, client=client, kind="lunch")

    assert set(refused.value.details) == {"kind"}


def test_a_second_open_engagement_of_the_same_kind_is_a_conflict() -> None:
    provider, client = provider_and_client()
    services.start_engagement(actor=None, provider=provider, client=client, kind="custody")

    with pytest.raises(Conflict):
        services.start_engagement(actor=None, provider=provider, client=client, kind="custody")

    assert Engagement.objects.count() == 1


def test_an_ended_engagement_can_be_started_again() -> None:
    provider, client = provider_and_client()
    first = services.start_engagement(actor=None, provider=provider, client=client, kind="custody")
    services.end_engagement(actor=None, engagement=first)

    services.start_engagement(actor=None, provider=provider, client=client, kind="custody")

    assert Engagement.objects.filter(ended_on__isnull=True).count() == 1


def test_an_engagement_ends_once() -> None:
    provider, client = provider_and_client()
    engagement = services.start_engagement(
        actor=None, provider=provider, client=client, kind="custody"
    )
    services.end_engagement(actor=None, engagement=engagement)

    with pytest.raises(Conflict):
        services.end_engagement(actor=None, engagement=engagement)

    assert AuditEntry.objects.filter(action=Action.ENGAGEMENT_ENDED).count() == 1


def test_an_engagement_cannot_end_before_it_starts() -> None:
    provider, client = provider_and_client()
    engagement = services.start_engagement(
        actor=None, provider=provider, client=client, kind="custody", started_on=dt.date(2026, 3, 1)
    )

    with pytest.raises(InvalidInput):
        services.end_engagement(actor=None, engagement=engagement, ended_on=dt.date(2026, 2, 1))

    engagement.refresh_from_db()
    assert engagement.ended_on is None


def visible_to(user: User) -> set[int]:
    fresh = User.objects.get(pk=user.pk)  # the viewer is cached per user object
    return set(queries.organizations_for(fresh).values_list("pk", flat=True))


def test_a_provider_sees_a_client_only_while_it_serves_it() -> None:
    provider, client = provider_and_client()
    person = make_persona(Role.PROVIDER, organization=provider)
    assert visible_to(person) == {provider.pk}

    engagement = services.start_engagement(
        actor=None, provider=provider, client=client, kind="custody"
    )
    assert visible_to(person) == {provider.pk, client.pk}

    services.end_engagement(actor=None, engagement=engagement)
    assert visible_to(person) == {provider.pk}


def test_an_engagement_starting_tomorrow_shows_nothing_yet() -> None:
    provider, client = provider_and_client()
    person = make_persona(Role.PROVIDER, organization=provider)

    services.start_engagement(
        actor=None,
        provider=provider,
        client=client,
        kind="custody",
        started_on=timezone.localdate() + dt.timedelta(days=1),
    )

    assert visible_to(person) == {provider.pk}


# --- passwords ------------------------------------------------------------------------------


NEW_PASSWORD = "a-brand-new-passphrase"


def test_change_password_needs_the_current_one(personas) -> None:  # type: ignore[no-untyped-def]
    person = personas[Role.BANK]

    with pytest.raises(InvalidInput) as refused:
        services.change_password(actor=person, old_password="not-it", new_password=NEW_PASSWORD)

    assert set(refused.value.details) == {"old_password"}
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_change_password_applies_the_password_rules(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        services.change_password(
            actor=personas[Role.BANK], old_password=PASSWORD, new_password="12345"
        )

    assert set(refused.value.details) == {"new_password"}


def test_change_password_sets_it_and_records_no_secret(personas) -> None:  # type: ignore[no-untyped-def]
    person = personas[Role.BANK]

    services.change_password(actor=person, old_password=PASSWORD, new_password=NEW_PASSWORD)

    person.refresh_from_db()
    entry = AuditEntry.objects.get(action=Action.PASSWORD_CHANGED)
    assert person.check_password(NEW_PASSWORD)
    assert (entry.actor, entry.old_values, entry.new_values) == (person, {}, {})


def test_password_reset_mail_leaves_only_after_commit(
    personas: dict[Role, User], django_capture_on_commit_callbacks: Any
) -> None:
    person = User.objects.get(pk=personas[Role.BANK].pk)
    person.email = "Banker@Example.com"
    person.save()

    with django_capture_on_commit_callbacks() as callbacks:
        sent = services.request_password_reset(
            email="banker@example.com", base_url="https://ipops.example/"
        )
        assert mail.outbox == []

    assert (sent, len(callbacks)) == (1, 1)
    callbacks[0]()
    (message,) = mail.outbox
    assert message.to == ["Banker@Example.com"]
    assert "https://ipops.example/accounts/password/reset/" in message.body
    assert AuditEntry.objects.filter(action=Action.PASSWORD_RESET_REQUESTED).count() == 1


def test_password_reset_for_an_unknown_address_sends_nothing(
    personas: dict[Role, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = services.request_password_reset(email="nobody@example.com", base_url="http://x/")

    assert (sent, callbacks, mail.outbox) == (0, [], [])
    assert not AuditEntry.objects.filter(action=Action.PASSWORD_RESET_REQUESTED).exists()


def test_password_reset_for_a_blank_address_sends_nothing(
    personas: dict[Role, User], django_capture_on_commit_callbacks: Any
) -> None:
    """Accounts without an address must not all match an empty one."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = services.request_password_reset(email="  ", base_url="http://x/")

    assert (sent, callbacks, mail.outbox) == (0, [], [])


def test_reset_password_with_a_bad_token_changes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    person = personas[Role.BANK]

    with pytest.raises(InvalidInput) as refused:
        services.reset_password(account=person, token="1-bad", new_password=NEW_PASSWORD)

    assert refused.value.code == "reset_link_invalid"
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action=Action.PASSWORD_RESET).exists()


def test_reset_password_with_a_good_token_sets_it_once(personas) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.tokens import default_token_generator

    person = personas[Role.BANK]
    token = default_token_generator.make_token(person)

    services.reset_password(account=person, token=token, new_password=NEW_PASSWORD)

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    with pytest.raises(InvalidInput):
        services.reset_password(account=person, token=token, new_password=NEW_PASSWORD + "2")

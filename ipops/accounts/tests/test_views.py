"""Accounts over HTTP: signing in, passwords, language, CSRF, sessions, organisation pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ipcore.access import Role
from ipops.accounts import services
from ipops.accounts.models import Organization, User
from ipops.accounts.tests.factories import PASSWORD, valid_uscc
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry

LOGIN = "/accounts/login/"
NEW_PASSWORD = "a-brand-new-passphrase"


def sign_in(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def page_text(response: Any) -> str:
    return str(response.content.decode())


# --- signing in and out ---------------------------------------------------------------------


def test_login_with_the_right_password_starts_a_session(client, personas) -> None:  # type: ignore[no-untyped-def]
    person = personas[Role.BANK]

    response = sign_in(client, person.username)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(person.pk)
    assert AuditEntry.objects.filter(action=Action.LOGGED_IN, actor=person).count() == 1


def test_login_follows_a_local_next_but_not_a_foreign_one(client, personas) -> None:  # type: ignore[no-untyped-def]
    username = personas[Role.BANK].username
    local = client.post(
        LOGIN, {"username": username, "password": PASSWORD, "next": "/accounts/profile/"}
    )
    client.logout()
    foreign = client.post(
        LOGIN, {"username": username, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert (local["Location"], foreign["Location"]) == ("/accounts/profile/", "/")


def test_login_failure_says_so_in_chinese_and_records_it(client, personas) -> None:  # type: ignore[no-untyped-def]
    response = sign_in(client, personas[Role.BANK].username, "wrong-password")

    assert response.status_code == 401
    assert "用户名或密码错误。" in page_text(response)
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == 1


def test_an_unknown_username_fails_like_a_wrong_password(client, personas) -> None:  # type: ignore[no-untyped-def]
    response = sign_in(client, "nobody-at-all", "wrong-password")

    assert response.status_code == 401
    assert "用户名或密码错误。" in page_text(response)


def test_a_deactivated_account_cannot_sign_in(client, personas) -> None:  # type: ignore[no-untyped-def]
    person = personas[Role.BANK]
    User.objects.filter(pk=person.pk).update(is_active=False)

    assert sign_in(client, person.username).status_code == 401


def test_login_is_throttled_after_five_failures_even_with_the_right_password(
    client: Client, personas: dict[Role, User], settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 5
    username = personas[Role.BANK].username
    for _attempt in range(5):
        sign_in(client, username, "wrong-password")

    response = sign_in(client, username)

    assert response.status_code == 429
    assert "登录失败次数过多" in page_text(response)
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=Action.LOGIN_THROTTLED, target_id=username).exists()


def test_four_failures_do_not_throttle(client, personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 5
    username = personas[Role.BANK].username
    for _attempt in range(4):
        sign_in(client, username, "wrong-password")

    assert sign_in(client, username).status_code == 302


def test_deactivating_an_account_ends_its_open_session(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BANK)

    services.set_user_active(actor=personas[Role.BUREAU], account=personas[Role.BANK], active=False)

    assert client.get("/accounts/profile/").status_code == 302


def test_logout_is_post_only(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BANK)

    refused = client.get("/accounts/logout/")
    assert refused.status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "您已退出登录。" in page_text(response)
    assert "_auth_user_id" not in client.session


# --- passwords ------------------------------------------------------------------------------


def change_password(client: Client, old: str, new: str, again: str | None = None):  # type: ignore[no-untyped-def]
    form = {"old_password": old, "new_password": new, "new_password_again": again or new}
    return client.post("/accounts/password/", form)


def test_password_change_keeps_the_person_signed_in(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BANK)

    response = change_password(client, PASSWORD, NEW_PASSWORD)

    assert response["Location"] == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    assert User.objects.get(pk=personas[Role.BANK].pk).check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_current_password_shows_the_error(
    client_for: Any, personas: dict[Role, User]
) -> None:
    response = change_password(client_for(Role.BANK), "not-my-password", NEW_PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == ["当前密码不正确。"]
    assert User.objects.get(pk=personas[Role.BANK].pk).check_password(PASSWORD)


def test_password_change_needs_the_new_password_twice(client_for) -> None:  # type: ignore[no-untyped-def]
    response = change_password(client_for(Role.BANK), PASSWORD, NEW_PASSWORD, "something-else")

    assert response.context["form"].errors["new_password_again"] == ["两次输入的密码不一致。"]


def test_the_whole_password_reset_goes_through_the_mailed_link(
    client: Client, personas: dict[Role, User], django_capture_on_commit_callbacks: Any
) -> None:
    person = personas[Role.BANK]
    User.objects.filter(pk=person.pk).update(email="banker@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post("/accounts/password/reset/", {"email": "banker@example.com"})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", str(message.body))
    assert asked["Location"] == "/accounts/password/reset/sent/"
    assert link is not None

    form = {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    assert client.get(link[1]).context["link_valid"]
    assert client.post(link[1], form)["Location"] == LOGIN
    assert sign_in(client, person.username, NEW_PASSWORD).status_code == 302
    assert not client.post(link[1], form).context["link_valid"]


def test_password_reset_for_an_unknown_address_looks_the_same(
    client: Client, personas: dict[Role, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_forged_reset_link_is_refused_before_a_password_is_typed(client, personas) -> None:  # type: ignore[no-untyped-def]
    uid = urlsafe_base64_encode(force_bytes(personas[Role.BANK].pk))

    response = client.get(f"/accounts/password/reset/{uid}/1-forged/")

    assert not response.context["link_valid"]
    assert "该重置链接无效或已过期。" in page_text(response)


# --- language -------------------------------------------------------------------------------


def test_pages_are_chinese_even_when_the_browser_asks_for_english(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get(LOGIN, headers={"accept-language": "en"})

    assert '<html lang="zh-hans">' in page_text(response)
    assert "<h1>登录</h1>" in page_text(response)


def test_the_language_switch_turns_pages_english(client, db) -> None:  # type: ignore[no-untyped-def]
    switched = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})

    response = client.get(LOGIN)

    assert switched["Location"] == LOGIN
    assert '<html lang="en">' in page_text(response)
    assert "<h1>Sign in</h1>" in page_text(response)


# --- CSRF and sessions ----------------------------------------------------------------------


def test_a_tampered_csrf_token_is_refused_in_chinese_and_changes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas[Role.BUREAU])
    client.get("/accounts/organizations/new/")  # sets the CSRF cookie
    organizations, entries = Organization.objects.count(), AuditEntry.objects.count()

    response = client.post(
        "/accounts/organizations/new/",
        {
            **organization_form("上海篡改测试有限公司", valid_uscc(700_001)),
            "csrfmiddlewaretoken": "x" * 64,
        },
    )

    assert response.status_code == 403
    assert "表单已过期或并非从本站提交" in page_text(response)
    assert (Organization.objects.count(), AuditEntry.objects.count()) == (organizations, entries)


def test_a_missing_csrf_token_blocks_sign_in(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, personas[Role.BANK].username)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def expire_every_session() -> None:
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))


def delete_every_session() -> None:
    Session.objects.all().delete()


@pytest.mark.parametrize("end_session", [expire_every_session, delete_every_session])
def test_an_expired_session_goes_to_login_with_a_notice(client_for, end_session) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BANK)
    end_session()

    response = client.get("/accounts/profile/")
    notice = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "expired=1" in response["Location"]
    assert "您的会话已过期，请重新登录。" in page_text(notice)


def test_a_visitor_who_never_signed_in_gets_no_expiry_notice(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/accounts/profile/")

    assert "expired" not in response["Location"]
    assert "会话已过期" not in page_text(client.get(response["Location"]))


# --- organisations --------------------------------------------------------------------------


def organization_form(name: str, uscc: str) -> dict[str, str]:
    return {
        "name": name,
        "name_en": "",
        "kind": "enterprise",
        "uscc": uscc,
        "division_code": "310115",
        "size_class": "small",
        "address": "",
    }


def test_bureau_registers_an_organisation_after_fixing_its_credit_code(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BUREAU)
    code = valid_uscc(700_002)
    wrong = code[:17] + ("1" if code[17] != "1" else "2")

    refused = client.post(
        "/accounts/organizations/new/", organization_form("上海纠错有限公司", wrong)
    )
    assert refused.status_code == 200
    assert "校验码" in refused.context["form"].errors["uscc"][0]
    assert 'class="field field-invalid"' in page_text(refused)
    assert not Organization.objects.filter(name="上海纠错有限公司").exists()

    accepted = client.post(
        "/accounts/organizations/new/", organization_form("上海纠错有限公司", code)
    )
    created = Organization.objects.get(name="上海纠错有限公司")
    assert accepted["Location"] == f"/accounts/organizations/{created.pk}/"
    assert created.uscc == code


def test_a_duplicate_name_shows_beside_the_name_field(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    existing = personas[Role.BANK].organization.name

    response = client_for(Role.BUREAU).post(
        "/accounts/organizations/new/", organization_form(f" {existing} ", valid_uscc(700_003))
    )

    assert response.context["form"].errors["name"] == ["已登记。"]
    assert "同名机构已经登记。" in page_text(response)


def listed_ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {organization.pk for organization in response.context["page"].object_list}


def test_a_provider_lists_only_itself_and_its_client(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.PROVIDER).get("/accounts/organizations/")

    expected = {personas[Role.PROVIDER].organization_id, personas[Role.ENTERPRISE].organization_id}
    assert listed_ids(response) == expected


def test_the_bureau_lists_every_organisation(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.BUREAU).get("/accounts/organizations/")

    assert listed_ids(response) == set(Organization.objects.values_list("pk", flat=True))


def test_an_enterprise_gets_404_for_another_organisation(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    other = personas[Role.BANK].organization_id

    response = client_for(Role.ENTERPRISE).get(f"/accounts/organizations/{other}/")

    assert response.status_code == 404
    assert personas[Role.BANK].organization.name not in page_text(response)


def test_an_htmx_request_gets_only_the_rows(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.BUREAU).get(
        "/accounts/organizations/", {"q": "测试"}, headers={"hx-request": "true"}
    )

    templates = {template.name for template in response.templates}
    assert "accounts/_organization_rows.html" in templates
    assert "portal/base.html" not in templates
    assert not page_text(response).lstrip().startswith("<!DOCTYPE")


# --- security -------------------------------------------------------------------------------


def test_pages_carry_the_security_headers(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get(LOGIN)

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_session_cookie_is_http_only_and_same_site(client, personas) -> None:  # type: ignore[no-untyped-def]
    response = sign_in(client, personas[Role.BANK].username)

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_production_hashes_passwords_with_argon2() -> None:
    """conftest swaps in a fast hasher for the tests; the settings module itself must not."""
    import ipops.settings as production

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("correct-horse", hasher.salt())

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert encoded.startswith("argon2$")
    assert hasher.verify("correct-horse", encoded)
    assert not hasher.verify("wrong-horse", encoded)

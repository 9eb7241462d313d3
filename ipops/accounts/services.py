"""Every write to people, organisations, engagements and tokens.

Keyword-only, verb-first functions; each runs in one transaction and appends an audit entry.
Views, the API and the `ipops` command all call these, so a rule lives in one place.
`actor=None` means the platform itself (a command run by the operator).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from ipcore.access import Capability, OrganizationKind, SizeClass
from ipcore.divisions import get_division
from ipcore.identifiers.uscc import UsccError, parse_uscc
from ipops.accounts.models import (
    ApiToken,
    Engagement,
    EngagementKind,
    LoginFailure,
    Organization,
    User,
    name_key,
)
from ipops.accounts.queries import require_capability
from ipops.audit.actions import Action
from ipops.audit.services import TargetRef, changes, record_write, snapshot
from ipops.errors import Conflict, InvalidInput, ServiceError

ORGANIZATION_FIELDS = (
    "name",
    "name_en",
    "kind",
    "uscc",
    "division_code",
    "size_class",
    "address",
    "is_active",
)
USER_FIELDS = ("username", "email", "display_name", "phone", "organization", "is_active")
TOKEN_PREFIX = "ipops_"  # noqa: S105 — a marker for secret scanners, not a secret


class LoginRefused(ServiceError):
    code = "login_failed"
    http_status = 401


class LoginThrottled(ServiceError):
    code = "login_throttled"
    http_status = 429


# --- organisations --------------------------------------------------------------------------


def create_organization(
    *,
    actor: User | None,
    name: str,
    kind: str,
    uscc: str,
    division_code: str,
    size_class: str = "",
    name_en: str = "",
    address: str = "",
) -> Organization:
    """Register an organisation. The credit code must pass GB 32100 and be new, the name
    must be new (ignoring width, case and spaces), the district a current GB/T 2260 code."""
    _require_manager(actor)
    organization = Organization(
        name=name.strip(),
        name_en=name_en.strip(),
        kind=kind,
        uscc=_checked_uscc(uscc),
        division_code=division_code.strip(),
        size_class=size_class,
        address=address.strip(),
    )
    _validate_organization(organization)
    with transaction.atomic():
        _save_unique_organization(organization)
        record_write(
            actor=actor,
            action=Action.ORGANIZATION_CREATED,
            target=organization,
            new=snapshot(organization, ORGANIZATION_FIELDS),
        )
    return organization


def update_organization(
    *, actor: User | None, organization: Organization, **fields: Any
) -> Organization:
    """Change an organisation's registration details; the same rules as creating one."""
    _require_manager(actor)
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise InvalidInput(details={name: [_("Unknown field.")] for name in sorted(unknown)})
    with transaction.atomic():
        current = Organization.objects.select_for_update().get(pk=organization.pk)
        before = snapshot(current, ORGANIZATION_FIELDS)
        for name, value in fields.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        if "uscc" in fields:
            current.uscc = _checked_uscc(fields["uscc"])
        _validate_organization(current)
        old, new = changes(before, snapshot(current, ORGANIZATION_FIELDS))
        if not new:  # nothing to write, so nothing to audit
            return current
        _save_unique_organization(current)
        record_write(
            actor=actor, action=Action.ORGANIZATION_UPDATED, target=current, old=old, new=new
        )
    return current


def _checked_uscc(raw: str) -> str:
    try:
        return parse_uscc(raw).code
    except UsccError as error:
        message = error.message_zh if _chinese() else error.message_en
        raise InvalidInput(details={"uscc": [message]}) from error


def _chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or settings.LANGUAGE_CODE).startswith("zh")


def _validate_organization(organization: Organization) -> None:
    errors: dict[str, list[str]] = {}
    if not organization.name:
        errors["name"] = [_("A name is required.")]
    if organization.kind not in set(OrganizationKind):
        errors["kind"] = [_("Unknown kind of organisation.")]
    division = get_division(organization.division_code)
    if division is None or not division.is_current:
        errors["division_code"] = [_("Not a current GB/T 2260 division code.")]
    if organization.size_class and organization.size_class not in set(SizeClass):
        errors["size_class"] = [_("Unknown size class.")]
    if errors:
        raise InvalidInput(details=errors)
    organization.name_key = name_key(organization.name)


def _save_unique_organization(organization: Organization) -> None:
    """Save, turning a duplicate credit code or name into a Conflict that says which."""
    others = Organization.objects.exclude(pk=organization.pk)
    if others.filter(uscc=organization.uscc).exists():
        raise Conflict(
            _("An organisation with this credit code is already registered."),
            details={"uscc": [_("Already registered.")]},
        )
    if others.filter(name_key=organization.name_key).exists():
        raise Conflict(
            _("An organisation with this name is already registered."),
            details={"name": [_("Already registered.")]},
        )
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as error:  # a concurrent registration won the race
        raise Conflict() from error


def _require_manager(actor: User | None) -> None:
    if actor is not None:
        require_capability(actor, Capability.MANAGE_ORGANIZATIONS)


# --- engagements ----------------------------------------------------------------------------


def start_engagement(
    *,
    actor: User | None,
    provider: Organization,
    client: Organization,
    kind: str,
    started_on: dt.date | None = None,
) -> Engagement:
    """Record that a provider serves a client; from then on its people see the client's records."""
    _require_manager(actor)
    if provider.role.value != "provider":
        raise InvalidInput(
            details={"provider": [_("Only a service institution or agency can serve clients.")]}
        )
    if provider.pk == client.pk:
        raise InvalidInput(details={"client": [_("An organisation cannot be its own client.")]})
    if kind not in EngagementKind.values:
        raise InvalidInput(details={"kind": [_("Unknown kind of service.")]})
    engagement = Engagement(
        provider=provider, client=client, kind=kind, started_on=started_on or timezone.localdate()
    )
    with transaction.atomic():
        open_ = Engagement.objects.filter(
            provider=provider, client=client, kind=kind, ended_on__isnull=True
        )
        if open_.exists():
            raise Conflict(_("This provider already serves this client for this service."))
        engagement.save()
        record_write(
            actor=actor,
            action=Action.ENGAGEMENT_CREATED,
            target=engagement,
            new=snapshot(engagement, ("provider", "client", "kind", "started_on")),
        )
    return engagement


def end_engagement(
    *, actor: User | None, engagement: Engagement, ended_on: dt.date | None = None
) -> Engagement:
    _require_manager(actor)
    with transaction.atomic():
        current = Engagement.objects.select_for_update().get(pk=engagement.pk)
        if current.ended_on is not None:
            raise Conflict(_("This engagement has already ended."))
        current.ended_on = ended_on or timezone.localdate()
        if current.ended_on < current.started_on:
            raise InvalidInput(details={"ended_on": [_("The end is before the start.")]})
        current.save(update_fields=["ended_on"])
        record_write(
            actor=actor,
            action=Action.ENGAGEMENT_ENDED,
            target=current,
            old={"ended_on": None},
            new=snapshot(current, ("ended_on",)),
        )
    return current


# --- people ---------------------------------------------------------------------------------


def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    organization: Organization | None,
    email: str = "",
    display_name: str = "",
    phone: str = "",
    is_superuser: bool = False,
) -> User:
    """Open an account for a person in an organisation (the bureau, or the operator)."""
    _require_manager(actor)
    username = username.strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("A username is required.")]
    if organization is None and not is_superuser:
        errors["organization"] = [_("Every account belongs to an organisation.")]
    user = User(
        username=username,
        email=email.strip(),
        display_name=display_name.strip(),
        phone=phone.strip(),
        organization=organization,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    errors.update(_password_problems(password, user))
    if errors:
        raise InvalidInput(details=errors)
    user.set_password(password)
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise Conflict(
                _("This username is taken."), details={"username": [_("Already taken.")]}
            )
        user.save()
        record_write(
            actor=actor, action=Action.USER_CREATED, target=user, new=snapshot(user, USER_FIELDS)
        )
    return user


def set_user_active(*, actor: User | None, account: User, active: bool) -> User:
    """Deactivate (or restore) an account. Accounts are never deleted: the audit log
    points at them."""
    _require_manager(actor)
    if actor is not None and actor.pk == account.pk and not active:
        raise InvalidInput(details={"is_active": [_("You cannot deactivate your own account.")]})
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=account.pk)
        if current.is_active == active:
            return current
        current.is_active = active
        current.save(update_fields=["is_active"])
        if not active:  # a deactivated person's scripts stop with them
            ApiToken.objects.filter(user=current, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        record_write(
            actor=actor,
            action=Action.USER_REACTIVATED if active else Action.USER_DEACTIVATED,
            target=current,
            old={"is_active": not active},
            new={"is_active": active},
        )
    return current


def change_password(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise InvalidInput(details={"old_password": [_("The current password is wrong.")]})
    problems = _password_problems(new_password, actor, field="new_password")
    if problems:
        raise InvalidInput(details=problems)
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        record_write(actor=actor, action=Action.PASSWORD_CHANGED, target=actor)


def request_password_reset(*, email: str, base_url: str) -> int:
    """Mail a reset link to every active account with this address. Returns how many were
    sent; callers must not reveal it, so nobody can probe which addresses exist."""
    email = email.strip()
    if not email:  # a blank address would match every account that has none
        return 0
    accounts = list(User.objects.filter(email__iexact=email, is_active=True))
    for account in accounts:
        link = base_url.rstrip("/") + reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
                "token": default_token_generator.make_token(account),
            },
        )
        with transaction.atomic():
            record_write(actor=None, action=Action.PASSWORD_RESET_REQUESTED, target=account)
            body = render_to_string(
                "accounts/password_reset_email.txt", {"account": account, "link": link}
            )
            # Sent after commit: a rolled-back request must not leave a live link behind.
            transaction.on_commit(
                partial(send_mail, _("ipops password reset"), body, None, [account.email])
            )
    return len(accounts)


def reset_password(*, account: User, token: str, new_password: str) -> None:
    """Set a new password from a reset link; the token dies with the old password hash."""
    if not default_token_generator.check_token(account, token):
        raise InvalidInput(
            _("This reset link is invalid or has expired."), code="reset_link_invalid"
        )
    problems = _password_problems(new_password, account, field="new_password")
    if problems:
        raise InvalidInput(details=problems)
    with transaction.atomic():
        account.set_password(new_password)
        account.save(update_fields=["password"])
        LoginFailure.objects.filter(username__iexact=account.username).delete()
        record_write(actor=None, action=Action.PASSWORD_RESET, target=account)


def account_for_reset_link(*, uidb64: str, token: str) -> User | None:
    """The active account a mailed reset link is for, or None when the link is forged, used
    or expired — so the page can say so before the person types a new password."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        account = User.objects.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return account if default_token_generator.check_token(account, token) else None


def _password_problems(password: str, user: User, field: str = "password") -> dict[str, list[str]]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {field: list(error.messages)}
    return {}


# --- signing in -----------------------------------------------------------------------------


def sign_in(*, request: HttpRequest, username: str, password: str) -> User:
    """Check the password with throttling, then start a session. A wrong password and an
    unknown username fail the same way."""
    address = _client_address(request)
    username = username.strip()
    if _is_throttled(username, address):
        with transaction.atomic():
            record_write(
                actor=None,
                action=Action.LOGIN_THROTTLED,
                target=TargetRef(type="accounts.user", id=username, label=username),
                new={"address": address},
            )
        raise LoginThrottled(
            _("Too many failed sign-ins. Wait %(minutes)d minutes or reset your password.")
            % {"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60}
        )
    from django.contrib.auth import authenticate

    user = authenticate(request, username=username, password=password)
    if user is None:
        with transaction.atomic():
            LoginFailure.objects.create(username=username, address=address)
            record_write(
                actor=None,
                action=Action.LOGIN_FAILED,
                target=TargetRef(type="accounts.user", id=username, label=username),
                new={"address": address},
            )
        raise LoginRefused(_("Wrong username or password."))
    with transaction.atomic():
        LoginFailure.objects.filter(username=username, address=address).delete()
        login(request, user)
        record_write(actor=user, action=Action.LOGGED_IN, target=user, new={"address": address})
    return user


def sign_out(*, request: HttpRequest) -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record_write(actor=user, action=Action.LOGGED_OUT, target=user)
        logout(request)


def _is_throttled(username: str, address: str | None) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    per_user = recent.filter(username=username, address=address).count()
    per_address = recent.filter(address=address).count() if address else 0
    return (
        per_user >= settings.LOGIN_FAILURE_LIMIT
        or per_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


def _client_address(request: HttpRequest) -> str | None:
    # Behind the reverse proxy the real address is the proxy's concern (it sets REMOTE_ADDR
    # through gunicorn's --forwarded-allow-ips); never trust a raw X-Forwarded-For here.
    return request.META.get("REMOTE_ADDR") or None


# --- API tokens -----------------------------------------------------------------------------


def create_api_token(
    *, actor: User, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for scripts. Returns the row and the secret, which is never stored."""
    name = name.strip()
    if not name:
        raise InvalidInput(details={"name": [_("Give the token a name.")]})
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise InvalidInput(details={"expires_in_days": [_("Between 1 and 3650 days.")]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(
        user=actor,
        name=name,
        prefix=secret[:12],
        digest=token_digest(secret),
        expires_at=expires_at,
    )
    with transaction.atomic():
        token.save()
        record_write(
            actor=actor,
            action=Action.TOKEN_CREATED,
            target=token,
            new=snapshot(token, ("name", "prefix", "expires_at")),
        )
    return token, secret


def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        require_capability(actor, Capability.MANAGE_ORGANIZATIONS)
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.save(update_fields=["revoked_at"])
            record_write(
                actor=actor,
                action=Action.TOKEN_REVOKED,
                target=current,
                new=snapshot(current, ("revoked_at",)),
            )
    return current


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def user_for_token(secret: str) -> User | None:
    """The active user a live token belongs to, or None. Marks the token as used (at most
    once a minute; usage bookkeeping like last_login, not an audited change)."""
    token = (
        ApiToken.objects.select_related("user", "user__organization")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

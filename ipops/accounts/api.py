"""JSON API for the signed-in person, organisations, their accounts and API tokens."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from ipcore.access import Capability
from ipops.accounts import queries, services
from ipops.accounts.decorators import current_user
from ipops.accounts.models import Organization, User
from ipops.apitools import strict_query

router = Router(tags=["accounts"])

# The create endpoints declare one response, 201, and return the object: django-ninja then
# answers 201 (returning a `(status, body)` tuple is deprecated, and an error under
# pytest's filterwarnings=error).


class OrganizationOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    role: str
    uscc: str
    division_code: str
    division_label: str
    size_class: str
    address: str
    is_active: bool

    @staticmethod
    def resolve_role(organization: Organization) -> str:
        return organization.role.value


class OrganizationIn(Schema):
    name: str = Field(max_length=200)
    kind: str
    uscc: str = Field(max_length=40)
    division_code: str = Field(max_length=6)
    size_class: str = ""
    name_en: str = ""
    address: str = ""


class OrganizationPatch(Schema):
    name: str | None = None
    kind: str | None = None
    uscc: str | None = None
    division_code: str | None = None
    size_class: str | None = None
    name_en: str | None = None
    address: str | None = None
    is_active: bool | None = None


class AccountOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    role: str
    organization_id: int | None
    is_active: bool

    @staticmethod
    def resolve_role(account: User) -> str:
        return account.role.value


class AccountIn(Schema):
    username: str = Field(max_length=150)
    password: str
    display_name: str = ""
    email: str = ""
    phone: str = ""


class MeOut(Schema):
    account: AccountOut
    organization: OrganizationOut | None
    capabilities: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenIn(Schema):
    name: str = Field(max_length=100)
    expires_in_days: int | None = None


class NewTokenOut(TokenOut):
    secret: str


@router.get("/me", response=MeOut, summary="The signed-in account, its organisation and rights")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    role = queries.viewer_of(user).role
    from ipcore.access import ROLE_CAPABILITIES

    return {
        "account": user,
        "organization": user.organization,  # type: ignore[union-attr]
        "capabilities": sorted(c.value for c in ROLE_CAPABILITIES[role]),
    }


@router.get("/organizations", response=list[OrganizationOut], summary="Organisations you may see")
@paginate(LimitOffsetPagination)
@strict_query({"q", "kind"})
def list_organizations(request: HttpRequest, q: str = "", kind: str = "") -> Any:
    return queries.search_organizations(request.user, text=q, kind=kind)


@router.get("/organizations/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: int) -> Organization:
    return queries.organization_for(request.user, organization_id)


@router.post("/organizations", response={201: OrganizationOut}, summary="Register an organisation")
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Organization:
    queries.require_capability(request.user, Capability.MANAGE_ORGANIZATIONS)
    return services.create_organization(actor=current_user(request), **payload.dict())


@router.patch("/organizations/{organization_id}", response=OrganizationOut)
def update_organization(
    request: HttpRequest, organization_id: int, payload: OrganizationPatch
) -> Organization:
    organization = queries.organization_for(request.user, organization_id)
    return services.update_organization(
        actor=current_user(request),
        organization=organization,
        **payload.dict(exclude_unset=True),
    )


@router.get("/organizations/{organization_id}/accounts", response=list[AccountOut])
def list_accounts(request: HttpRequest, organization_id: int) -> Any:
    organization = queries.organization_for(request.user, organization_id)
    return queries.members_of(request.user, organization)


@router.post("/organizations/{organization_id}/accounts", response={201: AccountOut})
def create_account(request: HttpRequest, organization_id: int, payload: AccountIn) -> User:
    organization = queries.organization_for(request.user, organization_id)
    return services.create_user(
        actor=current_user(request),
        organization=organization,
        **payload.dict(),
    )


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens")
def list_tokens(request: HttpRequest) -> Any:
    return queries.tokens_of(request.user)


@router.post("/tokens", response={201: NewTokenOut}, summary="Create a token (secret shown once)")
def create_token(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    token, secret = services.create_api_token(actor=current_user(request), **payload.dict())
    return {**TokenOut.from_orm(token).dict(), "secret": secret}


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke a token")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    token = queries.tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        from django.http import Http404

        raise Http404
    return services.revoke_api_token(actor=current_user(request), token=token)

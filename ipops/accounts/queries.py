"""Reads of people and organisations, scoped to what the asking user may see.

Other apps fetch organisations only through these helpers; "not yours" and "not found" are
the same 404, so a record's existence never leaks.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ipcore.access import Capability, Role, Viewer, can
from ipops.accounts.models import ApiToken, Engagement, Organization, User
from ipops.errors import NotPermitted


def viewer_of(user: Any) -> Viewer:
    """The access profile of any request user, anonymous included."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Viewer.public()
    viewer: Viewer = user.viewer()
    return viewer


def has_capability(user: Any, capability: Capability) -> bool:
    return can(viewer_of(user).role, capability)


def require_capability(user: Any, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise NotPermitted


def restrict_to_owners(queryset: QuerySet[Any], user: Any, owner_field: str) -> QuerySet[Any]:
    """Private records of the organisations `user` may see; `owner_field` names the
    organisation foreign key on the queryset's model (e.g. "owner" or "contract__client")."""
    viewer = viewer_of(user)
    if viewer.sees_everything:
        return queryset
    return queryset.filter(**{f"{owner_field}__in": viewer.visible_owner_ids()})


def organizations_for(user: Any) -> QuerySet[Organization]:
    """Organisations the user may look at: all for the bureau, the own one and (for a
    provider) its clients for everyone else, none for the public."""
    organizations = Organization.objects.annotate(member_count=Count("members"))
    return restrict_to_owners(organizations, user, "id")


def search_organizations(user: Any, *, text: str = "", kind: str = "") -> QuerySet[Organization]:
    """The organisations the user may see whose name contains `text` or whose credit code is
    `text` (any case), of one kind if given — the same search for the page and the API."""
    organizations = organizations_for(user)
    text = text.strip()
    if text:
        organizations = organizations.filter(Q(name__icontains=text) | Q(uscc__iexact=text))
    if kind:
        organizations = organizations.filter(kind=kind)
    return organizations.order_by("name")


def organization_for(user: Any, organization_id: int) -> Organization:
    try:
        return organizations_for(user).get(pk=organization_id)
    except Organization.DoesNotExist:
        raise Http404 from None


def members_of(user: Any, organization: Organization) -> QuerySet[User]:
    organization_for(user, organization.pk)  # 404 unless visible
    return organization.members.order_by("username")


def account_for(user: Any, account_id: int) -> User:
    """An account the user may manage: the bureau manages everyone's, a person only their own."""
    viewer = viewer_of(user)
    accounts = User.objects.select_related("organization")
    if not viewer.sees_everything:
        accounts = accounts.filter(pk=_pk_of(user))
    try:
        return accounts.get(pk=account_id)
    except User.DoesNotExist:
        raise Http404 from None


def engagements_for(user: Any) -> QuerySet[Engagement]:
    viewer = viewer_of(user)
    engagements = Engagement.objects.select_related("provider", "client")
    if viewer.sees_everything:
        return engagements
    owners = viewer.visible_owner_ids()
    return engagements.filter(Q(provider_id__in=owners) | Q(client_id__in=owners))


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=_pk_of(user))


def _pk_of(user: Any) -> int:
    """The user's id, or 0 (matching nothing) for an anonymous visitor."""
    return int(user.pk) if getattr(user, "is_authenticated", False) else 0


def role_counts() -> dict[Role, int]:
    """Active accounts per role, for the bureau's dashboard."""
    counts: dict[Role, int] = dict.fromkeys(Role, 0)
    rows = (
        User.objects.filter(is_active=True, organization__isnull=False)
        .values("organization__kind")
        .annotate(n=Count("id"))
    )
    for row in rows:
        role = Organization(kind=row["organization__kind"]).role
        counts[role] += row["n"]
    return counts

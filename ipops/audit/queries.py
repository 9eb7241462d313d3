"""Reads of the audit log, for the people allowed to read it (the bureau)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipops.accounts.queries import require_capability
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.errors import InvalidInput


@dataclass(frozen=True)
class AuditFilter:
    """What the bureau narrows the log by; every part optional. Refuses (InvalidInput) an
    unknown action and a range that ends before it starts, for the page and the API alike."""

    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    request_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.action and self.action not in Action.values:
            errors["action"] = [_("Unknown action.")]
        if self.since and self.until and self.since > self.until:
            errors["until"] = [_("The end date is before the start date.")]
        if errors:
            raise InvalidInput(details=errors)


def audit_entries_for(user: object, filters: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    require_capability(user, Capability.VIEW_AUDIT_LOG)
    entries = AuditEntry.objects.select_related("actor")
    f = filters or AuditFilter()
    if f.action:
        entries = entries.filter(action=Action(f.action))
    if f.actor:
        entries = entries.filter(actor_label__icontains=f.actor)
    if f.target_type:
        entries = entries.filter(target_type=f.target_type)
    if f.target_id:
        entries = entries.filter(target_id=f.target_id)
    if f.request_id:
        entries = entries.filter(request_id=f.request_id)
    if f.since:
        entries = entries.filter(created_at__date__gte=f.since)
    if f.until:
        entries = entries.filter(created_at__date__lte=f.until)
    return entries


def audit_entry_for(user: object, entry_id: int) -> AuditEntry:
    try:
        return audit_entries_for(user).get(pk=entry_id)
    except AuditEntry.DoesNotExist:
        raise Http404 from None


def target_types() -> list[str]:
    return list(
        AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    )

"""JSON API over the audit log (bureau only, read-only)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from ipops.apitools import strict_query
from ipops.audit import queries

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    created_at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    old_values: dict[str, Any]
    new_values: dict[str, Any]
    request_id: str


FILTERS = ("action", "actor", "target_type", "target_id", "request_id", "since", "until")


@router.get("/entries", response=list[AuditEntryOut], summary="Audit entries, newest first")
@paginate(LimitOffsetPagination)
@strict_query(FILTERS)
def list_entries(
    request: HttpRequest,
    action: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    request_id: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Any:
    filters = queries.AuditFilter(
        action=action,
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        request_id=request_id,
        since=since,
        until=until,
    )
    return queries.audit_entries_for(request.user, filters)


@router.get("/entries/{entry_id}", response=AuditEntryOut)
def get_entry(request: HttpRequest, entry_id: int) -> Any:
    return queries.audit_entry_for(request.user, entry_id)

"""The one way to write the audit log.

Every service that writes calls `record_write` inside its own `transaction.atomic()` block, so
the entry commits or rolls back with the change it describes.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from ipops.audit.actions import Action
from ipops.audit.context import current_request_id
from ipops.audit.models import AuditEntry

Values = Mapping[str, Any]


@dataclass(frozen=True)
class TargetRef:
    """A target that is not (or no longer) a model row, e.g. the username of a failed sign-in."""

    type: str
    id: str
    label: str


def record_write(
    *,
    actor: Any,
    action: Action,
    target: models.Model | TargetRef,
    old: Values | None = None,
    new: Values | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the write it describes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_write must be called inside the write's transaction")
    ref = _target_ref(target)
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if signed_in else None,
        actor_label=actor.get_username() if signed_in else _unsigned_actor_label(),
        actor_organization_id=getattr(actor, "organization_id", None) if signed_in else None,
        action=Action(action),
        target_type=ref.type,
        target_id=ref.id,
        target_label=ref.label[:255],
        old_values=_json_safe(old or {}),
        new_values=_json_safe(new or {}),
        request_id=current_request_id(),
    )


def _unsigned_actor_label() -> str:
    """Nobody signed in: a visitor on the web (a failed sign-in, a reset request), or the
    platform itself (an `ipops` command, a background task)."""
    request_id = current_request_id()
    return "anonymous" if request_id and not request_id.startswith("cli-") else "system"


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row as JSON-safe values (foreign keys by id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(instance, attname)
    return _json_safe(values)


def changes(old: Values, new: Values) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose value differs, before and after."""
    changed = [key for key in new if old.get(key) != new.get(key)]
    return {key: old.get(key) for key in changed}, {key: new[key] for key in changed}


def _target_ref(target: models.Model | TargetRef) -> TargetRef:
    if isinstance(target, TargetRef):
        return target
    return TargetRef(type=target._meta.label_lower, id=str(target.pk), label=str(target))


def _json_safe(values: Values) -> dict[str, Any]:
    return {key: _json_value(value) for key, value in values.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(item) for item in value]
    if isinstance(value, Mapping):
        return _json_safe(value)
    return value

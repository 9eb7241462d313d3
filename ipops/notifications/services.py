"""Writes of notifications: telling people, and marking what they have read.

`notify` runs inside the caller's transaction (the state change it reports), so a
rolled-back change leaves no notice behind; the e-mail copy goes out only after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ipops.accounts.models import User
from ipops.audit.actions import Action
from ipops.audit.services import TargetRef, record_write
from ipops.notifications.models import Notification

logger = logging.getLogger(__name__)


def notify(*, recipients: Iterable[User], subject: str, body: str = "", link: str = "") -> int:
    """Leave a notice for each active recipient (once each) and e-mail those with an address.
    Must run inside the transaction of the change it reports."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must be called inside the change's transaction")
    people = {user.pk: user for user in recipients if user.is_active}
    Notification.objects.bulk_create(
        Notification(recipient=user, subject=subject[:200], body=body, link=link)
        for user in people.values()
    )
    addresses = sorted({user.email for user in people.values() if user.email})
    if addresses:
        text = f"{body}\n\n{link}".strip()
        transaction.on_commit(lambda: _send(subject, text, addresses))
    return len(people)


def _send(subject: str, text: str, addresses: list[str]) -> None:
    try:
        send_mail(subject, text, None, addresses)
    except Exception:  # the notice is in the app already; a mail outage must not fail the change
        logger.exception("notification e-mail to %s failed", len(addresses))


def mark_read(*, actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own unread notices read (all of them when ``ids`` is None)."""
    with transaction.atomic():
        unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=list(ids))
        count = unread.update(read_at=timezone.now())
        if count:
            record_write(
                actor=actor,
                action=Action.NOTIFICATIONS_READ,
                target=TargetRef("notifications.notification", str(actor.pk), str(actor)),
                new={"count": count},
            )
    return count

"""Notices: left inside the change's transaction, read only by their recipient."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from ipcore.access import Role
from ipops.audit.models import AuditEntry
from ipops.notifications import queries, services
from ipops.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_notices_are_written_with_the_change_and_read_by_their_recipient(  # type: ignore[no-untyped-def]
    personas, client
) -> None:
    alice, bob = personas[Role.ENTERPRISE], personas[Role.BANK]
    with transaction.atomic():
        assert services.notify(recipients=[alice, alice, bob], subject="交易 1：洽谈") == 2
    with pytest.raises(ZeroDivisionError), transaction.atomic():  # a rolled-back change
        services.notify(recipients=[alice], subject="never")
        1 / 0  # noqa: B018
    assert queries.unread_count(alice) == 1
    mine = Notification.objects.get(recipient=alice)
    assert services.mark_read(actor=bob, ids=[mine.pk]) == 0  # not bob's
    assert queries.unread_count(alice) == 1
    client.force_login(alice)
    assert "交易 1：洽谈" in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:read"), {"id": str(mine.pk)})
    assert queries.unread_count(alice) == 0 and queries.unread_count(bob) == 1
    assert AuditEntry.objects.filter(action="notifications.read").count() == 1

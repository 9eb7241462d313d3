"""What the operator's `ipops` commands share: naming an organisation, saying why a service
refused."""

from __future__ import annotations

from django.core.management.base import CommandError

from ipops.accounts.models import Organization
from ipops.errors import ServiceError


def organization_from(reference: str) -> Organization:
    """The organisation a command argument names: its unified social credit code (any case)
    or its id. A CommandError names what was given when there is none."""
    text = reference.strip()
    found = Organization.objects.filter(uscc=text.upper()).first()
    if found is None and text.isdigit():
        found = Organization.objects.filter(pk=int(text)).first()
    if found is None:
        raise CommandError(f"no organisation with credit code or id {reference!r}")
    return found


def describe(error: ServiceError) -> str:
    """A refused request as lines: the message, then each field with what is wrong."""
    lines = [str(error.message)]
    lines += [
        f"  {field}: {'; '.join(map(str, messages))}" for field, messages in error.details.items()
    ]
    return "\n".join(lines)

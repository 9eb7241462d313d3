"""Builders for organisations and people, one persona per role (Healthchecks-style).

Credit codes are made with the real GB 32100 / GB 11714 check characters, so every factory
organisation passes the same validation as a real one.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.db import transaction

from ipcore.access import OrganizationKind, Role
from ipcore.identifiers.uscc import org_code_check_char, uscc_check_char
from ipops.accounts import services
from ipops.accounts.models import Organization, User

PASSWORD = "correct-horse-battery-staple"
_serial = itertools.count(1)

KIND_OF_ROLE = {
    Role.BUREAU: OrganizationKind.BUREAU,
    Role.CENTER: OrganizationKind.PROTECTION_CENTER,
    Role.PROVIDER: OrganizationKind.SERVICE_INSTITUTION,
    Role.ENTERPRISE: OrganizationKind.ENTERPRISE,
    Role.BANK: OrganizationKind.BANK,
}


def valid_uscc(serial: int, region: str = "310115", authority: str = "91") -> str:
    body = f"T{serial:07d}"
    first17 = authority + region + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def make_organization(
    kind: OrganizationKind | str = OrganizationKind.ENTERPRISE, **fields: str
) -> Organization:
    serial = next(_serial)
    defaults = {
        "name": f"测试机构{serial}有限公司",
        "kind": str(kind),
        "uscc": valid_uscc(serial),
        "division_code": "310115",
    }
    return services.create_organization(actor=None, **(defaults | fields))


def make_user(organization: Organization, username: str | None = None, **fields: Any) -> User:
    with transaction.atomic():
        return services.create_user(
            actor=None,
            username=username or f"user{next(_serial)}",
            password=PASSWORD,
            organization=organization,
            **fields,
        )


def make_persona(role: Role, organization: Organization | None = None) -> User:
    organization = organization or make_organization(KIND_OF_ROLE[role])
    return make_user(organization, username=f"{role.value}-{next(_serial)}")

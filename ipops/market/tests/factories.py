"""Market test data: corpus patents held by a persona's organisation."""

from __future__ import annotations

import datetime as dt

from ipops.accounts.models import Organization
from ipops.corpus.models import Entity, Party, Patent
from ipops.corpus.tests.factories import granted_cn_record, load


def hold(patent: Patent, organization: Organization) -> Patent:
    """Resolve the patent's applicants to an entity of ``organization`` (as applicant
    resolution and the bureau's linking of entities to organisations would)."""
    entity, _ = Entity.objects.get_or_create(
        key=f"org-{organization.pk}", defaults={"name": organization.name}
    )
    Entity.objects.filter(pk=entity.pk).update(organization=organization)
    Party.objects.filter(patent=patent, role__in=("applicant", "owner")).update(entity=entity)
    return patent


def granted_patent(serial: int, organization: Organization | None = None) -> Patent:
    (patent,) = load(granted_cn_record(serial))
    return hold(patent, organization) if organization else patent


def lapse(patent: Patent, on: dt.date = dt.date(2024, 9, 13)) -> None:
    """Record CF01 (lapsed for an unpaid annual fee) on the patent."""
    from ipops.corpus.models import LegalEvent

    LegalEvent.objects.create(patent=patent, code="CF01", date=on, effective_date=on)

"""关联申请人 — the bureau links an applicant entity to its organisation: page, service, CLI."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from ipcore.access import Role
from ipops.accounts.tests.factories import make_persona
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.corpus import services
from ipops.corpus.models import Entity
from ipops.corpus.tests.factories import granted_cn_record, load
from ipops.errors import Conflict, NotPermitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity() -> Entity:
    (patent,) = load(granted_cn_record())
    return Entity.objects.get(parties__patent=patent, parties__role="applicant")


def test_the_bureau_links_and_unlinks_on_the_page(
    client_for: Any, personas: dict[Role, Any], entity: Entity
) -> None:
    enterprise = personas[Role.ENTERPRISE].organization
    client = client_for(Role.BUREAU)
    page = client.get(f"/patents/organizations/{entity.pk}/").content.decode()
    assert "尚未关联平台机构" in page or "Not linked" in page
    response = client.post(
        f"/patents/organizations/{entity.pk}/link/", {"organization": enterprise.pk}
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.organization_id == enterprise.pk
    entry = AuditEntry.objects.get(action=Action.ENTITY_LINKED)
    assert entry.new_values == {"organization": enterprise.pk}
    assert enterprise.name in client.get(f"/patents/organizations/{entity.pk}/").content.decode()
    client.post(f"/patents/organizations/{entity.pk}/link/", {"organization": ""})
    entity.refresh_from_db()
    assert entity.organization_id is None


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.BUREAU])
def test_nobody_but_the_bureau_links(
    client_for: Any, personas: dict[Role, Any], entity: Entity, role: Role
) -> None:
    enterprise = personas[Role.ENTERPRISE].organization
    page = client_for(role).get(f"/patents/organizations/{entity.pk}/").content.decode()
    assert "/link/" not in page  # no form offered
    response = client_for(role).post(
        f"/patents/organizations/{entity.pk}/link/", {"organization": enterprise.pk}
    )
    assert response.status_code in (302, 403)  # the public is sent to sign in
    entity.refresh_from_db()
    assert entity.organization_id is None
    actor = AnonymousUser() if role is Role.PUBLIC else personas[role]
    with pytest.raises(NotPermitted):
        services.link_entity(actor=actor, entity=entity, organization=enterprise)


def test_an_entity_of_another_organisation_is_refused_and_audited(
    personas: dict[Role, Any], entity: Entity
) -> None:
    bureau = personas[Role.BUREAU]
    first = personas[Role.ENTERPRISE].organization
    other = make_persona(Role.ENTERPRISE).organization
    assert other is not None
    services.link_entity(actor=bureau, entity=entity, organization=first)
    with pytest.raises(Conflict) as refused:
        services.link_entity(actor=bureau, entity=entity, organization=other)
    assert refused.value.code == "entity_linked"
    assert first.name in str(refused.value.message)
    entity.refresh_from_db()
    assert entity.organization_id == first.pk
    entry = AuditEntry.objects.get(action=Action.ENTITY_LINK_REFUSED)
    assert entry.new_values == {"organization": other.pk, "linked_to": first.pk}


def test_the_command_links_by_applicant_name(
    personas: dict[Role, Any], entity: Entity, capsys: pytest.CaptureFixture[str]
) -> None:
    enterprise = personas[Role.ENTERPRISE].organization
    call_command("linkentity", enterprise.uscc, "--name", "上海张江智芯科技有限公司")
    entity.refresh_from_db()
    assert entity.organization_id == enterprise.pk
    assert "linked to" in capsys.readouterr().out
    call_command("linkentity", str(enterprise.pk), "--entity", str(entity.pk), "--unlink")
    entity.refresh_from_db()
    assert entity.organization_id is None
    with pytest.raises(CommandError, match="no applicant in the corpus"):
        call_command("linkentity", enterprise.uscc, "--name", "不存在的公司")
    with pytest.raises(CommandError, match="no organisation"):
        call_command("linkentity", "91310115XXXXXXXXXX", "--entity", str(entity.pk))

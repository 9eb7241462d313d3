"""Applicant resolution in the corpus: clusters across spellings, people's decisions win."""

from __future__ import annotations

import pytest

from ipcore.access import Role
from ipcore.patents.record import Party, PartyRole
from ipops.audit.models import AuditEntry
from ipops.corpus import services
from ipops.corpus.models import NameDecision, NameLink
from ipops.corpus.models import Party as PartyRow
from ipops.corpus.tests.factories import load, us_record
from ipops.errors import InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db


def owner(name: str) -> tuple[Party, ...]:
    return (Party(PartyRole.OWNER, 1, name),)


def entity_of(name: str) -> int | None:
    return PartyRow.objects.filter(name=name).values_list("entity_id", flat=True).first()


def test_resolution_joins_spellings_of_one_company() -> None:
    load(
        us_record("1", parties=owner("International Business Machines Corporation")),
        us_record("2", parties=owner("INTERNATIONAL BUSINESS MACHINES CORP.")),
        us_record("3", parties=owner("Intel Corporation")),
    )
    services.resolve_entities(actor=None)
    assert entity_of("International Business Machines Corporation") == entity_of(
        "INTERNATIONAL BUSINESS MACHINES CORP."
    )
    assert entity_of("Intel Corporation") != entity_of("INTERNATIONAL BUSINESS MACHINES CORP.")


def test_a_merge_decision_joins_what_the_rules_keep_apart() -> None:
    load(
        us_record("1", parties=owner("Toyota Jidosha Kabushiki Kaisha")),
        us_record("2", parties=owner("Toyota Jidosha Kogyo Kabushiki Kaisha")),
    )
    services.resolve_entities(actor=None)
    assert entity_of("Toyota Jidosha Kabushiki Kaisha") != entity_of(
        "Toyota Jidosha Kogyo Kabushiki Kaisha"
    )
    services.record_name_decision(
        actor=None,
        kind="merge",
        name_a="Toyota Jidosha Kabushiki Kaisha",
        name_b="Toyota Jidosha Kogyo Kabushiki Kaisha",
        note="renamed 1982",
    )
    services.resolve_entities(actor=None)
    assert entity_of("Toyota Jidosha Kabushiki Kaisha") == entity_of(
        "Toyota Jidosha Kogyo Kabushiki Kaisha"
    )
    assert AuditEntry.objects.filter(action="corpus.name_decision_recorded").count() == 1


def test_a_split_decision_survives_later_imports() -> None:
    load(
        us_record("1", parties=owner("Acme Laboratories Inc")),
        us_record("2", parties=owner("Acme Laboratory Inc")),
    )
    services.resolve_entities(actor=None)
    assert entity_of("Acme Laboratories Inc") == entity_of("Acme Laboratory Inc")
    services.record_name_decision(
        actor=None, kind="split", name_a="Acme Laboratories Inc", name_b="Acme Laboratory Inc"
    )
    services.resolve_entities(actor=None)
    load(us_record("3", parties=owner("ACME LABORATORIES")))
    services.resolve_entities(actor=None)
    assert entity_of("Acme Laboratories Inc") != entity_of("Acme Laboratory Inc")
    assert entity_of("ACME LABORATORIES") == entity_of("Acme Laboratories Inc")


def test_names_that_normalise_alike_cannot_be_split() -> None:
    with pytest.raises(InvalidInput):
        services.record_name_decision(
            actor=None, kind="split", name_a="Canon Inc.", name_b="Canon KK"
        )


def test_a_decision_needs_two_different_names() -> None:
    with pytest.raises(InvalidInput):
        services.record_name_decision(actor=None, kind="merge", name_a="Canon", name_b=" Canon ")
    assert NameDecision.objects.count() == 0


def test_only_the_bureau_may_decide(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.record_name_decision(
            actor=personas[Role.PROVIDER], kind="merge", name_a="A Co", name_b="B Co"
        )


def test_the_review_page_records_a_decision_and_re_runs(client_for) -> None:  # type: ignore[no-untyped-def]
    load(us_record("1", parties=owner("Canon Kabushiki Kaisha")))
    client = client_for(Role.BUREAU)
    page = client.get("/patents/names/?q=Canon")
    assert "Canon Kabushiki Kaisha" in page.content.decode()
    response = client.post(
        "/patents/names/", {"kind": "merge", "name_a": "Canon Inc.", "name_b": "Kyanon KK"}
    )
    assert response.status_code == 302
    assert NameDecision.objects.get().kind == "merge"
    assert client.post("/patents/names/", {"resolve": "1"}).status_code == 302
    assert AuditEntry.objects.filter(action="corpus.names_resolved").exists()


def load_ibm_and_its_acronym() -> None:
    load(
        us_record("1", parties=owner("International Business Machines Corporation (IBM)")),
        us_record("2", parties=owner("IBM Corp.")),
    )


def test_every_merge_is_stored_with_its_reason() -> None:
    load_ibm_and_its_acronym()
    services.resolve_entities(actor=None)
    link = NameLink.objects.get()
    assert (link.source_name, link.target_name) == (
        "IBM Corp.",
        "International Business Machines Corporation (IBM)",
    )
    assert link.stage == NameLink.Stage.ACRONYM
    assert "IBM" in link.detail
    assert not link.refused
    services.resolve_entities(actor=None)
    assert NameLink.objects.count() == 1  # an explanation of the current clusters, not history


def test_a_reviewer_splits_an_automatic_merge_from_the_review_page(client_for) -> None:  # type: ignore[no-untyped-def]
    load_ibm_and_its_acronym()
    services.resolve_entities(actor=None)
    client = client_for(Role.BUREAU)
    page = client.get("/patents/names/").content.decode()
    assert "IBM Corp." in page and "组织自己声明的缩写" in page
    response = client.post(
        "/patents/names/",
        {
            "kind": "split",
            "name_a": "IBM Corp.",
            "name_b": "International Business Machines Corporation (IBM)",
        },
    )
    assert response.status_code == 302
    services.resolve_entities(actor=None)
    assert entity_of("IBM Corp.") != entity_of("International Business Machines Corporation (IBM)")
    refused = NameLink.objects.get()
    assert refused.refused
    assert "被拆分决定阻止的归并" in client.get("/patents/names/").content.decode()

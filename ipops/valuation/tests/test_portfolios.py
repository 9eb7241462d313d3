"""Portfolios (by owner, dataset, hand), their standing, who may build and see them, and the
cultivation programme; the portfolio command."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from django.http import Http404

from ipcore.access import Role
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.corpus.models import Patent
from ipops.errors import Conflict, InvalidInput, NotPermitted
from ipops.landscape.services import create_dataset
from ipops.search.services import apply_pending_changes
from ipops.valuation import queries, services
from ipops.valuation.models import Portfolio, ProgrammeEntry
from ipops.valuation.services import PortfolioSource
from ipops.valuation.tests.factories import build_corpus

pytestmark = pytest.mark.django_db

APPLICANT = "上海张江智芯科技有限公司"


@pytest.fixture
def corpus() -> dict[str, Patent]:
    patents = build_corpus()
    services.rescore_corpus(actor=None)
    return patents


def by_owner(actor: Any, **changes: Any) -> Portfolio:
    return services.create_portfolio(
        actor=actor,
        name="智芯",
        source=PortfolioSource(basis=Portfolio.Basis.OWNER, owner=APPLICANT),
        **changes,
    )


def test_a_portfolio_by_owner_takes_every_patent_of_the_applicant(
    corpus: dict[str, Patent], personas: dict[Role, Any]
) -> None:
    enterprise = personas[Role.ENTERPRISE]
    portfolio = by_owner(enterprise, key_field="integrated-circuits")
    cn = {p.pk for name, p in corpus.items() if p.office == "CN"}
    assert set(portfolio.members.values_list("patent_id", flat=True)) == cn
    assert portfolio.organization_id == enterprise.organization_id
    assert AuditEntry.objects.get(action=Action.PORTFOLIO_CREATED).new_values["patents"] == len(cn)
    report = queries.portfolio_report(portfolio)
    standing = report.standing
    # in force: sei, abroad, old, pledged, partly, plain, pct — 7 of 60; 1 PCT application
    assert (standing.inventions, standing.pct) == (7, 1)
    assert (standing.inventions_needed, standing.pct_needed) == (53, 11)
    assert standing.not_counted_pending == 1
    assert "还差 53 件发明专利、11 件 PCT 申请" in standing.sentence("zh")
    assert report.composition.types == {"invention": 8, "utility_model": 1}
    assert report.strength.unknown_families == report.strength.families  # no citing data


def test_counting_rules_are_settings(
    corpus: dict[str, Patent], personas: dict[Role, Any], settings: Any
) -> None:
    settings.PORTFOLIO_COUNT_PENDING = True
    settings.PORTFOLIO_MIN_INVENTIONS = 8
    settings.PORTFOLIO_MIN_PCT = 1
    report = queries.portfolio_report(by_owner(personas[Role.ENTERPRISE]))
    assert report.standing.inventions == 8
    assert report.standing.meets
    assert report.standing.sentence("en").startswith("Meets the target")


def test_by_hand_and_by_dataset(corpus: dict[str, Patent], personas: dict[Role, Any]) -> None:
    provider = personas[Role.PROVIDER]
    client = personas[Role.ENTERPRISE].organization
    hand = services.create_portfolio(
        actor=provider,
        name="手工",
        source=PortfolioSource(basis="hand", numbers=["CN 113700001 B", "US 2015/0123456 A1"]),
        organization=client,
    )
    assert hand.members.count() == 2
    assert hand.organization_id == client.pk  # a provider builds for its client
    with pytest.raises(InvalidInput) as caught:
        services.create_portfolio(
            actor=provider,
            name="x",
            source=PortfolioSource(basis="hand", numbers=["CN 999999999 B"]),
        )
    assert "CN 999999999 B" in str(caught.value.details["numbers"])
    apply_pending_changes()
    dataset = create_dataset(actor=provider, name="锂电池", query="锂电池")
    from_field = services.create_portfolio(
        actor=provider, name="领域", source=PortfolioSource(basis="dataset", dataset=dataset)
    )
    assert from_field.members.count() == dataset.size
    assert from_field.dataset_id == dataset.pk


def test_change_and_refresh_keep_hand_additions(
    corpus: dict[str, Patent], personas: dict[Role, Any]
) -> None:
    enterprise = personas[Role.ENTERPRISE]
    portfolio = by_owner(enterprise)
    size = portfolio.members.count()
    changed = services.change_portfolio(
        actor=enterprise,
        portfolio=portfolio,
        add=["US 9,000,001 B2"],
        remove=[corpus["utility"].pk],
    )
    assert changed == 2
    assert services.refresh_portfolio(actor=enterprise, portfolio=portfolio) == size + 1
    ids = set(portfolio.members.values_list("patent_id", flat=True))
    assert corpus["cited"].pk in ids  # added by hand: kept
    assert corpus["utility"].pk in ids  # the owner's again


def test_who_may_build_change_and_see(corpus: dict[str, Patent], personas: dict[Role, Any]) -> None:
    portfolio = by_owner(personas[Role.ENTERPRISE])
    with pytest.raises(NotPermitted):
        by_owner(personas[Role.BANK])
    with pytest.raises(NotPermitted):  # a provider may not build for a stranger
        by_owner(personas[Role.PROVIDER], organization=personas[Role.BANK].organization)
    with pytest.raises(NotPermitted):
        services.delete_portfolio(actor=personas[Role.CENTER], portfolio=portfolio)
    for role in (Role.BUREAU, Role.PROVIDER, Role.ENTERPRISE):
        assert queries.portfolio_for(personas[role], portfolio.pk) == portfolio
    for role in (Role.BANK, Role.CENTER):
        with pytest.raises(Http404):
            queries.portfolio_for(personas[role], portfolio.pk)
    services.delete_portfolio(actor=personas[Role.PROVIDER], portfolio=portfolio)
    assert not Portfolio.objects.exists()


def test_an_owner_name_that_names_nobody(
    corpus: dict[str, Patent], personas: dict[Role, Any]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.create_portfolio(
            actor=personas[Role.ENTERPRISE],
            name="x",
            source=PortfolioSource(basis="owner", owner="不存在的公司"),
        )
    assert "owner" in caught.value.details


def test_the_programme(corpus: dict[str, Patent], personas: dict[Role, Any]) -> None:
    bureau = personas[Role.BUREAU]
    portfolio = by_owner(personas[Role.ENTERPRISE])
    with pytest.raises(NotPermitted):
        services.enrol_in_programme(
            actor=personas[Role.PROVIDER], portfolio=portfolio, key_field="ai", start_year=2024
        )
    with pytest.raises(InvalidInput):
        services.enrol_in_programme(
            actor=bureau, portfolio=portfolio, key_field="quantum", start_year=2024
        )
    entry = services.enrol_in_programme(
        actor=bureau, portfolio=portfolio, key_field="integrated-circuits", start_year=2024
    )
    with pytest.raises(Conflict):
        services.enrol_in_programme(
            actor=bureau, portfolio=portfolio, key_field="ai", start_year=2024
        )
    programme = queries.programme_for(personas[Role.BANK])
    assert (programme.target, programme.enrolled, programme.meeting) == (25, 1, 0)
    assert programme.lines[0].visible is False  # counted for everyone, opened by its owners
    assert queries.programme_for(personas[Role.ENTERPRISE]).lines[0].visible is True
    services.withdraw_from_programme(actor=bureau, entry=entry)
    assert not ProgrammeEntry.objects.exists()


def test_the_portfolio_command(
    corpus: dict[str, Patent], personas: dict[Role, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    organization = personas[Role.ENTERPRISE].organization
    call_command(
        "portfolio", "create", "智芯", "--org", organization.uscc, "--owner", APPLICANT, "--json"
    )
    created = json.loads(capsys.readouterr().out)
    assert created["standing"]["invention_patents_missing"] == 53
    call_command("portfolio", "enrol", str(created["id"]), "--key-field", "ai")
    call_command("portfolio", "programme", "--json")
    programme = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert programme["enrolled"] == 1 and programme["portfolios_missing"] == 24
    call_command("portfolio", "show", str(created["id"]), "--lang", "en")
    assert "Short of the target by 53 invention patents" in capsys.readouterr().out
    call_command("portfolio", "list")
    assert "[programme]" in capsys.readouterr().out

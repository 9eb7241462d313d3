"""Pledges: refused for each ground the platform can check (nothing written, the attempt
audited), registered with PE01 on the patents, released with PC01, seen only by the parties
and the bureau."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ipcore.access import Role
from ipops.accounts.tests.factories import make_persona
from ipops.audit.models import AuditEntry
from ipops.corpus.models import LegalEvent, Party
from ipops.errors import InvalidInput, NotPermitted
from ipops.finance import services
from ipops.finance.models import Pledge
from ipops.market.tests.factories import granted_patent, lapse
from ipops.notifications.models import Notification

pytestmark = pytest.mark.django_db
E, K, B = Role.ENTERPRISE, Role.BANK, Role.BUREAU


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def _application(personas: Any, **changes: Any) -> services.PledgeApplication:
    values: dict[str, Any] = {
        "pledgor": personas[E].organization,
        "numbers": ["CN113700001B"],
        "claim_type": "loan",
        "amount": Decimal("10000000"),
        "debt_start": dt.date(2026, 1, 1),
        "debt_end": dt.date(2028, 12, 31),
    }
    values.update(changes)
    return services.PledgeApplication(**values)


@pytest.fixture
def patent(personas):  # type: ignore[no-untyped-def]
    return granted_patent(1, personas[E].organization)


def test_a_pledge_is_registered_with_pe01_and_released_with_pc01(personas, patent) -> None:  # type: ignore[no-untyped-def]
    check = services.check_pledge(actor=personas[K], application=_application(personas))
    assert [r.ground.value for r in check.refusals] == ["fee_overdue"]  # cannot tell
    assert check.registrable
    pledge = services.register_pledge(actor=personas[K], application=_application(personas))
    assert pledge.number.startswith("Y") and pledge.pledgee == personas[K].organization
    assert LegalEvent.objects.filter(patent=patent, code="PE01").exists()
    assert AuditEntry.objects.filter(action="finance.pledge_registered").exists()
    assert Notification.objects.filter(recipient=personas[E]).exists()
    with pytest.raises(InvalidInput) as raised:  # already pledged
        services.register_pledge(actor=personas[K], application=_application(personas))
    assert "already pledged" in raised.value.details["numbers"][0]
    with pytest.raises(NotPermitted):  # only the pledgee (or the bureau) releases
        services.release_pledge(actor=make_persona(K), pledge=pledge)
    services.release_pledge(actor=personas[K], pledge=pledge)
    assert Pledge.objects.get().status == "released"
    assert LegalEvent.objects.filter(patent=patent, code="PC01").exists()
    again = services.register_pledge(actor=personas[K], application=_application(personas))
    assert again.pk != pledge.pk


@pytest.mark.parametrize(
    ("setup", "changes", "words"),
    [
        ("lapsed", {}, "is not in force"),
        ("none", {"debt_end": dt.date(2042, 1, 1)}, "runs past"),
        ("none", {"amount": Decimal("-1")}, "must be positive"),
        ("co_owner", {}, "consent missing from: 复旦大学"),
        ("pledged_at_cnipa", {}, "already pledged"),
        ("preserved", {}, "preserved"),
    ],
)
def test_each_refusal_ground_refuses_and_nothing_is_written(  # type: ignore[no-untyped-def]
    personas, patent, setup, changes, words
) -> None:
    if setup == "lapsed":
        lapse(patent)
    if setup == "co_owner":
        Party.objects.create(patent=patent, role="applicant", sequence=2, name="复旦大学")
    if setup == "pledged_at_cnipa":
        LegalEvent.objects.create(patent=patent, code="PE01", date=dt.date(2024, 3, 1))
    if setup == "preserved":
        LegalEvent.objects.create(patent=patent, code="PP01", date=dt.date(2024, 3, 1))
    with pytest.raises(InvalidInput) as raised:
        services.register_pledge(actor=personas[K], application=_application(personas, **changes))
    assert any(words in reason for reason in raised.value.details["numbers"])
    assert not Pledge.objects.exists()
    assert not LegalEvent.objects.filter(code="PE01", date__gt=dt.date(2025, 1, 1)).exists()
    assert AuditEntry.objects.filter(action="finance.pledge_refused").count() == 1


def test_a_consenting_co_owner_lets_it_register(personas, patent) -> None:  # type: ignore[no-untyped-def]
    Party.objects.create(patent=patent, role="applicant", sequence=2, name="复旦大学")
    application = _application(personas, consents=["复旦大学"])
    assert services.register_pledge(actor=personas[K], application=application).pk


def test_only_banks_register_and_only_the_parties_see_it(personas, patent, client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.register_pledge(actor=personas[E], application=_application(personas))
    pledge = services.register_pledge(actor=personas[K], application=_application(personas))
    url = reverse("finance:pledge_detail", args=[pledge.pk])
    for persona, status in (
        (personas[E], 200),
        (personas[B], 200),
        (personas[Role.PROVIDER], 200),  # serves the pledgor
        (make_persona(K), 404),
        (make_persona(E), 404),
    ):
        client.force_login(persona)
        assert client.get(url).status_code == status


def test_the_page_shows_the_grounds_before_registering(personas, patent, client) -> None:  # type: ignore[no-untyped-def]
    lapse(patent)
    client.force_login(personas[K])
    form = {
        "pledgor": personas[E].organization.pk,
        "numbers": "CN113700001B",
        "claim_type": "loan",
        "amount": "5000000",
        "debt_start": "2026-01-01",
        "debt_end": "2027-01-01",
    }
    checked = client.post(reverse("finance:pledge_create"), form | {"action": "check"})
    assert "CN113700001B" in checked.content.decode()
    assert not Pledge.objects.exists()
    refused = client.post(reverse("finance:pledge_create"), form | {"action": "register"})
    assert refused.status_code == 200 and not Pledge.objects.exists()


def test_the_register_feeds_the_high_value_pledge_criterion(personas, patent) -> None:  # type: ignore[no-untyped-def]
    from ipops.valuation.pledges import registered_pledge_amounts

    assert registered_pledge_amounts([patent.pk]) == {}
    pledge = services.register_pledge(actor=personas[K], application=_application(personas))
    services.release_pledge(actor=personas[K], pledge=pledge)  # a released pledge still counts
    larger = _application(personas, amount=Decimal("30000000"))
    services.register_pledge(actor=personas[K], application=larger)
    assert registered_pledge_amounts([patent.pk]) == {patent.pk: Decimal("30000000")}


def test_the_risk_panel_flags_a_pledged_patent_that_lapsed_or_expires_early(  # type: ignore[no-untyped-def]
    personas, patent, client
) -> None:
    from ipops.finance import queries

    pledge = services.register_pledge(actor=personas[K], application=_application(personas))
    today = dt.date(2026, 11, 25)
    quiet = queries.risk_panel(personas[K], on=today)
    # filed 2021-09-13: the year-6 fee falls due on 2026-09-13 … the next one 2027-09-13
    assert [line.severe for line in quiet] == []
    soon = queries.risk_panel(personas[K], on=dt.date(2027, 7, 1))
    assert any("Annual fee" in alert for line in soon for alert in line.alerts)
    lapse(patent, on=dt.date(2027, 9, 13))
    (line,) = queries.risk_panel(personas[K], on=dt.date(2027, 10, 1))
    assert line.severe and line.pledge == pledge and "No longer in force" in line.alerts[0]
    assert queries.risk_panel(make_persona(K), on=dt.date(2027, 10, 1)) == []  # not its pledge
    LegalEvent.objects.create(patent=patent, code="IP01", date=dt.date(2025, 5, 1))  # partly
    client.force_login(personas[K])
    page = client.get(reverse("finance:pledge_list")).content.decode()
    assert "CN113700001B" in page and "IP01" in page


def test_the_pledgee_changes_a_pledge_with_pm01_within_the_rules(  # type: ignore[no-untyped-def]
    personas, patent, client
) -> None:
    pledge = services.register_pledge(actor=personas[K], application=_application(personas))
    with pytest.raises(InvalidInput) as raised:  # a debt term past the patent's expiry
        services.change_pledge(
            actor=personas[K], pledge=pledge, amount=Decimal("1"), debt_end=dt.date(2042, 1, 1)
        )
    assert "runs past" in raised.value.details["amount"][0]
    with pytest.raises(InvalidInput):
        services.change_pledge(
            actor=personas[K], pledge=pledge, amount=Decimal("-1"), debt_end=pledge.debt_end
        )
    with pytest.raises(NotPermitted):  # the pledgor cannot change it alone
        services.change_pledge(
            actor=personas[E], pledge=pledge, amount=Decimal("1"), debt_end=pledge.debt_end
        )
    assert Pledge.objects.get().amount == Decimal("10000000")
    assert AuditEntry.objects.filter(action="finance.pledge_change_refused").count() == 2
    client.force_login(personas[K])
    client.post(
        reverse("finance:pledge_change", args=[pledge.pk]),
        {"amount": "12000000", "debt_end": "2029-12-31", "note": "展期"},
    )
    pledge.refresh_from_db()
    assert (pledge.status, pledge.amount) == ("changed", Decimal("12000000"))
    assert pledge.debt_end == dt.date(2029, 12, 31)
    assert LegalEvent.objects.filter(patent=patent, code="PM01").exists()
    with pytest.raises(InvalidInput):  # still standing: it is pledged
        services.register_pledge(actor=personas[K], application=_application(personas))
    services.release_pledge(actor=personas[K], pledge=pledge)
    assert Pledge.objects.get().status == "released"

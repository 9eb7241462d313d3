"""The demo scenario `ipops loaddemo` adds: real Lens records, the services people use."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from ipops.accounts.demo import demo_username, load_demo_accounts
from ipops.accounts.models import User
from ipops.corpus.demo import ROOT
from ipops.corpus.services import ingest_file, resolve_entities
from ipops.finance.models import Pledge
from ipops.landscape.models import Dataset
from ipops.market.models import Deal, Listing, Need
from ipops.portal.demo import load_demo_workflows
from ipops.search.services import apply_pending_changes
from ipops.valuation.models import Portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_corpus(tmp_path: Path) -> None:
    load_demo_accounts()
    ingest_file(
        actor=None,
        path=ROOT / "demo" / "corpus" / "lens-drones-sample.csv.gz",
        format_name="lens",
        source_name="lens",
        rejects_dir=tmp_path,
    )
    resolve_entities(actor=None)
    apply_pending_changes()  # the dataset of the scenario is a search


def test_the_scenario_is_added_once_through_the_services(demo_corpus: None) -> None:
    lines = load_demo_workflows()
    assert any("linked" in line for line in lines)
    enterprise = User.objects.get(username=demo_username("enterprise")).organization
    assert Listing.objects.filter(organization=enterprise).count() == 2
    assert Need.objects.filter(organization=enterprise).count() == 1
    deal = Deal.objects.get()
    assert (deal.stage, deal.messages.count()) == ("negotiation", 3)  # inquiry + 2 messages
    pledge = Pledge.objects.get()
    assert pledge.pledgor == enterprise
    assert pledge.patents.get().legal_events.filter(code="PE01").exists()
    assert Portfolio.objects.filter(organization=enterprise).exists()
    assert Dataset.objects.get().size > 0
    assert load_demo_workflows() == []  # nothing added twice
    assert Listing.objects.count() == 2


def test_each_role_finds_the_scenario_on_its_pages(demo_corpus: None) -> None:
    load_demo_workflows()
    client = Client()
    for role, path, text in [
        ("enterprise", "/market/", "旋翼无人机导航与电机支架专利普通许可"),
        ("provider", "/market/deals/", "旋翼无人机导航与电机支架专利普通许可"),
        ("bank", "/finance/pledges/", "上海张江智芯科技有限公司（演示）"),
        ("bureau", "/market/deals/", "浦东知识产权运营服务有限公司（演示）"),
    ]:
        client.force_login(User.objects.get(username=demo_username(role)))
        page = client.get(path)
        assert page.status_code == 200, path
        assert text in page.content.decode(), (role, path)


def test_without_the_corpus_there_is_no_scenario(db: None) -> None:
    load_demo_accounts()
    assert load_demo_workflows() == []
    assert not Listing.objects.exists()
    assert settings.IPOPS_DEMO_PASSWORD  # the accounts are there to sign in with

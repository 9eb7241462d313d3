"""Two writers on one deal at the same moment, each in its own thread with its own database
connection (as two web workers would be), released together by a barrier.

Of two moves made on the same version, exactly one is applied; the other is told the deal
changed (`Conflict` ``deal_changed``) and writes nothing. Two uploads or two messages at
once both land: they do not change the deal's version. Runs on SQLite (a file copy of the
test database: ``threaded_db`` in ``conftest.py``) and PostgreSQL alike."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from ipcore.access import Role
from ipcore.tests import sample_files
from ipops.accounts.tests.factories import make_persona
from ipops.audit.models import AuditEntry
from ipops.errors import Conflict
from ipops.market import services
from ipops.market.models import Deal, DealDocument, DealMessage, DealStageChange
from ipops.market.tests.factories import granted_patent

pytestmark = pytest.mark.django_db(transaction=True)
E = Role.ENTERPRISE


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Run each action in a thread of its own, all released at the same moment; what each
    returned or raised, in order. Each thread closes its own connection when done."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = action()
        except BaseException as error:  # what it raised is the outcome the test asserts on
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return outcomes


@pytest.fixture
def negotiating(threaded_db: None) -> tuple[Deal, Any, Any]:
    """A transfer deal in negotiation (version 2): the seller and the buyer."""
    seller, buyer = make_persona(E), make_persona(E)
    granted_patent(1, seller.organization)
    listing = services.create_listing(
        actor=seller, kind="transfer", title="专利转让", numbers=["CN113700001B"], contact="021"
    )
    deal = services.open_deal(actor=buyer, listing=listing)
    deal = services.move_deal(actor=seller, deal=deal, to_stage="negotiation", version=1)
    return deal, seller, buyer


def test_two_moves_on_one_version_at_once_one_wins_the_other_is_told(
    negotiating: tuple[Deal, Any, Any],
) -> None:
    deal, seller, buyer = negotiating
    seen_by_seller, seen_by_buyer = Deal.objects.get(pk=deal.pk), Deal.objects.get(pk=deal.pk)
    outcomes = at_once(
        lambda: services.move_deal(
            actor=seller, deal=seen_by_seller, to_stage="contract_signed", version=2
        ),
        lambda: services.move_deal(
            actor=buyer, deal=seen_by_buyer, to_stage="withdrawn", version=2
        ),
    )
    won = [o for o in outcomes if isinstance(o, Deal)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code == "deal_changed"
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == (won[0].stage, 3)
    moves = DealStageChange.objects.filter(deal=deal, from_stage="negotiation")
    assert [m.to_stage for m in moves] == [deal.stage]
    entries = AuditEntry.objects.filter(action="market.deal_moved", new_values__stage=deal.stage)
    assert entries.count() == 1
    assert AuditEntry.objects.filter(action="market.deal_moved").count() == 2  # with the first


def test_two_uploads_and_two_messages_at_once_all_land(
    negotiating: tuple[Deal, Any, Any],
) -> None:
    deal, seller, buyer = negotiating
    pdf, docx = sample_files.pdf(), sample_files.docx()
    outcomes = at_once(
        lambda: services.upload_deal_document(
            actor=seller, deal=deal, kind="contract", file_name="合同.pdf", content=pdf
        ),
        lambda: services.upload_deal_document(
            actor=buyer, deal=deal, kind="other", file_name="意见.docx", content=docx
        ),
        lambda: services.send_message(actor=seller, deal=deal, body="合同已上传"),
        lambda: services.send_message(actor=buyer, deal=deal, body="意见已上传"),
    )
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert sorted(DealDocument.objects.values_list("side", flat=True)) == ["buyer", "seller"]
    assert DealMessage.objects.filter(deal=deal).count() == 2
    assert AuditEntry.objects.filter(action="market.document_uploaded").count() == 2
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == ("negotiation", 2)  # neither touched the deal

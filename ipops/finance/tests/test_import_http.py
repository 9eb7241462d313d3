"""The import page (check, then import) and `POST /api/finance/pledges/import`, for every role:
banks import their own pledges, the bureau any bank's; everyone else is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipcore.access import Role
from ipops.audit.models import AuditEntry
from ipops.finance.models import Pledge
from ipops.market.tests.factories import granted_patent

pytestmark = pytest.mark.django_db
B, C, P, E, K, U = Role.BUREAU, Role.CENTER, Role.PROVIDER, Role.ENTERPRISE, Role.BANK, Role.PUBLIC
URL = "/finance/pledges/import/"
API = "/api/finance/pledges/import"
HEADER = "质押登记号,出质人统一社会信用代码,专利号,债权数额（万元）,债务起始日,债务到期日,登记日"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path  # where a checked file waits for its import


@pytest.fixture
def book(personas):  # type: ignore[no-untyped-def]
    granted_patent(1, personas[E].organization)
    granted_patent(2, personas[E].organization)
    code = personas[E].organization.uscc
    lines = (
        f"Y2023310000001,{code},CN113700001B,500,2023-06-01,2026-05-31,2023-06-06",
        f"Y2023310000002,{code},CN113700002B,80,2023-07-01,2025-06-30,2023-07-03",
    )
    return "\n".join([HEADER, *lines]).encode()


def upload(content: bytes, name: str = "book.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_bank_checks_the_file_then_imports_it(client, personas, book) -> None:  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"
    client.force_login(personas[K])
    assert "Import pledge records" in client.get(reverse("finance:pledge_list")).content.decode()
    checked = client.post(URL, {"file": upload(book), "action": "check"})
    page = checked.content.decode()
    assert checked.status_code == 200 and "Y2023310000002" in page and "500万元" in page
    assert "2 pledges to create; 0 already in the register" in page
    assert not Pledge.objects.exists()
    staged = checked.context["staged"]
    imported = client.post(URL, {"action": "import", "staged": staged})
    assert imported.status_code == 302 and imported.url == reverse("finance:pledge_list")
    assert Pledge.objects.filter(pledgee=personas[K].organization).count() == 2
    assert AuditEntry.objects.filter(action="finance.pledge_file_imported").count() == 1
    again = client.post(URL, {"action": "import", "staged": staged})
    assert again.status_code == 404  # the checked file is gone once imported


def test_the_page_lists_every_problem_with_its_row_and_writes_nothing(  # type: ignore[no-untyped-def]
    client, personas, book
) -> None:
    client.force_login(personas[K])  # Chinese, the suite's language
    bad = book.replace(b"2023-07-01", b"2023-02-30").replace(b",80,", b",-1,")
    page = client.post(URL, {"file": upload(bad), "action": "check"}).content.decode()
    assert "2023-02-30 不是真实的日期" in page and "被担保债权数额须为正数" in page
    assert '<td class="num">3</td>' in page and "债务起始日" in page
    assert "staged" not in page and not Pledge.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="finance.").exists()  # a check only


def test_the_bureau_chooses_the_pledgee(client, personas, book) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas[B])
    bank = personas[K].organization
    checked = client.post(URL, {"file": upload(book), "pledgee": bank.pk, "action": "check"})
    assert checked.context["pledgee_id"] == bank.pk
    client.post(URL, {"action": "import", "staged": checked.context["staged"], "pledgee": bank.pk})
    assert Pledge.objects.filter(pledgee=bank).count() == 2


def test_a_token_of_nothing_kept_is_404(client, personas) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas[K])
    for token in ("0" * 64, "../../etc/passwd", ""):
        assert client.post(URL, {"action": "import", "staged": token}).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    # the bureau, choosing no pledgee for these records, sees the problems page
    [(B, 200), (K, 200), (E, 403), (P, 403), (C, 403), (U, 302)],
)
def test_who_may_post_the_page(client_for, book, role, status) -> None:  # type: ignore[no-untyped-def]
    answer = client_for(role).post(URL, {"file": upload(book), "action": "check"})
    assert answer.status_code == status
    assert not Pledge.objects.exists()


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(K, 200), (B, 422), (E, 403), (P, 403), (C, 403), (U, 401)],
)
def test_who_may_import_through_the_api(client_for, book, role, status) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    answer = client.post(API, {"file": upload(book)})
    assert answer.status_code == status, answer.content
    assert Pledge.objects.count() == (2 if role is K else 0)


def test_the_api_answers_what_it_created_or_every_problem(client_for, personas, book) -> None:  # type: ignore[no-untyped-def]
    client = client_for(B)
    client.cookies["django_language"] = "en"
    bank = personas[K].organization
    dry = client.post(API, {"file": upload(book), "pledgee": bank.uscc, "dry_run": "true"}).json()
    assert dry["dry_run"] and [c["number"] for c in dry["created"]] == [
        "Y2023310000001",
        "Y2023310000002",
    ]
    assert dry["created"][0]["amount"] == "5000000.00" and not Pledge.objects.exists()
    done = client.post(API, {"file": upload(book), "pledgee": bank.uscc}).json()
    assert not done["dry_run"] and done["created"][1]["pledgee"] == bank.name
    again = client.post(API, {"file": upload(book), "pledgee": bank.uscc}).json()
    assert again["created"] == [] and [s["row"] for s in again["skipped"]] == [2, 3]
    refused = client.post(API, {"file": upload(book + b"\nY2023310000003,x"), "pledgee": bank.uscc})
    body: dict[str, Any] = refused.json()
    assert refused.status_code == 422 and body["code"] == "pledge_import_refused"
    assert {(p["row"], p["column"], p["code"]) for p in body["details"]["problems"]} >= {
        (4, "B", "bad_uscc"),
        (4, "C", "missing"),
    }
    unknown = client.post(API, {"file": upload(book), "pledgee": "91310115MA1K3BTP2B"})
    assert unknown.status_code == 422 and "pledgee" in unknown.json()["details"]


def test_a_bank_may_not_name_another_pledgee(client_for, personas, book) -> None:  # type: ignore[no-untyped-def]
    from ipcore.access import OrganizationKind
    from ipops.accounts.tests.factories import make_organization

    other = make_organization(OrganizationKind.BANK)
    answer = client_for(K).post(API, {"file": upload(book), "pledgee": other.uscc})
    assert answer.status_code == 403 and not Pledge.objects.exists()

"""Importing pledge records CNIPA registered: all or nothing (a file with one bad row writes
nothing and lists every problem with its row and column), legal events on the patents, the
audit, idempotent re-imports, a bank's own pledges only — and the committed real-ish book
(real credit codes, real demo-corpus patents) as CSV and as XLSX."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from ipcore.access import OrganizationKind, Role
from ipops.accounts.tests.factories import make_organization
from ipops.audit.models import AuditEntry
from ipops.corpus.models import LegalEvent, Patent
from ipops.errors import Conflict, NotPermitted
from ipops.finance import services
from ipops.finance.models import Pledge
from ipops.market.tests.factories import granted_patent, lapse

pytestmark = pytest.mark.django_db
E, K, B = Role.ENTERPRISE, Role.BANK, Role.BUREAU
FIXTURES = Path(__file__).parent / "fixtures"
HEADER = ",".join(
    (
        "质押登记号",
        "出质人统一社会信用代码",
        "专利号",
        "债权数额（万元）",
        "债务起始日",
        "债务到期日",
        "登记日",
        "状态",
        "注销日",
    )
)


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def patents(personas):  # type: ignore[no-untyped-def]
    return [granted_patent(serial, personas[E].organization) for serial in (1, 2, 3, 4)]


def book(personas: Any, *lines: str, header: str = HEADER) -> bytes:
    """A CSV of pledges given by the enterprise persona; ``{E}`` stands for its credit code."""
    code = personas[E].organization.uscc
    return "\n".join([header, *(line.replace("{E}", code) for line in lines)]).encode()


GOOD = (
    "Y2023310000001,{E},CN113700001B,500,2023-06-01,2026-05-31,2023-06-06,生效,",
    "Y2023310000002,{E},CN113700002B；CN113700003B,1200.5,2023-07-01,2025-06-30,2023-07-03,生效,",
    "Y2023310000003,{E},CN 113700004 B,80,2023-06-01,2024-05-31,2023-06-09,注销,2024-06-04",
)


def test_a_bank_imports_its_book_with_legal_events_and_audit(personas, patents) -> None:  # type: ignore[no-untyped-def]
    content = book(personas, *GOOD[:2])
    done = services.import_pledges(actor=personas[K], file_name="book.csv", content=content)
    assert [p.number for p in done.pledges] == ["Y2023310000001", "Y2023310000002"]
    assert done.warnings() == []  # registered while the patents were in force
    first = Pledge.objects.get(number="Y2023310000001")
    assert first.pledgee == personas[K].organization and first.pledgor == personas[E].organization
    assert first.amount == Decimal("5000000.00") and first.registered_on == dt.date(2023, 6, 6)
    assert first.status == "registered" and first.created_by == personas[K]
    assert Pledge.objects.get(number="Y2023310000002").items.count() == 2
    pe01 = LegalEvent.objects.filter(code="PE01").values_list("patent_id", "date")
    assert set(pe01) == {
        (patents[0].pk, dt.date(2023, 6, 6)),
        (patents[1].pk, dt.date(2023, 7, 3)),
        (patents[2].pk, dt.date(2023, 7, 3)),
    }
    assert AuditEntry.objects.filter(action="finance.pledge_imported").count() == 2
    (entry,) = AuditEntry.objects.filter(action="finance.pledge_file_imported")
    assert entry.new_values["created"] == 2 and entry.new_values["sha256"] == done.sha256
    assert entry.target_label == "book.csv"


def test_a_released_record_is_registered_and_released_with_pe01_and_pc01(personas, patents) -> None:  # type: ignore[no-untyped-def]
    services.import_pledges(actor=personas[K], file_name="b.csv", content=book(personas, GOOD[2]))
    pledge = Pledge.objects.get()
    assert (pledge.status, pledge.released_on) == ("released", dt.date(2024, 6, 4))
    events = LegalEvent.objects.filter(patent=patents[3], code__in=("PE01", "PC01"))
    assert sorted(events.values_list("code", "date")) == [
        ("PC01", dt.date(2024, 6, 4)),
        ("PE01", dt.date(2023, 6, 9)),
    ]


def test_one_bad_row_writes_nothing_and_every_problem_is_located(personas, patents) -> None:  # type: ignore[no-untyped-def]
    bad = "Y2023310000004,{E},CN113700004B,-5,2023-02-30,2024-01-01,2023-03-01,生效,"
    content = book(personas, *GOOD, bad)
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(actor=personas[K], file_name="book.csv", content=content)
    located = [(p.row, p.column, p.code) for p in refused.value.problems]
    assert located == [(5, "D", "bad_amount"), (5, "E", "bad_date")]
    assert refused.value.details["file"] == [
        "row 5, column D (债权数额（万元）): the secured amount must be positive (given -5)",
        "row 5, column E (债务起始日): 2023-02-30 is not a calendar date",
    ]
    assert not Pledge.objects.exists() and not LegalEvent.objects.filter(code="PE01").exists()
    (entry,) = AuditEntry.objects.filter(action__startswith="finance.pledge")
    assert entry.action == "finance.pledge_import_refused"
    assert entry.new_values["problems"] == [[5, "D", "bad_amount"], [5, "E", "bad_date"]]


def line(**changes: str) -> str:
    values = {
        "number": "Y2023310000009",
        "uscc": "{E}",
        "patents": "CN113700001B",
        "amount": "5",
        "start": "2023-01-01",
        "end": "2024-01-01",
        "registered": "2023-01-05",
        "status": "",
        "released": "",
    }
    return ",".join((values | changes).values())


@pytest.mark.parametrize(
    ("line", "code", "words"),
    [
        (line(patents="CN113799999B"), "patent_not_in_corpus", "import it first"),
        (line(uscc="91310115MA1K3BTP2B"), "unknown_organisation", "the bureau adds it first"),
        (line(end="2022-01-01"), "debt_end_before_start", "ends"),
        (
            line(status="注销", released="2022-01-01"),
            "released_before_registration",
            "before it was registered",
        ),
        (line(uscc="{E}X"), "bad_uscc", "must be 18"),
        (line(patents="第一号专利"), "patent_format", "not a recognisable"),
        (line(patents="CN 1137 00001 X"), "patent_kind", "not a CNIPA kind code"),
    ],
)
def test_each_kind_of_problem_refuses_the_file(personas, patents, line, code, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(
            actor=personas[K], file_name="b.csv", content=book(personas, GOOD[0], line)
        )
    (problem,) = refused.value.problems
    assert (problem.row, problem.code) == (3, code) and words in problem.message_en
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("book.xlsx", b"PK\x03\x04 this is no workbook", "unreadable"),
        ("book.csv", b"", "empty"),
        ("book.csv", HEADER.encode(), "no_records"),
        ("book.csv", "登记号,利率\nY1,3%".encode(), "unknown_column"),
    ],
)
def test_a_file_that_is_not_a_book_of_pledges_is_refused(personas, name, content, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(actor=personas[B], file_name=name, content=content)
    assert code in [p.code for p in refused.value.problems]


def test_a_file_too_large_is_refused_unread(personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "MAX_IMPORT_BYTES", 10)
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(actor=personas[B], file_name="b.csv", content=b"x" * 11)
    assert refused.value.problems[0].code == "too_large"


def test_importing_the_same_file_again_changes_nothing(personas, patents) -> None:  # type: ignore[no-untyped-def]
    content = book(personas, *GOOD)
    services.import_pledges(actor=personas[K], file_name="book.csv", content=content)
    again = services.import_pledges(actor=personas[K], file_name="book.csv", content=content)
    assert again.pledges == () and len(again.plan.skipped) == 3
    assert Pledge.objects.count() == 3 and LegalEvent.objects.filter(code="PE01").count() == 4
    changed = content.replace(b",500,", b",600,")
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(actor=personas[K], file_name="book.csv", content=changed)
    (problem,) = refused.value.problems
    assert problem.code == "differs_from_register" and problem.message_en.endswith("amount")


def test_a_dry_run_checks_everything_and_writes_nothing(personas, patents) -> None:  # type: ignore[no-untyped-def]
    content = book(personas, *GOOD)
    preview = services.import_pledges(
        actor=personas[K], file_name="book.csv", content=content, dry_run=True
    )
    assert preview.dry_run and len(preview.plan.planned) == 3 and preview.pledges == ()
    assert (
        not Pledge.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="finance").exists()
    )
    with pytest.raises(services.PledgeImportRefused):
        services.import_pledges(
            actor=personas[K], file_name="b.csv", content=content + b"\nbad", dry_run=True
        )
    assert not AuditEntry.objects.filter(action__startswith="finance").exists()


def test_a_patent_lapsed_before_registration_is_imported_with_a_warning(personas, patents) -> None:  # type: ignore[no-untyped-def]
    lapse(patents[0], on=dt.date(2024, 9, 13))
    late = GOOD[0].replace("2023-06-06", "2024-10-08")
    done = services.import_pledges(
        actor=personas[K], file_name="b.csv", content=book(personas, late)
    )
    assert len(done.pledges) == 1
    (warning,) = done.warnings()
    assert warning.startswith(
        "row 2, column C (专利号): the corpus shows CN113700001B not in force"
    )


def test_the_refusal_grounds_of_a_new_registration_do_not_refuse_a_registered_record(  # type: ignore[no-untyped-def]
    personas, patents
) -> None:
    LegalEvent.objects.create(patent=patents[0], code="PP01", date=dt.date(2022, 1, 1))  # preserved
    line = GOOD[0].replace("2026-05-31", "2045-01-01")  # past the patent's term
    done = services.import_pledges(
        actor=personas[K], file_name="b.csv", content=book(personas, line)
    )
    assert len(done.pledges) == 1


def test_a_bank_imports_only_the_pledges_it_holds(personas, patents) -> None:  # type: ignore[no-untyped-def]
    other = make_organization(OrganizationKind.BANK)
    header = HEADER + ",质权人统一社会信用代码"
    content = book(personas, GOOD[0] + f",{other.uscc}", header=header)
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(actor=personas[K], file_name="b.csv", content=content)
    assert refused.value.problems[0].code == "not_own_pledge"
    with pytest.raises(NotPermitted):  # nor may it name another pledgee for the file
        services.import_pledges(
            actor=personas[K], file_name="b.csv", content=book(personas, GOOD[0]), pledgee=other
        )
    for role in (E, Role.PROVIDER, Role.CENTER):
        with pytest.raises(NotPermitted):
            services.import_pledges(actor=personas[role], file_name="b.csv", content=content)
    # the bureau imports any bank's pledges
    done = services.import_pledges(actor=personas[B], file_name="b.csv", content=content)
    assert done.pledges[0].pledgee == other


def test_the_bureau_chooses_the_pledgee_of_records_that_name_none(personas, patents) -> None:  # type: ignore[no-untyped-def]
    content = book(personas, GOOD[0])
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(actor=personas[B], file_name="b.csv", content=content)
    assert refused.value.problems[0].code == "no_pledgee"
    done = services.import_pledges(
        actor=personas[B], file_name="b.csv", content=content, pledgee=personas[K].organization
    )
    assert done.pledges[0].pledgee == personas[K].organization


def test_a_number_another_bank_registered_is_not_described(personas, patents) -> None:  # type: ignore[no-untyped-def]
    services.import_pledges(
        actor=personas[B],
        file_name="b.csv",
        content=book(personas, GOOD[0]),
        pledgee=make_organization(OrganizationKind.BANK),
    )
    with pytest.raises(services.PledgeImportRefused) as refused:
        services.import_pledges(
            actor=personas[K], file_name="b.csv", content=book(personas, GOOD[0])
        )
    (problem,) = refused.value.problems
    assert problem.code == "number_taken" and "registered for another pledge" in problem.message_en


def test_a_pledge_registered_meanwhile_is_a_conflict(personas, patents, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ipops.finance import queries

    real = queries.pledge_import_facts

    def racing(*args: Any) -> Any:
        facts = real(*args)
        Pledge.objects.create(
            number="Y2023310000001",
            pledgor=personas[E].organization,
            pledgee=personas[K].organization,
            claim_type="loan",
            amount=Decimal(1),
            debt_start=dt.date(2023, 1, 1),
            debt_end=dt.date(2024, 1, 1),
            registered_on=dt.date(2023, 1, 1),
        )
        return facts

    monkeypatch.setattr(queries, "pledge_import_facts", racing)
    with pytest.raises(Conflict):
        services.import_pledges(
            actor=personas[K], file_name="b.csv", content=book(personas, GOOD[0])
        )
    assert Pledge.objects.count() == 1 and not LegalEvent.objects.filter(code="PE01").exists()


# --- the committed book: real credit codes, real patents of the demo corpus -----------------


@pytest.fixture
def real_book(tmp_path, personas):  # type: ignore[no-untyped-def]
    from ipops.landscape.tests.evaluation_corpus import load_evaluation_corpus

    load_evaluation_corpus(tmp_path, embed=False)
    make_organization(name="上海新进创业投资中心（有限合伙）", uscc="913101155947420867")
    make_organization(name="支付宝（中国）网络技术有限公司", uscc="91310115768225450T")


@pytest.mark.parametrize("name", ["pledges.csv", "pledges.xlsx"])
def test_the_committed_book_imports_as_csv_and_as_xlsx(personas, real_book, name) -> None:  # type: ignore[no-untyped-def]
    content = (FIXTURES / name).read_bytes()
    done = services.import_pledges(actor=personas[K], file_name=name, content=content)
    by_number = {p.number: p for p in done.pledges}
    assert sorted(by_number) == [
        "Y2021310000207",
        "Y2022310000101",
        "Y2023310000033",
        "Y2023310000150",
    ]
    first = by_number["Y2022310000101"]
    assert first.pledgor.name == "上海新进创业投资中心（有限合伙）"
    assert first.amount == Decimal("8000000.00") and first.claim_type == "loan"
    numbers = sorted(Patent.objects.get(pk=i.patent_id).display_number for i in first.items.all())
    assert numbers == ["CN102298070B", "CN102844085B"]  # one by its patent number ZL…
    changed = by_number["Y2023310000033"]
    assert (changed.status, changed.changed_on, changed.amount) == (
        "changed",
        dt.date(2024, 1, 16),
        Decimal("3505000.00"),
    )
    assert by_number["Y2021310000207"].status == "released"
    (warning,) = done.warnings()  # the utility model expired before its registration
    assert "CN203280949U not in force on the registration date 2023-05-10 (expired)" in warning
    assert LegalEvent.objects.filter(code="PM01", date=dt.date(2024, 1, 16)).count() == 2
    other = "pledges.xlsx" if name == "pledges.csv" else "pledges.csv"
    again = services.import_pledges(
        actor=personas[K], file_name=other, content=(FIXTURES / other).read_bytes()
    )
    assert again.pledges == () and len(again.plan.skipped) == 4  # the same book either way

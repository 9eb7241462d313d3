"""Pledge records against the platform: unknown parties and patents are problems located at
their column, a bank imports only its own pledges, a record the register holds as given is
skipped and one it holds otherwise is a problem, a patent not in force when registered is a
warning."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from ipcore.identifiers.cn import PatentType
from ipcore.legal_status import LegalEvent, PatentLife
from ipcore.market.pledge_import import (
    ImportFacts,
    KnownOrganisation,
    RegisteredPledge,
    plan_import,
)
from ipcore.market.pledge_records import PledgeRecords, read_pledge_rows

TODAY = dt.date(2026, 11, 25)
PUDONG = "91310115MA1K3BTP2B"  # real codes, ipcore/tests/fixtures/uscc_examples.csv
ALIPAY = "91310115768225450T"
ENTERPRISE = KnownOrganisation(1, "上海某某科技有限公司", PUDONG)
BANK = KnownOrganisation(2, "上海银行股份有限公司浦东分行", ALIPAY)
OTHER_BANK = KnownOrganisation(3, "另一家银行", "913101155947420867")
HEADER = (
    "登记号",
    "出质人统一社会信用代码",
    "出质人",
    "质权人统一社会信用代码",
    "专利号",
    "金额（元）",
    "债务起始日",
    "债务到期日",
    "登记日",
)
ROW = {
    "登记号": "Y2022310000123",
    "出质人统一社会信用代码": PUDONG,
    "出质人": "上海某某科技有限公司",
    "质权人统一社会信用代码": ALIPAY,
    "专利号": "CN113700001B",
    "金额（元）": "5000000",
    "债务起始日": "2022-03-01",
    "债务到期日": "2025-02-28",
    "登记日": "2022-03-05",
}


def key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def read(changes: dict[str, str | None] | None = None, **more: str | None) -> PledgeRecords:
    values = ROW | (changes or {}) | more
    header = tuple(name for name in HEADER if values.get(name) is not None)
    cells = tuple(str(values[name]) for name in header)
    found = read_pledge_rows([(1, header, None), (2, cells, None)], today=TODAY)
    assert not found.problems, found.problems
    return found


def facts(**changes: Any) -> ImportFacts:
    values: dict[str, Any] = {
        "by_uscc": {o.uscc: o for o in (ENTERPRISE, BANK, OTHER_BANK)},
        "by_name": {key(o.name): o for o in (ENTERPRISE, BANK, OTHER_BANK)},
        "name_key": key,
        "patents": {"CN113700001B": [101]},
        "patent_numbers": {101: "CN113700001B"},
    }
    return ImportFacts(**(values | changes))


def registered(**changes: Any) -> RegisteredPledge:
    values: dict[str, Any] = {
        "number": "Y2022310000123",
        "pledgor_id": 1,
        "pledgee_id": 2,
        "claim_kind": "other",
        "amount": Decimal("5000000.00"),
        "debt_start": dt.date(2022, 3, 1),
        "debt_end": dt.date(2025, 2, 28),
        "registered_on": dt.date(2022, 3, 5),
        "status": "registered",
        "changed_on": None,
        "released_on": None,
        "guarantee_scope": "",
        "patent_ids": frozenset({101}),
    }
    return RegisteredPledge(**(values | changes))


def test_a_record_of_known_parties_and_patents_is_planned() -> None:
    plan = plan_import(read(), facts())
    (planned,) = plan.planned
    assert (planned.pledgor, planned.pledgee, planned.patent_ids) == (ENTERPRISE, BANK, (101,))
    assert plan.importable and not plan.warnings and not plan.skipped


@pytest.mark.parametrize(
    ("changes", "fact_changes", "column", "code", "words"),
    [
        (
            {},
            {"by_uscc": {ALIPAY: BANK}},
            "B",
            "unknown_organisation",
            "no pledgor with credit code",
        ),
        (
            {"出质人统一社会信用代码": None, "出质人": "上海无名有限公司"},
            {},
            "B",
            "unknown_organisation",
            "no pledgor named 上海无名有限公司",
        ),
        ({}, {"patents": {}}, "E", "patent_not_in_corpus", "import it first"),
        ({}, {"patents": {"CN113700001B": [101, 102]}}, "E", "patent_ambiguous", "names 2"),
        ({}, {"only_pledgee": OTHER_BANK}, "D", "not_own_pledge", "only the pledges it holds"),
        ({"质权人统一社会信用代码": PUDONG}, {}, "D", "same_party", "the same organisation"),
        ({"质权人统一社会信用代码": None}, {}, "", "no_pledgee", "choose the pledgee"),
        ({"登记号": "Y202200000012"}, {}, "A", "platform_number", "no such pledge"),
    ],
)
def test_each_problem_against_the_platform_is_located(
    changes: dict[str, str | None], fact_changes: dict[str, Any], column: str, code: str, words: str
) -> None:
    plan = plan_import(read(changes), facts(**fact_changes))
    (problem,) = plan.problems
    assert (problem.row, problem.column, problem.code) == (2, column, code)
    assert words in problem.message_en and not plan.importable and not plan.planned


def test_a_record_without_a_pledgee_takes_the_chosen_one_or_the_importing_bank() -> None:
    record = read(质权人统一社会信用代码=None)
    assert plan_import(record, facts(default_pledgee=OTHER_BANK)).planned[0].pledgee == OTHER_BANK
    assert plan_import(record, facts(only_pledgee=BANK)).planned[0].pledgee == BANK


def test_a_name_that_differs_from_the_credit_codes_organisation_is_a_warning() -> None:
    plan = plan_import(read(出质人="上海某某科技公司"), facts())
    (warning,) = plan.warnings
    assert warning.code == "name_differs" and warning.column == "C" and plan.importable


def test_the_register_holding_the_record_as_given_skips_it() -> None:
    plan = plan_import(read(), facts(registered={"Y2022310000123": registered()}))
    assert plan.skipped[0].number == "Y2022310000123" and not plan.planned and plan.importable


def test_the_register_holding_it_otherwise_names_what_differs() -> None:
    held = registered(amount=Decimal("6000000"), status="released")
    plan = plan_import(read(), facts(registered={"Y2022310000123": held}))
    (problem,) = plan.problems
    assert problem.code == "differs_from_register"
    assert problem.message_en.endswith("with a different amount, status")
    assert "债权数额、状态不同" in problem.message_zh


def test_a_number_registered_for_a_pledge_the_importer_may_not_see_says_only_that() -> None:
    held = registered(pledgee_id=3, visible=False)
    (problem,) = plan_import(read(), facts(registered={"Y2022310000123": held})).problems
    assert problem.code == "number_taken" and "另一家银行" not in problem.message_zh


def test_a_patent_lapsed_before_registration_is_a_warning_not_a_problem() -> None:
    life = PatentLife(
        patent_type=PatentType.INVENTION,
        filing_date=dt.date(2021, 9, 13),
        grant_date=dt.date(2023, 5, 2),
        events=(LegalEvent("CF01", dt.date(2024, 9, 13)),),
    )
    record = read(登记日="2024-10-01", 债务起始日="2024-10-01")
    plan = plan_import(record, facts(lives={101: life}))
    (warning,) = plan.warnings
    assert warning.code == "not_in_force_when_registered" and "lapsed" in warning.message_en
    assert plan.importable and plan.planned
    in_force = read(登记日="2023-06-01", 债务起始日="2023-06-01")
    assert not plan_import(in_force, facts(lives={101: life})).warnings

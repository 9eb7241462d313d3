"""`ipops import-pledges`: a summary of what was created and skipped, every problem with its row
and column and a failure (exit 1) when the file is refused, --dry-run, --json."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ipcore.access import Role
from ipops.cli import OPERATOR_COMMANDS
from ipops.finance.models import Pledge
from ipops.market.tests.factories import granted_patent

pytestmark = pytest.mark.django_db
E, K = Role.ENTERPRISE, Role.BANK
HEADER = "质押登记号,出质人统一社会信用代码,专利号,债权数额（万元）,债务起始日,债务到期日,登记日"


@pytest.fixture
def book(tmp_path, personas):  # type: ignore[no-untyped-def]
    granted_patent(1, personas[E].organization)
    granted_patent(2, personas[E].organization)
    code = personas[E].organization.uscc

    def write(*lines: str) -> Path:
        path: Path = tmp_path / "book.csv"
        text = "\n".join([HEADER, *(line.replace("{E}", code) for line in lines)])
        path.write_text(text, encoding="utf-8")
        return path

    return write


GOOD = (
    "Y2023310000001,{E},CN113700001B,500,2023-06-01,2026-05-31,2023-06-06",
    "Y2023310000002,{E},CN113700002B,80.5,2023-07-01,2025-06-30,2023-07-03",
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_pledges", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_and_prints_a_summary(personas: Any, book: Any) -> None:
    bank = personas[K].organization
    out, _ = run(str(book(*GOOD)), "--pledgee", bank.uscc, "--lang", "en")
    assert out.startswith("book.csv: created 2, skipped 0 (already in the register), 0 warning")
    assert "Y2023310000001" in out and "500万元" in out and f"→ {bank.name}" in out
    assert Pledge.objects.filter(pledgee=bank).count() == 2
    again, _ = run(str(book(*GOOD)), "--pledgee", bank.uscc)
    assert "created 0, skipped 2" in again


def test_a_refused_file_lists_every_problem_and_fails(personas: Any, book: Any) -> None:
    bad = GOOD[1].replace("2023-07-01", "2023-02-30").replace("80.5", "0")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 problems"):
        call_command(
            "import_pledges",
            str(book(GOOD[0], bad)),
            "--pledgee",
            personas[K].organization.uscc,
            "--lang",
            "en",
            stdout=out,
            stderr=err,
        )
    assert err.getvalue().splitlines() == [
        "row 3, column D (债权数额（万元）): the secured amount must be positive (given 0)",
        "row 3, column E (债务起始日): 2023-02-30 is not a calendar date",
    ]
    assert not Pledge.objects.exists()


def test_chinese_by_default(personas: Any, book: Any) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_pledges", str(book(GOOD[0])), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("第 2 行：没有质权人")  # no --pledgee, no pledgee column


def test_dry_run_and_json(personas: Any, book: Any) -> None:
    bank = personas[K].organization
    out, _ = run(str(book(*GOOD)), "--pledgee", str(bank.pk), "--dry-run", "--json")
    body = json.loads(out)
    assert body["dry_run"] is True and [c["number"] for c in body["created"]] == [
        "Y2023310000001",
        "Y2023310000002",
    ]
    assert body["created"][1]["amount"] == "805000.00" and not Pledge.objects.exists()
    printed = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_pledges", str(book(GOOD[0])), "--json", stdout=printed, stderr=io.StringIO()
        )
    problems = json.loads(printed.getvalue())["problems"]
    assert problems[0]["row"] == 2 and problems[0]["code"] == "no_pledgee"


def test_a_missing_file_or_pledgee_is_a_failure(personas: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "none.csv"))
    (tmp_path / "book.csv").write_text(HEADER, encoding="utf-8")
    with pytest.raises(CommandError, match="no organisation"):
        run(str(tmp_path / "book.csv"), "--pledgee", "91310115MA1K3BTP2B")


def test_it_is_an_operator_command() -> None:
    assert "import-pledges" in dict(OPERATOR_COMMANDS)

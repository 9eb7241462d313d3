"""Reading pledge records: every problem located at its row and column, nothing returned from a
file with any problem, real credit codes (ipcore/tests/fixtures/uscc_examples.csv) and real
patent numbers, CSV in UTF-8 and GBK, XLSX, and files that are no table at all."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.market.pledge_records import read_pledge_file, read_pledge_rows
from ipcore.market.pledge_values import (
    MAX_AMOUNT,
    ClaimKind,
    RecordStatus,
    column_letter,
    parse_amount,
    parse_date,
    read_cn_patent,
)

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 25)
with (FIXTURES / "uscc_examples.csv").open(encoding="utf-8") as _file:
    REAL_USCCS = [row["uscc"] for row in csv.DictReader(_file) if row["uscc_valid"] == "1"]
PUDONG = "91310115MA1K3BTP2B"  # a real Pudong code (python-stdnum's tests, "found online")
ALIPAY = "91310115768225450T"  # 支付宝（中国）网络技术有限公司, Pudong

HEADER = (
    "质押登记号",
    "出质人统一社会信用代码",
    "出质人",
    "质权人统一社会信用代码",
    "专利号",
    "债权数额（万元）",
    "债务起始日",
    "债务到期日",
    "登记日",
    "状态",
    "注销日",
    "担保范围",
)
GOOD = (
    "Y2022310000123",
    PUDONG,
    "上海某某科技有限公司",
    ALIPAY,
    "CN113700001B；ZL 2018 1 0390462.7",
    "500",
    "2022-03-01",
    "2025-02-28",
    "2022-03-05",
    "生效",
    "",
    "主债权及利息",
)


def rows(*data: tuple[str, ...], header: tuple[str, ...] = HEADER):  # type: ignore[no-untyped-def]
    cells = [header, *data]
    return [(number, tuple(c or None for c in row), None) for number, row in enumerate(cells, 1)]


def changed(
    row: tuple[str, ...], by_header: dict[str, str] | None = None, **values: str
) -> tuple[str, ...]:
    cells = list(row)
    for name, value in ((by_header or {}) | values).items():
        cells[HEADER.index(name)] = value
    return tuple(cells)


def test_a_good_row_reads_as_a_typed_record_in_cny() -> None:
    found = read_pledge_rows(rows(GOOD), today=TODAY)
    assert found.problems == ()
    (record,) = found.records
    assert record.row == 2 and record.number == "Y2022310000123"
    assert record.pledgor.uscc == PUDONG and record.pledgor.name == "上海某某科技有限公司"
    assert record.pledgee.uscc == ALIPAY
    assert [p.number for p in record.patents] == ["CN113700001B", "201810390462.7"]
    assert record.amount == Decimal("5000000.00")  # 500 万元
    assert (record.debt_start, record.debt_end) == (dt.date(2022, 3, 1), dt.date(2025, 2, 28))
    assert record.status is RecordStatus.REGISTERED and record.released_on is None
    assert record.claim_kind is ClaimKind.OTHER  # no 债权种类 column
    assert record.guarantee_scope == "主债权及利息"


def test_english_headers_and_an_amount_in_yuan() -> None:
    header = (
        "registration_number",
        "pledgor_uscc",
        "pledgee_name",
        "patents",
        "amount_yuan",
        "claim_type",
        "debt_start",
        "debt_end",
        "registered_on",
        "status",
        "changed_on",
    )
    data = (
        "Y2023980001234",
        "913101155947420867",
        "上海银行股份有限公司浦东分行",
        "CN113700002B",
        "¥1,234,567.89",
        "loan",
        "2023/1/5",
        "2026年1月4日",
        "20230110",
        "changed",
        "2024-01-10",
    )
    (record,) = read_pledge_rows(rows(data, header=header), today=TODAY).records
    assert record.amount == Decimal("1234567.89") and record.claim_kind is ClaimKind.LOAN
    assert record.pledgee.name == "上海银行股份有限公司浦东分行" and not record.pledgee.uscc
    assert record.status is RecordStatus.CHANGED and record.changed_on == dt.date(2024, 1, 10)
    assert record.debt_end == dt.date(2026, 1, 4)


@pytest.mark.parametrize(
    ("values", "column", "code", "words"),
    [
        ({"债务起始日": "2023-02-30"}, "G", "bad_date", "2023-02-30 is not a calendar date"),
        ({"债务到期日": "next year"}, "H", "bad_date", "is not a date"),
        ({"债权数额（万元）": "0"}, "F", "bad_amount", "must be positive"),
        ({"债权数额（万元）": "-3"}, "F", "bad_amount", "must be positive"),
        ({"债权数额（万元）": "500元"}, "F", "bad_amount", "its unit differs"),
        ({"债权数额（万元）": "0.0000001"}, "F", "bad_amount", "more precise than a fen"),
        ({"出质人统一社会信用代码": PUDONG[:-1] + "C"}, "B", "bad_uscc", "check character"),
        ({"质权人统一社会信用代码": "9131011"}, "D", "bad_uscc", "must be 18 characters"),
        ({"专利号": "ZL201810390462.8"}, "E", "patent_check_digit", "should be 7, got 8"),
        ({"专利号": "US10123456B2"}, "E", "patent_not_cn", "not a Chinese patent"),
        ({"专利号": "专利一"}, "E", "patent_format", "not a recognisable"),
        ({"专利号": "；"}, "E", "missing", "no patent number"),
        ({"注销日": "2022-03-01", "状态": "注销"}, "K", "released_before_registration", "before"),
        ({"债务到期日": "2022-02-28"}, "H", "debt_end_before_start", "ends (2022-02-28)"),
        ({"状态": "注销"}, "K", "released_without_date", "no release date"),
        ({"注销日": "2024-01-01"}, "J", "status_contradicts_release", "status is not released"),
        ({"状态": "冻结"}, "J", "bad_status", "is not a status"),
        ({"登记日": "2027-01-01"}, "I", "future_date", "after today"),
        ({"质押登记号": "第123号"}, "A", "bad_number", "is not a registration number"),
        ({"质押登记号": ""}, "A", "missing", "no registration number"),
        ({"出质人统一社会信用代码": "", "出质人": ""}, "B", "missing", "no pledgor"),
    ],
)
def test_each_problem_names_its_row_and_column(
    values: dict[str, str], column: str, code: str, words: str
) -> None:
    found = read_pledge_rows(rows(GOOD, changed(GOOD, values)), today=TODAY)
    assert found.records == ()  # one bad row: nothing is returned
    (problem,) = found.problems
    assert (problem.row, problem.column, problem.code) == (3, column, code)
    assert words in problem.message_en
    assert problem.located("en").startswith(f"row 3, column {column} (")
    assert problem.located("zh-hans").startswith(f"第 3 行 {column} 列（")


def test_every_problem_of_every_row_is_reported_at_once() -> None:
    bad = changed(GOOD, 债务起始日="2023-02-30", 专利号="CN113700001B、US10123456B2")
    worse = changed(GOOD, {"债权数额（万元）": "-1"}, 质押登记号="Y2022310000999")
    found = read_pledge_rows(rows(GOOD, bad, worse), today=TODAY)
    located = [(p.row, p.column) for p in found.problems]
    # row 3 repeats row 2's number, but its other problems come first
    assert located == [(3, "E"), (3, "G"), (4, "F")]


def test_a_repeated_registration_number_is_a_problem_naming_the_first_row() -> None:
    found = read_pledge_rows(rows(GOOD, changed(GOOD, 专利号="CN113700002B")), today=TODAY)
    (problem,) = found.problems
    assert problem.code == "duplicate_number" and "repeats row 2" in problem.message_en


@pytest.mark.parametrize(
    ("header", "code", "column"),
    [
        ((*HEADER, "利率"), "unknown_column", "M"),
        (tuple("债权数额" if h == "债权数额（万元）" else h for h in HEADER), "amount_unit", "F"),
        ((*HEADER, "金额(元)"), "two_amounts", ""),
        ((*HEADER, "登记生效日"), "duplicate_column", "M"),
        (tuple(h for h in HEADER if h != "债务到期日"), "missing_column", ""),
    ],
)
def test_header_problems(header: tuple[str, ...], code: str, column: str) -> None:
    found = read_pledge_rows(rows(header=header), today=TODAY)
    assert [(p.row, p.column, p.code) for p in found.problems] == [(1, column, code)]


def test_ignored_columns_blank_rows_and_blank_headers_are_read_past() -> None:
    header = ("序号", *HEADER, "", "备注")
    data = ("1", *GOOD, "", "老合同")
    found = read_pledge_rows(
        [(1, (None,), None), *[(n + 1, c, e) for n, c, e in rows(data, header=header)]],
        today=TODAY,
    )
    assert found.problems == () and found.records[0].row == 3


def test_an_empty_file_a_header_only_and_too_many_rows() -> None:
    assert read_pledge_rows([], today=TODAY).problems[0].code == "empty"
    assert read_pledge_rows(rows(), today=TODAY).problems[0].code == "no_records"
    many = [changed(GOOD, 质押登记号=f"Y2022310{serial:07d}") for serial in range(4)]
    found = read_pledge_rows(rows(*many), today=TODAY, max_rows=3)
    assert [p.code for p in found.problems] == ["too_many_rows"] and found.records == ()


def test_a_real_credit_code_reads_and_a_changed_character_is_refused() -> None:
    for code in REAL_USCCS[:50]:
        (record,) = read_pledge_rows(
            rows(changed(GOOD, 出质人统一社会信用代码=code.lower())), today=TODAY
        ).records
        assert record.pledgor.uscc == code


def test_patent_numbers_in_the_spellings_a_register_uses() -> None:
    assert read_cn_patent("ZL201810390462.7") == ("201810390462.7", "application")
    full_width = "２０１８１０３９０４６２.７"  # noqa: RUF001 — as a Chinese input method types it
    assert read_cn_patent(full_width) == ("201810390462.7", "application")
    assert read_cn_patent("CN 113700001 B") == ("CN113700001B", "publication")
    assert read_cn_patent("113700001B") == ("CN113700001B", "publication")
    assert read_cn_patent("201810390462") == ("201810390462.7", "application")  # filled in


# --- files ----------------------------------------------------------------------------------


def _xlsx(path: Path, data: list[tuple[object, ...]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in data:
        sheet.append(list(row))
    workbook.save(path)
    return path


def test_an_xlsx_with_date_and_number_cells(tmp_path: Path) -> None:
    data: list[tuple[object, ...]] = [HEADER]
    cells: list[object] = list(GOOD)
    cells[5] = 500  # a number cell
    # a spreadsheet's date cells are naive datetimes at midnight
    cells[6:9] = [dt.datetime(2022, 3, 1), dt.date(2025, 2, 28), dt.datetime(2022, 3, 5)]  # noqa: DTZ001
    data.append(tuple(cells))
    found = read_pledge_file(_xlsx(tmp_path / "pledges.xlsx", data), today=TODAY)
    assert found.problems == ()
    assert found.records[0].registered_on == dt.date(2022, 3, 5)
    assert found.records[0].amount == Decimal("5000000.00")


def test_a_gbk_csv_reads_like_utf8(tmp_path: Path) -> None:
    text = "\n".join(",".join(row) for row in (HEADER, GOOD))
    path = tmp_path / "pledges.csv"
    path.write_bytes(text.encode("gbk"))
    (record,) = read_pledge_file(path, today=TODAY).records
    assert record.pledgor.name == "上海某某科技有限公司"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pledges.xlsx", b"not a workbook at all"),
        ("pledges.xlsx", b"PK\x03\x04truncated zip"),
        ("pledges.xls", b"\xd0\xcf\x11\xe0legacy"),
        ("pledges.csv", b"\xff\xfe\x00\xd8 binary \x81\x30"),
    ],
)
def test_a_file_that_is_no_table_is_one_problem_of_the_file(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (problem,) = read_pledge_file(path, today=TODAY).problems
    assert (problem.row, problem.code) == (0, "unreadable")
    assert problem.located("en").startswith("file: cannot be read")


def test_an_empty_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert read_pledge_file(path, today=TODAY).problems[0].code == "empty"


# --- properties -----------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2)


@given(amounts)
def test_an_amount_in_yuan_with_separators_reads_back(amount: Decimal) -> None:
    assert parse_amount(f"¥{amount:,}", in_wan=False)[0] == amount
    assert parse_amount(f"{amount / 10000}", in_wan=True)[0] == amount


@given(st.dates(min_value=dt.date(1985, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_spelling_of_a_date_reads_back(date: dt.date) -> None:
    for text in (
        date.isoformat(),
        f"{date.year}/{date.month}/{date.day}",
        f"{date.year}.{date.month:02d}.{date.day:02d}",
        f"{date.year}年{date.month}月{date.day}日",
        date.strftime("%Y%m%d"),
        f"{date.isoformat()} 00:00:00",
    ):
        assert parse_date(text)[0] == date


@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=14), max_size=6))
def test_any_table_reads_to_records_or_located_problems_never_an_exception(
    table: list[list[str | None]],
) -> None:
    header: list[str | None] = list(HEADER)
    found = read_pledge_rows(
        [(n, tuple(cells), None) for n, cells in enumerate([header, *table], 1)], today=TODAY
    )
    assert bool(found.records) != bool(found.problems)
    assert all(0 <= p.row <= len(table) + 1 for p in found.problems)


@given(st.integers(min_value=0, max_value=18_277))
def test_column_letters_count_like_a_spreadsheet(index: int) -> None:
    letters = column_letter(index)
    value = 0
    for letter in letters:
        value = value * 26 + ord(letter) - ord("A") + 1
    assert value - 1 == index

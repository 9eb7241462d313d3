"""质押登记记录 — reading pledge records that CNIPA has already registered, from a table (CSV
or XLSX) a bank or the bureau loads: a bank's book of historic pledges, extracts of CNIPA's
pledge register.

One record a row, under a header row naming its columns in Chinese or English (``HEADERS``):
the registration number, the pledgor and the pledgee (each by unified social credit code or
by name), the patents (several in one cell, separated by ``;`` ``；`` ``、`` ``,`` ``，`` or new
lines), the secured amount in a column that says its unit (``债权数额（万元）`` or
``金额（元）``: a column that does not is refused rather than guessed), the debt term, the
registration date, and optionally the claim type, the status (生效 / 变更 / 注销) with its
date, and the guarantee scope.

Reading never stops at the first problem: every problem is collected with its row and column
(a spreadsheet's own numbering: row 1 is the first line, column A the first column), so the
person who loads the file can mend all of them at once. The caller refuses a file with any
problem whole; nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Final

from ipcore.formats._table_files import open_table
from ipcore.formats.base import FileFormatError
from ipcore.identifiers.errors import IdentifierError
from ipcore.identifiers.uscc import UsccError, parse_uscc
from ipcore.market.pledge_values import (
    CLAIM_WORDS,
    HEADERS,
    MAX_PATENTS,
    PATENT_SEPARATORS,
    REQUIRED,
    STATUS_WORDS,
    UNITLESS_AMOUNTS,
    ClaimKind,
    Field,
    RecordStatus,
    column_letter,
    header_key,
    parse_amount,
    parse_date,
    read_cn_patent,
)

MAX_ROWS: Final = 10_000  # records in one file; a bigger book is loaded in parts
MAX_SCOPE_LENGTH: Final = 2_000
_NUMBER: Final = re.compile(r"[A-Z0-9][A-Z0-9\-]{5,31}")  # a registration number, folded


@dataclass(frozen=True)
class RecordProblem:
    """What is wrong and where: ``row`` as the spreadsheet numbers it (0: the file as a
    whole), ``column`` its letter and ``header`` its heading as written ("" when the problem
    is the whole row). ``code`` is a stable name for scripts and tests."""

    row: int
    column: str
    header: str
    code: str
    message_zh: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_zh if language.startswith("zh") else self.message_en

    def located(self, language: str) -> str:
        """The message with its place: ``第 5 行 D 列（债务到期日）：…`` / ``row 5, column D …``."""
        zh = language.startswith("zh")
        if self.row == 0:
            place = "文件" if zh else "file"
        elif not self.column:
            place = f"第 {self.row} 行" if zh else f"row {self.row}"
        elif zh:
            place = f"第 {self.row} 行 {self.column} 列（{self.header}）"
        else:
            place = f"row {self.row}, column {self.column} ({self.header})"
        return f"{place}：{self.message_zh}" if zh else f"{place}: {self.message_en}"


@dataclass(frozen=True)
class PartyRef:
    """An organisation as the record names it: its credit code (normalised) and/or name."""

    uscc: str = ""
    name: str = ""

    @property
    def given(self) -> bool:
        return bool(self.uscc or self.name)


@dataclass(frozen=True)
class PatentRef:
    """A patent number as written and as read (``CN113700001B``, ``201810390462.7``)."""

    written: str
    number: str
    kind: str  # "application" or "publication"


@dataclass(frozen=True)
class PledgeRecord:
    """One registered pledge as the file gives it; amounts in CNY whatever the column's unit."""

    row: int
    number: str
    pledgor: PartyRef
    pledgee: PartyRef
    patents: tuple[PatentRef, ...]
    claim_kind: ClaimKind
    amount: Decimal
    debt_start: dt.date
    debt_end: dt.date
    registered_on: dt.date
    status: RecordStatus
    changed_on: dt.date | None = None
    released_on: dt.date | None = None
    guarantee_scope: str = ""


@dataclass(frozen=True)
class Column:
    letter: str
    header: str


@dataclass(frozen=True)
class PledgeRecords:
    """What a file held: its records (only when it had no problem, all of them), every
    problem found, and where each known field's column is (to locate later problems)."""

    records: tuple[PledgeRecord, ...]
    problems: tuple[RecordProblem, ...]
    columns: Mapping[Field, Column] = field(default_factory=dict)

    def problem(
        self, row: int, at: Field | None, code: str, message_zh: str, message_en: str
    ) -> RecordProblem:
        """A problem located at a known field's column (or the whole row)."""
        column = self.columns.get(at) if at else None
        return RecordProblem(
            row,
            column.letter if column else "",
            column.header if column else "",
            code,
            message_zh,
            message_en,
        )


# --- the reader ------------------------------------------------------------------------------

_KNOWN: Final = {
    header_key(spelling): name for name, spellings in HEADERS.items() for spelling in spellings
}
_UNITLESS: Final = {header_key(spelling) for spelling in UNITLESS_AMOUNTS}


def read_pledge_file(path: Path, *, today: dt.date, max_rows: int = MAX_ROWS) -> PledgeRecords:
    """Open a CSV (UTF-8 or GBK, comma, tab or semicolon) or XLSX file and read it; a file
    that is no readable table is one problem of the file, never an exception."""
    try:
        with open_table(path) as table:
            return read_pledge_rows(
                ((row.number, row.cells, row.error) for row in table.rows),
                today=today,
                max_rows=max_rows,
            )
    except FileFormatError as error:
        reason = str(error.reason)
        return PledgeRecords(
            (),
            (
                RecordProblem(
                    0,
                    "",
                    "",
                    "unreadable",
                    f"无法读取（应为 CSV 或 XLSX 表格）：{reason}",
                    f"cannot be read as a CSV or XLSX table: {reason}",
                ),
            ),
        )


MAX_UPLOAD_BYTES: Final = 10 * 1024 * 1024  # 10,000 records of a bank's book fit in far less
_TABLE_SUFFIXES: Final = frozenset({".csv", ".tsv", ".txt", ".gz", ".xlsx", ".xlsm", ".xls"})


def read_pledge_upload(
    file_name: str,
    content: bytes,
    *,
    today: dt.date,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_rows: int = MAX_ROWS,
) -> PledgeRecords:
    """Read an uploaded file's bytes (its name only hints at the format: the bytes decide)."""
    if len(content) > max_bytes:
        mib = max_bytes // 1024 // 1024
        return PledgeRecords(
            (),
            (
                _file_problem(
                    "too_large",
                    f"文件超过 {mib} MB，请拆分后导入（每个文件至多 {max_rows:,} 条）",
                    f"the file is over {mib} MB: split it (at most {max_rows:,} records a file)",
                ),
            ),
        )
    suffix = Path(file_name).suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix if suffix in _TABLE_SUFFIXES else ''}"
        path.write_bytes(content)
        return read_pledge_file(path, today=today, max_rows=max_rows)


RowCells = tuple[int, Sequence[str | None], str | None]


def read_pledge_rows(
    rows: Iterable[RowCells], *, today: dt.date, max_rows: int = MAX_ROWS
) -> PledgeRecords:
    """Read (row number, cells, read error) triples, header first: the records, or every
    problem with its place. At most ``max_rows`` records: past them the file is refused
    without reading further."""
    iterator = iter(rows)
    header = _first_filled(iterator)
    if header is None:
        return PledgeRecords((), (_file_problem("empty", "文件是空的", "the file is empty"),))
    columns, at, problems = _read_header(header)
    if problems:
        return PledgeRecords((), tuple(problems), columns)
    reader = _RowReader(PledgeRecords((), (), columns), at, today)
    records: list[PledgeRecord] = []
    first_row_of: dict[str, int] = {}
    count = 0
    for number, cells, error in iterator:
        if error is not None:
            problems.append(
                RecordProblem(number, "", "", "unreadable_row", f"无法读取：{error}", error)
            )
            continue
        if not any(cells):
            continue
        count += 1
        if count > max_rows:
            problems.append(
                _file_problem(
                    "too_many_rows",
                    f"超过 {max_rows:,} 条记录，请拆分为多个文件导入",
                    f"more than {max_rows:,} records: split the file and load the parts",
                )
            )
            break
        record, found = reader.read(number, cells)
        problems.extend(found)
        if record is None:
            continue
        first = first_row_of.setdefault(record.number, number)
        if first != number:
            problems.append(
                reader.where.problem(
                    number,
                    Field.NUMBER,
                    "duplicate_number",
                    f"登记号 {record.number} 与第 {first} 行重复",
                    f"registration number {record.number} repeats row {first}",
                )
            )
            continue
        records.append(record)
    if not problems and not records:
        problems.append(
            _file_problem("no_records", "文件中没有质押记录", "the file holds no record")
        )
    return PledgeRecords(() if problems else tuple(records), tuple(problems), columns)


def _first_filled(rows: Iterator[RowCells]) -> RowCells | None:
    return next((row for row in rows if row[2] is not None or any(row[1])), None)


def _file_problem(code: str, zh: str, en: str) -> RecordProblem:
    return RecordProblem(0, "", "", code, zh, en)


def _read_header(
    header: RowCells,
) -> tuple[dict[Field, Column], dict[Field, int], list[RecordProblem]]:
    number, cells, error = header
    if error is not None:
        return (
            {},
            {},
            [RecordProblem(number, "", "", "unreadable_row", f"表头无法读取：{error}", error)],
        )
    columns: dict[Field, Column] = {}
    at: dict[Field, int] = {}
    problems: list[RecordProblem] = []
    for index, cell in enumerate(cells):
        written = (cell or "").strip()
        if not written:
            continue
        letter = column_letter(index)
        key = header_key(written)
        known = _KNOWN.get(key)
        if known is None:
            problems.append(_header_problem(number, letter, written, key))
        elif known is Field.IGNORED:
            continue
        elif known in at:
            first = columns[known]
            problems.append(
                RecordProblem(
                    number,
                    letter,
                    written,
                    "duplicate_column",
                    f"与 {first.letter} 列（{first.header}）是同一项",
                    f"the same column as {first.letter} ({first.header})",
                )
            )
        else:
            columns[known] = Column(letter, written)
            at[known] = index
    unitless = any(problem.code == "amount_unit" for problem in problems)
    problems.extend(_missing_columns(number, at, unitless=unitless))
    return columns, at, problems


def _header_problem(row: int, letter: str, written: str, key: str) -> RecordProblem:
    if key in _UNITLESS:
        return RecordProblem(
            row,
            letter,
            written,
            "amount_unit",
            "金额列须写明单位：“债权数额（万元）”或“债权数额（元）”",
            "say the amount's unit in its header: 债权数额（万元） (10,000 CNY) "
            "or 债权数额（元） (CNY)",
        )
    return RecordProblem(
        row,
        letter,
        written,
        "unknown_column",
        f"不认识的列名“{written}”（可用列名见导入说明）",
        f"unknown column {written!r} (the import help lists the known ones)",
    )


def _missing_columns(row: int, at: Mapping[Field, int], *, unitless: bool) -> list[RecordProblem]:
    missing = [name for name in REQUIRED if name not in at]
    if Field.AMOUNT_WAN not in at and Field.AMOUNT_YUAN not in at and not unitless:
        missing.append(Field.AMOUNT_YUAN)
    if Field.PLEDGOR_USCC not in at and Field.PLEDGOR_NAME not in at:
        missing.append(Field.PLEDGOR_USCC)
    problems = []
    for name in missing:
        zh, en = HEADERS[name][0], name.value
        if name is Field.AMOUNT_YUAN:
            zh, en = "债权数额（万元）或金额（元）", "amount_wan or amount_yuan"
        problems.append(
            RecordProblem(
                row, "", "", "missing_column", f"表头缺少“{zh}”列", f"no {en} column in the header"
            )
        )
    if Field.AMOUNT_WAN in at and Field.AMOUNT_YUAN in at:
        problems.append(
            RecordProblem(
                row,
                "",
                "",
                "two_amounts",
                "只能有一个金额列（万元或元）",
                "give the amount in one column only (10,000 CNY or CNY)",
            )
        )
    return problems


class _RowReader:
    """Reads one data row into a record, collecting each problem with its column."""

    def __init__(self, where: PledgeRecords, at: Mapping[Field, int], today: dt.date) -> None:
        self.where = where
        self.at = at
        self.today = today

    def read(
        self, row: int, cells: Sequence[str | None]
    ) -> tuple[PledgeRecord | None, list[RecordProblem]]:
        self.row = row
        self.cells = cells
        self.problems: list[RecordProblem] = []
        number = self._number()
        pledgor = self._party(Field.PLEDGOR_USCC, Field.PLEDGOR_NAME, required=True)
        pledgee = self._party(Field.PLEDGEE_USCC, Field.PLEDGEE_NAME, required=False)
        patents = self._patents()
        amount = self._amount()
        claim = self._choice(Field.CLAIM_TYPE, CLAIM_WORDS, ClaimKind.OTHER)
        dates = {name: self._date(name) for name in _DATE_FIELDS}
        status = self._status(dates)
        scope = self._text(Field.GUARANTEE_SCOPE)
        if len(scope) > MAX_SCOPE_LENGTH:
            self._problem(
                Field.GUARANTEE_SCOPE,
                "too_long",
                f"担保范围超过 {MAX_SCOPE_LENGTH} 字",
                f"longer than {MAX_SCOPE_LENGTH} characters",
            )
        self._check_order(dates, status)
        if self.problems:
            return None, self.problems
        assert number and pledgor and patents and amount is not None and status and claim
        start, end, registered = (
            dates[f] for f in (Field.DEBT_START, Field.DEBT_END, Field.REGISTERED_ON)
        )
        assert start and end and registered
        record = PledgeRecord(
            row=row,
            number=number,
            pledgor=pledgor,
            pledgee=pledgee or PartyRef(),
            patents=patents,
            claim_kind=claim,
            amount=amount,
            debt_start=start,
            debt_end=end,
            registered_on=registered,
            status=status,
            changed_on=dates[Field.CHANGED_ON],
            released_on=dates[Field.RELEASED_ON],
            guarantee_scope=scope,
        )
        return record, []

    # -- cells --

    def _text(self, name: Field) -> str:
        index = self.at.get(name)
        if index is None or index >= len(self.cells):
            return ""
        return (self.cells[index] or "").strip()

    def _problem(self, name: Field | None, code: str, zh: str, en: str) -> None:
        self.problems.append(self.where.problem(self.row, name, code, zh, en))

    def _required(self, name: Field, zh: str, en: str) -> str:
        text = self._text(name)
        if not text:
            self._problem(name, "missing", f"缺少{zh}", f"no {en}")
        return text

    # -- fields --

    def _number(self) -> str:
        text = self._required(Field.NUMBER, "质押登记号", "registration number")
        number = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
        if number and not _NUMBER.fullmatch(number):
            self._problem(
                Field.NUMBER,
                "bad_number",
                f"“{text}”不是登记号（字母、数字，6 至 32 位，如 Y2022310000123）",
                f"{text!r} is not a registration number (6 to 32 letters and digits, "
                "e.g. Y2022310000123)",
            )
            return ""
        return number

    def _party(self, code_field: Field, name_field: Field, *, required: bool) -> PartyRef | None:
        code_text = self._text(code_field)
        name = unicodedata.normalize("NFKC", self._text(name_field)).strip()
        uscc = ""
        if code_text:
            try:
                uscc = parse_uscc(code_text).code
            except UsccError as error:
                self._problem(
                    code_field,
                    "bad_uscc",
                    f"“{code_text}”不是有效的统一社会信用代码：{error.message_zh}",
                    f"{code_text!r} is not a valid unified social credit code: {error.message_en}",
                )
                return None
        if required and not (uscc or name):
            who = "出质人" if code_field is Field.PLEDGOR_USCC else "质权人"
            self._problem(
                code_field if code_field in self.at else name_field,
                "missing",
                f"缺少{who}（统一社会信用代码或名称）",
                f"no {code_field.value.split('_')[0]} (credit code or name)",
            )
            return None
        return PartyRef(uscc, name)

    def _patents(self) -> tuple[PatentRef, ...]:
        text = self._required(Field.PATENTS, "专利号", "patent number")
        found: dict[str, PatentRef] = {}
        for written in (part.strip() for part in PATENT_SEPARATORS.split(text)):
            if not written:
                continue
            try:
                number, kind = read_cn_patent(written)
            except IdentifierError as error:
                self._problem(
                    Field.PATENTS,
                    f"patent_{error.code}",
                    f"“{written}”：{error.message_zh}",
                    f"{written!r}: {error.message_en}",
                )
                continue
            found.setdefault(number, PatentRef(written, number, kind))
        if text and not found and not self.problems:
            self._problem(Field.PATENTS, "missing", "缺少专利号", "no patent number")
        if len(found) > MAX_PATENTS:
            self._problem(
                Field.PATENTS,
                "too_many_patents",
                f"一条记录最多 {MAX_PATENTS} 件专利",
                f"at most {MAX_PATENTS} patents in one record",
            )
        return tuple(found.values())

    def _amount(self) -> Decimal | None:
        unit = Field.AMOUNT_WAN if Field.AMOUNT_WAN in self.at else Field.AMOUNT_YUAN
        text = self._required(unit, "债权数额", "amount")
        if not text:
            return None
        amount, why_zh, why_en = parse_amount(text, in_wan=unit is Field.AMOUNT_WAN)
        if amount is None:
            self._problem(unit, "bad_amount", why_zh, why_en)
        return amount

    def _choice(
        self, name: Field, words: Mapping[str, ClaimKind], default: ClaimKind
    ) -> ClaimKind | None:
        text = self._text(name)
        if not text:
            return default
        found = words.get(header_key(text))
        if found is None:
            self._problem(
                name,
                "bad_claim_type",
                f"“{text}”不是债权种类（借款、担保或其他）",
                f"{text!r} is not a claim type (loan, guarantee or other)",
            )
        return found

    def _date(self, name: Field) -> dt.date | None:
        text = self._text(name)
        if not text:
            if name in REQUIRED:
                self._problem(name, "missing", "缺少日期", "no date")
            return None
        date, why_zh, why_en = parse_date(text)
        if date is None:
            self._problem(name, "bad_date", why_zh, why_en)
        elif name in _PAST_FIELDS and date > self.today:
            self._problem(
                name,
                "future_date",
                f"{date} 在今天（{self.today}）之后：登记记录的日期不能晚于今天",
                f"{date} is after today ({self.today}): a registered record cannot be dated later",
            )
            return None
        return date

    def _status(self, dates: Mapping[Field, dt.date | None]) -> RecordStatus | None:
        text = self._text(Field.STATUS)
        if not text:  # read from the dates: a release date means released …
            if dates[Field.RELEASED_ON]:
                return RecordStatus.RELEASED
            return RecordStatus.CHANGED if dates[Field.CHANGED_ON] else RecordStatus.REGISTERED
        status = STATUS_WORDS.get(header_key(text))
        if status is None:
            self._problem(
                Field.STATUS,
                "bad_status",
                f"“{text}”不是登记状态（生效、变更或注销）",
                f"{text!r} is not a status (registered, changed or released)",
            )
        return status

    def _check_order(
        self, dates: Mapping[Field, dt.date | None], status: RecordStatus | None
    ) -> None:
        start, end = dates[Field.DEBT_START], dates[Field.DEBT_END]
        registered = dates[Field.REGISTERED_ON]
        changed, released = dates[Field.CHANGED_ON], dates[Field.RELEASED_ON]
        if start and end and end < start:
            self._problem(
                Field.DEBT_END,
                "debt_end_before_start",
                f"债务到期日 {end} 早于起始日 {start}",
                f"the debt term ends ({end}) before it starts ({start})",
            )
        for name, date, zh, en in (
            (Field.CHANGED_ON, changed, "变更日", "changed"),
            (Field.RELEASED_ON, released, "注销日", "released"),
        ):
            if registered and date and date < registered:
                self._problem(
                    name,
                    f"{en}_before_registration",
                    f"{zh} {date} 早于登记日 {registered}",
                    f"{en} on {date}, before it was registered ({registered})",
                )
        if changed and released and released < changed:
            self._problem(
                Field.RELEASED_ON,
                "released_before_change",
                f"注销日 {released} 早于变更日 {changed}",
                f"released on {released}, before the change ({changed})",
            )
        if status is RecordStatus.RELEASED and not released:
            self._problem(
                Field.RELEASED_ON if Field.RELEASED_ON in self.at else Field.STATUS,
                "released_without_date",
                "状态为注销，但没有注销日",
                "released, but no release date (注销日) is given",
            )
        if status is RecordStatus.CHANGED and not changed:
            self._problem(
                Field.CHANGED_ON if Field.CHANGED_ON in self.at else Field.STATUS,
                "changed_without_date",
                "状态为变更，但没有变更日",
                "changed, but no change date (变更日) is given",
            )
        if status is RecordStatus.REGISTERED and released:
            self._problem(
                Field.STATUS,
                "status_contradicts_release",
                "有注销日，但状态不是注销",
                "a release date is given, but the status is not released",
            )


_DATE_FIELDS: Final = (
    Field.DEBT_START,
    Field.DEBT_END,
    Field.REGISTERED_ON,
    Field.CHANGED_ON,
    Field.RELEASED_ON,
)
_PAST_FIELDS: Final = (Field.REGISTERED_ON, Field.CHANGED_ON, Field.RELEASED_ON)

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
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Final

from ipcore.formats._table_files import open_table
from ipcore.formats.base import FileFormatError
from ipcore.identifiers.cn import parse_cn_application, parse_cn_publication
from ipcore.identifiers.docdb import parse_doc_number
from ipcore.identifiers.errors import IdentifierError
from ipcore.identifiers.uscc import UsccError, parse_uscc
from ipcore.market.money import WAN

MAX_ROWS: Final = 10_000  # records in one file; a bigger book is loaded in parts
MAX_PATENTS: Final = 500  # patents in one record (as the platform's own registration allows)
MAX_AMOUNT: Final = Decimal("99999999999999.99")  # CNY: what the register can hold
MAX_NUMBER_LENGTH: Final = 32
MAX_SCOPE_LENGTH: Final = 2_000
FIRST_YEAR: Final = 1985  # the Patent Law: no Chinese patent, pledge or debt term before it
LAST_YEAR: Final = 2100
# The platform numbers its own registrations Y<year><8 digits> (finance.services)
PLATFORM_NUMBER: Final = re.compile(r"Y\d{12}")
_NUMBER: Final = re.compile(r"[A-Z0-9][A-Z0-9\-]{5,31}")
_PATENT_SEPARATORS: Final = re.compile(r"[;；、,，\n\r|]+")


class Field(StrEnum):
    """A column the reader knows; its value is the English header it accepts."""

    NUMBER = "registration_number"
    PLEDGOR_USCC = "pledgor_uscc"
    PLEDGOR_NAME = "pledgor_name"
    PLEDGEE_USCC = "pledgee_uscc"
    PLEDGEE_NAME = "pledgee_name"
    PATENTS = "patents"
    AMOUNT_WAN = "amount_wan"  # 万元
    AMOUNT_YUAN = "amount_yuan"  # 元
    CLAIM_TYPE = "claim_type"
    DEBT_START = "debt_start"
    DEBT_END = "debt_end"
    REGISTERED_ON = "registered_on"
    STATUS = "status"
    CHANGED_ON = "changed_on"
    RELEASED_ON = "released_on"
    GUARANTEE_SCOPE = "guarantee_scope"
    IGNORED = "ignored"  # 序号, 备注, 发明名称: read past, never stored


# Header spellings (compared after `header_key`: NFKC, case-folded, no spaces, * or _).
HEADERS: Final[Mapping[Field, tuple[str, ...]]] = {
    Field.NUMBER: ("质押登记号", "登记号", "质押登记编号", "登记编号", "registration number"),
    Field.PLEDGOR_USCC: (
        "出质人统一社会信用代码",
        "出质人信用代码",
        "出质人社会信用代码",
        "pledgor uscc",
    ),
    Field.PLEDGOR_NAME: ("出质人", "出质人名称", "pledgor", "pledgor name"),
    Field.PLEDGEE_USCC: (
        "质权人统一社会信用代码",
        "质权人信用代码",
        "质权人社会信用代码",
        "pledgee uscc",
    ),
    Field.PLEDGEE_NAME: ("质权人", "质权人名称", "pledgee", "pledgee name"),
    Field.PATENTS: ("专利号", "质押专利", "专利", "专利号码", "patents", "patent numbers"),
    Field.AMOUNT_WAN: (
        "债权数额(万元)",
        "被担保债权数额(万元)",
        "担保债权数额(万元)",
        "质押金额(万元)",
        "金额(万元)",
        "amount wan",
        "amount (10k cny)",
    ),
    Field.AMOUNT_YUAN: (
        "债权数额(元)",
        "被担保债权数额(元)",
        "担保债权数额(元)",
        "质押金额(元)",
        "金额(元)",
        "amount yuan",
        "amount cny",
        "amount (cny)",
    ),
    Field.CLAIM_TYPE: ("债权种类", "被担保债权种类", "主债权种类", "claim type"),
    Field.DEBT_START: ("债务起始日", "债务履行期限起始日", "债务开始日", "debt start"),
    Field.DEBT_END: ("债务到期日", "债务履行期限届满日", "债务届满日", "debt end"),
    Field.REGISTERED_ON: ("登记日", "登记生效日", "质押登记日", "registered on"),
    Field.STATUS: ("状态", "登记状态", "质押状态", "法律状态", "status"),
    Field.CHANGED_ON: ("变更日", "变更登记日", "changed on"),
    Field.RELEASED_ON: ("注销日", "注销登记日", "解除日", "released on"),
    Field.GUARANTEE_SCOPE: ("担保范围", "质押担保范围", "guarantee scope"),
    Field.IGNORED: ("序号", "备注", "发明名称", "专利名称", "no", "no.", "#", "note", "title"),
}
# An amount column without its unit: refused, never guessed.
UNITLESS_AMOUNTS: Final = (
    "债权数额",
    "被担保债权数额",
    "担保债权数额",
    "质押金额",
    "金额",
    "amount",
)
REQUIRED: Final = (
    Field.NUMBER,
    Field.PATENTS,
    Field.DEBT_START,
    Field.DEBT_END,
    Field.REGISTERED_ON,
)


class RecordStatus(StrEnum):
    """The registration's standing as the record gives it (the register's own values)."""

    REGISTERED = "registered"  # 生效
    CHANGED = "changed"  # 变更
    RELEASED = "released"  # 注销


class ClaimKind(StrEnum):
    LOAN = "loan"
    GUARANTEE = "guarantee"
    OTHER = "other"


STATUS_WORDS: Final[Mapping[str, RecordStatus]] = {
    **dict.fromkeys(
        ("生效", "有效", "登记", "质押", "已登记", "registered", "effective"),
        RecordStatus.REGISTERED,
    ),
    **dict.fromkeys(("变更", "已变更", "changed"), RecordStatus.CHANGED),
    **dict.fromkeys(("注销", "已注销", "解除", "已解除", "released"), RecordStatus.RELEASED),
}
CLAIM_WORDS: Final[Mapping[str, ClaimKind]] = {
    **dict.fromkeys(("借款", "贷款", "借贷", "loan"), ClaimKind.LOAN),
    **dict.fromkeys(("担保", "保证", "guarantee"), ClaimKind.GUARANTEE),
    **dict.fromkeys(("其他", "其它", "other"), ClaimKind.OTHER),
}


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


def header_key(text: str) -> str:
    """NFKC (full-width brackets → ASCII), case-folded, without spaces, ``*`` or ``_``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s*_]+", "", folded).replace("（", "(").replace("）", ")")


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


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
        for written in (part.strip() for part in _PATENT_SEPARATORS.split(text)):
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


# --- values ----------------------------------------------------------------------------------

_DATE: Final = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME: Final = re.compile(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def parse_date(text: str) -> tuple[dt.date | None, str, str]:
    """(date, "", "") or (None, why in Chinese, why in English). Accepts ``2023-01-05``,
    ``2023/1/5``, ``2023.01.05``, ``2023年1月5日``, ``20230105`` and a midnight time after
    the date (a spreadsheet's date cell)."""
    cleaned = _TIME.sub("", unicodedata.normalize("NFKC", text).strip())
    match = _DATE.fullmatch(cleaned) or _COMPACT_DATE.fullmatch(cleaned)
    if match is None:
        return (
            None,
            f"“{text}”不是日期（如 2023-01-05）",
            f"{text!r} is not a date (write it as 2023-01-05)",
        )
    year, month, day = (int(part) for part in match.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, f"{text} 不是真实的日期", f"{text} is not a calendar date"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return (
            None,
            f"{text} 不在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间",
            f"{text} is not between {FIRST_YEAR} and {LAST_YEAR}",
        )
    return date, "", ""


_MONEY_NOISE: Final = re.compile(r"[\s,¥￥]|CNY|RMB|人民币", re.IGNORECASE)


def parse_amount(text: str, *, in_wan: bool) -> tuple[Decimal | None, str, str]:
    """(CNY to the fen, "", "") or (None, why …). ``in_wan``: the column counts 万元. Thousands
    separators and currency marks are dropped; a unit written in the cell must agree with the
    column's."""
    cleaned = _MONEY_NOISE.sub("", unicodedata.normalize("NFKC", text))
    unit_wan = in_wan
    for suffix, wan in (("万元", True), ("万", True), ("元", False)):
        if cleaned.endswith(suffix):
            cleaned, unit_wan = cleaned.removesuffix(suffix), wan
            break
    if unit_wan != in_wan:
        column = "万元" if in_wan else "元"
        return (
            None,
            f"“{text}”的单位与列的单位（{column}）不同",
            f"{text!r}: its unit differs from the column's ({'10,000 CNY' if in_wan else 'CNY'})",
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, f"“{text}”不是金额", f"{text!r} is not an amount"
    if not value.is_finite():
        return None, f"“{text}”不是金额", f"{text!r} is not an amount"
    amount = value * WAN if in_wan else value
    if amount <= 0:
        return (
            None,
            f"被担保债权数额须为正数（填写的是 {text}）",
            f"the secured amount must be positive (given {text})",
        )
    if amount != amount.quantize(Decimal("0.01")):
        return None, f"{text} 精确到分以下", f"{text} is more precise than a fen (0.01 CNY)"
    if amount > MAX_AMOUNT:
        return None, f"{text} 超出可登记的金额", f"{text} is larger than the register can hold"
    return amount.quantize(Decimal("0.01")), "", ""


def read_cn_patent(text: str) -> tuple[str, str]:
    """(number as the corpus finds it, "application" | "publication") for a Chinese patent:
    an application or patent number (``ZL201810390462.7``, ``2018103904627``) whose check
    digit, if given, is right, or a publication number (``CN113700001B``). IdentifierError
    otherwise — a foreign patent included: CNIPA registers pledges of Chinese patents only."""
    try:
        application = parse_cn_application(text)
    except IdentifierError:
        pass
    else:
        if not application.check_digit_ok:
            warning = application.warnings[0]
            raise IdentifierError(
                "check_digit", message_zh=warning.message_zh, message_en=warning.message_en
            )
        return application.normalised, "application"
    document = parse_doc_number(text if text.strip()[:2].isalpha() else f"CN{text.strip()}")
    if document.country != "CN":
        raise IdentifierError(
            "not_cn",
            message_zh=f"不是中国专利（{document.country}）：国家知识产权局只登记中国专利的质押",
            message_en=f"not a Chinese patent ({document.country}): CNIPA registers pledges of "
            "Chinese patents only",
        )
    publication = parse_cn_publication(document.docdb)
    return publication.normalised, "publication"

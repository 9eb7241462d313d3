"""The vocabulary of pledge records and the reading of one cell: the columns a file may name
(Chinese or English), the statuses and claim types as registers word them, dates in the
spellings Chinese offices use, amounts in 元 or 万元, Chinese patent numbers. Each reader
returns the value or says why not, in both languages; ``pledge_records`` locates the problem.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from ipcore.identifiers.cn import parse_cn_application, parse_cn_publication
from ipcore.identifiers.docdb import parse_doc_number
from ipcore.identifiers.errors import IdentifierError
from ipcore.market.money import WAN

MAX_PATENTS: Final = 500  # patents in one record (as the platform's own registration allows)
MAX_AMOUNT: Final = Decimal("99999999999999.99")  # CNY: what the register can hold
FIRST_YEAR: Final = 1985  # the Patent Law: no Chinese patent, pledge or debt term before it
LAST_YEAR: Final = 2100
PATENT_SEPARATORS: Final = re.compile(r"[;；、,，\n\r|]+")


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
    Field.STATUS: ("状态", "登记状态", "质押状态", "status"),
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


def header_key(text: str) -> str:
    """NFKC (full-width brackets → ASCII), case-folded, without spaces, ``*`` or ``_``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s*_]+", "", folded).replace("（", "(").replace("）", ")")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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

"""中国专利申请号 and 公布/公告号 — CNIPA application and publication numbers.

Application numbers (申请号), by era:

* from 2003-10-01: ``YYYY`` + type digit + 7-digit serial + ``.`` + check digit
  (``201810390462.7``);
* 1989 to 2003-09-30: ``YY`` + type digit + 5-digit serial + ``.`` + check digit
  (``99113861.9``);
* 1985 to 1988: ``YY`` + type digit + 5-digit serial, no check digit.

Type digit: 1 invention, 2 utility model, 3 design, 8 PCT invention entering China,
9 PCT utility model entering China. A granted patent is cited as ``ZL`` + application number.

Check digit: weights 2..9 repeating over the digits left to right, sum mod 11, 10 written
``X`` (verified on the five numbers in DOMAIN.md and on real numbers from CNIPA XML).
Real data holds numbers whose check digit is wrong: they parse, with ``check_digit_ok``
False and a warning, because the record is still worth keeping.

Publication numbers (公布号/公告号): ``CN`` + 9 digits + kind since 2007 (first digit
1 invention, 2 utility model, 3 design), 7 digits before, and in the earliest years
(1985-1988) the 8-digit application number itself.
"""

# Chinese messages use full-width Chinese punctuation, which RUF001 takes for look-alikes.

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from ipcore.identifiers._text import compact
from ipcore.identifiers.errors import IdentifierError, IdentifierWarning


class PatentType(StrEnum):
    """专利类型."""

    INVENTION = "invention"  # 发明
    UTILITY_MODEL = "utility_model"  # 实用新型
    DESIGN = "design"  # 外观设计


# type digit → (patent type, entered China through the PCT national phase)
_APPLICATION_TYPES: Final = {
    "1": (PatentType.INVENTION, False),
    "2": (PatentType.UTILITY_MODEL, False),
    "3": (PatentType.DESIGN, False),
    "8": (PatentType.INVENTION, True),
    "9": (PatentType.UTILITY_MODEL, True),
}

# Publication numbers carry the type in their first digit (7 and 9 digits).
_PUBLICATION_TYPES: Final = {
    "1": PatentType.INVENTION,
    "2": PatentType.UTILITY_MODEL,
    "3": PatentType.DESIGN,
}

FIRST_CHECK_DIGIT_YEAR: Final = 1989
FIRST_TWELVE_DIGIT_YEAR: Final = 2003
FIRST_APPLICATION_YEAR: Final = 1985  # the Patent Law took effect on 1985-04-01

# DOMAIN.md's pattern, widened for the older 8-digit form and a trailing kind letter that
# exports such as Lens add to application numbers ("CN 200710063161 A").
_APPLICATION: Final = re.compile(
    r"^(?:CN|ZL)?(?P<body>\d{12}|\d{8})(?:\.?(?P<check>[0-9X]))?(?P<kind>[AUS])?$"
)

# Kind codes (文献种类代码) with their meanings since 2010-04-07. Before that C was a granted
# invention, Y a granted utility model and D a design, and the number alone does not tell
# which era a 2007-2010 document belongs to, so no property decodes a kind into words.
KIND_NAMES_ZH: Final = {
    "A": "发明专利申请公布",
    "B": "发明专利授权公告",
    "C": "发明专利权部分无效宣告的公告",
    "U": "实用新型专利授权公告",
    "Y": "实用新型专利权部分无效宣告的公告",
    "S": "外观设计专利授权公告",
    "D": "外观设计专利授权公告（2010年以前）",
}
_CORRECTABLE_KINDS: Final = "ABCUYS"  # 8 = corrected front page, 9 = corrected document

_PUBLICATION: Final = re.compile(r"^(?:CN)?(?P<number>\d{7,9})(?P<kind>[A-Z]\d?)?$")


@dataclass(frozen=True)
class CnApplicationNumber:
    """中国专利申请号 — a CNIPA application number.

    ``serial`` is 7 digits (from 2003) or 5 (before). ``check_digit`` is what the text gave,
    None when it gave none. ``check_digit_ok`` is False only when a check digit was given
    and is wrong; ``warnings`` then says so.
    """

    year: int
    type_code: str
    serial: str
    check_digit: str | None
    check_digit_ok: bool
    warnings: tuple[IdentifierWarning, ...] = ()

    @property
    def body(self) -> str:
        """The digits before the check digit: ``201810390462`` or ``99113861``."""
        year = str(self.year) if len(self.serial) == 7 else f"{self.year % 100:02d}"
        return f"{year}{self.type_code}{self.serial}"

    @property
    def expected_check_digit(self) -> str | None:
        """The check digit the body calls for; None before 1989, when there was none."""
        if self.year < FIRST_CHECK_DIGIT_YEAR:
            return None
        return cn_check_digit(self.body)

    @property
    def patent_type(self) -> PatentType:
        """专利类型 from the type digit."""
        return _APPLICATION_TYPES[self.type_code][0]

    @property
    def is_pct_entry(self) -> bool:
        """PCT国际申请进入中国国家阶段 (type digit 8 or 9)."""
        return _APPLICATION_TYPES[self.type_code][1]

    @property
    def normalised(self) -> str:
        """``201810390462.7``; a missing check digit is filled in (it follows from the body)."""
        check = self.check_digit or self.expected_check_digit
        return f"{self.body}.{check}" if check else self.body

    @property
    def zl(self) -> str:
        """专利号 as cited for a granted patent: ``ZL201810390462.7``."""
        return f"ZL{self.normalised}"

    def __str__(self) -> str:
        return self.normalised


@dataclass(frozen=True)
class CnPublicationNumber:
    """中国专利公布号/公告号 — ``CN101025382A``; ``kind`` is None when the text had none."""

    number: str
    kind: str | None

    @property
    def patent_type(self) -> PatentType:
        """专利类型: first digit of 7- and 9-digit numbers, type digit of 8-digit ones."""
        return _PUBLICATION_TYPES[_publication_type_digit(self.number)]

    @property
    def normalised(self) -> str:
        """``CN101025382A`` (no kind when none was given)."""
        return f"CN{self.number}{self.kind or ''}"

    def __str__(self) -> str:
        return self.normalised


def cn_check_digit(body: str) -> str:
    """校验位 for the digits of an application number (8 or 12 digits, no dot).

    Weights 2, 3, …, 9, 2, 3, … from the left; sum mod 11; 10 is written X.
    """
    if not body.isdigit() or not body.isascii():
        raise ValueError(f"check digit needs ASCII digits, got {body!r}")
    total = sum(int(digit) * (2 + index % 8) for index, digit in enumerate(body))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def parse_cn_application(text: str) -> CnApplicationNumber:
    """Read a 申请号 in any common spelling; raise ``IdentifierError`` only if unreadable.

    Accepts ``ZL``/``CN`` prefixes, spaces anywhere (``ZL 2018 1 0390462.7``), full-width
    characters, a missing dot or check digit, and a trailing kind letter (``A``/``U``/``S``).
    """
    match = _APPLICATION.match(compact(text))
    if match is None:
        raise _format_error(text, "中国专利申请号", "CN application number")
    body = match["body"]
    year = _application_year(body)
    type_code, serial = (body[4], body[5:]) if len(body) == 12 else (body[2], body[3:])
    if type_code not in _APPLICATION_TYPES:
        raise IdentifierError(
            "type",
            position=5 if len(body) == 12 else 3,
            message_zh=f"申请号中的专利类型位“{type_code}”无效（应为1、2、3、8或9）",
            message_en=f"patent type digit {type_code!r} is not 1, 2, 3, 8 or 9",
        )
    return _with_check_digit(year, type_code, serial, match["check"])


def is_valid_cn_application(text: str) -> bool:
    """True when ``text`` parses and its check digit, if given, is right."""
    try:
        return parse_cn_application(text).check_digit_ok
    except IdentifierError:
        return False


def parse_cn_publication(text: str) -> CnPublicationNumber:
    """Read a 公布号/公告号 (``CN101025382A``, ``CN 101025382 A``, ``CN-1047187-A``)."""
    match = _PUBLICATION.match(compact(text).replace("-", ""))
    if match is None:
        raise _format_error(text, "中国专利公布/公告号", "CN publication number")
    number, kind = match["number"], match["kind"]
    if kind is not None and not _is_known_kind(kind):
        raise IdentifierError(
            "kind",
            message_zh=f"文献种类代码“{kind}”无效",
            message_en=f"kind code {kind!r} is not a CNIPA kind code",
        )
    digit = _publication_type_digit(number)
    if digit not in _PUBLICATION_TYPES:
        raise IdentifierError(
            "type",
            message_zh=f"公布号{number}的专利类型位“{digit}”无效",
            message_en=f"publication number {number} has unknown type digit {digit!r}",
        )
    return CnPublicationNumber(number=number, kind=kind)


# --- helpers -------------------------------------------------------------------------------


def _application_year(body: str) -> int:
    if len(body) == 12:
        year = int(body[:4])
        if year < FIRST_TWELVE_DIGIT_YEAR:
            raise _year_error(body[:4], "12-digit numbers start in 2003")
        return year
    two_digits = int(body[:2])
    # 8-digit numbers run from 1985 to 2003: 85..99 are 19xx, 00..03 are 20xx.
    year = 1900 + two_digits if two_digits >= FIRST_APPLICATION_YEAR % 100 else 2000 + two_digits
    if year > FIRST_TWELVE_DIGIT_YEAR:
        raise _year_error(body[:2], "8-digit numbers run from 1985 to 2003")
    return year


def _with_check_digit(
    year: int, type_code: str, serial: str, given: str | None
) -> CnApplicationNumber:
    number = CnApplicationNumber(year, type_code, serial, given, check_digit_ok=True)
    expected = number.expected_check_digit
    if given is None or expected is None or given == expected:
        return number
    warning = IdentifierWarning(
        "check_digit",
        message_zh=f"申请号{number.body}的校验位应为{expected}，实为{given}",
        message_en=f"check digit of {number.body} should be {expected}, got {given}",
    )
    return CnApplicationNumber(
        year, type_code, serial, given, check_digit_ok=False, warnings=(warning,)
    )


def _publication_type_digit(number: str) -> str:
    # 8-digit publication numbers (1985-1988) are application numbers: YY + type + serial.
    return number[2] if len(number) == 8 else number[0]


def _is_known_kind(kind: str) -> bool:
    if len(kind) == 1:
        return kind in KIND_NAMES_ZH
    return kind[0] in _CORRECTABLE_KINDS and kind[1] in "89"


def _year_error(year: str, why: str) -> IdentifierError:
    return IdentifierError(
        "year",
        position=1,
        message_zh=f"申请号年份“{year}”不可能",
        message_en=f"application year {year!r} is impossible: {why}",
    )


def _format_error(text: str, name_zh: str, name_en: str) -> IdentifierError:
    return IdentifierError(
        "format",
        message_zh=f"“{text}”不是可识别的{name_zh}",
        message_en=f"{text!r} is not a recognisable {name_en}",
    )

"""DOCDB-style document numbers (文献号) and PCT application numbers (PCT国际申请号).

DOCDB, the EPO's master bibliographic database, writes a document as country code +
number + kind code with no punctuation: ``US10123456B2``, ``EP1234567A1``,
``WO2019123456A1``. Sources spell the same document many ways (``US 10,123,456 B2``,
``WO 2019/123456 A1``, ``US 2016/0012345 A1``, ``JP H11-123456 A``, ``KR 10-2013-0138117``);
:func:`parse_doc_number` brings them to the DOCDB form, following what EPO OPS returns in
``shared/data/formats/epo-ops``:

* US pre-grant publications: year + 6 digits (``US 2006/0142694`` → ``US2006142694``);
  granted patents without leading zeros (USPTO file names write ``US06970935``);
* EP: 7 digits, zero-padded (``EP0095016``);
* WO: ``YYYY/NNNNNN`` → ``YYYYNNNNNN``; before 2004 ``YY/NNNNN`` → ``YYNNNNN``;
* JP: Japanese-era prefixes kept (``JPH11123456A``), ``YYYY-NNNNNN`` joined;
* KR: ``10-YYYY-NNNNNNN`` (right type + year + serial) → ``YYYYNNNNNNN``;
* CN: an application number loses its check digit (``CN201810390462``), as in DOCDB.

Other offices are read with separators removed and no further rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ipcore.identifiers._text import fold
from ipcore.identifiers.cn import parse_cn_application
from ipcore.identifiers.errors import IdentifierError

_DOC_NUMBER: Final = re.compile(
    r"(?P<country>[A-Z]{2})[\s.\-]*"
    r"(?P<body>[A-Z]{0,2}\d(?:[\d\s,./\-]*\d)?)"
    r"(?:[\s.\-]*(?P<kind>[A-Z]\d?))?"
    r"(?:\s+\d{8})?"  # Lens appends a date to priority numbers: "EP 0259054 B9 20031217"
)
_CN_APPLICATION: Final = re.compile(r"CN\s*(?:\d{12}|\d{8})\s*\.\s*[\dX]")
_SEPARATORS: Final = re.compile(r"[\s,.\-]")

# Letters that may open a number: US design, reissue, plant, statutory invention
# registration, defensive publication, X-patents; JP era names (Showa, Heisei, Taisho).
_NUMBER_PREFIXES: Final = {
    "US": ("D", "RE", "PP", "H", "T", "X", "RX", "AI"),
    "JP": ("S", "H", "T"),
}

FIRST_PCT_YEAR: Final = 1978  # the PCT entered into force on 1978-01-24
FIRST_FOUR_DIGIT_PCT_YEAR: Final = 2004  # PCT/CCYYYY/NNNNNN since 2004-01-01
LAST_PCT_YEAR: Final = 2099


@dataclass(frozen=True)
class DocNumber:
    """文献号 — a patent document as DOCDB writes it: country, number, kind (None if unknown)."""

    country: str
    number: str
    kind: str | None

    @property
    def docdb(self) -> str:
        """``US10123456B2`` (no kind when none is known)."""
        return f"{self.country}{self.number}{self.kind or ''}"

    @property
    def epodoc(self) -> str:
        """``US10123456`` — country and number, the key EPO uses across kinds."""
        return f"{self.country}{self.number}"

    def __str__(self) -> str:
        return self.docdb


@dataclass(frozen=True)
class PctApplicationNumber:
    """PCT国际申请号 — receiving office, filing year, 6-digit serial."""

    office: str
    year: int
    serial: str

    @property
    def normalised(self) -> str:
        """``PCT/CN2019/123456`` — the form WIPO uses since 2004, applied to all years."""
        return f"PCT/{self.office}{self.year}/{self.serial}"

    def as_doc_number(self) -> DocNumber:
        """The DOCDB application reference: office, year + serial, kind ``W``.

        DOCDB files a PCT application under its receiving office (``US 9816128 W`` for
        PCT/US98/16128, as in ``shared/data/formats/epo-docdb``): 2-digit year + 5-digit
        serial before 2004, 4-digit year + 6-digit serial since.
        """
        if self.year < FIRST_FOUR_DIGIT_PCT_YEAR and int(self.serial) < 100_000:
            return DocNumber(self.office, f"{self.year % 100:02d}{self.serial[1:]}", "W")
        return DocNumber(self.office, f"{self.year}{self.serial}", "W")

    def __str__(self) -> str:
        return self.normalised


def parse_doc_number(text: str) -> DocNumber:
    """Read a document number (``US 10,123,456 B2``, ``EP1234567A1``, ``WO2019/123456``)."""
    folded = fold(text).replace("U.S.", "US", 1)
    if folded.startswith("PCT"):
        raise _error(text, "a PCT application number: use parse_pct_application")
    if _CN_APPLICATION.fullmatch(folded):
        return DocNumber("CN", parse_cn_application(folded).body, None)
    match = _DOC_NUMBER.fullmatch(folded)
    if match is None:
        raise _error(text, "expected country code + number + optional kind")
    country, body = match["country"], match["body"]
    prefix = re.match(r"[A-Z]*", body)
    if prefix and prefix[0] and prefix[0] not in _NUMBER_PREFIXES.get(country, ()):
        raise _error(text, f"{country} numbers do not start with {prefix[0]!r}")
    number = _NUMBER_RULES.get(country, _plain)(body)
    return DocNumber(country, number, match["kind"])


def parse_pct_application(text: str) -> PctApplicationNumber:
    """Read a PCT application number in its usual and DOCDB-like spellings.

    ``PCT/CN2019/123456``, ``PCT/US99/23008`` (before 2004: 2-digit year, 5-digit serial),
    ``WO2019CN123456`` (EPODOC), and Lens' ``CN 2014071250 W`` / ``US 9912817 W`` /
    ``US 2006/0000980 W``. Two-digit years from 78 are 19xx, the rest 20xx.
    """
    compacted = re.sub(r"\s+", "", fold(text))
    for pattern in _PCT_PATTERNS:
        match = pattern.fullmatch(compacted)
        if match is not None:
            return _pct(text, match["office"], match["year"], match["serial"])
    raise _error(text, "expected PCT/CCYYYY/NNNNNN", name_zh="PCT国际申请号")


# --- country rules -------------------------------------------------------------------------


def _plain(body: str) -> str:
    return _SEPARATORS.sub("", body).replace("/", "")


def _us(body: str) -> str:
    year_serial = re.fullmatch(r"((?:19|20)\d{2})/?(\d{6,7})", _SEPARATORS.sub("", body))
    if year_serial is not None:
        # Pre-grant publication 2016/0012345: DOCDB keeps year + 6 digits.
        year, serial = year_serial.groups()
        return year + (serial[1:] if len(serial) == 7 and serial[0] == "0" else serial)
    prefix, digits = _split_prefix(_plain(body))
    return prefix + (digits.lstrip("0") or "0")


def _ep(body: str) -> str:
    return _plain(body).zfill(7)


def _wo(body: str) -> str:
    parts = _SEPARATORS.sub("", body).split("/")
    if len(parts) == 2:
        year, serial = parts
        return year + serial.zfill(6 if len(year) == 4 else 5)
    return _plain(body)


def _jp(body: str) -> str:
    match = re.fullmatch(r"([A-Z]?\d{2,4})-(\d+)", re.sub(r"[\s,./]", "", body))
    if match is not None:
        return match[1] + match[2].zfill(6)
    return _plain(body)


def _kr(body: str) -> str:
    match = re.fullmatch(r"[12]0-?((?:19|20)\d{2})-?(\d{7})", re.sub(r"[\s,./]", "", body))
    if match is not None and "-" in body:
        return match[1] + match[2]
    return _plain(body)


def _split_prefix(number: str) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Z]*)(\d+)", number)
    if match is None:
        return "", number
    return match[1], match[2]


_NUMBER_RULES: Final[dict[str, Callable[[str], str]]] = {
    "US": _us,
    "EP": _ep,
    "WO": _wo,
    "JP": _jp,
    "KR": _kr,
}


# --- PCT -----------------------------------------------------------------------------------

_PCT_PATTERNS: Final = (
    re.compile(r"PCT/?(?P<office>[A-Z]{2})(?P<year>\d{4}|\d{2})/(?P<serial>\d{1,7})"),
    re.compile(r"PCT(?P<office>[A-Z]{2})(?P<year>\d{4})(?P<serial>\d{6})"),
    re.compile(r"WO(?P<year>\d{4}|\d{2})(?P<office>[A-Z]{2})(?P<serial>\d{1,7})"),
    re.compile(r"(?P<office>[A-Z]{2})(?P<year>\d{4})/?(?P<serial>\d{6,7})W"),
    re.compile(r"(?P<office>[A-Z]{2})(?P<year>\d{2})(?P<serial>\d{5})W"),
)


def _pct(text: str, office: str, year_text: str, serial: str) -> PctApplicationNumber:
    year = int(year_text)
    if len(year_text) == 2:
        year += 1900 if year >= FIRST_PCT_YEAR % 100 else 2000
    if not FIRST_PCT_YEAR <= year <= LAST_PCT_YEAR:
        raise IdentifierError(
            "year",
            message_zh=f"PCT申请年份{year}不可能",
            message_en=f"PCT filing year {year} in {text!r} is impossible",
        )
    # Lens pads serials to 7 digits ("US 2006/0000980 W"); a real serial has at most 6.
    serial = serial.lstrip("0").zfill(6)
    if len(serial) > 6:
        raise _error(text, "PCT serials have at most 6 digits", name_zh="PCT国际申请号")
    return PctApplicationNumber(office=office, year=year, serial=serial)


def _error(text: str, why: str, *, name_zh: str = "专利文献号") -> IdentifierError:
    return IdentifierError(
        "format",
        message_zh=f"“{text}”不是可识别的{name_zh}",
        message_en=f"{text!r} is not a recognisable document number ({why})",
    )

"""统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714-1997).

An 18-character code:

====  =========================================================================
pos   meaning
====  =========================================================================
1     登记管理部门代码 — registration authority (9 = 市场监管, 1 = 机构编制, …)
2     机构类别代码 — entity category within that authority (91 = 企业)
3-8   登记管理机关行政区划码 — GB/T 2260 code at registration time (may be retired)
9-17  主体标识码 — the 9-character 组织机构代码, with its own check char at 17
18    校验码 — GB 32100 check character
====  =========================================================================

Rules and weights follow ``reference-cn/uscc/USCC_ORGCODE_SPEC.md``; they were checked
against 202 real codes (``ipcore/tests/fixtures/uscc_examples.csv``).
"""

# Chinese messages use full-width Chinese punctuation, which RUF001 takes for look-alikes.

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Final

from ipcore._data import read_data_csv
from ipcore.divisions import get_division, is_known_division
from ipcore.identifiers.errors import IdentifierError

USCC_LENGTH: Final = 18

# GB 32100 character set: value = index. I, O, S, V, Z are left out because they are easily
# confused with 1, 0, 5, U, 2.
USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE: Final = {char: value for value, char in enumerate(USCC_ALPHABET)}

# W_i = 3^(i-1) mod 31, i = 1..17
USCC_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))

# GB 11714 uses the full Latin alphabet (A = 10 … Z = 35), not the USCC set: with the USCC
# values only 43 of 200 real codes validate, with these all 200 do.
_ORG_CODE_ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_CODE_VALUE: Final = {char: value for value, char in enumerate(_ORG_CODE_ALPHABET)}
ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)

_SEPARATORS: Final = str.maketrans("", "", " \t\r\n-\u00a0\u3000")


class UsccError(IdentifierError):
    """统一社会信用代码无效 — which rule failed and where.

    ``code`` is one of ``"length"``, ``"charset"``, ``"authority"``, ``"region"``,
    ``"org_code"``, ``"check_char"``.
    """


@dataclass(frozen=True)
class Uscc:
    """统一社会信用代码 — a validated 18-character unified social credit code."""

    code: str
    authority_code: str
    category_code: str
    region_code: str
    org_code: str
    check_char: str

    @property
    def authority_name(self) -> str:
        """登记管理部门名称, e.g. 工商 for 9."""
        return _authority_table()[(self.authority_code, self.category_code)][0]

    @property
    def category_name(self) -> str:
        """机构类别名称, e.g. 企业 for 91."""
        return _authority_table()[(self.authority_code, self.category_code)][1]

    @property
    def region_name(self) -> str:
        """登记管理机关所在区划 — the division's latest name (the code may be retired)."""
        division = get_division(self.region_code)
        # parse_uscc guarantees a known region, so a miss here is a bug, not bad input.
        assert division is not None
        return division.name_zh

    def __str__(self) -> str:
        return self.code


def normalise_uscc(text: str) -> str:
    """NFKC (full-width → ASCII), strip, drop spaces and hyphens, upper-case.

    NFKC runs again last because upper-casing can leave text that is not in NFKC form
    (``ǆ`` → ``Ǆ``), and a normaliser must be idempotent.
    """
    cleaned = unicodedata.normalize("NFKC", text).translate(_SEPARATORS).upper()
    return unicodedata.normalize("NFKC", cleaned)


def uscc_check_char(first17: str) -> str:
    """GB 32100 校验码 for the first 17 characters (already normalised).

    C18 = 31 - (Σ Cᵢ·Wᵢ mod 31), 31 written as 0. Raises ``UsccError`` for a wrong length or
    a character outside the 31-character set.
    """
    if len(first17) != USCC_LENGTH - 1:
        raise _length_error(first17, USCC_LENGTH - 1)
    _check_charset(first17)
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """GB 11714 组织机构代码 check character for the 8-character body.

    C9 = 11 - (Σ Cᵢ·Wᵢ mod 11); 10 is written X, 11 is written 0.
    """
    if len(first8) != 8:
        raise UsccError(
            "org_code",
            message_zh=f"组织机构代码本体应为8位，实为{len(first8)}位",
            message_en=f"organisation code body must be 8 characters, got {len(first8)}",
        )
    for index, char in enumerate(first8, start=1):
        if char not in _ORG_CODE_VALUE:
            raise UsccError(
                "org_code",
                position=index,
                message_zh=f"组织机构代码第{index}位字符“{char}”无效",
                message_en=f"organisation code character {index} {char!r} is not a digit or A-Z",
            )
    total = sum(_ORG_CODE_VALUE[c] * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def is_valid_org_code(text: str) -> bool:
    """Whether a 9-character 组织机构代码 (hyphen allowed: ``12345678-X``) is valid."""
    code = normalise_uscc(text)
    try:
        return len(code) == 9 and org_code_check_char(code[:8]) == code[8]
    except UsccError:
        return False


def parse_uscc(text: str) -> Uscc:
    """Parse and validate a 统一社会信用代码; raise ``UsccError`` naming the failed rule.

    Rules run in this order, so the error names the first one broken: length, character
    set (positions 1-17), authority and category, region, organisation code, check char.
    Position 18 is only checked against the computed value: a character that can never be
    a check char (the standard's own invalid example ends in Z) is a check_char error.
    """
    code = normalise_uscc(text)
    if len(code) != USCC_LENGTH:
        raise _length_error(code, USCC_LENGTH)
    _check_charset(code[:17])
    _check_authority(code[0], code[1])
    _check_region(code[2:8])
    _check_org_code(code[8:17])
    _check_check_char(code)
    return Uscc(
        code=code,
        authority_code=code[0],
        category_code=code[1],
        region_code=code[2:8],
        org_code=code[8:17],
        check_char=code[17],
    )


def is_valid_uscc(text: str) -> bool:
    """Whether ``text`` is a valid 统一社会信用代码 after normalisation."""
    try:
        parse_uscc(text)
    except UsccError:
        return False
    return True


# --- rules ---------------------------------------------------------------------------------


def _length_error(code: str, expected: int) -> UsccError:
    return UsccError(
        "length",
        message_zh=f"应为{expected}位，实为{len(code)}位",
        message_en=f"must be {expected} characters, got {len(code)}",
    )


def _check_charset(chars: str) -> None:
    for index, char in enumerate(chars, start=1):
        if char not in _USCC_VALUE:
            raise UsccError(
                "charset",
                position=index,
                message_zh=f"第{index}位字符“{char}”不在代码字符集中（不使用I、O、S、V、Z）",
                message_en=(
                    f"character {index} {char!r} is not allowed "
                    "(digits and A-Z except I, O, S, V, Z)"
                ),
            )


def _check_authority(authority: str, category: str) -> None:
    table = _authority_table()
    if not any(key[0] == authority for key in table):
        raise UsccError(
            "authority",
            position=1,
            message_zh=f"登记管理部门代码“{authority}”不存在",
            message_en=f"registration authority code {authority!r} is unknown",
        )
    if (authority, category) not in table:
        raise UsccError(
            "authority",
            position=2,
            message_zh=f"登记管理部门“{authority}”下无机构类别代码“{category}”",
            message_en=f"category {category!r} is unknown for registration authority {authority!r}",
        )


def _check_region(region: str) -> None:
    if not region.isdigit():
        first = next(i for i, c in enumerate(region, start=3) if not c.isdigit())
        raise UsccError(
            "region",
            position=first,
            message_zh=f"第3至8位行政区划码应为数字，第{first}位不是",
            message_en=f"positions 3-8 must be a numeric division code; {first} is not a digit",
        )
    if not is_known_division(region):
        raise UsccError(
            "region",
            position=3,
            message_zh=f"行政区划码“{region}”不是现行或历史上的GB/T 2260代码",
            message_en=f"region code {region!r} is not a current or former GB/T 2260 code",
        )


def _check_org_code(org_code: str) -> None:
    expected = org_code_check_char(org_code[:8])
    if org_code[8] != expected:
        raise UsccError(
            "org_code",
            position=17,
            message_zh=f"组织机构代码校验码应为“{expected}”，实为“{org_code[8]}”",
            message_en=(
                f"organisation code check character should be {expected!r}, got {org_code[8]!r}"
            ),
        )


def _check_check_char(code: str) -> None:
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise UsccError(
            "check_char",
            position=18,
            message_zh=f"第18位校验码应为“{expected}”，实为“{code[17]}”",
            message_en=f"position 18: check character should be {expected!r}, got {code[17]!r}",
        )


@functools.cache
def _authority_table() -> dict[tuple[str, str], tuple[str, str]]:
    """(登记管理部门代码, 机构类别代码) → (部门名称, 类别名称)."""
    return {
        (row["reg_authority_code"], row["org_category_code"]): (
            row["reg_authority_name"],
            row["org_category_name"],
        )
        for row in read_data_csv("uscc_registration_authority_categories.csv")
    }

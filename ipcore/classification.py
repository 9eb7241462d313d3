"""IPC / CPC 分类号 — International and Cooperative Patent Classification symbols.

One symbol, many spellings in real data:

* ``H04W 72/54`` (IPC publication style), ``H04W72/54`` (Lens, PatentsView);
* ``A24B   15/18    (2006.01)`` (CNIPA XML: padded, with the IPC version);
* ``C07K  16/28        20060101AFI20230209BHEP`` (EPO DOCDB: version, position, value,
  action date, source);
* ``H02P   6/    08            A I`` (EPO OPS: spaces inside the symbol, value flags);
* ``G06F015/16`` (old USPTO XML: zero-padded main group);
* ``H04W0072540000`` (WIPO's 14-character form: 4-character subclass, main group padded to
  4 digits, subgroup padded *on the right* to 6 digits).

All read as the same frozen :class:`ClassificationCode`. The digits after the slash are a
decimal fraction, not an integer: ``72/054`` and ``72/54`` are different groups, and
trailing zeros past the second digit carry no meaning (``72/540`` is ``72/54``), which is
exactly why the 14-character form can pad on the right.

Section Y (CPC tagging) and the CPC 2000-series indexing main groups (``A63F2009/241``)
are accepted: the structure is the same, and real data mixes IPC and CPC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from ipcore.identifiers._text import fold
from ipcore.identifiers.errors import IdentifierError

SECTIONS: Final = "ABCDEFGHY"

_HEAD: Final = r"(?P<section>[A-HY])\s*(?P<class_>\d{2})\s*(?P<subclass>[A-Z])"
_SLASHED: Final = re.compile(_HEAD + r"\s*(?P<main>\d{1,4})\s*/\s*(?P<sub>\d{2,6})(?P<tail>.*)")
_FIXED_WIDTH: Final = re.compile(_HEAD + r"(?P<main>\d{4})(?P<sub>\d{6})(?P<tail>.*)")
_SUBCLASS: Final = re.compile(_HEAD)

# What may follow a symbol: an IPC version "(2006.01)", the rest of a DOCDB fixed-width line
# "20060101AFI20230209BHEP" (version, level, position, value, action date, status, source,
# office; blanks allowed: "20060101A I20051008RMEP"), or OPS value flags "A I". Anything else
# means the text was not one symbol.
_TAIL: Final = re.compile(
    r"\s*(?:\(\d{4}\.\d{2}\)|\d{8}[A-Z0-9 ]{0,24}|[A-Z](?:\s+[A-Z])?)?\s*",
)


@dataclass(frozen=True)
class ClassificationCode:
    """IPC/CPC 分类号 at group level: section 部, class 大类, subclass 小类, group 组.

    ``main_group`` has no leading zeros (``"72"``); ``subgroup`` keeps its leading zeros and
    has no trailing zeros beyond two digits (``"54"``, ``"054"``, ``"00"`` for a main group).
    """

    section: str
    class_: str
    subclass: str
    main_group: str
    subgroup: str

    @property
    def subclass_code(self) -> str:
        """小类: ``H04W``."""
        return f"{self.section}{self.class_}{self.subclass}"

    @property
    def class_code(self) -> str:
        """大类: ``H04``."""
        return f"{self.section}{self.class_}"

    @property
    def main_group_code(self) -> str:
        """大组: ``H04W 72/00``."""
        return f"{self.subclass_code} {self.main_group}/00"

    @property
    def is_main_group(self) -> bool:
        """Whether this symbol is itself a main group (``…/00``)."""
        return self.subgroup == "00"

    @property
    def normalised(self) -> str:
        """``H04W 72/54`` — the form IPC publications print."""
        return f"{self.subclass_code} {self.main_group}/{self.subgroup}"

    @property
    def compact(self) -> str:
        """``H04W72/54`` — the form Lens, PatentsView and the SEI concordance use."""
        return f"{self.subclass_code}{self.main_group}/{self.subgroup}"

    @property
    def fixed_width(self) -> str:
        """``H04W0072540000`` — WIPO's 14-character form; it also sorts in scheme order."""
        return f"{self.subclass_code}{self.main_group:0>4}{self.subgroup:0<6}"

    def __str__(self) -> str:
        return self.normalised


def parse_classification(text: str) -> ClassificationCode:
    """Read one IPC/CPC group symbol in any spelling above; raise ``IdentifierError`` if not.

    A version or DOCDB suffix is accepted and dropped: the symbol is what identifies the
    group. A bare subclass (``H04W``) is not a group; use :func:`parse_subclass`.
    """
    folded = fold(text)
    match = _SLASHED.fullmatch(folded) or _FIXED_WIDTH.fullmatch(folded)
    if match is None or not _TAIL.fullmatch(match["tail"]):
        raise _error(text)
    main_group = match["main"].lstrip("0")
    if not main_group:
        raise _error(text, why="main group 0 does not exist")
    return ClassificationCode(
        section=match["section"],
        class_=match["class_"],
        subclass=match["subclass"],
        main_group=main_group,
        subgroup=_trim_subgroup(match["sub"]),
    )


def normalise_classification(text: str) -> str:
    """``"h04w  72/540 (2023.01)"`` → ``"H04W 72/54"``."""
    return parse_classification(text).normalised


def parse_subclass(text: str) -> str:
    """Read a 小类 symbol such as ``h04w`` or ``H 04 W`` and return ``H04W``."""
    match = _SUBCLASS.fullmatch(fold(text))
    if match is None:
        raise _error(text, name_zh="IPC/CPC小类", name_en="IPC/CPC subclass")
    return f"{match['section']}{match['class_']}{match['subclass']}"


def _trim_subgroup(digits: str) -> str:
    # Subgroup digits are a decimal fraction: zeros after the second digit carry nothing.
    return digits[:2] + digits[2:].rstrip("0")


def _error(
    text: str,
    *,
    why: str = "",
    name_zh: str = "IPC/CPC分类号",
    name_en: str = "IPC/CPC group symbol",
) -> IdentifierError:
    suffix = f" ({why})" if why else ""
    return IdentifierError(
        "format",
        message_zh=f"“{text}”不是可识别的{name_zh}",
        message_en=f"{text!r} is not a recognisable {name_en}{suffix}",
    )


@lru_cache(maxsize=1 << 16)
def classification_levels(code: str) -> tuple[str, ...]:
    """Every level a code belongs to: ``H``, ``H01``, ``H01M``, ``H01M 4/00`` (its main group)
    and ``H01M0004525000`` (itself, fixed width) — so that each query level is one term."""
    try:
        parsed = parse_classification(code)
    except IdentifierError:
        try:
            subclass = parse_subclass(code)
        except IdentifierError:
            return ()
        return (subclass[0], subclass[:3], subclass)
    subclass = parsed.subclass_code
    return (subclass[0], subclass[:3], subclass, parsed.main_group_code, parsed.fixed_width)

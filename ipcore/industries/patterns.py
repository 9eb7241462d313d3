"""分类号范围 — the IPC/CPC patterns field definitions are written in, and what they cover.

CNIPA's concordance of strategic emerging industries to IPC (2021) writes its classification
sets as patterns such as ``G06F21*``, ``G06F21/60`` or ``B41J*``; the key fields ipops keeps
(:mod:`ipcore.industries.key_fields`) use the same notation. A pattern names one symbol of the
IPC hierarchy, at one of four levels:

* ``G16*`` — a class (大类): every code in it;
* ``G06F*`` — a subclass (小类): every code in it;
* ``H04L1*`` — a main group (大组) and all its subgroups: ``H04L 1/00``, ``H04L 1/18``, never
  ``H04L 12/28`` (the symbol is a node of the hierarchy, not a text prefix);
* ``G06F21/60`` — one group, that group only.

Three readings are ipops's, because the concordance does not spell them out:

* **A symbol above group level means all of it, with or without ``*``.** A patent is
  classified at group level, so a pattern that names a bare subclass or main group can only
  mean the whole of it. The concordance writes ``G16H`` and ``H03M13`` without ``*`` (its
  quirks, see ``data/PROVENANCE.md``); both read as ``G16H*`` and ``H03M13*``. ``H04L1/00``
  with its ``/00`` is the main group's own heading only, and ``H04L1/00*`` is ``H04L1*``.
* **A subgroup with ``*`` covers the subgroups whose number extends its digits:**
  ``G06F3/048*`` covers ``G06F 3/048``, ``3/0481`` and ``3/04817`` but not ``3/049``. The true
  descendants are the subgroups under it in the dot hierarchy, which no table shipped here
  holds (the Chinese IPC titles have no dot levels); IPC numbers most children by extending
  their parent's digits, so this reads most of them right, but a child numbered apart
  (``H04L 12/40`` under ``12/28``) is missed. The concordance itself has no such pattern.
* **A code known only to its subclass** (CN data often gives only ``H04L``) is certainly
  covered by a class or subclass pattern, certainly not by a pattern of another subclass, and
  *perhaps* by a group pattern of its own subclass: :class:`Verdict.UNKNOWN`. Rules then count
  it only where the answer is certain (:mod:`ipcore.industries.rules`).

Every spelling :mod:`ipcore.classification` reads is accepted for patents' codes and for
patterns alike (``H01M 4/525``, ``H01M4/525``, ``H01M0004525000``, full-width, lower case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Final

from ipcore.classification import parse_classification, parse_subclass
from ipcore.identifiers._text import fold
from ipcore.identifiers.errors import IdentifierError

_CLASS: Final = re.compile(r"(?P<class_>[A-HY]\d\d)")
_MAIN_GROUP: Final = re.compile(r"(?P<subclass>[A-HY]\d\d[A-Z])\s*(?P<main>\d{1,4})")


class Scope(StrEnum):
    """The level of the IPC hierarchy a pattern names (the concordance's ``scope`` column)."""

    CLASS = "class"  # 大类
    SUBCLASS = "subclass"  # 小类
    MAIN_GROUP = "main_group"  # 大组
    GROUP = "group"  # 一个组（大组标题或小组）


class Verdict(Enum):
    """Whether a pattern (or a rule) covers a code: yes, no, or cannot tell from the code."""

    NO = 0
    UNKNOWN = 1
    YES = 2


@dataclass(frozen=True)
class PatentCode:
    """A patent's classification code as far as it is known: a subclass, and a main group
    and subgroup where the code gives them (``subgroup`` trimmed as in
    :class:`ipcore.classification.ClassificationCode`: ``"54"``, ``"054"``, ``"00"``)."""

    subclass: str
    main_group: str | None = None
    subgroup: str | None = None


@lru_cache(maxsize=1 << 16)
def patent_code(text: str) -> PatentCode | None:
    """Read a patent's code in any spelling; ``None`` where the text is no code at all."""
    try:
        parsed = parse_classification(text)
    except IdentifierError:
        try:
            return PatentCode(parse_subclass(text))
        except IdentifierError:
            return None
    return PatentCode(parsed.subclass_code, parsed.main_group, parsed.subgroup)


class PatternError(IdentifierError):
    """A pattern that cannot be read; ``message_zh``/``message_en`` say which and why."""


@dataclass(frozen=True)
class ClassPattern:
    """One pattern: the symbol it names, at which level, and whether it was written with ``*``.

    ``subgroup`` is set for :attr:`Scope.GROUP` only; ``main_group`` for main groups and
    groups; ``subclass`` for everything below a class.
    """

    scope: Scope
    class_code: str
    subclass: str | None = None
    main_group: str | None = None
    subgroup: str | None = None
    star: bool = False

    @property
    def symbol(self) -> str:
        """The symbol in the concordance's compact spelling: ``H04L1``, ``G06F21/60``."""
        if self.scope is Scope.CLASS:
            return self.class_code
        if self.scope is Scope.SUBCLASS:
            return f"{self.subclass}"
        if self.scope is Scope.MAIN_GROUP:
            return f"{self.subclass}{self.main_group}"
        return f"{self.subclass}{self.main_group}/{self.subgroup}"

    @property
    def text(self) -> str:
        """The pattern as written in definitions: ``H04L1*``, ``G16H``, ``G06F21/60``."""
        return self.symbol + ("*" if self.star else "")

    @property
    def index_key(self) -> str:
        """The class or subclass a code must be in to be covered at all."""
        return self.class_code if self.scope is Scope.CLASS else f"{self.subclass}"

    def covers(self, code: PatentCode) -> Verdict:
        """Whether ``code`` lies within this pattern (see the module's three readings)."""
        if self.scope is Scope.CLASS:
            return _verdict(code.subclass[:3] == self.class_code)
        if code.subclass != self.subclass:
            return Verdict.NO
        if self.scope is Scope.SUBCLASS:
            return Verdict.YES
        if code.main_group is None:
            return Verdict.UNKNOWN
        if code.main_group != self.main_group:
            return Verdict.NO
        if self.scope is Scope.MAIN_GROUP:
            return Verdict.YES
        assert self.subgroup is not None and code.subgroup is not None
        if self.star:
            return _verdict(code.subgroup.startswith(self.subgroup))
        return _verdict(code.subgroup == self.subgroup)

    def __str__(self) -> str:
        return self.text


def _verdict(holds: bool) -> Verdict:
    return Verdict.YES if holds else Verdict.NO


@lru_cache(maxsize=1 << 14)
def parse_pattern(text: str) -> ClassPattern:
    """Read one pattern (``H04L1*``, ``h04l 1/00``, ``G06F 3/048*``, ``G16``); raise
    :class:`PatternError` saying what is wrong otherwise."""
    body = fold(text)
    star = body.endswith("*")
    body = body.removesuffix("*").strip()
    if not body or "*" in body:
        raise _error(text, "一个“*”只能写在末尾", "a '*' may only end a pattern")
    if match := _CLASS.fullmatch(body):
        return ClassPattern(Scope.CLASS, match["class_"], star=star)
    if match := _MAIN_GROUP.fullmatch(body):
        return _main_group(match["subclass"], match["main"], star=star, text=text)
    try:
        subclass = parse_subclass(body)
    except IdentifierError:
        pass
    else:
        return ClassPattern(Scope.SUBCLASS, subclass[:3], subclass, star=star)
    try:
        group = parse_classification(body)
    except IdentifierError:
        raise _error(
            text,
            "应为 IPC/CPC 大类、小类、大组或组，如 G16*、H04L1*、G06F21/60",
            "expected an IPC/CPC class, subclass, main group or group, e.g. G16*, H04L1*, "
            "G06F21/60",
        ) from None
    if group.subgroup == "00" and star:  # H04L1/00* is the whole main group, H04L1*
        return _main_group(group.subclass_code, group.main_group, star=True, text=text)
    return ClassPattern(
        Scope.GROUP,
        group.class_code,
        group.subclass_code,
        group.main_group,
        group.subgroup,
        star=star,
    )


def _main_group(subclass: str, main: str, *, star: bool, text: str) -> ClassPattern:
    number = main.lstrip("0")
    if not number:
        raise _error(text, "大组号不能为 0", "main group 0 does not exist")
    return ClassPattern(Scope.MAIN_GROUP, subclass[:3], subclass, number, star=star)


def _error(text: str, why_zh: str, why_en: str) -> PatternError:
    return PatternError(
        "pattern",
        message_zh=f"“{text}”不是可识别的分类号范围：{why_zh}",
        message_en=f"{text!r} is not a recognisable classification pattern: {why_en}",
    )

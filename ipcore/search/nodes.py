"""检索式语法树 — what a parsed query says, as frozen dataclasses.

Every node keeps the span of the text it came from (:class:`Span`, 1-based columns in the
string the user typed) for messages and highlighting; spans take no part in equality, so two
parses that read the same are equal wherever their text stood.

Invariants the parser keeps, which a compiler may rely on:

* ``And`` and ``Or`` have at least two children, and no child of the same kind (nested
  ones are flattened).
* A ``Not`` stands only inside an ``And`` that has a positive child: a pure negation
  (``NOT x``, or ``NOT a AND NOT b``) gets an explicit :class:`MatchAll` beside it, so
  "everything except" is never left to a backend's guess. ``NOT NOT x`` is ``x``.
* Fields are canonical codes (``"TI"``, see :mod:`ipcore.search.fields`); values are
  normalised for their field's kind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Final, TypeAlias


@dataclass(frozen=True)
class Span:
    """Where a node's text stood: 1-based columns, ``end`` one past its last character."""

    start: int
    end: int


NO_SPAN: Final = Span(0, 0)
"""The span of a node built by code rather than parsed from text."""


@dataclass(frozen=True)
class MatchAll:
    """任意专利 — every document; the positive side of a pure negation."""

    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Term:
    """A word in a TEXT field; ``wildcard`` when it holds ``*`` (any run) or ``?`` (one).

    ``text`` is normalised (NFKC, case-folded). A CJK term is matched as a substring, through
    its bigrams (:mod:`ipcore.search.analysis`); ``lithium-ion`` as the words in order.
    """

    field: str
    text: str
    wildcard: bool = False
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase in a TEXT field: its tokens at consecutive positions."""

    field: str
    text: str
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Exact:
    """An exact value of a KEYWORD or NUMBER_ID field; ``prefix`` for a trailing ``*``."""

    field: str
    value: str
    prefix: bool = False
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class ClassificationTerm:
    """IPC/CPC 分类号 with the scheme's prefix semantics.

    ``code`` is normalised (``H01M``, ``H01M 4/00``, ``H01M 4/525``). With ``exact`` it is
    one subgroup; otherwise it stands for everything under it: a section, class or subclass
    (``H``, ``H01``, ``H01M``), a main group with all its subgroups (``H01M 4/00``, typed
    ``H01M4`` or ``H01M 4/``), or the subgroups whose digits start so (``H01M 4/52``, typed
    ``H01M4/52*``).
    """

    field: str
    code: str
    exact: bool = False
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)

    @property
    def is_main_group(self) -> bool:
        """Whether this is a main group, which matches its subgroups too."""
        return self.code.endswith("/00") and not self.exact

    @property
    def compact(self) -> str:
        """``H01M4/525`` — the spelling without the space, as Lens and PatentsView write it."""
        return self.code.replace(" ", "")

    @property
    def fixed_width_prefix(self) -> str:
        """The prefix (or, if ``exact``, the whole) of WIPO's 14-character form to match.

        ``H01M`` → ``H01M``; ``H01M 4/00`` → ``H01M0004``; ``H01M 4/52*`` → ``H01M000452``;
        exact ``H01M 4/525`` → ``H01M0004525000``. The 14-character form sorts in scheme
        order, so each of these is one contiguous range of an index.
        """
        if "/" not in self.code:
            return self.code
        subclass, _, groups = self.code.partition(" ")
        main, _, subgroup = groups.partition("/")
        head = f"{subclass}{main:0>4}"
        if self.exact:
            return f"{head}{subgroup:0<6}"
        return head if self.is_main_group else f"{head}{subgroup}"


@dataclass(frozen=True)
class Range:
    """A DATE or INTEGER field between two bounds, both inclusive; None is open.

    Exclusive bounds and comparisons are resolved here, since dates and counts are discrete:
    ``AD>2019`` is ``low = 2020-01-01``, ``CLAIMS<10`` is ``high = 9``. A backend has one
    case to handle.
    """

    field: str
    low: dt.date | int | None
    high: dt.date | int | None
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class And:
    """与 — every child matches."""

    children: tuple[Query, ...]
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Or:
    """或 — at least one child matches."""

    children: tuple[Query, ...]
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Not:
    """非 — the child does not match (always beside a positive sibling; see the module)."""

    child: Query
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


Leaf: TypeAlias = MatchAll | Term | Phrase | Exact | ClassificationTerm | Range
Query: TypeAlias = Leaf | And | Or | Not
"""A parsed query: any node of the tree."""

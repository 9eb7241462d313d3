"""领域定义规则 — a field definition's rules, and the one matcher every field scheme uses.

A **rule** is a set of IPC/CPC codes: its *include* patterns minus its *exclude* patterns
(:mod:`ipcore.industries.patterns`), optionally qualified by **terms**. A code is in a rule's
set when some include pattern covers it and no exclude pattern does; exclusions bind only
their own rule (CNIPA's concordance includes in one rule what another excludes). A patent
meets a rule when one of its codes is in the set and, for a qualified rule, its text (title
and abstract) contains one of the terms. A patent belongs to a **field** when it meets any of
the field's rules, or belongs to a field the definition builds on (a key field built on SEI
sub-categories).

Certainty: a code known only to its subclass may or may not be in a group-level set
(:class:`~ipcore.industries.patterns.Verdict`). A rule counts such a code only when the
answer is certain — a class or subclass include with no exclusion in that subclass —, so a
field assigned here is never a guess; :meth:`FieldSet.match` also says which fields a patent
*might* be in, for coverage figures.

Terms match the text after NFKC, case folding and Traditional-to-Simplified conversion; a
term with Chinese characters matches anywhere (as CNIPA's searches do), a Latin term at the
start of a word (``epilep`` finds "epileptic", ``brain`` never "rebrand").

Definitions are written one rule a line (:func:`parse_rules`)::

    H04N19* H04N21* G10L19*            # 数字电视编解码：IPC 2026.01 scheme titles
    G06F16* -G06F16/90 | 健康；医疗；health；medical   # a qualified rule

Patterns are separated by spaces, an exclusion starts with ``-``, terms follow a ``|`` and are
separated by ``；`` ``;`` ``、`` ``，`` or ``,``, and ``#`` starts the rule's source (a line that
is only a ``#`` comment is a comment).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from ipcore.chinese import to_simplified
from ipcore.identifiers._text import fold
from ipcore.identifiers.errors import IdentifierError
from ipcore.industries.patterns import (
    ClassPattern,
    PatentCode,
    PatternError,
    Verdict,
    parse_pattern,
    patent_code,
)

_TERM_SEPARATORS: Final = re.compile(r"[；;、，,]")
_HAN: Final = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def normalise_text(text: str) -> str:
    """Text as terms are matched against it: NFKC, case-folded, Simplified Chinese."""
    return to_simplified(fold(text)).casefold()


@cache
def _term_pattern(term: str) -> re.Pattern[str]:
    needle = re.escape(normalise_text(term))
    return re.compile(needle if _HAN.search(term) else rf"(?<!\w){needle}")


def mentions(text: str, terms: Iterable[str]) -> bool:
    """Whether normalised ``text`` (:func:`normalise_text`) contains one of ``terms``."""
    return any(_term_pattern(term).search(text) for term in terms)


@dataclass(frozen=True)
class Rule:
    """One rule of a field definition (see the module docstring).

    ``source`` says where the rule comes from (a concordance page and rule number, a
    classification scheme); ``note`` keeps descriptive text that is not applied, such as the
    concordance's 关键词概述 of a rule that needs no terms.
    """

    include: tuple[ClassPattern, ...]
    exclude: tuple[ClassPattern, ...] = ()
    terms: tuple[str, ...] = ()
    source: str = ""
    note: str = ""

    def verdict(self, code: PatentCode) -> Verdict:
        """Whether ``code`` is in this rule's set of codes (terms aside)."""
        included = max((p.covers(code) for p in self.include), default=Verdict.NO, key=_rank)
        if included is Verdict.NO:
            return Verdict.NO
        excluded = max((p.covers(code) for p in self.exclude), default=Verdict.NO, key=_rank)
        if excluded is Verdict.YES:
            return Verdict.NO
        if included is Verdict.YES and excluded is Verdict.NO:
            return Verdict.YES
        return Verdict.UNKNOWN

    def qualifies(self, text: str | None) -> bool:
        """Whether a patent with this normalised text meets the rule's terms (``None``: the
        text is not known, so a qualified rule is not met)."""
        if not self.terms:
            return True
        return text is not None and mentions(text, self.terms)

    def line(self) -> str:
        """The rule in the one-line notation :func:`parse_rules` reads."""
        parts = [p.text for p in self.include] + [f"-{p.text}" for p in self.exclude]
        text = " ".join(parts)
        if self.terms:
            text += " | " + "；".join(self.terms)
        if self.source:
            text += f"  # {self.source}"
        return text


def _rank(verdict: Verdict) -> int:
    return verdict.value


@dataclass(frozen=True)
class FieldDefinition:
    """领域定义 — one field of a scheme: its rules and the fields it builds on.

    ``scheme`` is ``"sei"`` (CNIPA's concordance) or ``"key"`` (the plan's key fields);
    ``builds_on`` names fields of a base scheme included whole (SEI codes for a key field: a
    sub-category ``"1.5"``, or an industry ``"2"`` for all its sub-categories).
    """

    scheme: str
    code: str
    name_zh: str
    name_en: str
    rules: tuple[Rule, ...] = ()
    builds_on: tuple[str, ...] = ()
    parent: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Match:
    """The fields a patent is certainly in, and those it might be in (a superset: codes known
    only to their subclass, or qualified rules whose terms were not checked)."""

    certain: frozenset[str]
    possible: frozenset[str]


@dataclass(frozen=True)
class _Hit:
    field: str
    rule: Rule
    verdict: Verdict


@dataclass(frozen=True, eq=False)
class FieldSet:
    """A scheme's definitions with the matcher over them.

    Rules are indexed by the class or subclass their include patterns name, so a code is
    checked only against the rules that can cover it, and each distinct code is checked once
    (``_cache``). ``base`` resolves ``builds_on`` (the SEI concordance for key fields).
    """

    definitions: tuple[FieldDefinition, ...]
    base: FieldSet | None = None
    _index: Mapping[str, tuple[tuple[str, Rule], ...]] = field(init=False, repr=False)
    _cache: dict[str, tuple[_Hit, ...]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[str, Rule]]] = defaultdict(list)
        for definition in self.definitions:
            for rule in definition.rules:
                for key in dict.fromkeys(p.index_key for p in rule.include):
                    index[key].append((definition.code, rule))
        object.__setattr__(self, "_index", {key: tuple(rules) for key, rules in index.items()})
        known = self.base.codes() if self.base is not None else frozenset()
        for definition in self.definitions:
            unknown = [code for code in definition.builds_on if not self._names_base(code, known)]
            if unknown:
                raise ValueError(f"{definition.code} builds on unknown fields {unknown}")

    def codes(self) -> frozenset[str]:
        """The codes of the fields defined here."""
        return frozenset(d.code for d in self.definitions)

    def definition(self, code: str) -> FieldDefinition:
        """The field coded ``code``; ``KeyError`` for an unknown code."""
        for definition in self.definitions:
            if definition.code == code:
                return definition
        raise KeyError(code)

    def _names_base(self, code: str, known: frozenset[str]) -> bool:
        return code in known or any(k.startswith(code + ".") for k in known)

    def _hits(self, text: str) -> tuple[_Hit, ...]:
        hits = self._cache.get(text)
        if hits is None:
            hits = self._check(patent_code(text))
            if len(self._cache) < 1 << 17:
                self._cache[text] = hits
        return hits

    def _check(self, code: PatentCode | None) -> tuple[_Hit, ...]:
        if code is None:
            return ()
        candidates = (*self._index.get(code.subclass[:3], ()), *self._index.get(code.subclass, ()))
        found: list[_Hit] = []
        for name, rule in candidates:
            verdict = rule.verdict(code)
            if verdict is not Verdict.NO:
                found.append(_Hit(name, rule, verdict))
        return tuple(found)

    def match(self, codes: Iterable[str], *, text: str | None = None) -> Match:
        """The fields of a patent with these codes (any spelling; text that is no code is
        ignored) and this title and abstract (``None``: qualified rules are not met)."""
        codes = tuple(codes)
        normalised = normalise_text(text) if text is not None else None
        certain: set[str] = set()
        possible: set[str] = set()
        for code in codes:
            for hit in self._hits(code):
                possible.add(hit.field)
                if hit.verdict is Verdict.YES and hit.rule.qualifies(normalised):
                    certain.add(hit.field)
        base = self.base.match(codes, text=text) if self.base is not None else None
        if base is not None:
            for definition in self.definitions:
                if self._built_on(definition, base.certain):
                    certain.add(definition.code)
                if self._built_on(definition, base.possible):
                    possible.add(definition.code)
        return Match(frozenset(certain), frozenset(possible | certain))

    def _built_on(self, definition: FieldDefinition, base_codes: frozenset[str]) -> bool:
        return any(self._names_base(code, base_codes) for code in definition.builds_on)

    def fields_of(self, codes: Iterable[str], *, text: str | None = None) -> frozenset[str]:
        """The codes of the fields a patent certainly belongs to (see :meth:`match`)."""
        return self.match(codes, text=text).certain

    def wants_text(self, codes: Iterable[str]) -> bool:
        """Whether a patent's text could change its fields: one of its codes is certainly in
        a qualified rule's set (fetch titles and abstracts only for such patents)."""
        codes = list(codes)
        own = any(
            hit.rule.terms and hit.verdict is Verdict.YES
            for code in codes
            for hit in self._hits(code)
        )
        return own or (self.base is not None and self.base.wants_text(codes))


# -- the one-line notation ---------------------------------------------------------------------


class RuleSyntaxError(IdentifierError):
    """A definition that cannot be read: ``line`` (1-based) and the reason in both languages."""

    line: int

    def __init__(self, line: int, *, message_zh: str, message_en: str) -> None:
        super().__init__(
            "rule",
            message_zh=f"第 {line} 行：{message_zh}",
            message_en=f"line {line}: {message_en}",
        )
        self.line = line


def parse_rule(line: str, *, number: int = 1) -> Rule | None:
    """One line of a definition as a rule; ``None`` for a blank or comment line."""
    body, _, source = line.partition("#")
    if not body.strip():
        return None
    patterns, bar, term_text = body.partition("|")
    include: list[ClassPattern] = []
    exclude: list[ClassPattern] = []
    for word in patterns.split():
        negated = word.startswith(("-", "－"))
        try:
            pattern = parse_pattern(word[1:] if negated else word)
        except PatternError as error:
            raise RuleSyntaxError(
                number, message_zh=error.message_zh, message_en=error.message_en
            ) from None
        (exclude if negated else include).append(pattern)
    terms = tuple(dict.fromkeys(t.strip() for t in _TERM_SEPARATORS.split(term_text) if t.strip()))
    if not include:
        raise RuleSyntaxError(
            number,
            message_zh="没有纳入的分类号（排除的分类号以“-”开头，至少要有一个不带“-”的）",
            message_en="no classification to include (exclusions start with '-'; at least one "
            "pattern must not)",
        )
    if bar and not terms:
        raise RuleSyntaxError(
            number,
            message_zh="“|”后面没有关键词",
            message_en="no terms after '|'",
        )
    return Rule(tuple(include), tuple(exclude), terms, source=source.strip())


def parse_rules(text: str) -> tuple[Rule, ...]:
    """Every rule of a definition written one rule a line (see the module docstring); raises
    :class:`RuleSyntaxError` naming the first line it cannot read."""
    rules = (parse_rule(line, number=n) for n, line in enumerate(text.splitlines(), start=1))
    return tuple(rule for rule in rules if rule is not None)


def format_rules(rules: Sequence[Rule]) -> str:
    """Rules in the notation :func:`parse_rules` reads back to equal rules."""
    return "\n".join(rule.line() for rule in rules)

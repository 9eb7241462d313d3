"""检索式回显 — a parsed query written back, so a searcher sees how it was read.

:func:`render` writes the canonical form: every value with its field's code, operators in
capitals, compound children in parentheses, values normalised (``ti=Batter*`` →
``TI:batter*``, ``申请日=2020`` → ``AD:[2020-01-01 TO 2020-12-31]``). It is itself a query
that parses to the same tree, so ``render(parse(render(q))) == render(q)``.

:func:`describe` says the same in words, in Chinese or English, with the fields' labels.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

from ipcore.search.fields import FIELDS_BY_NAME, FieldKind
from ipcore.search.nodes import (
    And,
    ClassificationTerm,
    Exact,
    MatchAll,
    Not,
    Or,
    Phrase,
    Query,
    Range,
    Term,
)

Language = Literal["zh", "en"]

# A value the lexer reads back as one word: nothing that ends a word or starts another
# token. Anything else is quoted.
_BARE: Final = re.compile(r"""[^\s()"“”「『\[{][^\s()"“”「『]*""")
# Quote pairs, in order of preference; a value can always take one of them, because the
# quotes it was read from could not hold their own closing mark.
_QUOTE_PAIRS: Final = (('"', '"'), ("「", "」"), ("『", "』"), ("“", "”"))


def render(node: Query) -> str:
    """The canonical text of a parsed query: ``TI:"solid electrolyte" AND (AB:batter* OR …)``.

    A pure negation's :class:`MatchAll` is left unwritten (``NOT TAC:x``): the parser puts
    it back. A ``MatchAll`` on its own has no syntax, since no query means "everything".
    """
    if isinstance(node, And):
        return " AND ".join(_operand(child) for child in node.children if not _is_all(child))
    if isinstance(node, Or):
        return " OR ".join(_operand(child) for child in node.children)
    if isinstance(node, Not):
        return f"NOT {_operand(node.child)}"
    if isinstance(node, MatchAll):
        raise ValueError("MatchAll has no query syntax of its own")
    return f"{node.field}:{_leaf_value(node)}"


def _is_all(node: Query) -> bool:
    return isinstance(node, MatchAll)


def _operand(node: Query) -> str:
    return f"({render(node)})" if isinstance(node, And | Or) else render(node)


def _leaf_value(node: Term | Phrase | Exact | ClassificationTerm | Range) -> str:
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Phrase):
        return _quoted(node.text)
    if isinstance(node, Exact):
        value = node.value
        bare = _BARE.fullmatch(value) and "&&" not in value and "||" not in value
        return (value if bare else _quoted(value)) + ("*" if node.prefix else "")
    if isinstance(node, ClassificationTerm):
        star = "" if node.exact or node.is_main_group else "*"
        return node.compact + star
    return _range_value(node)


def _quoted(text: str) -> str:
    for opening, closing in _QUOTE_PAIRS:
        if closing not in text:
            return f"{opening}{text}{closing}"
    raise ValueError(f"{text!r} holds every closing quote and cannot be written back")


def _range_value(node: Range) -> str:
    if node.low is not None and node.low == node.high:
        return _bound(node.low)
    return f"[{_bound(node.low)} TO {_bound(node.high)}]"


def _bound(value: dt.date | int | None) -> str:
    if value is None:
        return "*"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# --- describe ---------------------------------------------------------------------------

_WORDS: Final = {
    "zh": {"and": " 且 ", "or": " 或 ", "not": "非", "all": "全部专利", "but": "，但"},
    "en": {"and": " and ", "or": " or ", "not": "not ", "all": "every patent", "but": ", but "},
}

# Range wording by shape: (language, shape, dates?) → template.
_RANGE_WORDS: Final = {
    ("zh", "is"): ("为 {low}", "为 {low}"),
    ("zh", "any"): ("不限", "不限"),
    ("zh", "from"): ("不早于 {low}", "至少为 {low}"),
    ("zh", "until"): ("不晚于 {high}", "至多为 {high}"),
    ("zh", "between"): ("在 {low} 至 {high} 之间", "在 {low} 至 {high} 之间"),
    ("en", "is"): (" is {low}", " is {low}"),
    ("en", "any"): (" is anything", " is anything"),
    ("en", "from"): (" is {low} or later", " is at least {low}"),
    ("en", "until"): (" is {high} or earlier", " is at most {high}"),
    ("en", "between"): (" is from {low} to {high}", " is from {low} to {high}"),
}


def describe(node: Query, language: Language = "zh") -> str:
    """The query in words: ``标题包含“锂电池” 且 申请日在 2020-01-01 至 2020-12-31 之间``."""
    words = _WORDS[language]
    if isinstance(node, And):
        parts = words["and"].join(
            _described_operand(child, language) for child in node.children if not _is_all(child)
        )
        everything = any(_is_all(child) for child in node.children)
        return f"{words['all']}{words['but']}{parts}" if everything else parts
    if isinstance(node, Or):
        return words["or"].join(_described_operand(c, language) for c in node.children)
    if isinstance(node, Not):
        return words["not"] + _described_operand(node.child, language)
    if isinstance(node, MatchAll):
        return words["all"]
    label = _label(node.field, language)
    if isinstance(node, Range):
        return label + _describe_range(node, language)
    return label + (_describe_zh(node) if language == "zh" else _describe_en(node))


def _described_operand(node: Query, language: Language) -> str:
    text = describe(node, language)
    if not isinstance(node, And | Or):
        return text
    return f"（{text}）" if language == "zh" else f"({text})"


def _label(code: str, language: Language) -> str:
    field = FIELDS_BY_NAME[code]
    return field.label_zh if language == "zh" else field.label_en


def _describe_zh(node: Term | Phrase | Exact | ClassificationTerm) -> str:
    if isinstance(node, Term):
        return f"包含与“{node.text}”匹配的词" if node.wildcard else f"包含“{node.text}”"
    if isinstance(node, Phrase):
        return f"包含短语“{node.text}”"
    if isinstance(node, Exact):
        return f"以“{node.value}”开头" if node.prefix else f"为“{node.value}”"
    if node.exact:
        return f"为 {node.code}"
    if node.is_main_group:
        return f"属于大组 {node.code}（含其下各小组）"
    return f"以 {node.code} 开头" if "/" in node.code else f"属于 {node.code}"


def _describe_en(node: Term | Phrase | Exact | ClassificationTerm) -> str:
    if isinstance(node, Term):
        verb = "has a word matching" if node.wildcard else "contains"
        return f" {verb} “{node.text}”"
    if isinstance(node, Phrase):
        return f" contains the phrase “{node.text}”"
    if isinstance(node, Exact):
        return f" starts with “{node.value}”" if node.prefix else f" is “{node.value}”"
    if node.exact:
        return f" is {node.code}"
    if node.is_main_group:
        return f" is in main group {node.code} or its subgroups"
    return f" starts with {node.code}" if "/" in node.code else f" is in {node.code}"


def _describe_range(node: Range, language: Language) -> str:
    if node.low is not None and node.low == node.high:
        shape = "is"
    elif node.low is None and node.high is None:
        shape = "any"
    elif node.high is None:
        shape = "from"
    elif node.low is None:
        shape = "until"
    else:
        shape = "between"
    dates, numbers = _RANGE_WORDS[(language, shape)]
    template = dates if FIELDS_BY_NAME[node.field].kind is FieldKind.DATE else numbers
    return template.format(low=_bound(node.low), high=_bound(node.high))

"""检索值 — reading one field's value according to the field's kind.

The parser hands over a value as typed (a word, a quoted phrase, a ``[low TO high]`` range
or a comparison); this module turns it into a leaf of the tree or a
:class:`~ipcore.search.errors.QuerySyntaxError` that says what the field takes instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from ipcore.classification import parse_classification
from ipcore.identifiers.errors import IdentifierError
from ipcore.search.analysis import is_one_run, normalise_text, query_tokens
from ipcore.search.errors import QuerySyntaxError
from ipcore.search.fields import FIELDS_BY_NAME, FieldKind, SearchField
from ipcore.search.nodes import (
    ClassificationTerm,
    Exact,
    Or,
    Phrase,
    Query,
    Range,
    Span,
    Term,
)

WILDCARDS: Final = frozenset("*?")
RANGE_KINDS: Final = frozenset({FieldKind.DATE, FieldKind.INTEGER})


@dataclass(frozen=True)
class Value:
    """A value as typed: its text (quotes removed), whether it was quoted, where it starts.

    ``column`` is where a message about the value points (``AD=2021-02-30`` → the date);
    ``span`` is the span of the leaf made from it, which includes its ``FIELD=``.
    """

    text: str
    quoted: bool
    column: int
    span: Span


def error(
    code: str, column: int, zh: str, en: str, expected: str | None = None
) -> QuerySyntaxError:
    return QuerySyntaxError(code, column=column, message_zh=zh, message_en=en, expected=expected)


def names(field: SearchField) -> tuple[str, str]:
    """How messages name a field: ``TI（标题）`` and ``TI (title)``."""
    return f"{field.name}（{field.label_zh}）", f"{field.name} ({field.label_en})"


def value_leaf(field: SearchField, value: Value) -> Query:
    """The leaf for ``FIELD=value`` (or a bare value in the default field)."""
    match field.kind:
        case FieldKind.TEXT:
            return _text_leaf(field, value)
        case FieldKind.KEYWORD:
            return _keyword_leaf(field, value)
        case FieldKind.NUMBER_ID:
            return _number_leaf(field, value)
        case FieldKind.CLASSIFICATION:
            return _classification_leaf(field, value)
        case FieldKind.DATE | FieldKind.INTEGER:
            first, last = _period(field, value.text.strip(), value.column)
            return Range(field.name, first, last, value.span)


# --- text -------------------------------------------------------------------------------


def _text_leaf(field: SearchField, value: Value) -> Query:
    column = value.column
    if value.quoted:
        if not value.text.strip():
            raise error(
                "empty_quotes", column, "引号内是空的", "empty quotes: nothing to search for"
            )
        if not query_tokens(value.text):
            raise _nothing_to_search(value.text, column)
        return Phrase(field.name, normalise_text(value.text), value.span)
    text = value.text
    if not set(text) - WILDCARDS:
        raise error(
            "wildcard_only",
            column,
            f"“{text}”只有通配符：检索词至少要有一个 * 和 ? 以外的字符",
            f"{text!r} is only wildcards: a term needs a character besides * and ?",
        )
    if text[0] in WILDCARDS:
        raise error(
            "leading_wildcard",
            column,
            f"检索词不能以通配符开头：“{text}”",
            f"a term cannot start with a wildcard (* or ?): {text!r}",
        )
    wildcard = bool(set(text) & WILDCARDS)
    if wildcard and not is_one_run(re.sub(r"[*?]", "", text)):
        raise error(
            "wildcard_span",
            column,
            f"通配符只能用于一个词或一串汉字：“{text}”；可改为短语或分开写",
            f"a wildcard extends one word or one run of CJK characters, and {text!r} is more "
            "than one; quote it as a phrase or write the words apart",
        )
    if not wildcard and not query_tokens(text):
        raise _nothing_to_search(text, column)
    return Term(field.name, normalise_text(text), wildcard, value.span)


def _nothing_to_search(text: str, column: int) -> QuerySyntaxError:
    return error(
        "nothing_to_search",
        column,
        f"“{text}”中没有可检索的文字或数字",
        f"{text!r} has no letters, digits or CJK characters to search for",
    )


# --- exact values -----------------------------------------------------------------------


def _keyword_leaf(field: SearchField, value: Value) -> Query:
    text = " ".join(value.text.split())
    prefix = text.endswith("*") and not field.enumerated
    text = text.removesuffix("*").rstrip() if prefix else text
    zh, en = names(field)
    if field.enumerated:
        return _enumerated_leaf(field, text, value)
    if not text or set(text) & WILDCARDS:
        raise error(
            "keyword_value",
            value.column,
            f"{zh}取精确值，只允许末尾的 * 表示前缀：“{value.text}”",
            f"{en} takes exact values, with at most a trailing * for a prefix: {value.text!r}",
        )
    return Exact(field.name, text.upper() if field.upper_case else text, prefix, value.span)


def _enumerated_leaf(field: SearchField, text: str, value: Value) -> Query:
    canonical = field.read_value(text)
    if canonical is None:
        zh, en = names(field)
        raise error(
            "unknown_value",
            value.column,
            f"{zh}没有“{text}”这个值；可选："
            + "、".join(f"{v.label_zh}（{v.value}）" for v in field.values),
            f"{en} has no value {text!r}; use one of: "
            + ", ".join(f"{v.value} ({v.label_zh})" for v in field.values),
        )
    leaves = tuple(Exact(field.name, one, False, value.span) for one in canonical)
    return leaves[0] if len(leaves) == 1 else Or(leaves, value.span)


_NUMBER_PUNCTUATION: Final = re.compile(r"[\s./\-,]")  # US 10,123,456 B2
_NUMBER: Final = re.compile(r"[A-Z0-9]+")


def normalise_number(text: str) -> str:
    """A patent number as the PN and AN fields hold it: upper case, without the spaces, dots,
    slashes and hyphens people write into numbers (``CN 101551481 B`` → ``CN101551481B``)."""
    return _NUMBER_PUNCTUATION.sub("", text).upper()


def _number_leaf(field: SearchField, value: Value) -> Exact:
    text = normalise_number(value.text)
    prefix = text.endswith("*")
    text = text.removesuffix("*")
    if not _NUMBER.fullmatch(text):
        zh, en = names(field)
        raise error(
            "number_value",
            value.column,
            f"{zh}只含字母和数字（空格、点、斜线、连字符会被忽略，末尾 * 为前缀）：“{value.text}”",
            f"{en} takes letters and digits (spaces, dots, slashes and hyphens are ignored; "
            f"a trailing * matches a prefix), not {value.text!r}",
        )
    return Exact(field.name, text, prefix, value.span)


# --- classification ---------------------------------------------------------------------

_ABOVE_GROUP: Final = re.compile(r"[A-HY](?:\d\d[A-Z]?)?")  # H, H01, H01M
_MAIN_GROUP: Final = re.compile(r"(?P<subclass>[A-HY]\d\d[A-Z])(?P<main>\d{1,4})/?")
_GROUP_PREFIX: Final = re.compile(
    r"(?P<subclass>[A-HY]\d\d[A-Z])(?P<main>\d{1,4})/(?P<sub>\d{1,6})"
)


def _classification_leaf(field: SearchField, value: Value) -> ClassificationTerm:
    """Section, class, subclass or main group: everything under it; a subgroup: itself.

    ``H01M4`` and ``H01M 4/`` name the main group 4/00 as surely as ``H01M 4/00``; a
    trailing * is allowed everywhere and only changes a subgroup (``4/52*``: every subgroup
    whose digits start 52).
    """
    typed = re.sub(r"\s+", "", value.text).upper()
    star = typed.endswith("*")
    symbol = typed.removesuffix("*")
    name, span = field.name, value.span
    if _ABOVE_GROUP.fullmatch(symbol):
        return ClassificationTerm(name, symbol, False, span)
    if main := _MAIN_GROUP.fullmatch(symbol):
        return ClassificationTerm(name, _main_group(main, field, value), False, span)
    prefix = _GROUP_PREFIX.fullmatch(symbol)
    if star and prefix and prefix["sub"].strip("0"):
        code = f"{prefix['subclass']} {_main_group_number(prefix, field, value)}/{prefix['sub']}"
        return ClassificationTerm(name, code, False, span)
    if star and prefix:
        return ClassificationTerm(name, _main_group(prefix, field, value), False, span)
    try:
        parsed = parse_classification(symbol)
    except IdentifierError:
        raise _not_a_symbol(field, value) from None
    if parsed.is_main_group:
        return ClassificationTerm(name, parsed.normalised, False, span)
    return ClassificationTerm(name, parsed.normalised, not star, span)


def _main_group(match: re.Match[str], field: SearchField, value: Value) -> str:
    return f"{match['subclass']} {_main_group_number(match, field, value)}/00"


def _main_group_number(match: re.Match[str], field: SearchField, value: Value) -> str:
    number = match["main"].lstrip("0")
    if not number:
        raise _not_a_symbol(field, value)
    return number


def _not_a_symbol(field: SearchField, value: Value) -> QuerySyntaxError:
    zh, en = names(field)
    return error(
        "classification_value",
        value.column,
        f"{zh}应为分类号，如 H01M、H01M4/00、H01M 4/525：“{value.text}”",
        f"{en} takes a classification symbol such as H01M, H01M4/00 or H01M 4/525, "
        f"not {value.text!r}",
    )


# --- dates and numbers ------------------------------------------------------------------

_SEP: Final = r"[-./年]"
_YEAR: Final = re.compile(r"(?P<y>\d{4})年?")
_MONTHS: Final = (
    re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})月?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"),
)
_DAYS: Final = (
    re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})[-./月](?P<d>\d{{1,2}})日?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_INTEGER: Final = re.compile(r"\d{1,9}")

Bound = dt.date | int


def _period(field: SearchField, text: str, column: int) -> tuple[Bound, Bound]:
    """The first and last day (or the number twice) a single value stands for."""
    if field.kind is FieldKind.INTEGER:
        if not _INTEGER.fullmatch(text):
            raise _not_a_number(field, text, column)
        return int(text), int(text)
    if match := _YEAR.fullmatch(text):
        return _day(match["y"], "1", "1", text, column), _day(match["y"], "12", "31", text, column)
    for pattern in _MONTHS:
        if match := pattern.fullmatch(text):
            first = _day(match["y"], match["m"], "1", text, column)
            last_day = calendar.monthrange(first.year, first.month)[1]
            return first, first.replace(day=last_day)
    for pattern in _DAYS:
        if match := pattern.fullmatch(text):
            day = _day(match["y"], match["m"], match["d"], text, column)
            return day, day
    raise _not_a_date(field, text, column)


def _day(year: str, month: str, day: str, text: str, column: int) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise error(
            "invalid_date",
            column,
            f"“{text}”不是有效日期",
            f"{text!r} is not a valid date",
        ) from None


def _not_a_date(field: SearchField, text: str, column: int) -> QuerySyntaxError:
    zh, en = names(field)
    return error(
        "date_value",
        column,
        f"{zh}应为日期，如 2020、2020-05、2020-05-15 或 20200515，而不是“{text}”",
        f"{en} takes a date such as 2020, 2020-05, 2020-05-15 or 20200515, not {text!r}",
        expected="a date",
    )


def _not_a_number(field: SearchField, text: str, column: int) -> QuerySyntaxError:
    zh, en = names(field)
    hint_zh = hint_en = ""
    if field.see_also:
        other = FIELDS_BY_NAME[field.see_also]
        other_zh, other_en = names(other)
        hint_zh, hint_en = (
            f"；检索{other.label_zh}文字请用 {other_zh}",
            f"; for words use {other_en}",
        )
    return error(
        "integer_value",
        column,
        f"{zh}应为整数或范围，如 10 或 [5 TO 20]，而不是“{text}”{hint_zh}",
        f"{en} takes a whole number or a range such as 10 or [5 TO 20], not {text!r}{hint_en}",
        expected="a number",
    )


def range_leaf(
    field: SearchField,
    bounds: tuple[Value, Value],
    inclusive: tuple[bool, bool],
    *,
    column: int,
    span: Span,
) -> Range:
    """``[low TO high]`` (``{`` and ``}`` exclusive, ``*`` open) as inclusive bounds."""
    check_range_field(field, column, "[ ]")
    low_value, high_value = bounds
    low = high = None
    if low_value.text != "*":
        first, last = _period(field, low_value.text, low_value.column)
        low = first if inclusive[0] else _step(last, 1, column)
    if high_value.text != "*":
        first, last = _period(field, high_value.text, high_value.column)
        high = last if inclusive[1] else _step(first, -1, column)
    return _checked(Range(field.name, low, high, span), column)


def comparison_leaf(field: SearchField, operator: str, value: Value) -> Range:
    """``AD>=2020`` and friends as a range: ``>`` starts after the whole period named."""
    first, last = _period(field, value.text.strip(), value.column)
    if operator == ">":
        return Range(field.name, _step(last, 1, value.column), None, value.span)
    if operator == "<":
        return Range(field.name, None, _step(first, -1, value.column), value.span)
    if operator == ">=":
        return Range(field.name, first, None, value.span)
    return Range(field.name, None, last, value.span)


def check_range_field(field: SearchField, column: int, operator: str) -> None:
    if field.kind in RANGE_KINDS:
        return
    zh, en = names(field)
    raise error(
        "range_not_allowed",
        column,
        f"{zh}不能用 {operator} 范围或比较：范围只用于日期和数字字段，如 AD=[2020 TO 2021]",
        f"{en} cannot take {operator}: ranges and comparisons work on date and number "
        "fields, as in AD=[2020 TO 2021]",
    )


def _step(bound: Bound, delta: int, column: int) -> Bound:
    """The day or number next to ``bound``; past the end of dates or below 0 is empty."""
    if isinstance(bound, dt.date):
        try:
            return bound + dt.timedelta(days=delta)
        except OverflowError:
            raise _empty(column) from None
    if bound + delta < 0:
        raise _empty(column)
    return bound + delta


def _checked(node: Range, column: int) -> Range:
    if _is_empty(node.low, node.high):
        raise _empty(column)
    return node


def _is_empty(low: Bound | None, high: Bound | None) -> bool:
    # Both ends are of the field's one type; the isinstance pairs say so to the type checker.
    if isinstance(low, dt.date) and isinstance(high, dt.date):
        return low > high
    if isinstance(low, int) and isinstance(high, int):
        return low > high
    return False


def _empty(column: int) -> QuerySyntaxError:
    return error(
        "empty_range",
        column,
        "范围为空：没有同时满足下限和上限的值",
        "the range is empty: no value is both above its low end and below its high end",
    )

"""检索式 — the patent query language: text in, a tree (or a precise error) out.

Grammar, liberal in what it takes (incoPat and CNIPA habits as well as Lucene's)::

    query       := or END
    or          := and (OR and)*                  OR, ||, 或
    and         := unary ((AND)? unary)*          AND, &&, 与, 和, 且; juxtaposition is AND
    unary       := NOT* primary                   NOT, !, 非, 不含
    primary     := "(" or ")" | clause | value    a value alone searches DEFAULT_FIELD
    clause      := FIELD ("="|":") (value | "(" or ")")      TI=(a OR b): TI applies inside
                 | FIELD (">"|">="|"<"|"<=") word             dates and numbers only
    value       := word | "phrase" | [low TO high] | {low TO high}

Precedence is NOT > AND > OR. Words may end in or contain ``*`` and ``?``; quotes may be
``"…"``, ``“…”``, ``「…」`` or ``『…』``. Full-width input (as Chinese input
methods type it) reads as half-width. See ``ipcore/README.md`` ("Search query language")
for the user-facing description and :mod:`ipcore.search.nodes` for the tree's invariants.

Parsing is a single left-to-right pass with one token of lookahead, so its time is linear in
the input; the limits (length, terms, nesting) bound it further, and any input string gives
either a tree or a :class:`QuerySyntaxError` — never another exception.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final

from ipcore.search.errors import QuerySyntaxError
from ipcore.search.fields import DEFAULT_FIELD, FieldKind, SearchField
from ipcore.search.lexer import Lexer, Source, Token, TokenKind
from ipcore.search.nodes import And, MatchAll, Not, Or, Query, Span
from ipcore.search.values import (
    Value,
    check_range_field,
    comparison_leaf,
    error,
    range_leaf,
    value_leaf,
)

MAX_DEPTH_CEILING: Final = 100
"""The most nesting a caller may allow: each level is a few frames of recursion."""

_STARTS: Final = frozenset(
    {
        TokenKind.WORD,
        TokenKind.PHRASE,
        TokenKind.FIELD,
        TokenKind.LPAREN,
        TokenKind.NOT,
        TokenKind.RANGE,
    }
)
_LEAF_TOKENS: Final = frozenset({TokenKind.WORD, TokenKind.PHRASE, TokenKind.RANGE})
# Values typed with spaces in them, as they are printed (see ``continued``): "H01M" then
# "4/525" is one IPC symbol; "CN 2021 1012 3456.7" or "ZL 2018 1 0390462.7" one number.
_SUBCLASS: Final = re.compile(r"[A-HY]\d\d[A-Z]")
_GROUP_PART: Final = re.compile(r"\d{1,4}/\d*\*?")
_NUMBER_PART: Final = re.compile(r"\d[\d./\-]*[xX]?\*?")


def parse(text: str, *, max_terms: int = 200, max_length: int = 2000, max_depth: int = 32) -> Query:
    """Read a query; raise :class:`QuerySyntaxError` saying where and why if it cannot be.

    ``max_terms`` counts values (words, phrases, ranges), ``max_length`` characters as
    typed, ``max_depth`` levels of parentheses; each protects the engine from a query that
    would cost it far more than any searcher needs.
    """
    if max_depth > MAX_DEPTH_CEILING:
        raise ValueError(f"max_depth may be at most {MAX_DEPTH_CEILING}")
    if not text.strip():
        raise error("empty", 1, "检索式为空", "the query is empty", expected="a search term")
    if len(text) > max_length:
        raise error(
            "too_long",
            max_length + 1,
            f"检索式太长（{len(text)} 个字符，上限 {max_length}）",
            f"the query is too long ({len(text)} characters; the limit is {max_length})",
        )
    parser = _Parser(Source.of(text), max_terms=max_terms, max_depth=max_depth)
    return anchor(parser.query())


class _Parser:
    """Recursive descent over :class:`Lexer` tokens; ``field`` is the field of a group."""

    def __init__(self, source: Source, *, max_terms: int, max_depth: int) -> None:
        self.source = source
        self.lexer = Lexer(source)
        self.max_terms = max_terms
        self.max_depth = max_depth
        self.terms = 0
        self.depth = 0
        self.group_end = 0  # where the last group closed: a TI=(…) clause's span ends there

    def query(self) -> Query:
        node = self.disjunction(None, None)
        token = self.lexer.peek()
        if token.kind is TokenKind.RPAREN:
            raise self.unexpected_close(token)
        return node

    def disjunction(self, field: SearchField | None, opener: Token | None) -> Query:
        children = [self.conjunction(field, opener)]
        while self.lexer.peek().kind is TokenKind.OR:
            operator = self.lexer.take()
            children.append(self.conjunction(field, operator))
        return _combine(Or, children)

    def conjunction(self, field: SearchField | None, opener: Token | None) -> Query:
        children = [self.unary(field, opener)]
        while True:
            token = self.lexer.peek()
            if token.kind is TokenKind.AND:
                children.append(self.unary(field, self.lexer.take()))
            elif token.kind in _STARTS:
                children.append(self.unary(field, None))  # juxtaposition: an implicit AND
            else:
                return _combine(And, children)

    def unary(self, field: SearchField | None, opener: Token | None) -> Query:
        # NOTs are counted in a loop, not by recursion: "NOT NOT … x" costs no stack.
        nots: list[Token] = []
        while self.lexer.peek().kind is TokenKind.NOT:
            nots.append(self.lexer.take())
        node = self.primary(field, nots[-1] if nots else opener)
        for token in reversed(nots):
            node = _negate(node, Span(self.source.column(token.start), node.span.end))
        return node

    def primary(self, field: SearchField | None, opener: Token | None) -> Query:
        token = self.lexer.peek()
        if token.kind is TokenKind.LPAREN:
            return self.group(field)
        if token.kind is TokenKind.FIELD:
            return self.clause()
        if token.kind in _LEAF_TOKENS:
            return self.leaf(field, self.lexer.take(), token.start)
        raise self.missing_operand(token, opener)

    def group(self, field: SearchField | None) -> Query:
        opener = self.lexer.take()
        self.depth += 1
        if self.depth > self.max_depth:
            raise self.error(
                "too_deep",
                opener.start,
                f"括号嵌套太深（上限 {self.max_depth} 层）",
                f"parentheses are nested too deeply (the limit is {self.max_depth} levels)",
            )
        node = self.disjunction(field, opener)
        closing = self.lexer.peek()
        if closing.kind is not TokenKind.RPAREN:
            column = self.source.column(opener.start)
            raise self.error(
                "unclosed",
                closing.start,
                f"缺少“)”：第 {column} 列的“(”没有闭合",
                f"expected ')' to close the '(' at column {column}",
                expected=")",
            )
        self.lexer.take()
        self.depth -= 1
        self.group_end = closing.end
        return _respan(node, self.span(opener.start, closing.end))

    def clause(self) -> Query:
        token = self.lexer.take()
        field = token.field
        if field is None:  # the lexer always sets it on FIELD tokens
            raise AssertionError("FIELD token without a field")
        if token.operator not in ("=", ":"):
            return self.comparison(field, token)
        value = self.lexer.peek()
        if value.kind is TokenKind.LPAREN:
            node = self.group(field)
            return _respan(node, self.span(token.start, self.group_end))
        if value.kind in _LEAF_TOKENS:
            return self.leaf(field, self.lexer.take(), token.start)
        raise self.error(
            "missing_value",
            value.start,
            f"“{token.text}{token.operator}”后面缺少检索值",
            f"expected a value after {token.text}{token.operator}",
            expected="a value",
        )

    def comparison(self, field: SearchField, token: Token) -> Query:
        check_range_field(field, self.source.column(token.start), token.operator)
        value = self.lexer.peek()
        if value.kind is not TokenKind.WORD:
            what_zh, what_en = (
                ("日期", "a date") if field.kind is FieldKind.DATE else ("数字", "a number")
            )
            raise self.error(
                "missing_value",
                value.start,
                f"“{token.text}{token.operator}”后面应为{what_zh}",
                f"expected {what_en} after {token.text}{token.operator}",
                expected=what_en,
            )
        self.lexer.take()
        self.count(value)
        return comparison_leaf(field, token.operator, self.value(value, token.start))

    def leaf(self, field: SearchField | None, token: Token, start: int) -> Query:
        self.count(token)
        if token.kind is TokenKind.RANGE:
            return self.range(field, token, start)
        field = field or DEFAULT_FIELD
        if token.kind is TokenKind.WORD:
            token = self.continued(field, token)
        if token.kind is TokenKind.PHRASE:
            token = self.phrase_prefix(field, token)
        return value_leaf(field, self.value(token, start))

    def phrase_prefix(self, field: SearchField, token: Token) -> Token:
        """``ORG="Huawei Tech"*``: a star right after the quotes asks for a prefix."""
        star = self.lexer.peek()
        if star.kind is not TokenKind.WORD or star.text != "*" or star.start != token.end:
            return token
        if field.kind is FieldKind.TEXT:
            raise self.error(
                "phrase_wildcard",
                star.start,
                "引号内的短语不能加通配符；去掉引号即可对单个词使用 *",
                "a quoted phrase takes no wildcard; without the quotes, * works on one word",
            )
        self.lexer.take()
        return dataclasses.replace(token, text=token.text + "*", end=star.end)

    def range(self, field: SearchField | None, token: Token, start: int) -> Query:
        if field is None:
            raise self.error(
                "range_without_field",
                token.start,
                "范围前需要日期或数字字段，如 AD=[2020 TO 2021]",
                "a range needs a date or number field before it, as in AD=[2020 TO 2021]",
            )
        if token.bounds is None:
            raise AssertionError("RANGE token without bounds")
        low, high = (
            Value(
                b.text,
                False,
                self.source.column(b.start),
                self.span(b.start, b.start + len(b.text)),
            )
            for b in token.bounds
        )
        return range_leaf(
            field,
            (low, high),
            token.inclusive,
            column=self.source.column(token.start),
            span=self.span(start, token.end),
        )

    def continued(self, field: SearchField, token: Token) -> Token:
        """``IPC=H01M 4/525``, ``AN=CN 2021 1012 3456.7``: spaces inside a printed value.

        Only where the field's kind makes it unambiguous: the words after a subclass that
        look like a group, the digit groups after the start of a number.
        """
        while not token.text.endswith("*"):
            following = self.lexer.peek()
            if following.kind is not TokenKind.WORD or not _continues(field, token, following):
                break
            self.lexer.take()
            text = self.source.text[token.start : following.end]
            token = dataclasses.replace(token, text=text, end=following.end)
        return token

    def value(self, token: Token, start: int) -> Value:
        return Value(
            token.text,
            token.kind is TokenKind.PHRASE,
            self.source.column(token.start),
            self.span(start, token.end),
        )

    def count(self, token: Token) -> None:
        self.terms += 1
        if self.terms > self.max_terms:
            raise self.error(
                "too_many_terms",
                token.start,
                f"检索词太多（上限 {self.max_terms} 个）",
                f"too many terms (the limit is {self.max_terms})",
            )

    def missing_operand(self, token: Token, opener: Token | None) -> QuerySyntaxError:
        """Where a search term should have been: what came instead, after what."""
        if token.kind is TokenKind.RPAREN and opener is None:
            return self.unexpected_close(token)
        if (
            token.kind is TokenKind.RPAREN
            and opener is not None
            and opener.kind is TokenKind.LPAREN
        ):
            return self.error(
                "empty_group",
                token.start,
                "括号内是空的：“(”和“)”之间需要检索词",
                "empty parentheses: expected a search term between '(' and ')'",
                expected="a search term",
            )
        if token.kind in (TokenKind.AND, TokenKind.OR) and (
            opener is None or opener.kind is TokenKind.LPAREN
        ):
            zh, en = f"“{token.text}”前面缺少检索词", f"{token.text} needs a search term before it"
        else:
            after = opener.text if opener is not None else ""
            found = "" if token.kind is TokenKind.END else f", found '{token.text}'"
            zh, en = f"“{after}”后面缺少检索词", f"expected a search term after {after}{found}"
        return self.error("missing_operand", token.start, zh, en, expected="a search term")

    def unexpected_close(self, token: Token) -> QuerySyntaxError:
        return self.error(
            "unexpected_close",
            token.start,
            "多余的“)”：前面没有与之配对的“(”",
            "unexpected ')': no '(' before it is left open",
        )

    def span(self, start: int, end: int) -> Span:
        return Span(self.source.column(start), self.source.column(end))

    def error(
        self, code: str, index: int, zh: str, en: str, expected: str | None = None
    ) -> QuerySyntaxError:
        return error(code, self.source.column(index), zh, en, expected)


def _continues(field: SearchField, token: Token, following: Token) -> bool:
    if field.kind is FieldKind.CLASSIFICATION:
        return bool(
            _SUBCLASS.fullmatch(token.text.upper()) and _GROUP_PART.fullmatch(following.text)
        )
    return field.kind is FieldKind.NUMBER_ID and bool(_NUMBER_PART.fullmatch(following.text))


# --- tree shaping -----------------------------------------------------------------------


def _combine(kind: type[And] | type[Or], children: list[Query]) -> Query:
    """``kind`` of the children, nested ones of the same kind spliced in; one child is itself."""
    if len(children) == 1:
        return children[0]
    flat: list[Query] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return kind(tuple(flat), Span(flat[0].span.start, flat[-1].span.end))


def _negate(node: Query, span: Span) -> Query:
    # NOT NOT x is x: set complement twice.
    return node.child if isinstance(node, Not) else Not(node, span)


def _respan(node: Query, span: Span) -> Query:
    """A parenthesised compound spans its parentheses; a leaf keeps the span of its text."""
    return dataclasses.replace(node, span=span) if isinstance(node, And | Or | Not) else node


def anchor(node: Query) -> Query:
    """Give every pure negation an explicit :class:`MatchAll` (see :mod:`.nodes`).

    ``NOT x`` → ``MatchAll AND NOT x``; ``NOT a AND NOT b`` → ``MatchAll AND NOT a AND NOT
    b``; ``a OR NOT b`` → ``a OR (MatchAll AND NOT b)``. A ``Not`` beside a positive sibling
    stays as it is.
    """
    if isinstance(node, Not):
        return And((MatchAll(node.span), _anchor_not(node)), node.span)
    if isinstance(node, And):
        children = tuple(
            _anchor_not(child) if isinstance(child, Not) else anchor(child)
            for child in node.children
        )
        if all(isinstance(child, Not) for child in children):
            children = (MatchAll(node.span), *children)
        return And(children, node.span)
    if isinstance(node, Or):
        return Or(tuple(anchor(child) for child in node.children), node.span)
    return node


def _anchor_not(node: Not) -> Not:
    return Not(anchor(node.child), node.span)

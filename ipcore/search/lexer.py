"""检索式词法 — a query string as tokens, each knowing its column in the text typed.

The input is width-folded (NFKC) first so that a full-width ``TI=(锂电池)``, as a Chinese
input method types it, reads like the half-width one; every column reported is still in the
original string (:class:`Source` keeps the map). The lexer is contextual in one place only:
right after ``FIELD=`` the next word is a value, taken literally (``TI=and`` searches for
"and"; ``TI=a:b`` for "a:b").

Chinese operators (与/和/且, 或, 非/不含) are operators only as whole words, separated by
spaces or parentheses: ``参与者`` is text, ``锂电池 与 正极`` is an AND.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Final

from ipcore.search.analysis import normalise_text
from ipcore.search.errors import QuerySyntaxError
from ipcore.search.fields import SearchField, close_field_names, field_named


@dataclass(frozen=True)
class Source:
    """The query as typed, its NFKC form, and where each folded character came from."""

    original: str
    text: str
    origins: tuple[int, ...]  # origins[i]: index in ``original`` of ``text[i]``, plus the end

    @classmethod
    def of(cls, original: str) -> Source:
        pieces: list[str] = []
        origins: list[int] = []
        for start, cluster in _clusters(original):
            folded = unicodedata.normalize("NFKC", cluster)
            pieces.append(folded)
            origins.extend([start] * len(folded))
        origins.append(len(original))
        return cls(original, "".join(pieces), tuple(origins))

    def column(self, index: int) -> int:
        """1-based column in the original string of folded index ``index`` (or the end)."""
        return self.origins[min(index, len(self.origins) - 1)] + 1


def _clusters(text: str) -> list[tuple[int, str]]:
    # NFKC composes a base character with the marks after it ("e" + U+0301 → "é"), so fold
    # each base-plus-marks cluster whole; anything longer-range is not worth the complexity.
    clusters: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if clusters and unicodedata.combining(char):
            start, cluster = clusters[-1]
            clusters[-1] = (start, cluster + char)
        else:
            clusters.append((index, char))
    return clusters


class TokenKind(Enum):
    LPAREN = "("
    RPAREN = ")"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    WORD = "word"
    PHRASE = "phrase"
    FIELD = "field"
    RANGE = "range"
    END = "end"


@dataclass(frozen=True)
class Bound:
    """One end of a ``[low TO high]`` range as typed: ``*`` for open."""

    text: str
    start: int


@dataclass(frozen=True)
class Token:
    """A token; ``start``/``end`` index the folded text (``Source.column`` maps them back).

    FIELD tokens carry the field and the operator (``=``, ``:``, ``>``, ``>=``, ``<``,
    ``<=``); RANGE tokens their bounds and which ends are inclusive.
    """

    kind: TokenKind
    text: str
    start: int
    end: int
    field: SearchField | None = None
    operator: str = ""
    bounds: tuple[Bound, Bound] | None = None
    inclusive: tuple[bool, bool] = (True, True)


OPERATOR_WORDS: Final = {
    "and": TokenKind.AND,
    "与": TokenKind.AND,
    "和": TokenKind.AND,
    "且": TokenKind.AND,
    "or": TokenKind.OR,
    "或": TokenKind.OR,
    "not": TokenKind.NOT,
    "非": TokenKind.NOT,
    "不含": TokenKind.NOT,
}

# Opening quote → closing quote. ” opens too: some input methods type ” at both ends.
QUOTES: Final = {'"': '"', "“": "”", "”": "”", "「": "」", "『": "』"}
# 「」 and 『』 are CJK brackets; single quotes are left to be text (O'Brien, 5'-UTR).

_FIELD: Final = re.compile(r"([^\W\d]\w*)[ \t]*(>=|<=|≥|≤|=|:|>|<)")
_WORD_END: Final = re.compile(r"""[\s()"“”「『]|&&|\|\|""")
_RANGE_BODY: Final = re.compile(r"\s*(\S+)\s+(\S+)\s+(\S+)\s*")
_RANGE_TO: Final = frozenset({"to", "至", "到"})
_WIDE_COMPARISONS: Final = {"≥": ">=", "≤": "<="}
VALUE_STARTS: Final = frozenset(
    {TokenKind.WORD, TokenKind.PHRASE, TokenKind.RANGE, TokenKind.LPAREN}
)


class Lexer:
    """Tokens on demand (one of lookahead), so a long bad query fails at its first error."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._text = source.text
        self._pos = 0
        self._after_field = False
        self._peeked: Token | None = None

    def peek(self) -> Token:
        if self._peeked is None:
            self._peeked = self._lex()
        return self._peeked

    def take(self) -> Token:
        token = self.peek()
        self._peeked = None
        return token

    def error(
        self, code: str, index: int, zh: str, en: str, expected: str | None = None
    ) -> QuerySyntaxError:
        return QuerySyntaxError(
            code,
            column=self.source.column(index),
            message_zh=zh,
            message_en=en,
            expected=expected,
        )

    def _lex(self) -> Token:
        text = self._text
        while self._pos < len(text) and text[self._pos].isspace():
            self._pos += 1
        if self._pos >= len(text):
            return Token(TokenKind.END, "", len(text), len(text))
        after_field, self._after_field = self._after_field, False
        if after_field:
            return self._value()
        return self._normal()

    def _value(self) -> Token:
        char = self._text[self._pos]
        if self._text.startswith(("&&", "||"), self._pos):
            return self._normal()  # no value here: the parser says so
        if char in "()":
            return self._single(TokenKind.LPAREN if char == "(" else TokenKind.RPAREN)
        if char in QUOTES:
            return self._phrase()
        if char in "[{":
            return self._range()
        return self._word()

    def _normal(self) -> Token:
        text, pos = self._text, self._pos
        char = text[pos]
        if char in "()":
            return self._single(TokenKind.LPAREN if char == "(" else TokenKind.RPAREN)
        if char in QUOTES:
            return self._phrase()
        if char in "[{":
            return self._range()
        if text.startswith(("&&", "||"), pos):
            self._pos += 2
            kind = TokenKind.AND if char == "&" else TokenKind.OR
            return Token(kind, text[pos : pos + 2], pos, pos + 2)
        if char == "!":
            return self._single(TokenKind.NOT)
        field_token = self._field()
        if field_token is not None:
            return field_token
        word = self._word()
        operator = OPERATOR_WORDS.get(normalise_text(word.text))
        return Token(operator, word.text, word.start, word.end) if operator else word

    def _single(self, kind: TokenKind) -> Token:
        start = self._pos
        self._pos += 1
        return Token(kind, self._text[start], start, start + 1)

    def _word(self) -> Token:
        start = self._pos
        stop = _WORD_END.search(self._text, start)
        self._pos = stop.start() if stop else len(self._text)
        return Token(TokenKind.WORD, self._text[start : self._pos], start, self._pos)

    def _field(self) -> Token | None:
        match = _FIELD.match(self._text, self._pos)
        if match is None or normalise_text(match[1]) in OPERATOR_WORDS:
            return None
        name, operator = match[1], _WIDE_COMPARISONS.get(match[2], match[2])
        field = field_named(name)
        if field is None:
            raise self._unknown_field(name, match.start())
        self._pos = match.end()
        self._after_field = True
        return Token(TokenKind.FIELD, name, match.start(), match.end(), field, operator)

    def _unknown_field(self, name: str, index: int) -> QuerySyntaxError:
        close = close_field_names(name)
        hint_en = (
            "; did you mean " + ", ".join(f"{f.name} ({f.label_en})" for f in close) + "?"
            if close
            else ""
        )
        hint_zh = (
            "；是否要写 " + "、".join(f"{f.name}（{f.label_zh}）" for f in close) if close else ""
        )
        return self.error(
            "unknown_field",
            index,
            f"未知字段“{name}”{hint_zh}。如要检索含冒号或等号的文字，请加引号",
            f"unknown field {name}{hint_en} (to search text with ':' or '=', put it in quotes)",
        )

    def _phrase(self) -> Token:
        start = self._pos
        closing = QUOTES[self._text[start]]
        end = self._text.find(closing, start + 1)
        if end < 0:
            raise self.error(
                "unterminated_quote",
                start,
                f"引号未闭合：缺少与此处 {self._text[start]} 配对的 {closing}",
                f"unterminated quote: no closing {closing} for this {self._text[start]}",
                expected=closing,
            )
        self._pos = end + 1
        return Token(TokenKind.PHRASE, self._text[start + 1 : end], start, end + 1)

    def _range(self) -> Token:
        start = self._pos
        closer = re.compile(r"[\]}]").search(self._text, start + 1)
        if closer is None:
            raise self.error(
                "unterminated_range",
                start,
                f"范围缺少 ] 或 }}：{self._text[start]} 未闭合",
                f"unterminated range: expected ']' or '}}' to close this {self._text[start]}",
                expected="]",
            )
        self._pos = closer.end()
        body = _RANGE_BODY.fullmatch(self._text, start + 1, closer.start())
        if body is None or normalise_text(body[2]) not in _RANGE_TO:
            raise self.error(
                "range_syntax",
                start,
                "范围应写作 [起 TO 止]，如 [2020 TO 2021]，开放端写 *",
                "a range is written [low TO high], as in [2020 TO 2021], with * for an open end",
                expected="low TO high",
            )
        return Token(
            TokenKind.RANGE,
            self._text[start : self._pos],
            start,
            self._pos,
            bounds=(Bound(body[1], body.start(1)), Bound(body[3], body.start(3))),
            inclusive=(self._text[start] == "[", closer[0] == "]"),
        )

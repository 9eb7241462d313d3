"""检索式语法错误 — why a query could not be read, and where."""

from __future__ import annotations


class QuerySyntaxError(ValueError):
    """检索式有误 — a query that cannot be read, with the column to point at.

    ``column`` is 1-based in the string the user typed (before width folding), so a search
    form can put a caret under it; one past the end means "at the end". ``code`` is a short,
    stable machine name for the rule that failed (tests and forms key on it); ``expected``
    names what would have been accepted there, when that is one thing (``")"``).
    ``str()`` is ``"column 17: expected ')'"``, in English because exceptions end in logs.
    """

    code: str
    column: int
    message_zh: str
    message_en: str
    expected: str | None

    def __init__(
        self,
        code: str,
        *,
        column: int,
        message_zh: str,
        message_en: str,
        expected: str | None = None,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.column = column
        self.message_zh = message_zh
        self.message_en = message_en
        self.expected = expected

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments defeat ValueError's default pickling, and errors travel
        # through pickle (task queues, multiprocessing).
        return (
            _rebuild,
            (type(self), self.code, self.column, self.message_zh, self.message_en, self.expected),
        )

    def __str__(self) -> str:
        return f"column {self.column}: {self.message_en}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, column={self.column!r}, "
            f"message_en={self.message_en!r})"
        )


def _rebuild(
    cls: type[QuerySyntaxError],
    code: str,
    column: int,
    message_zh: str,
    message_en: str,
    expected: str | None,
) -> QuerySyntaxError:
    return cls(code, column=column, message_zh=message_zh, message_en=message_en, expected=expected)

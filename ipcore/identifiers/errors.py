"""Errors raised by identifier parsers (标识号解析错误).

Every parser in :mod:`ipcore.identifiers` raises a subclass of :class:`IdentifierError`, so a
caller that only wants "is this text usable?" catches one type, while a form or an import
report can show *which* rule failed (``code``), *where* (``position``) and a message in both
languages.
"""

from __future__ import annotations

from dataclasses import dataclass


class IdentifierError(ValueError):
    """标识号无法解析 — text that cannot be read as the identifier asked for.

    ``code`` is a short, stable machine name for the rule that failed (a form maps it to a
    field error, a test asserts on it); ``position`` is 1-based within the normalised text,
    or ``None`` when the failure is not about one character. ``str()`` gives the English
    message because exceptions end up in logs, which are read in English.
    """

    code: str
    position: int | None
    message_zh: str
    message_en: str

    def __init__(
        self,
        code: str,
        *,
        message_zh: str,
        message_en: str,
        position: int | None = None,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.position = position
        self.message_zh = message_zh
        self.message_en = message_en

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments defeat ValueError's default pickling, and errors do travel
        # through pickle (task queues, multiprocessing).
        return (
            _rebuild,
            (type(self), self.code, self.message_zh, self.message_en, self.position),
        )

    def __str__(self) -> str:
        return self.message_en

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, position={self.position!r}, "
            f"message_en={self.message_en!r})"
        )


def _rebuild(
    cls: type[IdentifierError],
    code: str,
    message_zh: str,
    message_en: str,
    position: int | None,
) -> IdentifierError:
    return cls(code, message_zh=message_zh, message_en=message_en, position=position)


@dataclass(frozen=True)
class IdentifierWarning:
    """标识号警告 — the text was read, but something in it looks wrong.

    Real registers hold numbers with wrong check digits; an import must keep such a record
    and flag it, not drop it, so parsers return warnings instead of raising.
    """

    code: str
    message_zh: str
    message_en: str

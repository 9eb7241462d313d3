"""重点产业领域 — the plan's seven key fields, as editable data built on the SEI concordance.

The Pudong plan (浦府〔2018〕151号 三(二)2) grows high-value patent portfolios in seven fields:
next-generation IT (digital TV codecs included), health big data, integrated circuits, AI,
aerospace, biomedicine and high-end equipment. No official table defines them, so ipops ships
a definition of each (``data/key_fields_2026.toml``): the SEI sub-categories or industries it
includes whole, its own rules in the notation of :mod:`ipcore.industries.rules`, and the
source of every part. The bureau edits the live copy (the ``corpus`` app keeps it in the
database); this module reads the shipped file and turns any edited text into definitions with
the same checks, so a definition that cannot be applied is refused before it is saved.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from ipcore.industries.rules import (
    FieldDefinition,
    FieldSet,
    Match,
    RuleSyntaxError,
    parse_rules,
)
from ipcore.industries.sei import sei_concordance

SCHEME: Final = "key"
DEFAULT_FILE: Final = "key_fields_2026.toml"


class DefinitionError(ValueError):
    """A key-field definition that cannot be applied: ``field`` names the part at fault
    (``rules``, ``builds_on``, ``name_zh`` …), the messages say what and where."""

    def __init__(self, field: str, *, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class KeyFieldText:
    """A key field as people write it: the text the shipped file and the edit form hold."""

    code: str
    name_zh: str
    name_en: str
    builds_on: tuple[str, ...]
    rules: str
    source: str


def definition_of(text: KeyFieldText) -> FieldDefinition:
    """The definition ``text`` writes; :class:`DefinitionError` where a part cannot be read
    (a rule's line and reason, an SEI code the concordance does not have, no content)."""
    if not text.name_zh.strip():
        raise DefinitionError(
            "name_zh", message_zh="请填写中文名称。", message_en="The Chinese name is missing."
        )
    unknown = [code for code in text.builds_on if code not in _sei_codes()]
    if unknown:
        raise DefinitionError(
            "builds_on",
            message_zh=f"战略性新兴产业分类中没有 {'、'.join(unknown)}。",
            message_en=f"The SEI concordance has no {', '.join(unknown)}.",
        )
    try:
        rules = parse_rules(text.rules)
    except RuleSyntaxError as error:
        raise DefinitionError(
            "rules", message_zh=error.message_zh, message_en=error.message_en
        ) from None
    if not rules and not text.builds_on:
        raise DefinitionError(
            "rules",
            message_zh="定义为空：请至少选一个战略性新兴产业分类或写一条规则。",
            message_en="The definition is empty: include an SEI category or write a rule.",
        )
    return FieldDefinition(
        scheme=SCHEME,
        code=text.code,
        name_zh=text.name_zh.strip(),
        name_en=text.name_en.strip(),
        rules=rules,
        builds_on=tuple(dict.fromkeys(text.builds_on)),
        source=text.source.strip(),
    )


@cache
def _sei_codes() -> frozenset[str]:
    return frozenset(category.code for category in sei_concordance().categories)


@cache
def shipped_key_fields() -> tuple[KeyFieldText, ...]:
    """The seven definitions of ``data/key_fields_2026.toml``, as written."""
    raw = (resources.files("ipcore") / "data" / DEFAULT_FILE).read_text(encoding="utf-8")
    return tuple(
        KeyFieldText(
            code=entry["code"],
            name_zh=entry["name_zh"],
            name_en=entry["name_en"],
            builds_on=tuple(entry["builds_on"]),
            rules=entry["rules"].strip(),
            source=" ".join(entry["source"].split()),
        )
        for entry in tomllib.loads(raw)["field"]
    )


@dataclass(frozen=True, eq=False)
class KeyFields:
    """A set of key-field definitions (the shipped ones, or the bureau's current ones) and
    the matcher over them, with the SEI concordance as the base they build on."""

    fields: FieldSet

    @property
    def definitions(self) -> tuple[FieldDefinition, ...]:
        return self.fields.definitions

    def match(self, codes: Iterable[str], *, text: str | None = None) -> Match:
        return self.fields.match(codes, text=text)

    def fields_of(self, codes: Iterable[str], *, text: str | None = None) -> frozenset[str]:
        """The key fields (codes such as ``"ai"``) a patent certainly belongs to."""
        return self.fields.fields_of(codes, text=text)

    def wants_text(self, codes: Iterable[str]) -> bool:
        return self.fields.wants_text(codes)


def key_fields(texts: Sequence[KeyFieldText] | None = None) -> KeyFields:
    """The matcher over these definitions (the shipped ones by default)."""
    chosen = shipped_key_fields() if texts is None else texts
    definitions = tuple(definition_of(text) for text in chosen)
    return KeyFields(FieldSet(definitions, base=sei_concordance().fields))

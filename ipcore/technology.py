"""技术领域 — WIPO's 35 technology fields in 5 sectors, from IPC/CPC codes.

The fields are Schmoch's IPC-Technology concordance as WIPO publishes it (shipped as
``data/ipc_technology.csv``, see ``data/PROVENANCE.md``); WIPO's and CNIPA's statistics
report patents by them. Each row of the concordance is an SQL-LIKE pattern of one of two
forms, on the 8-character padded spelling (``A61K   8/02``):

* ``F21H%`` — the whole subclass;
* ``A61K   8/%`` — one main group (the padding makes ``8/`` match main group 8, never 80).

Group patterns exist only for six split subclasses (A61K, B01D, C13B, E01F, G01N, H04N),
which have no subclass pattern at all: a code in one of their other main groups, such as a
CPC 2000-series indexing group (``A61K 2300/00``), has no field. Should a subclass ever have
both, the main-group pattern wins, being the more specific. A bare subclass of a split one
(``A61K``, all the CN data gives at times) has a field only if all its groups agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from ipcore._data import read_data_csv
from ipcore.classification import parse_classification, parse_subclass
from ipcore.identifiers.errors import IdentifierError

_PATTERN: Final = re.compile(r"(?P<subclass>[A-HY]\d\d[A-Z])(?:\s*(?P<main>\d{1,4})/)?%")


@dataclass(frozen=True)
class Sector:
    """技术部门 — one of WIPO's five sectors (电气工程, 仪器, 化学, 机械工程, 其他领域)."""

    name_en: str
    name_zh: str

    def in_language(self, language: str) -> str:
        """The name in the asked language, falling back to the other one."""
        return _in_language(language, zh=self.name_zh, en=self.name_en)


@dataclass(frozen=True)
class TechnologyField:
    """技术领域 — one of the 35 fields, numbered 1 to 35 as WIPO numbers them."""

    number: int
    sector_en: str
    sector_zh: str
    name_en: str
    name_zh: str

    @property
    def sector(self) -> Sector:
        return Sector(name_en=self.sector_en, name_zh=self.sector_zh)

    def in_language(self, language: str) -> str:
        """The field's name in the asked language, falling back to the other one."""
        return _in_language(language, zh=self.name_zh, en=self.name_en)


def _in_language(language: str, *, zh: str, en: str) -> str:
    first, second = (zh, en) if language.startswith("zh") else (en, zh)
    return first or second


@dataclass(frozen=True)
class _SubclassRule:
    """What the concordance says about one subclass: a field for all of it, or per group."""

    field: int | None
    groups: Mapping[str, int]

    def field_of(self, main_group: str | None) -> int | None:
        if main_group is not None and main_group in self.groups:
            return self.groups[main_group]
        if self.field is not None or main_group is not None:
            return self.field
        agreed = set(self.groups.values())
        return agreed.pop() if len(agreed) == 1 else None


def _index(patterns: Iterable[tuple[str, int]]) -> dict[str, _SubclassRule]:
    """Concordance patterns (``F21H%``, ``A61K   8/%``) with their field, by subclass.

    A pattern of another form, or one listed twice, is a data error and raises: matching it
    loosely would put patents in the wrong field without anyone noticing.
    """
    whole: dict[str, int] = {}
    groups: dict[str, dict[str, int]] = {}
    for pattern, number in patterns:
        match = _PATTERN.fullmatch(pattern)
        if match is None:
            raise ValueError(f"unknown concordance pattern {pattern!r}")
        subclass, main = match["subclass"], match["main"]
        target, key = (whole, subclass) if main is None else (groups.setdefault(subclass, {}), main)
        if key in target:
            raise ValueError(f"concordance pattern {pattern!r} is listed twice")
        target[key] = number
    return {
        subclass: _SubclassRule(field=whole.get(subclass), groups=groups.get(subclass, {}))
        for subclass in whole.keys() | groups.keys()
    }


@cache
def _concordance() -> dict[str, _SubclassRule]:
    """WIPO's concordance, plus the symbols IPC created after it (B64U drones, G06V, the H10
    semiconductor series …), each given the field of the symbol it was split from (ipops's
    own table, ``ipc_technology_successors.csv``: a successor that WIPO's table already lists
    raises, so WIPO's own word always wins once it has one)."""
    rows = [*read_data_csv("ipc_technology.csv"), *read_data_csv("ipc_technology_successors.csv")]
    return _index((row["IPC_code"], int(row["Field_number"])) for row in rows)


@cache
def _fields() -> dict[int, TechnologyField]:
    names_zh = {int(row["field_number"]): row for row in read_data_csv("technology_fields_zh.csv")}
    fields: dict[int, TechnologyField] = {}
    for row in read_data_csv("ipc_technology.csv"):
        number = int(row["Field_number"])
        fields.setdefault(
            number,
            TechnologyField(
                number=number,
                sector_en=row["Sector_en"],
                sector_zh=names_zh[number]["sector_zh"],
                name_en=row["Field_en"],
                name_zh=names_zh[number]["field_zh"],
            ),
        )
    return dict(sorted(fields.items()))


def _subclass_and_main_group(code: str) -> tuple[str, str | None] | None:
    try:
        parsed = parse_classification(code)
    except IdentifierError:
        try:
            return parse_subclass(code), None
        except IdentifierError:
            return None
    return parsed.subclass_code, parsed.main_group


@lru_cache(maxsize=1 << 16)
def technology_field(code: str) -> TechnologyField | None:
    """The field of an IPC or CPC code in any spelling (``H01M 4/525``, ``H01M0004525000``,
    ``H01M4/525``, a bare subclass ``H01M``); ``None`` where the concordance gives none or the
    text is no code at all. Never raises: it runs on every classification at index time."""
    key = _subclass_and_main_group(code)
    if key is None:
        return None
    rule = _concordance().get(key[0])
    number = rule.field_of(key[1]) if rule is not None else None
    return _fields()[number] if number is not None else None


def subclasses_of_field(number: int) -> frozenset[str]:
    """The subclasses with codes in field ``number`` (all of a subclass, or some of its main
    groups): where to look for the field's patents."""
    return frozenset(
        subclass
        for subclass, rule in _concordance().items()
        if rule.field == number or number in rule.groups.values()
    )


def field_patterns(number: int) -> tuple[str, ...]:
    """What the concordance puts in field ``number``: whole subclasses (``H01M``) and main
    groups (``A61K 8/00``), in scheme order — for people reading the definition."""
    found: list[str] = []
    for subclass, rule in sorted(_concordance().items()):
        if rule.field == number:
            found.append(subclass)
        found += [f"{subclass} {m}/00" for m, n in sorted(rule.groups.items()) if n == number]
    return tuple(found)


def technology_fields(codes: Iterable[str]) -> tuple[TechnologyField, ...]:
    """The distinct fields of a patent's codes, in the order their codes first appear."""
    found = (technology_field(code) for code in codes)
    return tuple(dict.fromkeys(field for field in found if field is not None))


TECHNOLOGY_FIELDS: Final[tuple[TechnologyField, ...]] = tuple(_fields().values())
SECTORS: Final[tuple[Sector, ...]] = tuple(dict.fromkeys(f.sector for f in TECHNOLOGY_FIELDS))

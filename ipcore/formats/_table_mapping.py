"""Column mappings (列映射) for the table reader: which column holds which record field.

A mapping is a small TOML file (format in ``ipcore/data/mappings/README.md``), loaded into the
frozen `TableMapping` below and checked on load, so a typo in a mapping is reported once, by
file and key, instead of as a thousand bad records. Shipped mappings live in
``ipcore/data/mappings/``; a user's own mapping is any ``.toml`` file with the same keys.
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

from ipcore.patents.record import DocumentType

E = TypeVar("E", bound=StrEnum)

MAPPINGS_PACKAGE: Final = "ipcore"
MAPPINGS_FOLDER: Final = ("data", "mappings")


class MappingError(ValueError):
    """A mapping file that cannot be used: which file, which key, why."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"mapping {source}: {reason}")


class FieldKind(StrEnum):
    """How a field's cell is read."""

    NUMBER = "number"
    TEXT = "text"  # title, abstract, claims: needs a language
    VALUE = "value"  # kind code, family id: kept as written
    DATE = "date"
    INTEGER = "integer"
    PARTIES = "parties"
    CLASSIFICATIONS = "classifications"
    CLASSIFICATION = "classification"  # one main code in its own column (IPC主分类)
    PRIORITIES = "priorities"
    CITATIONS = "citations"


# Every field a mapping may name, and how it is read. Lists split on the separator.
FIELD_KINDS: Final[Mapping[str, FieldKind]] = {
    "publication_number": FieldKind.NUMBER,
    "application_number": FieldKind.NUMBER,
    "kind": FieldKind.VALUE,
    "family_id": FieldKind.VALUE,
    "publication_date": FieldKind.DATE,
    "application_date": FieldKind.DATE,
    "grant_date": FieldKind.DATE,
    "title": FieldKind.TEXT,
    "abstract": FieldKind.TEXT,
    "claims": FieldKind.TEXT,
    "claims_count": FieldKind.INTEGER,
    "family_size": FieldKind.INTEGER,
    "applicants": FieldKind.PARTIES,
    "owners": FieldKind.PARTIES,
    "inventors": FieldKind.PARTIES,
    "ipc": FieldKind.CLASSIFICATIONS,
    "cpc": FieldKind.CLASSIFICATIONS,
    "ipc_main": FieldKind.CLASSIFICATION,
    "cpc_main": FieldKind.CLASSIFICATION,
    "priorities": FieldKind.PRIORITIES,
    "cited_patents": FieldKind.CITATIONS,
    "cited_npl": FieldKind.CITATIONS,
}
LIST_KINDS: Final = frozenset(
    {FieldKind.PARTIES, FieldKind.CLASSIFICATIONS, FieldKind.PRIORITIES, FieldKind.CITATIONS}
)


class NumberParser(StrEnum):
    """How a number column is read (see ipcore.identifiers)."""

    AUTO = "auto"  # by office: CN rules for CN, PCT for "… W" / "PCT/…", DOCDB otherwise
    DOCDB = "docdb"  # parse_doc_number
    CN_APPLICATION = "cn_application"  # parse_cn_application (check digit → warning)
    CN_PUBLICATION = "cn_publication"  # parse_cn_publication
    PCT = "pct"  # parse_pct_application


class MainCode(StrEnum):
    """Which code of a classification list is the main one (主分类号)."""

    NONE = "none"  # the list is unordered (e.g. sorted alphabetically)
    FIRST = "first"  # the list follows the document, main code first


@dataclass(frozen=True)
class ColumnSpec:
    """One mapped field: the header it reads and how."""

    field: str
    column: str
    kind: FieldKind
    optional: bool = False
    language: str | None = None
    parse: NumberParser = NumberParser.AUTO
    separators: tuple[str, ...] = ()
    main: MainCode = MainCode.NONE


@dataclass(frozen=True)
class OfficeRule:
    """受理局 — where the office code comes from, in this order: column, number, default."""

    column: str | None = None
    optional: bool = False
    from_number: bool = False
    default: str | None = None


@dataclass(frozen=True)
class TypeRule:
    """专利类型 — a column's values to document types, and which values mean "granted"."""

    column: str | None = None
    optional: bool = False
    values: Mapping[str, DocumentType] = field(default_factory=dict)
    granted: frozenset[str] = frozenset()
    cn_from_number: bool = False
    default: DocumentType = DocumentType.UNKNOWN


@dataclass(frozen=True)
class TableMapping:
    name: str
    description: str
    signature: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    office: OfficeRule
    document_type: TypeRule
    ignore: frozenset[str] = frozenset()
    date_formats: tuple[str, ...] = ()
    delimiter: str | None = None
    sheet: str | None = None
    source: str = ""

    def spec(self, field_name: str) -> ColumnSpec | None:
        return self._specs.get(field_name)

    @functools.cached_property
    def _specs(self) -> dict[str, ColumnSpec]:
        # Looked up dozens of times per row; a frozen dataclass may still cache in __dict__.
        return {spec.field: spec for spec in self.columns}

    def mapped_columns(self) -> list[tuple[str, bool]]:
        """Every header the mapping reads, with whether it may be absent."""
        found = [(spec.column, spec.optional) for spec in self.columns]
        if self.office.column:
            found.append((self.office.column, self.office.optional))
        if self.document_type.column:
            found.append((self.document_type.column, self.document_type.optional))
        return found


@functools.lru_cache(maxsize=4096)
def header_key(name: str) -> str:
    """How headers are compared: NFKC (全角→半角), case-folded, blanks collapsed.

    So a mapping written with ``公开(公告)号`` matches an export's ``公开（公告）号``.
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


# --- loading -------------------------------------------------------------------------------


def load_mapping(spec: str | Path | TableMapping) -> TableMapping:
    """A shipped mapping by name (``"lens"``), a TOML file by path, or a mapping as is."""
    if isinstance(spec, TableMapping):
        return spec
    text_spec = str(spec)
    if isinstance(spec, Path) or text_spec.endswith(".toml") or "/" in text_spec:
        path = Path(spec)
        try:
            return parse_mapping(path.read_text(encoding="utf-8"), source=str(path))
        except OSError as error:
            raise MappingError(str(path), f"cannot be read: {error}") from error
    return _shipped(text_spec)


def shipped_mappings() -> list[TableMapping]:
    """The mappings in ``ipcore/data/mappings`` (used to recognise a file by its header)."""
    folder = resources.files(MAPPINGS_PACKAGE).joinpath(*MAPPINGS_FOLDER)
    files = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".toml"))
    return [_shipped(name.removesuffix(".toml")) for name in files]


def _shipped(name: str) -> TableMapping:
    entry = resources.files(MAPPINGS_PACKAGE).joinpath(*MAPPINGS_FOLDER, f"{name}.toml")
    if not entry.is_file():
        raise MappingError(name, "no such shipped mapping")
    return parse_mapping(entry.read_text(encoding="utf-8"), source=f"{name}.toml")


_TOP_KEYS: Final = frozenset(
    {
        "name",
        "description",
        "signature",
        "separator",
        "date_formats",
        "delimiter",
        "sheet",
        "ignore",
        "office",
        "columns",
        "document_type",
    }
)
_COLUMN_KEYS: Final = frozenset({"column", "optional", "language", "parse", "split", "main"})


def parse_mapping(text: str, *, source: str) -> TableMapping:
    """Read and check one mapping's TOML text; `MappingError` names the file and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(source, f"not valid TOML: {error}") from error
    _no_unknown_keys(source, "", data, _TOP_KEYS)
    separator = _string(source, "separator", data.get("separator", ";"))
    columns = tuple(
        _column(source, name, value, separator)
        for name, value in _table(source, "columns", data.get("columns", {})).items()
    )
    mapping = TableMapping(
        name=_string(source, "name", data.get("name")),
        description=_string(source, "description", data.get("description", "")),
        signature=_strings(source, "signature", data.get("signature")),
        columns=columns,
        office=_office(source, _table(source, "office", data.get("office", {}))),
        document_type=_types(
            source, _table(source, "document_type", data.get("document_type", {}))
        ),
        ignore=frozenset(
            header_key(name) for name in _strings(source, "ignore", data.get("ignore", []))
        ),
        date_formats=_strings(source, "date_formats", data.get("date_formats", [])),
        delimiter=_optional_string(source, "delimiter", data.get("delimiter")),
        sheet=_optional_string(source, "sheet", data.get("sheet")),
        source=source,
    )
    _check(mapping)
    return mapping


def _column(source: str, name: str, value: Any, separator: str) -> ColumnSpec:
    kind = FIELD_KINDS.get(name)
    if kind is None:
        allowed = ", ".join(sorted(FIELD_KINDS))
        raise MappingError(source, f"columns.{name}: unknown field (one of {allowed})")
    options = (
        {"column": value} if isinstance(value, str) else _table(source, f"columns.{name}", value)
    )
    _no_unknown_keys(source, f"columns.{name}.", options, _COLUMN_KEYS)
    key = f"columns.{name}"
    split = options.get("split", separator)
    return ColumnSpec(
        field=name,
        column=_string(source, f"{key}.column", options.get("column")),
        kind=kind,
        optional=_bool(source, f"{key}.optional", options.get("optional", False)),
        language=_language(source, key, kind, options.get("language")),
        parse=_choice(source, f"{key}.parse", NumberParser, options.get("parse", "auto")),
        separators=_separators(source, f"{key}.split", split) if kind in LIST_KINDS else (),
        main=_choice(source, f"{key}.main", MainCode, options.get("main", "none")),
    )


def _office(source: str, data: dict[str, Any]) -> OfficeRule:
    _no_unknown_keys(source, "office.", data, {"column", "optional", "from_number", "default"})
    default = _optional_string(source, "office.default", data.get("default"))
    return OfficeRule(
        column=_optional_string(source, "office.column", data.get("column")),
        optional=_bool(source, "office.optional", data.get("optional", False)),
        from_number=_bool(source, "office.from_number", data.get("from_number", False)),
        default=default.upper() if default else None,
    )


def _types(source: str, data: dict[str, Any]) -> TypeRule:
    allowed = {"column", "optional", "values", "granted", "cn_from_number", "default"}
    _no_unknown_keys(source, "document_type.", data, allowed)
    values = _table(source, "document_type.values", data.get("values", {}))
    return TypeRule(
        column=_optional_string(source, "document_type.column", data.get("column")),
        optional=_bool(source, "document_type.optional", data.get("optional", False)),
        values={
            header_key(value): _choice(source, f"document_type.values.{value}", DocumentType, kind)
            for value, kind in values.items()
        },
        granted=frozenset(
            header_key(value)
            for value in _strings(source, "document_type.granted", data.get("granted", []))
        ),
        cn_from_number=_bool(
            source, "document_type.cn_from_number", data.get("cn_from_number", False)
        ),
        default=_choice(
            source, "document_type.default", DocumentType, data.get("default", "unknown")
        ),
    )


def _check(mapping: TableMapping) -> None:
    """Rules that span keys: a record needs a number, an office and known columns."""
    source = mapping.source
    if not mapping.signature:
        raise MappingError(source, "signature: list at least one column that identifies the layout")
    numbers = [mapping.spec("publication_number"), mapping.spec("application_number")]
    if not any(numbers):
        raise MappingError(source, "columns: map publication_number or application_number")
    _check_parsers(mapping)
    office = mapping.office
    if not (office.column or office.from_number or office.default):
        raise MappingError(source, "office: give a column, from_number = true, or a default")
    mapped = {header_key(column) for column, _ in mapping.mapped_columns()}
    missing = [
        name for name in mapping.signature if header_key(name) not in mapped | mapping.ignore
    ]
    if missing:
        raise MappingError(source, f"signature columns neither mapped nor ignored: {missing}")


_PARSERS: Final = {
    "publication_number": {NumberParser.AUTO, NumberParser.DOCDB, NumberParser.CN_PUBLICATION},
    "application_number": {
        NumberParser.AUTO,
        NumberParser.DOCDB,
        NumberParser.CN_APPLICATION,
        NumberParser.PCT,
    },
}


def _check_parsers(mapping: TableMapping) -> None:
    for field_name, allowed in _PARSERS.items():
        spec = mapping.spec(field_name)
        if spec is not None and spec.parse not in allowed:
            names = ", ".join(sorted(parser.value for parser in allowed))
            raise MappingError(
                mapping.source,
                f"columns.{field_name}.parse: {spec.parse.value!r} is not one of {names}",
            )


# --- small validators ----------------------------------------------------------------------


def _no_unknown_keys(
    source: str, prefix: str, data: Mapping[str, Any], allowed: Iterable[str]
) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise MappingError(source, f"unknown key {prefix}{unknown[0]} (allowed: {sorted(allowed)})")


def _table(source: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MappingError(source, f"{key}: expected a table")
    return value


def _string(source: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise MappingError(source, f"{key}: expected a string")
    return value


def _optional_string(source: str, key: str, value: Any) -> str | None:
    return None if value is None else _string(source, key, value)


def _strings(source: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise MappingError(source, f"{key}: expected a list of strings")
    return tuple(value)


def _bool(source: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise MappingError(source, f"{key}: expected true or false")
    return value


def _separators(source: str, key: str, value: Any) -> tuple[str, ...]:
    separators = (value,) if isinstance(value, str) else _strings(source, key, value)
    if not separators or not all(separators):
        raise MappingError(source, f"{key}: separators must not be empty")
    # Longest first, so ";;" wins over ";" when a mapping lists both.
    return tuple(sorted(separators, key=len, reverse=True))


def _language(source: str, key: str, kind: FieldKind, value: Any) -> str | None:
    if kind is not FieldKind.TEXT:
        return None
    language = _optional_string(source, f"{key}.language", value)
    if not language:
        raise MappingError(source, f"{key}.language: say which language the text is in (zh, en …)")
    return language


def _choice(source: str, key: str, enum: type[E], value: Any) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise MappingError(source, f"{key}: {value!r} is not one of {allowed}") from None

"""Generic CSV/TSV/XLSX reader (表格导入) driven by a column mapping.

Users mostly hold exports from incoPat, PatSnap, Lens or CNIPA's search system: tables whose
columns differ by tool and by the options ticked at export. A mapping (a small TOML file,
see ``ipcore/data/mappings/README.md``) says which column holds which record field; this
module turns each row into a `PatentRecord`, or a `RecordError` naming the row and column.

The layers: ``_table_files`` opens the file (encoding, gzip, delimiter, XLSX),
``_table_header`` finds the header (merged cells included), ``_table_mapping`` loads and
checks mappings, and this module reads the cells.

Rules for bad input:

* missing required columns → `FileFormatError` naming them (nothing is read);
* columns neither mapped nor ignored → listed once, as a ``file:`` warning on the first record;
* an unreadable value (impossible date, unparsable number, non-integer claims count, an
  unreadable CSV row) → a `RecordError` naming the row and column; the file goes on;
* a wrong CN check digit, an unreadable code in a list cell (one classification, one
  priority), a number kept as written, an unknown type value → a warning on the record;
* duplicated rows pass through unchanged: the loader decides what a duplicate means.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from itertools import chain, islice
from pathlib import Path
from typing import Final

from ipcore.classification import normalise_classification, parse_subclass
from ipcore.formats._table_files import Row, Table, is_xlsx, open_table
from ipcore.formats._table_header import HEADER_SEARCH_ROWS, Header, find_header, first_header
from ipcore.formats._table_mapping import (
    ColumnSpec,
    MainCode,
    MappingError,
    NumberParser,
    TableMapping,
    header_key,
    load_mapping,
    shipped_mappings,
)
from ipcore.formats.base import FileFormatError, ReadResult, parse_date
from ipcore.identifiers.cn import PatentType, parse_cn_application, parse_cn_publication
from ipcore.identifiers.docdb import parse_doc_number, parse_pct_application
from ipcore.identifiers.errors import IdentifierError, IdentifierWarning
from ipcore.patents.record import (
    Citation,
    Classification,
    DocumentType,
    Party,
    PartyRole,
    PatentRecord,
    Priority,
    Publication,
    RecordError,
    RecordLocation,
    Scheme,
    Text,
    TextField,
)

NAME: Final = "table"
DESCRIPTION: Final = (
    "CSV/TSV/XLSX export read through a column mapping (Lens, cn-titles, incoPat …)"
)

MappingSpec = str | Path | TableMapping

_log = logging.getLogger(__name__)

# A document number the identifier rules do not know but that has the shape of one:
# office, letters and digits with at least one digit, optional kind ("TW M415289 U",
# "IN 1442CH2015 A", "AU PO505497 D0"). Kept as written, with a warning, rather than
# rejecting a real record; anything else is a RecordError.
_WRITTEN_NUMBER: Final = re.compile(
    r"(?P<country>[A-Z]{2})\s*(?P<body>(?=[A-Z0-9]*\d)[A-Z0-9]{3,20})(?:\s+(?P<kind>[A-Z]\d?))?"
)
_PRIORITY: Final = re.compile(r"(?P<number>.+?)(?:\s+(?P<date>\d{8}))?")
_PCT_KIND: Final = re.compile(r".*\sW")
_TEXT_FIELDS: Final = {
    "title": TextField.TITLE,
    "abstract": TextField.ABSTRACT,
    "claims": TextField.CLAIMS,
}
_PARTY_FIELDS: Final = {
    "applicants": PartyRole.APPLICANT,
    "owners": PartyRole.OWNER,
    "inventors": PartyRole.INVENTOR,
}


@dataclass(frozen=True)
class TableLayout:
    """What the reader made of a file before reading any record (also for ``describe``)."""

    path: str
    mapping: TableMapping
    header: Header
    kind: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    unknown_columns: tuple[str, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """File-level remarks, attached once to the first record."""
        notes: list[str] = []
        if self.encoding and self.encoding != "utf-8-sig":
            notes.append(f"file: decoded as {self.encoding.upper()} (not UTF-8)")
        if len(self.header.rows) > 1:
            notes.append(f"file: two-row header (merged cells) in rows {self.header.rows}")
        if self.unknown_columns:
            columns = ", ".join(self.unknown_columns)
            notes.append(f"file: columns not in mapping {self.mapping.name!r}, ignored: {columns}")
        return tuple(notes)


# --- the reader contract -------------------------------------------------------------------


def sniff(path: Path, head: bytes) -> bool:
    """CSV/TSV (plain or gzipped) by name, XLSX by name or zip magic."""
    name = path.name.lower().removesuffix(".gz")
    return name.endswith((".csv", ".tsv")) or is_xlsx(path, head)


def read(path: Path, mapping: MappingSpec | None = None) -> Iterator[ReadResult]:
    """Stream records from a table; the mapping is recognised from the header when omitted."""
    chosen = _mapping(path, mapping)
    with _open(path, chosen) as table:
        top = list(islice(table.rows, HEADER_SEARCH_ROWS))
        layout = _layout(path, table, top, chosen)
        notes = layout.notes
        for note in notes:
            _log.info("%s: %s", path, note)
        for row in chain(top[layout.header.data_from :], table.rows):
            if row.is_empty:
                continue
            result = _row_result(layout, row)
            if notes and isinstance(result, PatentRecord):
                result = replace(result, warnings=(*notes, *result.warnings))
                notes = ()
            yield result


def describe(path: Path, mapping: MappingSpec | None = None) -> TableLayout:
    """How ``read`` would see the file: mapping, encoding, header, unknown columns."""
    chosen = _mapping(path, mapping)
    with _open(path, chosen) as table:
        top = list(islice(table.rows, HEADER_SEARCH_ROWS))
        return _layout(path, table, top, chosen)


class MappedTableReader:
    """A `FormatReader` for one mapping: ``ipops ingest --format lens`` reads with ``lens``.

    ``mapping`` may also be a user's TOML file (``--format table --mapping mine.toml``).
    """

    def __init__(self, name: str, mapping: MappingSpec) -> None:
        self.NAME = name
        self.mapping = load_mapping(mapping)
        self.DESCRIPTION = f"{self.mapping.description} (table, mapping {self.mapping.name!r})"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A table whose header holds this mapping's signature columns."""
        if not sniff(path, head):
            return False
        try:
            with _open(path, self.mapping) as table:
                top = list(islice(table.rows, HEADER_SEARCH_ROWS))
                return find_header(top, [self.mapping], table.merged_ranges) is not None
        except FileFormatError:
            return False

    def read(self, path: Path) -> Iterator[ReadResult]:
        return read(path, self.mapping)


def reader_with_mapping(name: str, mapping: MappingSpec) -> MappedTableReader:
    return MappedTableReader(name, mapping)


# --- layout --------------------------------------------------------------------------------


def _mapping(path: Path, mapping: MappingSpec | None) -> TableMapping | None:
    """The mapping asked for; a broken mapping fails the import like a broken file would."""
    if mapping is None:
        return None
    try:
        return load_mapping(mapping)
    except MappingError as error:
        raise FileFormatError(path, str(error)) from error


def _open(path: Path, mapping: TableMapping | None) -> AbstractContextManager[Table]:
    return open_table(
        path,
        delimiter=mapping.delimiter if mapping else None,
        sheet=mapping.sheet if mapping else None,
    )


def _layout(path: Path, table: Table, top: list[Row], mapping: TableMapping | None) -> TableLayout:
    candidates = [mapping] if mapping else shipped_mappings()
    found = find_header(top, candidates, table.merged_ranges)
    if found is None and mapping is None:
        raise FileFormatError(path, _no_mapping_message(candidates))
    chosen, header = found or (mapping, first_header(top, table.merged_ranges))
    assert chosen is not None  # found is None only with an explicit mapping
    missing = [
        column
        for column, optional in chosen.mapped_columns()
        if not optional and not header.has(column)
    ]
    if missing:
        raise FileFormatError(
            path, f"missing required columns for mapping {chosen.name!r}: {', '.join(missing)}"
        )
    return TableLayout(
        path=str(path),
        mapping=chosen,
        header=header,
        kind=table.kind,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        unknown_columns=_unknown_columns(chosen, header),
    )


def _unknown_columns(mapping: TableMapping, header: Header) -> tuple[str, ...]:
    known = {header_key(column) for column, _ in mapping.mapped_columns()} | mapping.ignore
    unknown: list[str] = []
    for name in header.names:
        if name is None or name in unknown:
            continue
        parent = name.split("/", 1)[0]
        if header_key(name) not in known and header_key(parent) not in known:
            unknown.append(name)
    return tuple(unknown)


def _no_mapping_message(candidates: Sequence[TableMapping]) -> str:
    layouts = "; ".join(f"{m.name}: {', '.join(m.signature)}" for m in candidates)
    return f"header matches no known mapping ({layouts}); name one with --mapping"


# --- one row -------------------------------------------------------------------------------


def _row_result(layout: TableLayout, row: Row) -> ReadResult:
    location = RecordLocation(layout.path, f"row {row.number}")
    if row.error is not None:
        return RecordError("(row)", row.error, location=location)
    try:
        return _RowReader(layout, row, location).record()
    except RecordError as error:
        return error


class _RowReader:
    """Reads one data row through the layout; every failure names its column."""

    def __init__(self, layout: TableLayout, row: Row, location: RecordLocation) -> None:
        self.layout = layout
        self.mapping = layout.mapping
        self.row = row
        self.location = location
        self.warnings: list[str] = []

    def record(self) -> PatentRecord:
        office = self._office()
        publication, publication_type = self._publication(office)
        application_number, application_type = self._application(office)
        if publication is None and application_number is None:
            column = self._number_column()
            raise RecordError(
                column, "neither a publication nor an application number", location=self.location
            )
        document_type, granted = self._document_type(office, publication_type or application_type)
        grant_date = self.date("grant_date")
        if grant_date is None and granted and publication is not None:
            grant_date = publication.date
        return PatentRecord(
            office=office,
            document_type=document_type,
            application_number=application_number,
            application_date=self.date("application_date"),
            publications=(publication,) if publication else (),
            grant_date=grant_date,
            texts=self._texts(),
            claims_count=self._whole_number("claims_count", minimum=0),
            classifications=(
                *self._classifications(Scheme.IPC),
                *self._classifications(Scheme.CPC),
            ),
            parties=tuple(party for field in _PARTY_FIELDS for party in self._parties(field)),
            priorities=self._priorities(),
            citations=self._citations(),
            family_id=self.value("family_id"),
            family_size=self._whole_number("family_size", minimum=1),
            location=self.location,
            warnings=tuple(self.warnings),
        )

    # --- cells ---

    def cells(self, column: str) -> list[str]:
        positions = self.layout.header.positions(column)
        cells = self.row.cells
        return [
            cell for position in positions if position < len(cells) and (cell := cells[position])
        ]

    def value(self, field: str) -> str | None:
        spec = self.mapping.spec(field)
        if spec is None:
            return None
        found = self.cells(spec.column)
        return found[0] if found else None

    def values(self, field: str) -> tuple[ColumnSpec, list[str]] | None:
        spec = self.mapping.spec(field)
        if spec is None:
            return None
        return spec, [
            part for cell in self.cells(spec.column) for part in _split(cell, spec.separators)
        ]

    def fail(self, column: str, reason: str) -> RecordError:
        return RecordError(column, reason, location=self.location)

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(f"{column}: {message}")

    def date(self, field: str) -> dt.date | None:
        spec = self.mapping.spec(field)
        text = self.value(field)
        if spec is None or text is None:
            return None
        try:
            return _date(text, self.mapping.date_formats)
        except ValueError as error:
            raise self.fail(spec.column, str(error)) from error

    # --- numbers ---

    def _office(self) -> str:
        rule = self.mapping.office
        office = (
            self.cells(rule.column)[0].upper() if rule.column and self.cells(rule.column) else None
        )
        if office is None and rule.from_number:
            number = self.value("publication_number") or self.value("application_number") or ""
            prefix = _fold(number)[:2]
            office = prefix if prefix.isalpha() and prefix != "ZL" else None
        office = office or rule.default
        if office is None or not re.fullmatch(r"[A-Z]{2}", office):
            column = rule.column or self._number_column()
            raise self.fail(column, f"no two-letter office code (got {office!r})")
        return office

    def _number_column(self) -> str:
        spec = self.mapping.spec("publication_number") or self.mapping.spec("application_number")
        assert spec is not None  # the mapping check requires one of them
        return spec.column

    def _publication(self, office: str) -> tuple[Publication | None, PatentType | None]:
        spec = self.mapping.spec("publication_number")
        text = self.value("publication_number")
        if spec is None or text is None:
            return None, None
        try:
            number, kind, patent_type = _publication_number(_with_office(text, office), spec.parse)
        except IdentifierError as error:
            number, kind = self._written(spec.column, text, error)
            patent_type = None
        kind = self.value("kind") or kind
        return Publication(number, kind, self.date("publication_date")), patent_type

    def _application(self, office: str) -> tuple[str | None, PatentType | None]:
        spec = self.mapping.spec("application_number")
        text = self.value("application_number")
        if spec is None or text is None:
            return None, None
        try:
            number, patent_type, warnings = _application_number(text, office, spec.parse)
        except IdentifierError as error:
            return self._written(spec.column, text, error)[0].removeprefix(office), None
        for warning in warnings:
            self.warn(spec.column, f"{warning.message_en} ({warning.message_zh})")
        return number, patent_type

    def _written(self, column: str, text: str, error: IdentifierError) -> tuple[str, str | None]:
        """A number in an unknown national style, kept as written (see `_WRITTEN_NUMBER`)."""
        match = _WRITTEN_NUMBER.fullmatch(_fold(text))
        if match is None:
            raise self.fail(column, f"{error.message_en} ({error.message_zh})") from error
        self.warn(column, f"kept as written, not normalised: {error.message_en}")
        return f"{match['country']}{match['body']}", match["kind"]

    # --- type ---

    def _document_type(
        self, office: str, number_type: PatentType | None
    ) -> tuple[DocumentType, bool]:
        rule = self.mapping.document_type
        chosen, granted = rule.default, False
        value = self.cells(rule.column)[0] if rule.column and self.cells(rule.column) else None
        if value is not None and rule.column is not None:
            key = header_key(value)
            granted = key in rule.granted
            chosen = rule.values.get(key, DocumentType.UNKNOWN)
            if key not in rule.values:
                self.warn(
                    rule.column, f"{value!r} is not in mapping {self.mapping.name!r}; type unknown"
                )
        if rule.cn_from_number and office == "CN" and number_type is not None:
            chosen = DocumentType(number_type.value)  # the number's type digit is authoritative
        return chosen, granted

    # --- texts, counts, lists ---

    def _texts(self) -> tuple[Text, ...]:
        texts: list[Text] = []
        for field, text_field in _TEXT_FIELDS.items():
            spec, text = self.mapping.spec(field), self.value(field)
            if spec is not None and spec.language and text:
                texts.append(Text(text_field, spec.language, text))
        return tuple(texts)

    def _whole_number(self, field: str, *, minimum: int) -> int | None:
        """A count cell (claims, family members): blank is unknown; anything but a whole
        number of at least ``minimum`` rejects the record, naming the column."""
        text = self.value(field)
        if text is None:
            return None
        spec = self.mapping.spec(field)
        assert spec is not None
        try:
            number = int(text)
        except ValueError:
            raise self.fail(spec.column, f"not a whole number: {text!r}") from None
        if number < minimum:
            raise self.fail(spec.column, f"must be at least {minimum}: {text!r}")
        return number

    def _parties(self, field: str) -> tuple[Party, ...]:
        found = self.values(field)
        if found is None:
            return ()
        role = _PARTY_FIELDS[field]
        return tuple(Party(role, number, name) for number, name in enumerate(found[1], start=1))

    def _classifications(self, scheme: Scheme) -> tuple[Classification, ...]:
        found = self.values(scheme.value)
        main = self._main_code(scheme)
        codes: list[str] = [main] if main else []
        if found is not None:
            spec, cells = found
            for cell in cells:
                code = self._code(spec.column, cell)
                if code and code not in codes:
                    codes.append(code)
        main_first = main is not None or (found is not None and found[0].main is MainCode.FIRST)
        return tuple(
            Classification(scheme, code, number, is_main=main_first and number == 1)
            for number, code in enumerate(codes, start=1)
        )

    def _main_code(self, scheme: Scheme) -> str | None:
        field = f"{scheme.value}_main"
        spec, text = self.mapping.spec(field), self.value(field)
        if spec is None or text is None:
            return None
        return self._code(spec.column, text)

    def _code(self, column: str, text: str) -> str | None:
        """One IPC/CPC code normalised; a subclass alone (小类 ``A01M``) is kept as such."""
        try:
            return normalise_classification(text)
        except IdentifierError as error:
            try:
                return parse_subclass(text)
            except IdentifierError:
                self.warn(column, f"skipped: {error.message_en}")
                return None

    def _priorities(self) -> tuple[Priority, ...]:
        found = self.values("priorities")
        if found is None:
            return ()
        spec, cells = found
        priorities: list[Priority] = []
        for cell in cells:
            try:
                priorities.append(_priority(cell))
            except (IdentifierError, ValueError) as error:
                reason = error.message_en if isinstance(error, IdentifierError) else str(error)
                self.warn(spec.column, f"priority {cell!r} skipped: {reason}")
        return tuple(priorities)

    def _citations(self) -> tuple[Citation, ...]:
        citations: list[Citation] = []
        patents = self.values("cited_patents")
        for cell in patents[1] if patents else ():
            try:
                number = parse_doc_number(cell)
            except IdentifierError as error:
                assert patents is not None
                self.warn(patents[0].column, f"citation {cell!r} skipped: {error.message_en}")
                continue
            citations.append(Citation(len(citations) + 1, number=number.epodoc, kind=number.kind))
        literature = self.values("cited_npl")
        for cell in literature[1] if literature else ():
            citations.append(Citation(len(citations) + 1, text=cell))
        return tuple(citations)


# --- pure helpers --------------------------------------------------------------------------


def _publication_number(
    text: str, parser: NumberParser
) -> tuple[str, str | None, PatentType | None]:
    """公开（公告）号 → (DOCDB number without kind, kind, CN patent type)."""
    if parser is NumberParser.CN_PUBLICATION or (
        parser is NumberParser.AUTO and _fold(text).startswith("CN")
    ):
        cn = parse_cn_publication(text)
        return f"CN{cn.number}", cn.kind, cn.patent_type
    number = parse_doc_number(text)
    return number.epodoc, number.kind, None


def _application_number(
    text: str, office: str, parser: NumberParser
) -> tuple[str, PatentType | None, tuple[IdentifierWarning, ...]]:
    """申请号 → (number as the record key holds it, CN patent type, warnings).

    CN numbers keep their check digit (``201810390462.7``), PCT numbers their PCT form
    (``PCT/US1999/012817``), others the DOCDB number without office and kind.
    """
    folded = _fold(text)
    if parser is NumberParser.AUTO:
        parser = _auto_application_parser(folded, office)
    if parser is NumberParser.PCT:
        return parse_pct_application(folded).normalised, None, ()
    if parser is NumberParser.CN_APPLICATION:
        cn = parse_cn_application(folded)
        return cn.normalised, cn.patent_type, cn.warnings
    return parse_doc_number(_with_office(folded, office)).number, None, ()


def _auto_application_parser(folded: str, office: str) -> NumberParser:
    if folded.startswith("PCT") or office == "WO" or _PCT_KIND.fullmatch(folded):
        return NumberParser.PCT
    has_country = folded[:2].isalpha() and folded[:2] != "ZL"
    country = folded[:2] if has_country else office
    return NumberParser.CN_APPLICATION if country == "CN" else NumberParser.DOCDB


def _priority(text: str) -> Priority:
    """``FR 1051751 A 20100311`` (Lens) → office FR, number, date; a PCT one → office WO."""
    match = _PRIORITY.fullmatch(_fold(text))
    if match is None:  # pragma: no cover - the pattern matches any non-empty text
        raise ValueError(f"not a priority: {text!r}")
    number_text = match["number"]
    country = number_text[:2]
    if not country.isalpha():
        raise ValueError(f"no office code in {text!r}")
    number, _, _ = _application_number(number_text, country, NumberParser.AUTO)
    office = "WO" if number.startswith("PCT/") else country
    return Priority(office, number, parse_date(match["date"]))


def _date(text: str, formats: Sequence[str]) -> dt.date | None:
    """ISO and compact dates always; the mapping's strptime formats (``%Y年%m月%d日``) too."""
    try:
        return parse_date(text)
    except ValueError as error:
        for date_format in formats:
            try:
                return dt.datetime.strptime(text.strip(), date_format).date()  # noqa: DTZ007 - a date, no time
            except ValueError:
                continue
        raise error


def _split(cell: str, separators: Sequence[str]) -> list[str]:
    parts = [cell]
    for separator in separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    return [part.strip() for part in parts if part.strip()]


def _with_office(text: str, office: str) -> str:
    """Numbers exported without their office (``114081026A``) get the record's office."""
    folded = _fold(text)
    return folded if folded[:2].isalpha() else f"{office}{folded}"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper().strip()

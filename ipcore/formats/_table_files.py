"""Opening a table file as rows of cells: CSV/TSV (plain or gzipped) or XLSX.

What real exports throw at a reader, and what happens here:

* **Encoding** — UTF-8 with or without BOM, or GBK/GB18030 (CNIPA and older Chinese tools).
  The whole file is first decoded as strict UTF-8 (BOM dropped); if that fails anywhere, as
  GB18030, a superset of GBK and GB2312; if that fails too, the file is refused. This is one
  streaming pass in constant memory; deciding from the first bytes alone would misread a
  file whose first Chinese character comes late.
* **Line endings** — LF, CRLF and bare CR (old Mac exports) all end a row.
* **Compression** — ``.gz`` (by magic bytes); a truncated or corrupt archive is refused by the
  encoding pass, before any record is read, so nothing is half-imported.
* **Delimiter** — comma, tab or semicolon: the mapping's, else ``.tsv`` means tab, else the one
  most frequent in the header line.
* **XLSX** — openpyxl in read-only mode (streaming, constant memory). Merged cells are not
  visible in read-only mode, so their ranges are read from the sheet XML itself (streaming,
  entities off) when the header needs them. Legacy ``.xls`` is refused with a hint.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Protocol

from ipcore.formats.base import FileFormatError

GZIP_MAGIC: Final = b"\x1f\x8b"
ZIP_MAGIC: Final = b"PK\x03\x04"
OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc …)
CHUNK_BYTES: Final = 1 << 20
DELIMITERS: Final = (",", "\t", ";")
UTF8: Final = "utf-8-sig"
GB18030: Final = "gb18030"

_SHEET_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Row:
    """One row as read: 1-based number as a spreadsheet shows it, and its cells.

    ``error`` is set (and ``cells`` empty) when the CSV parser could not read the row.
    """

    number: int
    cells: tuple[str | None, ...]
    error: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.error is None and not any(self.cells)


@dataclass(frozen=True)
class CellRange:
    """A merged range, 1-based and inclusive (``A1:C1`` → rows 1-1, columns 1-3)."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass
class Table:
    """An open table: its rows (an iterator, read once) and how it was decoded."""

    kind: str  # "csv" or "xlsx"
    rows: Iterator[Row]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    merged_ranges: Callable[[], list[CellRange]] = list


def is_xlsx(path: Path, head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) or path.suffix.lower() in {".xlsx", ".xlsm"}


@contextmanager
def open_table(
    path: Path, *, delimiter: str | None = None, sheet: str | None = None
) -> Iterator[Table]:
    """Open ``path`` as a `Table`; `FileFormatError` when it is no table at all."""
    head = _head(path)
    if head.startswith(OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise FileFormatError(path, "legacy .xls is not supported; save it as .xlsx or CSV")
    if is_xlsx(path, head):
        with _open_xlsx(path, sheet) as table:
            yield table
        return
    encoding = detect_encoding(path)
    with _text(path, encoding) as text:
        chosen = delimiter or _guess_delimiter(path, text)
        yield Table("csv", _csv_rows(path, text, chosen), encoding=encoding, delimiter=chosen)


# --- CSV -----------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file is strict UTF-8, else ``gb18030``; else refuse."""
    for encoding in (UTF8, GB18030):
        if _decodes(path, encoding):
            return encoding
    raise FileFormatError(path, "text is neither UTF-8 nor GB18030/GBK")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with _binary(path) as stream:
        try:
            while chunk := _read(path, stream):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@contextmanager
def _binary(path: Path) -> Iterator[_Readable]:
    try:
        handle = path.open("rb")
    except OSError as error:
        raise FileFormatError(path, f"cannot be opened: {error}") from error
    with handle:
        if handle.read(2) == GZIP_MAGIC:
            handle.seek(0)
            with gzip.GzipFile(fileobj=handle) as unzipped:
                yield unzipped
        else:
            handle.seek(0)
            yield handle


def _read(path: Path, stream: _Readable, size: int = CHUNK_BYTES) -> bytes:
    try:
        return stream.read(size)
    except (EOFError, OSError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise FileFormatError(path, f"truncated or corrupt compressed file: {error}") from error


@contextmanager
def _text(path: Path, encoding: str) -> Iterator[io.TextIOWrapper]:
    with _binary(path) as stream:
        # newline="" hands "\r", "\n" and "\r\n" to the csv module untouched; it ends a row
        # on any of them, bare CR included, and keeps line breaks inside quoted cells.
        buffered = io.BufferedReader(_Checked(path, stream), buffer_size=CHUNK_BYTES)
        yield io.TextIOWrapper(buffered, encoding=encoding, newline="")


class _Checked(io.RawIOBase):
    """Turns decompression errors met mid-read into `FileFormatError` naming the file."""

    def __init__(self, path: Path, stream: _Readable) -> None:
        self._path = path
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = _read(self._path, self._stream, len(buffer)) if len(buffer) else b""
        buffer[: len(data)] = data
        return len(data)


def _guess_delimiter(path: Path, text: io.TextIOWrapper) -> str:
    if path.name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    line = _first_line(text)
    return max(DELIMITERS, key=line.count) if any(d in line for d in DELIMITERS) else ","


def _first_line(text: io.TextIOWrapper) -> str:
    """The header line, read through the stream's buffer without consuming it."""
    buffered = text.buffer
    peeked = buffered.peek(1 << 16) if isinstance(buffered, io.BufferedReader) else b""
    sample = peeked.decode(text.encoding, "replace") if peeked else ""
    for ending in ("\r\n", "\n", "\r"):
        sample = sample.split(ending, 1)[0]
    return sample


def _csv_rows(path: Path, text: IO[str], delimiter: str) -> Iterator[Row]:
    reader = csv.reader(text, delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Row(number, (), error=f"unreadable CSV row: {error}")
            continue
        yield Row(number, tuple(cell.strip() or None for cell in cells))


# --- XLSX ----------------------------------------------------------------------------------


@contextmanager
def _open_xlsx(path: Path, sheet: str | None) -> Iterator[Table]:
    import openpyxl  # imported here: CSV-only users never pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileFormatError(path, f"not a readable XLSX workbook: {error}") from error
    try:
        worksheet = _worksheet(path, workbook, sheet)
        worksheet.reset_dimensions()  # read-only trusts the file's <dimension>; some lie
        title = str(worksheet.title)
        index = list(workbook.sheetnames).index(title)
        rows = (
            Row(number, tuple(_cell_text(value) for value in values))
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        )
        yield Table("xlsx", rows, sheet=title, merged_ranges=lambda: merged_ranges(path, index))
    finally:
        workbook.close()


def _worksheet(path: Path, workbook: Any, sheet: str | None) -> Any:
    if sheet is None:
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        raise FileFormatError(path, f"no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}")
    return workbook[sheet]


def _cell_text(value: object) -> str | None:
    """A cell as text: dates as ISO, whole floats without ``.0`` (Excel stores numbers so)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def merged_ranges(path: Path, sheet_index: int) -> list[CellRange]:
    """The merged ranges of one sheet, streamed from its XML (rows are discarded as read)."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    ranges: list[CellRange] = []
    with zipfile.ZipFile(path) as archive, archive.open(_sheet_part(archive, sheet_index)) as xml:
        tags = (f"{{{_SHEET_NS}}}row", f"{{{_SHEET_NS}}}mergeCell")
        events = etree.iterparse(
            xml, events=("end",), tag=tags, resolve_entities=False, no_network=True
        )
        for _, element in events:
            if element.tag.endswith("mergeCell"):
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                ranges.append(CellRange(min_row, min_col, max_row, max_col))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return ranges


def _sheet_part(archive: zipfile.ZipFile, sheet_index: int) -> str:
    """The zip member of the n-th sheet, through the workbook's relationships."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), parser)
    sheets = workbook.findall(f"{{{_SHEET_NS}}}sheets/{{{_SHEET_NS}}}sheet")
    relation = sheets[sheet_index].get(f"{{{_REL_NS}}}id")
    relations = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser)
    for entry in relations.findall(f"{{{_PKG_REL_NS}}}Relationship"):
        if entry.get("Id") == relation:
            target = str(entry.get("Target", ""))
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(f"sheet {sheet_index} has no part in xl/_rels/workbook.xml.rels")


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError as error:
        raise FileFormatError(path, f"cannot be opened: {error}") from error

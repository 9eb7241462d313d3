"""安全解析 XML — the only way ipcore parses XML.

Patent XML arrives from outside (bulk downloads, files users bring), so it is parsed as
untrusted input:

* lxml with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``:
  no entity is expanded, no DTD or external file is fetched, and libxml2's limits on depth
  and text-node size stay on.
* A DOCTYPE whose internal subset declares entities (``<!ENTITY``) is refused *before* the
  parser sees it — billion laughs and ``SYSTEM "file:///etc/passwd"`` end in a clear error
  naming the file, never in expansion or a read. An empty internal subset (``[ ]``, as in
  every USPTO file) and an external DTD reference that is never loaded are fine.
* One document larger than ``MAX_XML_BYTES`` is refused unparsed. Streamed files
  (:func:`iter_elements`) are bounded in memory by construction instead: each element is
  freed once the reader has seen it.
* Malformed or truncated XML raises with its line and column.

Named entities. USPTO, EPO and DOCDB XML use HTML/ISO 8879 entity names (``&lsquo;``,
``&ndash;``) and the DOCDB ``docdb-entities.dtd`` adds its own (``&SACUTE;``), all declared
in DTDs we never load. A pre-pass rewrites every name we know — HTML5's table, which holds
the ISO 8879 sets, plus the DOCDB additions below — into a numeric character reference, so
the text survives intact. A name we do not know is not guessed: the document (or, in a
stream, the element) is reported unreadable, naming the entity. Two costs, accepted: a
``&name;`` written literally inside a CDATA section is rewritten too, and a column number
on a line that held a mapped entity may be off by a few characters.

The module also holds the tree helpers the three XML readers share (namespace stripping,
whitespace-normalised text, dates and classifications that fail with the field's name),
because those readers are the only users and a reader stays a list of small extractors.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import html.entities
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, TypeAlias

from lxml import etree

from ipcore.classification import parse_classification
from ipcore.formats.base import MAX_XML_BYTES, FileFormatError, parse_date
from ipcore.identifiers.errors import IdentifierError
from ipcore.patents.record import Classification, Scheme

Element: TypeAlias = etree._Element  # lxml ships no type information: this is Any

_PARSER_OPTIONS: Final = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
_CHUNK_BYTES: Final = 1 << 20
# A prolog (declaration, comments, DOCTYPE) longer than this is refused unread.
_MAX_PROLOG_BYTES: Final = 1 << 20


# --- errors ------------------------------------------------------------------------------


class XmlError(ValueError):
    """A document that cannot be parsed: why, and where (1-based line and column) if known."""

    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None):
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        if self.line is None:
            return self.reason
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{self.reason} ({where})"


class UnsafeXmlError(XmlError):
    """Entity declarations or an oversized document: refused before parsing."""


class MalformedXmlError(XmlError):
    """Not well-formed XML: truncated, a bare ``&``, an undefined entity …"""


@dataclass(frozen=True)
class Document:
    """One parsed document of a file; ``index`` counts from 1, ``line`` is where it starts."""

    root: Element
    index: int
    line: int


@dataclass(frozen=True)
class Unreadable:
    """A document (or streamed element) that could not be parsed; the rest of the file goes on."""

    index: int
    line: int
    error: XmlError


# --- named entities ----------------------------------------------------------------------

_XML_PREDEFINED: Final = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_REFERENCE: Final = re.compile(rb"&([A-Za-z][A-Za-z0-9]{0,31});")
_LONGEST_REFERENCE: Final = 34  # "&" + 32 name characters + ";"

# Names that EPO's docdb-entities.dtd adds to the ISO 8879 sets (go-epo-bdds,
# pkg/epo_bbds/test-data/docdb-entities.dtd, "Added 2006…2016" blocks), as code points.
# Some upper-case names stand for small letters (EACUTE is é): that is what the DTD says.
# Names HTML5 also defines keep HTML5's meaning (see _entity_table).
_DOCDB_ENTITIES: Final = {
    "EACUTE": 0xE9, "OCIRC": 0xF4, "AUML": 0xE4, "thetas": 0x3B8, "PHIV": 0x3D5,
    "AELIG": 0xE6, "LE": 0x2264, "UUML": 0xFC, "IACUTE": 0xED, "EGRAVE": 0xE8,
    "AACUTE": 0xE1, "EXCL": 0x21, "OUML": 0xF6, "ATILDE": 0xE3, "NTILDE": 0xF1,
    "AGRAVE": 0xE0, "supl": 0xB9, "SUM": 0x2211, "DEG": 0xB0, "MIDDOT": 0xB7,
    "EUML": 0xEB, "ICIRC": 0xEE, "BGR": 0x392, "CACUTE": 0x106, "OSLASH": 0xD8,
    "ODBLAC": 0x151, "degree": 0xB0, "THETAS": 0x3B8, "LDQUO": 0x201C, "LSQUO": 0x2018,
    "RDQUO": 0x201D, "RSQUO": 0x2019, "MDASH": 0x2014, "ANGST": 0x212B, "phis": 0x3C6,
    "newline": 0x0A, "BULL": 0x2022, "ACIRC": 0xE2, "ZDOT": 0x17B, "SACUTE": 0x15A,
    "AOGON": 0x104, "PRIME": 0x2032, "LSTROK": 0x141, "NACUTE": 0x143, "BETA": 0x392,
    "SZLIG": 0xDF, "NDASH": 0x2013, "OMACR": 0x14C, "SCARON": 0x160, "ZCARON": 0x17D,
    "CCARON": 0x10C, "EOGON": 0x118, "circlef": 0x25CF, "CDOT": 0x10A, "ZACUTE": 0x179,
    "RADIC": 0x221A, "UACUTE": 0xDA, "litre": 0x2113, "lparstr": 0x2032, "rparstr": 0x2036,
    "EDOT": 0x116, "RACUTE": 0x154, "UMACR": 0x16A, "ABREVE": 0x102, "SCEDIL": 0x15E,
    "TCEDIL": 0x162, "ARING": 0xC5, "IUML": 0xCF, "AMACR": 0x100, "MINUS": 0x2212,
    "RARR": 0x21A0, "percent": 0x25, "OMEGA": 0x3A9, "ALPHA": 0x391, "OACUTE": 0xD3,
    "RCARON": 0x158, "UPSI": 0x3D2, "MCY": 0x41C, "APOS": 0x27, "URING": 0x16E,
    "NCARON": 0x147, "EMACR": 0x112, "UDBLAC": 0x170, "LSQB": 0x5B, "RSQB": 0x5D,
    "LAQUO": 0xAB, "RAQUO": 0xBB, "YACUTE": 0xDD, "PHI": 0x3A6, "PHGR": 0x3A6,
    "STAR": 0x22C6, "BREVE": 0x2D8, "SCY": 0x421, "IDOT": 0x130, "sl0": 0xD8,
    "OGRAVE": 0xD2, "GBREVE": 0x11E, "OCY": 0x41E, "YUCY": 0x42E, "RCY": 0x420,
    "JCY": 0x419, "AGR": 0x391, "IECY": 0x415, "NUMERO": 0x2116, "UCIRC": 0xDB,
    "STARF": 0x2605, "PCY": 0x41F, "NCY": 0x41D, "TCY": 0x422, "YACY": 0x42F,
    "LCY": 0x41B, "COPY": 0xA9, "PARA": 0xB6, "MACR": 0xAF, "REG": 0xAE, "SOL": 0x2F,
    "CIRC": 0x5E, "UOGON": 0x172, "MGR": 0x39C, "hearts": 0x2665,
}  # fmt: skip


@functools.cache
def _entity_table() -> Mapping[bytes, bytes]:
    """Entity name → numeric character reference(s), as bytes for the pre-pass."""
    table: dict[str, str] = {name: chr(code) for name, code in _DOCDB_ENTITIES.items()}
    for name, text in html.entities.html5.items():
        if name.endswith(";") and name[:-1] not in _XML_PREDEFINED:
            table[name[:-1]] = text
    return {
        name.encode("ascii"): "".join(f"&#x{ord(char):X};" for char in text).encode("ascii")
        for name, text in table.items()
    }


def map_named_entities(data: bytes) -> bytes:
    """Rewrite known HTML/ISO/DOCDB entity references as numeric references; leave the rest.

    Works on bytes in any ASCII-compatible encoding (UTF-8, Latin-1, GBK …); UTF-16 and
    UTF-32 documents are transcoded to UTF-8 before this runs.
    """
    if b"&" not in data:
        return data
    table = _entity_table()

    def replace(match: re.Match[bytes]) -> bytes:
        return table.get(match[1], match[0])

    return _ENTITY_REFERENCE.sub(replace, data)


# --- prolog: the DOCTYPE check -----------------------------------------------------------

_WHITESPACE: Final = b" \t\r\n"


def check_prolog(data: bytes) -> int:
    """Refuse entity declarations in the DOCTYPE; return where the root element starts.

    Walks the prolog (XML declaration, processing instructions, comments, DOCTYPE) without
    parsing it, so a hostile internal subset never reaches libxml2. Returns ``len(data)``
    when no root element starts within ``data`` (the parser then says what is wrong).
    """
    position = 3 if data.startswith(codecs.BOM_UTF8) else 0
    while position < len(data):
        if data[position] in _WHITESPACE:
            position += 1
        elif data.startswith(b"<?", position):
            position = _skip_past(data, position, b"?>", "processing instruction")
        elif data.startswith(b"<!--", position):
            position = _skip_past(data, position, b"-->", "comment")
        elif data.startswith(b"<!DOCTYPE", position):
            position = _skip_doctype(data, position)
        else:
            return position
    return position


def _skip_past(data: bytes, position: int, terminator: bytes, what: str) -> int:
    end = data.find(terminator, position)
    if end == -1:
        raise MalformedXmlError(f"unterminated {what}", line=_line_at(data, position))
    return end + len(terminator)


def _skip_doctype(data: bytes, start: int) -> int:
    """Skip ``<!DOCTYPE …>``; raise UnsafeXmlError at the first ``<!ENTITY`` in its subset."""
    position, quote, in_subset = start + len(b"<!DOCTYPE"), 0, False
    while position < len(data):
        byte = data[position]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in b"\"'":
            quote = byte
        elif in_subset and data.startswith(b"<!--", position):
            position = _skip_past(data, position, b"-->", "comment") - 1
        elif in_subset and data.startswith(b"<!ENTITY", position):
            raise UnsafeXmlError(
                "DOCTYPE declares entities; refused unparsed (entity expansion and "
                "external entities are never processed)",
                line=_line_at(data, position),
            )
        elif byte == ord("["):
            in_subset = True
        elif byte == ord("]"):
            in_subset = False
        elif byte == ord(">") and not in_subset:
            return position + 1
        position += 1
    raise MalformedXmlError("unterminated DOCTYPE", line=_line_at(data, start))


def _line_at(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _root_start_tag_end(data: bytes, root: int) -> int:
    """Index just past the ``>`` that closes the root's start tag (-1 if not in ``data``)."""
    quote = 0
    for position in range(root, len(data)):
        byte = data[position]
        if quote:
            quote = 0 if byte == quote else quote
        elif byte in b"\"'":
            quote = byte
        elif byte == ord(">"):
            return position + 1
    return -1


def declare_prefixes(data: bytes, root: int, prefixes: Mapping[str, str]) -> bytes:
    """Declare namespace prefixes a document uses but never declares, on its root element.

    DOCDB records cut out of an ``exch:exchange-documents`` file keep the ``exch:`` prefix
    and lose the declaration with the outer element (real files in epo-docdb do). Adding the
    declaration is a repair of a known cut, not a guess: the namespace is fixed by the format.
    """
    end = _root_start_tag_end(data, root)
    if end == -1:
        return data
    start_tag = data[root:end]
    additions = b"".join(
        f' xmlns:{prefix}="{uri}"'.encode("ascii")
        for prefix, uri in prefixes.items()
        if f"<{prefix}:".encode("ascii") in data
        and f"xmlns:{prefix}=".encode("ascii") not in start_tag
    )
    if not additions:
        return data
    close = end - 2 if start_tag.endswith(b"/>") else end - 1
    return data[:close] + additions + data[close:]


# --- parsing one document ----------------------------------------------------------------


def prepare(data: bytes, *, prefixes: Mapping[str, str] | None = None) -> bytes:
    """Everything that happens before libxml2 sees a document: encoding, DOCTYPE, entities."""
    data = _as_utf8(data)
    root = check_prolog(data)
    if prefixes:
        data = declare_prefixes(data, root, prefixes)
    return map_named_entities(data)


def parse_bytes(
    data: bytes,
    *,
    first_line: int = 1,
    max_bytes: int = MAX_XML_BYTES,
    prefixes: Mapping[str, str] | None = None,
) -> Element:
    """Parse one document safely; raise :class:`XmlError` with a position in the file.

    ``first_line`` is the line of the file where ``data`` starts, so that an error in the
    fifth document of a concatenated file points at the file's line, not the document's.
    """
    if len(data) > max_bytes:
        raise UnsafeXmlError(
            f"document is {len(data):,} bytes, over the {max_bytes:,}-byte limit; refused",
            line=first_line,
        )
    try:
        root = etree.fromstring(prepare(data, prefixes=prefixes), _parser())
    except XmlError as error:
        raise _shifted(error, first_line) from None
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, first_line) from None
    _refuse_undefined_entities(root, first_line)
    return root


def parse_file(
    path: Path,
    *,
    max_bytes: int = MAX_XML_BYTES,
    prefixes: Mapping[str, str] | None = None,
) -> Element:
    """Parse a file holding one document; anything wrong is a FileFormatError naming it."""
    size = path.stat().st_size
    if size > max_bytes:
        reason = f"XML document of {size:,} bytes is over the {max_bytes:,}-byte limit; refused"
        raise FileFormatError(path, reason)
    try:
        return parse_bytes(path.read_bytes(), max_bytes=max_bytes, prefixes=prefixes)
    except XmlError as error:
        raise FileFormatError(path, error.describe()) from None


def _parser() -> etree.XMLParser:
    # A fresh parser per document: lxml parsers keep state (error log, dictionaries).
    return etree.XMLParser(**_PARSER_OPTIONS)


def _syntax_error(error: etree.XMLSyntaxError, first_line: int) -> MalformedXmlError:
    line, column = error.position if error.position else (error.lineno, 0)
    message = str(error.msg or error).split(", line ")[0]
    return MalformedXmlError(
        f"malformed XML: {message}", line=(line or 1) + first_line - 1, column=column or None
    )


def _shifted(error: XmlError, first_line: int) -> XmlError:
    if error.line is None or first_line == 1:
        return error
    return type(error)(error.reason, line=error.line + first_line - 1, column=error.column)


def _refuse_undefined_entities(root: Element, first_line: int) -> None:
    # With an external DTD named but not loaded, libxml2 keeps an unknown &name; as an
    # entity-reference node instead of failing; treat it as the error it is.
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        raise MalformedXmlError(
            f"undefined entity {entity.text} (not an HTML, ISO 8879 or DOCDB entity name)",
            line=(entity.sourceline or 1) + first_line - 1,
        )


_UTF16_32_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_DECLARATION: Final = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def _as_utf8(data: bytes) -> bytes:
    """UTF-16/32 documents → UTF-8, so the byte-level checks above see ASCII markup."""
    for bom, codec in _UTF16_32_BOMS:
        if data.startswith(bom):
            text = data.decode(codec).encode("utf-8")
            return _ENCODING_DECLARATION.sub(rb'\1"UTF-8"', text, count=1)
    return data


# --- concatenated files (USPTO bulk) -----------------------------------------------------

_DECLARATION: Final = re.compile(rb"<\?xml[\s?]")


def iter_documents(
    path: Path, *, max_bytes: int = MAX_XML_BYTES
) -> Iterator[Document | Unreadable]:
    """Parse each document of a file of concatenated XML documents, one at a time.

    USPTO bulk files glue thousands of ``<?xml …?>`` documents together. The file is split
    on XML declarations while streaming (a declaration inside a comment or CDATA section
    would split there too), so memory holds one document. A broken document becomes an
    :class:`Unreadable` and the next one is read. A file that holds a single document is
    held to the single-file rule: if that one document is broken, or the file holds none,
    the whole file is a FileFormatError.
    """
    pieces = _split_documents(path, max_bytes)
    first = next(pieces, None)
    if first is None:
        raise FileFormatError(path, "no XML document in the file")
    second = next(pieces, None)
    if second is None:
        try:
            yield Document(_parse_piece(first, max_bytes), 1, first[0])
        except XmlError as error:
            raise FileFormatError(path, error.describe()) from None
        return
    for index, piece in enumerate(_chain(first, second, pieces), start=1):
        try:
            yield Document(_parse_piece(piece, max_bytes), index, piece[0])
        except XmlError as error:
            yield Unreadable(index, piece[0], error)


_Piece = tuple[int, bytes | None]  # (first line, bytes; None when over the size limit)


def _chain(first: _Piece, second: _Piece, rest: Iterator[_Piece]) -> Iterator[_Piece]:
    yield first
    yield second
    yield from rest


def _parse_piece(piece: _Piece, max_bytes: int) -> Element:
    line, data = piece
    if data is None:
        raise UnsafeXmlError(f"document is over the {max_bytes:,}-byte limit; refused", line=line)
    return parse_bytes(data, first_line=line, max_bytes=max_bytes)


def _split_documents(path: Path, max_bytes: int) -> Iterator[_Piece]:
    with path.open("rb") as handle:
        splitter = _Splitter(max_bytes)
        while chunk := handle.read(_CHUNK_BYTES):
            yield from splitter.feed(chunk)
        yield from splitter.finish()


class _Splitter:
    """Cuts a byte stream before each XML declaration that follows content."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._buffer = bytearray()
        self._line = 1  # line of the file where the buffered document starts
        self._dropped_lines = 0  # newlines in bytes dropped from an oversized document
        self._oversized = False
        self._started = False

    def feed(self, chunk: bytes) -> Iterator[_Piece]:
        if not self._started:
            self._started = True
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
        search_from = max(0, len(self._buffer) - 5)
        self._buffer += chunk
        while match := _DECLARATION.search(self._buffer, search_from):
            if self._buffer[: match.start()].strip() or self._oversized:
                yield self._cut(match.start())
                search_from = 1
            else:
                search_from = match.end()
        if len(self._buffer) > self._max_bytes:
            self._drop_all_but_tail()

    def finish(self) -> Iterator[_Piece]:
        if self._buffer.strip() or self._oversized:
            yield self._cut(len(self._buffer))

    def _cut(self, end: int) -> _Piece:
        data = bytes(self._buffer[:end])
        del self._buffer[:end]
        stripped = data.lstrip()
        line = self._line + data.count(b"\n", 0, len(data) - len(stripped))
        piece: _Piece = (line, None if self._oversized else stripped)
        self._line += data.count(b"\n") + self._dropped_lines
        self._oversized, self._dropped_lines = False, 0
        return piece

    def _drop_all_but_tail(self) -> None:
        # Keep a few bytes so a declaration split across chunks is still found.
        dropped = self._buffer[:-5]
        self._dropped_lines += dropped.count(b"\n")
        del self._buffer[:-5]
        self._oversized = True


# --- streaming repeated elements (DOCDB exchange files) ----------------------------------


def iter_elements(
    path: Path,
    local_name: str,
    *,
    prefixes: Mapping[str, str] | None = None,
) -> Iterator[Element | Unreadable]:
    """Yield each ``local_name`` element of a large file as it is parsed, in any namespace.

    An element is valid only until the next one is requested: it is then cleared, with its
    earlier siblings, so memory stays flat however many records the file holds. An element
    holding an entity we cannot map is yielded as :class:`Unreadable`. Malformed XML
    further on raises FileFormatError with its position after the good elements before it.
    """
    with path.open("rb") as handle:
        source = _PreparedStream(handle, path, prefixes or {})
        events = etree.iterparse(
            source, events=("end",), tag=f"{{*}}{local_name}", **_PARSER_OPTIONS
        )
        index = 0
        try:
            for _event, element in events:
                index += 1
                yield _checked_element(element, index)
                _release(element)
        except etree.XMLSyntaxError as error:
            raise FileFormatError(path, _syntax_error(error, 1).describe()) from None


def _checked_element(element: Element, index: int) -> Element | Unreadable:
    try:
        _refuse_undefined_entities(element, 1)
    except XmlError as error:
        return Unreadable(index, element.sourceline or 0, error)
    return element


def _release(element: Element) -> None:
    element.clear(keep_tail=False)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _start_tag_complete(data: bytes) -> bool:
    try:
        root = check_prolog(data)
    except UnsafeXmlError:
        return True  # refused below, whatever follows
    except MalformedXmlError:
        return False  # perhaps only cut short by the chunk: read on
    return root < len(data) and _root_start_tag_end(data, root) != -1


class _PreparedStream:
    """A file object for iterparse: the prolog check, prefix repair and entity pre-pass
    applied to a stream, holding back a possibly split ``&name;`` at each chunk's end.

    The head is read and checked on construction, so a hostile DOCTYPE is refused before
    libxml2 is even set up.
    """

    def __init__(self, handle: IO[bytes], path: Path, prefixes: Mapping[str, str]) -> None:
        self._handle = handle
        self._path = path
        self._prefixes = prefixes
        self._carry = b""
        self._pending: bytes | None = self._head()

    def read(self, size: int = -1) -> bytes:
        if self._pending is not None:
            head, self._pending = self._pending, None
            return head
        chunk = self._handle.read(_CHUNK_BYTES)
        if not chunk:
            carry, self._carry = self._carry, b""
            return map_named_entities(carry)
        return self._mapped(chunk)

    def _head(self) -> bytes:
        """Read until the root element's start tag is complete, check the prolog, repair."""
        data = self._handle.read(_CHUNK_BYTES)
        if data.startswith(tuple(bom for bom, _codec in _UTF16_32_BOMS)):
            raise FileFormatError(self._path, "UTF-16/32 files cannot be streamed; use UTF-8")
        while not _start_tag_complete(data):
            more = self._handle.read(_CHUNK_BYTES)
            if not more:
                break
            if len(data) > _MAX_PROLOG_BYTES:
                raise FileFormatError(self._path, "prolog longer than 1 MiB; refused")
            data += more
        try:
            root = check_prolog(data)
        except XmlError as error:
            raise FileFormatError(self._path, error.describe()) from None
        return self._mapped(declare_prefixes(data, root, self._prefixes))

    def _mapped(self, chunk: bytes) -> bytes:
        data = self._carry + chunk
        ampersand = data.rfind(b"&", max(0, len(data) - _LONGEST_REFERENCE))
        if ampersand != -1 and b";" not in data[ampersand:]:
            data, self._carry = data[:ampersand], data[ampersand:]
        else:
            self._carry = b""
        return map_named_entities(data)


# --- tree helpers shared by the readers --------------------------------------------------


def strip_namespaces(root: Element) -> Element:
    """Drop namespaces from every element name in place: readers match on local names.

    CNIPA (``business:``/``base:``), OPS (default namespace plus ``ops:``) and DOCDB
    (``exch:`` or none at all, depending on how the file was cut) spell the same element
    differently; the element's meaning is in its local name.
    """
    for element in root.iter(tag=etree.Element):
        tag = element.tag
        if tag[0] == "{":
            element.tag = tag.rpartition("}")[2]
    return root


_CJK: Final = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_BETWEEN_CJK: Final = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_SPACES: Final = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Collapse whitespace; drop it between two CJK characters.

    Chinese full text is hard-wrapped (``…的筛\\n选…``): a line break inside a Chinese
    sentence is not a word space, while one between English words is.
    """
    return _SPACE_BETWEEN_CJK.sub("", _SPACES.sub(" ", text)).strip()


def text_of(element: Element | None) -> str:
    """All text inside ``element`` (sub-elements included), whitespace-normalised."""
    if element is None:
        return ""
    if len(element) == 0:  # a leaf: most bibliographic fields, read many times per record
        return normalise_text(element.text or "")
    return normalise_text("".join(element.itertext()))


def child_text(element: Element | None, path: str) -> str | None:
    """Normalised text of the first match of ``path``; None when absent or empty."""
    if element is None:
        return None
    found = element.find(path)
    text = text_of(found) if found is not None else ""
    return text or None


class FieldError(ValueError):
    """One field of a record cannot be read; the reader turns it into a RecordError."""

    def __init__(self, field_name: str, reason: str) -> None:
        self.field_name = field_name
        self.reason = reason
        super().__init__(f"{field_name}: {reason}")


def field_date(text: str | None, field_name: str) -> dt.date | None:
    """``parse_date`` that names the field when the date is impossible (20210230)."""
    try:
        return parse_date(text)
    except ValueError as error:
        raise FieldError(field_name, str(error)) from None


def bilingual(error: IdentifierError) -> str:
    """An identifier error for a rejects file: English, then the Chinese message."""
    return f"{error.message_en} / {error.message_zh}"


def structured_symbol(element: Element) -> str:
    """``<section>A</section><class>61</class>…<subgroup>0205</subgroup>`` → ``A61B5/0205``.

    USPTO and OPS spell a symbol in parts; the parts are joined into a spelling that
    ``parse_classification`` reads.
    """
    head = "".join(child_text(element, tag) or "" for tag in ("section", "class", "subclass"))
    main_group = child_text(element, "main-group") or ""
    return f"{head}{main_group}/{child_text(element, 'subgroup') or ''}"


def classifications(
    scheme: Scheme, texts: list[str], warnings: list[str]
) -> tuple[Classification, ...]:
    """Normalise IPC/CPC symbols in source order; the first is the main one.

    A symbol that does not parse becomes a warning, not a rejected record: the rest of the
    bibliography is still good. Repeats (OPS lists a CPC symbol once per generating office)
    are kept once.
    """
    codes: list[str] = []
    for text in texts:
        try:
            code = parse_classification(text).normalised
        except IdentifierError as error:
            warnings.append(f"{scheme.value}: {bilingual(error)}")
            continue
        if code not in codes:
            codes.append(code)
    return tuple(
        Classification(scheme, code, sequence, is_main=sequence == 1)
        for sequence, code in enumerate(codes, start=1)
    )

"""PatentsView US granted patents in Parquet (``pv-data.parquet``) → one record per patent.

The file holds one row per *inventor mention* (发明人提及): a patent whose inventors fall in
several sampled name blocks appears on several rows. Checked on the real file
(``shared/data/pv-patents-us``): 133,541 rows, 129,639 patents, 3,769 patents on more than one
row, and the rows of a patent are **not** adjacent — the furthest apart are 131,419 rows
apart — so grouping consecutive rows would split patents.

Every row repeats the whole patent (title, assignees, CPC and the full inventor list in the
``coinventor_*`` columns); only the mentioned inventor's city, state and country are
row-specific. So the reader folds in two cheap passes instead of buffering patents:

1. read the ``patent_id`` column alone, count it with Arrow, and for the few patents that
   occur more than once collect just their mentions' locations (five small columns);
2. stream the full rows in record batches, emit each patent at its first row with every
   mention's location, and skip its later rows.

Memory is one record batch, the id column during pass 1 (about 12 bytes a row, released before
pass 2) and the locations of repeated patents (a few thousand small tuples) — not the table.
Patent-level columns are taken from the patent's first row (they were identical on every row
of every repeated patent in the real file).

Sequences: PatentsView counts assignees, inventors and CPC codes from 0 and stores the lists
unordered; records list them sorted and numbered from 1, as every reader does. There is no
application number in this data, so the record key falls back to the publication
(``US:pub:US5828387``); attorneys are not parties and are not read.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ipcore.classification import normalise_classification
from ipcore.formats.base import FileFormatError, ReadResult, parse_date
from ipcore.identifiers.docdb import parse_doc_number
from ipcore.identifiers.errors import IdentifierError
from ipcore.patents.record import (
    Classification,
    DocumentType,
    Party,
    PartyRole,
    PatentRecord,
    Publication,
    RecordError,
    RecordLocation,
    Scheme,
    Text,
    TextField,
)

NAME: Final = "patentsview"
DESCRIPTION: Final = (
    "PatentsView US grants in Parquet, one row per inventor mention (pv-data.parquet)"
)

BATCH_ROWS: Final = 8192  # rows per Arrow record batch: the unit of memory in pass 2

_MENTION_COLUMNS: Final = ("patent_id", "inventor_sequence", "raw_city", "raw_state", "raw_country")
_PATENT_COLUMNS: Final = (
    "patent_id",
    "patent_type",
    "patent_date",
    "filing_date",
    "wipo_kind",
    "patent_title",
    "patent_abstract",
    "num_claims",
    "withdrawn",
    "assignee_sequence",
    "raw_assignee_organization",
    "raw_assignee_individual_name_first",
    "raw_assignee_individual_name_last",
    "cpc_sequence",
    "cpc_group",
    "cpc_type",
    "coinventor_sequence",
    "coinventor_name_first",
    "coinventor_name_last",
    *_MENTION_COLUMNS[1:],
)

# patent_type → 专利类型. Statutory invention registrations and defensive publications are
# not patents at all (8 rows in the real file); they stay UNKNOWN with a warning.
_DOCUMENT_TYPES: Final = {
    "utility": DocumentType.INVENTION,
    "design": DocumentType.DESIGN,
    "plant": DocumentType.PLANT,
    "reissue": DocumentType.REISSUE,
}

# Older USPTO data writes a residence country in three characters: the ST.3 code plus "X"
# (JPX, TWX, KRX) or a digit (GB2, GB3). The first two letters are the ST.3 code; other
# pre-ST.3 spellings seen in the file (JA, DT, EN, CT) are kept as given, not guessed.
_LEGACY_COUNTRY: Final = re.compile(r"([A-Z]{2})[X0-9]")

Row = Mapping[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class _Place:
    """Where one mentioned inventor lived, as PatentsView's raw location gives it."""

    city: str | None
    state: str | None
    country: str | None


_NOWHERE: Final = _Place(None, None, None)  # inventors named on the patent but not mentioned


# --- the reader contract -------------------------------------------------------------------


def sniff(path: Path, head: bytes) -> bool:
    """A Parquet file (magic ``PAR1``) whose schema has PatentsView's mention columns."""
    if not head.startswith(b"PAR1"):
        return False
    try:
        names = set(pq.ParquetFile(path).schema_arrow.names)
    except (OSError, pa.ArrowException):
        return False
    return set(_PATENT_COLUMNS) <= names


def read(path: Path) -> Iterator[ReadResult]:
    """Yield one `PatentRecord` per ``patent_id``, in order of each patent's first row."""
    parquet = _open(path)
    try:
        repeated = _repeated_patent_places(parquet)
        emitted: set[str] = set()  # holds repeated patents only
        for batch in _batches(parquet, _PATENT_COLUMNS):
            yield from _batch_records(path, batch, repeated, emitted)
    except (OSError, pa.ArrowException) as error:
        raise FileFormatError(path, f"unreadable Parquet data: {error}") from error


# --- passes --------------------------------------------------------------------------------


def _open(path: Path) -> pq.ParquetFile:
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as error:
        raise FileFormatError(path, f"not a readable Parquet file: {error}") from error
    missing = [name for name in _PATENT_COLUMNS if name not in parquet.schema_arrow.names]
    if missing:
        raise FileFormatError(path, f"not a PatentsView mention file; missing {', '.join(missing)}")
    return parquet


def _repeated_patent_places(parquet: pq.ParquetFile) -> dict[str, dict[str, _Place]]:
    """Pass 1: for patents on more than one row, every mention's inventor location."""
    ids = parquet.read(columns=["patent_id"]).column("patent_id")
    counts = pc.value_counts(ids)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    del ids, counts
    places: dict[str, dict[str, _Place]] = {}
    if len(repeated) == 0:
        return places
    for batch in _batches(parquet, _MENTION_COLUMNS):
        chosen = batch.filter(pc.is_in(batch.column("patent_id"), value_set=repeated))
        for row in chosen.to_pylist():
            places.setdefault(row["patent_id"], {})[row["inventor_sequence"]] = _place(row)
    return places


def _batches(parquet: pq.ParquetFile, columns: Sequence[str]) -> Iterator[pa.RecordBatch]:
    """Record batches, one row group at a time.

    One ``iter_batches`` call over a whole file keeps every row group's decoders alive until
    it ends (measured: Arrow memory grew by ~75 MB per 133k-row group on a 5-group copy of
    pv-data); one call per row group keeps memory at one row group's worth. A row group is
    Parquet's unit of reading, so a file written as one huge group still costs that group.
    """
    for group in range(parquet.num_row_groups):
        yield from parquet.iter_batches(
            batch_size=BATCH_ROWS, columns=list(columns), row_groups=[group]
        )


def _batch_records(
    path: Path,
    batch: pa.RecordBatch,
    repeated: dict[str, dict[str, _Place]],
    emitted: set[str],
) -> Iterator[ReadResult]:
    """Pass 2, one batch: a record at each patent's first row; later rows are skipped."""
    columns = {name: batch.column(name).to_pylist() for name in _PATENT_COLUMNS}
    for index in range(batch.num_rows):
        patent_id = columns["patent_id"][index]
        if patent_id in emitted:
            continue
        row = {name: values[index] for name, values in columns.items()}
        places = repeated.get(patent_id)
        if places is not None:
            emitted.add(patent_id)
        else:
            places = {row["inventor_sequence"]: _place(row)}
        try:
            yield _record(path, row, places)
        except RecordError as error:
            yield error


# --- one patent ----------------------------------------------------------------------------


def _record(path: Path, row: Row, places: Mapping[str, _Place]) -> PatentRecord:
    location = RecordLocation(str(path), f"patent_id {row['patent_id']}")
    grant_date = _field(location, "patent_date", _date, row["patent_date"])
    document_type, warnings = _document_type(row)
    return PatentRecord(
        office="US",
        document_type=document_type,
        application_date=_field(location, "filing_date", _date, row["filing_date"]),
        publications=(_publication(location, row, grant_date),),
        grant_date=grant_date,
        texts=_texts(row),
        claims_count=_field(location, "num_claims", _optional_int, row["num_claims"]),
        classifications=_field(location, "cpc_group", _classifications, row),
        parties=(*_owners(row), *_inventors(row, places)),
        location=location,
        warnings=warnings,
    )


def _field(location: RecordLocation, name: str, parse: Callable[[Any], T], value: Any) -> T:
    """Run one conversion; a failure names the column and the patent."""
    try:
        return parse(value)
    except IdentifierError as error:
        reason = f"{error.message_en} ({error.message_zh})"
        raise RecordError(name, reason, location=location) from error
    except ValueError as error:
        raise RecordError(name, str(error), location=location) from error


def _publication(location: RecordLocation, row: Row, grant_date: dt.date | None) -> Publication:
    # patent_id is the grant number with its series letters (D, RE, PP, H, T); DOCDB drops
    # leading zeros, which parse_doc_number applies.
    number = _field(location, "patent_id", parse_doc_number, f"US{row['patent_id']}")
    return Publication(number=number.epodoc, kind=_clean(row["wipo_kind"]), date=grant_date)


def _document_type(row: Row) -> tuple[DocumentType, tuple[str, ...]]:
    warnings: list[str] = []
    document_type = _DOCUMENT_TYPES.get(row["patent_type"] or "", DocumentType.UNKNOWN)
    if document_type is DocumentType.UNKNOWN:
        warnings.append(f"patent_type: {row['patent_type']!r} is not a patent type; kept unknown")
    if row["withdrawn"] == "1":
        warnings.append("withdrawn: PatentsView marks this patent number as withdrawn")
    return document_type, tuple(warnings)


def _texts(row: Row) -> tuple[Text, ...]:
    found = (
        (TextField.TITLE, _clean(row["patent_title"])),
        (TextField.ABSTRACT, _clean(row["patent_abstract"])),
    )
    return tuple(Text(field, "en", text) for field, text in found if text)


def _classifications(row: Row) -> tuple[Classification, ...]:
    """CPC codes in ``cpc_sequence`` order; the first *inventional* one is the main code.

    A patent whose codes are all "additional" (10 rows in the real file) has no main code.
    """
    codes: list[Classification] = []
    seen: set[str] = set()
    main_taken = False
    for _, group, kind in _in_source_order(row, "cpc_sequence", "cpc_group", "cpc_type"):
        code = _cpc(group)
        if code in seen:
            continue
        seen.add(code)
        is_main = not main_taken and kind == "inventional"
        main_taken = main_taken or is_main
        codes.append(Classification(Scheme.CPC, code, len(codes) + 1, is_main=is_main))
    return tuple(codes)


@functools.lru_cache(maxsize=1 << 17)
def _cpc(group: str) -> str:
    # About a million codes over 100,333 distinct ones in the real file: caching the parse
    # saves most of the time, and the bound (a few tens of MB at most) keeps memory flat
    # however large the file is.
    return normalise_classification(group)


@functools.lru_cache(maxsize=1 << 15)
def _date(text: str | None) -> dt.date | None:
    # Grants issue on Tuesdays: 259,278 dates in the real file take ~17,000 values.
    return parse_date(text)


def _owners(row: Row) -> tuple[Party, ...]:
    """专利权人 (assignees at grant) in ``assignee_sequence`` order: organisation, else person."""
    entries = _in_source_order(
        row,
        "assignee_sequence",
        "raw_assignee_organization",
        "raw_assignee_individual_name_first",
        "raw_assignee_individual_name_last",
    )
    names = (
        _clean(organization) or _person(first, last) for _, organization, first, last in entries
    )
    return tuple(
        Party(PartyRole.OWNER, sequence, name)
        for sequence, name in enumerate(filter(None, names), start=1)
    )


def _inventors(row: Row, places: Mapping[str, _Place]) -> tuple[Party, ...]:
    """发明人 in ``inventor_sequence`` order; only mentioned inventors have a location.

    The ``coinventor_*`` lists name every inventor of the patent; a mention row adds the
    location of its own inventor, matched on the sequence number.
    """
    entries = _in_source_order(
        row, "coinventor_sequence", "coinventor_name_first", "coinventor_name_last"
    )
    parties: list[Party] = []
    for source_sequence, first, last in entries:
        name = _person(first, last)
        if not name:
            continue
        place = places.get(source_sequence, _NOWHERE)
        sequence = len(parties) + 1
        parties.append(
            Party(PartyRole.INVENTOR, sequence, name, place.country, place.city, place.state)
        )
    return tuple(parties)


def _in_source_order(row: Row, sequence_column: str, *columns: str) -> list[tuple[Any, ...]]:
    """Zip PatentsView's parallel list columns and sort them by their sequence column.

    The lists come in no particular order (``cpc_sequence`` 6, 2, 0, 1 …); each entry keeps
    its source sequence string first, as read.
    """
    sequences = row[sequence_column] or ()
    lists = [row[column] or () for column in columns]
    if any(len(values) != len(sequences) for values in lists):
        raise ValueError(f"{sequence_column} and {', '.join(columns)} differ in length")
    ranks = [int(sequence) for sequence in sequences]
    ordered = sorted(zip(ranks, sequences, *lists, strict=True), key=operator.itemgetter(0))
    return [entry[1:] for entry in ordered]


# --- small helpers -------------------------------------------------------------------------


def _place(row: Row) -> _Place:
    return _Place(_clean(row["raw_city"]), _clean(row["raw_state"]), _country(row["raw_country"]))


def _country(raw: str | None) -> str | None:
    text = _clean(raw)
    if text is None:
        return None
    legacy = _LEGACY_COUNTRY.fullmatch(text)
    return legacy[1] if legacy else text


def _person(first: str | None, last: str | None) -> str | None:
    return " ".join(part for part in (_clean(first), _clean(last)) if part) or None


def _optional_int(text: str | None) -> int | None:
    cleaned = _clean(text)
    return int(cleaned) if cleaned else None


def _clean(text: str | None) -> str | None:
    # 16,792 abstracts and 21 titles carry leading or trailing blanks.
    if text is None:
        return None
    return text.strip() or None

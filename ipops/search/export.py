"""Whole result sets as CSV (streamed) or XLSX — what a searcher hands to a client.

CSV starts with a byte-order mark so that Excel on a Chinese Windows reads it as UTF-8.
Both are bounded (EXPORT_LIMIT rows): a result set of millions is a dataset to analyse in
ipops, not a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any, Final

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ipops.corpus import queries as corpus
from ipops.search import engine

EXPORT_LIMIT: Final = 100_000
BATCH: Final = 1000


def columns() -> list[str]:
    return [
        _("Number"),
        _("Title"),
        _("Applicant / owner"),
        _("Office"),
        _("Type"),
        _("Application date"),
        _("Publication date"),
        _("Main class"),
        _("Abstract"),
    ]


def _cells(patent: corpus.PatentSummary) -> list[Any]:
    return [
        patent.number,
        patent.title,
        patent.first_owner,
        patent.office,
        patent.type_label,
        patent.application_date.isoformat() if patent.application_date else "",
        patent.publication_date.isoformat() if patent.publication_date else "",
        patent.main_code,
        patent.abstract,
    ]


def result_rows(user: Any, query: str, *, stemmed: bool = False) -> Iterator[list[Any]]:
    """Rows of every matching patent, newest first, fetched a batch at a time."""
    ids = islice(
        engine.iterate_ids(
            query, batch=BATCH, stemmed=stemmed, organisations=corpus.entity_ids_named
        ),
        EXPORT_LIMIT,
    )
    while batch := list(islice(ids, BATCH)):
        for patent in corpus.patent_summaries(user, batch):
            yield _cells(patent)


def csv_chunks(rows: Iterator[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(columns())
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(rows: Iterator[list[Any]]) -> IO[bytes]:
    """The workbook in a temporary file (XLSX is a zip: it cannot be streamed as it is made),
    written row by row in openpyxl's write-only mode so memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Patents"))
    sheet.append(columns())
    for row in rows:
        sheet.append(row)
    handle = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 — returned
    workbook.save(handle)
    handle.seek(0)
    return handle

"""A risk screening as files an analyst hands on: CSV (UTF-8 with a byte-order mark, so
Excel on a Chinese Windows reads it) and XLSX. Both carry the disclaimer in Chinese and
English and the screening's parameters; matched words in passages are set in 【】."""

from __future__ import annotations

import csv
import io
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ipops.landscape.screening import Passage, ScreenedPatent, Screening


def columns() -> list[str]:
    return [
        _("Rank"),
        _("Standing"),
        _("Number"),
        _("Title"),
        _("Owners"),
        _("Office"),
        _("Type"),
        _("Application date"),
        _("Grant date"),
        _("Status basis"),
        _("Expiry"),
        _("Remaining years"),
        _("Score"),
        _("Similarity"),
        _("Keyword rank"),
        _("Matched passages"),
    ]


def row_cells(row: ScreenedPatent, language: str) -> list[Any]:
    return [
        row.rank,
        row.status_label(language),
        row.number,
        row.title,
        "; ".join(row.owners),
        row.office,
        row.type_label(language),
        row.application_date.isoformat() if row.application_date else "",
        row.grant_date.isoformat() if row.grant_date else "",
        row.basis_label(language),
        row.standing.expiry.isoformat() if row.standing.expiry else "",
        row.remaining_years if row.remaining_years is not None else "",
        row.score,
        row.similarity if row.similarity is not None else "",
        row.keyword_rank or "",
        "\n".join(passage_text(passage) for passage in row.passages),
    ]


def passage_text(passage: Passage) -> str:
    text = "".join(f"【{f.text}】" if f.hit else f.text for f in passage.fragments)
    if passage.by_meaning:
        return _("[matched by meaning] %(text)s") % {"text": text}
    return f"[{passage.field}] {text}"


def parameters(screening: Screening) -> list[tuple[str, str]]:
    request = screening.request
    return [
        (_("Product or technology"), request.description),
        (_("Target office"), request.office),
        (_("IPC/CPC classes"), " ".join(request.classes) or "—"),
        (_("Filed from"), request.filed_from.isoformat() if request.filed_from else "—"),
        (_("Filed until"), request.filed_to.isoformat() if request.filed_to else "—"),
        (_("As of"), request.as_of.isoformat() if request.as_of else "—"),
        (_("Keyword query"), screening.keyword_query or "—"),
        (
            _("Left out"),
            _("%(ended)s no longer in force, %(later)s filed after the day")
            % {"ended": screening.ended, "later": screening.filed_later},
        ),
    ]


def csv_text(screening: Screening, language: str) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([screening.disclaimer_zh])
    writer.writerow([screening.disclaimer_en])
    for name, value in parameters(screening):
        writer.writerow([name, value])
    writer.writerow([])
    writer.writerow(columns())
    for row in screening.rows:
        writer.writerow(row_cells(row, language))
    return buffer.getvalue()


def xlsx_file(screening: Screening, language: str) -> IO[bytes]:
    """The patents on one sheet, the disclaimer and parameters on another."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = _("Patents")
    sheet.append(columns())
    for row in screening.rows:
        sheet.append(row_cells(row, language))
    notes = workbook.create_sheet(_("About"))
    notes.append([screening.disclaimer_zh])
    notes.append([screening.disclaimer_en])
    notes.append([])
    for name, value in parameters(screening):
        notes.append([name, value])
    handle = io.BytesIO()
    workbook.save(handle)
    handle.seek(0)
    return handle

"""Number rules the EPO readers share: DOCDB numbers, application numbers, PCT, kinds.

Each office's application number is written the way that office's own reader writes it
(see the package docstring), so that a record from OPS and one from the office's file
share a natural key.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from ipcore.formats.safe_xml import FieldError, bilingual
from ipcore.identifiers.cn import parse_cn_application
from ipcore.identifiers.docdb import DocNumber, parse_doc_number, parse_pct_application
from ipcore.identifiers.errors import IdentifierError
from ipcore.patents.record import DocumentType, Publication

# Kinds that publish a grant (the publication date is the grant date), by office.
_GRANT_KINDS: Final = {
    "EP": ("B",),
    "CN": ("B", "U", "S"),
    "US": ("B", "S", "E", "P2", "P3"),
}

_COMPACT_PCT: Final = re.compile(r"([A-Z]{2})(\d{4}|\d{2})(\d{5,6})")


def pct_spelling(anum: str) -> str:
    """B861 writes ``CA2002001757`` or, before 2004, ``JP0107711``: add the slashes."""
    match = _COMPACT_PCT.fullmatch(anum.replace(" ", ""))
    return f"PCT/{match[1]}{match[2]}/{match[3]}" if match else anum


def doc_number(country: str, number: str, kind: str | None, field_name: str) -> DocNumber:
    """A DOCDB number, or a FieldError naming ``field_name`` when it cannot be read."""
    try:
        return parse_doc_number(f"{country} {number} {kind or ''}".strip())
    except IdentifierError as error:
        raise FieldError(field_name, bilingual(error)) from None


def ep_application_number(text: str | None) -> str | None:
    """B210 ``02779063.3`` → ``02779063`` (the check digit after the dot is dropped)."""
    if not text:
        return None
    return text.split(".")[0].strip().zfill(8)


def application_number(
    office: str, country: str, docdb: str | None, kind: str | None, original: str | None
) -> str | None:
    """The office's own application number, in the form its other readers produce."""
    if kind == "W" or office == "WO":
        return parse_pct_application(f"{country}{docdb}W").normalised if docdb else None
    if office == "CN":
        return parse_cn_application(original or docdb or "").normalised
    if office == "US":
        return _us_application(docdb, original)
    if office == "EP":
        return ep_application_number(docdb or original)
    return docdb or original


def _us_application(docdb: str | None, original: str | None) -> str | None:
    """``15919370`` from ``original`` or DOCDB's ``201815919370``; else unknown (None)."""
    digits = re.sub(r"\D", "", original or "")
    if len(digits) == 8:  # series code + serial
        return digits
    if docdb and re.fullmatch(r"(?:19|20)\d{2}\d{8}", docdb):
        return docdb[4:]
    return None


def pct_number(text: str) -> str:
    """``PCT/US2013/050328`` from any PCT spelling; the text itself when it is not one."""
    try:
        return parse_pct_application(text).normalised
    except IdentifierError:
        return text


def priority_number(office: str, number: str) -> str:
    """A priority number as filed, brought to DOCDB form where the rules know the office."""
    try:
        return parse_doc_number(f"{office} {number}").number
    except IdentifierError:
        return number


def grant_date(office: str, publication: Publication) -> dt.date | None:
    """授权公告日: the publication date when the kind publishes a grant."""
    kind = publication.kind or ""
    granted = _GRANT_KINDS.get(office, ())
    return publication.date if any(kind.startswith(k) for k in granted) else None


def document_type(office: str, kind: str | None) -> DocumentType:
    """专利类型 from the kind code (*inferred*: kind letters differ by office)."""
    letter = (kind or "")[:1]
    if office == "US":
        us_types = {"S": DocumentType.DESIGN, "E": DocumentType.REISSUE, "P": DocumentType.PLANT}
        return us_types.get(
            letter, DocumentType.INVENTION if letter and letter in "ABH" else DocumentType.UNKNOWN
        )
    if letter in ("U", "Y"):
        return DocumentType.UTILITY_MODEL
    if letter == "S" or (office == "CN" and letter == "D"):
        return DocumentType.DESIGN
    return DocumentType.INVENTION if letter and letter in "ABCDTW" else DocumentType.UNKNOWN

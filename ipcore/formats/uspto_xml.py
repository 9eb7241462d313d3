"""USPTO full-text XML — ICE ``us-patent-grant`` and ``us-patent-application``, v4.0 to v4.5.

USPTO bulk files concatenate one ``<?xml …?>`` document per patent; each document is parsed
on its own (:func:`ipcore.formats.safe_xml.iter_documents`), so a broken one is a
RecordError and the rest of the week's file is still read.

The DTD changed shape between versions, and the reader follows the data, not a version
number: parties are ``parties/applicants`` (v4.0 to v4.1, where the applicants *are* the
inventors) or ``us-parties/us-applicants`` + ``us-parties/inventors``; citations are
``references-cited/citation`` or ``us-references-cited/us-citation``; IPC is the old
``classification-ipc`` (``G06F015/16``) or ``classifications-ipcr``.

Identity: the application number is the USPTO's 8 digits, series code first
(``12134151`` for 12/134,151), the form USPTO's own systems key on. Publications are
DOCDB numbers (``US8926509``, ``US2005004437``). US provisional applications a document
claims are kept as priorities (as DOCDB does), and so is the PCT application of a
national-stage entry (office ``WO``, ``PCT/IB2019/057948``): ``PatentRecord`` has no PCT
field.

Older USPTO formats — APS Green Book text, the 2001-2004 SGML-derived ``PATDOC`` grants
and ``patent-application-publication`` (PAP) applications — are refused with
"format not supported".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from ipcore.formats.base import HEAD_BYTES, FileFormatError, ReadResult
from ipcore.formats.safe_xml import (
    Document,
    Element,
    FieldError,
    Unreadable,
    bilingual,
    child_text,
    classifications,
    field_date,
    iter_documents,
    structured_symbol,
    text_of,
)
from ipcore.identifiers.docdb import parse_doc_number, parse_pct_application
from ipcore.identifiers.errors import IdentifierError
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

NAME = "uspto-xml"
DESCRIPTION = "USPTO grant and application full-text XML v4.0-4.5 (single or concatenated)"

_ROOTS: Final = frozenset({"us-patent-grant", "us-patent-application"})
_UNSUPPORTED: Final = (
    (re.compile(rb"^\s*PATN\s", re.MULTILINE), "APS Green Book text (grants 1976-2001)"),
    (re.compile(rb"\*\*\* BRS DOCUMENT BOUNDARY \*\*\*"), "CSS/BRS text export"),
    (re.compile(rb"<!DOCTYPE\s+PATDOC|<PATDOC[\s>]"), "SGML-derived ST.32 grant XML v2.x"),
    (
        re.compile(rb"<patent-application-publication[\s>]"),
        "pre-grant publication XML v1.x (PAP)",
    ),
)
_APPLICATION_TYPES: Final = {
    "utility": DocumentType.INVENTION,
    "design": DocumentType.DESIGN,
    "plant": DocumentType.PLANT,
    "reissue": DocumentType.REISSUE,
}
# Kind letters when appl-type is missing: S design, P plant (P1-P9), E reissue; A/B/H are
# applications, utility grants and statutory invention registrations.
_KIND_TYPES: Final = {"S": DocumentType.DESIGN, "P": DocumentType.PLANT, "E": DocumentType.REISSUE}
_CITED_BY: Final = {
    "cited by applicant": "applicant",
    "cited by examiner": "examiner",
    "cited by other": "other",
    "cited by third party": "third_party",
}


def sniff(path: Path, head: bytes) -> bool:
    """ICE grant/application roots, and the older USPTO formats this reader names and refuses."""
    if b"<us-patent-grant" in head or b"<us-patent-application" in head:
        return True
    return any(pattern.search(head) for pattern, _name in _UNSUPPORTED)


def read(path: Path) -> Iterator[ReadResult]:
    """Yield one record (or RecordError) per document of a single or concatenated file."""
    _refuse_unsupported(path)
    for item in iter_documents(path):
        location = RecordLocation(str(path), f"document {item.index}, line {item.line}")
        if isinstance(item, Unreadable):
            yield RecordError("document", item.error.describe(), location=location)
        elif item.index == 1 and item.root.tag not in _ROOTS:
            # The first document decides whether this is USPTO grant/application XML at all.
            raise FileFormatError(path, f"not USPTO grant or application XML: <{item.root.tag}>")
        else:
            yield _read_document(item, location)


def _refuse_unsupported(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    for pattern, name in _UNSUPPORTED:
        if pattern.search(head):
            raise FileFormatError(path, f"format not supported: USPTO {name}")


def _read_document(document: Document, location: RecordLocation) -> ReadResult:
    root = document.root
    if root.tag not in _ROOTS:
        reason = f"not a USPTO grant or application: root element <{root.tag}>"
        return RecordError("document", reason, location=location)
    try:
        return _record(root, location)
    except FieldError as error:
        return RecordError(error.field_name, error.reason, location=location)


def _record(root: Element, location: RecordLocation) -> PatentRecord:
    bibliography = root[0] if len(root) else root
    warnings: list[str] = []
    publication = _publication(bibliography)
    claims = root.findall("claims/claim")
    return PatentRecord(
        office="US",
        document_type=_document_type(bibliography, publication, warnings),
        application_number=_application_number(bibliography, warnings),
        application_date=field_date(
            child_text(bibliography, "application-reference/document-id/date"),
            "application_date",
        ),
        publications=(publication,),
        grant_date=publication.date if root.tag == "us-patent-grant" else None,
        texts=_texts(root, bibliography, claims),
        claims_count=_claims_count(bibliography, claims, warnings),
        classifications=_ipc(bibliography, warnings) + _cpc(bibliography, warnings),
        parties=_parties(bibliography),
        priorities=_priorities(bibliography) + _pct_priority(bibliography, warnings),
        citations=_citations(bibliography),
        location=RecordLocation(location.path, f"{publication.label} ({location.record})"),
        warnings=tuple(warnings),
    )


# --- numbers, dates, type ----------------------------------------------------------------


def _publication(bibliography: Element) -> Publication:
    reference = bibliography.find("publication-reference/document-id")
    number = child_text(reference, "doc-number")
    kind = child_text(reference, "kind")
    if number is None:
        raise FieldError("publication_number", "missing")
    try:
        parsed = parse_doc_number(f"US{number}{kind or ''}")
    except IdentifierError as error:
        raise FieldError("publication_number", bilingual(error)) from None
    date = field_date(child_text(reference, "date"), "publication_date")
    return Publication(number=parsed.epodoc, kind=parsed.kind, date=date)


def _application_number(bibliography: Element, warnings: list[str]) -> str | None:
    """``12134151``: series code + 6-digit serial (the series code is added if missing)."""
    text = child_text(bibliography, "application-reference/document-id/doc-number")
    if text is None:
        warnings.append("application_number: missing")
        return None
    digits = re.sub(r"\D", "", text)
    series = child_text(bibliography, "us-application-series-code") or ""
    if len(digits) == 6 and series.isdigit():  # a bare serial
        digits = series.zfill(2) + digits
    if len(digits) != 8:  # series code (2) + serial (6)
        warnings.append(f"application_number: {text!r} is not series code + 6-digit serial")
    return digits or None


def _document_type(
    bibliography: Element, publication: Publication, warnings: list[str]
) -> DocumentType:
    """专利类型 from ``appl-type`` (utility/design/plant/reissue), else from the kind letter."""
    reference = bibliography.find("application-reference")
    application_type = reference.get("appl-type") if reference is not None else None
    if application_type in _APPLICATION_TYPES:
        return _APPLICATION_TYPES[application_type]
    kind = (publication.kind or "")[:1]
    if application_type is not None:
        warnings.append(f"document_type: unknown appl-type {application_type!r}")
    if kind in _KIND_TYPES:
        return _KIND_TYPES[kind]
    return DocumentType.INVENTION if kind and kind in "ABH" else DocumentType.UNKNOWN


# --- texts and classifications -----------------------------------------------------------


def _texts(root: Element, bibliography: Element, claims: list[Element]) -> tuple[Text, ...]:
    language = (root.get("lang") or "en").lower()
    candidates = (
        (TextField.TITLE, child_text(bibliography, "invention-title")),
        (TextField.ABSTRACT, text_of(root.find("abstract"))),
        (TextField.CLAIMS, "\n".join(filter(None, (text_of(claim) for claim in claims)))),
    )
    return tuple(Text(field_, language, text) for field_, text in candidates if text)


def _claims_count(bibliography: Element, claims: list[Element], warnings: list[str]) -> int | None:
    """``number-of-claims`` where the grant states it, else the claims in the document."""
    stated = child_text(bibliography, "number-of-claims")
    if stated is None or not stated.isdigit():
        return len(claims) or None
    if claims and int(stated) != len(claims):
        warnings.append(f"claims_count: number-of-claims {stated}, {len(claims)} claims in text")
    return int(stated)


def _ipc(bibliography: Element, warnings: list[str]) -> tuple[Classification, ...]:
    ipcr = bibliography.findall("classifications-ipcr/classification-ipcr")
    if ipcr:
        # symbol-position F marks the first (main) symbol; keep source order otherwise.
        ordered = sorted(ipcr, key=lambda e: child_text(e, "symbol-position") != "F")
        texts = [structured_symbol(element) for element in ordered]
    else:  # v4.0-4.1: <classification-ipc><main-classification>G06F015/16</…>
        old = bibliography.find("classification-ipc")
        texts = [
            text_of(element)
            for element in (old if old is not None else [])
            if element.tag in ("main-classification", "further-classification")
        ]
    return classifications(Scheme.IPC, texts, warnings)


def _cpc(bibliography: Element, warnings: list[str]) -> tuple[Classification, ...]:
    # Combination sets repeat symbols already listed; only the direct entries count.
    elements = bibliography.findall(
        "classifications-cpc/main-cpc/classification-cpc"
    ) + bibliography.findall("classifications-cpc/further-cpc/classification-cpc")
    return classifications(Scheme.CPC, [structured_symbol(e) for e in elements], warnings)


# --- parties -----------------------------------------------------------------------------


def _parties(bibliography: Element) -> tuple[Party, ...]:
    """Applicants, assignees (owners) and inventors, each role numbered in source order."""
    applicants = bibliography.findall("us-parties/us-applicants/us-applicant") or (
        bibliography.findall("parties/applicants/applicant")
    )
    inventors = bibliography.findall("us-parties/inventors/inventor") or (
        bibliography.findall("parties/inventors/inventor")
    )
    if not inventors:  # before v4.2 the applicants were the inventors (app-type says so)
        inventors = [a for a in applicants if "inventor" in (a.get("app-type") or "")]
    assignees = bibliography.findall("assignees/assignee")
    return (
        _people(applicants, PartyRole.APPLICANT)
        + _people(assignees, PartyRole.OWNER)
        + _people(inventors, PartyRole.INVENTOR)
    )


def _people(elements: list[Element], role: PartyRole) -> tuple[Party, ...]:
    parties: list[Party] = []
    for element in elements:
        party = _person(element, role, len(parties) + 1)
        if party is not None:
            parties.append(party)
    return tuple(parties)


def _person(element: Element, role: PartyRole, sequence: int) -> Party | None:
    book = element.find("addressbook")
    if book is None:  # v4.0 assignees carry <orgname> directly
        book = element
    name = child_text(book, "orgname") or _personal_name(book)
    if not name:
        return None
    address = book.find("address")
    country = child_text(address, "country") or child_text(element, "residence/country")
    return Party(
        role=role,
        sequence=sequence,
        name=name,
        country=country if country and len(country) == 2 else None,
        city=child_text(address, "city"),
        state=child_text(address, "state"),
    )


def _personal_name(book: Element) -> str:
    parts = (child_text(book, tag) for tag in ("first-name", "middle-name", "last-name"))
    return " ".join(part for part in parts if part)


# --- priorities, PCT, citations ----------------------------------------------------------


def _priorities(bibliography: Element) -> tuple[Priority, ...]:
    """Paris priorities, then the US provisional applications the document claims."""
    priorities: list[Priority] = []
    claims = bibliography.findall("priority-claims/priority-claim")
    for index, claim in enumerate(claims, start=1):
        office, number = child_text(claim, "country"), child_text(claim, "doc-number")
        if office and number:
            date = field_date(child_text(claim, "date"), f"priorities[{index}].date")
            priorities.append(Priority(office, _docdb_number(office, number), date))
    provisionals = bibliography.findall("us-related-documents/us-provisional-application")
    for index, provisional in enumerate(provisionals, start=1):
        number = child_text(provisional, "document-id/doc-number")
        if number:
            field_name = f"provisional_applications[{index}].date"
            date = field_date(child_text(provisional, "document-id/date"), field_name)
            priorities.append(Priority("US", re.sub(r"\D", "", number), date))
    return tuple(priorities)


def _docdb_number(office: str, number: str) -> str:
    try:
        return parse_doc_number(f"{office} {number}").number
    except IdentifierError:
        return number


def _pct_priority(bibliography: Element, warnings: list[str]) -> tuple[Priority, ...]:
    reference = bibliography.find("pct-or-regional-filing-data/document-id")
    text = child_text(reference, "doc-number")
    if text is None:
        return ()
    try:
        number = parse_pct_application(text).normalised
    except IdentifierError as error:
        warnings.append(f"pct_application: {bilingual(error)}")
        return ()
    return (
        Priority("WO", number, field_date(child_text(reference, "date"), "pct_application.date")),
    )


def _citations(bibliography: Element) -> tuple[Citation, ...]:
    """Patent and non-patent references cited, with who cited them (applicant/examiner)."""
    elements = bibliography.findall("us-references-cited/us-citation") or (
        bibliography.findall("references-cited/citation")
    )
    citations: list[Citation] = []
    for element in elements:
        cited_by = _CITED_BY.get(child_text(element, "category") or "")
        citation = _citation(element, len(citations) + 1, cited_by)
        if citation is not None:
            citations.append(citation)
    return tuple(citations)


def _citation(element: Element, sequence: int, cited_by: str | None) -> Citation | None:
    document = element.find("patcit/document-id")
    if document is not None:
        country = child_text(document, "country") or ""
        number = child_text(document, "doc-number") or ""
        kind = child_text(document, "kind")
        try:
            parsed = parse_doc_number(f"{country} {number} {kind or ''}".strip())
        except IdentifierError:
            raw = re.sub(r"\s", "", f"{country}{number}")
            return Citation(sequence, number=raw or None, kind=kind, cited_by=cited_by)
        return Citation(sequence, number=parsed.epodoc, kind=parsed.kind, cited_by=cited_by)
    text = child_text(element, "nplcit/othercit") or child_text(element, "nplcit")
    return Citation(sequence, text=text, cited_by=cited_by) if text else None

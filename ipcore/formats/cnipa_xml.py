"""CNIPA 专利全文 XML — both layouts CNIPA has published.

* **V2.2.1** (``xsdVersion="V2.2.1"``, root ``business:PatentDocumentAndRelated``, CNIPA's
  current bulk format): every reference is given twice, ``dataFormat="original"``
  (``202111286633.X``) and ``"standard"`` (``102021001286633``); the original is read.
  Addresses come as free text plus structured province/city/county, with ``0`` standing
  for "not given".
* **cn-patent-document** (ST.36-like, used until about 2016): the same facts in kebab-case
  elements, addresses as free text only, no party countries.

One file holds one document. What is read: application number (check digit verified — a
wrong one is a warning, because real registers hold such numbers), filing date,
publication number/kind/date, the grant date for granted kinds, patent type, Chinese title,
abstract and claims, IPC (first = main), applicants and inventors in order with the raw
Chinese address (districts are resolved later, not here), priorities, and PCT data.
Agents and agencies (代理人/代理机构) are not parties to the right and are skipped.

PCT: ``PatentRecord`` has no PCT field, so the international application travels as a
priority with office ``WO`` and the normalised number ``PCT/US2021/019468`` — as DOCDB
lists the international application among a national phase's priority claims. The WO
publication number has no field to go to and is not kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ipcore.formats.base import FileFormatError, ReadResult
from ipcore.formats.safe_xml import (
    Element,
    FieldError,
    bilingual,
    child_text,
    classifications,
    field_date,
    parse_file,
    strip_namespaces,
    text_of,
)
from ipcore.identifiers.cn import (
    CnApplicationNumber,
    PatentType,
    parse_cn_application,
    parse_cn_publication,
)
from ipcore.identifiers.docdb import parse_doc_number, parse_pct_application
from ipcore.identifiers.errors import IdentifierError
from ipcore.patents.record import (
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

NAME = "cnipa-xml"
DESCRIPTION = "CNIPA patent XML (V2.2.1 PatentDocumentAndRelated and older cn-patent-document)"

_DOCUMENT_TYPES: Final = {
    PatentType.INVENTION: DocumentType.INVENTION,
    PatentType.UTILITY_MODEL: DocumentType.UTILITY_MODEL,
    PatentType.DESIGN: DocumentType.DESIGN,
}
# 授权公告 kinds. Before 2010-04-07 CNIPA printed grants as C (invention), Y (utility model)
# and D (design); since then C and Y mean partial invalidation, so the date decides.
_GRANT_KINDS: Final = frozenset("BUS")
_OLD_GRANT_KINDS: Final = frozenset("CYD")
_KIND_CODES_CHANGED: Final = dt.date(2010, 4, 7)
_NOT_GIVEN: Final = frozenset({"", "0"})  # V2.2.1 writes 0 in address fields it lacks


@dataclass(frozen=True)
class _Layout:
    """Where each fact lives in one of the two layouts (paths after namespace stripping)."""

    name: str
    publication: str
    application: str
    number: str
    kind: str
    date: str
    country: str
    priorities: str
    ipc: str
    title: str
    abstract: str
    applicants: str
    inventors: str
    names: tuple[str, ...]
    address: str
    claims: str
    pct_application: str


_NEW: Final = _Layout(
    name="PatentDocumentAndRelated",
    publication="BibliographicData/PublicationReference[@dataFormat='original']/DocumentID",
    application="BibliographicData/ApplicationReference[@dataFormat='original']/DocumentID",
    number="DocNumber",
    kind="Kind",
    date="Date",
    country="WIPOST3Code",
    priorities="BibliographicData/PriorityDetails/Priority[@dataFormat='original']",
    ipc="BibliographicData/ClassificationIPCRDetails/ClassificationIPCR/Text",
    title="BibliographicData/InventionTitle",
    abstract="Abstract/Paragraphs",
    applicants="BibliographicData/Parties/ApplicantDetails/Applicant",
    inventors="BibliographicData/Parties/InventorDetails/Inventor",
    names=("AddressBook/Name", "AddressBook/OrganizationName"),
    address="AddressBook/Address",
    claims="Claims/Claim",
    pct_application="BibliographicData/PCTOrRegionalApplicationData/DocumentID",
)
_OLD: Final = _Layout(
    name="cn-patent-document",
    publication="cn-bibliographic-data/cn-publication-reference/document-id",
    application="cn-bibliographic-data/application-reference/document-id",
    number="doc-number",
    kind="kind",
    date="date",
    country="country",
    priorities="cn-bibliographic-data/priority-claims/priority-claim",
    ipc="cn-bibliographic-data/classifications-ipcr/classification-ipcr/text",
    title="cn-bibliographic-data/invention-title",
    abstract="cn-bibliographic-data/abstract/p",
    applicants="cn-bibliographic-data/cn-parties/cn-applicants/cn-applicant",
    inventors="cn-bibliographic-data/cn-parties/cn-inventors/cn-inventor",
    names=("addressbook/name", "name"),
    address="addressbook/address",
    claims="application-body/claims/claim",
    pct_application="cn-bibliographic-data/pct-or-regional-filing-data/document-id",
)
_LAYOUTS: Final = {layout.name: layout for layout in (_NEW, _OLD)}


def sniff(path: Path, head: bytes) -> bool:
    """Either root element name appears in the first bytes of every CNIPA file."""
    return b"PatentDocumentAndRelated" in head or b"<cn-patent-document" in head


def read(path: Path) -> Iterator[ReadResult]:
    """Yield the one record a CNIPA file holds, or a RecordError naming the bad field."""
    root = strip_namespaces(parse_file(path))
    layout = _LAYOUTS.get(root.tag)
    if layout is None:
        raise FileFormatError(path, f"not CNIPA patent XML: root element <{root.tag}>")
    location = RecordLocation(str(path), _record_id(root, layout))
    try:
        yield _record(root, layout, location)
    except FieldError as error:
        yield RecordError(error.field_name, error.reason, location=location)


def _record_id(root: Element, layout: _Layout) -> str:
    publication = root.find(layout.publication)
    number = child_text(publication, layout.number)
    return f"CN{number}{child_text(publication, layout.kind) or ''}" if number else "document 1"


def _record(root: Element, layout: _Layout, location: RecordLocation) -> PatentRecord:
    warnings: list[str] = []
    application = _application_number(root, layout, warnings)
    publication = _publication(root, layout)
    language = (root.get("lang") or "zh").lower()
    claims = root.findall(layout.claims)
    return PatentRecord(
        office="CN",
        document_type=_document_type(application, publication, warnings),
        application_number=application.normalised if application else None,
        application_date=field_date(
            child_text(root.find(layout.application), layout.date), "application_date"
        ),
        publications=(publication,),
        grant_date=_grant_date(publication),
        texts=_texts(root, layout, claims, language),
        claims_count=len(claims) or None,
        classifications=classifications(Scheme.IPC, _ipc_texts(root, layout), warnings),
        parties=_parties(root, layout),
        priorities=_priorities(root, layout) + _pct_priority(root, layout, warnings),
        location=location,
        warnings=tuple(warnings),
    )


# --- numbers and dates -------------------------------------------------------------------


def _application_number(
    root: Element, layout: _Layout, warnings: list[str]
) -> CnApplicationNumber | None:
    text = child_text(root.find(layout.application), layout.number)
    if text is None:
        warnings.append("application_number: missing")
        return None
    try:
        number = parse_cn_application(text)
    except IdentifierError as error:
        raise FieldError("application_number", bilingual(error)) from None
    warnings.extend(f"application_number: {w.message_en} / {w.message_zh}" for w in number.warnings)
    return number


def _publication(root: Element, layout: _Layout) -> Publication:
    reference = root.find(layout.publication)
    number, kind = child_text(reference, layout.number), child_text(reference, layout.kind)
    if number is None:
        raise FieldError("publication_number", "missing")
    try:
        parsed = parse_cn_publication(f"CN{number}{kind or ''}")
    except IdentifierError as error:
        raise FieldError("publication_number", bilingual(error)) from None
    date = field_date(child_text(reference, layout.date), "publication_date")
    return Publication(number=f"CN{parsed.number}", kind=parsed.kind, date=date)


def _grant_date(publication: Publication) -> dt.date | None:
    """授权公告日: the publication date of a granted kind (B/U/S; C/Y/D before 2010-04-07)."""
    kind = (publication.kind or "")[:1]
    if publication.date is None or not kind:
        return None
    if kind in _GRANT_KINDS:
        return publication.date
    if kind in _OLD_GRANT_KINDS and publication.date < _KIND_CODES_CHANGED:
        return publication.date
    return None


def _document_type(
    application: CnApplicationNumber | None, publication: Publication, warnings: list[str]
) -> DocumentType:
    """专利类型 from the application's type digit, checked against the publication number."""
    try:
        from_publication = parse_cn_publication(publication.label).patent_type
    except (IdentifierError, KeyError):
        from_publication = None
    if application is None:
        return _DOCUMENT_TYPES[from_publication] if from_publication else DocumentType.UNKNOWN
    if from_publication is not None and from_publication is not application.patent_type:
        warnings.append(
            f"document_type: application number says {application.patent_type.value}, "
            f"publication number says {from_publication.value}"
        )
    return _DOCUMENT_TYPES[application.patent_type]


# --- texts and classifications -----------------------------------------------------------


def _texts(
    root: Element, layout: _Layout, claims: list[Element], language: str
) -> tuple[Text, ...]:
    texts: list[Text] = []
    title = root.find(layout.title)
    if title is not None and text_of(title):
        texts.append(Text(TextField.TITLE, (title.get("lang") or language).lower(), text_of(title)))
    abstract = _abstract(root, layout)
    if abstract:
        texts.append(Text(TextField.ABSTRACT, language, abstract))
    claims_text = "\n".join(filter(None, (text_of(claim) for claim in claims)))
    if claims_text:
        texts.append(Text(TextField.CLAIMS, language, claims_text))
    return tuple(texts)


def _abstract(root: Element, layout: _Layout) -> str:
    # The old layout puts 生物保藏 (deposit) data in a <p num="bio"> inside the abstract.
    paragraphs = (p for p in root.findall(layout.abstract) if p.get("num", "1").isdigit())
    return "\n".join(filter(None, (text_of(p) for p in paragraphs)))


def _ipc_texts(root: Element, layout: _Layout) -> list[str]:
    return [text for element in root.findall(layout.ipc) if (text := text_of(element))]


# --- parties -----------------------------------------------------------------------------


def _parties(root: Element, layout: _Layout) -> tuple[Party, ...]:
    applicants = _people(root.findall(layout.applicants), PartyRole.APPLICANT, layout)
    inventors = _people(root.findall(layout.inventors), PartyRole.INVENTOR, layout)
    return applicants + inventors


def _people(elements: list[Element], role: PartyRole, layout: _Layout) -> tuple[Party, ...]:
    parties: list[Party] = []
    for element in elements:
        name = next(filter(None, (child_text(element, path) for path in layout.names)), None)
        if name is None:
            continue
        address = element.find(layout.address)
        parties.append(
            Party(
                role=role,
                sequence=len(parties) + 1,
                name=name,
                country=_given(address, "WIPOST3Code"),
                city=_given(address, "City"),
                state=_given(address, "Province"),
                address=_given(address, "Text") or _given(address, "text"),
            )
        )
    return tuple(parties)


def _given(address: Element | None, path: str) -> str | None:
    text = child_text(address, path)
    return None if text is None or text in _NOT_GIVEN else text


# --- priorities and PCT ------------------------------------------------------------------


def _priorities(root: Element, layout: _Layout) -> tuple[Priority, ...]:
    priorities: list[Priority] = []
    for index, claim in enumerate(root.findall(layout.priorities), start=1):
        office = child_text(claim, layout.country)
        number = child_text(claim, layout.number)
        if office is None or number is None:
            continue
        date = field_date(child_text(claim, layout.date), f"priorities[{index}].date")
        priorities.append(Priority(office, _docdb_number(office, number), date))
    return tuple(priorities)


def _docdb_number(office: str, number: str) -> str:
    """A priority number in DOCDB form (``10-2016-0063019`` → ``20160063019``) if it parses."""
    try:
        return parse_doc_number(f"{office} {number}").number
    except IdentifierError:
        return number


def _pct_priority(root: Element, layout: _Layout, warnings: list[str]) -> tuple[Priority, ...]:
    """PCT国际申请 as a priority with office WO (see the module docstring)."""
    reference = root.find(layout.pct_application)
    text = child_text(reference, layout.number)
    if text is None:
        return ()
    try:
        number = parse_pct_application(text).normalised
    except IdentifierError as error:
        warnings.append(f"pct_application: {bilingual(error)}")
        return ()
    date = field_date(child_text(reference, layout.date), "pct_application.date")
    return (Priority("WO", number, date),)

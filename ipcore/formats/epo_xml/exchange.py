"""``exchange-document`` — the record shape OPS and DOCDB share — and DOCDB file streaming.

OPS marks each number's format on ``document-id`` (``document-id-type``), DOCDB on the
reference around it (``data-format``); :func:`document_ids` reads both the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from ipcore.formats.base import ReadResult
from ipcore.formats.epo_xml.numbers import (
    application_number,
    doc_number,
    document_type,
    grant_date,
    pct_number,
    priority_number,
)
from ipcore.formats.safe_xml import (
    Element,
    FieldError,
    Unreadable,
    bilingual,
    child_text,
    classifications,
    field_date,
    iter_elements,
    strip_namespaces,
    structured_symbol,
    text_of,
)
from ipcore.identifiers.errors import IdentifierError
from ipcore.patents.record import (
    Citation,
    Classification,
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

_EXCHANGE_PREFIXES: Final = {"exch": "http://www.epo.org/exchange"}

_NAME_FORMATS: Final = ("original", "docdba", "docdb", "epodoc")

_EPODOC_COUNTRY: Final = re.compile(r"\s*\[([A-Z]{2})\]\s*$")
# Kinds that are a grant (the publication date is the grant date), by office.

_APPLICANT_PHASES: Final = frozenset({"APP"})
_OPPOSITION_PHASES: Final = frozenset({"OPP"})


def read_docdb(path: Path) -> Iterator[ReadResult]:
    """Stream a DOCDB exchange file (or one record cut from it), one record per document."""
    for index, element in enumerate(
        iter_elements(path, "exchange-document", prefixes=_EXCHANGE_PREFIXES), start=1
    ):
        if isinstance(element, Unreadable):
            location = RecordLocation(str(path), f"exchange-document {index}, line {element.line}")
            yield RecordError("document", element.error.describe(), location=location)
            continue
        strip_namespaces(element)
        location = RecordLocation(str(path), f"{member_label(element)} (exchange-document {index})")
        try:
            yield exchange_record(element, location)
        except FieldError as error:
            yield RecordError(error.field_name, error.reason, location=location)


def exchange_record(document: Element, location: RecordLocation) -> PatentRecord:
    """One ``exchange-document`` (OPS or DOCDB, namespaces stripped) as a record."""
    bibliography = document.find("bibliographic-data")
    if bibliography is None:
        raise FieldError("bibliographic-data", "missing")
    publication = exchange_publication(document, bibliography)
    office = document.get("country") or publication.number[:2]
    warnings: list[str] = []
    application_number, application_date = exchange_application(bibliography, office, warnings)
    return PatentRecord(
        office=office,
        document_type=document_type(office, publication.kind),
        application_number=application_number,
        application_date=application_date,
        publications=(publication,),
        grant_date=grant_date(office, publication) or _printed_with_grant(bibliography),
        texts=_exchange_texts(document, bibliography),
        classifications=_exchange_ipc(bibliography, warnings)
        + _exchange_cpc(bibliography, warnings),
        parties=_exchange_parties(bibliography),
        priorities=exchange_priorities(bibliography.findall("priority-claims/priority-claim")),
        citations=_exchange_citations(bibliography),
        family_id=document.get("family-id"),
        location=location,
        warnings=tuple(warnings),
    )


def member_label(member: Element) -> str:
    """``EP1000000A1`` — how a rejects file names an exchange document or family member."""
    if member.get("doc-number"):
        return f"{member.get('country', '')}{member.get('doc-number')}{member.get('kind', '')}"
    ids = document_ids(member.findall("publication-reference"))
    docdb = ids.get("docdb")
    parts = (child_text(docdb, tag) or "" for tag in ("country", "doc-number", "kind"))
    return "".join(parts) or member.tag


def _printed_with_grant(bibliography: Element) -> dt.date | None:
    """DOCDB says so itself for offices whose kinds this reader does not know (AP, OA …)."""
    path = "dates-of-public-availability/printed-with-grant/document-id/date"
    return field_date(child_text(bibliography, path), "grant_date")


def document_ids(references: Iterable[Element]) -> dict[str, Element]:
    """``{format: document-id}`` for OPS (``document-id-type``) and DOCDB (``data-format``)."""
    ids: dict[str, Element] = {}
    for reference in references:
        for document_id in reference.findall("document-id"):
            name = document_id.get("document-id-type") or reference.get("data-format") or "docdb"
            ids.setdefault(name, document_id)
    return ids


def exchange_publication(document: Element, container: Element) -> Publication:
    """The DOCDB publication number, kind and date (attributes are the fallback)."""
    ids = document_ids(container.findall("publication-reference"))
    docdb = ids.get("docdb")
    country = child_text(docdb, "country") or document.get("country")
    number = child_text(docdb, "doc-number") or document.get("doc-number")
    if not country or not number:
        raise FieldError("publication_number", "no docdb publication reference")
    kind = child_text(docdb, "kind") or document.get("kind")
    date_text = (
        child_text(docdb, "date")
        or child_text(ids.get("epodoc"), "date")
        or document.get("date-publ")
    )
    parsed = doc_number(country, number, kind, "publication_number")
    return Publication(parsed.epodoc, parsed.kind, field_date(date_text, "publication_date"))


def exchange_application(
    container: Element, office: str, warnings: list[str]
) -> tuple[str | None, dt.date | None]:
    ids = document_ids(container.findall("application-reference"))
    docdb, epodoc, original = ids.get("docdb"), ids.get("epodoc"), ids.get("original")
    date_text = child_text(docdb, "date") or child_text(epodoc, "date")
    date = field_date(date_text, "application_date")
    country = child_text(docdb, "country") or office
    number = child_text(docdb, "doc-number")
    try:
        normalised = application_number(
            office, country, number, child_text(docdb, "kind"), child_text(original, "doc-number")
        )
    except IdentifierError as error:
        warnings.append(f"application_number: {bilingual(error)}")
        normalised = None
    return normalised, date


def _exchange_texts(document: Element, bibliography: Element) -> tuple[Text, ...]:
    """Titles and abstracts, one per language (the first format given wins)."""
    texts: dict[tuple[TextField, str], Text] = {}
    sources = (
        (TextField.TITLE, bibliography.findall("invention-title")),
        (TextField.ABSTRACT, document.findall("abstract")),
    )
    for field_, elements in sources:
        for element in elements:
            language = (element.get("lang") or "en").lower()
            text = text_of(element)
            if text and (field_, language) not in texts:
                texts[(field_, language)] = Text(field_, language, text)
    return tuple(texts.values())


def _exchange_ipc(bibliography: Element, warnings: list[str]) -> tuple[Classification, ...]:
    texts = [
        text_of(e) for e in bibliography.iterfind("classifications-ipcr/classification-ipcr/text")
    ]
    if not texts:  # pre-2006 records: <classification-ipc><text> or <main-classification>
        texts = [
            text_of(element)
            for element in bibliography.iterfind("classification-ipc/*")
            if element.tag in ("text", "main-classification", "further-classification")
        ]
    return classifications(Scheme.IPC, texts, warnings)


def _exchange_cpc(bibliography: Element, warnings: list[str]) -> tuple[Classification, ...]:
    """CPC symbols, main (symbol-position F) first; OPS spells them in parts, DOCDB whole."""
    entries = [
        element
        for element in bibliography.iterfind("patent-classifications/patent-classification")
        if (element.find("classification-scheme") is not None)
        and (element.find("classification-scheme").get("scheme") or "").startswith("CPC")
    ]
    entries.sort(key=lambda element: child_text(element, "symbol-position") != "F")
    return classifications(Scheme.CPC, [_cpc_symbol(element) for element in entries], warnings)


def _cpc_symbol(element: Element) -> str:
    return child_text(element, "classification-symbol") or structured_symbol(element)


# --- parties -----------------------------------------------------------------------------


def _exchange_parties(bibliography: Element) -> tuple[Party, ...]:
    roles = (
        ("parties/applicants/applicant", "applicant-name/name", PartyRole.APPLICANT),
        ("parties/inventors/inventor", "inventor-name/name", PartyRole.INVENTOR),
    )
    parties: list[Party] = []
    for path, name_path, role in roles:
        parties.extend(_formatted_parties(bibliography.findall(path), name_path, role))
    return tuple(parties)


def _formatted_parties(elements: list[Element], name_path: str, role: PartyRole) -> list[Party]:
    """The parties of one role in the preferred name format, deduplicated, in sequence."""
    by_format: dict[str, list[tuple[int, str, str | None]]] = {}
    for position, element in enumerate(elements, start=1):
        name, country = _party_name(child_text(element, name_path) or "")
        country = child_text(element, "residence/country") or country
        sequence = (
            int(element.get("sequence", "")) if element.get("sequence", "").isdigit() else position
        )
        if name:
            by_format.setdefault(element.get("data-format") or "docdb", []).append(
                (sequence, name, country)
            )
    chosen = next((by_format[f] for f in _NAME_FORMATS if f in by_format), [])
    countries = {seq: c for entries in by_format.values() for seq, _n, c in entries if c}
    parties: list[Party] = []
    seen: set[str] = set()
    for sequence, name, country in sorted(chosen, key=lambda entry: entry[0]):
        folded = re.sub(r"[\W_]+", "", name.casefold())
        if folded in seen:
            continue
        seen.add(folded)
        parties.append(Party(role, sequence, name, country=country or countries.get(sequence)))
    return parties


def _party_name(raw: str) -> tuple[str, str | None]:
    """``BEDNAREK MICHAEL C [US]`` → name and country; trailing ``, `` removed (OPS)."""
    match = _EPODOC_COUNTRY.search(raw)
    country = match[1] if match else None
    name = _EPODOC_COUNTRY.sub("", raw).strip().rstrip(",").strip()
    return name, country


# --- priorities and citations ------------------------------------------------------------


def exchange_priorities(claims: list[Element]) -> tuple[Priority, ...]:
    """Priority claims, one per sequence: docdb numbers, else epodoc, else original."""
    grouped: dict[str, dict[str, Element]] = {}
    for position, claim in enumerate(claims, start=1):
        ids = grouped.setdefault(claim.get("sequence") or str(position), {})
        for name, document_id in document_ids([claim]).items():
            ids.setdefault(claim.get("data-format") or name, document_id)
    priorities: list[Priority] = []
    for index, ids in enumerate(grouped.values(), start=1):
        priority = _priority(ids, f"priorities[{index}].date")
        if priority is not None:
            priorities.append(priority)
    return tuple(priorities)


def _priority(ids: dict[str, Element], field_name: str) -> Priority | None:
    """docdb numbers first, then the original as filed, then epodoc (which adds a year).

    The international application (epodoc ``WO2013US50328``, docdb kind ``W``) becomes
    office ``WO`` with its ``PCT/`` number, as in every other reader.
    """
    docdb, epodoc, original = ids.get("docdb"), ids.get("epodoc"), ids.get("original")
    date_text = next(filter(None, (child_text(i, "date") for i in (docdb, epodoc, original))), None)
    date = field_date(date_text, field_name)
    epodoc_number = child_text(epodoc, "doc-number") or ""
    office = child_text(docdb, "country") or epodoc_number[:2]
    number = child_text(docdb, "doc-number")
    if child_text(docdb, "kind") == "W" or epodoc_number.startswith("WO"):
        pct = pct_number(epodoc_number) if epodoc_number else pct_number(f"{office}{number}W")
        return Priority("WO", pct, date)
    if number:
        return Priority(office, number, date)
    original_number = child_text(original, "doc-number")
    if office and original_number:
        return Priority(office, priority_number(office, original_number), date)
    if epodoc_number:  # US201213547826: country, then year and number
        return Priority(office, epodoc_number[2:], date)
    return None


def _exchange_citations(bibliography: Element) -> tuple[Citation, ...]:
    citations: list[Citation] = []
    for element in bibliography.iterfind("references-cited/citation"):
        citation = _exchange_citation(element, len(citations) + 1)
        if citation is not None:
            citations.append(citation)
    return tuple(citations)


def _exchange_citation(element: Element, sequence: int) -> Citation | None:
    category = child_text(element, "category")
    cited_by = _cited_by(element)
    patent = element.find("patcit")
    if patent is not None:
        ids = document_ids([patent])
        docdb = ids.get("docdb")
        if docdb is not None and child_text(docdb, "doc-number"):
            country = child_text(docdb, "country") or ""
            number = child_text(docdb, "doc-number") or ""
            kind = child_text(docdb, "kind")
            return Citation(
                sequence,
                number=f"{country}{number}",
                kind=kind,
                category=category,
                cited_by=cited_by,
            )
        epodoc = child_text(ids.get("epodoc"), "doc-number")
        return (
            Citation(sequence, number=epodoc, category=category, cited_by=cited_by)
            if epodoc
            else None
        )
    text = child_text(element, "nplcit/text") or child_text(element, "nplcit")
    return Citation(sequence, text=text, category=category, cited_by=cited_by) if text else None


def _cited_by(element: Element) -> str | None:
    """OPS says ``cited-by``; DOCDB gives the phase (APP applicant, OPP opposition, …)."""
    cited_by: str | None = element.get("cited-by")
    if cited_by:
        return None if cited_by == "unknown" else cited_by
    phase = element.get("cited-phase")
    if phase is None:
        return None
    if phase in _APPLICANT_PHASES:
        return "applicant"
    return "opponent" if phase in _OPPOSITION_PHASES else "examiner"

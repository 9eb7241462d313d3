"""European Publication Server ``ep-patent-document`` (DTD v1.0 to v1.5.1).

The bibliography is ST.36 "B-tags" in SDOBI: B110 number, B130 kind, B140 date, B210/B220
application, B300 priorities as sibling triples, B450 grant date, B510EP IPC (B511/B512
before IPC8), B520EP CPC, B540 titles as language/title sibling pairs, B560 citations,
B711 applicants, B721 inventors, B731 proprietors, B861 the PCT application.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from ipcore.formats.base import ReadResult
from ipcore.formats.epo_xml.numbers import (
    doc_number,
    ep_application_number,
    pct_spelling,
    priority_number,
)
from ipcore.formats.safe_xml import (
    Element,
    FieldError,
    bilingual,
    child_text,
    classifications,
    field_date,
    parse_file,
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

_EP_CITED_PATENT: Final = re.compile(r"^([A-Z]{2})-([A-Z]\d?)-\s*(.+)$")


def read_publication_server(path: Path) -> ReadResult:
    """The one record an ``ep-patent-document`` file holds, or the RecordError naming why not."""
    root = parse_file(path)
    label = f"EP{root.get('doc-number', '')}{root.get('kind', '')}"
    location = RecordLocation(str(path), label)
    try:
        return _ep_document(root, location)
    except FieldError as error:
        return RecordError(error.field_name, error.reason, location=location)


def _ep_document(root: Element, location: RecordLocation) -> PatentRecord:
    bibliography = root.find("SDOBI")
    if bibliography is None:
        raise FieldError("SDOBI", "ep-patent-document without its bibliographic block")
    warnings: list[str] = []
    publication = _ep_publication(root, bibliography)
    return PatentRecord(
        office="EP",
        document_type=DocumentType.INVENTION,
        application_number=ep_application_number(child_text(bibliography, "B200/B210")),
        application_date=field_date(child_text(bibliography, "B200/B220/date"), "application_date"),
        publications=(publication,),
        grant_date=field_date(child_text(bibliography, "B400/B450/date"), "grant_date"),
        texts=_ep_titles(bibliography) + _ep_texts(root),
        claims_count=_ep_claims_count(root),
        classifications=_ep_ipc(bibliography, warnings) + _ep_cpc(bibliography, warnings),
        parties=_ep_parties(bibliography),
        priorities=_ep_priorities(bibliography) + _ep_pct(bibliography, warnings),
        citations=_ep_citations(bibliography),
        location=location,
        warnings=tuple(warnings),
    )


def _ep_publication(root: Element, bibliography: Element) -> Publication:
    number = child_text(bibliography, "B100/B110") or root.get("doc-number")
    kind = child_text(bibliography, "B100/B130") or root.get("kind")
    if not number:
        raise FieldError("publication_number", "missing (B110)")
    date_text = child_text(bibliography, "B100/B140/date") or root.get("date-publ")
    parsed = doc_number("EP", number, kind, "publication_number")
    return Publication(parsed.epodoc, parsed.kind, field_date(date_text, "publication_date"))


def _ep_titles(bibliography: Element) -> tuple[Text, ...]:
    """B540 holds (B541 language, B542 title) pairs as siblings."""
    titles: list[Text] = []
    language = None
    for element in bibliography.iterfind("B500/B540/*"):
        if element.tag == "B541":
            language = text_of(element).lower()
        elif element.tag == "B542" and language and text_of(element):
            titles.append(Text(TextField.TITLE, language, text_of(element)))
    return tuple(titles)


def _ep_claims_count(root: Element) -> int | None:
    """Claims in the language of the proceedings (a B document repeats them in de/en/fr)."""
    language = (root.get("lang") or "en").lower()
    all_claims = root.findall("claims")
    same = [claims for claims in all_claims if (claims.get("lang") or "").lower() == language]
    chosen = (same or all_claims)[:1]
    return len(chosen[0].findall("claim")) or None if chosen else None


def _ep_texts(root: Element) -> tuple[Text, ...]:
    """Abstracts and claims, one text per language given."""
    language = (root.get("lang") or "en").lower()
    texts = [
        Text(TextField.ABSTRACT, (abstract.get("lang") or language).lower(), text_of(abstract))
        for abstract in root.findall("abstract")
        if text_of(abstract)
    ]
    for claims in root.findall("claims"):
        text = "\n".join(filter(None, (text_of(claim) for claim in claims.findall("claim"))))
        if text:
            texts.append(Text(TextField.CLAIMS, (claims.get("lang") or language).lower(), text))
    return tuple(texts)


def _ep_ipc(bibliography: Element, warnings: list[str]) -> tuple[Classification, ...]:
    texts = [text_of(e) for e in bibliography.iterfind("B500/B510EP/classification-ipcr/text")]
    if not texts:  # before IPC8: B511 main, B512 further, as "2C 07D 307/12 A"
        old = list(bibliography.iterfind("B500/B510/B511")) + list(
            bibliography.iterfind("B500/B510/B512")
        )
        texts = [_old_ipc_symbol(text_of(element)) for element in old]
    return classifications(Scheme.IPC, texts, warnings)


def _old_ipc_symbol(text: str) -> str:
    """Drop the edition digit in front (``2C 07D …``) and a trailing flag (``-``)."""
    return re.sub(r"\s+-$", "", re.sub(r"^\d+\s*(?=[A-HY])", "", text))


def _ep_cpc(bibliography: Element, warnings: list[str]) -> tuple[Classification, ...]:
    path = "B500/B520EP/classifications-cpc/classification-cpc/text"
    return classifications(Scheme.CPC, [text_of(e) for e in bibliography.iterfind(path)], warnings)


def _ep_parties(bibliography: Element) -> tuple[Party, ...]:
    roles = (
        ("B700/B710/B711", PartyRole.APPLICANT),
        ("B700/B730/B731", PartyRole.OWNER),  # 专利权人 of a granted EP (proprietor)
        ("B700/B720/B721", PartyRole.INVENTOR),
    )
    parties: list[Party] = []
    for path, role in roles:
        for sequence, element in enumerate(bibliography.findall(path), start=1):
            parties.append(_ep_party(element, role, sequence))
    return tuple(party for party in parties if party.name)


def _ep_party(element: Element, role: PartyRole, sequence: int) -> Party:
    street, city = child_text(element, "adr/str"), child_text(element, "adr/city")
    return Party(
        role=role,
        sequence=sequence,
        name=child_text(element, "snm") or "",
        country=child_text(element, "adr/ctry"),
        city=city,
        address=", ".join(part for part in (street, city) if part) or None,
    )


def _ep_priorities(bibliography: Element) -> tuple[Priority, ...]:
    """B300 holds (B310 number, B320 date, B330 country) triples as siblings."""
    triples: list[dict[str, str]] = []
    for element in bibliography.iterfind("B300/*"):
        if element.tag == "B310":
            triples.append({"number": text_of(element)})
        elif triples and element.tag == "B320":
            triples[-1]["date"] = child_text(element, "date") or ""
        elif triples and element.tag == "B330":
            triples[-1]["office"] = child_text(element, "ctry") or ""
    priorities = []
    for index, triple in enumerate(triples, start=1):
        office = triple.get("office", "")
        date = field_date(triple.get("date"), f"priorities[{index}].date")
        priorities.append(Priority(office, priority_number(office, triple["number"]), date))
    return tuple(priorities)


def _ep_pct(bibliography: Element, warnings: list[str]) -> tuple[Priority, ...]:
    """B861: the international application of a Euro-PCT (``CA2002001757``)."""
    number = child_text(bibliography, "B800/B860/B861/dnum/anum")
    if number is None:
        return ()
    try:
        pct = parse_pct_application(pct_spelling(number))
    except IdentifierError as error:
        warnings.append(f"pct_application: {bilingual(error)}")
        return ()
    date = field_date(child_text(bibliography, "B800/B860/B861/date"), "pct_application.date")
    return (Priority("WO", pct.normalised, date),)


def _ep_citations(bibliography: Element) -> tuple[Citation, ...]:
    """B561 patent citations (``US-A- 5 948 634``) and B562 non-patent literature."""
    citations: list[Citation] = []
    for element in bibliography.iterfind("B500/B560/*"):
        text = child_text(element, "text") or text_of(element)
        sequence = len(citations) + 1
        if element.tag == "B561" and text:
            citations.append(_ep_patent_citation(text, sequence))
        elif element.tag == "B562" and text:
            citations.append(Citation(sequence, text=text))
    return tuple(citations)


def _ep_patent_citation(text: str, sequence: int) -> Citation:
    match = _EP_CITED_PATENT.match(text)
    if match is None:
        return Citation(sequence, text=text)
    country, kind, number = match.groups()
    try:
        parsed = parse_doc_number(f"{country} {number} {kind}")
    except IdentifierError:
        return Citation(sequence, text=text)  # e.g. "US-E- R E36 154": kept as written
    return Citation(sequence, number=parsed.epodoc, kind=parsed.kind)

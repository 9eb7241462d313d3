"""OPS 3.2 responses: ``exchange-documents`` (biblio, full-cycle) and ``patent-family``
(family, family/legal). Members that are publications of one application are merged into
one record; INPADOC legal events stay on the member that carries them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from ipcore.formats.base import FileFormatError, ReadResult
from ipcore.formats.epo_xml.exchange import (
    exchange_application,
    exchange_priorities,
    exchange_publication,
    exchange_record,
    member_label,
)
from ipcore.formats.epo_xml.numbers import document_type, grant_date
from ipcore.formats.safe_xml import (
    Element,
    FieldError,
    child_text,
    field_date,
    parse_file,
    strip_namespaces,
    text_of,
)
from ipcore.patents.record import LegalEventRecord, PatentRecord, RecordError, RecordLocation


def read_ops(path: Path) -> Iterator[ReadResult]:
    """Records of an OPS response (parsed whole: OPS answers are small), merged by application."""
    root = strip_namespaces(parse_file(path))
    members = root.findall("exchange-documents/exchange-document") + root.findall(
        "patent-family/family-member"
    )
    if not members:
        raise FileFormatError(path, "OPS response without biblio, family or legal data")
    results: list[ReadResult] = []
    for member in members:
        location = RecordLocation(str(path), member_label(member))
        build = exchange_record if member.tag == "exchange-document" else _family_member
        try:
            results.append(build(member, location))
        except FieldError as error:
            results.append(RecordError(error.field_name, error.reason, location=location))
    yield from _merge_same_application(results)


def _merge_same_application(results: list[ReadResult]) -> Iterator[ReadResult]:
    """One record per application: publications of one application are merged in order."""
    merged: dict[str, PatentRecord] = {}
    for result in results:
        if isinstance(result, RecordError):
            yield result
            continue
        key = result.key
        merged[key] = _merge(merged[key], result) if key in merged else result
    yield from merged.values()


def _merge(first: PatentRecord, other: PatentRecord) -> PatentRecord:
    """Union of two records of one application; the first record's values win on conflict."""
    known = {publication.label for publication in first.publications}
    texts = {(text.field, text.language) for text in first.texts}
    return dataclasses.replace(
        first,
        publications=first.publications
        + tuple(p for p in other.publications if p.label not in known),
        grant_date=first.grant_date or other.grant_date,
        application_date=first.application_date or other.application_date,
        texts=first.texts + tuple(t for t in other.texts if (t.field, t.language) not in texts),
        claims_count=first.claims_count or other.claims_count,
        classifications=first.classifications or other.classifications,
        parties=first.parties or other.parties,
        priorities=first.priorities or other.priorities,
        citations=first.citations or other.citations,
        legal_events=first.legal_events
        + tuple(e for e in other.legal_events if e not in first.legal_events),
        family_id=first.family_id or other.family_id,
        warnings=first.warnings + tuple(w for w in other.warnings if w not in first.warnings),
    )


def _family_member(member: Element, location: RecordLocation) -> PatentRecord:
    """An ``ops:family-member``: numbers, priorities, family id and INPADOC legal events."""
    publication = exchange_publication(member, member)
    office = publication.number[:2]
    warnings: list[str] = []
    application_number, application_date = exchange_application(member, office, warnings)
    return PatentRecord(
        office=office,
        document_type=document_type(office, publication.kind),
        application_number=application_number,
        application_date=application_date,
        publications=(publication,),
        grant_date=grant_date(office, publication),
        priorities=exchange_priorities(member.findall("priority-claim")),
        legal_events=_legal_events(member.findall("legal")),
        family_id=member.get("family-id"),
        location=location,
        warnings=tuple(warnings),
    )


def _legal_events(elements: list[Element]) -> tuple[LegalEventRecord, ...]:
    """INPADOC events: code, gazette date (L007EP), effective date (L525EP), details."""
    events: list[LegalEventRecord] = []
    for index, element in enumerate(elements, start=1):
        field_name = f"legal_events[{index}]"
        date = field_date(child_text(element, "L007EP"), f"{field_name}.date")
        if date is None:
            raise FieldError(f"{field_name}.date", "missing (L007EP)")
        effective = field_date(child_text(element, "L500EP/L525EP"), f"{field_name}.effective")
        events.append(
            LegalEventRecord(
                code=(element.get("code") or child_text(element, "L008EP") or "").strip(),
                date=date,
                effective_date=effective,
                description=_legal_description(element),
            )
        )
    return tuple(events)


def _legal_description(element: Element) -> str:
    parts = [(element.get("desc") or "").strip()]
    for detail in element.iterfind("L500EP/*"):
        text = text_of(detail)
        if text and detail.tag != "L525EP":
            meaning = detail.get("descData")
            parts.append(
                f"{detail.get('desc', detail.tag)}: {text}" + (f" ({meaning})" if meaning else "")
            )
    return "; ".join(part for part in parts if part)

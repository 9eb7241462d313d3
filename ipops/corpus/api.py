"""JSON API over the patent corpus: list, detail, organisation portfolio, data quality."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from ipcore.access import Capability
from ipops.accounts.queries import require_capability
from ipops.apitools import strict_query
from ipops.corpus import queries
from ipops.corpus.models import Patent
from ipops.corpus.quality import as_dict, quality_report

router = Router(tags=["patents"])


class PatentSummaryOut(Schema):
    id: int
    key: str
    office: str
    document_type: str
    application_number: str
    application_date: dt.date | None
    publication_number: str
    publication_kind: str
    publication_date: dt.date | None
    grant_date: dt.date | None
    title: str
    main_ipc: str
    main_cpc: str
    first_owner: str


class TextOut(Schema):
    field: str
    language: str
    text: str


class PublicationOut(Schema):
    number: str
    kind: str
    date: dt.date | None


class PartyOut(Schema):
    role: str
    sequence: int
    name: str
    country: str
    city: str
    address: str
    entity_id: int | None


class ClassificationOut(Schema):
    scheme: str
    code: str
    is_main: bool


class PriorityOut(Schema):
    office: str
    number: str
    date: dt.date | None


class CitationOut(Schema):
    sequence: int
    cited_number: str
    cited_kind: str
    text: str
    category: str


class LegalEventOut(Schema):
    code: str
    date: dt.date
    effective_date: dt.date | None
    description: str


class LegalStatusOut(Schema):
    status: str
    status_zh: str
    on: dt.date
    expiry: dt.date
    next_fee_year: int | None
    next_fee_due: dt.date | None
    next_fee_amount: str | None


class PatentOut(PatentSummaryOut):
    claims_count: int | None
    family_id: str
    warnings: list[str]
    source: str
    texts: list[TextOut]
    publications: list[PublicationOut]
    parties: list[PartyOut]
    classifications: list[ClassificationOut]
    priorities: list[PriorityOut]
    citations: list[CitationOut]
    legal_events: list[LegalEventOut]
    legal_status: LegalStatusOut | None


class EntityOut(Schema):
    id: int
    name: str
    total: int
    names: list[str]
    by_type: list[dict[str, Any]]
    by_office: list[dict[str, Any]]
    by_year: list[dict[str, Any]]
    by_subclass: list[dict[str, Any]]


FILTERS = ("text", "office", "document_type", "year", "subclass", "entity")


@router.get("/patents", response=list[PatentSummaryOut], auth=None, summary="Browse patents")
@paginate(LimitOffsetPagination)
@strict_query(FILTERS)
def list_patents(
    request: HttpRequest,
    text: str = "",
    office: str = "",
    document_type: str = "",
    year: int | None = None,
    subclass: str = "",
    entity: int | None = None,
) -> Any:
    filters = queries.PatentFilter(text, office, document_type, year, subclass, entity)
    return queries.patents_for(request.user, filters)


@router.get("/patents/{patent_id}", response=PatentOut, auth=None, summary="One patent, whole")
def get_patent(request: HttpRequest, patent_id: int) -> dict[str, Any]:
    patent = queries.patent_for(request.user, patent_id)
    return _patent_body(patent)


def _patent_body(patent: Patent) -> dict[str, Any]:
    overview = queries.legal_overview(patent)
    fee = overview.next_fee if overview else None
    return {
        **{name: getattr(patent, name) for name in PatentSummaryOut.model_fields},
        "claims_count": patent.claims_count,
        "family_id": patent.family_id,
        "warnings": patent.warnings,
        "source": patent.source.name,
        "texts": list(patent.texts.all()),
        "publications": list(patent.publications.all()),
        "parties": list(patent.parties.all()),
        "classifications": list(patent.classifications.all()),
        "priorities": list(patent.priorities.all()),
        "citations": list(patent.citations.all()),
        "legal_events": list(patent.legal_events.all()),
        "legal_status": None
        if overview is None
        else {
            "status": overview.status.value,
            "status_zh": overview.status_label_zh,
            "on": overview.on,
            "expiry": overview.expiry,
            "next_fee_year": fee.patent_year if fee else None,
            "next_fee_due": fee.due_date if fee else None,
            "next_fee_amount": str(fee.amount) if fee else None,
        },
    }


@router.get(
    "/patent-organizations/{entity_id}",
    response=EntityOut,
    auth=None,
    summary="An applicant organisation's portfolio",
)
def get_entity(request: HttpRequest, entity_id: int) -> dict[str, Any]:
    entity = queries.entity_for(request.user, entity_id)
    portfolio = queries.portfolio_of(entity)
    return {"id": entity.pk, "name": entity.name, **portfolio.__dict__}


@router.get("/data-quality", response=dict[str, Any], summary="Corpus data quality (bureau)")
def get_quality(request: HttpRequest) -> dict[str, Any]:
    require_capability(request.user, Capability.VIEW_DATA_QUALITY)
    return as_dict(quality_report())

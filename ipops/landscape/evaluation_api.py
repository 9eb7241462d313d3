"""JSON API of analysis-evaluation: risk screening and organisation profiles.

The same queries and service as the pages: ``screening.screen_patents``,
``profiles.find_organisations`` / ``organisation_profile``, ``services.save_screening``.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ipcore.landscape.results import as_json
from ipops.accounts.decorators import current_user
from ipops.apitools import strict_query
from ipops.landscape import profiles, queries, services
from ipops.landscape.api import DatasetOut
from ipops.landscape.models import Dataset
from ipops.landscape.profiles import OrganisationProfile
from ipops.landscape.screening import (
    DEFAULT_RESULTS,
    ScreenedPatent,
    Screening,
    ScreeningRequest,
    screen_patents,
)

router = Router(tags=["analysis-evaluation"])


class ScreeningIn(Schema):
    description: str
    office: str
    classes: list[str] = []
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    as_of: dt.date | None = None
    limit: int = DEFAULT_RESULTS


class KeepIn(Schema):
    name: str
    numbers: list[str]
    description: str = ""
    project_id: int | None = None


@router.post("/landscape/screening", summary="Risk screening (target market)")
def screen(request: HttpRequest, body: ScreeningIn) -> dict[str, Any]:
    """The patents of `office` closest to `description` (Chinese or English) by words and
    meaning, sorted into `in_force`, `pending` and `unknown` on `as_of` (today by default),
    each with its standing and what that rests on (`cn_events`, `cn_dates`, `estimated`,
    `none`), owners, remaining years, score and matched passages. A read: nothing is
    written. 422 names the input that is wrong; 503 before a search index exists."""
    result = screen_patents(
        request.user,
        ScreeningRequest(
            description=body.description,
            office=body.office,
            classes=tuple(body.classes),
            filed_from=body.filed_from,
            filed_to=body.filed_to,
            as_of=body.as_of,
            limit=body.limit,
        ),
    )
    return screening_json(result)


@router.post(
    "/landscape/screening/dataset",
    response={201: DatasetOut},
    summary="Keep screened patents as a dataset",
)
def keep_screening(request: HttpRequest, body: KeepIn) -> Dataset:
    """A dataset of these patent numbers (from a screening), attached to `project_id` when
    given (providers and the bureau, who run projects)."""
    project = queries.project_for(request.user, body.project_id) if body.project_id else None
    return services.save_screening(
        actor=current_user(request),
        name=body.name,
        numbers=body.numbers,
        description=body.description,
        project=project,
    )


@router.get("/landscape/organisations", summary="Find organisations by name")
@strict_query({"q"})
def find_organisations(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    """Resolved applicants whose names contain `q` (Chinese or English, legal forms
    ignored), largest portfolios first."""
    return [match.__dict__ for match in profiles.find_organisations(request.user, q)]


@router.get("/landscape/organisations/{entity_id}/profile", summary="Portfolio profile")
@strict_query({"as_of"})
def organisation_profile(
    request: HttpRequest, entity_id: int, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The organisation's portfolio: figures (size, standings, how many are estimated,
    home office) and every section as a report metric — columns and rows."""
    return profile_json(profiles.organisation_profile(request.user, entity_id, as_of=as_of))


def profile_json(profile: OrganisationProfile) -> dict[str, Any]:
    return {
        "entity_id": profile.entity_id,
        "name": profile.name,
        "country": profile.country,
        "home_office": profile.home_office,
        "as_of": profile.as_of.isoformat(),
        "size": profile.size,
        "standings": profile.standings,
        "estimated": profile.estimated,
        "names": list(profile.spellings),
        "report": as_json(profile.report),
    }


def screening_json(result: Screening) -> dict[str, Any]:
    request = result.request
    return {
        "description": request.description,
        "office": request.office,
        "classes": list(request.classes),
        "filed_from": request.filed_from.isoformat() if request.filed_from else None,
        "filed_to": request.filed_to.isoformat() if request.filed_to else None,
        "as_of": request.as_of.isoformat() if request.as_of else None,
        "keyword_query": result.keyword_query,
        "terms": list(result.terms),
        "meaning_used": result.meaning_used,
        "candidates": result.candidates,
        "left_out": {"ended": result.ended, "filed_after_as_of": result.filed_later},
        "in_force": [_row(row) for row in result.in_force],
        "pending": [_row(row) for row in result.pending],
        "unknown": [_row(row) for row in result.unknown],
        "notes": list(result.notes),
        "disclaimer_zh": result.disclaimer_zh,
        "disclaimer_en": result.disclaimer_en,
    }


def _row(row: ScreenedPatent) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "id": row.patent_id,
        "number": row.number,
        "title": row.title,
        "office": row.office,
        "type": row.document_type,
        "owners": list(row.owners),
        "application_date": row.application_date.isoformat() if row.application_date else None,
        "grant_date": row.grant_date.isoformat() if row.grant_date else None,
        "standing": row.standing.standing.value,
        "status": row.standing.status.value if row.standing.status else None,
        "basis": row.standing.basis.value,
        "basis_zh": row.basis_label("zh"),
        "basis_en": row.basis_label("en"),
        "expiry": row.standing.expiry.isoformat() if row.standing.expiry else None,
        "remaining_years": row.remaining_years,
        "score": row.score,
        "similarity": row.similarity,
        "keyword_rank": row.keyword_rank,
        "meaning_rank": row.meaning_rank,
        "passages": [
            {
                "field": passage.field,
                "by_meaning": passage.by_meaning,
                "fragments": [{"text": f.text, "hit": f.hit} for f in passage.fragments],
            }
            for passage in row.passages
        ],
    }

"""JSON API of patent value: a patent's scores explained, high-value counts, portfolios and
the cultivation programme — the same services and queries as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ipcore.valuation.weights import Purpose
from ipops.accounts.decorators import current_user
from ipops.accounts.queries import organizations_for
from ipops.corpus import queries as corpus
from ipops.errors import InvalidInput
from ipops.landscape import queries as landscape
from ipops.valuation import queries, services
from ipops.valuation.models import Portfolio
from ipops.valuation.numbers import patents_numbered

router = Router(tags=["valuation"])


@router.get("/valuation/patents/{patent_id}", summary="A patent's value, every score explained")
def get_patent_value(request: HttpRequest, patent_id: int) -> dict[str, Any]:
    """Scores per purpose (legal, technical, economic, total; null where too little of the
    weight had data, with the coverage), the explanation in the request's language, every
    indicator with its percentile and cohort or the reason it is unknown, and CNIPA's
    high-value verdict. 404 for a patent not scored yet."""
    patent = corpus.patent_for(request.user, patent_id)
    report = queries.value_of(request.user, patent)
    if report is None:
        raise HttpError(404, "This patent has not been scored yet.")
    return queries.report_json(report)


@router.get("/valuation/value", summary="A patent's value by its number, in any spelling")
def value_by_number(request: HttpRequest, number: str) -> dict[str, Any]:
    """`number`: a publication number (`US 2015/0123456 A1`, `US20150123456A1`,
    `CN 114081026 A`) or a CN application number. 404 when no patent has it; 422 when it
    names several (give the kind code)."""
    ids = patents_numbered([number])[number]
    if not ids:
        raise HttpError(404, "No patent in the corpus has this number.")
    if len(ids) > 1:
        raise InvalidInput(
            details={"number": ["The number names several patents: add the kind code."]},
            code="ambiguous_number",
        )
    return get_patent_value(request, ids[0])


class RegionOut(Schema):
    division_code: str
    label: str
    year: int
    population: int
    count: int
    per_10k: float


class HighValueOut(Schema):
    high_value: int
    cannot_tell: int
    status_from_dates: int
    by_criterion: dict[str, int]
    regions: list[RegionOut]


@router.get("/valuation/high-value", response=HighValueOut, summary="High-value patent counts")
def get_high_value(request: HttpRequest) -> Any:
    """CNIPA's high-value invention patents counted once, by criterion, and per 10,000
    residents of each region with a recorded population."""
    return queries.high_value_summary(request.user)


class PortfolioOut(Schema):
    id: int
    name: str
    basis: str
    organization_id: int
    key_field: str
    size: int
    created_at: dt.datetime


class PortfolioIn(Schema):
    name: str
    basis: Portfolio.Basis
    owner: str = ""
    dataset_id: int | None = None
    numbers: list[str] = []
    organization_id: int | None = None
    key_field: str = ""
    description: str = ""


@router.get("/valuation/portfolios", response=list[PortfolioOut], summary="Your portfolios")
def list_portfolios(request: HttpRequest) -> list[Any]:
    return list(queries.portfolios_for(request.user))


@router.post("/valuation/portfolios", response={201: PortfolioOut}, summary="Build a portfolio")
def create_portfolio(request: HttpRequest, body: PortfolioIn) -> Any:
    """By owner (`owner`: an applicant name or entity id), by field (`dataset_id`: one of
    your datasets) or by hand (`numbers`). 422 with the field at fault otherwise."""
    dataset = landscape.dataset_for(request.user, body.dataset_id) if body.dataset_id else None
    organization = None
    if body.organization_id is not None:
        organization = organizations_for(request.user).filter(pk=body.organization_id).first()
        if organization is None:
            raise HttpError(404, "Not found, or not visible to you.")
    portfolio = services.create_portfolio(
        actor=current_user(request),
        name=body.name,
        source=services.PortfolioSource(
            basis=body.basis, owner=body.owner, dataset=dataset, numbers=body.numbers
        ),
        organization=organization,
        key_field=body.key_field,
        description=body.description,
    )
    return queries.portfolio_for(request.user, portfolio.pk)


@router.get("/valuation/portfolios/{portfolio_id}", summary="Composition, standing, strength")
def get_portfolio(
    request: HttpRequest, portfolio_id: int, purpose: Purpose = Purpose.MANAGEMENT
) -> dict[str, Any]:
    portfolio = queries.portfolio_for(request.user, portfolio_id)
    return queries.portfolio_json(queries.portfolio_report(portfolio, purpose=purpose))


@router.delete("/valuation/portfolios/{portfolio_id}", response={204: None}, summary="Delete one")
def delete_portfolio(request: HttpRequest, portfolio_id: int) -> None:
    portfolio = queries.portfolio_for(request.user, portfolio_id)
    services.delete_portfolio(actor=current_user(request), portfolio=portfolio)


@router.get("/valuation/programme", summary="The cultivation programme against its target")
def get_programme(request: HttpRequest) -> dict[str, Any]:
    return queries.programme_json(queries.programme_for(request.user))


@router.post("/valuation/rescore", response={202: dict[str, Any]}, summary="Queue a rescoring")
def request_rescore(request: HttpRequest) -> dict[str, Any]:
    """The bureau queues a scoring of the whole corpus (202: the worker does it)."""
    run = services.request_rescoring(actor=current_user(request))
    return {"run": run.pk, "status": run.status}

"""JSON API of landscape analysis: datasets and their reports."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ipcore.landscape.results import as_json
from ipops.accounts.decorators import current_user
from ipops.landscape import queries, reports, services
from ipops.landscape.models import Dataset

router = Router(tags=["landscape"])


class DatasetIn(Schema):
    name: str = ""
    query: str
    strategy: Dataset.Strategy = Dataset.Strategy.KEYWORD
    description: str = ""


class DatasetOut(Schema):
    id: int
    name: str
    query: str
    strategy: str
    size: int
    matched: int
    as_of: dt.date
    created_at: dt.datetime


class MembersIn(Schema):
    patent_ids: list[int]


@router.get("/landscape/datasets", response=list[DatasetOut], summary="Your datasets")
def list_datasets(request: HttpRequest) -> list[Any]:
    return list(queries.datasets_for(request.user))


@router.post("/landscape/datasets", response={201: DatasetOut}, summary="Freeze a search")
def create_dataset(request: HttpRequest, body: DatasetIn) -> Dataset:
    """422 for a query that does not read, finds nothing or finds more than a dataset holds."""
    return services.create_dataset(actor=current_user(request), **body.dict())


@router.post(
    "/landscape/datasets/{dataset_id}/exclude", response=DatasetOut, summary="Exclude patents"
)
def exclude(request: HttpRequest, dataset_id: int, body: MembersIn) -> Dataset:
    dataset = queries.dataset_for(request.user, dataset_id)
    services.exclude_patents(
        actor=current_user(request), dataset=dataset, patent_ids=body.patent_ids
    )
    return dataset


@router.post(
    "/landscape/datasets/{dataset_id}/include",
    response=DatasetOut,
    summary="Take patents back in, or add them",
)
def include(request: HttpRequest, dataset_id: int, body: MembersIn) -> Dataset:
    dataset = queries.dataset_for(request.user, dataset_id)
    services.include_patents(
        actor=current_user(request), dataset=dataset, patent_ids=body.patent_ids
    )
    return dataset


@router.delete("/landscape/datasets/{dataset_id}", response={204: None}, summary="Delete one")
def delete(request: HttpRequest, dataset_id: int) -> None:
    dataset = queries.dataset_for(request.user, dataset_id)
    services.delete_dataset(actor=current_user(request), dataset=dataset)


@router.get("/landscape/datasets/{dataset_id}/report", summary="The dataset's landscape report")
def report(request: HttpRequest, dataset_id: int) -> dict[str, Any]:
    """Every metric: its shape, typed columns and rows (the tables behind the charts);
    a metric the data cannot answer has `applicable: false` and a note saying why."""
    dataset = queries.dataset_for(request.user, dataset_id)
    return as_json(reports.dataset_report(dataset))

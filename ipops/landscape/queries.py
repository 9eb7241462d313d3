"""Reads of the landscape app, scoped to what the user may see.

A dataset belongs to the organisation of the person who froze it: their colleagues (and, for
a client's, the serving provider) see it; the bureau sees all. "Not yours" is a 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from ipcore.access import Capability
from ipops.accounts.queries import require_capability, restrict_to_owners, viewer_of
from ipops.landscape.models import Dataset, DatasetPatent, DatasetTag, Project, ReportTask


def datasets_for(user: Any) -> QuerySet[Dataset]:
    require_capability(user, Capability.ANALYSE_PATENTS)
    datasets = Dataset.objects.select_related("organization", "created_by")
    return restrict_to_owners(datasets, user, "organization")


def dataset_for(user: Any, dataset_id: int) -> Dataset:
    try:
        return datasets_for(user).get(pk=dataset_id)
    except Dataset.DoesNotExist:
        raise Http404 from None


def members_of(
    dataset: Dataset, *, excluded: bool | None = None, tag: str = ""
) -> QuerySet[DatasetPatent]:
    """The dataset's patents, newest application first, those carrying ``tag`` where given
    (access checked by dataset_for)."""
    members = DatasetPatent.objects.filter(dataset=dataset).select_related("patent")
    if excluded is not None:
        members = members.filter(excluded=excluded)
    if tag:
        tagged = DatasetTag.objects.filter(
            dataset=dataset, tag=tag, patent_id=OuterRef("patent_id")
        )
        members = members.filter(Exists(tagged))
    return members.order_by("-patent__application_date", "patent_id")


def tags_of(dataset: Dataset) -> list[tuple[str, int]]:
    """The dataset's tags with how many patents carry each, most used first."""
    counts = (
        DatasetTag.objects.filter(dataset=dataset)
        .values("tag")
        .annotate(patents=Count("patent_id"))
        .order_by("-patents", "tag")
    )
    return [(row["tag"], row["patents"]) for row in counts]


def tags_by_patent(dataset: Dataset, patent_ids: Sequence[int]) -> dict[int, list[str]]:
    """The tags of these patents of the dataset (one query for a page of members)."""
    tags: dict[int, list[str]] = {}
    rows = DatasetTag.objects.filter(dataset=dataset, patent_id__in=patent_ids).order_by("tag")
    for patent_id, tag in rows.values_list("patent_id", "tag"):
        tags.setdefault(patent_id, []).append(tag)
    return tags


def projects_for(user: Any) -> QuerySet[Project]:
    """Projects the user's organisation runs or receives (the bureau: all)."""
    require_capability(user, Capability.ANALYSE_PATENTS)
    projects = Project.objects.select_related("provider", "client")
    viewer = viewer_of(user)
    if viewer.sees_everything:
        return projects
    visible = viewer.visible_owner_ids()
    return projects.filter(Q(provider_id__in=visible) | Q(client_id__in=visible))


def project_for(user: Any, project_id: int) -> Project:
    try:
        return projects_for(user).get(pk=project_id)
    except Project.DoesNotExist:
        raise Http404 from None


def report_tasks_for(user: Any, dataset: Dataset | None = None) -> QuerySet[ReportTask]:
    """Report files the user's organisation asked for (an account without one: its own),
    newest first. Nobody else sees them, the bureau included: a file is its requester's."""
    require_capability(user, Capability.ANALYSE_PATENTS)
    tasks = ReportTask.objects.select_related("dataset", "requested_by")
    organization_id = getattr(user, "organization_id", None)
    if organization_id is None:
        tasks = tasks.filter(organization__isnull=True, requested_by=user)
    else:
        tasks = tasks.filter(organization_id=organization_id)
    return tasks.filter(dataset=dataset) if dataset is not None else tasks


def report_task_for(user: Any, task_id: int) -> ReportTask:
    """One of the user's report tasks whose dataset the user still sees; 404 otherwise."""
    task = report_tasks_for(user).filter(pk=task_id).first()
    if task is None or not datasets_for(user).filter(pk=task.dataset_id).exists():
        raise Http404
    return task

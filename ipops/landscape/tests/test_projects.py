"""Projects: a provider runs one for its client through the stages; the client follows it."""

from __future__ import annotations

import pytest

from ipcore.access import Role
from ipops.audit.models import AuditEntry
from ipops.errors import Conflict, NotPermitted
from ipops.landscape import services
from ipops.landscape.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas):  # type: ignore[no-untyped-def]
    return services.create_project(
        actor=personas[Role.PROVIDER],
        name="锂电池产业专利导航",
        kind="navigation_industry",
        client=personas[Role.ENTERPRISE].organization,
    )


def test_a_project_moves_through_its_stages_with_a_timeline(personas, project) -> None:  # type: ignore[no-untyped-def]
    provider = personas[Role.PROVIDER]
    for stage in ("plan", "search", "data", "analysis"):
        services.move_project(actor=provider, project=project, to_stage=stage)
    services.move_project(actor=provider, project=project, to_stage="data", note="补充检索")
    assert project.stage == "data"
    assert [c.to_stage for c in project.stage_changes.all()] == [
        "plan",
        "search",
        "data",
        "analysis",
        "data",
    ]
    assert project.stage_changes.last().note == "补充检索"
    assert AuditEntry.objects.filter(action="landscape.project_moved").count() == 5


def test_skipping_a_stage_is_refused_with_the_reason(personas, project) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict, match="需求分析"):
        services.move_project(actor=personas[Role.PROVIDER], project=project, to_stage="done")
    project.refresh_from_db()
    assert project.stage == "need"
    assert not project.stage_changes.exists()


def test_finishing_and_abandoning_set_the_end_date(personas, project) -> None:  # type: ignore[no-untyped-def]
    services.move_project(actor=personas[Role.PROVIDER], project=project, to_stage="abandoned")
    assert project.finished_on is not None


def test_only_providers_and_the_bureau_run_projects(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.create_project(actor=personas[Role.ENTERPRISE], name="x", kind="navigation_talent")


def test_the_client_sees_the_project_others_do_not(client_for, project) -> None:  # type: ignore[no-untyped-def]
    url = f"/landscape/projects/{project.pk}/"
    assert client_for(Role.ENTERPRISE).get(url).status_code == 200
    assert client_for(Role.BANK).get(url).status_code == 404
    page = client_for(Role.ENTERPRISE).get("/landscape/projects/").content.decode()
    assert "锂电池产业专利导航" in page
    assert "新建项目" not in page  # the client follows, the provider runs


def test_the_provider_runs_it_from_the_pages(client_for, personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.PROVIDER)
    response = client.post(
        "/landscape/projects/",
        {"name": "并购目标评议", "kind": "evaluation_merger", "due_on": "2027-03-31"},
    )
    project = Project.objects.get()
    assert response.status_code == 302
    client.post(f"/landscape/projects/{project.pk}/move/", {"to_stage": "plan", "note": "方案确认"})
    project.refresh_from_db()
    assert project.stage == "plan"
    page = client.get(f"/landscape/projects/{project.pk}/").content.decode()
    assert "方案确认" in page and "制定方案" in page
    refused = client.post(f"/landscape/projects/{project.pk}/move/", {"to_stage": "done"})
    assert refused.status_code == 302
    project.refresh_from_db()
    assert project.stage == "plan"

"""Landscape pages: datasets (freeze a search, refine it), their reports, and projects."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipcore.access import Capability
from ipcore.landscape.projects import WORKING_STAGES, Stage, next_stages, progress
from ipops.accounts.decorators import current_user, requires
from ipops.accounts.queries import has_capability, organizations_for
from ipops.errors import NotPermitted, ServiceError, add_to_form
from ipops.landscape import queries, reports, services
from ipops.landscape.forms import (
    AttachForm,
    DatasetForm,
    MembersForm,
    MoveForm,
    ProjectForm,
    ReportForm,
    ReportTaskForm,
)
from ipops.landscape.models import Dataset, Project, ReportTask
from ipops.landscape.rendering.browser import browser_available
from ipops.landscape.rendering.html import render_html
from ipops.landscape.rendering.xlsx import write_xlsx

MEMBERS_PER_PAGE = 50
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@requires(Capability.ANALYSE_PATENTS)
@require_http_methods(["GET", "POST"])
def dataset_list(request: HttpRequest) -> HttpResponse:
    """专题数据集 — the organisation's datasets, and a form to freeze a new one."""
    initial = {"query": request.GET.get("q", ""), "strategy": request.GET.get("strategy", "")}
    if request.GET.get("field"):  # “Make a dataset” on a field definition's page
        initial |= {"strategy": Dataset.Strategy.FIELD, "definition": request.GET["field"]}
    form = DatasetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.create_dataset(actor=current_user(request), **form.cleaned_data)
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, _("Dataset created: %(size)s patents.") % {"size": dataset.size}
            )
            return redirect("landscape:dataset_detail", dataset_id=dataset.pk)
    datasets = queries.datasets_for(request.user)
    return render(request, "landscape/dataset_list.html", {"form": form, "datasets": datasets})


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def dataset_detail(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = queries.dataset_for(request.user, dataset_id)
    show = request.GET.get("show", "included")
    tag = request.GET.get("tag", "")
    members = queries.members_of(dataset, excluded=show == "excluded", tag=tag)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    tags = queries.tags_by_patent(dataset, [member.patent_id for member in page.object_list])
    for member in page.object_list:
        member.tag_list = tags.get(member.patent_id, [])  # type: ignore[attr-defined]
    context = {
        "dataset": dataset,
        "page": page,
        "show": show,
        "tag": tag,
        "tags": queries.tags_of(dataset),
        "paging": urlencode({"show": show, **({"tag": tag} if tag else {})}),
    }
    return render(request, "landscape/dataset_detail.html", context)


@requires(Capability.ANALYSE_PATENTS)
@require_POST
def dataset_members(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """Exclude the ticked patents from the analysis, take them back in, or tag or untag
    them."""
    dataset = queries.dataset_for(request.user, dataset_id)
    ids = [int(pk) for pk in request.POST.getlist("patents") if pk.isdigit()]
    form = MembersForm(request.POST, choices=ids)
    action = request.POST.get("action")
    if not form.is_valid() or action not in ("exclude", "include", "tag", "untag"):
        messages.error(request, _("Tick at least one patent."))
        return redirect("landscape:dataset_detail", dataset_id=dataset.pk)
    patents = form.cleaned_data["patents"]
    actor = current_user(request)
    try:
        if action in ("tag", "untag"):
            count = services.tag_patents(
                actor=actor,
                dataset=dataset,
                patent_ids=patents,
                tag=form.cleaned_data["tag"],
                remove=action == "untag",
            )
        else:
            change = services.exclude_patents if action == "exclude" else services.include_patents
            count = change(actor=actor, dataset=dataset, patent_ids=patents)
    except ServiceError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(count)s patents changed.") % {"count": count})
    return redirect("landscape:dataset_detail", dataset_id=dataset.pk)


@requires(Capability.ANALYSE_PATENTS)
@require_POST
def dataset_delete(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = queries.dataset_for(request.user, dataset_id)
    services.delete_dataset(actor=current_user(request), dataset=dataset)
    messages.success(request, _("Dataset deleted."))
    return redirect("landscape:dataset_list")


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def report(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """The interactive report of a dataset, computed on the live database; a dataset over
    INLINE_LIMIT patents is reported by a background task instead."""
    dataset = queries.dataset_for(request.user, dataset_id)
    if dataset.size > reports.INLINE_LIMIT:
        return _too_large_to_wait(request, dataset)
    language = _report_language(request)
    computed = reports.dataset_report(dataset)
    toolbar = render_to_string(
        "landscape/_report_downloads.html",
        {
            "dataset": dataset,
            "language": language,
            "direct": ("html", "xlsx"),
            "queued": sorted(reports.BROWSER_FORMATS),
        },
        request=request,
    )
    return HttpResponse(
        render_html(computed, language=language, standalone=False, toolbar=mark_safe(toolbar))  # noqa: S308 — our own template, autoescaped
    )


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def report_file(request: HttpRequest, dataset_id: int, file_format: str) -> HttpResponse:
    """The report as a file a client keeps: self-contained HTML or XLSX (every table), made
    while the client waits; PDF, DOCX and large datasets go through report tasks."""
    if file_format not in ("html", "xlsx"):
        raise Http404
    dataset = queries.dataset_for(request.user, dataset_id)
    if dataset.size > reports.INLINE_LIMIT:
        return _too_large_to_wait(request, dataset)
    language = _report_language(request)
    computed = reports.dataset_report(dataset)
    name = f"ipops-landscape-{dataset.pk}-{timezone.localtime():%Y%m%d}"
    if file_format == "html":
        response = HttpResponse(
            render_html(computed, language=language, standalone=True),
            content_type="text/html; charset=utf-8",
        )
    else:
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        write_xlsx(computed, response, language=language)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _report_language(request: HttpRequest) -> str:
    form = ReportForm(request.GET)
    language = form.cleaned_data["lang"] if form.is_valid() else ""
    return language or "zh-hans"


def _too_large_to_wait(request: HttpRequest, dataset: Dataset) -> HttpResponse:
    messages.info(
        request,
        _(
            "This dataset holds %(size)s patents: its report is prepared in the background. "
            "Choose a format below and follow its progress."
        )
        % {"size": f"{dataset.size:,}"},
    )
    return redirect("landscape:report_exports", dataset_id=dataset.pk)


# --- report files written in the background ----------------------------------------------------


@requires(Capability.ANALYSE_PATENTS)
@require_http_methods(["GET", "POST"])
def report_exports(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """报告文件 — a dataset's report files: ask for one (PDF, DOCX, XLSX, HTML), follow its
    progress, download it when written."""
    dataset = queries.dataset_for(request.user, dataset_id)
    form = ReportTaskForm(request.POST or None, initial={"language": _report_language(request)})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_report(
                actor=current_user(request), dataset=dataset, **form.cleaned_data
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            return redirect("landscape:report_exports", dataset_id=dataset.pk)
    context = {
        "dataset": dataset,
        "form": form,
        "tasks": queries.report_tasks_for(request.user, dataset),
        "browser": browser_available(),
        "inline_limit": reports.INLINE_LIMIT,
    }
    return render(request, "landscape/report_exports.html", context)


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def report_task(request: HttpRequest, task_id: int) -> HttpResponse:
    """One report task as it stands; HTMX polls its row while it is queued or running."""
    task = queries.report_task_for(request.user, task_id)
    if request.headers.get("HX-Request"):
        return render(request, "landscape/_report_task.html", {"task": task})
    return render(request, "landscape/report_task.html", {"task": task})


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def report_task_file(request: HttpRequest, task_id: int) -> FileResponse:
    """The file a report task wrote, to the requester's organisation while it sees the
    dataset; 404 for any other task, and before the file is written."""
    task = queries.report_task_for(request.user, task_id)
    path = services.report_dir() / task.file
    if task.status != ReportTask.Status.DONE or not task.file or not path.is_file():
        raise Http404
    stamp = timezone.localtime(task.finished_at or task.created_at)
    name = f"ipops-landscape-{task.dataset_id}-{stamp:%Y%m%d}-{task.language}.{task.file_format}"
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES[task.file_format],
    )


# --- projects ----------------------------------------------------------------------------------


@requires(Capability.ANALYSE_PATENTS)
@require_http_methods(["GET", "POST"])
def project_list(request: HttpRequest) -> HttpResponse:
    """导航与评议项目 — the organisation's projects by stage; providers start new ones."""
    may_manage = has_capability(request.user, Capability.MANAGE_PROJECTS)
    form = ProjectForm(request.POST or None, clients=organizations_for(request.user))
    if request.method == "POST":
        if not may_manage:
            raise NotPermitted
        if form.is_valid():
            try:
                project = services.create_project(actor=current_user(request), **form.cleaned_data)
            except ServiceError as error:
                add_to_form(form, error)
            else:
                return redirect("landscape:project_detail", project_id=project.pk)
    context = {
        "form": form if may_manage else None,
        "projects": queries.projects_for(request.user),
    }
    return render(request, "landscape/project_list.html", context)


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = queries.project_for(request.user, project_id)
    may_manage = has_capability(request.user, Capability.MANAGE_PROJECTS)
    context = {
        "project": project,
        "stages": stage_track(Stage(project.stage)),
        "moves": [
            (stage.value, Project.Stages(stage.value).label)
            for stage in next_stages(Stage(project.stage))
        ]
        if may_manage
        else [],
        "changes": project.stage_changes.select_related("changed_by"),
        "datasets": project.datasets.all(),
        "attach_form": AttachForm(datasets=queries.datasets_for(request.user))
        if may_manage
        else None,
    }
    return render(request, "landscape/project_detail.html", context)


@requires(Capability.MANAGE_PROJECTS)
@require_POST
def project_move(request: HttpRequest, project_id: int) -> HttpResponse:
    project = queries.project_for(request.user, project_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage."))
    else:
        try:
            services.move_project(actor=current_user(request), project=project, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, str(error.message))
    return redirect("landscape:project_detail", project_id=project.pk)


@requires(Capability.MANAGE_PROJECTS)
@require_POST
def project_attach(request: HttpRequest, project_id: int) -> HttpResponse:
    project = queries.project_for(request.user, project_id)
    form = AttachForm(request.POST, datasets=queries.datasets_for(request.user))
    if form.is_valid():
        services.attach_dataset(
            actor=current_user(request), project=project, dataset=form.cleaned_data["dataset"]
        )
    else:
        messages.error(request, _("Choose one of your datasets."))
    return redirect("landscape:project_detail", project_id=project.pk)


def stage_track(current: Stage) -> list[dict[str, object]]:
    """The working stages with where the project stands, for the stage bar."""
    reached = progress(current) * len(WORKING_STAGES)
    return [
        {
            "label": Project.Stages(stage.value).label,
            "done": current is Stage.DONE or index < reached,
            "current": stage is current,
        }
        for index, stage in enumerate(WORKING_STAGES)
    ]

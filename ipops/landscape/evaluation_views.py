"""Analysis-evaluation pages (分析评议): risk screening and organisation profiles.

Kept apart from ``views.py`` (datasets, reports, projects) so that each module stays one
subject; the same skeleton: parse → authorise → query or service → render.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipcore.access import Capability
from ipcore.landscape.results import as_json
from ipcore.landscape.screening import DISCLAIMER_EN, DISCLAIMER_ZH
from ipops.accounts.decorators import current_user, requires
from ipops.accounts.queries import has_capability
from ipops.errors import ServiceError, add_to_form
from ipops.landscape import profiles, queries, screening_files, services
from ipops.landscape.forms import (
    OrganisationSearchForm,
    ProfileForm,
    SaveScreeningForm,
    ScreeningForm,
)
from ipops.landscape.models import Project
from ipops.landscape.rendering.html import render_html, report_context
from ipops.landscape.rendering.xlsx import write_xlsx
from ipops.landscape.screening import Screening, engine_offices, screen_patents

SCREENING_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PROFILE_FORMATS = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _language() -> str:
    return translation.get_language() or "zh-hans"


# --- risk screening ---------------------------------------------------------------------------


def _screened(request: HttpRequest) -> tuple[ScreeningForm, Screening | None, str]:
    """The form read from the query string, and its screening where it was asked for and
    runs; a refusal is shown on the form, a missing search index above it."""
    asked = "description" in request.GET
    try:
        offices = engine_offices()
    except ServiceError as error:
        return ScreeningForm(None, offices={}), None, str(error.message)
    form = ScreeningForm(request.GET if asked else None, offices=offices)
    if not asked or not form.is_valid():
        return form, None, ""
    try:
        return form, screen_patents(request.user, form.screening_request()), ""
    except ServiceError as error:
        add_to_form(form, error)
        return form, None, ""


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def screening(request: HttpRequest) -> HttpResponse:
    """目标市场风险排查 — the patents of a target office closest to a product, in force on a
    day, with their owners, remaining life and the passages that matched."""
    form, result, unavailable = _screened(request)
    context: dict[str, object] = {
        "form": form,
        "screening": result,
        "unavailable": unavailable,
        "disclaimer_zh": DISCLAIMER_ZH,
        "disclaimer_en": DISCLAIMER_EN,
    }
    if result is not None:
        context["query"] = request.GET.urlencode()
    if result is not None and result.rows:
        context["save_form"] = _save_form(request, result)
        context["ticked"] = {row.number for row in result.in_force}
    return render(request, "landscape/screening.html", context)


def _projects(request: HttpRequest) -> QuerySet[Project]:
    if not has_capability(request.user, Capability.MANAGE_PROJECTS):
        return Project.objects.none()
    return queries.projects_for(request.user).exclude(stage__in=("done", "abandoned"))


def _save_form(request: HttpRequest, result: Screening) -> SaveScreeningForm:
    described = _("Risk screening at %(office)s as of %(day)s: %(text)s") % {
        "office": result.request.office,
        "day": result.request.as_of,
        "text": result.request.description,
    }
    return SaveScreeningForm(
        initial={
            "name": _("Risk screening: %(text)s") % {"text": result.request.description[:60]},
            "numbers": [row.number for row in result.in_force],
            "description": described[:5000],
            "back": request.GET.urlencode(),
        },
        numbers=[row.number for row in result.rows],
        projects=_projects(request),
    )


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def screening_file(request: HttpRequest, file_format: str) -> HttpResponse:
    """The screening as CSV or XLSX, with the disclaimer and the parameters it ran with."""
    if file_format not in SCREENING_FORMATS:
        raise Http404
    _form, result, _unavailable = _screened(request)
    if result is None:
        messages.error(request, _("Run a screening first: the form has a problem."))
        return redirect(f"{_screening_url()}?{request.GET.urlencode()}")
    name = f"ipops-screening-{result.request.office}-{timezone.localtime():%Y%m%d}"
    if file_format == "csv":
        response = HttpResponse(
            screening_files.csv_text(result, _language()), content_type=SCREENING_FORMATS["csv"]
        )
    else:
        response = HttpResponse(
            screening_files.xlsx_file(result, _language()).read(),
            content_type=SCREENING_FORMATS["xlsx"],
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@requires(Capability.ANALYSE_PATENTS)
@require_POST
def screening_save(request: HttpRequest) -> HttpResponse:
    """Keep the ticked patents as a dataset (and in a project, for those who run projects)."""
    numbers = request.POST.getlist("numbers")
    form = SaveScreeningForm(request.POST, numbers=numbers, projects=_projects(request))
    back = f"{_screening_url()}?{QueryDict(request.POST.get('back', '')).urlencode()}"
    if not form.is_valid():
        messages.error(request, _("Tick at least one patent and give the dataset a name."))
        return redirect(back)
    data = form.cleaned_data
    try:
        dataset = services.save_screening(
            actor=current_user(request),
            name=data["name"],
            numbers=data["numbers"],
            description=data["description"],
            project=data["project"],
        )
    except ServiceError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    messages.success(request, _("Dataset created: %(size)s patents.") % {"size": dataset.size})
    return redirect("landscape:dataset_detail", dataset_id=dataset.pk)


def _screening_url() -> str:
    return reverse("landscape:screening")


# --- organisation profiles --------------------------------------------------------------------


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def organisation_search(request: HttpRequest) -> HttpResponse:
    """并购评估 — find an organisation (a resolved applicant) by any of its names."""
    form = OrganisationSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    matches = profiles.find_organisations(request.user, text) if text else []
    context = {"form": form, "matches": matches, "searched": bool(text)}
    return render(request, "landscape/organisation_search.html", context)


def _profile_day(request: HttpRequest) -> tuple[ProfileForm, dt.date | None]:
    form = ProfileForm(request.GET)
    day = form.cleaned_data["as_of"] if form.is_valid() else None
    return form, day


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def organisation_profile(request: HttpRequest, entity_id: int) -> HttpResponse:
    """The organisation's portfolio profile: size by type and standing, fields, age and
    remaining life, family reach abroad, co-owners, filing trend."""
    form, day = _profile_day(request)
    context: dict[str, object] = {"form": form, "entity_id": entity_id}
    try:
        profile = profiles.organisation_profile(request.user, entity_id, as_of=day)
    except ServiceError as error:
        context["error"] = error.message
        return render(request, "landscape/profile.html", context, status=error.http_status)
    report = report_context(profile.report, language=_language())
    context.update(
        profile=profile,
        sections=report["sections"],
        query=urlencode({"as_of": profile.as_of.isoformat()}),
        search_query=urlencode({"q": f'ORG="{profile.name}"'}),
    )
    return render(request, "landscape/profile.html", context)


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def organisation_profile_file(
    request: HttpRequest, entity_id: int, file_format: str
) -> HttpResponse:
    """The profile as a file: a self-contained HTML report, XLSX (every table) or JSON."""
    if file_format not in PROFILE_FORMATS:
        raise Http404
    form, day = _profile_day(request)
    language = (form.cleaned_data.get("lang") if form.is_valid() else "") or _language()
    profile = profiles.organisation_profile(request.user, entity_id, as_of=day)
    content_type = PROFILE_FORMATS[file_format]
    if file_format == "html":
        response = HttpResponse(
            render_html(profile.report, language=language, standalone=True),
            content_type=content_type,
        )
    elif file_format == "json":
        response = HttpResponse(
            json.dumps(as_json(profile.report), ensure_ascii=False, indent=2),
            content_type=content_type,
        )
    else:
        response = HttpResponse(content_type=content_type)
        write_xlsx(profile.report, response, language=language)
    name = f"ipops-profile-{entity_id}-{profile.as_of:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response

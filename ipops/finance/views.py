"""Pledge pages: the register (scoped), checking and registering a pledge, releasing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipcore.access import Capability
from ipops.accounts.decorators import current_user, requires
from ipops.accounts.models import Organization
from ipops.accounts.queries import has_capability, viewer_of
from ipops.errors import ServiceError, add_to_form
from ipops.finance import queries, services, staging
from ipops.finance.forms import PledgeChangeForm, PledgeForm, PledgeImportForm
from ipops.finance.models import Pledge
from ipops.market.queries import listed_lines


@requires(Capability.VIEW_PLEDGES)
@require_GET
def pledge_list(request: HttpRequest) -> HttpResponse:
    """质押登记 — pledges the organisation gave or holds (the bureau: all)."""
    status = request.GET.get("status", "")
    status = status if status in Pledge.Status.values else ""
    page = Paginator(queries.pledges_for(request.user, status), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": Pledge.Status.choices,
        "may_register": has_capability(request.user, Capability.REGISTER_PLEDGES),
        "may_import": has_capability(request.user, Capability.IMPORT_PLEDGES),
        "risks": queries.risk_panel(request.user),
    }
    return render(request, "finance/pledge_list.html", context)


@requires(Capability.REGISTER_PLEDGES)
@require_http_methods(["GET", "POST"])
def pledge_create(request: HttpRequest) -> HttpResponse:
    """Check the refusal grounds, then register: "check" only shows them."""
    form = PledgeForm(request.POST or None)
    check = None
    if request.method == "POST" and form.is_valid():
        application = services.PledgeApplication(**form.application_values())
        try:
            if request.POST.get("action") == "register":
                pledge = services.register_pledge(
                    actor=current_user(request), application=application
                )
                messages.success(request, _("Pledge registered."))
                return redirect("finance:pledge_detail", pledge.pk)
            check = services.check_pledge(actor=current_user(request), application=application)
        except ServiceError as error:
            add_to_form(form, error)
    return render(request, "finance/pledge_form.html", {"form": form, "check": check})


@requires(Capability.VIEW_PLEDGES)
@require_GET
def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = queries.pledge_for(request.user, pledge_id)
    viewer = viewer_of(request.user)
    context = {
        "pledge": pledge,
        "lines": listed_lines(queries.patents_of(pledge)),
        "may_release": pledge.standing
        and (viewer.sees_everything or viewer.organization_id == pledge.pledgee_id),
        "change_form": PledgeChangeForm(
            initial={"amount": pledge.amount, "debt_end": pledge.debt_end}
        )
        if pledge.standing and viewer.organization_id == pledge.pledgee_id
        else None,
    }
    return render(request, "finance/pledge_detail.html", context)


@requires(Capability.VIEW_PLEDGES)
@require_POST
def pledge_release(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = queries.pledge_for(request.user, pledge_id)
    try:
        services.release_pledge(
            actor=current_user(request), pledge=pledge, note=request.POST.get("note", "")
        )
        messages.success(request, _("Pledge released."))
    except ServiceError as error:
        messages.error(request, str(error.message))
    return redirect("finance:pledge_detail", pledge.pk)


@requires(Capability.REGISTER_PLEDGES)
@require_POST
def pledge_change(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = queries.pledge_for(request.user, pledge_id)
    form = PledgeChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the amount and the end of the debt term."))
        return redirect("finance:pledge_detail", pledge.pk)
    try:
        services.change_pledge(actor=current_user(request), pledge=pledge, **form.cleaned_data)
        messages.success(request, _("Pledge changed."))
    except ServiceError as error:
        reasons = [str(m) for ms in error.details.values() if isinstance(ms, list) for m in ms]
        messages.error(request, " ".join(reasons) or str(error.message))
    return redirect("finance:pledge_detail", pledge.pk)


@requires(Capability.IMPORT_PLEDGES)
@require_http_methods(["GET", "POST"])
def pledge_import(request: HttpRequest) -> HttpResponse:
    """导入质押记录 — upload a file of pledges CNIPA registered, see what it would create (or
    every problem with its row and column), then import it."""
    user = current_user(request)
    bureau = viewer_of(user).sees_everything
    if request.method == "POST" and request.POST.get("action") == "import":
        return _import_staged(request, bureau=bureau)
    form = PledgeImportForm(request.POST or None, request.FILES or None, may_choose_pledgee=bureau)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(services.MAX_IMPORT_BYTES + 1)
        pledgee = form.cleaned_data.get("pledgee")
        try:
            preview = services.import_pledges(
                actor=user, file_name=upload.name, content=content, pledgee=pledgee, dry_run=True
            )
        except services.PledgeImportRefused as refused:
            context["refused"] = refused
        except ServiceError as error:
            add_to_form(form, error)
        else:
            context |= {
                "preview": preview,
                "rows": _preview_rows(preview),
                "warnings": preview.warnings(),
                "staged": staging.keep(user, upload.name, content),
                "pledgee_id": pledgee.pk if pledgee else "",
            }
    return render(request, "finance/pledge_import.html", context)


def _import_staged(request: HttpRequest, *, bureau: bool) -> HttpResponse:
    user = current_user(request)
    token = request.POST.get("staged", "")
    file_name, content = staging.take(user, token)
    pledgee_id = request.POST.get("pledgee", "")
    pledgee = (
        get_object_or_404(Organization, pk=pledgee_id) if bureau and pledgee_id.isdigit() else None
    )
    form = PledgeImportForm(may_choose_pledgee=bureau)
    try:
        done = services.import_pledges(
            actor=user, file_name=file_name, content=content, pledgee=pledgee
        )
    except services.PledgeImportRefused as refused:  # the register changed since the preview
        return render(request, "finance/pledge_import.html", {"form": form, "refused": refused})
    except ServiceError as error:
        messages.error(request, str(error.message))
        return redirect("finance:pledge_import")
    staging.discard(user, token)
    messages.success(
        request,
        _("%(created)s pledges imported, %(skipped)s already in the register.")
        % {"created": len(done.pledges), "skipped": len(done.plan.skipped)},
    )
    return redirect("finance:pledge_list")


def _preview_rows(preview: services.PledgeImport) -> list[dict[str, object]]:
    return [
        {
            "row": line.record.row,
            "number": line.record.number,
            "pledgor": line.pledgor.name,
            "pledgee": line.pledgee.name,
            "amount": line.record.amount,
            "registered_on": line.record.registered_on,
            "status": Pledge.Status(line.record.status.value).label,
            "patents": [p.number for p in line.record.patents],
        }
        for line in preview.plan.planned
    ]

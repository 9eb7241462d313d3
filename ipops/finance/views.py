"""Pledge pages: the register (scoped), checking and registering a pledge, releasing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipcore.access import Capability
from ipops.accounts.decorators import current_user, requires
from ipops.accounts.queries import has_capability, viewer_of
from ipops.errors import ServiceError, add_to_form
from ipops.finance import queries, services
from ipops.finance.forms import PledgeChangeForm, PledgeForm
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

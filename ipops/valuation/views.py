"""Valuation pages: values and high-value patents, award lists, populations, portfolios and the
cultivation programme. Parse → authorise → service → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipcore.access import Capability
from ipcore.valuation.weights import Purpose, current_weights
from ipops.accounts.decorators import current_user, requires
from ipops.accounts.queries import has_capability, organizations_for
from ipops.corpus import queries as corpus
from ipops.errors import NotPermitted, ServiceError, add_to_form
from ipops.landscape import queries as landscape
from ipops.valuation import queries, services
from ipops.valuation.forms import (
    AwardListForm,
    EnrolForm,
    PopulationForm,
    PortfolioChangeForm,
    PortfolioForm,
    PurposeForm,
    split_numbers,
)
from ipops.valuation.models import Portfolio, PurposeChoices

PAGE_SIZE = 50


def _purpose(request: HttpRequest) -> Purpose:
    form = PurposeForm(request.GET)
    chosen = form.cleaned_data.get("purpose") if form.is_valid() else ""
    return Purpose(chosen or Purpose.MANAGEMENT)


@requires(Capability.VIEW_PATENT_VALUE)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """专利价值 — the latest scoring, high-value counts and the best-valued patents."""
    purpose = _purpose(request)
    context = {
        "summary": queries.high_value_summary(request.user),
        "runs": queries.runs_for(request.user)[:5],
        "last_run": queries.last_finished_run(),
        "ranking": queries.value_ranking(request.user, purpose),
        "purpose": purpose.value,
        "purpose_label": PurposeChoices(purpose.value).label,
        "purposes": PurposeChoices.choices,
        "may_rescore": has_capability(request.user, Capability.MANAGE_VALUATION_DATA),
        "weights": current_weights(timezone.localdate()),
    }
    return render(request, "valuation/overview.html", context)


@requires(Capability.MANAGE_VALUATION_DATA)
@require_POST
def rescore(request: HttpRequest) -> HttpResponse:
    run = services.request_rescoring(actor=current_user(request))
    messages.success(
        request,
        _("Scoring queued (run %(run)s): the background worker scores the corpus.")
        % {"run": run.pk},
    )
    return redirect("valuation:overview")


@requires(Capability.VIEW_PATENT_VALUE)
@require_GET
def patent_value(request: HttpRequest, patent_id: int) -> HttpResponse:
    """一件专利的价值 — every purpose's scores explained, and every indicator."""
    patent = corpus.patent_for(request.user, patent_id)
    context = {"patent": patent, "report": queries.value_of(request.user, patent)}
    return render(request, "valuation/patent_value.html", context)


@requires(Capability.VIEW_PATENT_VALUE)
@require_GET
def high_value(request: HttpRequest) -> HttpResponse:
    """高价值发明专利 — CNIPA's definition, counted once; per 10,000 residents by region."""
    criterion = request.GET.get("criterion", "")
    patents = queries.high_value_patents(request.user, criterion=criterion)
    page = Paginator(patents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "summary": queries.high_value_summary(request.user),
        "page": page,
        "criterion": criterion,
    }
    return render(request, "valuation/high_value.html", context)


@requires(Capability.VIEW_PATENT_VALUE)
@require_http_methods(["GET", "POST"])
def award_list(request: HttpRequest) -> HttpResponse:
    """获奖名单 — the award lists behind the fifth criterion; the bureau uploads them."""
    may_upload = has_capability(request.user, Capability.MANAGE_VALUATION_DATA)
    form = AwardListForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise NotPermitted
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created = services.upload_award_list(
                    actor=current_user(request),
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    year=form.cleaned_data["year"],
                    file_name=upload.name,
                    content=upload.read(services.MAX_UPLOAD_BYTES + 1),
                )
            except ServiceError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("%(rows)s rows read, %(matched)s patents found in the corpus.")
                    % {"rows": created.rows, "matched": created.matched},
                )
                return redirect("valuation:award_detail", award_list_id=created.pk)
    context = {
        "form": form if may_upload else None,
        "lists": queries.award_lists_for(request.user),
    }
    return render(request, "valuation/award_list.html", context)


@requires(Capability.VIEW_PATENT_VALUE)
@require_GET
def award_detail(request: HttpRequest, award_list_id: int) -> HttpResponse:
    found = queries.award_list_for(request.user, award_list_id)
    entries = found.entries.select_related("patent")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "award_list": found,
        "page": page,
        "may_delete": has_capability(request.user, Capability.MANAGE_VALUATION_DATA),
    }
    return render(request, "valuation/award_detail.html", context)


@requires(Capability.MANAGE_VALUATION_DATA)
@require_POST
def award_delete(request: HttpRequest, award_list_id: int) -> HttpResponse:
    found = queries.award_list_for(request.user, award_list_id)
    services.delete_award_list(actor=current_user(request), award_list=found)
    messages.success(request, _("Award list deleted; the patents are rescored."))
    return redirect("valuation:award_list")


@requires(Capability.VIEW_PATENT_VALUE)
@require_http_methods(["GET", "POST"])
def populations(request: HttpRequest) -> HttpResponse:
    """常住人口 — the populations per-10,000 figures divide by; the bureau records them."""
    may_record = has_capability(request.user, Capability.MANAGE_VALUATION_DATA)
    form = PopulationForm(request.POST or None)
    if request.method == "POST":
        if not may_record:
            raise NotPermitted
        if form.is_valid():
            try:
                services.record_population(actor=current_user(request), **form.cleaned_data)
            except ServiceError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Population recorded."))
                return redirect("valuation:populations")
    context = {
        "form": form if may_record else None,
        "rows": queries.populations_for(request.user),
    }
    return render(request, "valuation/populations.html", context)


# --- portfolios ----------------------------------------------------------------------------


@requires(Capability.VIEW_PATENT_VALUE)
@require_http_methods(["GET", "POST"])
def portfolio_list(request: HttpRequest) -> HttpResponse:
    """专利组合 — the organisation's portfolios; managers build new ones."""
    may_manage = has_capability(request.user, Capability.MANAGE_PORTFOLIOS)
    form = _portfolio_form(request) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise NotPermitted
        if form.is_valid():
            try:
                portfolio = _create_portfolio(request, form.cleaned_data)
            except ServiceError as error:
                add_to_form(form, error)
            else:
                return redirect("valuation:portfolio_detail", portfolio_id=portfolio.pk)
    context = {"form": form, "portfolios": queries.portfolios_for(request.user)}
    return render(request, "valuation/portfolio_list.html", context)


def _portfolio_form(request: HttpRequest) -> PortfolioForm:
    return PortfolioForm(
        request.POST or None,
        initial={"basis": request.GET.get("basis", ""), "owner": request.GET.get("owner", "")},
        datasets=landscape.datasets_for(request.user),
        organizations=organizations_for(request.user),
        key_fields=queries.key_field_choices(),
    )


def _create_portfolio(request: HttpRequest, data: dict[str, Any]) -> Portfolio:
    dataset = None
    if data["basis"] == Portfolio.Basis.DATASET and data.get("dataset"):
        dataset = landscape.dataset_for(request.user, int(data["dataset"]))
    organization = None
    if data.get("organization"):
        organization = organizations_for(request.user).filter(pk=int(data["organization"])).first()
    return services.create_portfolio(
        actor=current_user(request),
        name=data["name"],
        source=services.PortfolioSource(
            basis=data["basis"],
            owner=data.get("owner") or "",
            dataset=dataset,
            numbers=split_numbers(data.get("numbers") or ""),
        ),
        organization=organization,
        key_field=data.get("key_field") or "",
        description=data.get("description") or "",
    )


@requires(Capability.VIEW_PATENT_VALUE)
@require_GET
def portfolio_detail(request: HttpRequest, portfolio_id: int) -> HttpResponse:
    portfolio = queries.portfolio_for(request.user, portfolio_id)
    purpose = _purpose(request)
    report = queries.portfolio_report(portfolio, purpose=purpose)
    members = portfolio.members.select_related("patent", "patent__value").order_by(
        "-patent__application_date", "patent_id"
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    entry = getattr(portfolio, "programme_entry", None)
    may_enrol = has_capability(request.user, Capability.MANAGE_VALUATION_DATA) and entry is None
    context = {
        "portfolio": portfolio,
        "report": report,
        "page": page,
        "purpose": purpose.value,
        "purposes": PurposeChoices.choices,
        "score_field": f"{purpose.value}_total",
        "may_manage": queries.may_manage(request.user, portfolio),
        "entry": entry,
        "entry_field": queries.key_field_label(entry.key_field) if entry else "",
        "key_field": queries.key_field_label(portfolio.key_field) if portfolio.key_field else "",
        "enrol_form": EnrolForm(
            initial={"key_field": portfolio.key_field}, key_fields=queries.key_field_choices()
        )
        if may_enrol
        else None,
    }
    return render(request, "valuation/portfolio_detail.html", context)


@requires(Capability.MANAGE_PORTFOLIOS)
@require_POST
def portfolio_change(request: HttpRequest, portfolio_id: int) -> HttpResponse:
    portfolio = queries.portfolio_for(request.user, portfolio_id)
    members = list(portfolio.members.values_list("patent_id", flat=True))
    form = PortfolioChangeForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _("Tick patents to take out, or list numbers to add."))
    else:
        try:
            changed = services.change_portfolio(
                actor=current_user(request),
                portfolio=portfolio,
                add=split_numbers(form.cleaned_data["add"]),
                remove=form.cleaned_data["remove"],
            )
        except ServiceError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("%(count)s patents changed.") % {"count": changed})
    return redirect("valuation:portfolio_detail", portfolio_id=portfolio.pk)


def _message(error: ServiceError) -> str:
    details = [
        str(m)
        for messages_ in error.details.values()
        if isinstance(messages_, list)
        for m in messages_
    ]
    return " ".join(details) or str(error.message)


@requires(Capability.MANAGE_PORTFOLIOS)
@require_POST
def portfolio_refresh(request: HttpRequest, portfolio_id: int) -> HttpResponse:
    portfolio = queries.portfolio_for(request.user, portfolio_id)
    try:
        size = services.refresh_portfolio(actor=current_user(request), portfolio=portfolio)
    except ServiceError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("Portfolio refreshed: %(size)s patents.") % {"size": size})
    return redirect("valuation:portfolio_detail", portfolio_id=portfolio.pk)


@requires(Capability.MANAGE_PORTFOLIOS)
@require_POST
def portfolio_delete(request: HttpRequest, portfolio_id: int) -> HttpResponse:
    portfolio = queries.portfolio_for(request.user, portfolio_id)
    services.delete_portfolio(actor=current_user(request), portfolio=portfolio)
    messages.success(request, _("Portfolio deleted."))
    return redirect("valuation:portfolio_list")


@requires(Capability.MANAGE_VALUATION_DATA)
@require_POST
def portfolio_enrol(request: HttpRequest, portfolio_id: int) -> HttpResponse:
    portfolio = queries.portfolio_for(request.user, portfolio_id)
    form = EnrolForm(request.POST, key_fields=queries.key_field_choices())
    if not form.is_valid():
        messages.error(request, _("Choose the key field and the year."))
    else:
        try:
            services.enrol_in_programme(
                actor=current_user(request), portfolio=portfolio, **form.cleaned_data
            )
        except ServiceError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Portfolio enrolled in the cultivation programme."))
    return redirect("valuation:portfolio_detail", portfolio_id=portfolio.pk)


@requires(Capability.VIEW_PATENT_VALUE)
@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    """高价值专利组合培育 — the district's programme against PLAN.md C2's target of 25."""
    context = {
        "programme": queries.programme_for(request.user),
        "may_manage": has_capability(request.user, Capability.MANAGE_VALUATION_DATA),
        "rules": queries.counting_rules(),
    }
    return render(request, "valuation/programme.html", context)


@requires(Capability.MANAGE_VALUATION_DATA)
@require_POST
def programme_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = queries.programme_entry_for(request.user, entry_id)
    services.withdraw_from_programme(actor=current_user(request), entry=entry)
    messages.success(request, _("Portfolio taken out of the programme."))
    return redirect("valuation:programme")

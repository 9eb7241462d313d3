"""Sign-in, passwords, profile, tokens, organisations and their accounts.

Each view: parse the form → check access → call a service → render. No rule lives here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ipcore.access import Capability
from ipops.accounts import forms, queries, services
from ipops.accounts.decorators import current_user, requires, signed_in
from ipops.accounts.models import OrganizationKindChoices
from ipops.errors import ServiceError, add_to_form
from ipops.portal.htmx import page_or_partial

# --- signing in -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = forms.LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in(request=request, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error.message))
            status = error.http_status
        else:
            return HttpResponseRedirect(next_url or reverse("portal:home"))
    expired = request.GET.get("expired") == "1" or getattr(request, "session_expired", False)
    context = {"form": form, "next": next_url, "expired": expired and request.method == "GET"}
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@signed_in
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                actor=current_user(request),
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, current_user(request))
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(
            email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/")
        )
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    account = services.account_for_reset_link(uidb64=uidb64, token=token)
    form = forms.SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and account is not None:
        try:
            services.reset_password(
                account=account, token=token, new_password=form.cleaned_data["new_password"]
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Your password has been reset. Sign in with it now."))
            return redirect("accounts:login")
    context = {"form": form, "link_valid": account is not None}
    return render(request, "accounts/password_reset_confirm.html", context)


# --- profile and tokens ---------------------------------------------------------------------


@signed_in
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"account": request.user})


@signed_in
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST or None)
    new_secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.create_api_token(
                actor=current_user(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            form = forms.TokenForm()
    context = {"form": form, "tokens": queries.tokens_of(request.user), "new_secret": new_secret}
    return render(request, "accounts/token_list.html", context)


@signed_in
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = queries.tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.revoke_api_token(actor=current_user(request), token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:token_list")


# --- organisations --------------------------------------------------------------------------


@requires(Capability.VIEW_OWN_ORGANIZATION)
def my_organization(request: HttpRequest) -> HttpResponse:
    organization_id = current_user(request).organization_id
    if organization_id is None:
        raise Http404
    return redirect("accounts:organization_detail", organization_id=organization_id)


@requires(Capability.USE_ACCOUNT)
def organization_list(request: HttpRequest) -> HttpResponse:
    if not (
        queries.has_capability(request.user, Capability.VIEW_ALL_ORGANIZATIONS)
        or queries.has_capability(request.user, Capability.VIEW_CLIENT_ORGANIZATIONS)
    ):
        return my_organization(request)
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    organizations = queries.search_organizations(request.user, text=text, kind=kind)
    page = Paginator(organizations, 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": text, "kind": kind, "kinds": OrganizationKindChoices}
    template = page_or_partial(
        request, "accounts/organization_list.html", "accounts/_organization_rows.html"
    )
    return render(request, template, context)


@requires(Capability.MANAGE_ORGANIZATIONS)
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    form = forms.OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.create_organization(
                actor=current_user(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The organisation has been registered."))
            return redirect("accounts:organization_detail", organization_id=organization.pk)
    context = {"form": form, "creating": True, "districts": forms.shanghai_districts()}
    return render(request, "accounts/organization_form.html", context)


@requires(Capability.MANAGE_ORGANIZATIONS)
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = queries.organization_for(request.user, organization_id)
    initial = {name: getattr(organization, name) for name in forms.OrganizationForm.base_fields}
    form = forms.OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                actor=current_user(request),
                organization=organization,
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("accounts:organization_detail", organization_id=organization.pk)
    context = {
        "form": form,
        "organization": organization,
        "creating": False,
        "districts": forms.shanghai_districts(),
    }
    return render(request, "accounts/organization_form.html", context)


@requires(Capability.VIEW_OWN_ORGANIZATION)
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = queries.organization_for(request.user, organization_id)
    context = {
        "organization": organization,
        "members": queries.members_of(request.user, organization),
        "engagements": queries.engagements_for(request.user).filter(client=organization)
        | queries.engagements_for(request.user).filter(provider=organization),
        "can_manage": queries.has_capability(request.user, Capability.MANAGE_ORGANIZATIONS),
        "account_form": forms.AccountForm(),
    }
    return render(request, "accounts/organization_detail.html", context)


@requires(Capability.MANAGE_ORGANIZATIONS)
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = queries.organization_for(request.user, organization_id)
    form = forms.AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_user(
                actor=current_user(request),
                organization=organization,
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("The account has been created."))
            return redirect("accounts:organization_detail", organization_id=organization.pk)
    context = {"form": form, "organization": organization}
    return render(request, "accounts/account_form.html", context)


@requires(Capability.MANAGE_ORGANIZATIONS)
@require_POST
def account_set_active(request: HttpRequest, account_id: int) -> HttpResponse:
    account = queries.account_for(request.user, account_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(actor=current_user(request), account=account, active=active)
    except ServiceError as error:
        messages.error(request, str(next(iter(error.details.values()), [error.message])[0]))
    else:
        messages.success(
            request,
            _("The account has been reactivated.")
            if active
            else _("The account has been deactivated."),
        )
    if account.organization_id is None:  # an operator account outside any organisation
        return redirect("accounts:organization_list")
    return redirect("accounts:organization_detail", organization_id=account.organization_id)

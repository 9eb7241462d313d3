"""通知 — the signed-in person's notices, newest first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ipops.accounts.decorators import current_user, signed_in
from ipops.notifications import queries, services


@signed_in
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.notifications_for(request.user), 50).get_page(request.GET.get("page"))
    context = {"page": page, "unread": queries.unread_count(request.user)}
    return render(request, "notifications/list.html", context)


@signed_in
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    services.mark_read(actor=current_user(request), ids=ids or None)
    return redirect("notifications:list")

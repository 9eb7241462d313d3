"""The bureau's view of the audit log: filter, page, open one entry. Read-only by design."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ipcore.access import Capability
from ipops.accounts.decorators import requires
from ipops.audit import queries
from ipops.audit.forms import AuditFilterForm
from ipops.errors import ServiceError, add_to_form
from ipops.portal.htmx import page_or_partial

PAGE_SIZE = 50


@requires(Capability.VIEW_AUDIT_LOG)
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = queries.AuditFilter()
    if form.is_bound and form.is_valid():
        try:
            filters = queries.AuditFilter(**form.cleaned_data)
        except ServiceError as error:
            add_to_form(form, error)
    entries = queries.audit_entries_for(request.user, filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = page_or_partial(request, "audit/entry_list.html", "audit/_entry_rows.html")
    return render(request, template, context)


@requires(Capability.VIEW_AUDIT_LOG)
@require_GET
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = queries.audit_entry_for(request.user, entry_id)
    fields = entry.changed_fields
    rows = [(name, entry.old_values.get(name), entry.new_values.get(name)) for name in fields]
    return render(request, "audit/entry_detail.html", {"entry": entry, "rows": rows})

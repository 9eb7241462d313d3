"""Patent pages: browse, detail, organisation portfolio, data quality."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ipcore.access import Capability
from ipcore.reference import ipc_title, kind_code
from ipops.accounts.decorators import current_user, requires
from ipops.corpus import queries, services
from ipops.corpus.forms import NameDecisionForm, PatentFilterForm
from ipops.corpus.models import NameLink
from ipops.corpus.quality import COMPLETENESS, field_label, quality_report, sources
from ipops.errors import ServiceError, add_to_form
from ipops.portal.htmx import page_or_partial

PAGE_SIZE = 25
LINKS_SHOWN = 200


@require_GET  # public pages: the capability check is in the queries
def patent_list(request: HttpRequest) -> HttpResponse:
    form = PatentFilterForm(request.GET or None)
    filters = queries.PatentFilter()
    if form.is_bound and form.is_valid():
        filters = queries.PatentFilter(**{k: v for k, v in form.cleaned_data.items() if v})
    page = Paginator(queries.patents_for(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "sources": sources()}
    template = page_or_partial(request, "corpus/patent_list.html", "corpus/_patent_rows.html")
    return render(request, template, context)


@require_GET  # public pages: the capability check is in the queries
def patent_detail(request: HttpRequest, patent_id: int) -> HttpResponse:
    patent = queries.patent_for(request.user, patent_id)
    classifications = [(c, ipc_title(c.code)) for c in patent.classifications.all()]
    context = {
        "patent": patent,
        "texts": {(t.field, t.language): t.text for t in patent.texts.all()},
        "abstracts": [t for t in patent.texts.all() if t.field == "abstract"],
        "titles": [t for t in patent.texts.all() if t.field == "title"],
        "claims": [t for t in patent.texts.all() if t.field == "claims"],
        "classifications": classifications,
        "kind": kind_code(patent.office, patent.publication_kind)
        if patent.publication_kind
        else None,
        "applicants": [p for p in patent.parties.all() if p.role in ("applicant", "owner")],
        "inventors": [p for p in patent.parties.all() if p.role == "inventor"],
        "events": queries.legal_events_explained(patent.legal_events.all()),
        "overview": queries.legal_overview(patent),
        "family": queries.family_of(patent)[:50],
        "cited_in_corpus": queries.cited_patents(patent),
        "citing_count": queries.citing_count(patent),
    }
    return render(request, "corpus/patent_detail.html", context)


@require_GET  # public pages: the capability check is in the queries
def entity_detail(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = queries.entity_for(request.user, entity_id)
    patents = queries.patents_for(request.user, queries.PatentFilter(entity=entity.pk))
    page = Paginator(patents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"entity": entity, "portfolio": queries.portfolio_of(entity), "page": page}
    return render(request, "corpus/entity_detail.html", context)


@requires(Capability.VIEW_DATA_QUALITY)
@require_GET
def quality(request: HttpRequest) -> HttpResponse:
    context = {
        "report": quality_report(),
        "fields": [field_label(name) for name in COMPLETENESS],
        "runs": queries.recent_runs(request.user),
    }
    return render(request, "corpus/quality.html", context)


@requires(Capability.MANAGE_CORPUS)
@require_http_methods(["GET", "POST"])
def name_review(request: HttpRequest) -> HttpResponse:
    """申请人归并审核 — see how names were clustered, record merges and splits, re-run."""
    form = NameDecisionForm(request.POST or None)
    if request.method == "POST" and "resolve" in request.POST:
        summary = services.resolve_entities(actor=current_user(request))
        messages.success(
            request,
            _("Resolution re-run: %(names)d names in %(entities)d organisations.")
            % {"names": summary.names, "entities": summary.entities_after},
        )
        return redirect("corpus:name_review")
    if request.method == "POST" and form.is_valid():
        try:
            services.record_name_decision(actor=current_user(request), **form.cleaned_data)
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Decision recorded. Re-run the resolution to apply it."))
            return redirect("corpus:name_review")
    text = request.GET.get("q", "").strip()
    stage = request.GET.get("stage", "")
    stage = stage if stage in NameLink.Stage.values else ""
    context = {
        "form": form,
        "q": text,
        "stage": stage,
        "stages": NameLink.Stage.choices,
        "entities": queries.entities_with_names(request.user, text)[:50] if text else [],
        "links": queries.name_links(request.user, stage=stage, text=text)[:LINKS_SHOWN],
        "refused": queries.refused_links(request.user)[:LINKS_SHOWN],
        "decisions": queries.name_decisions(request.user)[:100],
    }
    return render(request, "corpus/name_review.html", context)

"""Patent pages: browse, detail, organisation portfolio, data quality."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipcore.access import Capability
from ipcore.industries import Rule, RuleSyntaxError, parse_rules, sei_concordance
from ipcore.reference import ipc_title, kind_code
from ipcore.technology import SECTORS, TECHNOLOGY_FIELDS, field_patterns
from ipops.accounts.decorators import current_user, requires
from ipops.accounts.queries import has_capability, organizations_for
from ipops.corpus import queries, services
from ipops.corpus.forms import EntityLinkForm, KeyFieldForm, NameDecisionForm, PatentFilterForm
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
    context = {
        "entity": entity,
        "portfolio": queries.portfolio_of(entity),
        "page": page,
        "link_form": _link_form(request, entity),
    }
    return render(request, "corpus/entity_detail.html", context)


def _link_form(request: HttpRequest, entity: Any, data: Any = None) -> EntityLinkForm | None:
    if not has_capability(request.user, Capability.MANAGE_ORGANIZATIONS):
        return None
    return EntityLinkForm(
        data,
        organizations=organizations_for(request.user).order_by("name"),
        initial={"organization": entity.organization_id},
    )


@requires(Capability.MANAGE_ORGANIZATIONS)
@require_POST
def entity_link(request: HttpRequest, entity_id: int) -> HttpResponse:
    """关联机构 — the bureau links an applicant entity to a platform organisation (or unlinks)."""
    entity = queries.entity_for(request.user, entity_id)
    form = _link_form(request, entity, request.POST)
    assert form is not None  # the decorator checked the capability
    if form.is_valid():
        organization = form.cleaned_data["organization"]
        try:
            services.link_entity(
                actor=current_user(request), entity=entity, organization=organization
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            if organization is None:
                messages.success(request, _("The applicant is no longer linked."))
            else:
                messages.success(
                    request,
                    _("Linked: its patents now count as %(name)s's own.")
                    % {"name": organization.name},
                )
    else:
        messages.error(request, _("Choose an organisation from the list."))
    return redirect("corpus:entity_detail", entity_id=entity.pk)


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


# --- field definitions -------------------------------------------------------------------------


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def field_list(request: HttpRequest) -> HttpResponse:
    """领域定义 — the key fields (the bureau edits them), CNIPA's SEI concordance and WIPO's
    technology fields (both official, read-only)."""
    sei = sei_concordance()
    industries = [
        (industry, [c for c in sei.sub_categories if c.parent == industry.code])
        for industry in sei.industries
    ]
    wipo = [
        (sector, [(f, field_patterns(f.number)) for f in TECHNOLOGY_FIELDS if f.sector == sector])
        for sector in SECTORS
    ]
    context = {
        "key_fields": [
            (field, _rule_count(field.rules)) for field in queries.key_fields_for(request.user)
        ],
        "industries": industries,
        "wipo": wipo,
        "can_edit": has_capability(request.user, Capability.MANAGE_FIELD_DEFINITIONS),
    }
    return render(request, "corpus/field_list.html", context)


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def key_field_detail(request: HttpRequest, code: str) -> HttpResponse:
    key_field = queries.key_field_for(request.user, code)
    sei = sei_concordance()
    context = {
        "key_field": key_field,
        "builds_on": [sei.category(c) for c in key_field.builds_on if c in _sei_codes()],
        "rules": _rules_or_none(key_field.rules),
        "history": [
            (
                entry,
                [(name, entry.old_values.get(name), new) for name, new in entry.new_values.items()],
            )
            for entry in queries.key_field_history(request.user, key_field)
        ],
        "can_edit": has_capability(request.user, Capability.MANAGE_FIELD_DEFINITIONS),
    }
    return render(request, "corpus/key_field_detail.html", context)


@requires(Capability.MANAGE_FIELD_DEFINITIONS)
@require_http_methods(["GET", "POST"])
def key_field_edit(request: HttpRequest, code: str) -> HttpResponse:
    key_field = queries.key_field_for(request.user, code)
    initial = {name: getattr(key_field, name) for name in ("name_zh", "name_en", "rules", "source")}
    form = KeyFieldForm(request.POST or None, initial={**initial, "builds_on": key_field.builds_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_key_field(
                actor=current_user(request), key_field=key_field, **form.cleaned_data
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Definition saved. New datasets use it from now on."))
            return redirect("corpus:key_field_detail", code=key_field.code)
    context = {"key_field": key_field, "form": form}
    return render(request, "corpus/key_field_edit.html", context)


@requires(Capability.ANALYSE_PATENTS)
@require_GET
def sei_category(request: HttpRequest, code: str) -> HttpResponse:
    """One strategic emerging industry or sub-category as the concordance defines it."""
    sei = sei_concordance()
    try:
        category = sei.category(code)
    except KeyError:
        raise Http404 from None
    if category.level == 1:
        parts = [c for c in sei.sub_categories if c.parent == category.code]
    else:
        parts = [category]
    context = {
        "category": category,
        "parent": sei.category(category.parent) if category.parent else None,
        "parts": [(part, sei.rules_of(part.code)) for part in parts],
    }
    return render(request, "corpus/sei_category.html", context)


def _sei_codes() -> set[str]:
    return {c.code for c in sei_concordance().categories}


def _rules_or_none(text: str) -> tuple[Rule, ...] | None:
    """The rules as ipcore reads them; None where the stored text cannot be read (it was
    checked when saved, so only a hand-edited database gets here)."""
    try:
        return parse_rules(text)
    except RuleSyntaxError:
        return None


def _rule_count(text: str) -> int | None:
    rules = _rules_or_none(text)
    return None if rules is None else len(rules)

"""Reads of the corpus. Bibliographic patent data is public (every role, the public too);
what a user may *do* with a patent (list it, pledge it) is checked by the apps that do it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from ipcore.access import Capability
from ipcore.fees import FeeDue, next_annual_fee
from ipcore.identifiers.cn import PatentType
from ipcore.legal_status import (
    STATUS_LABELS_ZH,
    LegalStatusError,
    PatentLife,
    Status,
    expiry_date,
    status_on,
)
from ipcore.legal_status import (
    LegalEvent as LifeEvent,
)
from ipops.accounts.queries import has_capability, require_capability
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.audit.queries import AuditFilter, audit_entries_for
from ipops.corpus.loader import entity_key
from ipops.corpus.models import (
    Citation,
    Classification,
    DocumentTypeChoices,
    Entity,
    EntityAlias,
    IngestRun,
    KeyField,
    LegalEvent,
    NameDecision,
    NameLink,
    Party,
    Patent,
    PatentText,
    Publication,
)

PATENT_LIST_FIELDS = (
    "id",
    "key",
    "office",
    "document_type",
    "application_number",
    "application_date",
    "publication_number",
    "publication_kind",
    "publication_date",
    "grant_date",
    "title",
    "main_ipc",
    "main_cpc",
    "first_owner",
)


@dataclass(frozen=True)
class PatentFilter:
    text: str = ""
    office: str = ""
    document_type: str = ""
    year: int | None = None
    subclass: str = ""
    entity: int | None = None


def patents_for(user: Any, filters: PatentFilter | None = None) -> QuerySet[Patent]:
    require_capability(user, Capability.VIEW_PATENTS)
    f = filters or PatentFilter()
    patents = Patent.objects.only(*PATENT_LIST_FIELDS)
    if f.text:
        patents = patents.filter(
            Q(title__icontains=f.text)
            | Q(publication_number__iexact=f.text.replace(" ", ""))
            | Q(application_number__iexact=f.text.strip())
        )
    if f.office:
        patents = patents.filter(office=f.office.upper())
    if f.document_type:
        patents = patents.filter(document_type=f.document_type)
    if f.year:
        patents = patents.filter(application_date__year=f.year)
    if f.subclass:
        patents = patents.filter(classifications__subclass=f.subclass.upper()).distinct()
    if f.entity:
        patents = patents.filter(parties__entity_id=f.entity).distinct()
    return patents.order_by("-application_date", "-id")


def patent_for(user: Any, patent_id: int) -> Patent:
    require_capability(user, Capability.VIEW_PATENTS)
    patents = Patent.objects.select_related("source").prefetch_related(
        "texts",
        "publications",
        "classifications",
        "priorities",
        "legal_events",
        Prefetch("parties", queryset=Party.objects.select_related("entity")),
        Prefetch("citations", queryset=Citation.objects.order_by("sequence")),
    )
    try:
        return patents.get(pk=patent_id)
    except Patent.DoesNotExist:
        raise Http404 from None


def family_of(patent: Patent) -> QuerySet[Patent]:
    if not patent.family_id:
        return Patent.objects.none()
    return (
        Patent.objects.filter(family_id=patent.family_id)
        .exclude(pk=patent.pk)
        .only(*PATENT_LIST_FIELDS)
        .order_by("application_date")
    )


def cited_patents(patent: Patent) -> dict[str, int]:
    """Cited numbers that are themselves in the corpus, to link them."""
    numbers = [c.cited_number for c in patent.citations.all() if c.cited_number]
    found = Publication.objects.filter(number__in=numbers).values_list("number", "patent_id")
    return dict(found)


def citing_count(patent: Patent) -> int:
    numbers = [p.number for p in patent.publications.all()]
    return Citation.objects.filter(cited_number__in=numbers).values("patent_id").distinct().count()


# --- legal status ---------------------------------------------------------------------------

CN_TYPES = {
    "invention": PatentType.INVENTION,
    "utility_model": PatentType.UTILITY_MODEL,
    "design": PatentType.DESIGN,
}


@dataclass(frozen=True)
class LegalOverview:
    """专利法律状态 on a date — only for CN patents, where the rules are CNIPA's."""

    status: Status
    status_label_zh: str
    expiry: dt.date
    next_fee: FeeDue | None
    on: dt.date
    events_known: int  # 0: the source carried no legal events, so status rests on dates alone


def legal_overview(patent: Patent, on: dt.date | None = None) -> LegalOverview | None:
    """Status, expiry and next annual fee under CN rules; None where they do not apply or
    the record lacks the filing date (the page says so rather than guessing)."""
    if patent.office != "CN" or patent.document_type not in CN_TYPES or not patent.application_date:
        return None
    today = on or timezone.localdate()
    try:
        life = PatentLife(
            patent_type=CN_TYPES[patent.document_type],
            filing_date=patent.application_date,
            grant_date=patent.grant_date,
            publication_date=patent.publication_date,
            events=tuple(_life_events(patent.legal_events.all())),
        )
        status = status_on(life, today)
        fee = next_annual_fee(life, today) if status is Status.IN_FORCE else None
        return LegalOverview(
            status, STATUS_LABELS_ZH[status], expiry_date(life), fee, today, len(life.events)
        )
    except LegalStatusError:
        return None


def _life_events(events: Any) -> list[LifeEvent]:
    return [LifeEvent(code=e.code, date=e.date, effective_date=e.effective_date) for e in events]


# --- organisations (applicant entities) -----------------------------------------------------


def entity_for(user: Any, entity_id: int) -> Entity:
    require_capability(user, Capability.VIEW_PATENTS)
    try:
        return Entity.objects.select_related("organization").get(pk=entity_id)
    except Entity.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class Portfolio:
    total: int
    by_type: list[dict[str, Any]]
    by_office: list[dict[str, Any]]
    by_year: list[dict[str, Any]]
    by_subclass: list[dict[str, Any]]
    names: list[str]


def portfolio_of(entity: Entity) -> Portfolio:
    """Counts of an organisation's patents by type, office, filing year and IPC/CPC subclass."""
    patents = Patent.objects.filter(parties__entity=entity).distinct()
    counted = Count("id", distinct=True)
    by_year = (
        patents.exclude(application_date=None)
        .annotate(year=ExtractYear("application_date"))
        .values("year")
        .annotate(n=counted)
        .order_by("year")
    )
    by_subclass = (
        Classification.objects.filter(patent_id__in=patents.values("id"))
        .values("subclass")
        .annotate(n=Count("patent_id", distinct=True))
        .order_by("-n")[:15]
    )
    return Portfolio(
        total=patents.count(),
        by_type=[
            {**row, "label": str(DocumentTypeChoices(row["document_type"]).label)}
            for row in _rows(patents.values("document_type").annotate(n=counted).order_by("-n"))
        ],
        by_office=_rows(patents.values("office").annotate(n=counted).order_by("-n")),
        by_year=_rows(by_year),
        by_subclass=_rows(by_subclass),
        names=sorted(set(entity.parties.values_list("name", flat=True)[:500]))[:20],
    )


def _rows(values: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in values]


def entities_with_names(user: Any, text: str) -> QuerySet[Entity]:
    """Organisations one of whose names contains the text, with every name they gathered."""
    require_capability(user, Capability.MANAGE_CORPUS)
    matching = Party.objects.filter(name__icontains=text).values("entity_id")
    return (
        Entity.objects.filter(pk__in=matching)
        .annotate(patent_count=Count("parties__patent", distinct=True))
        .prefetch_related("aliases")
        .order_by("-patent_count")
    )


# The stages a reviewer should look at first: they join names that differ in more than
# spacing or function words.
STAGES_TO_CHECK = (NameLink.Stage.TYPO, NameLink.Stage.ACRONYM, NameLink.Stage.WORD_ORDER)


def name_links(user: Any, *, stage: str = "", text: str = "") -> QuerySet[NameLink]:
    """Why names were joined in the last resolution: the riskier stages unless one is asked
    for, optionally only links naming the text."""
    require_capability(user, Capability.MANAGE_CORPUS)
    links = NameLink.objects.filter(refused=False)
    links = links.filter(stage=stage) if stage else links.filter(stage__in=STAGES_TO_CHECK)
    if text:
        links = links.filter(Q(source_name__icontains=text) | Q(target_name__icontains=text))
    return links


def refused_links(user: Any) -> QuerySet[NameLink]:
    require_capability(user, Capability.MANAGE_CORPUS)
    return NameLink.objects.filter(refused=True)


def name_decisions(user: Any) -> QuerySet[NameDecision]:
    require_capability(user, Capability.MANAGE_CORPUS)
    return NameDecision.objects.select_related("decided_by")


# --- data quality ---------------------------------------------------------------------------


def recent_runs(user: Any, limit: int = 20) -> QuerySet[IngestRun]:
    require_capability(user, Capability.VIEW_DATA_QUALITY)
    return IngestRun.objects.select_related("source")[:limit]


def legal_events_explained(events: Any) -> list[tuple[LegalEvent, Any]]:
    from ipcore.reference import legal_event_code

    return [(event, legal_event_code(event.code)) for event in events]


# --- for search results ----------------------------------------------------------------------


@dataclass(frozen=True)
class PatentSummary:
    """A patent as a result list shows it (plain values: search pages need no model)."""

    id: int
    key: str
    number: str
    office: str
    document_type: str
    type_label: str
    title: str
    abstract: str
    first_owner: str
    application_date: dt.date | None
    publication_date: dt.date | None
    main_code: str


ABSTRACT_SHOWN = 600


def patent_summaries(user: Any, ids: list[int]) -> list[PatentSummary]:
    """The patents with these ids, in the order given (ids no longer in the corpus are left
    out: the index may lag a deletion by one indexing pass)."""
    require_capability(user, Capability.VIEW_PATENTS)
    if not ids:
        return []
    labels = dict(DocumentTypeChoices.choices)
    abstracts: dict[int, str] = {}
    for pk, language, text in PatentText.objects.filter(
        patent_id__in=ids, field="abstract"
    ).values_list("patent_id", "language", "text"):
        if pk not in abstracts or language == "zh":
            abstracts[pk] = text[:ABSTRACT_SHOWN]
    found = {
        p.pk: PatentSummary(
            id=p.pk,
            key=p.key,
            number=p.display_number,
            office=p.office,
            document_type=p.document_type,
            type_label=str(labels.get(p.document_type, p.document_type)),
            title=p.title,
            abstract=abstracts.get(p.pk, ""),
            first_owner=p.first_owner,
            application_date=p.application_date,
            publication_date=p.publication_date,
            main_code=p.main_ipc or p.main_cpc,
        )
        for p in Patent.objects.filter(pk__in=ids).only(*PATENT_LIST_FIELDS)
    }
    return [found[pk] for pk in ids if pk in found]


def entity_ids_named(value: str, limit: int = 50) -> list[int]:
    """Organisations a searcher means by ``value``: those with a name that normalises to the
    same key (so 华为技术有限公司 and 华为技术 are one). One indexed lookup: an entity's own
    display name is one of its spellings, so its key is among the aliases."""
    ids = EntityAlias.objects.filter(key=entity_key(value)).values_list("entity_id", flat=True)
    return sorted(set(ids[:limit]))


def existing_patent_ids(ids: list[int]) -> list[int]:
    """Those of these ids that name a patent in the corpus, in ascending order."""
    return sorted(Patent.objects.filter(pk__in=ids).values_list("pk", flat=True))


def display_numbers(ids: Sequence[int]) -> dict[int, str]:
    """The number each of these patents is shown by (CN111994302B), by id; ids no longer in
    the corpus are absent. Public bibliographic data: for reports over patents the caller
    already may see."""
    rows = Patent.objects.filter(pk__in=list(ids)).only(
        "publication_number", "publication_kind", "application_number", "key"
    )
    return {patent.pk: patent.display_number for patent in rows}


def entity_names(ids: list[int]) -> dict[int, str]:
    return dict(Entity.objects.filter(pk__in=ids).values_list("id", "name"))


# --- field definitions ---------------------------------------------------------------------


def key_fields_for(user: Any) -> QuerySet[KeyField]:
    """The key fields (definitions are not private: every analyst reads them)."""
    require_capability(user, Capability.ANALYSE_PATENTS)
    return KeyField.objects.select_related("updated_by")


def key_field_for(user: Any, code: str) -> KeyField:
    try:
        return key_fields_for(user).get(code=code)
    except KeyField.DoesNotExist:
        raise Http404 from None


def key_field_history(user: Any, key_field: KeyField) -> list[AuditEntry]:
    """Every edit of a key field with its old and new values, newest first — for those who
    read the audit log (the bureau); nobody else sees who changed what."""
    if not has_capability(user, Capability.VIEW_AUDIT_LOG):
        return []
    filters = AuditFilter(
        action=Action.KEY_FIELD_UPDATED,
        target_type=KeyField._meta.label_lower,
        target_id=str(key_field.pk),
    )
    return list(audit_entries_for(user, filters).order_by("-created_at", "-id"))

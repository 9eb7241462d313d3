"""Reads of the valuation app, scoped to what the user may see.

Value scores are for signed-in roles (VIEW_PATENT_VALUE); a portfolio belongs to an
organisation, whose members (and serving provider) see it, and the bureau sees all — anyone
else gets a 404, as for every private record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from ipcore.access import Capability
from ipcore.divisions import division_label
from ipcore.industries.key_fields import shipped_key_fields
from ipcore.valuation.cohorts import Cohort, Level, Placement
from ipcore.valuation.explain import explain, format_value
from ipcore.valuation.high_value import Criterion, per_ten_thousand
from ipcore.valuation.indicators import INDICATORS, Measure, Unknown
from ipcore.valuation.portfolios import (
    Composition,
    CountingRules,
    Member,
    Standing,
    Strength,
    composition,
    standing,
    strength,
)
from ipcore.valuation.scores import ValueScore, score_patent
from ipcore.valuation.weights import Purpose, WeightSet, weights_version
from ipops.accounts.queries import require_capability, restrict_to_owners, viewer_of
from ipops.corpus.models import Patent, Priority
from ipops.valuation.models import (
    AwardList,
    PatentValue,
    Portfolio,
    PortfolioPatent,
    ProgrammeEntry,
    PurposeChoices,
    RegionPopulation,
    ScoringRun,
)


def _language() -> str:
    return get_language() or "zh-hans"


# --- one patent ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    label: str
    value: str
    unit: str
    scale: str
    percentile: float | None
    cohort: str | None
    cohort_size: int | None
    reason: str | None
    source: str


@dataclass(frozen=True)
class PurposeLine:
    purpose: Purpose
    label: str
    score: ValueScore
    sentences: list[str]


@dataclass(frozen=True)
class HighValueLine:
    verdict: bool | None
    met: list[str]
    unknown: list[str]
    status_from_dates: bool


@dataclass(frozen=True)
class ValueReport:
    """A patent's stored value, with every score explained, in the reader's language."""

    patent_id: int
    as_of: dt.date
    weights_version: str
    status: str
    purposes: list[PurposeLine]
    indicators: list[IndicatorLine]
    high_value: HighValueLine
    run: ScoringRun | None = None


def value_of(user: Any, patent: Patent) -> ValueReport | None:
    """The patent's value report; None when it has not been scored yet. The caller has
    already fetched the patent through the corpus queries (patents are public)."""
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    stored = PatentValue.objects.filter(patent_id=patent.pk).select_related("run").first()
    return report_of(stored) if stored else None


def report_of(stored: PatentValue) -> ValueReport:
    language = _language()
    values, placements = _decoded(stored)
    try:
        weights = weights_version(stored.weights_version)
    except KeyError:  # a version removed from the code since: nothing can be explained
        weights = None
    purposes = []
    if weights is not None:
        for purpose in Purpose:
            score = score_patent(values, placements, weights, purpose)
            purposes.append(
                PurposeLine(
                    purpose,
                    str(PurposeChoices(purpose.value).label),
                    score,
                    explain(score, language),
                )
            )
    return ValueReport(
        patent_id=stored.patent_id,
        as_of=stored.as_of,
        weights_version=stored.weights_version,
        status=stored.status,
        purposes=purposes,
        indicators=_indicator_lines(values, placements, language),
        high_value=HighValueLine(
            verdict=stored.high_value,
            met=[Criterion(c).label(language) for c in stored.criteria_met],
            unknown=[Criterion(c).label(language) for c in stored.criteria_unknown],
            status_from_dates=stored.status_from_dates,
        ),
        run=stored.run,
    )


def _decoded(stored: PatentValue) -> tuple[dict[str, Measure], dict[str, Placement | Unknown]]:
    values: dict[str, Measure] = {}
    for indicator in INDICATORS:
        if indicator.name in stored.indicators:
            values[indicator.name] = float(stored.indicators[indicator.name])
        else:
            values[indicator.name] = Unknown(stored.unknown.get(indicator.name, "no_cohort"))
    placements: dict[str, Placement | Unknown] = {}
    for name, (pct, level, size) in stored.placements.items():
        placements[name] = Placement(
            float(pct), _cohort(Level(level), stored.cohort_subclass, stored.filing_year), size
        )
    return values, placements


def _cohort(level: Level, subclass: str, year: int | None) -> Cohort:
    widths = {Level.SUBCLASS_YEAR: 4, Level.CLASS_YEAR: 3, Level.SECTION_YEAR: 1}
    if level in widths:
        return Cohort(level, subclass[: widths[level]], year)
    return Cohort(level, None, year if level is Level.YEAR else None)


def _indicator_lines(
    values: dict[str, Measure], placements: dict[str, Placement | Unknown], language: str
) -> list[IndicatorLine]:
    lines = []
    for indicator in INDICATORS:
        value = values[indicator.name]
        placed = placements.get(indicator.name)
        lines.append(
            IndicatorLine(
                name=indicator.name,
                label=indicator.label(language),
                value=format_value(indicator.name, value),
                unit=indicator.unit(language) if not isinstance(value, Unknown) else "",
                scale=indicator.scale.value,
                percentile=placed.percentile if isinstance(placed, Placement) else None,
                cohort=placed.cohort.label(language) if isinstance(placed, Placement) else None,
                cohort_size=placed.size if isinstance(placed, Placement) else None,
                reason=value.message(language) if isinstance(value, Unknown) else None,
                source=indicator.source,
            )
        )
    return lines


def report_json(report: ValueReport) -> dict[str, Any]:
    """The report as plain values (API, `ipops value --json`)."""
    return {
        "patent_id": report.patent_id,
        "as_of": report.as_of.isoformat(),
        "weights_version": report.weights_version,
        "legal_status": report.status or None,
        "scores": {
            line.purpose.value: {
                "label": line.label,
                **{d.dimension.value: _number(d.score) for d in line.score.dimensions},
                "total": _number(line.score.total),
                "coverage": round(line.score.coverage, 4),
                "dimension_coverage": {
                    d.dimension.value: round(d.coverage, 4) for d in line.score.dimensions
                },
                "explanation": line.sentences,
            }
            for line in report.purposes
        },
        "indicators": [
            {
                "name": line.name,
                "label": line.label,
                "value": None if line.reason else line.value,
                "unit": line.unit,
                "scale": line.scale,
                "percentile": None if line.percentile is None else round(line.percentile, 1),
                "cohort": line.cohort,
                "cohort_size": line.cohort_size,
                "unknown_reason": line.reason,
                "source": line.source,
            }
            for line in report.indicators
        ],
        "high_value": {
            "verdict": report.high_value.verdict,
            "criteria_met": report.high_value.met,
            "criteria_unknown": report.high_value.unknown,
            "status_from_dates_only": report.high_value.status_from_dates,
        },
    }


def _number(value: float | Unknown) -> float | None:
    return None if isinstance(value, Unknown) else round(value, 1)


# --- scoring runs, award lists, populations ------------------------------------------------


def runs_for(user: Any) -> QuerySet[ScoringRun]:
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    return ScoringRun.objects.select_related("requested_by")


def last_finished_run() -> ScoringRun | None:
    return ScoringRun.objects.filter(status=ScoringRun.Status.FINISHED).first()


def award_lists_for(user: Any) -> QuerySet[AwardList]:
    """Award lists are public records (the awards are announced): every signed-in role."""
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    return AwardList.objects.select_related("uploaded_by")


def award_list_for(user: Any, award_list_id: int) -> AwardList:
    try:
        return award_lists_for(user).get(pk=award_list_id)
    except AwardList.DoesNotExist:
        raise Http404 from None


def populations_for(user: Any) -> QuerySet[RegionPopulation]:
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    return RegionPopulation.objects.all()


# --- high-value counts ---------------------------------------------------------------------


@dataclass(frozen=True)
class RegionCount:
    """高价值发明专利 of a region with a recorded population: the count, and per 10,000."""

    division_code: str
    label: str
    year: int
    population: int
    count: int
    per_10k: float
    source: str


@dataclass(frozen=True)
class HighValueSummary:
    high_value: int
    cannot_tell: int
    by_criterion: dict[str, int]
    status_from_dates: int  # of the high-value ones, those whose validity rests on dates alone
    regions: list[RegionCount] = field(default_factory=list)


def division_prefix(code: str) -> str:
    """The prefix every division inside ``code`` starts with: 310000 → 31, 310100 → 3101."""
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def high_value_summary(user: Any) -> HighValueSummary:
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    language = _language()
    counted = PatentValue.objects.filter(high_value=True)
    by_criterion: dict[str, int] = defaultdict(int)
    for met in counted.values_list("criteria_met", flat=True):
        for criterion in met:
            by_criterion[Criterion(criterion).label(language)] += 1
    latest: dict[str, RegionPopulation] = {}
    for row in RegionPopulation.objects.order_by("division_code", "-year"):
        latest.setdefault(row.division_code, row)
    by_region: dict[str, int] = defaultdict(int)  # one query, not one per region
    for code, n in (
        counted.values("region_code").annotate(n=Count("pk")).values_list("region_code", "n")
    ):
        by_region[code] += n
    regions = []
    for code, row in sorted(latest.items()):
        prefix = division_prefix(code)
        count = sum(n for region, n in by_region.items() if region.startswith(prefix))
        regions.append(
            RegionCount(
                division_code=code,
                label=division_label(code),
                year=row.year,
                population=row.population,
                count=count,
                per_10k=per_ten_thousand(count, row.population),
                source=row.source,
            )
        )
    return HighValueSummary(
        high_value=counted.count(),
        cannot_tell=PatentValue.objects.filter(high_value__isnull=True).count(),
        by_criterion=dict(sorted(by_criterion.items(), key=lambda item: -item[1])),
        status_from_dates=counted.filter(status_from_dates=True).count(),
        regions=regions,
    )


def high_value_patents(user: Any, *, criterion: str = "", region: str = "") -> QuerySet[Patent]:
    """The high-value patents, newest filing first (patents are public records)."""
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    values = PatentValue.objects.filter(high_value=True)
    if region:
        values = values.filter(region_code__startswith=division_prefix(region))
    ids = values.values("patent_id")
    patents = Patent.objects.filter(pk__in=ids).select_related("value")
    if criterion:
        # JSON containment is not portable (SQLite has no @>): filter the small list here
        keep = [
            pk for pk, met in values.values_list("patent_id", "criteria_met") if criterion in met
        ]
        patents = patents.filter(pk__in=keep)
    return patents.order_by("-application_date", "pk")


# --- portfolios ----------------------------------------------------------------------------


def portfolios_for(user: Any) -> QuerySet[Portfolio]:
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    portfolios = Portfolio.objects.select_related("organization", "entity").annotate(
        size=Count("members")
    )
    return restrict_to_owners(portfolios, user, "organization")


def portfolio_for(user: Any, portfolio_id: int) -> Portfolio:
    try:
        return portfolios_for(user).get(pk=portfolio_id)
    except Portfolio.DoesNotExist:
        raise Http404 from None


def may_manage(user: Any, portfolio: Portfolio) -> bool:
    from ipops.accounts.queries import has_capability

    return has_capability(user, Capability.MANAGE_PORTFOLIOS) and viewer_of(
        user
    ).may_see_private_of(portfolio.organization_id)


def counting_rules() -> CountingRules:
    return CountingRules(
        min_inventions=settings.PORTFOLIO_MIN_INVENTIONS,
        min_pct=settings.PORTFOLIO_MIN_PCT,
        count_pending=settings.PORTFOLIO_COUNT_PENDING,
        count_unknown_status=settings.PORTFOLIO_COUNT_UNKNOWN_STATUS,
    )


@dataclass(frozen=True)
class PortfolioReport:
    portfolio: Portfolio
    standing: Standing
    composition: Composition
    strength: Strength
    rules: CountingRules
    purpose: Purpose
    unscored: int  # members with no stored value yet


def portfolio_report(
    portfolio: Portfolio, *, purpose: Purpose = Purpose.MANAGEMENT
) -> PortfolioReport:
    """Composition, standing against the plan's target and strength, from the stored values
    (a handful of queries whatever the size)."""
    ids = list(portfolio.members.values_list("patent_id", flat=True))
    members = portfolio_members(ids, purpose)
    rules = counting_rules()
    return PortfolioReport(
        portfolio=portfolio,
        standing=standing(members, rules),
        composition=composition(members, _today()),
        strength=strength(members),
        rules=rules,
        purpose=purpose,
        unscored=len(ids) - PatentValue.objects.filter(patent_id__in=ids).count()
        if len(ids) < 20_000
        else 0,
    )


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def portfolio_members(ids: Sequence[int], purpose: Purpose) -> list[Member]:
    pct = _pct_numbers(ids)
    members = []
    chunk = 2000
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = Patent.objects.filter(pk__in=part).values_list(
            "id",
            "office",
            "document_type",
            "family_id",
            "key",
            "application_number",
            "publication_number",
            "value__status",
            "value__expiry",
            f"value__{purpose.value}_total",
            "value__placements",
        )
        for (
            pk,
            office,
            kind,
            family,
            key,
            application,
            publication,
            status,
            expiry,
            total,
            placed,
        ) in rows:
            forward = (placed or {}).get("forward_citations")
            numbers = list(pct.get(pk, ()))
            if office == "WO":
                numbers.append(application or publication or key)
            members.append(
                Member(
                    patent_id=pk,
                    office=office,
                    document_type=kind,
                    status=status or None,
                    family_key=family or key,
                    pct_numbers=tuple(numbers),
                    expiry=expiry,
                    total_score=total,
                    forward_percentile=forward[0] if forward else None,
                )
            )
    return members


def _pct_numbers(ids: Sequence[int]) -> dict[int, list[str]]:
    """PCT applications a patent entered from (a WO priority: the national phase)."""
    numbers: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 2000):
        for pk, number in Priority.objects.filter(
            patent_id__in=ids[start : start + 2000], office="WO"
        ).values_list("patent_id", "number"):
            numbers[pk].append(number)
    return numbers


# --- the programme -------------------------------------------------------------------------


def key_field_choices() -> list[tuple[str, str]]:
    chinese = _language().startswith("zh")
    return [
        (field.code, field.name_zh if chinese else (field.name_en or field.name_zh))
        for field in shipped_key_fields()
    ]


def key_field_label(code: str) -> str:
    return dict(key_field_choices()).get(code, code)


@dataclass(frozen=True)
class ProgrammeLine:
    entry: ProgrammeEntry
    key_field: str
    standing: Standing
    visible: bool


@dataclass(frozen=True)
class Programme:
    target: int
    enrolled: int
    meeting: int
    lines: list[ProgrammeLine]
    by_field: dict[str, int]


def programme_for(user: Any) -> Programme:
    """The cultivation programme: how many portfolios are enrolled and meet the target (all
    counted for everyone), and the entries the user may open."""
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    return operator_programme(viewer_of(user).may_see_private_of)


def operator_programme(visible: Any = None) -> Programme:
    """The programme as the platform sees it (an operator's command: every entry visible).
    Three queries whatever the number of entries: entries, memberships, member facts."""
    rules = counting_rules()
    entries = list(ProgrammeEntry.objects.select_related("portfolio", "portfolio__organization"))
    by_portfolio: dict[int, list[int]] = defaultdict(list)
    for portfolio_id, patent_id in PortfolioPatent.objects.filter(
        portfolio_id__in=[entry.portfolio_id for entry in entries]
    ).values_list("portfolio_id", "patent_id"):
        by_portfolio[portfolio_id].append(patent_id)
    everyone = sorted({pk for ids in by_portfolio.values() for pk in ids})
    facts = {m.patent_id: m for m in portfolio_members(everyone, Purpose.MANAGEMENT)}
    lines = []
    for entry in entries:
        members = [facts[pk] for pk in by_portfolio[entry.portfolio_id] if pk in facts]
        lines.append(
            ProgrammeLine(
                entry=entry,
                key_field=key_field_label(entry.key_field),
                standing=standing(members, rules),
                visible=True if visible is None else visible(entry.portfolio.organization_id),
            )
        )
    by_field: dict[str, int] = defaultdict(int)
    for line in lines:
        by_field[line.key_field] += 1
    return Programme(
        target=settings.PORTFOLIO_PROGRAMME_TARGET,
        enrolled=len(lines),
        meeting=sum(1 for line in lines if line.standing.meets),
        lines=lines,
        by_field=dict(by_field),
    )


def programme_entry_for(user: Any, entry_id: int) -> ProgrammeEntry:
    """An entry of the programme whose portfolio the user may see."""
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    entries: QuerySet[ProgrammeEntry] = restrict_to_owners(
        ProgrammeEntry.objects.select_related("portfolio"), user, "portfolio__organization"
    )
    try:
        return entries.get(pk=entry_id)
    except ProgrammeEntry.DoesNotExist:
        raise Http404 from None


def value_ranking(user: Any, purpose: Purpose, *, limit: int = 50) -> QuerySet[PatentValue]:
    """The best-scored patents for a purpose (the values overview)."""
    require_capability(user, Capability.VIEW_PATENT_VALUE)
    column = f"{purpose.value}_total"
    return (
        PatentValue.objects.exclude(Q(**{f"{column}__isnull": True}))
        .select_related("patent")
        .order_by(f"-{column}", "patent_id")[:limit]
    )


def weights_of(version: str) -> WeightSet | None:
    try:
        return weights_version(version)
    except KeyError:
        return None


def portfolio_json(report: PortfolioReport) -> dict[str, Any]:
    language = _language()
    portfolio = report.portfolio
    strength_value = report.strength.value
    return {
        "id": portfolio.pk,
        "name": portfolio.name,
        "basis": portfolio.basis,
        "organization": {"id": portfolio.organization_id, "name": portfolio.organization.name},
        "owner_entity_id": portfolio.entity_id,
        "dataset_id": portfolio.dataset_id,
        "key_field": portfolio.key_field or None,
        "standing": {
            "meets_target": report.standing.meets,
            "invention_patents": report.standing.inventions,
            "pct_applications": report.standing.pct,
            "invention_patents_missing": report.standing.inventions_needed,
            "pct_applications_missing": report.standing.pct_needed,
            "pending_not_counted": report.standing.not_counted_pending,
            "unknown_status_not_counted": report.standing.not_counted_unknown,
            "sentence": report.standing.sentence(language),
            "rules": {
                "min_invention_patents": report.rules.min_inventions,
                "min_pct_applications": report.rules.min_pct,
                "count_pending": report.rules.count_pending,
                "count_unknown_status": report.rules.count_unknown_status,
            },
        },
        "composition": {
            "size": report.composition.size,
            "families": report.composition.families,
            "types": report.composition.types,
            "legal_status": report.composition.statuses,
            "offices": report.composition.offices,
            "pct_applications": report.composition.pct_applications,
            "years_of_term_left": report.composition.remaining_life,
            "total_score": report.composition.values,
            "score_purpose": report.purpose.value,
            "not_scored": report.unscored,
        },
        "strength": {
            "value": None if isinstance(strength_value, Unknown) else round(strength_value, 2),
            "families": report.strength.families,
            "families_without_citation_data": report.strength.unknown_families,
            "market_coverage": "offices counted (no market-size data)",
        },
    }


def programme_json(programme: Programme) -> dict[str, Any]:
    language = _language()
    return {
        "target": programme.target,
        "enrolled": programme.enrolled,
        "meeting_target": programme.meeting,
        "portfolios_missing": max(programme.target - programme.enrolled, 0),
        "by_key_field": programme.by_field,
        "portfolios": [
            {
                "entry_id": line.entry.pk,
                "portfolio_id": line.entry.portfolio_id if line.visible else None,
                "name": line.entry.portfolio.name,
                "organization": line.entry.portfolio.organization.name,
                "key_field": line.key_field,
                "since": line.entry.start_year,
                "invention_patents": line.standing.inventions,
                "pct_applications": line.standing.pct,
                "meets_target": line.standing.meets,
                "standing": line.standing.sentence(language),
            }
            for line in programme.lines
        ],
    }


def licensing_scores(patent_ids: Sequence[int]) -> dict[int, float]:
    """The stored licensing-and-transfer value score of each scored patent, by id: what
    a market listing shows beside each patent. Unscored or unknown patents are absent."""
    rows = PatentValue.objects.filter(
        patent_id__in=list(patent_ids), licensing_total__isnull=False
    ).values_list("patent_id", "licensing_total")
    return {pk: round(score, 1) for pk, score in rows if score is not None}


def stored_values(
    ids: Sequence[int], purpose: Purpose
) -> dict[int, tuple[float | None, bool | None]]:
    """The stored total score for ``purpose`` and the high-value verdict of each of the
    patents that has been scored (absent: not scored yet), for other apps' summaries of a
    set of patents (the organisation profile). The caller has checked access."""
    values: dict[int, tuple[float | None, bool | None]] = {}
    chunk = 2000
    for start in range(0, len(ids), chunk):
        rows = PatentValue.objects.filter(patent_id__in=ids[start : start + chunk]).values_list(
            "patent_id", f"{purpose.value}_total", "high_value"
        )
        values.update((pk, (total, high)) for pk, total, high in rows)
    return values

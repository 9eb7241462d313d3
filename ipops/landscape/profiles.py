"""组织专利组合画像 — an organisation's portfolio profile, for M&A evaluation (并购评估,
GB/T 37286) and for knowing a client or a competitor.

A profile is the organisation's patents (those it applied for or owns, by its resolved
applicant entity) with the same facts a dataset keeps, held in memory on DuckDB, and a chosen
set of the landscape metrics over them — filing trend, WIPO technology fields, strategic
emerging industries and key fields, classes, offices, families, remaining life, owners and
co-owners, inventors — beside what only a profile asks
(``ipcore.landscape.portfolio``): patents by type and standing at every office with what
each standing rests on, age since filing, and family reach abroad. Nothing is written: a
profile is computed when asked for (freeze the organisation's patents into a dataset to keep
them). The results have the shape of a landscape report, so the report's rendering draws
them and its XLSX export writes them.

Outside CN the corpus has no legal status: standings there are estimates
(``ipcore.landscape.standing``), counted as such in every figure that uses them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.landscape.metrics import MetricParams, compute_all
from ipcore.landscape.portfolio import (
    Holding,
    ScoredPatent,
    family_reach,
    home_office,
    portfolio_age,
    standing_basis,
    standing_by_type,
    value_distribution,
)
from ipcore.landscape.results import MetricResult, Report
from ipcore.landscape.standing import Standing
from ipcore.valuation.weights import Purpose
from ipops.accounts.queries import require_capability
from ipops.corpus import queries as corpus
from ipops.corpus.evaluation import (
    OrganisationMatch,
    legal_event_counts,
    organisation_patent_ids,
    organisations_named,
)
from ipops.corpus.facts import FactBatch, patent_facts
from ipops.errors import InvalidInput
from ipops.landscape.backends import memory_tables
from ipops.landscape.screening import standing_of
from ipops.valuation.queries import stored_values

# A profile is computed while the page waits: measured on the demo corpus (2 busy cores),
# 6,016 patents took 1.3 s for the facts and 1.4 s for the metrics, so 20,000 take about 9 s.
# Beyond this, freeze the organisation's patents as a dataset (its report runs as a task) or
# analyse them from a snapshot (`ipops landscape 'ORG="…"' --backend duckdb`).
MAX_PROFILE: Final = 20_000
FACT_BATCH: Final = 2000
MAX_NAME_QUERY: Final = 200
PROFILE_METRICS: Final = (
    "remaining_life",
    "filing_trend",
    "technology_fields",
    "sei_industries",
    "key_fields",
    "classification_mix_subclass",
    "geography_office",
    "family_size",
    "top_owners",
    "co_ownership",
    "top_inventors",
)
BACKEND: Final = "duckdb-memory"


@dataclass(frozen=True)
class OrganisationProfile:
    entity_id: int
    name: str
    country: str
    spellings: tuple[str, ...]  # the names it gathered (normalised keys)
    home_office: str
    as_of: dt.date
    size: int
    standings: dict[str, int]  # Standing value → patents
    estimated: int  # patents whose standing is an estimate
    report: Report

    def result(self, name: str) -> MetricResult | None:
        return self.report.result(name)


def find_organisations(user: Any, text: str) -> list[OrganisationMatch]:
    """Organisations (resolved applicants) whose names contain ``text``, Chinese or English,
    largest portfolios first. ``user`` None is the operator."""
    _require_analyst(user)
    text = text.strip()
    if len(text) > MAX_NAME_QUERY:
        raise InvalidInput(
            _("A name of at most %(limit)s characters.") % {"limit": MAX_NAME_QUERY},
            details={"q": [_("Too long.")]},
        )
    return organisations_named(text)


def organisation_profile(
    user: Any, entity_id: int, *, as_of: dt.date | None = None
) -> OrganisationProfile:
    """The portfolio profile of the organisation ``entity_id`` as of a day (today by
    default). Http404 for an unknown organisation; InvalidInput for one too large to
    profile in memory."""
    _require_analyst(user)
    entity = corpus.entity_for(user, entity_id)
    day = as_of or timezone.localdate()
    ids = organisation_patent_ids(entity.pk)
    if len(ids) > MAX_PROFILE:
        raise InvalidInput(
            _(
                "%(name)s has %(count)s patents; a profile holds at most %(limit)s. Analyse it "
                "from a snapshot instead: `ipops snapshot`, then `ipops landscape "
                "'ORG=\"%(name)s\"' --backend duckdb`."
            )
            % {"name": entity.name, "count": f"{len(ids):,}", "limit": f"{MAX_PROFILE:,}"},
            code="profile_too_large",
        )
    facts = _facts(ids, day)
    holdings = _holdings(facts, day)
    home = home_office(holdings, entity.country)
    report = Report(
        title=entity.name,
        query=f'ORG="{entity.name}"',
        size=len(holdings),
        as_of=day,
        generated_at=timezone.now(),
        backend=BACKEND,
        results=(
            family_reach(holdings, home),
            standing_by_type(holdings),
            standing_basis(holdings),
            portfolio_age(holdings, day),
            _values(holdings),
            *_metrics(facts, holdings, day),
        ),
    )
    counts = {standing.value: 0 for standing in Standing}
    for holding in holdings:
        counts[holding.standing.standing.value] += 1
    return OrganisationProfile(
        entity_id=entity.pk,
        name=entity.name,
        country=entity.country,
        spellings=tuple(sorted(entity.aliases.values_list("key", flat=True))[:20]),
        home_office=home,
        as_of=day,
        size=len(holdings),
        standings=counts,
        estimated=sum(1 for holding in holdings if holding.standing.estimated),
        report=report,
    )


def _values(holdings: list[Holding]) -> MetricResult:
    """价值评分分布 — the stored scores for a transfer or licence (what an acquirer weighs),
    from the valuation app; patents it has not scored are counted apart."""
    stored = stored_values([h.patent_id for h in holdings], Purpose.LICENSING)
    scored = {pk: ScoredPatent(total, high) for pk, (total, high) in stored.items()}
    return value_distribution(
        scored, len(holdings), purpose_zh="许可与转让", purpose_en="licensing and transfer"
    )


def _require_analyst(user: Any) -> None:
    if user is not None:
        require_capability(user, Capability.ANALYSE_PATENTS)


def _facts(ids: list[int], day: dt.date) -> FactBatch:
    """The facts of the organisation's patents filed by ``day``, read a batch at a time."""
    facts = FactBatch()
    for start in range(0, len(ids), FACT_BATCH):
        batch = patent_facts(ids[start : start + FACT_BATCH], on=day)
        later = {
            row["patent_id"]
            for row in batch.patents
            if row["application_date"] is not None and row["application_date"] > day
        }
        for name, rows in batch.tables().items():
            getattr(facts, name).extend(row for row in rows if row["patent_id"] not in later)
    return facts


def _holdings(facts: FactBatch, day: dt.date) -> list[Holding]:
    """Each patent with its standing; the facts' status and expiry of a patent whose
    standing is estimated are set from the estimate (the remaining-life metric reads them,
    and its note says how many are estimated)."""
    events = legal_event_counts(
        [row["patent_id"] for row in facts.patents if row["office"] == "CN"]
    )
    holdings = []
    for row in facts.patents:
        standing = standing_of(row, events.get(row["patent_id"], 0), day)
        if standing.estimated:
            row["legal_status"] = standing.status.value if standing.status else None
            row["expiry_date"] = standing.expiry
        holdings.append(
            Holding(
                patent_id=row["patent_id"],
                office=row["office"],
                document_type=row["type"],
                application_date=row["application_date"],
                family_id=row["family_id"],
                family_offices=row["family_offices"] or 1,
                standing=standing,
            )
        )
    return holdings


def _metrics(facts: FactBatch, holdings: list[Holding], day: dt.date) -> list[MetricResult]:
    if not facts.patents:
        return []
    results = compute_all(memory_tables(facts), MetricParams(as_of=day), names=PROFILE_METRICS)
    estimated = sum(
        1 for h in holdings if h.standing.estimated and h.standing.standing is Standing.IN_FORCE
    )
    return [_profiled(result, estimated) for result in results]


def _profiled(result: MetricResult, estimated_in_force: int) -> MetricResult:
    """A metric as a profile words it: owners are co-owners beside the organisation itself,
    and remaining life says how much of it is estimated."""
    if result.name == "top_owners":
        return replace(
            result,
            title_zh="专利权人与共有人",
            title_en="The organisation and its co-owners",
        )
    if result.name == "remaining_life" and estimated_in_force:
        return replace(
            result,
            note_zh=result.note_zh
            + f"其中 {estimated_in_force} 件有效专利的状态与届满日为估计（无法律状态数据）。",
            note_en=(
                result.note_en
                + f" The standing and expiry of {estimated_in_force} of the patents in force "
                "are estimated (no legal-status data)."
            ).strip(),
        )
    return result

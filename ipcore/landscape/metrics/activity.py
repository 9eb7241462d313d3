"""Activity over time: the filing trend, newcomers and the technology life cycle."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Final

import ibis

from ipcore.landscape.metrics._base import (
    DATED,
    OWNED,
    YEAR,
    Answer,
    Context,
    Metric,
    MetricParams,
    Need,
    NotApplicable,
    Note,
    Row,
    application_years,
    column,
    integer,
    left_out,
    owner_rows,
    plural,
    share,
    year_span,
)
from ipcore.landscape.results import ColumnKind, Shape
from ipcore.landscape.schema import Tables

_UNDATED: Final = {
    "zh": "{n} 件专利没有申请日，未计入按申请年份的统计。",
    "en": "Left out of the counts by filing year: {patents} without an application date.",
}


def _counts_by_year(rows: Sequence[Row]) -> dict[str, dict[int, int]]:
    """``measure → year → count`` from rows of ``measure``, ``year``, ``n``."""
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        counts[row["measure"]][int(row["year"])] = integer(row["n"])
    return counts


def _tagged(table: ibis.Table, measure: str) -> ibis.Table:
    return table.select(measure=ibis.literal(measure), year="year", n="n")


# -- filing_trend -------------------------------------------------------------------------


def build_filing_trend(tables: Tables, params: MetricParams) -> ibis.Table:
    """申请、公开、授权趋势 — patents per year of application, of publication and of grant.

    Each patent counts once in each series where it has the date; a patent without an
    application date still counts in the year it was published or granted.
    """
    patents = tables.patents
    series = []
    for measure, date in (
        ("applications", patents.application_date),
        ("publications", patents.publication_date),
        ("grants", patents.grant_date),
    ):
        dated = patents.filter(date.notnull()).select(year=date.year())
        series.append(_tagged(dated.group_by("year").aggregate(n=dated.count()), measure))
    return ibis.union(*series)


def incomplete_from(as_of_year: int, last_publication_year: int | None) -> int:
    """The first filing year whose applications are probably not all published yet.

    Invention applications are published about 18 months after filing, so the filings of
    the year before the data ends, and of its last year, are incomplete. The data ends at
    the freeze date, or earlier where the source does: PatentsView's file stops in 2022,
    and reading its last years against a 2026 freeze would call a publication horizon a
    collapse in filing.
    """
    horizon = (
        as_of_year if last_publication_year is None else min(as_of_year, last_publication_year)
    )
    return horizon - 1


def finish_filing_trend(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    counts = _counts_by_year(rows)
    years = year_span(year for by_year in counts.values() for year in by_year)
    measures = ("applications", "publications", "grants")
    coverage = context.coverage
    published = counts.get("publications")
    last_publication = max(published) if published else None
    return Answer(
        rows=tuple(
            (year, *(counts[measure].get(year, 0) for measure in measures)) for year in years
        ),
        notes=(
            *left_out(coverage.patents - coverage.dated, **_UNDATED),
            *left_out(
                coverage.patents - coverage.published,
                zh="{n} 件专利没有公开日，未计入公开量。",
                en="Left out of publications: {patents} without a publication date.",
            ),
        ),
        extras={
            "incomplete_from": incomplete_from(context.params.as_of.year, last_publication),
            "last_publication_year": last_publication,
        },
    )


FILING_TREND: Final = Metric(
    name="filing_trend",
    title_zh="申请趋势",
    title_en="Filing trend",
    shape=Shape.SERIES,
    columns=(
        YEAR,
        column("applications", "申请量", "Applications", ColumnKind.INTEGER),
        column("publications", "公开量", "Publications", ColumnKind.INTEGER),
        column("grants", "授权量", "Grants", ColumnKind.INTEGER),
    ),
    description_zh=(
        "按申请日、公开日、授权日所在年份分别统计的专利件数；缺少某一日期的专利不计入该序列，"
        "各序列中间没有专利的年份记为 0。"
    ),
    description_en=(
        "Patents per year of application, of publication and of grant; a patent without a "
        "date is left out of that series, and years in between with none count as 0."
    ),
    build=build_filing_trend,
    finish=finish_filing_trend,
    needs=(
        Need(
            lambda c: c.dated + c.published + c.granted > 0,
            Note(
                "数据集中的专利都没有申请日、公开日或授权日，无法统计趋势。",
                "No patent in the dataset has an application, publication or grant date, "
                "so there is no trend to show.",
            ),
        ),
    ),
)


# -- owner activity per year ---------------------------------------------------------------


def _owner_years(tables: Tables) -> ibis.Table:
    """Distinct (owner ``key``, application ``year``) pairs."""
    pairs = owner_rows(tables).join(application_years(tables), "patent_id")
    return pairs.select("key", "year").distinct()


def _active_owners(owner_years: ibis.Table) -> ibis.Table:
    return _tagged(owner_years.group_by("year").aggregate(n=owner_years.count()), "owners")


def build_newcomers(tables: Tables, params: MetricParams) -> ibis.Table:
    """新进入者 — per year, owners whose first application in the dataset falls in it, and
    every owner with an application that year."""
    owner_years = _owner_years(tables)
    entries = owner_years.group_by("key").aggregate(year=owner_years.year.min())
    newcomers = _tagged(entries.group_by("year").aggregate(n=entries.count()), "newcomers")
    return newcomers.union(_active_owners(owner_years))


def finish_newcomers(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    counts = _counts_by_year(rows)
    if not counts["owners"]:
        return NotApplicable(_NO_DATED_OWNERS)
    new, active = counts["newcomers"], counts["owners"]
    first, last = context.params.recent_span
    recent = sum(n for year, n in new.items() if first <= year <= last)
    years = year_span(active)
    return Answer(
        rows=tuple(
            (
                year,
                new.get(year, 0),
                active.get(year, 0),
                share(new.get(year, 0), active.get(year, 0)),
            )
            for year in years
        ),
        notes=(
            Note(
                f"进入年份以申请人在本数据集中的最早申请年为准，因此 {years[0]} 年的申请人全部记为"
                f"新进入者；{first}-{last} 年共有 {recent} 个新进入者。",
                f"Entry is an owner's first application within this dataset, so every owner "
                f"in {years[0]} counts as a newcomer; {plural(recent, 'owner')} entered in "
                f"{first}-{last}.",
            ),
            *left_out(context.coverage.patents - context.coverage.dated, **_UNDATED),
        ),
        extras={"recent_newcomers": recent, "recent_span": (first, last)},
    )


_NO_DATED_OWNERS: Final = Note(
    "有申请日的专利都没有申请人信息，无法按年份统计申请人。",
    "No patent with an application date names an owner, so owners cannot be counted by year.",
)

NEWCOMERS: Final = Metric(
    name="newcomers",
    title_zh="新进入者",
    title_en="Newcomers",
    shape=Shape.SERIES,
    columns=(
        YEAR,
        column("newcomers", "新进入者", "Newcomers", ColumnKind.INTEGER),
        column("active_owners", "活跃申请人", "Active owners", ColumnKind.INTEGER),
        column("newcomer_share", "新进入者占比", "Share of newcomers", ColumnKind.SHARE),
    ),
    description_zh=(
        "按申请年份统计首次在本数据集中提出申请的申请人数，以及当年有申请的申请人总数；"
        "申请人按实体（无实体时按名称）计，无申请日的专利不计入。"
    ),
    description_en=(
        "Per filing year, owners whose first application in this dataset falls in that year, "
        "and all owners filing that year; owners are entities (else names), and patents "
        "without an application date are left out."
    ),
    build=build_newcomers,
    finish=finish_newcomers,
    needs=(DATED, OWNED),
)


# -- life_cycle -----------------------------------------------------------------------------


def build_life_cycle(tables: Tables, params: MetricParams) -> ibis.Table:
    """技术生命周期 — per application year, patents filed and owners filing them: the
    curve of owners against filings that shows emergence, growth, maturity and decline."""
    years = application_years(tables)
    applications = _tagged(years.group_by("year").aggregate(n=years.count()), "applications")
    return applications.union(_active_owners(_owner_years(tables)))


def finish_life_cycle(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    counts = _counts_by_year(rows)
    applications, owners = counts["applications"], counts["owners"]
    if not owners:
        return NotApplicable(_NO_DATED_OWNERS)
    return Answer(
        rows=tuple(
            (year, applications.get(year, 0), owners.get(year, 0))
            for year in year_span(applications)
        ),
        notes=left_out(context.coverage.patents - context.coverage.dated, **_UNDATED),
    )


LIFE_CYCLE: Final = Metric(
    name="life_cycle",
    title_zh="技术生命周期",
    title_en="Technology life cycle",
    shape=Shape.SERIES,
    columns=(
        YEAR,
        column("applications", "申请量", "Applications", ColumnKind.INTEGER),
        column("owners", "申请人数", "Owners filing", ColumnKind.INTEGER),
    ),
    description_zh=(
        "按申请年份统计的申请量与当年提出申请的申请人数（按实体，无实体时按名称），"
        "两者连线即技术生命周期曲线；无申请日的专利不计入。"
    ),
    description_en=(
        "Per filing year, applications and the owners (entities, else names) filing them — "
        "plotted against each other, the technology life-cycle curve; patents without an "
        "application date are left out."
    ),
    build=build_life_cycle,
    finish=finish_life_cycle,
    needs=(DATED, OWNED),
)

"""Where: publishing offices, the countries of owners and inventors, Chinese provinces."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import ibis

from ipcore.landscape.metrics._base import (
    INVENTED,
    OWNED,
    PATENTS_COLUMN,
    Answer,
    Context,
    Metric,
    MetricParams,
    Need,
    NotApplicable,
    Note,
    Row,
    column,
    distribution_counts,
    integer,
    left_out,
    share,
    split_total,
)
from ipcore.landscape.metrics._labels import province_names
from ipcore.landscape.results import Column, ColumnKind, Shape, Value
from ipcore.landscape.schema import Tables

COUNTED_SHARE: Final = column("share", "占比", "Share", ColumnKind.SHARE)
COUNTRY: Final = column("country", "国家/地区", "Country or region", ColumnKind.TEXT)


def finish_distribution(
    rows: Sequence[Row],
    context: Context,
    *,
    empty: Note,
    left_out_zh: str,
    left_out_en: str,
    names: Callable[[str], tuple[Value, ...]] = lambda _: (),
) -> Answer | NotApplicable:
    """Buckets largest first (ties by code), each with its share of the patents counted."""
    buckets, total = split_total(rows)
    if not buckets:
        return NotApplicable(empty)
    ranked = sorted(buckets, key=lambda row: (-integer(row["patents"]), row["bucket"]))
    return Answer(
        rows=tuple(
            (
                row["bucket"],
                integer(row["patents"]),
                share(integer(row["patents"]), total),
                *names(row["bucket"]),
            )
            for row in ranked
        ),
        notes=left_out(context.coverage.patents - total, zh=left_out_zh, en=left_out_en),
        extras={"counted": total},
    )


# -- geography_office ----------------------------------------------------------------------


def build_geography_office(tables: Tables, params: MetricParams) -> ibis.Table:
    """受理局分布 — patents per publishing office (CN, US, EP, WO …)."""
    return distribution_counts(tables.patents, "office", per_patent=True)


def finish_geography_office(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return finish_distribution(
        rows,
        context,
        empty=_NO_OFFICE,
        left_out_zh="{n} 件专利没有受理局信息，未计入。",
        left_out_en="Left out: {patents} without an office.",
    )


_NO_OFFICE: Final = Note(
    "数据集中的专利都没有受理局信息。", "No patent in the dataset names its office."
)

GEOGRAPHY_OFFICE: Final = Metric(
    name="geography_office",
    title_zh="受理局分布",
    title_en="Filing offices",
    shape=Shape.DISTRIBUTION,
    columns=(
        column("office", "受理局", "Office", ColumnKind.TEXT),
        PATENTS_COLUMN,
        COUNTED_SHARE,
    ),
    description_zh="各受理局（公布专利的专利局）的专利件数；占比的分母为有受理局信息的专利数。",
    description_en=(
        "Patents per publishing office; shares are of the patents whose office is known."
    ),
    build=build_geography_office,
    finish=finish_geography_office,
    needs=(Need(lambda c: c.with_office > 0, _NO_OFFICE),),
)


# -- geography_owner_country ---------------------------------------------------------------


def build_geography_owner_country(tables: Tables, params: MetricParams) -> ibis.Table:
    """第一申请人国别 — patents per country of the first-listed owner (the lowest
    ``position``); where that owner's country is unknown the patent is left out rather than
    credited to a later owner."""
    owners = tables.owners
    firsts = owners.group_by("patent_id").aggregate(first=owners.position.min())
    first_owners = owners.join(
        firsts, (owners.patent_id == firsts.patent_id) & (owners.position == firsts.first)
    )
    return distribution_counts(first_owners.select("patent_id", "country"), "country")


def finish_geography_owner_country(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return finish_distribution(
        rows,
        context,
        empty=Note("第一申请人都没有国别信息。", "No first-listed owner has a known country."),
        left_out_zh="{n} 件专利的第一申请人国别不详，未计入。",
        left_out_en="Left out: {patents} whose first owner's country is unknown.",
    )


GEOGRAPHY_OWNER_COUNTRY: Final = Metric(
    name="geography_owner_country",
    title_zh="第一申请人国别分布",
    title_en="First owner's country",
    shape=Shape.DISTRIBUTION,
    columns=(COUNTRY, PATENTS_COLUMN, COUNTED_SHARE),
    description_zh=(
        "按第一申请人（排序最前者）所属国家/地区统计的专利件数；第一申请人国别不详的专利不计入，"
        "占比的分母为计入的专利数。"
    ),
    description_en=(
        "Patents by the country of the first-listed owner; patents whose first owner's "
        "country is unknown are left out, and shares are of the patents counted."
    ),
    build=build_geography_owner_country,
    finish=finish_geography_owner_country,
    needs=(OWNED,),
)


# -- geography_inventor_country ------------------------------------------------------------


def build_geography_inventor_country(tables: Tables, params: MetricParams) -> ibis.Table:
    """发明人国别 — patents with at least one inventor from each country."""
    return distribution_counts(tables.inventors, "country")


def finish_geography_inventor_country(
    rows: Sequence[Row], context: Context
) -> Answer | NotApplicable:
    return finish_distribution(
        rows,
        context,
        empty=Note("发明人都没有国别信息。", "No inventor has a known country."),
        left_out_zh="{n} 件专利没有国别已知的发明人，未计入。",
        left_out_en="Left out: {patents} with no inventor of known country.",
    )


GEOGRAPHY_INVENTOR_COUNTRY: Final = Metric(
    name="geography_inventor_country",
    title_zh="发明人国别分布",
    title_en="Inventors' countries",
    shape=Shape.DISTRIBUTION,
    columns=(COUNTRY, PATENTS_COLUMN, COUNTED_SHARE),
    description_zh=(
        "有来自某国家/地区发明人的专利件数；发明人来自多个国家的专利在每个国家各计一次，"
        "占比的分母为至少有一名国别已知发明人的专利数，合计可超过 100%。"
    ),
    description_en=(
        "Patents with at least one inventor from each country; a patent with inventors from "
        "several countries counts in each, so shares (of patents with any inventor of known "
        "country) can add up to more than 100%."
    ),
    build=build_geography_inventor_country,
    finish=finish_geography_inventor_country,
    needs=(INVENTED,),
)


# -- geography_province --------------------------------------------------------------------


def build_geography_province(tables: Tables, params: MetricParams) -> ibis.Table:
    """省份分布 — patents with at least one owner in each Chinese province."""
    return distribution_counts(tables.owners, "province")


def finish_geography_province(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return finish_distribution(
        rows,
        context,
        empty=Note(
            "没有申请人带有中国省级行政区信息。",
            "No owner has a Chinese province on record.",
        ),
        left_out_zh="{n} 件专利没有省份已知的申请人，未计入。",
        left_out_en="Left out: {patents} with no owner in a known Chinese province.",
        names=province_names,
    )


PROVINCE_COLUMNS: Final[tuple[Column, ...]] = (
    column("province", "行政区划代码", "Division code", ColumnKind.TEXT),
    PATENTS_COLUMN,
    COUNTED_SHARE,
    column("name_zh", "省份", "Province (Chinese)", ColumnKind.TEXT),
    column("name_en", "省份（英文）", "Province", ColumnKind.TEXT),
)

GEOGRAPHY_PROVINCE: Final = Metric(
    name="geography_province",
    title_zh="申请人省份分布",
    title_en="Owners' provinces",
    shape=Shape.DISTRIBUTION,
    columns=PROVINCE_COLUMNS,
    description_zh=(
        "有位于某省级行政区（GB/T 2260）的申请人的专利件数；申请人分属多个省份的专利在每个省份"
        "各计一次，占比的分母为至少有一名省份已知申请人的专利数。"
    ),
    description_en=(
        "Patents with at least one owner in each Chinese province (GB/T 2260); a patent "
        "with owners in several provinces counts in each, and shares are of the patents "
        "with any owner of known province."
    ),
    build=build_geography_province,
    finish=finish_geography_province,
    needs=(OWNED,),
)

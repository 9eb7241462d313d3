"""What the patents are worth keeping: legal status, remaining life, families, citations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import ibis

from ipcore.landscape.metrics._base import (
    LABEL_EN,
    LABEL_ZH,
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
    median,
    plural,
    share,
)
from ipcore.landscape.metrics._labels import status_labels
from ipcore.landscape.metrics.geography import COUNTED_SHARE, finish_distribution
from ipcore.landscape.results import ColumnKind, Shape
from ipcore.landscape.schema import Tables

BUCKET: Final = column("bucket", "区间", "Bucket", ColumnKind.TEXT)

# -- legal_status --------------------------------------------------------------------------

_NO_STATUS: Final = Note(
    "数据集中的专利都没有法律状态信息。", "No patent in the dataset has a legal status."
)
HAS_STATUS: Final = Need(lambda c: c.with_status > 0, _NO_STATUS)


def build_legal_status(tables: Tables, params: MetricParams) -> ibis.Table:
    """法律状态分布 — patents per legal status as of the dataset's snapshot."""
    return distribution_counts(tables.patents, "legal_status", per_patent=True)


def finish_legal_status(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return finish_distribution(
        rows,
        context,
        empty=_NO_STATUS,
        left_out_zh="{n} 件专利法律状态不详，未计入。",
        left_out_en="Left out: {patents} of unknown legal status.",
        names=status_labels,
    )


LEGAL_STATUS: Final = Metric(
    name="legal_status",
    title_zh="法律状态",
    title_en="Legal status",
    shape=Shape.DISTRIBUTION,
    columns=(
        column("status", "状态代码", "Status code", ColumnKind.TEXT),
        PATENTS_COLUMN,
        COUNTED_SHARE,
        column("label_zh", "法律状态", "Legal status (Chinese)", ColumnKind.TEXT),
        column("label_en", "法律状态（英文）", "Legal status", ColumnKind.TEXT),
    ),
    description_zh=(
        "各法律状态（审中、有效、未缴年费终止、届满、撤回、驳回、无效、放弃）的专利件数，状态为数据快照"
        "当日的状态；占比的分母为法律状态已知的专利数。"
    ),
    description_en=(
        "Patents per legal status (pending, in force, lapsed, expired, withdrawn, rejected, "
        "invalidated, abandoned) on the snapshot's day; shares are of patents whose status "
        "is known."
    ),
    build=build_legal_status,
    finish=finish_legal_status,
    needs=(HAS_STATUS,),
)


# -- remaining_life --------------------------------------------------------------------------

LIFE_BUCKETS: Final = ((0, 2), (3, 5), (6, 10), (11, 15), (16, 20))
"""Whole years left, inclusive; more than 20 (a US term extended) is a sixth bucket "21+"
shown only where it has patents."""


def build_remaining_life(tables: Tables, params: MetricParams) -> ibis.Table:
    """剩余寿命 — patents in force per whole years left until their expiry date, counted from
    ``as_of`` (a null ``years`` where the expiry date is unknown)."""
    patents = tables.patents
    in_force = patents.filter(patents.legal_status == "in_force")
    expiry, as_of = in_force.expiry_date, params.as_of
    before_anniversary = expiry.month() * 100 + expiry.day() < as_of.month * 100 + as_of.day
    years = expiry.year() - as_of.year - ibis.ifelse(before_anniversary, 1, 0)
    return in_force.group_by(years=years).aggregate(patents=in_force.count())


def _life_bucket(years: int) -> tuple[str, str, str]:
    for low, high in LIFE_BUCKETS:
        if low <= years <= high:
            return f"{low}-{high}", f"{low}-{high} 年", f"{low}-{high} years"
    return "21+", "21 年以上", "21 years or more"


def finish_remaining_life(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    counts: dict[tuple[str, str, str], int] = {_life_bucket(low): 0 for low, _ in LIFE_BUCKETS}
    by_years: dict[int, int] = {}
    undated = past = 0
    for row in rows:
        years, patents = row["years"], integer(row["patents"])
        if years is None:
            undated += patents
        elif years < 0:
            past += patents
        else:
            bucket = _life_bucket(int(years))
            counts[bucket] = counts.get(bucket, 0) + patents
            by_years[int(years)] = patents
    total = sum(counts.values())
    if not total:
        return NotApplicable(
            Note(
                f"截至 {context.params.as_of.isoformat()} 没有已知届满日的有效专利。",
                f"No patent in force on {context.params.as_of.isoformat()} has a known "
                "expiry date.",
            )
        )
    return Answer(
        rows=tuple((code, n, share(n, total), zh, en) for (code, zh, en), n in counts.items()),
        notes=(
            *left_out(
                undated,
                zh="{n} 件有效专利没有届满日，未计入。",
                en="Left out: {patents} in force without an expiry date.",
            ),
            *left_out(
                past,
                zh="{n} 件标为有效的专利届满日早于统计日，未计入。",
                en="Left out: {patents} marked in force whose expiry date has passed.",
            ),
        ),
        extras={
            "counted": total,
            "as_of": context.params.as_of,
            "median_years": median(by_years),
        },
    )


REMAINING_LIFE: Final = Metric(
    name="remaining_life",
    title_zh="有效专利剩余寿命",
    title_en="Remaining life of patents in force",
    shape=Shape.DISTRIBUTION,
    columns=(BUCKET, PATENTS_COLUMN, COUNTED_SHARE, LABEL_ZH, LABEL_EN),
    description_zh=(
        "有效专利自统计日（as_of）至届满日的整年数，分为 0-2、3-5、6-10、11-15、16-20 年"
        "（超过 20 年另列）；没有届满日的有效专利不计入。"
    ),
    description_en=(
        "Whole years from as_of until expiry of the patents in force, in buckets 0-2, 3-5, "
        "6-10, 11-15 and 16-20 (more than 20 listed apart); patents in force without an "
        "expiry date are left out."
    ),
    build=build_remaining_life,
    finish=finish_remaining_life,
    needs=(HAS_STATUS,),
    reads_day=True,
)


# -- family_size -----------------------------------------------------------------------------

FAMILY_BUCKETS: Final = (
    (1, 1, "1", "1 件", "1 member"),
    (2, 2, "2", "2 件", "2 members"),
    (3, 5, "3-5", "3-5 件", "3-5 members"),
    (6, 10, "6-10", "6-10 件", "6-10 members"),
    (11, None, "11+", "11 件以上", "11 members or more"),
)


def build_family_size(tables: Tables, params: MetricParams) -> ibis.Table:
    """同族规模 — families per size (members in the corpus), with how many of them reach two
    or more offices; a family is its ``family_id``, counted once however many of its members
    the dataset holds."""
    patents = tables.patents.filter(tables.patents.family_id.notnull())
    families = patents.group_by("family_id").aggregate(
        size=patents.family_size.max(), offices=patents.family_offices.max()
    )
    return families.group_by("size").aggregate(
        families=families.count(),
        known_offices=families.offices.count(),
        multi_office=families.offices.count(where=families.offices >= 2),
    )


def _family_bucket(size: int) -> tuple[str, str, str]:
    for low, high, code, zh, en in FAMILY_BUCKETS:
        if size >= low and (high is None or size <= high):
            return code, zh, en
    raise ValueError(size)  # sizes below 1 never reach here


def finish_family_size(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    sized = [row for row in rows if row["size"] is not None and row["size"] >= 1]
    if not sized:
        return NotApplicable(
            Note("同族都没有规模信息。", "No family in the dataset has a known size.")
        )
    counts = {bucket[2:]: 0 for bucket in FAMILY_BUCKETS}
    for row in sized:
        counts[_family_bucket(int(row["size"]))] += integer(row["families"])
    families = sum(counts.values())
    figures = _family_figures(rows, sized, families)
    return Answer(
        rows=tuple((code, n, share(n, families), zh, en) for (code, zh, en), n in counts.items()),
        notes=(_family_note(figures),),
        extras=figures,
    )


def _family_figures(rows: Sequence[Row], sized: Sequence[Row], families: int) -> dict[str, Any]:
    members = sum(int(row["size"]) * integer(row["families"]) for row in sized)
    known_offices = sum(integer(row["known_offices"]) for row in rows)
    return {
        "families": families,
        "mean_size": members / families,
        "max_size": max(int(row["size"]) for row in sized),
        "multi_office_share": share(
            sum(integer(row["multi_office"]) for row in rows), known_offices
        ),
    }


def _family_note(figures: dict[str, Any]) -> Note:
    zh = (
        f"共 {figures['families']} 个同族，平均 {figures['mean_size']:.1f} 件，"
        f"最大 {figures['max_size']} 件"
    )
    en = (
        f"{plural(figures['families'], 'family', 'families')}, "
        f"{figures['mean_size']:.1f} members on average, "
        f"{figures['max_size']} at most"
    )
    reach = figures["multi_office_share"]
    if reach is not None:
        zh += f"；{reach:.1%} 的同族在两个以上受理局有成员"
        en += f"; {reach:.1%} have members at two or more offices"
    return Note(zh + "。", en + ".")


FAMILY_SIZE: Final = Metric(
    name="family_size",
    title_zh="同族规模",
    title_en="Family size",
    shape=Shape.DISTRIBUTION,
    columns=(
        BUCKET,
        column("families", "同族数", "Families", ColumnKind.INTEGER),
        COUNTED_SHARE,
        LABEL_ZH,
        LABEL_EN,
    ),
    description_zh=(
        "按同族编号计的同族个数，按同族成员数分为 1、2、3-5、6-10、11 件以上；另给出平均与最大"
        "同族规模，以及在两个以上受理局有成员的同族占比（同族覆盖面）。"
    ),
    description_en=(
        "Families (by family id) per number of members: 1, 2, 3-5, 6-10, 11 or more; with the "
        "mean and largest size, and the share of families with members at two or more "
        "offices (family reach)."
    ),
    build=build_family_size,
    finish=finish_family_size,
    needs=(
        Need(
            lambda c: c.with_family > 0,
            Note("数据集中的专利都没有同族编号。", "No patent in the dataset has a family id."),
        ),
    ),
)

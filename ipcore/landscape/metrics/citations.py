"""Citations: backward citations listed, forward citations received, the most cited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Final

import ibis

from ipcore.landscape.metrics._base import (
    SCALAR_COLUMNS,
    Answer,
    Context,
    Metric,
    MetricParams,
    Need,
    NotApplicable,
    Note,
    Row,
    column,
    integer,
    median,
    share,
)
from ipcore.landscape.results import ColumnKind, Shape, Value
from ipcore.landscape.schema import Tables

# -- citations ---------------------------------------------------------------------------------


def build_citations(tables: Tables, params: MetricParams) -> ibis.Table:
    """引证 — how many patents list each number of backward citations, and how many are cited
    each number of times; means, medians and maxima follow in Python from these counts."""
    patents = tables.patents
    parts = []
    for kind, value in (("backward", patents.citations), ("forward", patents.cited_by)):
        known = patents.filter(value.notnull()).select(value=value)
        counts = known.group_by("value").aggregate(n=known.count())
        parts.append(counts.select(kind=ibis.literal(kind), value="value", n="n"))
    return ibis.union(*parts)


_FIGURES: Final = {
    "backward": (
        ("patents", "有引用数据的专利数", "Patents with backward-citation data"),
        ("mean", "平均引用数", "Mean backward citations"),
        ("median", "引用数中位数", "Median backward citations"),
        ("max", "最多引用数", "Most backward citations"),
    ),
    "forward": (
        ("patents", "有被引数据的专利数", "Patents with forward-citation data"),
        ("mean", "平均被引次数", "Mean forward citations"),
        ("median", "被引次数中位数", "Median forward citations"),
        ("max", "最高被引次数", "Most forward citations"),
        ("cited_share", "被引专利占比", "Share cited at least once"),
    ),
}


def _figures(counts: dict[int, int]) -> dict[str, Value]:
    patents = sum(counts.values())
    return {
        "patents": patents,
        "mean": sum(value * n for value, n in counts.items()) / patents,
        "median": median(counts),
        "max": max(counts),
        "cited_share": share(sum(n for value, n in counts.items() if value > 0), patents),
    }


def finish_citations(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        counts[row["kind"]][int(row["value"])] = integer(row["n"])
    table: list[tuple[Value, ...]] = []
    for kind, figures in _FIGURES.items():
        if counts[kind]:
            values = _figures(counts[kind])
            table += [(f"{kind}_{name}", values[name], zh, en) for name, zh, en in figures]
    notes = [
        Note(zh, en)
        for kind, zh, en in (
            (
                "backward",
                "数据来源没有提供引用文献，未统计引用数。",
                "The source lists no backward citations.",
            ),
            (
                "forward",
                "数据中没有被引信息，未统计被引次数。",
                "The data has no forward citations.",
            ),
        )
        if not counts[kind]
    ]
    return Answer(rows=tuple(table), notes=tuple(notes))


CITATIONS: Final = Metric(
    name="citations",
    title_zh="引证统计",
    title_en="Citations",
    shape=Shape.SCALARS,
    columns=SCALAR_COLUMNS,
    description_zh=(
        "引用数（专利列出的引用文献数）与被引次数（语料库中引用它的专利数）的平均数、中位数和最大值，"
        "以及被引过至少一次的专利占比；只统计数据来源提供了该项的专利。"
    ),
    description_en=(
        "Mean, median and largest number of backward citations (listed by the patent) and "
        "forward citations (from patents in the corpus), and the share cited at least once; "
        "only patents whose source gives the figure are counted."
    ),
    build=build_citations,
    finish=finish_citations,
    needs=(
        Need(
            lambda c: c.with_citations + c.with_cited_by > 0,
            Note(
                "数据来源没有提供引用与被引信息。",
                "The data source gives neither backward nor forward citations.",
            ),
        ),
    ),
)


# -- most_cited ------------------------------------------------------------------------------


def build_most_cited(tables: Tables, params: MetricParams) -> ibis.Table:
    """高被引专利 — the patents cited most often by other patents in the corpus (ties by
    patent id, an integer every engine orders alike)."""
    patents = tables.patents
    cited = patents.filter(patents.cited_by > 0)
    return (
        cited.select(
            "patent_id",
            "cited_by",
            "title",
            "office",
            year=cited.application_date.year(),
        )
        .order_by([ibis.desc("cited_by"), "patent_id"])
        .limit(params.top)
    )


def finish_most_cited(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    if not rows:
        return NotApplicable(
            Note(
                "数据集中没有被语料库中其他专利引用过的专利。",
                "No patent in the dataset is cited by another patent in the corpus.",
            )
        )
    ranked = sorted(rows, key=lambda row: (-integer(row["cited_by"]), row["patent_id"]))
    return Answer(
        rows=tuple(
            (
                int(row["patent_id"]),
                integer(row["cited_by"]),
                row["title"],
                row["office"],
                row["year"],
            )
            for row in ranked
        )
    )


MOST_CITED: Final = Metric(
    name="most_cited",
    title_zh="高被引专利",
    title_en="Most cited patents",
    shape=Shape.RANKING,
    columns=(
        column("patent_id", "专利 ID", "Patent ID", ColumnKind.INTEGER),
        column("cited_by", "被引次数", "Times cited", ColumnKind.INTEGER),
        column("title", "名称", "Title", ColumnKind.TEXT),
        column("office", "受理局", "Office", ColumnKind.TEXT),
        column("year", "申请年", "Filing year", ColumnKind.YEAR),
    ),
    description_zh=(
        "被语料库中其他专利引用次数最多的专利（至少被引一次），次数相同时按专利 ID 排列。"
    ),
    description_en=(
        "The patents cited most often by other patents in the corpus (at least once); ties "
        "by patent id."
    ),
    build=build_most_cited,
    finish=finish_most_cited,
    needs=(
        Need(
            lambda c: c.with_cited_by > 0,
            Note("数据中没有被引信息。", "The data has no forward citations."),
        ),
    ),
)

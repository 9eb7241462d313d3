"""Who files: leading owners and inventors, their activity over time, concentration."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, Final

import ibis

from ipcore.landscape.metrics._base import (
    DATED,
    FIELDED,
    INVENTED,
    OWNED,
    PATENTS_COLUMN,
    SCALAR_COLUMNS,
    SHARE,
    YEAR,
    Answer,
    Context,
    Metric,
    MetricParams,
    NotApplicable,
    Note,
    PartyRows,
    Row,
    among_leaders,
    application_years,
    column,
    cut,
    field_counts,
    integer,
    inventor_listings,
    inventor_rows,
    leading_parties,
    left_out,
    owner_counts,
    owner_rows,
    party_labels,
    party_pairs,
    party_totals,
    share,
    year_span,
)
from ipcore.landscape.metrics._labels import field_names
from ipcore.landscape.results import Column, ColumnKind, Shape
from ipcore.landscape.schema import Tables


def by_rank(row: Row, value: str = "patents") -> tuple[Any, ...]:
    """Largest ``value`` first, ties by label, then by the party's key (two parties can
    share a display name)."""
    return (-integer(row[value]), row["label"], row["key"])


def _recent_note(context: Context) -> Note:
    first, last = context.params.recent_span
    return Note(
        f"近期申请量指 {first}-{last} 年（按申请日）的申请件数。",
        f"Recent applications are those filed in {first}-{last}.",
    )


# -- top_owners, top_inventors ------------------------------------------------------------


def _party_ranking(
    rows: PartyRows, chosen: ibis.Table, tables: Tables, params: MetricParams
) -> ibis.Table:
    # The figures of the leading parties only: which lead follows from the counts alone.
    pairs = party_pairs(rows(chosen.key))
    totals = party_totals(pairs, application_years(tables), params)
    return cut(totals, value="patents", label="label", n=params.top)


def build_top_owners(tables: Tables, params: MetricParams) -> ibis.Table:
    """主要申请人 — the owners with most patents: patents, first and last filing year, and
    applications in the recent window (a co-owned patent counts for each owner)."""
    chosen = among_leaders(owner_counts(tables), value="patents", n=params.top)
    return _party_ranking(partial(owner_rows, tables), chosen, tables, params)


def build_top_inventors(tables: Tables, params: MetricParams) -> ibis.Table:
    """主要发明人 — the inventors (by name) with most patents, with the same figures as the
    owners' ranking."""
    rows = partial(inventor_rows, tables)
    chosen = leading_parties(rows, inventor_listings(tables), params.top)
    return _party_ranking(rows, chosen, tables, params)


def finish_party_ranking(
    rows: Sequence[Row], context: Context, *, unnamed: int, zh: str, en: str
) -> Answer:
    ranked = sorted(rows, key=by_rank)[: context.params.top]
    patents = context.coverage.patents
    return Answer(
        rows=tuple(
            (
                row["label"],
                integer(row["patents"]),
                share(integer(row["patents"]), patents),
                row["first_year"],
                row["last_year"],
                integer(row["recent"]),
            )
            for row in ranked
        ),
        notes=(_recent_note(context), *left_out(unnamed, zh=zh, en=en)),
    )


def finish_top_owners(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return finish_party_ranking(
        rows,
        context,
        unnamed=context.coverage.patents - context.coverage.owned,
        zh="{n} 件专利没有申请人信息，未计入。",
        en="Left out: {patents} naming no owner.",
    )


def finish_top_inventors(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return finish_party_ranking(
        rows,
        context,
        unnamed=context.coverage.patents - context.coverage.invented,
        zh="{n} 件专利没有发明人信息，未计入。",
        en="Left out: {patents} naming no inventor.",
    )


def _ranking_columns(party: Column) -> tuple[Column, ...]:
    return (
        party,
        PATENTS_COLUMN,
        SHARE,
        column("first_year", "首次申请年", "First filing year", ColumnKind.YEAR),
        column("last_year", "最近申请年", "Latest filing year", ColumnKind.YEAR),
        column("recent", "近期申请量", "Recent applications", ColumnKind.INTEGER),
    )


OWNER: Final = column("owner", "申请人", "Owner", ColumnKind.TEXT)
OWNER_NAME: Final = column("name", "申请人", "Owner", ColumnKind.TEXT)
INVENTOR_NAME: Final = column("name", "发明人", "Inventor", ColumnKind.TEXT)

TOP_OWNERS: Final = Metric(
    name="top_owners",
    title_zh="主要申请人",
    title_en="Top owners",
    shape=Shape.RANKING,
    columns=_ranking_columns(OWNER_NAME),
    description_zh=(
        "专利数最多的申请人（按实体，无实体时按名称），共有专利对每个共有人各计一件；占比的分母为"
        "数据集全部专利，近期指 as_of 之前的若干个完整年度（默认 5 年，按申请日）。"
    ),
    description_en=(
        "Owners (entities, else names) with most patents, a co-owned patent counting for "
        "each owner; shares are of all patents in the dataset, and recent means the complete "
        "years before as_of (5 by default, by application date)."
    ),
    build=build_top_owners,
    finish=finish_top_owners,
    needs=(OWNED,),
)

TOP_INVENTORS: Final = Metric(
    name="top_inventors",
    title_zh="主要发明人",
    title_en="Top inventors",
    shape=Shape.RANKING,
    columns=_ranking_columns(INVENTOR_NAME),
    description_zh=(
        "专利数最多的发明人（按姓名，同名者合并计算）；占比的分母为数据集全部专利，"
        "近期指 as_of 之前的若干个完整年度（默认 5 年，按申请日）。"
    ),
    description_en=(
        "Inventors with most patents, by name (namesakes are counted together); shares are "
        "of all patents in the dataset, and recent means the complete years before as_of "
        "(5 by default, by application date)."
    ),
    build=build_top_inventors,
    finish=finish_top_inventors,
    needs=(INVENTED,),
)


# -- owner_trend ----------------------------------------------------------------------------


def _owner_leaders(tables: Tables, params: MetricParams) -> ibis.Table:
    """The leading owners by patents: ``key``, ``label``, ``total``."""
    chosen = among_leaders(owner_counts(tables), value="patents", n=params.matrix_top)
    named = chosen.join(party_labels(owner_rows(tables, chosen.key)), "key")
    return cut(
        named.select("key", "label", total="patents"),
        value="total",
        label="label",
        n=params.matrix_top,
    )


def _leaders_pairs(leading: ibis.Table, tables: Tables) -> ibis.Table:
    """The owner-patent pairs of the ``leading`` owners: a matrix has cells for them alone."""
    return party_pairs(owner_rows(tables, leading.key))


def _chosen(rows: Sequence[Row], n: int) -> list[Row]:
    """The ``n`` leading owners among the matrix rows (one or more rows per owner)."""
    owners = {row["key"]: row for row in rows}
    return sorted(owners.values(), key=lambda row: by_rank(row, "total"))[:n]


def build_owner_trend(tables: Tables, params: MetricParams) -> ibis.Table:
    """主要申请人申请趋势 — the leading owners' patents per application year.

    One row per (owner, year) with patents, plus the owner's total; an owner whose patents
    all lack a date has one row with a null year.
    """
    leading = _owner_leaders(tables, params)
    pairs = _leaders_pairs(leading, tables).join(application_years(tables), "patent_id")
    cells = pairs.group_by("key", "year").aggregate(n=pairs.count())
    return leading.left_join(cells, "key")


def finish_owner_trend(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    chosen = _chosen(rows, context.params.matrix_top)
    order = {row["key"]: index for index, row in enumerate(chosen)}
    cells = sorted(
        (row for row in rows if row["key"] in order and row["year"] is not None),
        key=lambda row: (order[row["key"]], row["year"]),
    )
    if not cells:
        return NotApplicable(
            Note(
                "主要申请人的专利都没有申请日。",
                "None of the leading owners' patents has an application date.",
            )
        )
    dated = sum(integer(row["n"]) for row in cells)
    undated = sum(integer(row["total"]) for row in chosen) - dated
    return Answer(
        rows=tuple((row["label"], row["year"], integer(row["n"])) for row in cells),
        notes=left_out(
            undated,
            zh="主要申请人有 {n} 件专利没有申请日，未计入。",
            en="Left out: {patents} of the leading owners without an application date.",
        ),
        extras={
            "row_labels": [row["label"] for row in chosen],
            "column_labels": year_span(row["year"] for row in cells),
        },
    )


OWNER_TREND: Final = Metric(
    name="owner_trend",
    title_zh="主要申请人申请趋势",
    title_en="Top owners by filing year",
    shape=Shape.MATRIX,
    columns=(OWNER, YEAR, PATENTS_COLUMN),
    description_zh=(
        "专利数最多的申请人（与主要申请人排名同一口径）逐年的申请件数，按申请日年份统计；"
        "只列出有申请的年份，无申请日的专利不计入。"
    ),
    description_en=(
        "Patents per application year of the owners with most patents (as in the top-owner "
        "ranking); only years with filings are listed, and undated patents are left out."
    ),
    build=build_owner_trend,
    finish=finish_owner_trend,
    needs=(OWNED, DATED),
)


# -- concentration ---------------------------------------------------------------------------


def build_concentration(tables: Tables, params: MetricParams) -> ibis.Table:
    """集中度 — owners, the sum of owner-patent counts and of their squares, and the counts of
    the 4 and 8 leading owners, in one row: CR4, CR8 and HHI follow in Python."""
    counts = owner_counts(tables).select("key", n="patents")
    # Which of several tied owners takes the 4th place does not change the sum.
    counts = counts.mutate(place=ibis.row_number().over(order_by=ibis.desc(counts.n)))
    return counts.aggregate(
        owners=counts.count(),
        total=counts.n.sum(),
        squares=(counts.n * counts.n).sum(),
        top4=counts.n.sum(where=counts.place < 4),
        top8=counts.n.sum(where=counts.place < 8),
    )


def finish_concentration(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    (row,) = rows
    owners, total = integer(row["owners"]), integer(row["total"])
    hhi = 10_000 * integer(row["squares"]) / total**2
    figures: tuple[tuple[str, int | float | None, str, str], ...] = (
        ("owners", owners, "申请人数", "Owners"),
        ("cr4", share(integer(row["top4"]), total), "CR4（前 4 名份额）", "CR4 (top 4 share)"),
        ("cr8", share(integer(row["top8"]), total), "CR8（前 8 名份额）", "CR8 (top 8 share)"),
        ("hhi", hhi, "HHI 指数", "HHI"),
    )
    return Answer(
        rows=figures,
        extras={
            "kinds": {"owners": "integer", "cr4": "share", "cr8": "share", "hhi": "number"},
            "owner_patents": total,
        },
    )


CONCENTRATION: Final = Metric(
    name="concentration",
    title_zh="申请人集中度",
    title_en="Owner concentration",
    shape=Shape.SCALARS,
    columns=SCALAR_COLUMNS,
    description_zh=(
        "申请人数、前 4 名和前 8 名的份额（CR4、CR8）及赫芬达尔指数 HHI（份额平方和 × 10000）；"
        "份额 = 该申请人的专利数 ÷ 全部申请人专利数之和，"
        "共有专利对每个共有人各计一次，份额合计为 1。"
    ),
    description_en=(
        "Owner count, the shares of the 4 and 8 largest owners (CR4, CR8) and the "
        "Herfindahl index (sum of squared shares × 10,000); a share is the owner's patents "
        "over the sum of every owner's patents, a co-owned patent counting once per owner, "
        "so shares add up to 1."
    ),
    build=build_concentration,
    finish=finish_concentration,
    needs=(OWNED,),
)


# -- owner_field_matrix ----------------------------------------------------------------------


def build_owner_field_matrix(tables: Tables, params: MetricParams) -> ibis.Table:
    """申请人-技术领域矩阵 — the leading owners' patents in each of the dataset's leading
    WIPO technology fields (fields ranked by patents, ties by field number)."""
    fields = tables.fields
    field_totals = field_counts(tables).select("field", field_total="patents")
    top_fields = field_totals.order_by([ibis.desc("field_total"), "field"]).limit(params.matrix_top)
    leading = _owner_leaders(tables, params)
    pairs = _leaders_pairs(leading, tables).join(fields.join(top_fields, "field"), "patent_id")
    # A patent listed twice in a field is one patent: distinct patents per cell.
    cells = pairs.group_by("key", "field").aggregate(
        n=pairs.patent_id.nunique(), field_total=pairs.field_total.max()
    )
    return leading.left_join(cells, "key")


def finish_owner_field_matrix(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    chosen = _chosen(rows, context.params.matrix_top)
    order = {row["key"]: index for index, row in enumerate(chosen)}
    cells = [row for row in rows if row["key"] in order and row["field"] is not None]
    if not cells:
        return NotApplicable(
            Note(
                "主要申请人的专利都不在主要技术领域中。",
                "None of the leading owners' patents falls in the leading technology fields.",
            )
        )
    fields = sorted({(-integer(row["field_total"]), int(row["field"])) for row in cells})
    field_order = {number: index for index, (_, number) in enumerate(fields)}
    cells.sort(key=lambda row: (order[row["key"]], field_order[int(row["field"])]))
    return Answer(
        rows=tuple(
            (row["label"], int(row["field"]), integer(row["n"]), *field_names(int(row["field"])))
            for row in cells
        ),
        extras={
            "row_labels": [row["label"] for row in chosen],
            "column_labels": [number for _, number in fields],
        },
    )


OWNER_FIELD_MATRIX: Final = Metric(
    name="owner_field_matrix",
    title_zh="申请人-技术领域矩阵",
    title_en="Owners by technology field",
    shape=Shape.MATRIX,
    columns=(
        OWNER,
        column("field", "技术领域编号", "Field no.", ColumnKind.INTEGER),
        PATENTS_COLUMN,
        column("field_zh", "技术领域", "Field (Chinese)", ColumnKind.TEXT),
        column("field_en", "技术领域（英文）", "Technology field", ColumnKind.TEXT),
    ),
    description_zh=(
        "专利数最多的申请人在数据集专利数最多的 WIPO 技术领域中的专利件数；一件专利属于多个领域时"
        "在每个领域各计一次，只列出非零的格子。"
    ),
    description_en=(
        "Patents of the owners with most patents in the dataset's largest WIPO technology "
        "fields; a patent in several fields counts in each, and only non-zero cells are listed."
    ),
    build=build_owner_field_matrix,
    finish=finish_owner_field_matrix,
    needs=(OWNED, FIELDED),
)

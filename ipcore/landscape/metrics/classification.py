"""What the patents are about: the IPC mix at four levels, WIPO technology fields, and the
fields with many filings but few owners."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Final

import ibis

from ipcore.landscape.metrics._base import (
    CLASSIFIED,
    FIELDED,
    OWNED,
    PATENTS_COLUMN,
    SHARE,
    Answer,
    Builder,
    Context,
    Metric,
    MetricParams,
    NotApplicable,
    Note,
    Row,
    application_years,
    column,
    field_counts,
    integer,
    leaders,
    left_out,
    owner_rows,
    share,
)
from ipcore.landscape.metrics._labels import classification_titles, field_names, sector_names
from ipcore.landscape.metrics._shared import SharedTables, derived
from ipcore.landscape.results import ColumnKind, Shape
from ipcore.landscape.schema import Tables

# -- classification_mix_* -------------------------------------------------------------------


def classified_codes(tables: Tables) -> ibis.Table:
    """The classification rows counted: every IPC row, and CPC rows of the patents that have
    no IPC row (CPC stands in for IPC, never beside it)."""
    classes = tables.classes
    ipc = classes.filter(classes.scheme == "ipc")
    # NOT IN over a list of ids, not an anti-join: SQLite runs an anti-join as a correlated
    # NOT EXISTS per CPC row (0.8 s on a 19k-patent dataset), a list once (0.3 s); nulls
    # are kept out of the list, where NOT IN would turn every answer unknown.
    with_ipc = ipc.filter(ipc.patent_id.notnull()).patent_id
    cpc = classes.filter((classes.scheme == "cpc") & ~classes.patent_id.isin(with_ipc))
    return ipc.union(cpc)


LEVELS: Final = ("section", "class_code", "subclass", "main_group")

ONE_PASS_ON: Final = frozenset({"sqlite"})
"""Engines on which a report counts the patents of every level's codes in one pass.

On SQLite reading the classification rows (and leaving out the CPC rows of patents with
IPC ones) is half the cost of a level's counts, so a report that materialises its shared
tables counts all four levels in one statement, once (the four mixes of a 19k-patent
dataset: 1.6 s before, 0.6 s after). DuckDB counts four levels apart faster than in one
statement (1.43M patents: 2.1 s against 3.0 s), and engines that materialise nothing
would count all four levels for each mix. A snapshot prepares the table once for all
its reports (``PREPARED``), and every engine reads it there."""


def _level_counts(codes: ibis.Table, level: str) -> ibis.Table:
    """``code`` and ``patents`` (distinct) of one level of the counted classification rows."""
    codes = codes.filter(codes[level].notnull())
    return codes.group_by(code=codes[level]).aggregate(patents=codes.patent_id.nunique())


def _every_level(tables: Tables) -> ibis.Table:
    """``level``, ``code`` and ``patents`` of all four levels, from one reading of the rows."""
    codes = classified_codes(tables)
    return ibis.union(
        *(_level_counts(codes, level).mutate(level=ibis.literal(level)) for level in LEVELS)
    )


def class_counts(tables: Tables) -> ibis.Table:
    """``level``, ``code`` and ``patents`` of all four levels (:func:`_every_level`), derived
    once per report."""
    return derived(tables, "class_counts", _every_level)


def _codes_at(level: str, tables: Tables, params: MetricParams) -> ibis.Table:
    one_pass = isinstance(tables, SharedTables) and tables.materialise
    if "class_counts" in tables.prepared or (one_pass and _engine(tables) in ONE_PASS_ON):
        every = class_counts(tables)
        counts = every.filter(every.level == level).select("code", "patents")
    else:
        counts = _level_counts(classified_codes(tables), level)
    return leaders(counts, value="patents", label="code", n=params.top)


def _engine(tables: Tables) -> str:
    name: str = tables.patents.get_backend().name
    return name


def build_classification_mix_section(tables: Tables, params: MetricParams) -> ibis.Table:
    """IPC 部 — patents per IPC section (CPC where a patent has no IPC), largest first."""
    return _codes_at("section", tables, params)


def build_classification_mix_class(tables: Tables, params: MetricParams) -> ibis.Table:
    """IPC 大类 — patents per IPC class (CPC where a patent has no IPC), largest first."""
    return _codes_at("class_code", tables, params)


def build_classification_mix_subclass(tables: Tables, params: MetricParams) -> ibis.Table:
    """IPC 小类 — patents per IPC subclass (CPC where a patent has no IPC), largest first."""
    return _codes_at("subclass", tables, params)


def build_classification_mix_group(tables: Tables, params: MetricParams) -> ibis.Table:
    """IPC 大组 — patents per IPC main group (CPC where a patent has no IPC); codes that stop
    at the subclass have no main group and are not counted here."""
    return _codes_at("main_group", tables, params)


def finish_classification_mix(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    if not rows:
        return NotApplicable(
            Note(
                "数据集中的分类号都只到小类，没有大组。",
                "The dataset's classification codes stop at the subclass: there are no main "
                "groups to count.",
            )
        )
    ranked = sorted(rows, key=lambda row: (-integer(row["patents"]), row["code"]))
    patents = context.coverage.patents
    return Answer(
        rows=tuple(
            (
                row["code"],
                integer(row["patents"]),
                share(integer(row["patents"]), patents),
                *classification_titles(row["code"]),
            )
            for row in ranked[: context.params.top]
        ),
        notes=left_out(
            patents - context.coverage.classified,
            zh="{n} 件专利没有 IPC 或 CPC 分类号，未计入。",
            en="Left out: {patents} without an IPC or CPC code.",
        ),
    )


def _mix(level: str, builder: Builder, title_zh: str, title_en: str, code_zh: str) -> Metric:
    code_en = {"section": "Section", "class": "Class", "subclass": "Subclass"}.get(
        level, "Main group"
    )
    return Metric(
        name=f"classification_mix_{level}",
        title_zh=title_zh,
        title_en=title_en,
        shape=Shape.RANKING,
        columns=(
            column("code", code_zh, code_en, ColumnKind.TEXT),
            PATENTS_COLUMN,
            SHARE,
            column("title_zh", "分类名称", "Title (Chinese)", ColumnKind.TEXT),
            column("title_en", "分类名称（英文）", "Title", ColumnKind.TEXT),
        ),
        description_zh=(
            f"各 IPC {code_zh}的专利件数（一件专利有多个分类号时在每个{code_zh}计一次，"
            "没有 IPC 的专利改用其 CPC 分类号）；占比的分母为数据集全部专利。"
        ),
        description_en=(
            f"Patents per IPC {code_en.lower()} (a patent with several codes counts once in "
            "each; patents without IPC codes are counted by their CPC codes); shares are of "
            "all patents in the dataset."
        ),
        build=builder,
        finish=finish_classification_mix,
        needs=(CLASSIFIED,),
    )


CLASSIFICATION_MIX: Final = (
    _mix("section", build_classification_mix_section, "IPC 部分布", "IPC sections", "部"),
    _mix("class", build_classification_mix_class, "IPC 大类分布", "IPC classes", "大类"),
    _mix("subclass", build_classification_mix_subclass, "IPC 小类分布", "IPC subclasses", "小类"),
    _mix("group", build_classification_mix_group, "IPC 大组分布", "IPC main groups", "大组"),
)


# -- technology_fields ---------------------------------------------------------------------


def build_technology_fields(tables: Tables, params: MetricParams) -> ibis.Table:
    """技术领域分布 — patents in each of WIPO's 35 technology fields that has any."""
    return field_counts(tables)


def finish_technology_fields(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    ranked = sorted(rows, key=lambda row: (-integer(row["patents"]), int(row["field"])))
    patents = context.coverage.patents
    return Answer(
        rows=tuple(
            (
                int(row["field"]),
                integer(row["patents"]),
                share(integer(row["patents"]), patents),
                *field_names(int(row["field"])),
                *sector_names(int(row["field"])),
            )
            for row in ranked
        ),
        notes=left_out(
            patents - context.coverage.fielded,
            zh="{n} 件专利的分类号不对应任何技术领域，未计入。",
            en="Left out: {patents} with no code in any technology field.",
        ),
    )


FIELD: Final = column("field", "技术领域编号", "Field no.", ColumnKind.INTEGER)
FIELD_ZH: Final = column("name_zh", "技术领域", "Field (Chinese)", ColumnKind.TEXT)
FIELD_EN: Final = column("name_en", "技术领域（英文）", "Technology field", ColumnKind.TEXT)

TECHNOLOGY_FIELDS: Final = Metric(
    name="technology_fields",
    title_zh="技术领域分布",
    title_en="Technology fields",
    shape=Shape.RANKING,
    columns=(
        FIELD,
        PATENTS_COLUMN,
        SHARE,
        FIELD_ZH,
        FIELD_EN,
        column("sector_zh", "技术部门", "Sector (Chinese)", ColumnKind.TEXT),
        column("sector_en", "技术部门（英文）", "Sector", ColumnKind.TEXT),
    ),
    description_zh=(
        "各 WIPO 技术领域（35 个领域、5 个部门，按 IPC、无 IPC 时按 CPC 对照）的专利件数；"
        "一件专利属于多个领域时在每个领域各计一次，占比的分母为数据集全部专利。"
    ),
    description_en=(
        "Patents in each WIPO technology field (35 fields in 5 sectors, from IPC codes, else "
        "CPC); a patent in several fields counts in each, and shares are of all patents."
    ),
    build=build_technology_fields,
    finish=finish_technology_fields,
    needs=(FIELDED,),
)


# -- white_space -------------------------------------------------------------------------------


def build_white_space(tables: Tables, params: MetricParams) -> ibis.Table:
    """技术空白点 — per technology field: patents, distinct owners, and patents filed in the
    recent window and in the window before it (for growth)."""
    fields = tables.fields
    dated = fields.left_join(application_years(tables), "patent_id")
    recent, previous = params.recent_span, params.previous_span
    # Distinct patents per field (a patent listed twice in a field is one patent).
    filings = dated.group_by("field").aggregate(
        patents=dated.patent_id.nunique(),
        recent=dated.patent_id.nunique(where=dated.year.between(*recent)),
        previous=dated.patent_id.nunique(where=dated.year.between(*previous)),
    )
    owned = fields.join(owner_rows(tables), "patent_id")
    owners = owned.group_by("field").aggregate(owners=owned.key.nunique())
    joined = filings.left_join(owners, "field")
    return joined.select("field", "patents", "owners", "recent", "previous")


def _density(row: Row) -> Fraction:
    return Fraction(integer(row["patents"]), integer(row["owners"]))


def finish_white_space(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    least = context.params.white_space_min_patents
    weighed = [
        row for row in rows if integer(row["patents"]) >= least and integer(row["owners"]) > 0
    ]
    if not weighed:
        return NotApplicable(
            Note(
                f"没有技术领域达到 {least} 件专利且有申请人信息，无法判断技术空白点。",
                f"No technology field has {least} or more patents with named owners, so there "
                "is no white space to weigh.",
            )
        )
    ranked = sorted(
        weighed, key=lambda row: (-_density(row), -integer(row["patents"]), int(row["field"]))
    )
    recent, previous = context.params.recent_span, context.params.previous_span
    return Answer(
        rows=tuple(_white_space_row(row) for row in ranked[: context.params.top]),
        notes=(
            Note(
                f"近期为 {recent[0]}-{recent[1]} 年，前期为 {previous[0]}-{previous[1]} 年"
                "（按申请日）；增长率 = 近期 ÷ 前期 - 1，前期为 0 时不计算。",
                f"Recent is {recent[0]}-{recent[1]} and previous {previous[0]}-{previous[1]} "
                "(by application date); growth is recent ÷ previous - 1, blank where previous "
                "is 0.",
            ),
        ),
    )


def _white_space_row(row: Row) -> tuple[Any, ...]:
    recent, previous = integer(row["recent"]), integer(row["previous"])
    return (
        int(row["field"]),
        float(_density(row)),
        integer(row["patents"]),
        integer(row["owners"]),
        recent,
        previous,
        recent / previous - 1 if previous else None,
        *field_names(int(row["field"])),
    )


WHITE_SPACE: Final = Metric(
    name="white_space",
    title_zh="技术空白点",
    title_en="White space",
    shape=Shape.RANKING,
    columns=(
        FIELD,
        column("patents_per_owner", "件/申请人", "Patents per owner", ColumnKind.NUMBER),
        PATENTS_COLUMN,
        column("owners", "申请人数", "Owners", ColumnKind.INTEGER),
        column("recent", "近期申请量", "Recent applications", ColumnKind.INTEGER),
        column("previous", "前期申请量", "Previous applications", ColumnKind.INTEGER),
        column("growth", "增长率", "Growth", ColumnKind.NUMBER),
        FIELD_ZH,
        FIELD_EN,
    ),
    description_zh=(
        "专利多而申请人少的技术领域：至少有 white_space_min_patents 件（默认 5 件）专利的领域，"
        "按每个申请人平均专利数（专利数 ÷ 不同申请人数）从高到低排列，并给出近期与前期申请量"
        "及增长率；无申请人信息的专利计入专利数、不计入申请人数。"
    ),
    description_en=(
        "Fields with many filings but few owners: fields with at least "
        "white_space_min_patents patents (5 by default), ranked by patents per distinct owner, "
        "highest first, with recent and previous applications and growth; patents naming no "
        "owner count as patents but add no owner."
    ),
    build=build_white_space,
    finish=finish_white_space,
    needs=(FIELDED, OWNED),
)

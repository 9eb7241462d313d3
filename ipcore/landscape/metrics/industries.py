"""Which industries the patents serve: CNIPA's strategic emerging industries (both levels of
its 2021 concordance) and the plan's key fields, as the facts record them
(``ipcore.industries``; the ``industries`` table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import ibis

from ipcore.landscape.metrics._base import (
    PATENTS_COLUMN,
    SHARE,
    Answer,
    Builder,
    Context,
    Metric,
    MetricParams,
    Need,
    NotApplicable,
    Note,
    Row,
    column,
    integer,
    left_out,
    share,
)
from ipcore.landscape.results import ColumnKind, Shape
from ipcore.landscape.schema import Tables

SEI_INDUSTRY: Final = "sei_industry"
SEI_CATEGORY: Final = "sei_category"
KEY_FIELD: Final = "key_field"

IN_SEI: Final = Need(
    lambda c: c.in_sei > 0,
    Note(
        "数据集中没有专利属于战略性新兴产业（按国家知识产权局 2021 年参照关系表）。",
        "No patent in the dataset belongs to a strategic emerging industry (by CNIPA's 2021 "
        "concordance).",
    ),
)
IN_KEY_FIELD: Final = Need(
    lambda c: c.in_key_field > 0,
    Note(
        "数据集中没有专利属于规划的重点产业领域。",
        "No patent in the dataset belongs to one of the plan's key fields.",
    ),
)


def scheme_counts(tables: Tables, scheme: str) -> ibis.Table:
    """Distinct patents per code of one scheme, with the code's names: ``code``,
    ``patents``, ``name_zh``, ``name_en``."""
    rows = tables.industries.filter(tables.industries.scheme == scheme)
    return rows.group_by("code").aggregate(
        patents=rows.patent_id.nunique(),
        name_zh=rows.name_zh.min(),
        name_en=rows.name_en.min(),
    )


def build_sei_industries(tables: Tables, params: MetricParams) -> ibis.Table:
    """战略性新兴产业 — patents in each of the nine industries."""
    return scheme_counts(tables, SEI_INDUSTRY)


def build_sei_categories(tables: Tables, params: MetricParams) -> ibis.Table:
    """战略性新兴产业细类 — patents in each of the forty sub-categories."""
    return scheme_counts(tables, SEI_CATEGORY)


def build_key_fields(tables: Tables, params: MetricParams) -> ibis.Table:
    """重点产业领域 — patents in each key field."""
    return scheme_counts(tables, KEY_FIELD)


def _finish(rows: Sequence[Row], context: Context, *, outside: int, zh: str, en: str) -> Answer:
    ranked = sorted(rows, key=lambda row: (-integer(row["patents"]), row["code"]))
    patents = context.coverage.patents
    return Answer(
        rows=tuple(
            (
                row["code"],
                integer(row["patents"]),
                share(integer(row["patents"]), patents),
                row["name_zh"],
                row["name_en"],
            )
            for row in ranked
        ),
        notes=left_out(outside, zh=zh, en=en),
    )


def finish_sei(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return _finish(
        rows,
        context,
        outside=context.coverage.patents - context.coverage.in_sei,
        zh="{n} 件专利不属于任何战略性新兴产业，未计入。",
        en="Left out: {patents} in no strategic emerging industry.",
    )


def finish_key_fields(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
    return _finish(
        rows,
        context,
        outside=context.coverage.patents - context.coverage.in_key_field,
        zh="{n} 件专利不属于任何重点产业领域，未计入。",
        en="Left out: {patents} in no key field.",
    )


NAME_ZH: Final = column("name_zh", "名称", "Name (Chinese)", ColumnKind.TEXT)
NAME_EN: Final = column("name_en", "名称（英文）", "Name", ColumnKind.TEXT)


def _metric(
    name: str,
    title_zh: str,
    title_en: str,
    code: tuple[str, str],
    description: tuple[str, str],
    build: Builder,
    need: Need,
) -> Metric:
    return Metric(
        name=name,
        title_zh=title_zh,
        title_en=title_en,
        shape=Shape.RANKING,
        columns=(
            column("code", code[0], code[1], ColumnKind.TEXT),
            PATENTS_COLUMN,
            SHARE,
            NAME_ZH,
            NAME_EN,
        ),
        description_zh=description[0],
        description_en=description[1],
        build=build,
        finish=finish_key_fields if need is IN_KEY_FIELD else finish_sei,
        needs=(need,),
    )


SEI_INDUSTRIES: Final = _metric(
    "sei_industries",
    "战略性新兴产业分布",
    "Strategic emerging industries",
    ("产业代码", "Industry"),
    (
        "各战略性新兴产业（9 个产业，按国家知识产权局《战略性新兴产业分类与国际专利分类参照关系表"
        "（2021）》由 IPC 分类号判定，无 IPC 时用 CPC）的专利件数；一件专利属于多个产业时在每个产业"
        "各计一次，占比的分母为数据集全部专利。",
        "Patents in each strategic emerging industry (9 industries, from IPC codes, else CPC, by "
        "CNIPA's 2021 concordance of strategic emerging industries to IPC); a patent in several "
        "counts in each, and shares are of all patents.",
    ),
    build_sei_industries,
    IN_SEI,
)
SEI_CATEGORIES: Final = _metric(
    "sei_categories",
    "战略性新兴产业细类分布",
    "Strategic emerging industry sub-categories",
    ("细类代码", "Sub-category"),
    (
        "各战略性新兴产业细类（40 个，同一参照关系表，含排除分类号和关键词规则）的专利件数；"
        "一件专利属于多个细类时在每个细类各计一次，占比的分母为数据集全部专利。",
        "Patents in each of the 40 sub-categories of the same concordance (exclusions and "
        "keyword rules applied); a patent in several counts in each, and shares are of all "
        "patents.",
    ),
    build_sei_categories,
    IN_SEI,
)
KEY_FIELDS: Final = _metric(
    "key_fields",
    "重点产业领域分布",
    "Key fields",
    ("领域代码", "Field"),
    (
        "规划七个重点产业领域（新一代信息技术、健康医疗大数据、集成电路、人工智能、航空航天、"
        "生物医药、高端装备制造，按数据集生成当天的领域定义）的专利件数；一件专利属于多个领域时"
        "在每个领域各计一次，占比的分母为数据集全部专利。",
        "Patents in each of the plan's key fields (next-generation IT, health big data, "
        "integrated circuits, AI, aerospace, biomedicine, high-end equipment; as defined on the "
        "day the facts were written); a patent in several counts in each, and shares are of all "
        "patents.",
    ),
    build_key_fields,
    IN_KEY_FIELD,
)

"""What the patents are about: classification, technology fields, strategic emerging
industries, key fields and white space."""

from __future__ import annotations

from ipcore.landscape.narrative._common import (
    FOLLOWERS,
    Context,
    Finding,
    as_number,
    column_names,
    count_text,
    has_value,
    join_en,
    join_zh,
    patents_text,
    percent_text,
    plain,
    read_records,
    row_label,
    text_in_language,
)
from ipcore.landscape.results import MetricResult, Shape


def classification_mix(result: MetricResult, context: Context) -> list[Finding]:
    """分类构成 — reads ``code``, ``patents`` (and ``share``, ``title_zh``/``title_en``;
    ``extras["scheme"]`` "cpc" for CPC), largest first."""
    records = read_records(result, "code", "patents")
    if records is None:
        return []
    ranked = [r for r in records if has_value(r, "code") and as_number(r["patents"]) is not None]
    if not ranked:
        return []
    lead = ranked[0]
    scheme = "CPC" if str(result.extras.get("scheme", "ipc")).lower() == "cpc" else "IPC"
    title = text_in_language(lead, context.language)
    code = str(lead["code"])
    named_zh = f"{code}（{title}）" if title else code
    named_en = f"{code} ({title})" if title else code
    patents = as_number(lead["patents"]) or 0.0
    share = as_number(lead.get("share"))
    followers = [str(r["code"]) for r in ranked[1 : 1 + FOLLOWERS]]
    if share is not None:
        zh = f"{named_zh}是最主要的{scheme}小类，占{percent_text(share)}（{count_text(patents)}件）"
        en = f"{named_en} is the leading {scheme} subclass, in {percent_text(share)} of the patents"
        en += f" ({count_text(patents)})"
    else:
        zh = f"{named_zh}是最主要的{scheme}小类（{count_text(patents)}件）"
        en = f"{named_en} is the leading {scheme} subclass ({patents_text(patents)})"
    if followers:
        zh += f"，其次为{join_zh(followers)}"
        en += f", followed by {join_en(followers)}"
    return [Finding(result.name, context.say(zh=zh + "。", en=en + "."))]


def technology_fields(result: MetricResult, context: Context) -> list[Finding]:
    """WIPO 技术领域 — reads ``patents`` and ``name_zh``/``name_en`` (else ``field``)."""
    return _largest(
        result,
        context,
        key="field",
        zh="按WIPO技术领域划分，最主要的领域是",
        en="Among WIPO technology fields, the largest is",
    )


def sei_industries(result: MetricResult, context: Context) -> list[Finding]:
    """战略性新兴产业 — reads ``patents`` and ``name_zh``/``name_en`` (else ``code``)."""
    return _largest(
        result,
        context,
        key="code",
        zh="按战略性新兴产业（国家知识产权局2021年参照关系表）划分，最主要的产业是",
        en="Among strategic emerging industries (CNIPA's 2021 concordance), the largest is",
    )


def key_fields(result: MetricResult, context: Context) -> list[Finding]:
    """重点产业领域 — reads ``patents`` and ``name_zh``/``name_en`` (else ``code``)."""
    return _largest(
        result,
        context,
        key="code",
        zh="在规划的重点产业领域中，专利最多的是",
        en="Among the plan's key fields, the largest is",
    )


def _largest(
    result: MetricResult, context: Context, *, key: str, zh: str, en: str
) -> list[Finding]:
    """The largest named bucket of a ranking with its count and share, then its followers."""
    records = read_records(result, "patents")
    if records is None:
        return []
    ranked = [
        (label, n)
        for r in records
        if (label := text_in_language(r, context.language) or plain(r.get(key)))
        and (n := as_number(r["patents"])) is not None
    ]
    if not ranked:
        return []
    name, patents = ranked[0]
    share = as_number(records[0].get("share"))
    share_zh = f"，占{percent_text(share)}" if share is not None else ""
    share_en = f", {percent_text(share)}" if share is not None else ""
    # Names have their own 、 and commas ("材料、冶金"): each follower carries its count.
    followers = ranked[1 : 1 + FOLLOWERS]
    zh += f"{name}（{count_text(patents)}件{share_zh}）"
    en += f" {name} ({patents_text(patents)}{share_en})"
    if followers:
        zh += "，其次为" + join_zh([f"{label}（{count_text(n)}件）" for label, n in followers])
        en += ", followed by " + join_en([f"{label} ({count_text(n)})" for label, n in followers])
    return [Finding(result.name, context.say(zh=zh + "。", en=en + "."))]


def white_space(result: MetricResult, context: Context) -> list[Finding]:
    """技术空白 — fields with many patents but few owners (``patents_per_owner``, with the
    field's ``name_zh``/``name_en``); a MATRIX: the empty cells of its grid; otherwise the
    rows it lists as candidates."""
    if result.shape is Shape.MATRIX and len(result.columns) >= 3:
        return _empty_cells(result, context)
    if "patents_per_owner" in column_names(result):
        return _few_owners(result, context)
    labels = [row_label(result, record, context.language) for record in result.records()]
    labels = [label for label in labels if label]
    if not labels:
        return []
    examples = labels[:FOLLOWERS]
    text = context.say(
        zh=f"系统列出{count_text(len(labels))}个可能的技术空白点，例如{join_zh(examples)}。",
        en=f"The metric lists {count_text(len(labels))} possible white "
        f"space{'' if len(labels) == 1 else 's'}, such as {join_en(examples)}.",
    )
    return [Finding(result.name, text)]


def _few_owners(result: MetricResult, context: Context) -> list[Finding]:
    ranked = [
        (row_label(result, record, context.language), density)
        for record in result.records()
        if (density := as_number(record["patents_per_owner"])) is not None
    ][:FOLLOWERS]
    if not ranked:
        return []
    zh = [f"{label}（平均每位申请人{density:.1f}件）" for label, density in ranked]
    en = [f"{label} ({density:.1f} patents per owner)" for label, density in ranked]
    text = context.say(
        zh=f"专利多而申请人少、可能存在技术空白的领域依次为{join_zh(zh)}。",
        en=f"Fields with many patents but few owners, candidates for white space: {join_en(en)}.",
    )
    return [Finding(result.name, text)]


def _empty_cells(result: MetricResult, context: Context) -> list[Finding]:
    row_column, col_column, value_column = result.columns[:3]
    filled: dict[tuple[str, str], float] = {}
    for record in result.records():
        key = (plain(record[row_column.name]), plain(record[col_column.name]))
        filled[key] = filled.get(key, 0.0) + (as_number(record[value_column.name]) or 0.0)
    row_labels = sorted({key[0] for key in filled})
    col_labels = sorted({key[1] for key in filled})
    cells = len(row_labels) * len(col_labels)
    empty = sum(1 for r in row_labels for c in col_labels if not filled.get((r, c)))
    if cells == 0:
        return []
    rows_zh, cols_zh = row_column.title("zh"), col_column.title("zh")
    rows_en, cols_en = row_column.title("en"), col_column.title("en")
    text = context.say(
        zh=f"按{rows_zh}与{cols_zh}交叉的{count_text(cells)}个组合中，有{count_text(empty)}个"
        "没有专利，可能是技术空白点。",
        en=f"Of the {count_text(cells)} combinations of {rows_en.lower()} and {cols_en.lower()}, "
        f"{count_text(empty)} have no patents: possible white spaces.",
    )
    return [Finding(result.name, text)]

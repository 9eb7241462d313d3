"""What the patents are about, by meaning: the topic clusters of their embeddings."""

from __future__ import annotations

from typing import Final

from ipcore.landscape.narrative._common import (
    Context,
    Finding,
    Record,
    as_number,
    count_text,
    join_en,
    join_zh,
    patents_text,
    percent_text,
    read_records,
    span,
    text_in_language,
)
from ipcore.landscape.results import MetricResult

# Topics named after the largest in the sentence on sizes.
FOLLOWING: Final = 2


def topic_clusters(result: MetricResult, context: Context) -> list[Finding]:
    """技术主题聚类 — reads ``label_zh``/``label_en``, ``patents``, ``share`` (and ``recent``,
    ``previous``, ``growth`` with ``extras["recent_span"]``/``["previous_span"]``), largest
    first: the largest topics, then the fastest-growing one where the years allow."""
    records = read_records(result, "patents")
    if not records:
        return []
    ranked = [r for r in records if as_number(r["patents"]) is not None]
    if not ranked:
        return []
    found = [_largest(result, ranked, context)]
    growing = _fastest_growing(result, ranked, context)
    if growing is not None:
        found.append(growing)
    return found


def _name(record: Record, context: Context) -> str:
    label = text_in_language(record, context.language) or str(record.get("topic", ""))
    return context.say(zh=f"“{label}”", en=f"“{label}”")


def _largest(result: MetricResult, ranked: list[Record], context: Context) -> Finding:
    lead = ranked[0]
    patents = as_number(lead["patents"]) or 0.0
    share = as_number(lead.get("share"))
    others = [_name(record, context) for record in ranked[1 : 1 + FOLLOWING]]
    n = len(ranked)
    zh = f"按语义相似度，专利聚为{n}个技术主题；最大的主题是{_name(lead, context)}"
    en = f"By meaning, the patents fall into {n} topic{'s' if n != 1 else ''}; the largest is "
    en += _name(lead, context)
    if share is not None:
        zh += f"（{count_text(patents)}件，占{percent_text(share)}）"
        en += f" ({patents_text(patents)}, {percent_text(share)})"
    else:
        zh += f"（{count_text(patents)}件）"
        en += f" ({patents_text(patents)})"
    if others:
        zh += f"，其次为{join_zh(others)}"
        en += f", followed by {join_en(others)}"
    return Finding(result.name, context.say(zh=zh + "。", en=en + "."))


def _fastest_growing(
    result: MetricResult, ranked: list[Record], context: Context
) -> Finding | None:
    recent, previous = result.extras.get("recent_span"), result.extras.get("previous_span")
    if not (isinstance(recent, tuple | list) and isinstance(previous, tuple | list)):
        return None
    rated = [
        (growth, record)
        for record in ranked
        if (growth := as_number(record.get("growth"))) is not None
    ]
    if len(rated) < 2:  # one topic growing says nothing of the others
        return None
    growth, record = max(rated, key=lambda item: item[0])
    if growth <= 0:
        return None
    after = as_number(record.get("recent")) or 0.0
    before = as_number(record.get("previous")) or 0.0
    later, earlier = span(int(recent[0]), int(recent[1])), span(int(previous[0]), int(previous[1]))
    name = _name(record, context)
    return Finding(
        result.name,
        context.say(
            zh=f"增长最快的主题是{name}：{later}年申请{count_text(after)}件，"
            f"比{earlier}年（{count_text(before)}件）增长{percent_text(growth)}。",
            en=f"The fastest-growing topic is {name}: {count_text(after)} filings in {later} "
            f"against {count_text(before)} in {earlier}, up {percent_text(growth)}.",
        ),
    )

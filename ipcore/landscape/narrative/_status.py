"""Where the patents are and what is left of them: offices, legal status, remaining term."""

from __future__ import annotations

import re
from typing import Final

from ipcore.landscape.narrative._common import (
    FOLLOWERS,
    Context,
    Finding,
    as_number,
    count_text,
    distribution,
    first_present,
    join_en,
    join_zh,
    patents_text,
    percent_text,
    read_records,
    sentence,
)
from ipcore.landscape.results import MetricResult, Value
from ipcore.legal_status import Status


def geography_office(result: MetricResult, context: Context) -> list[Finding]:
    """公开局分布 — reads ``office`` (or ``bucket``), ``patents`` (and ``share``)."""
    rows = distribution(result, context, ("office", "bucket"))
    if not rows:
        return []
    label, patents, share = rows[0]
    if len(rows) == 1:
        text = context.say(
            zh=f"全部专利均由同一公开局公开：{label}（{count_text(patents)}件）。",
            en=f"Every patent was published by one office: {label} ({count_text(patents)}).",
        )
        return [Finding(result.name, text)]
    followers = [entry[0] for entry in rows[1 : 1 + FOLLOWERS]]
    zh = f"按公开局统计，{label}的专利最多（{count_text(patents)}件，占{percent_text(share)}）"
    en = f"By publishing office, {label} accounts for the most patents ({count_text(patents)}, "
    en += f"{percent_text(share)})"
    zh += f"，其次为{join_zh(followers)}。"
    en += f", followed by {join_en(followers)}."
    return [Finding(result.name, context.say(zh=zh, en=en))]


_ENDED: Final = frozenset(
    {
        Status.LAPSED,
        Status.EXPIRED,
        Status.WITHDRAWN,
        Status.REJECTED,
        Status.INVALIDATED,
        Status.ABANDONED,
    }
)


def legal_status(result: MetricResult, context: Context) -> list[Finding]:
    """法律状态 — reads ``status`` (or ``bucket``) holding ipcore ``Status`` values, and
    ``patents``; buckets it does not know fall back to naming the largest."""
    records = read_records(result, "patents")
    bucket = first_present(result, ("status", "bucket"))
    if records is None or bucket is None:
        return []
    counts: dict[str, float] = {}
    for record in records:
        code = record.get(bucket)
        n = as_number(record["patents"])
        if n is None:
            continue
        group = _status_group(code)
        counts[group] = counts.get(group, 0.0) + n
    total = sum(counts.values())
    if total <= 0 or counts.get("other"):
        return _largest_bucket(result, context)
    as_of = context.report.as_of.isoformat()
    parts_zh: list[str] = []
    parts_en: list[str] = []
    for group, zh, en in (
        ("in_force", "有效专利{n}件（占{s}）", "{n} ({s}) are in force"),
        ("pending", "审中{n}件（占{s}）", "{n} ({s}) are pending"),
        ("ended", "已失效{n}件（占{s}）", "{n} ({s}) have ended"),
        ("unknown", "法律状态未知{n}件（占{s}）", "{n} ({s}) have no known status"),
    ):
        if counts.get(group):
            count, share = count_text(counts[group]), percent_text(counts[group] / total)
            parts_zh.append(zh.format(n=count, s=share))
            parts_en.append(en.format(n=count, s=share))
    text = context.say(
        zh=f"截至{as_of}，" + "，".join(parts_zh) + "。",
        en=f"As of {as_of}, " + join_en(parts_en) + ".",
    )
    return [Finding(result.name, text)]


def _status_group(code: Value) -> str:
    if code is None or code in ("", "unknown"):
        return "unknown"
    if code == Status.IN_FORCE:
        return "in_force"
    if code == Status.PENDING:
        return "pending"
    if code in _ENDED:
        return "ended"
    return "other"


def remaining_life(result: MetricResult, context: Context) -> list[Finding]:
    """剩余保护期 — the median (``extras["median_years"]`` or a ``median_years`` scalar)
    and the largest bucket of years left (``bucket`` or ``years``, with ``patents``)."""
    median = _median_years(result)
    rows = distribution(result, context, ("bucket", "years"))
    if median is None and not rows:
        return []
    zh: list[str] = []
    en: list[str] = []
    if median is not None:
        zh.append(f"有效专利的剩余保护期中位数为{median:.1f}年")
        en.append(f"patents in force have a median of {median:.1f} years of term left")
    if rows:
        label, patents, share = max(rows, key=lambda row: row[1])
        years_zh = f"{label}年" if _looks_like_years(label) else label
        years_en = f"{label} years" if _looks_like_years(label) else label
        counted = f"{count_text(patents)}件，占{percent_text(share)}"
        zh.append(f"剩余{years_zh}的最多（{counted}）")
        en.append(
            f"the most common is {years_en} left ({patents_text(patents)}, {percent_text(share)})"
        )
    text = context.say(zh="，".join(zh) + "。", en=sentence("; ".join(en)))
    return [Finding(result.name, text)]


def _median_years(result: MetricResult) -> float | None:
    median = as_number(result.extras.get("median_years"))
    records = read_records(result, "name", "value")
    if median is None and records is not None:
        median = next(
            (as_number(r["value"]) for r in records if r["name"] in ("median_years", "median")),
            None,
        )
    return median


def _looks_like_years(label: str) -> bool:
    return bool(re.fullmatch(r"[\d\s.+<>≤≥\u2013\u2014~-]+", label)) and any(
        c.isdigit() for c in label
    )


def _largest_bucket(result: MetricResult, context: Context) -> list[Finding]:
    rows = distribution(result, context, ("status", "bucket"))
    if not rows:
        return []
    label, patents, share = max(rows, key=lambda row: row[1])
    text = context.say(
        zh=f"{result.title_zh}中，{label}最多（{count_text(patents)}件，占{percent_text(share)}）。",
        en=f"In {result.title_en.lower()}, {label} is the largest group "
        f"({count_text(patents)}, {percent_text(share)}).",
    )
    return [Finding(result.name, text)]

"""Who holds the patents: the leading applicants and how concentrated they are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ipcore.landscape.narrative._common import (
    FOLLOWERS,
    Context,
    Finding,
    as_number,
    count_text,
    has_value,
    join_en,
    join_zh,
    patents_text,
    percent_text,
    read_records,
    sentence,
)
from ipcore.landscape.results import MetricResult

# Thresholds of the Herfindahl-Hirschman index on its 0 to 10,000 scale, as Chinese patent
# analysis uses them (after the US Department of Justice's 1982 merger guidelines):
# below 1,000 competitive, 1,000 to 1,800 moderately concentrated, above 1,800 highly.
HHI_MODERATE: Final = 1000.0
HHI_HIGH: Final = 1800.0


def top_owners(result: MetricResult, context: Context) -> list[Finding]:
    """主要申请人 — reads ``name``, ``patents`` (and ``share``), largest first."""
    records = read_records(result, "name", "patents")
    if records is None:
        return []
    ranked = [
        (str(record["name"]), patents, as_number(record.get("share")))
        for record in records
        if has_value(record, "name") and (patents := as_number(record["patents"])) is not None
    ]
    if not ranked:
        return []
    top = ranked[0][1]
    if len(ranked) == 1 and (ranked[0][2] is None or ranked[0][2] >= 0.9995):
        name = ranked[0][0]
        text = context.say(
            zh=f"全部专利均属于同一申请人：{name}（{count_text(top)}件）。",
            en=f"Every patent belongs to one applicant, {name} ({count_text(top)}).",
        )
        return [Finding(result.name, text)]
    leaders = [entry for entry in ranked if entry[1] == top]
    followers = [entry[0] for entry in ranked[len(leaders) : len(leaders) + FOLLOWERS]]
    return [Finding(result.name, _leaders_sentence(leaders, followers, context))]


def _leaders_sentence(
    leaders: Sequence[tuple[str, float, float | None]],
    followers: Sequence[str],
    context: Context,
) -> str:
    top, share = leaders[0][1], leaders[0][2]
    share_zh = f"，占{percent_text(share)}" if share is not None else ""
    share_en = f" ({percent_text(share)})" if share is not None else ""
    names = [entry[0] for entry in leaders]
    if len(leaders) == 1:
        zh = f"最主要的申请人是{names[0]}（{count_text(top)}件{share_zh}）"
        en = f"The leading applicant is {names[0]} with {patents_text(top)}{share_en}"
    else:
        each_zh = f"，各占{percent_text(share)}" if share is not None else ""
        zh = f"{join_zh(names)}并列第一（各{count_text(top)}件{each_zh}）"
        en = f"{join_en(names)} share the lead with {patents_text(top)} each{share_en}"
    if followers:
        zh += f"，其后依次为{join_zh(followers)}"
        en += f", followed by {join_en(followers)}"
    return context.say(zh=zh + "。", en=en + ".")


def concentration(result: MetricResult, context: Context) -> list[Finding]:
    """申请人集中度 — reads ``name``/``value`` rows: ``owners``, ``cr4`` and ``cr8``
    (fractions) and ``hhi`` (on the 0 to 10,000 scale)."""
    records = read_records(result, "name", "value")
    if records is None:
        return []
    values = {str(r["name"]): as_number(r["value"]) for r in records}
    owners, cr4, cr8, hhi = (values.get(name) for name in ("owners", "cr4", "cr8", "hhi"))
    if owners is not None and owners < 1:
        return []
    if owners == 1:
        hhi_zh = f"（HHI为{count_text(hhi)}）" if hhi is not None else ""
        hhi_en = f" (HHI {count_text(hhi)})" if hhi is not None else ""
        text = context.say(
            zh=f"仅有1位申请人，集中度最高{hhi_zh}。",
            en=f"A single applicant holds every patent: concentration is total{hhi_en}.",
        )
        return [Finding(result.name, text)]
    parts_zh: list[str] = []
    parts_en: list[str] = []
    if owners is not None:
        parts_zh.append(f"共有{count_text(owners)}位申请人")
        parts_en.append(f"there are {count_text(owners)} applicants")
    for size, share, word in ((4, cr4, "four"), (8, cr8, "eight")):
        if share is not None and (owners is None or owners > size):
            parts_zh.append(f"前{size}位合计占{percent_text(share)}（CR{size}）")
            parts_en.append(f"the top {word} hold {percent_text(share)} (CR{size})")
    if hhi is not None:
        zh_label, en_label = _hhi_label(hhi)
        parts_zh.append(f"HHI为{count_text(hhi)}，属于{zh_label}")
        parts_en.append(f"the HHI of {count_text(hhi)} marks {en_label}")
    if not parts_zh:
        return []
    text = context.say(zh="，".join(parts_zh) + "。", en=sentence("; ".join(parts_en)))
    return [Finding(result.name, text)]


def _hhi_label(hhi: float) -> tuple[str, str]:
    if hhi < HHI_MODERATE:
        return "竞争型市场", "a competitive, unconcentrated field"
    if hhi <= HHI_HIGH:
        return "中度集中市场", "a moderately concentrated field"
    return "高度集中市场", "a highly concentrated field"

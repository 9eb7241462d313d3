"""How filing moves over time: the filing trend and the applicants entering the field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from ipcore.landscape.narrative._common import (
    Context,
    Finding,
    Kind,
    Record,
    applications_text,
    as_number,
    column_names,
    count_text,
    peak_year,
    percent_text,
    read_records,
    span,
    sum_by_year,
)
from ipcore.landscape.results import MetricResult

# Growth is described over at most this many complete years, as landscape reports do.
TREND_WINDOW_YEARS: Final = 10
NEWCOMER_WINDOW_YEARS: Final = 5
# A fall from the peak smaller than this is read as "stayed near that level".
MATERIAL_FALL: Final = 0.10


def filing_trend(result: MetricResult, context: Context) -> list[Finding]:
    """申请趋势 — reads ``year``, ``applications`` (and ``grants``): the span and busiest
    year, how filings moved over the last complete years, grants, and a caveat for years
    whose applications are still being published."""
    records = read_records(result, "year", "applications")
    if records is None:
        return []
    by_year = sum_by_year(records, "applications")
    active = [year for year, count in by_year.items() if count > 0]
    if not active:
        return []
    first, last = min(active), max(active)
    series = {year: by_year.get(year, 0.0) for year in range(first, last + 1)}
    total = sum(series.values())
    sentences = [_trend_summary(series, total, context)]
    sentences += _trend_shape(series, context)
    found = [Finding(result.name, text) for text in sentences]
    found += _grants(result, records, total, context)
    if last >= context.incomplete_from:
        start = max(first, context.incomplete_from)
        ends = result.extras.get("last_publication_year")
        ended_early = isinstance(ends, int) and ends < context.report.as_of.year
        caveat = _lag_caveat(context, start, last, ends if ended_early else None)
        found.append(Finding(result.name, caveat, Kind.CAVEAT))
    return found


def _trend_summary(series: Mapping[int, float], total: float, context: Context) -> str:
    first, last = min(series), max(series)
    if first == last:
        return context.say(
            zh=f"全部{count_text(total)}件申请均提交于{first}年。",
            en=f"The only application was filed in {first}."
            if round(total) == 1
            else f"All {applications_text(total)} were filed in {first}.",
        )
    peak = peak_year(series, list(series))
    return context.say(
        zh=f"{span(first, last)}年共有{count_text(total)}件申请，{peak}年申请量最多"
        f"（{count_text(series[peak])}件）。",
        en=f"The {applications_text(total)} were filed between {first} and {last}; the busiest "
        f"year was {peak}, with {count_text(series[peak])}.",
    )


def _trend_shape(series: Mapping[int, float], context: Context) -> list[str]:
    """How filings moved over the last complete years: grew, fell, or rose then fell back."""
    window = [year for year in series if year < context.incomplete_from][-TREND_WINDOW_YEARS:]
    while window and series[window[0]] == 0:
        window.pop(0)
    if len(window) < 3:
        return []
    start, end = window[0], window[-1]
    peak = peak_year(series, window)
    v0, vp, ve = series[start], series[peak], series[end]
    if peak == start:
        return [_trend_fall_or_flat(start, end, v0, ve, context)]
    rise = percent_text(vp / v0 - 1)
    if peak == end:
        yearly = percent_text((vp / v0) ** (1 / (end - start)) - 1)
        return [
            context.say(
                zh=f"{span(start, end)}年申请量由{count_text(v0)}件增至{count_text(vp)}件，"
                f"增长了{rise}（年均增长{yearly}）。",
                en=f"Annual filings grew by {rise} between {start} and {end}, from "
                f"{count_text(v0)} to {count_text(vp)} ({yearly} a year on average).",
            )
        ]
    fall = 1 - ve / vp
    grew_zh = f"申请量在{span(start, peak)}年间增长了{rise}"
    grew_zh += f"（由{count_text(v0)}件增至{count_text(vp)}件）"
    grew_en = f"Annual filings grew by {rise} from {start} to {peak} "
    grew_en += f"({count_text(v0)} to {count_text(vp)})"
    if fall >= MATERIAL_FALL:
        return [
            context.say(
                zh=f"{grew_zh}，{peak + 1}年起回落，{end}年较峰值下降{percent_text(fall)}。",
                en=f"{grew_en}, then fell back from {peak + 1}; {end} was {percent_text(fall)} "
                "below the peak.",
            )
        ]
    return [
        context.say(
            zh=f"{grew_zh}，此后保持在相近水平。", en=f"{grew_en} and stayed near that level."
        )
    ]


def _trend_fall_or_flat(start: int, end: int, v0: float, ve: float, context: Context) -> str:
    fall = 1 - ve / v0
    if fall >= MATERIAL_FALL:
        return context.say(
            zh=f"{span(start, end)}年申请量下降了{percent_text(fall)}"
            f"（由{count_text(v0)}件降至{count_text(ve)}件）。",
            en=f"Annual filings fell by {percent_text(fall)} between {start} and {end}, from "
            f"{count_text(v0)} to {count_text(ve)}.",
        )
    return context.say(
        zh=f"{span(start, end)}年申请量基本持平（{count_text(v0)}件至{count_text(ve)}件）。",
        en=f"Annual filings were roughly flat between {start} and {end} "
        f"({count_text(v0)} and {count_text(ve)}).",
    )


def _lag_caveat(context: Context, start: int, last: int, data_ends: int | None) -> str:
    """The publication-lag caveat; ``data_ends`` is the last publication year where the
    data stops before the report's date (a source file that ends early)."""
    years = span(start, last)
    years_zh, years_en = f"{years}年", years
    if data_ends is not None:
        return context.say(
            zh=f"数据集中最晚的公开在{data_ends}年，{years_zh}的申请因公开滞后（发明专利申请"
            "一般自申请日起18个月公开）尚未完整收录，这些年份的申请量被低估，不代表申请减少。",
            en=f"The latest publication in the dataset is from {data_ends}: applications "
            f"filed in {years_en} were not all published by then (invention applications are "
            "published about 18 months after filing), so those years are undercounted, not "
            "a fall in filing.",
        )
    return context.say(
        zh=f"{years_zh}的数据因公开滞后可能不完整（发明专利申请一般自申请日起18个月公开），"
        "近期申请量可能被低估。",
        en=f"Figures for {years_en} are probably incomplete: invention applications are "
        "published about 18 months after filing, so recent filings are undercounted.",
    )


def _grants(
    result: MetricResult, records: Sequence[Record], total: float, context: Context
) -> list[Finding]:
    if "grants" not in column_names(result):
        return []
    grants = sum(as_number(record.get("grants")) or 0.0 for record in records)
    if grants <= 0 or grants > total:
        return []
    # Grants are counted by grant year, so they are compared with, not taken out of, the
    # applications.
    share = percent_text(grants / total)
    text = context.say(
        zh=f"授权量合计{count_text(grants)}件，相当于申请量的{share}。",
        en=f"Grants total {count_text(grants)}, {share} of the number of applications.",
    )
    return [Finding(result.name, text)]


def newcomers(result: MetricResult, context: Context) -> list[Finding]:
    """新进入者 — reads ``year``, ``newcomers`` (and ``active_owners``). The window is the
    metric's own (``extras["recent_span"]``) where it gives one, so the report states one
    count; else the last complete years, leaving out the first year of the data (everyone
    is new in it)."""
    records = read_records(result, "year", "newcomers")
    if records is None:
        return []
    entered = sum_by_year(records, "newcomers")
    active: dict[int, float] = {}
    if "active_owners" in column_names(result):
        active = sum_by_year(records, "active_owners")
    window = _newcomer_window(result, sorted(entered), context)
    if not window:
        return []
    start, end = window[0], window[-1]
    total = sum(entered.get(year, 0.0) for year in window)
    span_en = f"in {start}" if start == end else f"between {start} and {end}"
    zh = f"{span(start, end)}年共有{count_text(total)}位新申请人进入该领域"
    en = f"{count_text(total)} new applicants entered the field {span_en}"
    if active.get(end):
        share = percent_text(entered.get(end, 0.0) / active[end])
        zh += f"，{end}年新进入者占当年活跃申请人的{share}"
        en += f"; in {end} newcomers were {share} of the applicants active that year"
    return [Finding(result.name, context.say(zh=zh + "。", en=en + "."))]


def _newcomer_window(result: MetricResult, years: list[int], context: Context) -> list[int]:
    if len(years) < 2:
        return []
    given = result.extras.get("recent_span")
    if (
        isinstance(given, list | tuple)
        and len(given) == 2
        and all(isinstance(year, int) for year in given)
    ):
        first, last = max(given[0], years[1]), min(given[1], years[-1])
        return list(range(first, last + 1))
    later = years[1:]
    complete = [year for year in later if year < context.incomplete_from] or later
    return complete[-NEWCOMER_WINDOW_YEARS:]

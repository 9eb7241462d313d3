"""分析结论 — the findings of a landscape report, stated in words from its metric results.

A client reads a 专利导航 / 分析评议 report's findings before its charts, the way WIPO's patent
landscape reports open with their key findings. Every sentence here is generated from one
metric result, and every number in it is read from that result (or is plain arithmetic on
its rows: a total, a change between two years, a share of a distribution). The report marks
the sentences as generated (:func:`generated_note`).

Generators read result columns by name and say nothing where a column they need is missing,
so a report may carry any subset of metrics, in any order, and a metric may grow columns.
A metric the data cannot answer (``applicable`` False) is stated with its own note; a
metric without a generator here adds no sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from ipcore.landscape.narrative._activity import filing_trend, newcomers
from ipcore.landscape.narrative._common import (
    Context,
    Finding,
    Kind,
    count_text,
    is_share_name,
    patents_text,
    pick,
    row_label,
)
from ipcore.landscape.narrative._holders import concentration, top_owners
from ipcore.landscape.narrative._status import geography_office, legal_status, remaining_life
from ipcore.landscape.narrative._technology import (
    classification_mix,
    key_fields,
    sei_industries,
    technology_fields,
    white_space,
)
from ipcore.landscape.narrative._topics import topic_clusters
from ipcore.landscape.results import MetricResult, Report

__all__ = ["Finding", "Kind", "findings", "generated_note", "is_share_name", "row_label"]

# Below this many patents shares and rankings move with every patent added: say so.
SMALL_DATASET: Final = 30


def generated_note(language: str) -> str:
    """The label a report puts beside the findings: they are machine-written."""
    return pick(
        language,
        zh="以下结论由系统根据指标自动生成，其中数字均取自本报告的指标结果。",
        en="These findings were generated from the metrics; every number in them comes "
        "from a metric result in this report.",
    )


def findings(report: Report, language: str) -> list[Finding]:
    """The report's findings in ``language`` ("zh…" for Chinese, anything else English)."""
    context = Context(report, language)
    found = _dataset_findings(context)
    if report.size == 0:
        return found
    for result in report.results:
        if not result.applicable:
            found.extend(_not_applicable(result, context))
            continue
        generator = _GENERATORS.get(result.name)
        if generator is not None and result.rows:
            found.extend(generator(result, context))
    return found


def _dataset_findings(context: Context) -> list[Finding]:
    size = context.report.size
    as_of = context.report.as_of.isoformat()
    if size == 0:
        text = context.say(
            zh="数据集中没有专利，无法得出结论。",
            en="The dataset holds no patents, so there is nothing to report.",
        )
        return [Finding("", text, Kind.CAVEAT)]
    found = [
        Finding(
            "",
            context.say(
                zh=f"本报告分析了{count_text(size)}件专利，法律状态截至{as_of}。",
                en=f"This report analyses {patents_text(size)}; legal status is as of {as_of}.",
            ),
        )
    ]
    if size < SMALL_DATASET:
        text = context.say(
            zh=f"样本仅{count_text(size)}件，以下比例和排名不具统计意义，仅供参考。",
            en=f"With only {patents_text(size)}, the shares and rankings below are not "
            "statistically meaningful.",
        )
        found.append(Finding("", text, Kind.CAVEAT))
    return found


def _not_applicable(result: MetricResult, context: Context) -> list[Finding]:
    note = result.note(context.language).strip()
    if not note:
        return []
    title = result.title(context.language)
    text = context.say(zh=f"{title}：{note}", en=f"{title}: {note}")
    return [Finding(result.name, text, Kind.NOT_APPLICABLE)]


_GENERATORS: Final[Mapping[str, Callable[[MetricResult, Context], list[Finding]]]] = (
    MappingProxyType(
        {
            "filing_trend": filing_trend,
            "top_owners": top_owners,
            "concentration": concentration,
            "classification_mix_subclass": classification_mix,
            "technology_fields": technology_fields,
            "sei_industries": sei_industries,
            "key_fields": key_fields,
            "geography_office": geography_office,
            "legal_status": legal_status,
            "remaining_life": remaining_life,
            "newcomers": newcomers,
            "white_space": white_space,
            "topic_clusters": topic_clusters,
        }
    )
)

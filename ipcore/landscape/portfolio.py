"""组合画像 — the parts of an organisation's portfolio profile (M&A evaluation, 并购评估) that
no landscape metric computes: standing by patent type at every office with its basis, the
age of the patents, and family reach abroad.

The landscape metrics (:mod:`ipcore.landscape.metrics`) give the rest of a profile — filing
trend, fields, classes, offices, families, owners, remaining life — over the portfolio's
facts. Their ``legal_status`` is CN-only; a profile also needs the other offices, so it sorts
every patent by :mod:`ipcore.landscape.standing`, which says for each whether its standing
is CNIPA's or an estimate. These results have the shape of metric results, so one report
renders and exports them all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from ipcore.landscape.metrics.status import LIFE_BUCKETS
from ipcore.landscape.results import Column, ColumnKind, MetricResult, Shape, Value
from ipcore.landscape.standing import BASIS_LABELS, STANDING_LABELS, Basis, PatentStanding, Standing

TYPE_LABELS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "invention": ("发明", "Invention"),
        "utility_model": ("实用新型", "Utility model"),
        "design": ("外观设计", "Design"),
        "plant": ("植物专利", "Plant"),
        "reissue": ("再颁专利", "Reissue"),
        "unknown": ("类型不详", "Type unknown"),
    }
)
"""(Chinese, English) name of each document type."""


@dataclass(frozen=True)
class Holding:
    """One patent of a portfolio, as a profile counts it."""

    patent_id: int
    office: str
    document_type: str
    application_date: dt.date | None
    family_id: str | None
    family_offices: int  # distinct offices of its family in the corpus (1 for a singleton)
    standing: PatentStanding


def _column(name: str, zh: str, en: str, kind: ColumnKind) -> Column:
    return Column(name=name, title_zh=zh, title_en=en, kind=kind)


_PATENTS: Final = _column("patents", "专利数", "Patents", ColumnKind.INTEGER)
_SHARE: Final = _column("share", "占比", "Share", ColumnKind.SHARE)
_LABEL_ZH: Final = _column("label_zh", "名称", "Name (Chinese)", ColumnKind.TEXT)
_LABEL_EN: Final = _column("label_en", "名称（英文）", "Name", ColumnKind.TEXT)


def _labelled_distribution(
    name: str, titles: tuple[str, str], code: Column, **parts: Any
) -> MetricResult:
    """A distribution of the portfolio's patents over labelled buckets: rows of ``code``,
    patents, share and the bucket's Chinese and English names (``parts``: rows,
    applicable, notes, extras)."""
    return MetricResult(
        name=name,
        title_zh=titles[0],
        title_en=titles[1],
        shape=Shape.DISTRIBUTION,
        columns=(code, _PATENTS, _SHARE, _LABEL_ZH, _LABEL_EN),
        **parts,
    )
_STANDING_ORDER: Final = (Standing.IN_FORCE, Standing.PENDING, Standing.ENDED, Standing.UNKNOWN)


def standing_by_type(holdings: Sequence[Holding]) -> MetricResult:
    """专利类型与权利状态 — patents per type (invention, utility model, design …) and standing
    (in force, pending, ended, unknown), with how many of each type rest on an estimate."""
    counts: Counter[tuple[str, Standing]] = Counter(
        (holding.document_type, holding.standing.standing) for holding in holdings
    )
    estimated = Counter(h.document_type for h in holdings if h.standing.estimated)
    types = sorted({h.document_type for h in holdings}, key=_type_order)
    rows: list[tuple[Value, ...]] = []
    for kind in [*types, "total"]:
        wanted = types if kind == "total" else [kind]
        by_standing = [sum(counts[(t, s)] for t in wanted) for s in _STANDING_ORDER]
        zh, en = ("合计", "Total") if kind == "total" else TYPE_LABELS.get(kind, (kind, kind))
        rows.append(
            (kind, zh, en, sum(by_standing), *by_standing, sum(estimated[t] for t in wanted))
        )
    return MetricResult(
        name="portfolio_standing",
        title_zh="专利类型与权利状态",
        title_en="Patents by type and standing",
        shape=Shape.TABLE,
        columns=(
            _column("type", "类型代码", "Type code", ColumnKind.TEXT),
            _column("label_zh", "专利类型", "Type (Chinese)", ColumnKind.TEXT),
            _column("label_en", "专利类型（英文）", "Type", ColumnKind.TEXT),
            _column("patents", "合计", "Patents", ColumnKind.INTEGER),
            *(_column(s.value, *STANDING_LABELS[s], ColumnKind.INTEGER) for s in _STANDING_ORDER),
            _column("estimated", "其中估计状态", "Of which estimated", ColumnKind.INTEGER),
        ),
        rows=tuple(rows),
        applicable=bool(holdings),
        note_zh="" if holdings else "该组织没有专利。",
        note_en="" if holdings else "The organisation has no patents.",
        extras=_described(
            "按专利类型统计有效、审中（可能获得授权）、失效与状态不详的专利数。"
            "中国专利依 CNIPA 规则判断；其他受理局没有法律状态数据，依授权与法定保护期限估计，"
            "“其中估计状态”列给出件数。",
            "Patents per type that are in force, pending (may become rights), ended or of "
            "unknown standing. CN patents follow CNIPA's rules; other offices have no legal-"
            "status data and are estimated from grant and statutory term (the last column "
            "counts them).",
        ),
    )


def standing_basis(holdings: Sequence[Holding]) -> MetricResult:
    """状态依据 — how many standings rest on CN legal events, on CN dates alone, on an
    estimate, or on nothing."""
    counts = Counter(holding.standing.basis for holding in holdings)
    total = len(holdings)
    rows = tuple(
        (basis.value, counts[basis], counts[basis] / total if total else None, *BASIS_LABELS[basis])
        for basis in Basis
        if counts[basis]
    )
    return _labelled_distribution(
        "standing_basis",
        ("权利状态依据", "What each standing rests on"),
        _column("basis", "依据代码", "Basis code", ColumnKind.TEXT),
        rows=rows,
        applicable=bool(rows),
        note_zh="" if rows else "该组织没有专利。",
        note_en="" if rows else "The organisation has no patents.",
        extras=_described(
            "权利状态的来源：中国专利法律事件、仅据中国规则与日期（无法律事件记录）、估计（无法律状态"
            "数据），或记录不足以判断。",
            "Where each standing comes from: CN legal events, CN rules over dates alone (no "
            "legal events on record), an estimate (no legal-status data), or nothing the "
            "record allows.",
        ),
    )


def portfolio_age(holdings: Sequence[Holding], as_of: dt.date) -> MetricResult:
    """专利年龄 — patents per whole years since filing on ``as_of`` (buckets of the remaining-
    life metric, so age and life read side by side)."""
    counts: Counter[tuple[str, str, str]] = Counter()
    undated = 0
    for holding in holdings:
        if holding.application_date is None or holding.application_date > as_of:
            undated += 1
            continue
        counts[_age_bucket(_whole_years(holding.application_date, as_of))] += 1
    buckets = [_age_bucket(low) for low, _ in LIFE_BUCKETS]
    if counts[_age_bucket(21)]:
        buckets.append(_age_bucket(21))
    total = sum(counts.values())
    rows = tuple(
        (code, counts[(code, zh, en)], counts[(code, zh, en)] / total if total else None, zh, en)
        for code, zh, en in buckets
    )
    note = (
        (f"{undated} 件专利没有申请日，未计入。", f"Left out: {undated} without a filing date.")
        if undated
        else ("", "")
    )
    return _labelled_distribution(
        "portfolio_age",
        ("专利年龄（自申请日）", "Age since filing"),
        _column("bucket", "区间", "Bucket", ColumnKind.TEXT),
        rows=rows,
        applicable=total > 0,
        note_zh=note[0] if total else "没有带申请日的专利。",
        note_en=note[1] if total else "No patent has a filing date.",
        extras=_described(
            f"截至 {as_of.isoformat()}，自申请日起的整年数。",
            f"Whole years since filing, on {as_of.isoformat()}.",
        ),
    )


def family_reach(holdings: Sequence[Holding], home_office: str) -> MetricResult:
    """同族海外布局 — offices covered, families, families with members at two or more
    offices, and patents outside the organisation's home office."""
    families = {h.family_id or f"patent:{h.patent_id}": h.family_offices for h in holdings}
    multi = sum(1 for offices in families.values() if offices >= 2)
    abroad = sum(1 for h in holdings if h.office != home_office)
    figures: list[tuple[str, float | int | None, str, str]] = [
        ("offices", len({h.office for h in holdings}), "覆盖受理局数", "Offices covered"),
        ("families", len(families), "同族数", "Families"),
        ("multi_office_families", multi, "在两个以上受理局有成员的同族", "Families at 2+ offices"),
        (
            "multi_office_share",
            multi / len(families) if families else None,
            "多局同族占比",
            "Share of families at 2+ offices",
        ),
        (
            "abroad_patents",
            abroad,
            f"{home_office} 以外受理局的专利",
            f"Patents outside {home_office}",
        ),
        (
            "abroad_share",
            abroad / len(holdings) if holdings else None,
            f"{home_office} 以外的专利占比",
            f"Share outside {home_office}",
        ),
    ]
    return MetricResult(
        name="family_reach",
        title_zh="同族与海外布局",
        title_en="Families and reach abroad",
        shape=Shape.SCALARS,
        columns=(
            _column("name", "指标", "Measure", ColumnKind.TEXT),
            _column("value", "数值", "Value", ColumnKind.NUMBER),
            _LABEL_ZH,
            _LABEL_EN,
        ),
        rows=tuple(figures),
        applicable=bool(holdings),
        note_zh="" if holdings else "该组织没有专利。",
        note_en="" if holdings else "The organisation has no patents.",
        extras=_described(
            f"本国受理局取 {home_office}；同族按同族编号计（无编号的专利各自为一族），"
            "同族成员数与受理局数按语料库中的全部成员计。",
            f"The home office is {home_office}; families by family id (a patent without one is "
            "its own family), their offices counted over every member in the corpus.",
        ),
    )


def home_office(holdings: Iterable[Holding], country: str) -> str:
    """The organisation's home office: its country where patents were filed there, else the
    office holding most of its patents (ties by code), else its country as given."""
    offices = Counter(holding.office for holding in holdings)
    if country and offices[country.upper()]:
        return country.upper()
    if offices:
        return min(offices, key=lambda office: (-offices[office], office))
    return country.upper()


def _whole_years(start: dt.date, on: dt.date) -> int:
    years = on.year - start.year
    return years - 1 if (on.month, on.day) < (start.month, start.day) else years


def _age_bucket(years: int) -> tuple[str, str, str]:
    for low, high in LIFE_BUCKETS:
        if low <= years <= high:
            return f"{low}-{high}", f"{low}-{high} 年", f"{low}-{high} years"
    return "21+", "21 年以上", "21 years or more"


def _type_order(kind: str) -> tuple[int, str]:
    order = list(TYPE_LABELS)
    return (order.index(kind) if kind in order else len(order), kind)


def _described(zh: str, en: str) -> dict[str, str]:
    return {"description_zh": zh, "description_en": en}


# 价值分布 — score bands of a 0-100 total, as the valuation panel shows them.
VALUE_BANDS: Final = (
    (80.0, "80-100", "80-100（高）", "80-100 (high)"),
    (60.0, "60-80", "60-80", "60-80"),
    (40.0, "40-60", "40-60", "40-60"),
    (20.0, "20-40", "20-40", "20-40"),
    (0.0, "0-20", "0-20（低）", "0-20 (low)"),
)


@dataclass(frozen=True)
class ScoredPatent:
    """One patent's stored value for a profile: its total score for the purpose (None where
    the valuation could not score it) and its high-value verdict (None: cannot tell)."""

    total: float | None
    high_value: bool | None


def value_distribution(
    scored: Mapping[int, ScoredPatent], patents: int, *, purpose_zh: str, purpose_en: str
) -> MetricResult:
    """价值评分分布 — the portfolio's patents per band of total value score, the patents the
    valuation could not score (or has not scored yet), and the high-value invention patents
    among them (CNIPA's definition, each counted once)."""
    counts: Counter[str] = Counter()
    for value in scored.values():
        if value.total is not None:
            counts[next(code for low, code, _, _ in VALUE_BANDS if value.total >= low)] += 1
    known = sum(counts.values())
    rows: list[tuple[Value, ...]] = [
        (code, counts[code], counts[code] / patents if patents else None, zh, en)
        for _, code, zh, en in VALUE_BANDS
    ]
    rows.append(
        (
            "unknown",
            patents - known,
            (patents - known) / patents if patents else None,
            "未评分或数据不足",
            "Not scored, or too little data",
        )
    )
    high = sum(1 for value in scored.values() if value.high_value)
    undecided = sum(1 for value in scored.values() if value.high_value is None)
    return _labelled_distribution(
        "value_distribution",
        ("价值评分分布", "Value scores"),
        _column("band", "评分区间", "Score band", ColumnKind.TEXT),
        rows=tuple(rows),
        applicable=known > 0,
        note_zh=(
            f"高价值发明专利 {high} 件；{undecided} 件无法判断。"
            if known
            else "这些专利尚未评分（价值评分在每次导入后于后台计算，或运行 ipops rescore）。"
        ),
        note_en=(
            f"High-value invention patents: {high}; {undecided} cannot be told."
            if known
            else "These patents have no value scores yet (they are computed in the background "
            "after each import, or by `ipops rescore`)."
        ),
        extras={
            **_described(
                f"按“{purpose_zh}”目的的总分（0-100，同领域同申请年内的相对位置），"
                "数据不足以评分的专利单列。",
                f"Total value score for {purpose_en} (0-100, placed among patents of the same "
                "field and filing year); patents with too little data to score are counted "
                "apart.",
            ),
            "high_value": high,
        },
    )

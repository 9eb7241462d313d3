"""价值指标 — the indicators of a patent's value, each a documented pure function.

Sources, cited per function:

* OECD — Squicciarini, Dernis and Criscuolo (2013), *Measuring Patent Quality: Indicators of
  Technological and Economic Value*, OECD STI Working Paper 2013/03 (forward citations in 5
  years, backward citations, family size, claims, scope, generality, originality,
  radicalness, grant lag, renewal).
* CNIPA — the patent value-degree model (专利价值度: legal, technical, economic) and GB/T
  42748-2023 《专利评估指引》 (legal status, remaining term, family, invalidation history,
  transfers and licences): DOMAIN.md §6 and §7.
* PatentSight — Ernst and Omland (2011), *The Patent Asset Index* (technology relevance,
  market coverage): ``ipcore.valuation.portfolios``.

Each function returns a number or an :class:`Unknown` that says why the data cannot support
the indicator for this patent. Zero is a measured zero (a patent nobody cited in a corpus
that holds citing data), never "no data".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ipcore.periods import add_years
from ipcore.valuation.facts import ENDED_STATUSES, IN_FORCE, PENDING, PatentFacts

DAYS_PER_YEAR: Final = 365.25


@dataclass(frozen=True)
class Unknown:
    """未知 — the data cannot support this indicator for this patent (``reason`` is a key of
    :data:`REASONS`). Never counted as zero."""

    reason: str

    def message(self, language: str) -> str:
        zh, en = REASONS[self.reason]
        return zh if language.startswith("zh") else en


REASONS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "no_status": ("法律状态未知", "legal status unknown"),
        "no_term": ("保护期无法确定", "term cannot be determined"),
        "no_date": ("缺少申请日", "no filing date"),
        "no_claims": ("缺少权利要求数", "no claims count"),
        "no_events": ("数据源未提供法律事件", "the source carries no legal events"),
        "no_citing_data": ("本库没有能引用该专利的引文数据", "no citing data in this database"),
        "few_citing": ("本库中有分类的施引专利少于 2 件", "fewer than 2 classified citing patents"),
        "no_references": ("数据源未提供引用文献", "the source lists no references"),
        "few_cited": (
            "本库中有分类的被引专利少于 2 件",
            "fewer than 2 cited patents with a class in this database",
        ),
        "no_cited": ("本库中没有有分类的被引专利", "no cited patent with a class in this database"),
        "no_class": ("缺少分类号", "no classification"),
        "not_granted": ("尚未授权", "not granted"),
        "bad_dates": ("日期前后矛盾", "dates out of order"),
        "no_family": ("数据源未提供同族信息", "the source carries no family data"),
        "no_cohort": ("没有可比的同组专利", "no comparable patents"),
        "low_coverage": ("已知指标的权重不足", "too little of the weight is known"),
    }
)

Measure = float | Unknown


class Scale(StrEnum):
    """How an indicator becomes a 0-100 score."""

    COHORT = "cohort"  # its percentile among patents of the same field and filing year
    ABSOLUTE = "absolute"  # the value is already a 0-100 score under a fixed rule
    INFO = "info"  # shown beside the scores, never scored


@dataclass(frozen=True)
class Params:
    """``as_of``: the day ages, remaining terms and statuses are read on;
    ``forward_window_years``: forward citations counted within this many years (OECD: 5)."""

    as_of: dt.date
    forward_window_years: int = 5


@dataclass(frozen=True)
class Indicator:
    """One indicator: names, unit, how it scores, its direction, its source and its function."""

    name: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str
    scale: Scale
    higher_is_better: bool
    source: str
    measure: Callable[[PatentFacts, Params], Measure]

    def label(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") else self.label_en

    def unit(self, language: str) -> str:
        return self.unit_zh if language.startswith("zh") else self.unit_en


# --- legal ---------------------------------------------------------------------------------

# GB/T 42748 scores validity first: a right in force carries value, a pending application
# an expectation, an ended right none (inferred weights of the levels; editable here only).
STATUS_SCORES: Final[Mapping[str, float]] = MappingProxyType(
    {IN_FORCE: 100.0, PENDING: 50.0} | dict.fromkeys(ENDED_STATUSES, 0.0)
)


def legal_status(facts: PatentFacts, params: Params) -> Measure:
    """法律状态 — 100 in force, 50 pending, 0 ended (CNIPA value-degree model, legal
    dimension: stability; GB/T 42748 "validity"). Unknown where the status is: a non-CN record
    within its term (its renewals are not in the data)."""
    if facts.status is None:
        return Unknown("no_status")
    return STATUS_SCORES[facts.status]


def remaining_term(facts: PatentFacts, params: Params) -> Measure:
    """剩余保护期占比 — the share of the statutory term still ahead, 0-100 (CNIPA model:
    remaining term; banks look for more than 5 years, DOMAIN.md §7). 0 once the right has
    ended; for a pending application, the share it would keep if granted."""
    if facts.status in ENDED_STATUSES:
        return 0.0
    if facts.expiry is None or facts.application_date is None:
        return Unknown("no_term")
    term = (facts.expiry - facts.application_date).days
    if term <= 0:
        return Unknown("bad_dates")
    left = (facts.expiry - params.as_of).days
    return 100.0 * min(max(left / term, 0.0), 1.0)


def remaining_years(facts: PatentFacts, params: Params) -> Measure:
    """剩余年限 — years until the term ends (0 once ended); shown, not scored."""
    if facts.status in ENDED_STATUSES:
        return 0.0
    if facts.expiry is None:
        return Unknown("no_term")
    return max((facts.expiry - params.as_of).days / DAYS_PER_YEAR, 0.0)


def age_years(facts: PatentFacts, params: Params) -> Measure:
    """专利年龄 — years since filing (OECD: age conditions every count); shown, not scored."""
    if facts.application_date is None:
        return Unknown("no_date")
    return max((params.as_of - facts.application_date).days / DAYS_PER_YEAR, 0.0)


def claims(facts: PatentFacts, params: Params) -> Measure:
    """权利要求数 — number of claims (OECD: claims; GB/T 42748: claim quality and scope).
    A count of 0 is a missing value in every source seen, so it is unknown too."""
    if not facts.claims_count:
        return Unknown("no_claims")
    return float(facts.claims_count)


def invalidation(facts: PatentFacts, params: Params) -> Measure:
    """无效宣告记录 — 100 never invalidated, 50 partly invalidated (IP01, kept in part), 0
    wholly invalidated (GB/T 42748: re-examination and invalidation history). Unknown where
    the record carries no legal events. Court litigation is in no source yet."""
    if facts.status == "invalidated":
        return 0.0
    if facts.partly_invalidated is None:
        return Unknown("no_events")
    return 50.0 if facts.partly_invalidated else 100.0


# --- technical -----------------------------------------------------------------------------


def forward_citations(facts: PatentFacts, params: Params) -> Measure:
    """被引次数（5 年内）— patents of the corpus citing it within ``forward_window_years`` of
    its publication (filing date where none), OECD's 5-year forward citations. Where dates do
    not allow the window — the patent's own date or a citing patent's is missing — a citation
    counts. Unknown when the corpus holds no citation that could name the patent."""
    if facts.forward is None:
        return Unknown("no_citing_data")
    start = facts.publication_date or facts.application_date
    if start is None:
        return float(len(facts.forward))
    end = add_years(start, params.forward_window_years)
    return float(sum(1 for citing in facts.forward if citing.date is None or citing.date <= end))


def backward_citations(facts: PatentFacts, params: Params) -> Measure:
    """引用文献数 — references the patent lists, patent and non-patent (OECD: backward
    citations). Unknown when the source lists none at all."""
    if facts.backward is None:
        return Unknown("no_references")
    return float(facts.backward)


def scope(facts: PatentFacts, params: Params) -> Measure:
    """技术覆盖面 — distinct IPC subclasses (4 characters) the patent is classified in
    (OECD "patent scope", after Lerner 1994)."""
    if not facts.subclasses:
        return Unknown("no_class")
    return float(len(facts.subclasses))


def generality(facts: PatentFacts, params: Params) -> Measure:
    """通用性 — 1 - Σ (n_j / N)² over the main subclasses j of the citing patents (OECD,
    after Hall, Jaffe and Trajtenberg 2001): near 1 when it is cited from many fields. All
    citations count (no window); needs 2 classified citing patents."""
    if facts.forward is None:
        return Unknown("no_citing_data")
    classes = [citing.subclass for citing in facts.forward if citing.subclass]
    if len(classes) < 2:
        return Unknown("few_citing")
    return herfindahl_complement(classes)


def originality(facts: PatentFacts, params: Params) -> Measure:
    """原创性 — 1 - Σ (n_j / N)² over the main subclasses of the cited patents found in the
    corpus (OECD, after Trajtenberg, Henderson and Jaffe 1997): near 1 when it draws on many
    fields. Needs 2 classified cited patents."""
    if facts.backward is None:
        return Unknown("no_references")
    classes = [subclass for subclass in facts.cited_subclasses if subclass]
    if len(classes) < 2:
        return Unknown("few_cited")
    return herfindahl_complement(classes)


def radicalness(facts: PatentFacts, params: Params) -> Measure:
    """突破性 — the share of classified cited patents whose main subclass is not one of the
    patent's own (OECD, after Shane 2001)."""
    if facts.backward is None:
        return Unknown("no_references")
    if not facts.subclasses:
        return Unknown("no_class")
    classes = [subclass for subclass in facts.cited_subclasses if subclass]
    if not classes:
        return Unknown("no_cited")
    own = set(facts.subclasses)
    return sum(1 for subclass in classes if subclass not in own) / len(classes)


def grant_lag(facts: PatentFacts, params: Params) -> Measure:
    """授权周期 — years from filing to grant (OECD: grant lag; shorter lags go with more
    valuable inventions, Harhoff and Wagner 2009), so a shorter one ranks higher."""
    if facts.grant_date is None:
        return Unknown("not_granted")
    if facts.application_date is None:
        return Unknown("no_date")
    days = (facts.grant_date - facts.application_date).days
    if days < 0:
        return Unknown("bad_dates")
    return days / DAYS_PER_YEAR


def herfindahl_complement(classes: Iterable[str]) -> float:
    """1 - Σ share² of the classes (the Herfindahl index's complement)."""
    counts = Counter(classes)
    total = sum(counts.values())
    # Σ n² / N² in whole numbers, then one division: the same float as the numpy path gives,
    # so equal values tie when ranked (Σ (n/N)² differs in the last bit).
    return 1.0 - sum(n * n for n in counts.values()) / (total * total)


# --- economic ------------------------------------------------------------------------------


def family_size(facts: PatentFacts, params: Params) -> Measure:
    """同族规模 — members of its family in the corpus (OECD: family size; CNIPA: 同族).
    Unknown when the record carries no family id."""
    if facts.family_size is None:
        return Unknown("no_family")
    return float(facts.family_size)


def family_offices(facts: PatentFacts, params: Params) -> Measure:
    """市场覆盖 — distinct offices its family is filed at (PatentSight "market coverage",
    CNIPA model: multi-country protection)."""
    if facts.family_offices is None:
        return Unknown("no_family")
    return float(len(set(facts.family_offices)))


def transactions(facts: PatentFacts, params: Params) -> Measure:
    """转让、许可与质押 — transfers, licence filings and pledge registrations recorded (GB/T
    42748: transfers and licences, financing). Unknown when the record carries no events."""
    if facts.transactions is None:
        return Unknown("no_events")
    return float(facts.transactions)


def disputes(facts: PatentFacts, params: Params) -> Measure:
    """诉讼与纠纷 — litigation and ownership disputes over the patent: preservations a court
    ordered (PP01, registered at CNIPA at a court's request in a civil action or an ownership
    dispute). GB/T 42748-2023 lists "litigation and arbitration" among the economic
    indicators: a right someone fights over is worth fighting over (Lanjouw and Schankerman
    2001 find litigated patents among the most valuable). Unknown when the record carries no
    legal events; court cases recorded by the protection centre will count here too."""
    if facts.disputes is None:
        return Unknown("no_events")
    return float(facts.disputes)


INDICATORS: Final[tuple[Indicator, ...]] = (
    Indicator(
        "legal_status", "法律状态", "Legal status", "分", "points", Scale.ABSOLUTE, True,
        "GB/T 42748-2023; CNIPA value-degree model", legal_status,
    ),
    Indicator(
        "remaining_term", "剩余保护期", "Remaining term", "%", "%", Scale.ABSOLUTE, True,
        "CNIPA value-degree model", remaining_term,
    ),
    Indicator(
        "invalidation", "无效记录", "Invalidation record", "分", "points", Scale.ABSOLUTE, True,
        "GB/T 42748-2023", invalidation,
    ),
    Indicator(
        "claims", "权利要求数", "Claims", "项", "claims", Scale.COHORT, True,
        "OECD 2013", claims,
    ),
    Indicator(
        "forward_citations", "被引次数（5年内）", "Forward citations (5 years)", "次", "citations",
        Scale.COHORT, True, "OECD 2013", forward_citations,
    ),
    Indicator(
        "backward_citations", "引用文献数", "Backward citations", "篇", "references",
        Scale.COHORT, True, "OECD 2013", backward_citations,
    ),
    Indicator(
        "scope", "IPC 小类数", "IPC subclasses", "个", "subclasses", Scale.COHORT, True,
        "OECD 2013 (Lerner 1994)", scope,
    ),
    Indicator(
        "generality", "通用性", "Generality", "", "", Scale.COHORT, True,
        "OECD 2013 (Hall et al. 2001)", generality,
    ),
    Indicator(
        "originality", "原创性", "Originality", "", "", Scale.COHORT, True,
        "OECD 2013 (Trajtenberg et al. 1997)", originality,
    ),
    Indicator(
        "radicalness", "突破性", "Radicalness", "", "", Scale.COHORT, True,
        "OECD 2013 (Shane 2001)", radicalness,
    ),
    Indicator(
        "grant_lag", "授权周期", "Grant lag", "年", "years", Scale.COHORT, False,
        "OECD 2013 (Harhoff and Wagner 2009)", grant_lag,
    ),
    Indicator(
        "family_size", "同族规模", "Family size", "件", "members", Scale.COHORT, True,
        "OECD 2013", family_size,
    ),
    Indicator(
        "family_offices", "同族国家/地区数", "Family offices", "个", "offices", Scale.COHORT,
        True, "PatentSight market coverage; CNIPA value-degree model", family_offices,
    ),
    Indicator(
        "transactions", "转让许可质押", "Transfers, licences, pledges", "次", "records",
        Scale.COHORT, True, "GB/T 42748-2023", transactions,
    ),
    Indicator(
        "disputes", "诉讼与纠纷", "Litigation and disputes", "次", "records", Scale.COHORT, True,
        "GB/T 42748-2023; Lanjouw and Schankerman 2001", disputes,
    ),
    Indicator(
        "remaining_years", "剩余年限", "Years of term left", "年", "years", Scale.INFO, True,
        "DOMAIN.md §2 terms", remaining_years,
    ),
    Indicator(
        "age_years", "专利年龄", "Age", "年", "years", Scale.INFO, True, "OECD 2013", age_years,
    ),
)  # fmt: skip

INDICATOR_BY_NAME: Final[Mapping[str, Indicator]] = MappingProxyType(
    {indicator.name: indicator for indicator in INDICATORS}
)
SCORED: Final[tuple[str, ...]] = tuple(i.name for i in INDICATORS if i.scale is not Scale.INFO)


def measure_all(facts: PatentFacts, params: Params) -> dict[str, Measure]:
    """Every indicator of one patent, by name."""
    return {indicator.name: indicator.measure(facts, params) for indicator in INDICATORS}

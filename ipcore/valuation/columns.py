"""整库评分 — every indicator, percentile and score of a whole corpus at once, with numpy.

The same numbers as the per-patent reference (``indicators``, ``cohorts``, ``scores``),
computed over columns: one array per fact, citation edges as index arrays, cohorts as sorted
composite keys. Unknown is NaN inside; a caller turns NaN back into "unknown" at the edge.
The tests check both paths agree on random corpora; ``bench/valuation.py`` times them.

Dates are ``YYYYMMDD`` integers (0 when unknown) where a rule compares anniversaries (the
5-year citation window: ``start + 50000`` is the 相应日 five years on, 29 February falling
to 28 February exactly as ``ipcore.periods.add_years``), and day numbers (NaN when unknown)
where it measures years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import NDArray

from ipcore.valuation.facts import STATUSES, PatentFacts
from ipcore.valuation.indicators import (
    DAYS_PER_YEAR,
    INDICATORS,
    REASONS,
    STATUS_SCORES,
    Scale,
)
from ipcore.valuation.scores import COVERAGE_TOLERANCE
from ipcore.valuation.weights import Purpose, WeightSet

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]

# Status codes: the index in this tuple, -1 unknown.
STATUS_CODES: Final[tuple[str, ...]] = tuple(sorted(STATUSES))
_STATUS_SCORE: Final = np.array([STATUS_SCORES[s] for s in STATUS_CODES])
_STATUS_ENDED: Final = np.array([STATUS_SCORES[s] == 0.0 for s in STATUS_CODES])
_INVALIDATED: Final = STATUS_CODES.index("invalidated")
_YEAR_STEP: Final = 10_000  # one year in YYYYMMDD
REASON_KEYS: Final[tuple[str, ...]] = tuple(REASONS)  # unknown_reasons' codes index these


def _empty_ints() -> Ints:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class FactColumns:
    """The facts of ``n`` patents as arrays; index ``i`` is the same patent in each.

    ``subclass``: main IPC subclass per patent ("" unknown). ``forward_*``: one entry per
    citation of a patent of the corpus (``forward_target``) by a citing patent of the corpus
    (its date ``forward_date`` YYYYMMDD or 0, its main subclass code ``forward_subclass`` or
    -1); ``forward_known``: the corpus could name the patent. ``cited_*``: one entry per cited
    patent found in the corpus (``cited_source`` the citing patent's index). ``own_*``: the
    patent's own subclass codes (``own_source`` the patent's index). Subclass codes index
    ``subclass_names``.
    """

    patent_id: Ints
    filing: Ints  # YYYYMMDD, 0 unknown
    publication: Ints  # YYYYMMDD, 0 unknown
    filing_day: Floats  # day number (date.toordinal), NaN unknown
    grant_day: Floats
    expiry_day: Floats
    status: Ints  # index in STATUS_CODES, -1 unknown
    subclass: NDArray[np.str_]
    claims: Floats
    scope: Floats
    backward: Floats
    family_size: Floats
    family_offices: Floats
    transactions: Floats
    disputes: Floats
    partly_invalidated: Floats  # 1.0, 0.0 or NaN
    forward_known: NDArray[np.bool_]
    subclass_names: tuple[str, ...] = ()
    forward_target: Ints = field(default_factory=_empty_ints)
    forward_date: Ints = field(default_factory=_empty_ints)
    forward_subclass: Ints = field(default_factory=_empty_ints)
    cited_source: Ints = field(default_factory=_empty_ints)
    cited_subclass: Ints = field(default_factory=_empty_ints)
    own_source: Ints = field(default_factory=_empty_ints)
    own_subclass: Ints = field(default_factory=_empty_ints)

    @property
    def n(self) -> int:
        return int(self.patent_id.shape[0])

    @property
    def year(self) -> Ints:
        """Filing year, 0 unknown."""
        return self.filing // _YEAR_STEP


@dataclass(frozen=True)
class Valuation:
    """Everything computed for a corpus: raw ``values`` per indicator (NaN unknown), and for
    each cohort indicator its ``percentiles``, the cohort ``levels`` used (-1 none) and the
    cohort ``sizes``; ``scores[purpose][dimension or "total"]`` with ``coverage`` alike."""

    values: Mapping[str, Floats]
    percentiles: Mapping[str, Floats]
    levels: Mapping[str, Ints]
    sizes: Mapping[str, Ints]
    scores: Mapping[Purpose, Mapping[str, Floats]]
    coverage: Mapping[Purpose, Mapping[str, Floats]]


def ymd(day: dt.date | None) -> int:
    return day.year * 10_000 + day.month * 100 + day.day if day else 0


def day_number(day: dt.date | None) -> float:
    return float(day.toordinal()) if day else np.nan


def _opt(value: float | int | None) -> float:
    return np.nan if value is None else float(value)


def columns_from_facts(patents: Sequence[PatentFacts]) -> FactColumns:
    """Columns of per-patent facts (tests, the per-patent benchmark, small batches)."""
    names = sorted(
        {s for p in patents for s in p.subclasses}
        | {c.subclass for p in patents for c in (p.forward or ()) if c.subclass}
        | {s for p in patents for s in p.cited_subclasses if s}
    )
    code = {name: index for index, name in enumerate(names)}
    index = {p.patent_id: i for i, p in enumerate(patents)}
    forward = [(index[p.patent_id], c) for p in patents for c in (p.forward or ())]
    cited = [(index[p.patent_id], s) for p in patents for s in p.cited_subclasses]
    own = [(index[p.patent_id], s) for p in patents for s in p.subclasses]
    return FactColumns(
        patent_id=np.array([p.patent_id for p in patents], dtype=np.int64),
        filing=np.array([ymd(p.application_date) for p in patents], dtype=np.int64),
        publication=np.array([ymd(p.publication_date) for p in patents], dtype=np.int64),
        filing_day=np.array([day_number(p.application_date) for p in patents]),
        grant_day=np.array([day_number(p.grant_date) for p in patents]),
        expiry_day=np.array([day_number(p.expiry) for p in patents]),
        status=np.array(
            [STATUS_CODES.index(p.status) if p.status else -1 for p in patents], dtype=np.int64
        ),
        subclass=np.array([p.main_subclass or "" for p in patents], dtype=np.str_),
        claims=np.array([_opt(p.claims_count or None) for p in patents]),
        scope=np.array([_opt(len(p.subclasses) or None) for p in patents]),
        backward=np.array([_opt(p.backward) for p in patents]),
        family_size=np.array([_opt(p.family_size) for p in patents]),
        family_offices=np.array(
            [
                _opt(None if p.family_offices is None else len(set(p.family_offices)))
                for p in patents
            ]
        ),
        transactions=np.array([_opt(p.transactions) for p in patents]),
        disputes=np.array([_opt(p.disputes) for p in patents]),
        partly_invalidated=np.array(
            [
                _opt(None if p.partly_invalidated is None else int(p.partly_invalidated))
                for p in patents
            ]
        ),
        forward_known=np.array([p.forward is not None for p in patents], dtype=np.bool_),
        subclass_names=tuple(names),
        forward_target=np.array([i for i, _c in forward], dtype=np.int64),
        forward_date=np.array([ymd(c.date) for _i, c in forward], dtype=np.int64),
        forward_subclass=np.array(
            [code[c.subclass] if c.subclass else -1 for _i, c in forward], dtype=np.int64
        ),
        cited_source=np.array([i for i, _s in cited], dtype=np.int64),
        cited_subclass=np.array([code[s] if s else -1 for _i, s in cited], dtype=np.int64),
        own_source=np.array([i for i, _s in own], dtype=np.int64),
        own_subclass=np.array([code[s] for _i, s in own], dtype=np.int64),
    )


# --- indicators ------------------------------------------------------------------------------


def indicator_columns(facts: FactColumns, as_of: dt.date, window_years: int) -> dict[str, Floats]:
    """Every indicator as an array, NaN where the reference returns Unknown."""
    known_status = facts.status >= 0
    status = np.where(known_status, facts.status, 0)
    ended = known_status & _STATUS_ENDED[status]
    today = float(as_of.toordinal())
    with np.errstate(invalid="ignore", divide="ignore"):
        term = facts.expiry_day - facts.filing_day
        share = np.clip((facts.expiry_day - today) / term, 0.0, 1.0) * 100.0
        remaining_term = np.where(term > 0, share, np.nan)
        left_years = np.maximum((facts.expiry_day - today) / DAYS_PER_YEAR, 0.0)
        lag = facts.grant_day - facts.filing_day
    invalidated = known_status & (facts.status == _INVALIDATED)
    return {
        "legal_status": np.where(known_status, _STATUS_SCORE[status], np.nan),
        "remaining_term": np.where(ended, 0.0, remaining_term),
        "invalidation": np.where(
            invalidated, 0.0, np.where(facts.partly_invalidated == 1.0, 50.0, 100.0)
        )
        * np.where(invalidated | ~np.isnan(facts.partly_invalidated), 1.0, np.nan),
        "claims": facts.claims,
        "forward_citations": _forward_citations(facts, window_years),
        "backward_citations": facts.backward,
        "scope": facts.scope,
        "generality": np.where(
            facts.forward_known,
            _herfindahl_complement(facts.n, facts.forward_target, facts.forward_subclass),
            np.nan,
        ),
        "originality": np.where(
            np.isnan(facts.backward),
            np.nan,
            _herfindahl_complement(facts.n, facts.cited_source, facts.cited_subclass),
        ),
        "radicalness": _radicalness(facts),
        "grant_lag": np.where(lag >= 0, lag / DAYS_PER_YEAR, np.nan),
        "family_size": facts.family_size,
        "family_offices": facts.family_offices,
        "transactions": facts.transactions,
        "disputes": facts.disputes,
        "remaining_years": np.where(ended, 0.0, left_years),
        "age_years": np.maximum((today - facts.filing_day) / DAYS_PER_YEAR, 0.0),
    }


def _forward_citations(facts: FactColumns, window_years: int) -> Floats:
    target = facts.forward_target
    start = np.where(facts.publication > 0, facts.publication, facts.filing)[target]
    end = start + window_years * _YEAR_STEP
    counted = (start == 0) | (facts.forward_date == 0) | (facts.forward_date <= end)
    counts = np.bincount(target, weights=counted.astype(np.float64), minlength=facts.n)
    return np.where(facts.forward_known, counts, np.nan)


def _herfindahl_complement(n: int, owner: Ints, subclass: Ints) -> Floats:
    """1 - Σ (n_j/N)² over each owner's classified entries; NaN with fewer than 2."""
    classified = subclass >= 0
    owner, subclass = owner[classified], subclass[classified]
    width = int(subclass.max()) + 1 if subclass.size else 1
    keys, counts = np.unique(owner * width + subclass, return_counts=True)
    owners = keys // width
    total = np.bincount(owners, weights=counts.astype(np.float64), minlength=n)
    squares = np.bincount(owners, weights=counts.astype(np.float64) ** 2, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 1.0 - squares / total**2
    return np.where(total >= 2, value, np.nan)


def _radicalness(facts: FactColumns) -> Floats:
    classified = facts.cited_subclass >= 0
    source, subclass = facts.cited_source[classified], facts.cited_subclass[classified]
    width = max(len(facts.subclass_names), 1)
    own = np.isin(source * width + subclass, facts.own_source * width + facts.own_subclass)
    cited = np.bincount(source, minlength=facts.n).astype(np.float64)
    foreign = np.bincount(source, weights=(~own).astype(np.float64), minlength=facts.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = foreign / cited
    return np.where(np.isnan(facts.backward) | np.isnan(facts.scope) | (cited == 0), np.nan, share)


def unknown_reasons(
    facts: FactColumns, values: Mapping[str, Floats]
) -> dict[str, NDArray[np.int8]]:
    """Why each unknown value is unknown: the index in ``REASON_KEYS`` of the reference's
    ``Unknown.reason`` for every NaN of ``values`` (-1 where the value is known), decided in
    the same order as the reference. Small integers, not strings: at a million patents string
    arrays cost seconds."""
    no_status = facts.status < 0
    status = np.where(no_status, 0, facts.status)
    ended = ~no_status & _STATUS_ENDED[status]
    invalidated = ~no_status & (facts.status == _INVALIDATED)
    no_expiry = np.isnan(facts.expiry_day)
    no_filing = np.isnan(facts.filing_day)
    no_backward = np.isnan(facts.backward)
    no_scope = np.isnan(facts.scope)
    no_forward = ~facts.forward_known
    rules: dict[str, list[tuple[NDArray[np.bool_], str]]] = {
        "legal_status": [(no_status, "no_status")],
        "remaining_term": [(~ended & (no_expiry | no_filing), "no_term")],
        "invalidation": [(~invalidated & np.isnan(facts.partly_invalidated), "no_events")],
        "claims": [(np.isnan(facts.claims), "no_claims")],
        "forward_citations": [(no_forward, "no_citing_data")],
        "backward_citations": [(no_backward, "no_references")],
        "scope": [(no_scope, "no_class")],
        "generality": [(no_forward, "no_citing_data")],
        "originality": [(no_backward, "no_references")],
        "radicalness": [(no_backward, "no_references"), (no_scope, "no_class")],
        "grant_lag": [(np.isnan(facts.grant_day), "not_granted"), (no_filing, "no_date")],
        "family_size": [(np.isnan(facts.family_size), "no_family")],
        "family_offices": [(np.isnan(facts.family_offices), "no_family")],
        "transactions": [(np.isnan(facts.transactions), "no_events")],
        "disputes": [(np.isnan(facts.disputes), "no_events")],
        "remaining_years": [(~ended & no_expiry, "no_term")],
        "age_years": [(no_filing, "no_date")],
    }
    otherwise = {
        "remaining_term": "bad_dates",
        "generality": "few_citing",
        "originality": "few_cited",
        "radicalness": "no_cited",
        "grant_lag": "bad_dates",
    }
    reasons: dict[str, NDArray[np.int8]] = {}
    for name, column in values.items():
        code = np.full(column.shape[0], -1, dtype=np.int8)
        unknown = np.isnan(column)
        fallback = otherwise.get(name)
        if fallback is not None:
            code[unknown] = REASON_KEYS.index(fallback)
        for condition, reason in reversed(rules[name]):  # the first rule that holds wins
            code[unknown & condition] = REASON_KEYS.index(reason)
        reasons[name] = code
    return reasons


# --- cohorts -------------------------------------------------------------------------------


def cohort_keys(facts: FactColumns) -> list[Ints]:
    """One group key per patent for each ``Level`` (-1 where the patent lacks its parts)."""
    year = facts.year
    has_year = year > 0
    has_class = has_year & (np.char.str_len(facts.subclass) > 0)
    keys = []
    for width in (4, 3, 1):
        prefixes = np.char.ljust(facts.subclass, 4).astype("<U4").astype(f"<U{width}")
        _names, codes = np.unique(prefixes, return_inverse=True)
        keys.append(np.where(has_class, codes.astype(np.int64) * _YEAR_STEP + year, -1))
    keys.append(np.where(has_year, year, -1))
    keys.append(np.zeros(facts.n, dtype=np.int64))
    return keys


def cohort_percentiles(
    values: Floats, keys: Sequence[Ints], *, higher_is_better: bool, min_size: int
) -> tuple[Floats, Ints, Ints]:
    """Each patent's mid-rank percentile in the narrowest cohort with ``min_size`` known
    values, the level used (-1 none) and that cohort's size (0 none).

    One stable sort per level of (cohort, value) composite keys; runs of equal keys and of
    equal cohorts then give every member's values below, equal and above in linear passes.
    (Looking each patent up with ``searchsorted`` costs the same in theory, but its random
    reads into a million-row array made it five times slower at 1.4 million patents.)"""
    n = values.shape[0]
    known = ~np.isnan(values)
    level = np.full(n, -1, dtype=np.int64)
    size = np.zeros(n, dtype=np.int64)
    result = np.full(n, np.nan)
    if not known.any():
        return result, level, size
    _distinct, rank = np.unique(np.where(known, values, 0.0), return_inverse=True)
    rank = rank.astype(np.int64).reshape(n)
    span = int(rank.max()) + 2
    for index, key in enumerate(keys):
        waiting = known & (key >= 0) & (level < 0)
        if not waiting.any():
            continue
        # only the cohorts some patent still waits for (after the narrowest level, a few)
        wanted = np.unique(key[waiting])
        pool = np.flatnonzero(known & (key >= 0) & _isin(key, wanted))
        composite = key[pool] * span + rank[pool]
        order = np.argsort(composite, kind="stable")
        ordered = composite[order]
        run_start, run_end = _runs(ordered)
        group_start, group_end = _runs(ordered // span)
        members = group_end - group_start
        chosen = (level[pool[order]] < 0) & (members >= min_size)
        at = pool[order][chosen]
        level[at] = index
        size[at] = members[chosen]
        below = (run_start - group_start)[chosen]
        above = (group_end - run_end)[chosen]
        equal = (run_end - run_start)[chosen]
        beaten = below if higher_is_better else above
        result[at] = 100.0 * (beaten + 0.5 * equal) / members[chosen]
    return result, level, size


def _isin(key: Ints, wanted: Ints) -> NDArray[np.bool_]:
    """``np.isin`` by a lookup table (keys are small non-negative integers; -1 never wanted)."""
    table = np.zeros(int(max(key.max(initial=0), wanted.max(initial=0))) + 2, dtype=bool)
    table[wanted] = True
    return table[np.where(key >= 0, key, table.size - 1)]


def _runs(ordered: Ints) -> tuple[Ints, Ints]:
    """For each position of a sorted array, where its run of equal values starts and ends."""
    n = ordered.size
    starts_run = np.ones(n, dtype=bool)
    starts_run[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(starts_run)
    ends = np.append(starts[1:], n)
    run = np.cumsum(starts_run) - 1
    return starts[run], ends[run]


# --- scores --------------------------------------------------------------------------------


def _weighted(
    pairs: list[tuple[float, Floats]], min_coverage: float, n: int
) -> tuple[Floats, Floats]:
    total = np.zeros(n)
    coverage = np.zeros(n)
    for weight, score in pairs:
        known = ~np.isnan(score)
        total += np.where(known, weight * score, 0.0)
        coverage += np.where(known, weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / coverage
    usable = (coverage + COVERAGE_TOLERANCE >= min_coverage) & (coverage > 0)
    return np.where(usable, np.clip(mean, 0.0, 100.0), np.nan), coverage


def value_corpus(facts: FactColumns, weights: WeightSet, as_of: dt.date) -> Valuation:
    """Indicators, cohort placements and every purpose's scores for the whole corpus."""
    values = indicator_columns(facts, as_of, weights.forward_window_years)
    keys = cohort_keys(facts)
    percentiles: dict[str, Floats] = {}
    levels: dict[str, Ints] = {}
    sizes: dict[str, Ints] = {}
    scored: dict[str, Floats] = {}
    for indicator in INDICATORS:
        if indicator.scale is Scale.COHORT:
            pct, level, size = cohort_percentiles(
                values[indicator.name],
                keys,
                higher_is_better=indicator.higher_is_better,
                min_size=weights.min_cohort,
            )
            percentiles[indicator.name], levels[indicator.name] = pct, level
            sizes[indicator.name] = size
            scored[indicator.name] = pct
        elif indicator.scale is Scale.ABSOLUTE:
            scored[indicator.name] = np.clip(values[indicator.name], 0.0, 100.0)
    scores: dict[Purpose, dict[str, Floats]] = {}
    coverage: dict[Purpose, dict[str, Floats]] = {}
    for purpose, purpose_weights in weights.purposes.items():
        scores[purpose], coverage[purpose] = {}, {}
        dimension_scores = []
        for dimension in purpose_weights.dimensions:
            score, known = _weighted(
                [(w, scored[name]) for name, w in dimension.indicators],
                weights.min_coverage,
                facts.n,
            )
            scores[purpose][dimension.dimension.value] = score
            coverage[purpose][dimension.dimension.value] = known
            dimension_scores.append((dimension.weight, score))
        total, known = _weighted(dimension_scores, weights.min_coverage, facts.n)
        scores[purpose]["total"], coverage[purpose]["total"] = total, known
    return Valuation(values, percentiles, levels, sizes, scores, coverage)


COHORT_INDICATORS: Final = tuple(i.name for i in INDICATORS if i.scale is Scale.COHORT)

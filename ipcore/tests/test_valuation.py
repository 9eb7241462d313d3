"""Value indicators, cohorts, weights, scores and explanations (ipcore.valuation), and the
whole-corpus numpy path checked against the per-patent reference on random corpora."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipcore.valuation import cohorts, explain, indicators
from ipcore.valuation.cohorts import Cohort, Level, Placement, cohorts_of, percentile, place
from ipcore.valuation.columns import (
    REASON_KEYS,
    columns_from_facts,
    unknown_reasons,
    value_corpus,
)
from ipcore.valuation.facts import Citing, PatentFacts, presumed_expiry, presumed_status
from ipcore.valuation.indicators import INDICATORS, Params, Scale, Unknown, measure_all
from ipcore.valuation.scores import score_patent
from ipcore.valuation.weights import (
    Dimension,
    Purpose,
    WeightsError,
    current_weights,
    parse_weights,
    weight_sets,
    weights_version,
)

AS_OF = dt.date(2026, 1, 1)
PARAMS = Params(AS_OF)


def patent(pk: int = 1, **changes: object) -> PatentFacts:
    base = PatentFacts(
        patent_id=pk,
        office="CN",
        document_type="invention",
        application_date=dt.date(2015, 3, 1),
        publication_date=dt.date(2016, 9, 1),
        grant_date=dt.date(2018, 3, 1),
        claims_count=10,
        subclasses=("H01M", "H01L"),
        status="in_force",
        expiry=dt.date(2035, 3, 1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# --- indicators ----------------------------------------------------------------------------


def test_no_data_is_unknown_never_zero() -> None:
    bare = PatentFacts(patent_id=1, office="US", document_type="invention")
    values = measure_all(bare, PARAMS)
    for name, value in values.items():
        assert isinstance(value, Unknown), f"{name} = {value!r} for a record with no data"
        assert value.message("zh") and value.message("en")


def test_claims_and_scope() -> None:
    assert indicators.claims(patent(), PARAMS) == 10.0
    assert indicators.claims(patent(claims_count=0), PARAMS) == Unknown("no_claims")
    assert indicators.scope(patent(), PARAMS) == 2.0
    assert indicators.scope(patent(subclasses=()), PARAMS) == Unknown("no_class")


def test_forward_citations_within_five_years_of_publication() -> None:
    citing = (
        Citing(dt.date(2021, 9, 1), "H01M"),  # the 5th anniversary: counted
        Citing(dt.date(2021, 9, 2), "H01M"),  # a day late
        Citing(None, "G06F"),  # no date: cannot be excluded, counted
    )
    assert indicators.forward_citations(patent(forward=citing), PARAMS) == 2.0
    no_dates = patent(forward=citing, publication_date=None, application_date=None)
    assert indicators.forward_citations(no_dates, PARAMS) == 3.0
    assert indicators.forward_citations(patent(forward=()), PARAMS) == 0.0  # measured zero
    assert indicators.forward_citations(patent(forward=None), PARAMS) == Unknown("no_citing_data")


def test_forward_window_from_29_february() -> None:
    leap = patent(publication_date=dt.date(2016, 2, 29))
    on_28 = replace(leap, forward=(Citing(dt.date(2021, 2, 28), None),))
    on_1 = replace(leap, forward=(Citing(dt.date(2021, 3, 1), None),))
    assert indicators.forward_citations(on_28, PARAMS) == 1.0
    assert indicators.forward_citations(on_1, PARAMS) == 0.0


def test_generality_originality_radicalness() -> None:
    citing = tuple(Citing(None, s) for s in ("H01M", "H01M", "G06F", "A61K"))
    assert indicators.generality(patent(forward=citing), PARAMS) == pytest.approx(
        1 - (0.5**2 + 0.25**2 + 0.25**2)
    )
    one = patent(forward=(Citing(None, "H01M"), Citing(None, None)))
    assert indicators.generality(one, PARAMS) == Unknown("few_citing")
    cited = patent(backward=5, cited_subclasses=("H01M", "G06F", "G06F", None))
    assert indicators.originality(cited, PARAMS) == pytest.approx(1 - (1 / 9 + 4 / 9))
    assert indicators.radicalness(cited, PARAMS) == pytest.approx(2 / 3)
    assert indicators.originality(replace(cited, backward=None), PARAMS) == Unknown("no_references")
    assert indicators.radicalness(patent(backward=3, cited_subclasses=()), PARAMS) == Unknown(
        "no_cited"
    )


def test_legal_indicators() -> None:
    assert indicators.legal_status(patent(), PARAMS) == 100.0
    assert indicators.legal_status(patent(status="pending"), PARAMS) == 50.0
    assert indicators.legal_status(patent(status="lapsed"), PARAMS) == 0.0
    assert indicators.legal_status(patent(status=None), PARAMS) == Unknown("no_status")
    half = patent(application_date=dt.date(2016, 1, 1), expiry=dt.date(2036, 1, 1))
    assert indicators.remaining_term(half, PARAMS) == pytest.approx(50.0, abs=0.1)
    assert indicators.remaining_term(patent(status="expired"), PARAMS) == 0.0
    assert indicators.remaining_term(patent(expiry=None), PARAMS) == Unknown("no_term")
    assert indicators.remaining_years(half, PARAMS) == pytest.approx(10.0, abs=0.01)
    assert indicators.invalidation(patent(), PARAMS) == Unknown("no_events")
    assert indicators.invalidation(patent(partly_invalidated=False), PARAMS) == 100.0
    assert indicators.invalidation(patent(partly_invalidated=True), PARAMS) == 50.0
    assert indicators.invalidation(patent(status="invalidated"), PARAMS) == 0.0


def test_grant_lag_and_economic_indicators() -> None:
    assert indicators.grant_lag(patent(), PARAMS) == pytest.approx(3.0, abs=0.01)
    assert indicators.grant_lag(patent(grant_date=None), PARAMS) == Unknown("not_granted")
    early = patent(grant_date=dt.date(2014, 1, 1))
    assert indicators.grant_lag(early, PARAMS) == Unknown("bad_dates")
    assert indicators.family_size(patent(), PARAMS) == Unknown("no_family")
    family = patent(family_size=3, family_offices=("CN", "US", "US"))
    assert indicators.family_size(family, PARAMS) == 3.0
    assert indicators.family_offices(family, PARAMS) == 2.0
    assert indicators.transactions(patent(transactions=0), PARAMS) == 0.0
    assert indicators.disputes(patent(), PARAMS) == Unknown("no_events")
    assert indicators.disputes(patent(disputes=0), PARAMS) == 0.0
    assert indicators.disputes(patent(disputes=2), PARAMS) == 2.0


def test_presumed_status_of_records_outside_cn_rules() -> None:
    old = {"office": "US", "document_type": "invention", "application_date": dt.date(2004, 6, 1)}
    assert presumed_status(**old, as_of=AS_OF) == "expired"  # type: ignore[arg-type]
    assert presumed_expiry(**old) == dt.date(2024, 6, 1)  # type: ignore[arg-type]
    recent = old | {"application_date": dt.date(2016, 6, 1)}
    assert presumed_status(**recent, as_of=AS_OF) is None  # type: ignore[arg-type]
    assert presumed_expiry(office="CN", document_type="invention", application_date=None) is None
    # a US design: 15 years from grant when filed from 2015-05-13, 14 before (35 U.S.C. 173)
    design = {"office": "US", "document_type": "design", "grant_date": dt.date(2018, 3, 6)}
    assert presumed_expiry(application_date=dt.date(2016, 1, 4), **design) == dt.date(2033, 3, 6)  # type: ignore[arg-type]
    assert presumed_expiry(application_date=dt.date(2014, 1, 4), **design) == dt.date(2032, 3, 6)  # type: ignore[arg-type]
    unknown_type = old | {"document_type": "unknown"}
    assert presumed_status(**unknown_type, as_of=AS_OF) is None  # type: ignore[arg-type]


def test_facts_refuse_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="legal status"):
        patent(status="alive")


# --- cohorts -------------------------------------------------------------------------------


def test_mid_rank_percentile() -> None:
    assert percentile(5.0, [5.0]) == 50.0
    assert percentile(3.0, [1.0, 2.0, 3.0, 4.0]) == pytest.approx(62.5)
    assert percentile(3.0, [1.0, 2.0, 3.0, 4.0], higher_is_better=False) == pytest.approx(37.5)
    assert percentile(2.0, [2.0, 2.0, 2.0]) == 50.0


def test_cohorts_widen_until_big_enough() -> None:
    measures: dict[int, indicators.Measure] = {}
    keys = {}
    for pk in range(30):  # 30 of H01M 2015, 5 of G06F 2015
        measures[pk] = float(pk)
        keys[pk] = cohorts_of("H01M", 2015)
    for pk in range(30, 35):
        measures[pk] = float(pk)
        keys[pk] = cohorts_of("G06F", 2015)
    measures[99] = Unknown("no_claims")
    keys[99] = cohorts_of("H01M", 2015)
    placed = place(measures, keys, higher_is_better=True, min_size=20)
    assert isinstance(placed[0], Placement)
    assert placed[0].cohort == Cohort(Level.SUBCLASS_YEAR, "H01M", 2015)
    assert placed[0].size == 30
    small = placed[30]
    assert isinstance(small, Placement)
    assert small.cohort == Cohort(Level.YEAR, None, 2015)  # G06F → G06 → G: too few each
    assert placed[99] == Unknown("no_claims")
    assert place(measures, keys, higher_is_better=True, min_size=100)[0] == Unknown("no_cohort")


def test_cohort_labels() -> None:
    assert Cohort(Level.SUBCLASS_YEAR, "H01M", 2015).label("zh") == "H01M 2015 年申请"
    assert Cohort(Level.CLASS_YEAR, "H01", 2015).label("en") == "class H01 2015 filings"
    assert cohorts_of(None, None) == (Cohort(Level.ALL),)
    assert [c.level for c in cohorts_of("H01M", None)] == [Level.ALL]


# --- weights -------------------------------------------------------------------------------

GOOD = """
version = "t1"
effective_from = 2025-01-01
[cohorts]
min_size = 5
forward_window_years = 5
[scores]
min_coverage = 0.5
""" + "".join(
    f"""
[purposes.{purpose}]
name_zh = "目的"
name_en = "Purpose"
[purposes.{purpose}.legal]
weight = 0.4
indicators = {{ legal_status = 0.5, claims = 0.5 }}
[purposes.{purpose}.technical]
weight = 0.3
indicators = {{ forward_citations = 0.6, scope = 0.4 }}
[purposes.{purpose}.economic]
weight = 0.3
indicators = {{ family_size = 1.0 }}
"""
    for purpose in Purpose
)


def test_committed_weights_load_and_sum_to_one() -> None:
    sets = weight_sets()
    assert sets, "no committed weights"
    scored = {i.name for i in INDICATORS if i.scale is not Scale.INFO}
    for weights in sets:
        assert weights_version(weights.version) is weights
        for purpose in Purpose:
            dimensions = weights.purposes[purpose].dimensions
            assert [d.dimension for d in dimensions] == list(Dimension)
            assert math.fsum(d.weight for d in dimensions) == pytest.approx(1.0)
            for dimension in dimensions:
                assert math.fsum(w for _n, w in dimension.indicators) == pytest.approx(1.0)
        assert set(weights.indicators()) <= scored
    # the newest version weighs every scored indicator; older ones stay as they were
    assert set(sets[-1].indicators()) == scored
    assert current_weights(dt.date.max) is sets[-1]
    with pytest.raises(KeyError):
        weights_version("no-such-version")


def test_parse_weights() -> None:
    weights = parse_weights(GOOD)
    assert weights.version == "t1"
    assert weights.min_cohort == 5
    legal = weights.purposes[Purpose.PLEDGE].dimension(Dimension.LEGAL)
    assert legal.weight == 0.4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("weight = 0.4", "weight = 0.5"), "dimension weights must sum to 1, not 1.1"),
        (("claims = 0.5", "claims = 0.4"), "indicator weights must sum to 1, not 0.9"),
        (("claims = 0.5", "charm = 0.5"), "unknown indicator charm"),
        (("claims = 0.5", "age_years = 0.5"), "age_years is shown, not scored"),
        (("family_size = 1.0", "claims = 1.0"), "claims is in both legal and economic"),
        (("min_coverage = 0.5", "min_coverage = 2"), "min_coverage must be above 0"),
        (("min_size = 5", "min_size = 0"), "min_size must be a positive whole number"),
        (("effective_from = 2025-01-01", 'effective_from = "soon"'), "effective_from"),
        (("[purposes.pledge]", "[purposes.pawn]"), "purposes must be exactly"),
        (("weight = 0.3", "weight = -0.3"), "weight is negative"),
        (('version = "t1"', "version = ["), "not valid TOML"),
    ],
)
def test_bad_weights_are_refused_saying_where(change: tuple[str, str], message: str) -> None:
    text = GOOD.replace(*change, 1)
    with pytest.raises(WeightsError) as caught:
        parse_weights(text, where="test.toml")
    assert message in str(caught.value)
    assert caught.value.message("zh").startswith("test.toml")


def test_a_sum_error_names_purpose_and_dimension() -> None:
    text = GOOD.replace("claims = 0.5", "claims = 0.4", 1)
    with pytest.raises(WeightsError) as caught:
        parse_weights(text, where="w.toml")
    assert "w.toml t1, licensing.legal" in str(caught.value)
    assert "之和须为 1，现为 0.9" in caught.value.message("zh")


# --- scores and explanations ---------------------------------------------------------------


def _scored(facts: PatentFacts, *, min_coverage: float = 0.5) -> object:
    weights = replace(parse_weights(GOOD), min_coverage=min_coverage)
    values = measure_all(facts, PARAMS)
    placements: dict[str, Placement | Unknown] = {
        "claims": Placement(95.0, Cohort(Level.SUBCLASS_YEAR, "H01M", 2015), 40),
        "forward_citations": Placement(12.0, Cohort(Level.SUBCLASS_YEAR, "H01M", 2015), 40),
        "scope": Placement(60.0, Cohort(Level.YEAR, None, 2015), 300),
    }
    return score_patent(values, placements, weights, Purpose.LICENSING)


def test_scores_renormalise_over_known_indicators() -> None:
    score = _scored(patent(forward=()))
    legal = score.dimension(Dimension.LEGAL)  # type: ignore[attr-defined]
    assert legal.score == pytest.approx((100 + 95) / 2)
    technical = score.dimension(Dimension.TECHNICAL)  # type: ignore[attr-defined]
    assert technical.score == pytest.approx(0.6 * 12 + 0.4 * 60)
    economic = score.dimension(Dimension.ECONOMIC)  # type: ignore[attr-defined]
    assert economic.score == Unknown("low_coverage")  # family size unknown: 0 % known
    assert economic.coverage == 0.0
    expected = (0.4 * 97.5 + 0.3 * (0.6 * 12 + 0.4 * 60)) / 0.7
    assert score.total == pytest.approx(expected)  # type: ignore[attr-defined]
    assert score.coverage == pytest.approx(0.7)  # type: ignore[attr-defined]


def test_too_little_known_weight_is_unknown() -> None:
    score = _scored(patent(forward=None, subclasses=()), min_coverage=0.5)
    technical = score.dimension(Dimension.TECHNICAL)  # type: ignore[attr-defined]
    assert isinstance(technical.score, Unknown)
    assert isinstance(score.total, Unknown)  # type: ignore[attr-defined]


def test_explanations_say_what_the_score_rests_on() -> None:
    score = _scored(patent(forward=()))
    zh = explain.explain(score, "zh-hans")  # type: ignore[arg-type]
    en = explain.explain(score, "en")  # type: ignore[arg-type]
    assert zh[0].startswith(
        "法律 98：法律状态有效；权利要求数 10 项，位于 H01M 2015 年申请的前 10%"
    )
    assert "技术 31：被引次数（5年内）0 次，位于 H01M 2015 年申请的后 25%" in zh[1]
    assert zh[2] == "经济 未知（仅 0% 的权重有数据）：未知：同族规模"
    assert zh[3].startswith("总分 ")
    assert "forward citations (5 years) 0, bottom 25% of H01M 2015 filings" in en[1]
    assert en[0].startswith("Legal 98: legal status in force; claims 10, top 10% of H01M 2015")


# --- the whole-corpus path agrees with the reference ----------------------------------------

SUBCLASSES = ("H01M", "H01L", "G06F", "A61K", "B64C")
dates = st.none() | st.dates(dt.date(2008, 1, 1), dt.date(2025, 12, 31))
counts = st.none() | st.integers(0, 30)


@st.composite
def corpora(draw: st.DrawFn) -> list[PatentFacts]:
    size = draw(st.integers(1, 60))
    patents = []
    for pk in range(size):
        filed = draw(dates)
        own = tuple(draw(st.lists(st.sampled_from(SUBCLASSES), max_size=3, unique=True)))
        patents.append(
            PatentFacts(
                patent_id=pk,
                office=draw(st.sampled_from(["CN", "US"])),
                document_type="invention",
                application_date=filed,
                publication_date=draw(dates),
                grant_date=draw(dates),
                claims_count=draw(counts),
                subclasses=own,
                family_size=draw(st.none() | st.integers(1, 6)),
                family_offices=draw(
                    st.none() | st.lists(st.sampled_from(["CN", "US", "EP"]), min_size=1).map(tuple)
                ),
                backward=draw(counts),
                cited_subclasses=tuple(
                    draw(st.lists(st.none() | st.sampled_from(SUBCLASSES), max_size=5))
                ),
                forward=draw(
                    st.none()
                    | st.lists(
                        st.builds(Citing, dates, st.none() | st.sampled_from(SUBCLASSES)),
                        max_size=6,
                    ).map(tuple)
                ),
                status=draw(
                    st.none() | st.sampled_from(["in_force", "pending", "lapsed", "invalidated"])
                ),
                expiry=draw(dates),
                transactions=draw(counts),
                disputes=draw(counts),
                partly_invalidated=draw(st.none() | st.booleans()),
            )
        )
    return patents


def _same(reference: object, vector: float) -> bool:
    if isinstance(reference, Unknown):
        return math.isnan(vector)
    return not math.isnan(vector) and vector == pytest.approx(reference, abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.integers(1, 8), st.sampled_from(list(Purpose)))
def test_columns_agree_with_the_reference(
    patents: list[PatentFacts], min_size: int, purpose: Purpose
) -> None:
    weights = replace(current_weights(AS_OF), min_cohort=min_size)
    columns = columns_from_facts(patents)
    valuation = value_corpus(columns, weights, AS_OF)
    reasons = unknown_reasons(columns, valuation.values)
    measured = {p.patent_id: measure_all(p, PARAMS) for p in patents}
    keys = {p.patent_id: cohorts.cohorts_of(p.main_subclass, p.filing_year) for p in patents}
    placements: dict[str, dict[int, Placement | Unknown]] = {}
    for indicator in INDICATORS:
        column = valuation.values[indicator.name]
        for i, p in enumerate(patents):
            reference = measured[p.patent_id][indicator.name]
            assert _same(reference, column[i]), indicator.name
            code = int(reasons[indicator.name][i])
            stated = REASON_KEYS[code] if code >= 0 else None
            expected = reference.reason if isinstance(reference, Unknown) else None
            assert stated == expected, indicator.name
        if indicator.scale is not Scale.COHORT:
            continue
        placements[indicator.name] = place(
            {p.patent_id: measured[p.patent_id][indicator.name] for p in patents},
            keys,
            higher_is_better=indicator.higher_is_better,
            min_size=min_size,
        )
        for i, p in enumerate(patents):
            placed = placements[indicator.name][p.patent_id]
            vector = valuation.percentiles[indicator.name][i]
            if isinstance(placed, Unknown):
                assert math.isnan(vector) and valuation.levels[indicator.name][i] == -1
            else:
                assert vector == pytest.approx(placed.percentile, abs=1e-9)
                assert valuation.levels[indicator.name][i] == placed.cohort.level
                assert valuation.sizes[indicator.name][i] == placed.size
    for i, p in enumerate(patents):
        score = score_patent(
            measured[p.patent_id],
            {name: placed[p.patent_id] for name, placed in placements.items()},
            weights,
            purpose,
        )
        for dimension in score.dimensions:
            vector = valuation.scores[purpose][dimension.dimension.value][i]
            assert _same(dimension.score, vector), dimension.dimension
            assert valuation.coverage[purpose][dimension.dimension.value][i] == pytest.approx(
                dimension.coverage
            )
        assert _same(score.total, valuation.scores[purpose]["total"][i])


@settings(max_examples=40, deadline=None)
@given(corpora())
def test_percentiles_and_scores_stay_in_range(patents: list[PatentFacts]) -> None:
    valuation = value_corpus(columns_from_facts(patents), current_weights(AS_OF), AS_OF)
    for column in [*valuation.percentiles.values()] + [
        s for purpose in valuation.scores.values() for s in purpose.values()
    ]:
        known = column[~np.isnan(column)]
        assert ((known >= 0) & (known <= 100)).all()

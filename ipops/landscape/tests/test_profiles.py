"""Organisation profiles (M&A evaluation) on real patents: finding an organisation by name,
its portfolio by type and standing, the landscape metrics over it, bounds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.http import Http404

from ipcore.landscape.results import MetricResult
from ipcore.landscape.standing import Basis
from ipcore.valuation.weights import Purpose
from ipops.corpus.evaluation import organisation_patent_ids
from ipops.errors import InvalidInput
from ipops.landscape import profiles
from ipops.landscape.profiles import find_organisations, organisation_profile
from ipops.landscape.tests.evaluation_corpus import load_evaluation_corpus
from ipops.valuation.queries import stored_values
from ipops.valuation.services import rescore_corpus

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 25)


@pytest.fixture
def indexed(tmp_path: Path) -> dict[str, int]:
    return load_evaluation_corpus(tmp_path, embed=False)


def parrot() -> int:
    (match,) = [m for m in find_organisations(None, "parrot") if m.name == "PARROT"]
    return match.id


def test_organisations_are_found_by_any_part_of_a_name_largest_first(indexed) -> None:  # type: ignore[no-untyped-def]
    found = find_organisations(None, "Parrot")
    assert [(m.name, m.patents) for m in found] == [("PARROT", 3), ("PARROT S A", 2)]
    assert "parrot" in found[0].spellings
    korea = find_organisations(None, "korea aerospace")
    assert [m.name for m in korea] == ["Korea Aerospace Research Institute"]
    assert find_organisations(None, "   ") == []
    assert find_organisations(None, "不存在的公司名称") == []


def test_the_profile_counts_every_patent_by_type_and_standing_with_its_basis(indexed) -> None:  # type: ignore[no-untyped-def]
    profile = organisation_profile(None, parrot(), as_of=ON)
    # CN102771201B and CN102844085B (granted, filed 2010) and EP2242552A2 (an application)
    assert (profile.name, profile.size, profile.home_office) == ("PARROT", 3, "CN")
    assert profile.standings == {"in_force": 2, "pending": 1, "ended": 0, "unknown": 0}
    assert profile.estimated == 1  # the EP application: no legal-status data
    by_type = profile.result("portfolio_standing")
    assert by_type is not None
    assert by_type.rows[-1] == ("total", "合计", "Total", 3, 2, 1, 0, 0, 1)
    basis = profile.result("standing_basis")
    assert basis is not None
    assert {row[0]: row[1] for row in basis.rows} == {
        Basis.CN_DATES.value: 2,
        Basis.ESTIMATED.value: 1,
    }
    reach = profile.result("family_reach")
    assert reach is not None
    figures = {row[0]: row[1] for row in reach.rows}
    assert (figures["offices"], figures["abroad_patents"]) == (2, 1)


def test_the_landscape_metrics_run_over_the_portfolio(indexed) -> None:  # type: ignore[no-untyped-def]
    profile = organisation_profile(None, parrot(), as_of=ON)
    names = [result.name for result in profile.report.results]
    assert names[:5] == [
        "family_reach",
        "portfolio_standing",
        "standing_basis",
        "portfolio_age",
        "value_distribution",
    ]
    assert set(profiles.PROFILE_METRICS) <= set(names)
    trend = profile.result("filing_trend")
    assert trend is not None and trend.applicable
    assert sum(row[1] for row in trend.rows) == 3  # type: ignore[misc]
    offices = profile.result("geography_office")
    assert offices is not None
    assert {row[0]: row[1] for row in offices.rows} == {"CN": 2, "EP": 1}
    owners = profile.result("top_owners")
    assert owners is not None and owners.title_en == "The organisation and its co-owners"
    life = profile.result("remaining_life")
    assert life is not None and life.applicable
    assert sum(row[1] for row in life.rows) == 2  # type: ignore[misc]


def test_value_scores_appear_once_the_corpus_is_scored(indexed) -> None:  # type: ignore[no-untyped-def]
    before = profile_values()
    assert not before.applicable and "ipops rescore" in before.note_en
    assert before.rows[-1][:2] == ("unknown", 3)
    rescore_corpus(actor=None)
    after = profile_values()
    stored = stored_values(organisation_patent_ids(parrot()), Purpose.LICENSING)
    totals = [total for total, _ in stored.values() if total is not None]
    assert len(stored) == 3 and totals  # the valuation scored them, some with a total
    counts = {str(row[0]): row[1] for row in after.rows}
    assert counts["unknown"] == 3 - len(totals)
    assert counts["80-100"] == sum(1 for total in totals if total >= 80)
    assert counts["0-20"] == sum(1 for total in totals if total < 20)
    assert after.applicable and after.extras["high_value"] == sum(
        1 for _, high in stored.values() if high
    )


def profile_values() -> MetricResult:
    values = organisation_profile(None, parrot(), as_of=ON).result("value_distribution")
    assert values is not None
    return values


def test_a_profile_as_of_an_earlier_day_leaves_out_later_filings(indexed) -> None:  # type: ignore[no-untyped-def]
    profile = organisation_profile(None, parrot(), as_of=dt.date(2010, 1, 1))
    # only EP2242552A2 (filed 2009-01-21) existed; it was a pending application then
    assert (profile.size, profile.standings["pending"]) == (1, 1)


def test_an_organisation_with_estimates_only_says_so(indexed) -> None:  # type: ignore[no-untyped-def]
    (korea,) = find_organisations(None, "Korea Aerospace Research Institute")
    profile = organisation_profile(None, korea.id, as_of=ON)
    assert (profile.size, profile.estimated, profile.home_office) == (1, 1, "US")
    life = profile.result("remaining_life")
    assert life is not None
    assert "estimated" in life.note_en and "估计" in life.note_zh


def test_too_large_and_unknown_organisations_are_refused(indexed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(profiles, "MAX_PROFILE", 2)
    with pytest.raises(InvalidInput) as raised:
        organisation_profile(None, parrot())
    assert raised.value.code == "profile_too_large"
    assert "--backend duckdb" in str(raised.value.message)
    with pytest.raises(Http404):
        organisation_profile(None, 10**9)
    with pytest.raises(InvalidInput):
        find_organisations(None, "x" * 201)

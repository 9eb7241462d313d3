"""Standing on a day, at any office: CN from its legal status, elsewhere an estimate that
says so. The records are real ones from the demo corpus (numbers and dates as published)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.landscape.standing import (
    BASIS_LABELS,
    STANDING_LABELS,
    Basis,
    PatentStanding,
    Standing,
    TermFacts,
    cn_standing,
    estimated_expiry,
    estimated_standing,
)
from ipcore.legal_status import Status

D = dt.date
ON = D(2026, 11, 25)


def us(kind: str, filed: dt.date, granted: dt.date | None, **more: object) -> TermFacts:
    return TermFacts("US", kind, filed, granted, **more)  # type: ignore[arg-type]


def test_a_granted_us_patent_is_in_force_for_20_years_from_filing_by_estimate() -> None:
    # US11342757B2, filed 2021-09-20, granted 2022-05-24
    standing = estimated_standing(us("invention", D(2021, 9, 20), D(2022, 5, 24)), ON)
    assert standing == PatentStanding(
        Standing.IN_FORCE, Basis.ESTIMATED, Status.IN_FORCE, D(2041, 9, 20)
    )
    assert standing.estimated
    assert standing.remaining_years(ON) == 14.8


def test_a_us_patent_past_its_term_has_ended() -> None:
    # US6299926A (Black tea manufacture), filed 2000-05-02, granted 2001-10-09
    standing = estimated_standing(us("invention", D(2000, 5, 2), D(2001, 10, 9)), ON)
    assert (standing.standing, standing.status, standing.expiry) == (
        Standing.ENDED,
        Status.EXPIRED,
        D(2020, 5, 2),
    )
    assert standing.remaining_years(ON) is None


def test_before_1995_06_08_the_longer_of_17_years_from_grant_and_20_from_filing() -> None:
    # US4005818A, filed 1945-05-11, granted 1977-02-01: 17 years from grant is the longer
    facts = us("invention", D(1945, 5, 11), D(1977, 2, 1))
    assert estimated_expiry(facts) == D(1994, 2, 1)
    assert estimated_standing(facts, D(1990, 1, 1)).standing is Standing.IN_FORCE
    assert estimated_standing(facts, D(1994, 2, 1)).standing is Standing.ENDED


def test_us_designs_count_from_grant_14_or_15_years_by_filing_date() -> None:
    # USD947829S1 filed 2020-09-28, granted 2022-04-05;
    # USD369287S filed 1994-07-18, granted 1996-04-30
    assert estimated_expiry(us("design", D(2020, 9, 28), D(2022, 4, 5))) == D(2037, 4, 5)
    assert estimated_expiry(us("design", D(1994, 7, 18), D(1996, 4, 30))) == D(2010, 4, 30)
    # an application whose term counts from a grant that has not come has no end yet
    pending = estimated_standing(us("design", D(2020, 9, 28), None), ON)
    assert (pending.standing, pending.expiry) == (Standing.PENDING, None)


def test_a_published_application_is_pending_until_its_term_could_no_longer_run() -> None:
    # US2014153402A1, filed 2014-02-10, no grant on record
    facts = us("invention", D(2014, 2, 10), None)
    pending = estimated_standing(facts, ON)
    assert (pending.standing, pending.basis, pending.status) == (
        Standing.PENDING,
        Basis.ESTIMATED,
        Status.PENDING,
    )
    assert pending.remaining_years(ON) == 7.2  # at most, if granted
    ended = estimated_standing(facts, D(2034, 2, 10))
    assert (ended.standing, ended.status) == (Standing.ENDED, None)


def test_a_grant_after_the_day_asked_about_is_not_yet_a_grant() -> None:
    facts = us("invention", D(2021, 9, 20), D(2022, 5, 24))
    assert estimated_standing(facts, D(2022, 5, 23)).standing is Standing.PENDING
    assert estimated_standing(facts, D(2022, 5, 24)).standing is Standing.IN_FORCE


def test_other_offices_fall_back_to_the_general_rows() -> None:
    # EP2889212B1 filed 2014-12-30 granted 2016-01-06; DE202007002972U1 filed 2007-02-27
    ep = estimated_standing(TermFacts("EP", "invention", D(2014, 12, 30), D(2016, 1, 6)), ON)
    assert (ep.standing, ep.expiry) == (Standing.IN_FORCE, D(2034, 12, 30))
    de = TermFacts("DE", "utility_model", D(2007, 2, 27), D(2007, 5, 24))
    assert estimated_standing(de, ON).standing is Standing.ENDED
    assert estimated_standing(de, D(2010, 1, 1)).expiry == D(2017, 2, 27)
    # DE2235942A1: no type on record, read as an invention
    unknown = TermFacts("DE", "unknown", D(1972, 7, 21), None)
    assert estimated_standing(unknown, ON).standing is Standing.ENDED


def test_no_rule_or_no_date_is_unknown_never_in_force() -> None:
    design_abroad = TermFacts("EP", "design", D(2020, 1, 1), D(2021, 1, 1))
    assert estimated_standing(design_abroad, ON) == PatentStanding(Standing.UNKNOWN, Basis.NONE)
    undated = TermFacts("US", "invention", None, D(2021, 1, 1))
    assert estimated_standing(undated, ON) == PatentStanding(Standing.UNKNOWN, Basis.NONE)


def test_an_international_application_is_never_a_right() -> None:
    # WO2023012807A1: filed 2022-08-05, priority 2021-08-06 → national phase by 2024-02-06
    wo = TermFacts("WO", "invention", D(2022, 8, 5), None, D(2021, 8, 6))
    assert estimated_standing(wo, D(2024, 2, 5)).standing is Standing.PENDING
    assert estimated_standing(wo, D(2024, 2, 6)) == PatentStanding(Standing.ENDED, Basis.ESTIMATED)
    assert estimated_expiry(wo) is None


def test_a_day_before_filing_is_refused() -> None:
    with pytest.raises(ValueError, match="before the filing date"):
        estimated_standing(us("invention", D(2021, 9, 20), None), D(2021, 9, 19))


@pytest.mark.parametrize(
    ("status", "events", "expected"),
    [
        (Status.IN_FORCE, True, (Standing.IN_FORCE, Basis.CN_EVENTS)),
        (Status.PENDING, False, (Standing.PENDING, Basis.CN_DATES)),
        (Status.LAPSED, True, (Standing.ENDED, Basis.CN_EVENTS)),
        (Status.EXPIRED, False, (Standing.ENDED, Basis.CN_DATES)),
        ("invalidated", True, (Standing.ENDED, Basis.CN_EVENTS)),
        (None, True, (Standing.UNKNOWN, Basis.NONE)),
    ],
)
def test_cn_standing_follows_the_cn_status(
    status: Status | str | None, events: bool, expected: tuple[Standing, Basis]
) -> None:
    standing = cn_standing(status, D(2029, 3, 25), events_known=events, on=ON)
    assert (standing.standing, standing.basis) == expected


def test_a_cn_application_past_its_term_no_longer_stands() -> None:
    # CN1047187A (drone pupae), filed 1989-05-18, never granted, no legal events on record:
    # the CN rules keep it "pending"; no right can arise on it after 2009-05-18
    standing = cn_standing(Status.PENDING, D(2009, 5, 18), events_known=False, on=ON)
    assert (standing.standing, standing.status) == (Standing.ENDED, Status.PENDING)
    before = cn_standing(Status.PENDING, D(2009, 5, 18), events_known=False, on=D(2009, 5, 17))
    assert before.standing is Standing.PENDING


def test_every_standing_and_basis_has_both_labels() -> None:
    assert set(STANDING_LABELS) == set(Standing)
    assert set(BASIS_LABELS) == set(Basis)
    assert all(zh and en for zh, en in [*STANDING_LABELS.values(), *BASIS_LABELS.values()])


@given(
    filed=st.dates(D(1980, 1, 1), D(2030, 1, 1)),
    lag=st.integers(0, 4000),
    later=st.integers(0, 20000),
    office=st.sampled_from(["US", "EP", "JP", "KR", "DE"]),
    kind=st.sampled_from(["invention", "utility_model", "unknown", "plant"]),
)
def test_an_estimate_is_in_force_exactly_between_grant_and_expiry(
    filed: dt.date, lag: int, later: int, office: str, kind: str
) -> None:
    granted = filed + dt.timedelta(days=lag)
    on = filed + dt.timedelta(days=later)
    facts = TermFacts(office, kind, filed, granted)
    standing = estimated_standing(facts, on)
    expiry = estimated_expiry(facts)
    if standing.standing is Standing.UNKNOWN:
        assert expiry is None
        return
    assert expiry is not None
    assert standing.basis is Basis.ESTIMATED
    assert (standing.standing is Standing.IN_FORCE) == (granted <= on < expiry)
    remaining = standing.remaining_years(on)
    assert remaining is None or 0 <= remaining <= 21

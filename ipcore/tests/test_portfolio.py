"""The profile-only results: standing by type with its basis, age, family reach. Holdings are
real patents of the demo corpus (numbers in the comments), standings as the rules give them."""

from __future__ import annotations

import datetime as dt

from ipcore.landscape.portfolio import (
    Holding,
    ScoredPatent,
    family_reach,
    home_office,
    portfolio_age,
    standing_basis,
    standing_by_type,
    value_distribution,
)
from ipcore.landscape.screening import description_terms, matching_words
from ipcore.landscape.standing import (
    Basis,
    PatentStanding,
    Standing,
    TermFacts,
    cn_standing,
    estimated_standing,
)

D = dt.date
ON = D(2026, 11, 25)


def holding(pk: int, office: str, kind: str, filed: dt.date | None, standing: PatentStanding,
            family: str | None = None, offices: int = 1) -> Holding:  # fmt: skip
    return Holding(pk, office, kind, filed, family, offices, standing)


PARROT = [
    # CN102771201B, filed 2010-10-15, granted (CN rules over dates, no events on record)
    holding(1, "CN", "invention", D(2010, 10, 15),
            cn_standing("in_force", D(2030, 10, 15), events_known=False, on=ON), "F1", 3),
    # EP2393199A1, filed 2011-05-30, no grant on record: pending until its term would end
    holding(2, "EP", "invention", D(2011, 5, 30),
            estimated_standing(TermFacts("EP", "invention", D(2011, 5, 30), None), ON), "F2", 2),
    # CN204864958U (a drone), filed 2015-04-22: a utility model's 10 years are over
    holding(3, "CN", "utility_model", D(2015, 4, 22),
            cn_standing("expired", D(2025, 4, 22), events_known=False, on=ON)),
    # a record without dates: nothing to say
    holding(4, "CN", "utility_model", None, cn_standing(None, None, events_known=False, on=ON)),
]  # fmt: skip


def test_standing_by_type_counts_each_class_and_the_estimates() -> None:
    result = standing_by_type(PARROT)
    rows = {row[0]: row[3:] for row in result.rows}
    # patents, in force, pending, ended, unknown, of which estimated
    assert rows["invention"] == (2, 1, 1, 0, 0, 1)
    assert rows["utility_model"] == (2, 0, 0, 1, 1, 0)
    assert rows["total"] == (4, 1, 1, 1, 1, 1)
    assert [column.name for column in result.columns][4:8] == [s.value for s in Standing]


def test_the_basis_of_every_standing_is_counted() -> None:
    result = standing_basis(PARROT)
    counts = {row[0]: row[1] for row in result.rows}
    assert counts == {Basis.CN_DATES.value: 2, Basis.ESTIMATED.value: 1, Basis.NONE.value: 1}
    assert sum(row[2] for row in result.rows) == 1.0  # type: ignore[misc]


def test_age_is_whole_years_since_filing_with_the_undated_left_out() -> None:
    result = portfolio_age(PARROT, ON)
    counts = {row[0]: row[1] for row in result.rows}
    assert counts["16-20"] == 1  # filed 2010-10-15: 16 years
    assert counts["11-15"] == 2  # filed 2011-05-30 and 2015-04-22: 15 and 11 years
    assert counts["6-10"] == 0
    assert "1" in result.note_zh and "without a filing date" in result.note_en


def test_family_reach_counts_families_and_patents_abroad() -> None:
    home = home_office(PARROT, "")
    assert home == "CN"  # most of its patents
    figures = {row[0]: row[1] for row in family_reach(PARROT, home).rows}
    assert figures["offices"] == 2
    assert figures["families"] == 4  # two families, two patents without a family id
    assert figures["multi_office_families"] == 2
    assert figures["abroad_patents"] == 1
    assert home_office(PARROT, "FR") == "CN"  # no patent at its own country's office
    assert home_office([], "fr") == "FR"


def test_an_empty_portfolio_says_so() -> None:
    for result in (standing_by_type([]), standing_basis([]), portfolio_age([], ON)):
        assert not result.applicable
        assert result.note_en


# --- a screening's words ---------------------------------------------------------------------


def test_description_terms_are_bigrams_and_words_without_noise() -> None:
    terms = description_terms("一种能降落在行驶车辆上的无人机，所述无人机包括电池")
    assert {"降落", "行驶", "车辆", "无人", "人机", "电池"} <= set(terms)
    assert not {"一种", "所述", "的无", "上的"} & set(terms)
    english = description_terms("A drone that lands on the roof of a moving truck, with 2 cameras")
    assert english == ("drone", "lands", "roof", "moving", "truck", "cameras")
    assert len(description_terms(" ".join(f"word{i}" for i in range(200)))) == 64


def test_matching_words_finds_other_forms_as_written() -> None:
    text = "Drones landing on trucks; the drone is battery powered"
    words = matching_words(text, ("drone", "lands", "batteries", "无人机"))
    assert words == ["无人机", "battery", "drone", "drones", "landing"]


def test_value_scores_fall_in_bands_and_unscored_patents_are_counted_apart() -> None:
    scored = {
        1: ScoredPatent(91.5, True),
        2: ScoredPatent(80.0, False),
        3: ScoredPatent(19.9, None),
        4: ScoredPatent(None, None),  # scored, but too little data for a total
    }
    result = value_distribution(scored, 5, purpose_zh="许可与转让", purpose_en="licensing")
    counts = {row[0]: row[1] for row in result.rows}
    assert counts == {"80-100": 2, "60-80": 0, "40-60": 0, "20-40": 0, "0-20": 1, "unknown": 2}
    assert result.applicable and result.extras["high_value"] == 1
    assert result.note_en == "High-value invention patents: 1; 2 cannot be told."


def test_value_scores_of_an_unscored_portfolio_say_how_to_score_it() -> None:
    result = value_distribution({}, 3, purpose_zh="许可与转让", purpose_en="licensing")
    assert not result.applicable
    assert result.rows[-1][:2] == ("unknown", 3)
    assert "ipops rescore" in result.note_zh

"""法律状态: status on a date, term and expiry, patent years — on real CN records.

Real records (paths under ``shared/data/``):

* ``formats/google-patents-html/CN101551481B_zh.html`` — the one CN record with its legal
  events: 200910127753.8, filed 2009-03-25, C06/PB01 2009-10-07, C10/SE01 2011-04-27,
  C14/GR01 2012-11-21, CF01 2016-05-11 ("Termination date: 20150325") and EXPY 2016-05-11.
* ``formats/cnipa-xml/…`` — published applications (kind A) with application numbers and
  filing dates; they hold no legal events, so events added to them below are illustrative.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ipcore.identifiers.cn import PatentType, parse_cn_application
from ipcore.legal_status import (
    STATUS_LABELS_ZH,
    EventEffect,
    LegalEvent,
    LegalStatusError,
    PatentLife,
    Status,
    event_rule,
    expiry_date,
    is_valid_on,
    parse_event_date,
    patent_year_on,
    status_on,
    term_years,
)
from ipcore.periods import add_months, add_years, is_corresponding_day

D = dt.date
INVENTION, UTILITY_MODEL, DESIGN = PatentType.INVENTION, PatentType.UTILITY_MODEL, PatentType.DESIGN
SHARED_CODES = (
    Path(__file__).resolve().parents[3] / "shared/data/reference-cn/codes/cn_legal_event_codes.csv"
)


def event(code: str, when: str, effective: str | None = None) -> LegalEvent:
    return LegalEvent(
        code, D.fromisoformat(when), D.fromisoformat(effective) if effective else None
    )


def invention(filing: str, *events: LegalEvent, grant: str | None = None) -> PatentLife:
    return PatentLife(
        INVENTION,
        D.fromisoformat(filing),
        grant_date=D.fromisoformat(grant) if grant else None,
        events=events,
    )


# CN101551481B as Google Patents lists it (google-patents-html/CN101551481B_zh.html).
CN101551481B = invention(
    "2009-03-25",
    event("C06", "2009-10-07"),
    event("PB01", "2009-10-07"),
    event("C10", "2011-04-27"),
    event("SE01", "2011-04-27"),
    event("C14", "2012-11-21"),
    event("GR01", "2012-11-21"),
    event("CF01", "2016-05-11", effective="2015-03-25"),
    event("EXPY", "2016-05-11"),
)


# --- a real life: CN101551481B ------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2009-03-25", Status.PENDING),  # filing day
        ("2011-04-27", Status.PENDING),  # substantive examination starts
        ("2012-11-20", Status.PENDING),
        ("2012-11-21", Status.IN_FORCE),  # GR01
        ("2015-03-24", Status.IN_FORCE),  # last day of patent year 6
        ("2015-03-25", Status.LAPSED),  # the year-7 fee went unpaid: CF01's termination date
        ("2016-05-11", Status.LAPSED),  # CF01 and EXPY published
        ("2030-01-01", Status.LAPSED),  # after the term: it lapsed, it did not expire
    ],
)
def test_cn101551481b_status_over_its_life(on: str, expected: Status) -> None:
    assert status_on(CN101551481B, D.fromisoformat(on)) is expected


def test_cn101551481b_dates() -> None:
    assert parse_cn_application("200910127753.8").patent_type is INVENTION
    assert CN101551481B.granted_on == D(2012, 11, 21)  # from GR01/C14: no grant_date given
    # Google Patents: "anticipated expiration 2029-03-25".
    assert expiry_date(CN101551481B) == D(2029, 3, 25)
    # The termination date is the due date of the fee of patent year 7.
    assert patent_year_on(CN101551481B.filing_date, D(2015, 3, 25)) == 7
    assert patent_year_on(CN101551481B.filing_date, D(2015, 3, 24)) == 6
    assert is_valid_on(CN101551481B, D(2014, 12, 31))
    assert not is_valid_on(CN101551481B, D(2015, 6, 1))


def test_without_an_effective_date_the_gazette_date_counts() -> None:
    published_only = invention(
        "2009-03-25", event("GR01", "2012-11-21"), event("CF01", "2016-05-11")
    )

    assert status_on(published_only, D(2016, 5, 10)) is Status.IN_FORCE
    assert status_on(published_only, D(2016, 5, 11)) is Status.LAPSED


def test_informational_codes_have_no_rule() -> None:
    # PB01/SE01/C06/C10 say where an application is; they never change its status.
    for code in ("PB01", "SE01", "C06", "C10", "TR01", "PE01", "PC01", "EE01", "CP01"):
        assert event_rule(code) is None


# --- real numbers and filing dates from CNIPA XML -----------------------------------------

XML_RECORDS = [
    # (file under formats/cnipa-xml/, application number, filing date, publication, expiry)
    ("old-format-cn-patent-document/cn_old3.xml", "201480000788.4", "2014-03-31", "2014-12-24",
     "2034-03-31"),  # PCT entry: the filing date is the international filing date
    ("old-format-cn-patent-document/cn_old4.xml", "201410513187.5", "2014-09-29", "2014-12-24",
     "2034-09-29"),  # claims the priority of a utility model filed 2013-12-24: not the start
    ("old-format-cn-patent-document/cn_old1.xml", "201410408762.5", "2014-08-19", "2014-12-24",
     "2034-08-19"),
    ("old-format-cn-patent-document/200880114428_A.xml", "200880114428.1", "2008-10-29",
     "2014-01-01", "2028-10-29"),
    ("new-format-v2.2.1/cn_new1.xml", "202111286633.X", "2017-04-24", "2021-12-10",
     "2037-04-24"),  # divisional: the number says 2021, the filing date is its parent's
    ("new-format-v2.2.1/cn_new3.xml", "202180002433.9", "2021-02-24", "2021-12-10",
     "2041-02-24"),
    ("new-format-v2.2.1/CN102015000481495CN00001152124630AFULZH20221021CN00D.XML",
     "201510481495.9", "2015-08-07", "2022-10-21", "2035-08-07"),
]  # fmt: skip


@pytest.mark.parametrize(("source", "number", "filing", "published", "expiry"), XML_RECORDS)
def test_published_applications_from_cnipa_xml(
    source: str, number: str, filing: str, published: str, expiry: str
) -> None:
    patent = PatentLife(
        parse_cn_application(number).patent_type,
        D.fromisoformat(filing),
        publication_date=D.fromisoformat(published),
    )

    assert expiry_date(patent) == D.fromisoformat(expiry), source
    assert status_on(patent, patent.publication_date or patent.filing_date) is Status.PENDING
    assert not is_valid_on(patent, D(2025, 1, 1))


def test_divisional_counts_patent_years_from_its_parents_filing_date() -> None:
    # cn_new1.xml: 202111286633.X, a division of 201710269973.9 (filed 2017-04-24).
    assert patent_year_on(D(2017, 4, 24), D(2021, 12, 10)) == 5


def test_priority_utility_model_has_its_own_ten_year_term() -> None:
    # cn_old4.xml: the invention claims the domestic priority of utility model
    # 201320854096.9, filed 2013-12-24.
    utility_model = PatentLife(parse_cn_application("201320854096.9").patent_type, D(2013, 12, 24))

    assert utility_model.patent_type is UTILITY_MODEL
    assert expiry_date(utility_model) == D(2023, 12, 24)


# --- term and patent years ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("patent_type", "filing", "years"),
    [
        (INVENTION, D(2021, 6, 1), 20),
        (UTILITY_MODEL, D(2021, 6, 1), 10),
        (DESIGN, D(2021, 5, 31), 10),  # DOMAIN.md: 10 for designs filed before 2021-06-01
        (DESIGN, D(2021, 6, 1), 15),
        (INVENTION, D(1985, 4, 1), 20),
    ],
)
def test_term_years_by_type_and_filing_date(
    patent_type: PatentType, filing: dt.date, years: int
) -> None:
    assert term_years(patent_type, filing) == years


def test_term_compensation_extends_the_expiry() -> None:
    patent = PatentLife(INVENTION, D(2021, 6, 1), grant_date=D(2026, 1, 5), term_extension_days=90)

    assert expiry_date(patent) == D(2041, 6, 1) + dt.timedelta(days=90)
    assert status_on(patent, D(2041, 6, 1)) is Status.IN_FORCE


def test_patent_years_follow_the_guidelines_example() -> None:
    # 专利审查指南: filed 1999-06-01, year 1 is 1999-06-01 to 2000-05-31.
    assert patent_year_on(D(1999, 6, 1), D(1999, 6, 1)) == 1
    assert patent_year_on(D(1999, 6, 1), D(2000, 5, 31)) == 1
    assert patent_year_on(D(1999, 6, 1), D(2000, 6, 1)) == 2


def test_29_february_filing() -> None:
    leap = D(2020, 2, 29)

    assert patent_year_on(leap, D(2021, 2, 27)) == 1
    assert patent_year_on(leap, D(2021, 2, 28)) == 2  # no 29th: the month's last day
    assert patent_year_on(leap, D(2024, 2, 28)) == 4
    assert patent_year_on(leap, D(2024, 2, 29)) == 5  # counted from the filing date, no drift
    assert expiry_date(PatentLife(UTILITY_MODEL, leap)) == D(2030, 2, 28)
    assert expiry_date(PatentLife(INVENTION, leap)) == D(2040, 2, 29)


def test_add_months_uses_the_last_day_when_there_is_no_corresponding_day() -> None:
    # 专利审查指南: two months from 1999-12-31 end on 2000-02-29.
    assert add_months(D(1999, 12, 31), 2) == D(2000, 2, 29)
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 1, 15), -1) == D(2024, 12, 15)
    assert add_years(D(2020, 2, 29), 1) == D(2021, 2, 28)


def test_expired_at_the_end_of_term_without_a_cx01() -> None:
    patent = invention("2001-05-10", grant="2004-02-11")

    assert status_on(patent, D(2021, 5, 9)) is Status.IN_FORCE  # last day of the term
    assert status_on(patent, D(2021, 5, 10)) is Status.EXPIRED
    assert not is_valid_on(patent, D(2021, 5, 10))


# --- events -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ((event("GR01", "2020-01-10"), event("CF01", "2023-08-02")), Status.LAPSED),
        ((event("GR01", "2020-01-10"), event("CF01", "2023-08-02"), event("RR01", "2023-12-01")),
         Status.IN_FORCE),  # restoration revives a lapse
        ((event("GR01", "2020-01-10"), event("IP01", "2022-03-03")), Status.IN_FORCE),
        ((event("GR01", "2020-01-10"), event("IW01", "2022-03-03")), Status.INVALIDATED),
        ((event("GR01", "2020-01-10"), event("IW01", "2022-03-03"), event("RR01", "2022-05-01")),
         Status.INVALIDATED),  # invalidation cannot be restored
        ((event("GR01", "2020-01-10"), event("CF01", "2022-03-03"), event("IW01", "2023-01-09")),
         Status.INVALIDATED),  # a lapsed patent can still be declared invalid
        ((event("GR01", "2020-01-10"), event("AV01", "2022-03-03")), Status.ABANDONED),
        ((event("GR01", "2020-01-10"), event("AV01", "2022-03-03"), event("RR01", "2022-05-01")),
         Status.ABANDONED),  # a declared abandonment cannot be restored
        ((event("GR01", "2020-01-10"), event("CX01", "2023-01-09")), Status.EXPIRED),
        ((event("PB01", "2018-07-06"), event("WD01", "2019-11-12")), Status.WITHDRAWN),
        ((event("PB01", "2018-07-06"), event("WD01", "2019-11-12"), event("RR01", "2020-02-01")),
         Status.PENDING),  # a deemed withdrawal restored: back to examination
        ((event("PB01", "2018-07-06"), event("WW01", "2019-11-12")), Status.WITHDRAWN),
        ((event("PB01", "2018-07-06"), event("RJ01", "2019-11-12")), Status.REJECTED),
        ((event("RJ01", "2019-11-12"), event("GR01", "2021-04-02")), Status.IN_FORCE),  # 复审
        ((event("RR01", "2019-11-12"),), Status.PENDING),  # nothing to restore
        ((event("GR01", "2020-01-10"), event("TR01", "2021-01-01"), event("PE01", "2021-02-01"),
          event("ZZ99", "2021-03-01")), Status.IN_FORCE),  # unknown and other codes are ignored
        ((event("GR01", "2020-01-10"), event("CE01", "2022-03-03")), Status.LAPSED),
    ],
)  # fmt: skip
def test_events_decide_the_status(events: tuple[LegalEvent, ...], expected: Status) -> None:
    patent = invention("2018-01-05", *events)

    assert status_on(patent, D(2025, 1, 1)) is expected


def test_a_termination_of_unstated_cause_after_the_term_reads_expired() -> None:
    # CE01/C17/EXPY do not say why the right ended: the expiry date tells.
    patent = invention("2018-01-05", event("GR01", "2020-01-10"), event("CE01", "2038-01-06"))

    assert status_on(patent, D(2039, 1, 1)) is Status.EXPIRED


def test_events_after_the_date_asked_about_do_not_count() -> None:
    patent = invention("2018-01-05", event("GR01", "2020-01-10"), event("CF01", "2023-08-02"))

    assert status_on(patent, D(2023, 8, 1)) is Status.IN_FORCE


def test_events_are_kept_in_effective_order_whatever_the_input_order() -> None:
    patent = invention("2018-01-05", event("RR01", "2023-12-01"), event("GR01", "2020-01-10"),
                       event("CF01", "2023-08-02"))  # fmt: skip

    assert [e.code for e in patent.events] == ["GR01", "CF01", "RR01"]
    assert status_on(patent, D(2024, 1, 1)) is Status.IN_FORCE


def test_unknown_codes_are_kept_on_the_record() -> None:
    patent = invention("2018-01-05", event("ZZ99", "2020-01-10"))

    assert patent.events[0].code == "ZZ99"
    assert patent.events[0].rule is None


def test_event_codes_are_normalised() -> None:
    assert LegalEvent(" cf01 ", D(2020, 1, 1)).code == "CF01"
    pasted = "ＣＦ０１"  # noqa: RUF001 — full-width, as typed in Chinese text
    assert LegalEvent(pasted, D(2020, 1, 1)).code == "CF01"


def test_every_status_has_a_chinese_label() -> None:
    assert set(STATUS_LABELS_ZH) == set(Status)
    assert STATUS_LABELS_ZH[Status.IN_FORCE] == "有效"


# --- bad input ----------------------------------------------------------------------------


def test_event_before_filing_is_an_error_in_both_languages() -> None:
    with pytest.raises(LegalStatusError) as caught:
        invention("2018-01-05", event("PB01", "2017-12-31"))

    assert caught.value.code == "event_before_filing"
    assert "PB01" in caught.value.message_zh and "申请日" in caught.value.message_zh
    assert str(caught.value) == caught.value.message_en
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: invention("2018-01-05", event("CF01", "2020-01-01", effective="2017-01-01")),
         "event_before_filing"),
        (lambda: invention("2018-01-05", grant="2018-01-04"), "grant_before_filing"),
        (lambda: PatentLife(INVENTION, D(2018, 1, 5), publication_date=D(2017, 1, 1)),
         "publication_before_filing"),
        (lambda: PatentLife(INVENTION, D(1984, 12, 31)), "filing_before_patent_law"),
        (lambda: PatentLife(INVENTION, D(2018, 1, 5), term_extension_days=-1), "term_extension"),
        (lambda: PatentLife("plant", D(2018, 1, 5)), "patent_type"),  # type: ignore[arg-type]
        (lambda: LegalEvent("  ", D(2018, 1, 5)), "event_code"),
        (lambda: status_on(invention("2018-01-05"), D(2018, 1, 4)), "before_filing"),
        (lambda: patent_year_on(D(2018, 1, 5), D(2018, 1, 4)), "before_filing"),
    ],
)  # fmt: skip
def test_impossible_facts_raise(build: Callable[[], object], code: str) -> None:
    with pytest.raises(LegalStatusError) as caught:
        build()

    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en


def test_plain_string_patent_types_are_accepted() -> None:
    # Importers hand over "invention" as often as the enum.
    assert PatentLife("utility_model", D(2018, 1, 5)).patent_type is UTILITY_MODEL  # type: ignore[arg-type]


def test_error_survives_pickling() -> None:
    error = LegalStatusError("before_filing", message_zh="早于申请日", message_en="before filing")

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object

    assert (copy.code, copy.message_zh, copy.message_en) == (
        "before_filing",
        "早于申请日",
        "before filing",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20160511", D(2016, 5, 11)), ("2016-05-11", D(2016, 5, 11)), ("2016.5.11", D(2016, 5, 11)),
     ("２０１６０５１１", D(2016, 5, 11)),  # noqa: RUF001 — full-width, as typed in Chinese text
     ("20200229", D(2020, 2, 29))],
)  # fmt: skip
def test_record_dates_parse(text: str, expected: dt.date) -> None:
    assert parse_event_date(text) == expected


@pytest.mark.parametrize("text", ["20230229", "00000000", "2023-13-01", "2023-04-31", "soon", ""])
def test_impossible_record_dates_raise(text: str) -> None:
    # "00000000" is what cn_new1.xml writes for a divisional's unknown child date.
    with pytest.raises(LegalStatusError) as caught:
        parse_event_date(text)

    assert caught.value.code == "impossible_date"


# --- the effects table --------------------------------------------------------------------


@pytest.mark.shared_data
def test_effects_table_agrees_with_the_inpadoc_code_list() -> None:
    if not SHARED_CODES.exists():
        pytest.skip(f"{SHARED_CODES} is absent (a clone without ../shared)")
    with SHARED_CODES.open(encoding="utf-8", newline="") as file:
        codes = {row["event_code"]: row for row in csv.DictReader(file)}
    effects_file = Path(__file__).resolve().parents[1] / "data/cn_legal_event_effects.csv"
    with effects_file.open(encoding="utf-8", newline="") as file:
        effects = list(csv.DictReader(file))

    for row in effects:
        listed = codes[row["event_code"]]
        assert listed["description_en_inpadoc"] == row["description_en_inpadoc"]
        # INPADOC marks events that end a right "-" and grants/revivals "+".
        wrong_sign = "-" if row["effect"] in {"grant", "restore"} else "+"
        assert listed["influence"] != wrong_sign, row["event_code"]


def test_domain_codes_have_the_effects_domain_md_gives_them() -> None:
    expected = {
        "GR01": (EventEffect.GRANT, None),
        "CF01": (EventEffect.TERMINATE, Status.LAPSED),
        "CX01": (EventEffect.TERMINATE, Status.EXPIRED),
        "AV01": (EventEffect.TERMINATE, Status.ABANDONED),
        "IW01": (EventEffect.TERMINATE, Status.INVALIDATED),
        "RR01": (EventEffect.RESTORE, None),
        "IP01": (EventEffect.PARTIAL, None),
    }
    for code, (effect, status) in expected.items():
        rule = event_rule(code)
        assert rule is not None and (rule.effect, rule.status) == (effect, status), code
    cf01 = event_rule("CF01")
    assert cf01 is not None and cf01.restorable


# --- properties ---------------------------------------------------------------------------

filing_dates = st.dates(min_value=D(1985, 4, 1), max_value=D(2060, 12, 31))
patent_types = st.sampled_from(list(PatentType))
codes = st.sampled_from(
    ["GR01", "CF01", "RR01", "IP01", "IW01", "AV01", "CX01", "WD01", "RJ01", "PB01", "SE01",
     "TR01", "PE01", "CE01", "EXPY", "C52", "ZZ99", "XX01"]
)  # fmt: skip


@st.composite
def patents(draw: st.DrawFn) -> PatentLife:
    patent_type = draw(patent_types)
    filing = draw(filing_dates)
    offsets = st.integers(min_value=0, max_value=30 * 366)
    grant = draw(st.none() | offsets.map(lambda days: filing + dt.timedelta(days=days)))
    events = draw(
        st.lists(
            st.tuples(codes, offsets).map(
                lambda pair: LegalEvent(pair[0], filing + dt.timedelta(days=pair[1]))
            ),
            max_size=8,
        )
    )
    return PatentLife(patent_type, filing, grant_date=grant, events=tuple(events))


@given(patents(), st.integers(min_value=0, max_value=20 * 366))
def test_never_in_force_after_expiry(patent: PatentLife, days_after: int) -> None:
    on = expiry_date(patent) + dt.timedelta(days=days_after)

    assert status_on(patent, on) is not Status.IN_FORCE
    assert not is_valid_on(patent, on)


@given(patent_types, filing_dates)
@example(UTILITY_MODEL, D(2020, 2, 29))  # 29 February always, not only when drawn
@example(INVENTION, D(2020, 2, 29))
def test_expiry_is_the_filing_date_plus_the_term_in_years(
    patent_type: PatentType, filing: dt.date
) -> None:
    expiry = expiry_date(PatentLife(patent_type, filing))

    assert expiry.year - filing.year == term_years(patent_type, filing)
    assert is_corresponding_day(filing, expiry)
    if (filing.month, filing.day) == (2, 29):
        # 相应日, else the month's last day: never 1 March.
        assert (expiry.month, expiry.day) == ((2, 29) if calendar.isleap(expiry.year) else (2, 28))
    else:
        assert (expiry.month, expiry.day) == (filing.month, filing.day)


@given(filing_dates, st.integers(min_value=0, max_value=40 * 366))
@example(D(2020, 2, 29), 365)  # 2021-02-28: the first anniversary of a leap-day filing
def test_patent_year_brackets_the_date(filing: dt.date, days: int) -> None:
    on = filing + dt.timedelta(days=days)
    year = patent_year_on(filing, on)

    assert add_years(filing, year - 1) <= on < add_years(filing, year)


@given(patents(), st.integers(min_value=0, max_value=40 * 366))
def test_valid_means_granted_not_ended_and_within_term(patent: PatentLife, days: int) -> None:
    on = patent.filing_date + dt.timedelta(days=days)
    granted_on = patent.granted_on

    if is_valid_on(patent, on):
        assert granted_on is not None and granted_on <= on < expiry_date(patent)


@given(patents(), st.integers(min_value=0, max_value=40 * 366))
def test_without_status_events_validity_is_grant_and_term(patent: PatentLife, days: int) -> None:
    quiet = PatentLife(
        patent.patent_type,
        patent.filing_date,
        grant_date=patent.grant_date,
        events=tuple(e for e in patent.events if e.rule is None),
    )
    on = quiet.filing_date + dt.timedelta(days=days)
    granted = quiet.grant_date is not None and quiet.grant_date <= on

    assert is_valid_on(quiet, on) == (granted and on < expiry_date(quiet))

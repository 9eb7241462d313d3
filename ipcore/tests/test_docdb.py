"""DOCDB document numbers and PCT application numbers, on real spellings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.identifiers.docdb import (
    DocNumber,
    PctApplicationNumber,
    parse_doc_number,
    parse_pct_application,
)
from ipcore.identifiers.errors import IdentifierError

# Sources, by the name used in comments below:
#   lens  = shared/data/lens-export-drones/drones_fulltext_families_5884_raw.csv.gz
#   ops   = shared/data/formats/epo-ops/published/*.xml (docdb / epodoc / original formats)
#   docdb = shared/data/formats/epo-docdb/*.xml
#   uspto = shared/data/formats/uspto-xml/PatentPublicData (file names)
#   cnipa = shared/data/formats/cnipa-xml

DOC_NUMBERS = [
    # brief / DOMAIN.md examples
    ("US 10,123,456 B2", DocNumber("US", "10123456", "B2")),
    ("US10123456B2", DocNumber("US", "10123456", "B2")),
    ("EP1234567A1", DocNumber("EP", "1234567", "A1")),
    ("WO2019/123456", DocNumber("WO", "2019123456", None)),
    ("WO 2019123456 A1", DocNumber("WO", "2019123456", "A1")),
    ("WO2019123456A1", DocNumber("WO", "2019123456", "A1")),
    # lens, Publication Number
    ("US 2016/0012345 A1", DocNumber("US", "2016012345", "A1")),
    ("US D532742 S1", DocNumber("US", "D532742", "S1")),
    ("US H000485 H", DocNumber("US", "H485", "H")),
    ("EP 0095016 A1", DocNumber("EP", "0095016", "A1")),
    ("EP 0259054 B9 20031217", DocNumber("EP", "0259054", "B9")),  # date after the kind
    ("WO 2000/001198 A1", DocNumber("WO", "2000001198", "A1")),
    ("JP 2000041293 A", DocNumber("JP", "2000041293", "A")),
    ("JP H01142348 A", DocNumber("JP", "H01142348", "A")),
    ("JP S5289913 A", DocNumber("JP", "S5289913", "A")),
    ("KR 20000001799 A", DocNumber("KR", "20000001799", "A")),
    ("KR 100802716 B1", DocNumber("KR", "100802716", "B1")),
    ("CN 101025382 A", DocNumber("CN", "101025382", "A")),
    ("CN 1047187 A", DocNumber("CN", "1047187", "A")),
    # lens, Application Number (CN: no check digit, kind letter)
    ("CN 200710063161 A", DocNumber("CN", "200710063161", "A")),
    # ops, docdb and epodoc formats
    ("US2006142694", DocNumber("US", "2006142694", None)),
    ("EP1000000", DocNumber("EP", "1000000", None)),
    ("JP2004048632", DocNumber("JP", "2004048632", None)),
    ("KR100484299B", DocNumber("KR", "100484299", "B")),
    # ops, original format
    ("WO 00/20705", DocNumber("WO", "0020705", None)),
    ("WO01/66877", DocNumber("WO", "0166877", None)),
    ("U.S. 5,545,737", DocNumber("US", "5545737", None)),
    # uspto file names: zero-padded grants, 11-digit pre-grant publications
    ("US06970935", DocNumber("US", "6970935", None)),
    ("US20010000044A1", DocNumber("US", "2001000044", "A1")),
    ("USD435854S1", DocNumber("US", "D435854", "S1")),
    ("US07272630B2", DocNumber("US", "7272630", "B2")),
    # cnipa: KR priority application in 200880114428_A.xml / cn_old2.xml
    ("KR 10-2013-0138117", DocNumber("KR", "20130138117", None)),
    # cnipa: CN application number with check digit, as DOCDB keys it
    ("CN201810390462.7", DocNumber("CN", "201810390462", None)),
    ("CN 202111286633.X", DocNumber("CN", "202111286633", None)),
    # other punctuation seen in practice
    ("EP 1 000 000 B1", DocNumber("EP", "1000000", "B1")),
    ("US-10123456-B2", DocNumber("US", "10123456", "B2")),  # Google Patents URLs
    ("EP.1000000.B1", DocNumber("EP", "1000000", "B1")),  # DOCDB dotted form
    ("JP 2004-48632 A", DocNumber("JP", "2004048632", "A")),
    ("JP H11-123456 A", DocNumber("JP", "H11123456", "A")),
    ("WO 93/1234", DocNumber("WO", "9301234", None)),
    ("ep1234567a1", DocNumber("EP", "1234567", "A1")),
    ("AT 399980 B", DocNumber("AT", "399980", "B")),  # lens: other offices, no extra rules
]


@pytest.mark.parametrize(("text", "expected"), DOC_NUMBERS, ids=[t for t, _ in DOC_NUMBERS])
def test_doc_numbers(text: str, expected: DocNumber) -> None:
    assert parse_doc_number(text) == expected


def test_docdb_and_epodoc_forms() -> None:
    number = parse_doc_number("US 10,123,456 B2")

    assert number.docdb == str(number) == "US10123456B2"
    assert number.epodoc == "US10123456"
    assert parse_doc_number("WO2019/123456").docdb == "WO2019123456"


@pytest.mark.parametrize(
    "text",
    ["", "US", "10123456", "USA 10123456", "US B2", "PCT/CN2019/123456", "US 123 456 B2 X"],
)
def test_unreadable_doc_numbers_raise(text: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_doc_number(text)
    assert caught.value.code == "format"


@given(st.text())
def test_doc_number_parse_raises_only_identifier_error_and_round_trips(text: str) -> None:
    try:
        number = parse_doc_number(text)
    except IdentifierError:
        return
    assert parse_doc_number(number.docdb).epodoc == number.epodoc


# --- PCT -----------------------------------------------------------------------------------

PCT_NUMBERS = [
    ("PCT/CN2019/123456", "PCT/CN2019/123456"),
    # cnipa: 200880114428_A.xml, cn_old2.xml
    ("PCT/US2008/081493", "PCT/US2008/081493"),
    ("PCT/KR2014/002669", "PCT/KR2014/002669"),
    # ops / docdb, original format (2-digit years, 5-digit serials, before 2004)
    ("PCT/US99/23008", "PCT/US1999/023008"),
    ("PCT/JP79/00178", "PCT/JP1979/000178"),
    ("PCT/CH02/00573", "PCT/CH2002/000573"),
    ("PCT/US98/16128", "PCT/US1998/016128"),
    # docdb epodoc format for the same application
    ("WO1998US16128", "PCT/US1998/016128"),
    # lens, Application Number of WO publications (DOCDB-like, kind W)
    ("US 9912817 W", "PCT/US1999/012817"),
    ("CN 2014071250 W", "PCT/CN2014/071250"),
    ("US 2006/0000980 W", "PCT/US2006/000980"),  # 7-digit serial, zero-padded
    ("AU 2009/001517 W", "PCT/AU2009/001517"),
    # spacing and case
    ("pct / cn 2019 / 123456", "PCT/CN2019/123456"),
    ("PCTCN2019123456", "PCT/CN2019/123456"),
    ("PCT/CN2019/12345", "PCT/CN2019/012345"),
]


@pytest.mark.parametrize(("text", "normalised"), PCT_NUMBERS)
def test_pct_numbers(text: str, normalised: str) -> None:
    number = parse_pct_application(text)

    assert number.normalised == str(number) == normalised
    assert parse_pct_application(number.normalised) == number


def test_pct_fields() -> None:
    assert parse_pct_application("PCT/US99/23008") == PctApplicationNumber("US", 1999, "023008")


@pytest.mark.parametrize(
    ("text", "docdb"),
    [
        ("PCT/US98/16128", "US9816128W"),  # docdb: AP-1206-A priority claim
        ("PCT/CN2014/071250", "CN2014071250W"),
    ],
)
def test_pct_as_doc_number(text: str, docdb: str) -> None:
    number = parse_pct_application(text).as_doc_number()

    assert number.docdb == docdb
    assert parse_pct_application(number.docdb) == parse_pct_application(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("AU 1927/085003 W", "year"),  # lens: a row with filing year 1927
        ("PCT/CN1970/123456", "year"),
        ("PCT/CN2019/1234567", "format"),
        ("PCT/CN2019", "format"),
        ("CN2019123456", "format"),
        ("", "format"),
    ],
)
def test_bad_pct_numbers(text: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_pct_application(text)
    assert caught.value.code == code


_PCT = st.builds(
    PctApplicationNumber,
    office=st.sampled_from(["CN", "US", "EP", "JP", "KR", "IB"]),
    year=st.integers(min_value=1978, max_value=2099),
    serial=st.integers(min_value=1, max_value=999_999).map(lambda n: f"{n:06d}"),
)


@given(_PCT)
def test_pct_normalised_and_docdb_forms_read_back(number: PctApplicationNumber) -> None:
    assert parse_pct_application(number.normalised) == number
    if number.year >= 2004 or int(number.serial) < 100_000:
        assert parse_pct_application(number.as_doc_number().docdb) == number

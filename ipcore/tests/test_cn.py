"""中国专利申请号 / 公布号 parsing, on real numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.identifiers.cn import (
    CnApplicationNumber,
    CnPublicationNumber,
    PatentType,
    cn_check_digit,
    is_valid_cn_application,
    parse_cn_application,
    parse_cn_publication,
)
from ipcore.identifiers.errors import IdentifierError, IdentifierWarning

DOMAIN_EXAMPLES = [
    # shared/spec/DOMAIN.md §1, "Verified on"
    "201810390462.7",
    "202311356097.5",
    "202411662208.X",
    "202280044585.X",
    "200710308494.X",
]

CNIPA_XML_EXAMPLES = [
    # shared/data/formats/cnipa-xml/old-format-cn-patent-document/200880114428_A.xml
    "200880114428.1",
    # .../old-format-cn-patent-document/cn_old3.xml
    "201480000788.4",
    # .../old-format-cn-patent-document/cn_old4.xml
    "201320854096.9",
    # .../new-format-v2.2.1/CN102015000481495CN00001152124630AFULZH20221021CN00D.XML
    "201510481495.9",
    # .../new-format-v2.2.1/cn_new1.xml
    "201710269973.9",
    "202111286633.X",
    # .../new-format-v2.2.1/cn_new2.xml
    "202110991218.8",
    # .../new-format-v2.2.1/cn_new3.xml (PCT national phase, type digit 8)
    "202180002433.9",
    # shared/data/formats/epo-publication-server/application/v1-5-A1.xml (priority claim)
    "201810358967.5",
]

EIGHT_DIGIT_EXAMPLES = [
    # 1989-2003 numbers with check digits, from a public CV quoted in a GitHub HanLP example
    # (丁文江, 上海交通大学: "专利号ZL99113861.9" …); DOMAIN.md lists no example of this era.
    "99113861.9",
    "01105715.7",
    "00125301.8",
    "01126463.2",
]


@pytest.mark.parametrize("text", DOMAIN_EXAMPLES + CNIPA_XML_EXAMPLES + EIGHT_DIGIT_EXAMPLES)
def test_real_numbers_have_valid_check_digits(text: str) -> None:
    number = parse_cn_application(text)

    assert number.check_digit_ok
    assert number.warnings == ()
    assert number.normalised == text
    assert is_valid_cn_application(text)


def test_fields_of_a_current_number() -> None:
    assert parse_cn_application("201810390462.7") == CnApplicationNumber(
        year=2018, type_code="1", serial="0390462", check_digit="7", check_digit_ok=True
    )


def test_fields_of_an_eight_digit_number() -> None:
    number = parse_cn_application("01105715.7")

    assert (number.year, number.type_code, number.serial) == (2001, "1", "05715")
    assert number.body == "01105715"


@pytest.mark.parametrize(
    "text",
    [
        "201810390462.7",
        "2018103904627",
        "ZL201810390462.7",
        "ZL 201810390462.7",
        "zl 2018 1 0390462.7",
        "CN201810390462.7",
        "CN 201810390462.7",
        " 201810390462.7\n",
        "２０１８１０３９０４６２．７",  # noqa: RUF001 — full-width, as typed in Chinese text
        "ＺＬ２０１８１０３９０４６２．７",  # noqa: RUF001
    ],
)
def test_spellings_of_one_number(text: str) -> None:
    number = parse_cn_application(text)

    assert number.normalised == "201810390462.7"
    assert number.zl == "ZL201810390462.7"
    assert str(number) == "201810390462.7"


@pytest.mark.parametrize(
    ("text", "normalised", "patent_type", "pct"),
    [
        # shared/data/lens-export-drones/drones_fulltext_families_5884_raw.csv.gz,
        # "Application Number": Lens drops the check digit and appends a kind letter.
        ("CN 200710063161 A", "200710063161.5", PatentType.INVENTION, False),
        ("CN 200920245218 U", "200920245218.8", PatentType.UTILITY_MODEL, False),
        ("CN 94111714 A", "94111714.6", PatentType.INVENTION, False),
        ("CN 89103458 A", "89103458.7", PatentType.INVENTION, False),
        ("CN 87215446 U", "87215446", PatentType.UTILITY_MODEL, False),  # no check digit
        ("202180002433", "202180002433.9", PatentType.INVENTION, True),  # cn_new3.xml
        ("201930123456", "201930123456.0", PatentType.DESIGN, False),
        ("201990123456", "201990123456.3", PatentType.UTILITY_MODEL, True),
    ],
)
def test_missing_check_digit_is_filled_in_and_type_decoded(
    text: str, normalised: str, patent_type: PatentType, pct: bool
) -> None:
    number = parse_cn_application(text)

    assert number.normalised == normalised
    assert (number.patent_type, number.is_pct_entry) == (patent_type, pct)
    assert number.check_digit is None
    assert number.check_digit_ok


def test_pre_1989_numbers_have_no_check_digit() -> None:
    number = parse_cn_application("85100001")

    assert (number.year, number.expected_check_digit) == (1985, None)
    assert number.normalised == "85100001"


def test_wrong_check_digit_is_a_warning_not_an_exception() -> None:
    number = parse_cn_application("201810390462.8")

    assert not number.check_digit_ok
    assert number.check_digit == "8"
    assert number.expected_check_digit == "7"
    assert number.normalised == "201810390462.8"  # the text's digit is kept, not corrected
    assert number.warnings == (
        IdentifierWarning(
            "check_digit",
            message_zh="申请号201810390462的校验位应为7，实为8",
            message_en="check digit of 201810390462 should be 7, got 8",
        ),
    )
    assert not is_valid_cn_application("201810390462.8")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "format"),
        ("abc", "format"),
        ("20181039046.7", "format"),  # 11 digits
        ("2018103904627.7", "format"),
        ("201810390462.77", "format"),
        ("201810390462.Y", "format"),
        ("201840390462.7", "type"),
        ("01405715.7", "type"),
        ("199910390462.7", "year"),  # the 12-digit form starts in 2003
        ("05105715.7", "year"),  # the 8-digit form ends in 2003
        ("84105715", "year"),  # before the Patent Law
    ],
)
def test_unreadable_text_raises(text: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_cn_application(text)

    assert caught.value.code == code
    assert caught.value.message_zh
    assert not is_valid_cn_application(text)


def test_check_digit_rejects_non_digits() -> None:
    with pytest.raises(ValueError, match="ASCII digits"):
        cn_check_digit("2018X")


_BODIES = st.builds(
    lambda year, type_code, serial: f"{year}{type_code}{serial:07d}",
    st.integers(min_value=2003, max_value=2099),
    st.sampled_from("12389"),
    st.integers(min_value=0, max_value=9_999_999),
)


@given(_BODIES)
def test_a_computed_check_digit_always_validates(body: str) -> None:
    number = parse_cn_application(f"{body}.{cn_check_digit(body)}")

    assert number.check_digit_ok
    assert parse_cn_application(number.normalised) == number


@given(_BODIES, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_a_single_wrong_digit_is_flagged(body: str, index: int, delta: int) -> None:
    # Weights 2..9 are all non-zero mod 11 and 11 is prime, so one changed digit always
    # changes the check digit (unless the change breaks the year or type first).
    changed_digit = str((int(body[index]) + delta) % 10)
    changed = body[:index] + changed_digit + body[index + 1 :]
    try:
        number = parse_cn_application(f"{changed}.{cn_check_digit(body)}")
    except IdentifierError:
        return
    assert not number.check_digit_ok


@given(st.text())
def test_parse_raises_only_identifier_error(text: str) -> None:
    try:
        number = parse_cn_application(text)
    except IdentifierError:
        return
    assert parse_cn_application(number.normalised).body == number.body


# --- publication numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "kind", "patent_type"),
    [
        # shared/data/cn-patent-titles-ipc/cn_titles_ipc.csv.gz
        ("CN114081026A", "114081026", "A", PatentType.INVENTION),
        ("CN215792497U", "215792497", "U", PatentType.UTILITY_MODEL),
        # shared/data/lens-export-drones (Lens spacing)
        ("CN 101025382 A", "101025382", "A", PatentType.INVENTION),
        ("CN 102155885 B", "102155885", "B", PatentType.INVENTION),
        ("CN 201004180 Y", "201004180", "Y", PatentType.UTILITY_MODEL),
        ("CN 1047187 A", "1047187", "A", PatentType.INVENTION),
        ("CN 1289840 C", "1289840", "C", PatentType.INVENTION),
        ("CN 2042185 U", "2042185", "U", PatentType.UTILITY_MODEL),
        ("CN 2126506 Y", "2126506", "Y", PatentType.UTILITY_MODEL),
        # shared/data/formats/cnipa-xml/new-format-v2.2.1 (file names carry the number)
        ("CN115212463A", "115212463", "A", PatentType.INVENTION),
        # other spellings
        ("CN-115212463-A", "115212463", "A", PatentType.INVENTION),
        ("cn115212463a", "115212463", "A", PatentType.INVENTION),
        ("CN301234567S", "301234567", "S", PatentType.DESIGN),
        ("CN3012345D", "3012345", "D", PatentType.DESIGN),
        ("CN115212463A9", "115212463", "A9", PatentType.INVENTION),
        ("CN108123456B8", "108123456", "B8", PatentType.INVENTION),
        ("CN85100001A", "85100001", "A", PatentType.INVENTION),  # = application number
        ("CN101025382", "101025382", None, PatentType.INVENTION),
    ],
)
def test_publication_numbers(
    text: str, number: str, kind: str | None, patent_type: PatentType
) -> None:
    publication = parse_cn_publication(text)

    assert publication == CnPublicationNumber(number=number, kind=kind)
    assert publication.patent_type == patent_type
    assert publication.normalised == f"CN{number}{kind or ''}"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CN12345A", "format"),
        ("CN1234567890A", "format"),
        ("CN101025382E", "kind"),
        ("CN101025382A1", "kind"),
        ("CN101025382D8", "kind"),
        ("CN501025382A", "type"),
        ("CN85500001A", "type"),
    ],
)
def test_bad_publication_numbers(text: str, code: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_cn_publication(text)
    assert caught.value.code == code


@given(st.text())
def test_publication_parse_raises_only_identifier_error(text: str) -> None:
    try:
        publication = parse_cn_publication(text)
    except IdentifierError:
        return
    assert parse_cn_publication(publication.normalised) == publication

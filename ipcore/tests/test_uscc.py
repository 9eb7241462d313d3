"""统一社会信用代码 / 组织机构代码 validation against real codes and the standard's example."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.divisions import current_divisions
from ipcore.identifiers.errors import IdentifierError
from ipcore.identifiers.uscc import (
    USCC_ALPHABET,
    Uscc,
    UsccError,
    is_valid_org_code,
    is_valid_uscc,
    normalise_uscc,
    org_code_check_char,
    parse_uscc,
    uscc_check_char,
)

FIXTURE = Path(__file__).parent / "fixtures" / "uscc_examples.csv"


def _examples(valid: bool) -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row for row in rows if (row["uscc_valid"] == "1") is valid]


VALID_ROWS = _examples(valid=True)
INVALID_ROWS = _examples(valid=False)


def test_fixture_has_the_expected_rows() -> None:
    assert (len(VALID_ROWS), len(INVALID_ROWS)) == (202, 8)


@pytest.mark.parametrize("row", VALID_ROWS, ids=lambda row: row["uscc"])
def test_every_real_code_parses_into_its_parts(row: dict[str, str]) -> None:
    parsed = parse_uscc(row["uscc"])

    assert parsed == Uscc(
        code=row["uscc"],
        authority_code=row["reg_authority_code"],
        category_code=row["org_category_code"],
        region_code=row["region_code"],
        org_code=row["subject_id_org_code"],
        check_char=row["check_char"],
    )


@pytest.mark.parametrize("row", INVALID_ROWS, ids=lambda row: row["uscc"])
def test_every_negative_example_fails_on_the_rule_it_breaks(row: dict[str, str]) -> None:
    # The fixture records whether the embedded 组织机构代码 is valid; when it is, only the
    # final check character can be wrong.
    expected = "check_char" if row["org_code_valid"] == "1" else "org_code"
    expected_position = 18 if expected == "check_char" else 17

    with pytest.raises(UsccError) as caught:
        parse_uscc(row["uscc"])

    assert (caught.value.code, caught.value.position) == (expected, expected_position)
    assert not is_valid_uscc(row["uscc"])


@pytest.mark.parametrize("row", VALID_ROWS + INVALID_ROWS, ids=lambda row: row["uscc"])
def test_check_chars_match_the_fixture(row: dict[str, str]) -> None:
    code = row["uscc"]

    assert uscc_check_char(code[:17]) == row["computed_check_char"]
    assert org_code_check_char(code[8:16]) == row["org_code_computed_check"]


def test_standard_worked_example_and_its_invalid_twin() -> None:
    # GB 32100-2015: Σ = 1640, 1640 mod 31 = 28, C18 = 31 - 28 = 3
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert parse_uscc("91350100M000100Y43").region_name == "福州市"

    with pytest.raises(UsccError) as caught:
        parse_uscc("91350100M000100Y4Z")

    assert caught.value.code == "check_char"
    assert caught.value.position == 18
    assert "'3'" in str(caught.value)


def test_pudong_enterprise_names_its_authority_category_and_region() -> None:
    parsed = parse_uscc("91310115MA1K3BTP2B")

    assert (parsed.authority_name, parsed.category_name) == ("工商", "企业")
    assert parsed.region_name == "浦东新区"
    assert str(parsed) == "91310115MA1K3BTP2B"


def test_retired_region_code_is_accepted() -> None:
    # 310119 南汇区 was merged into Pudong in 2009; firms registered before keep the code.
    body = "92310119" + _with_org_check("MA1K3BTP")

    parsed = parse_uscc(body + uscc_check_char(body))

    assert parsed.region_name == "南汇区"


@pytest.mark.parametrize(
    "text",
    [
        " 91310115MA1K3BTP2B ",
        "91310115ma1k3btp2b",
        "９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ",  # noqa: RUF001 — full-width, as pasted from Chinese text
        "9131-0115-MA1K-3BTP-2B",
        "913101 15MA1K3BTP2B",
        "91310115MA1K3BTP2B\u3000",
    ],
)
def test_normalised_spellings_parse(text: str) -> None:
    assert parse_uscc(text).code == "91310115MA1K3BTP2B"


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        ("", "length", None),
        ("91310115MA1K3BTP2", "length", None),
        ("91310115MA1K3BTP2BB", "length", None),
        ("91310115MA1K3BIP2B", "charset", 15),  # I is excluded from the 31-char set
        ("91310115MA1K3BTPOB", "charset", 17),
        ("B1310115MA1K3BTP2B", "authority", 1),
        ("94310115MA1K3BTP2B", "authority", 2),
        ("91999999MA1K3BTP2B", "region", 3),
        ("9131A115MA1K3BTP2B", "region", 5),
        ("91310115MA1K3BTP3B", "org_code", 17),
        ("91310115MA1K3BTP2C", "check_char", 18),
    ],
)
def test_each_rule_is_reported_with_its_position(
    text: str, code: str, position: int | None
) -> None:
    with pytest.raises(UsccError) as caught:
        parse_uscc(text)

    assert (caught.value.code, caught.value.position) == (code, position)
    assert caught.value.message_zh
    assert str(caught.value) == caught.value.message_en


def test_uscc_error_is_an_identifier_error_and_a_value_error() -> None:
    with pytest.raises(IdentifierError):
        parse_uscc("x")
    with pytest.raises(ValueError, match="must be 18 characters"):
        parse_uscc("x")


def test_uscc_error_survives_pickling() -> None:
    with pytest.raises(UsccError) as caught:
        parse_uscc("91310115MA1K3BTP2C")

    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 — our own object

    assert (type(copy), copy.code, copy.position) == (UsccError, "check_char", 18)
    assert copy.message_zh == caught.value.message_zh


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("MA1K3BTP2", True),
        ("07837941-X", True),  # the hyphenated way certificates print it
        ("07837941X", True),
        ("078379410", False),
        ("MA1K3BTP", False),
    ],
)
def test_org_code_validity(text: str, valid: bool) -> None:
    assert is_valid_org_code(text) is valid


def test_org_code_check_char_rejects_bad_input() -> None:
    with pytest.raises(UsccError, match="8 characters"):
        org_code_check_char("1234567")
    with pytest.raises(UsccError) as caught:
        org_code_check_char("1234567*")
    assert caught.value.position == 8


# --- properties ----------------------------------------------------------------------------

_AUTHORITY_CATEGORIES = ["11", "12", "13", "19", "51", "52", "91", "92", "93", "N1", "Y1"]
_REGIONS = [d.code for d in current_divisions()]
_ORG_BODY = st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8)


def _with_org_check(body8: str) -> str:
    return body8 + org_code_check_char(body8)


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(_AUTHORITY_CATEGORIES)) + draw(st.sampled_from(_REGIONS))
    first17 = prefix + _with_org_check(draw(_ORG_BODY))
    return first17 + uscc_check_char(first17)


@given(valid_usccs())
def test_a_computed_check_char_always_validates(code: str) -> None:
    assert parse_uscc(code).code == code


@given(valid_usccs(), st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET))
def test_any_single_character_change_is_detected(code: str, index: int, char: str) -> None:
    # 31 is prime and no weight is 0 mod 31, so one substitution always changes the sum.
    changed = code[:index] + char + code[index + 1 :]
    assert is_valid_uscc(changed) is (changed == code)


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise_uscc(text)
    assert normalise_uscc(once) == once


@given(st.text())
def test_parse_raises_only_uscc_error(text: str) -> None:
    try:
        parsed = parse_uscc(text)
    except UsccError:
        return
    assert is_valid_uscc(parsed.code)

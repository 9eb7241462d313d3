"""WIPO's 35 technology fields from IPC/CPC codes (the Schmoch concordance)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore._data import read_data_csv
from ipcore.technology import (
    SECTORS,
    TECHNOLOGY_FIELDS,
    TechnologyField,
    _index,
    technology_field,
    technology_fields,
)

SHARED_CN_TITLES = (
    Path(__file__).resolve().parents[3] / "shared/data/cn-patent-titles-ipc/cn_titles_ipc.csv.gz"
)
CONCORDANCE = read_data_csv("ipc_technology.csv")


def _examples(pattern: str) -> list[str]:
    """Codes the pattern matches, in the spellings the project meets: ``A61K   8/%`` gives
    ``A61K 8/02``, ``A61K8/02``, ``A61K0008020000``; ``F21H%`` also gives ``F21H``."""
    head, _, group = pattern.rstrip("%").partition(" ")
    subclass = head[:4]
    main = group.strip().rstrip("/") or "1"
    spelled = [f"{subclass} {main}/02", f"{subclass}{main}/02", f"{subclass}{main:0>4}020000"]
    return spelled if group else [subclass, *spelled]


def test_the_shipped_concordance_is_the_whole_table() -> None:
    # PROVENANCE.md: 764 rows; every field has at least one pattern.
    assert len(CONCORDANCE) == 764
    assert {int(row["Field_number"]) for row in CONCORDANCE} == set(range(1, 36))


@pytest.mark.parametrize("row", CONCORDANCE, ids=[row["IPC_code"] for row in CONCORDANCE])
def test_every_concordance_row_maps_its_own_codes_to_its_field(row: dict[str, str]) -> None:
    for code in _examples(row["IPC_code"]):
        field = technology_field(code)

        assert field is not None, code
        assert (field.number, field.name_en) == (int(row["Field_number"]), row["Field_en"])


def test_a_main_group_pattern_decides_within_a_split_subclass() -> None:
    # A61K has no subclass pattern: 8/ (cosmetics) is organic fine chemistry, 31/ pharmaceuticals.
    assert _number("A61K 8/02") == 14
    assert _number("A61K 31/00") == 16
    assert _number("A61K 80/00") is None  # "8/" is main group 8, not a prefix of 80
    assert _number("G01N 33/53") == 11
    assert _number("G01N 21/64") == 10
    assert _number("H04N 1/00") == 3
    assert _number("H04N 21/234") == 4
    assert _number("H04N 19/70") == 2


def test_the_more_specific_pattern_wins_over_its_subclass() -> None:
    # The shipped table never has both for one subclass; the rule must still hold if it does.
    index = _index([("A61K%", 16), ("A61K   8/%", 34)])
    rule = index["A61K"]

    assert rule.field_of("8") == 34
    assert rule.field_of("31") == 16
    assert rule.field_of(None) == 16


def test_a_bare_subclass_of_a_split_subclass_has_a_field_only_if_its_groups_agree() -> None:
    agreeing = _index([("E99Z   1/%", 5), ("E99Z   2/%", 5)])["E99Z"]
    split = _index([("E99Z   1/%", 5), ("E99Z   2/%", 6)])["E99Z"]

    assert agreeing.field_of(None) == 5
    assert split.field_of(None) is None
    assert technology_field("A61K") is None  # 14 or 16: the subclass alone cannot say


@pytest.mark.parametrize("pattern", ["F21H", "F21H  8%", "A61K 8/02%", "F21H%%"])
def test_a_pattern_of_another_form_is_a_data_error(pattern: str) -> None:
    with pytest.raises(ValueError, match="unknown concordance pattern"):
        _index([(pattern, 1)])


def test_a_pattern_listed_twice_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="listed twice"):
        _index([("F21H%", 1), ("F21H%", 2)])


@pytest.mark.parametrize(
    "code",
    [
        "H01M 4/525",
        "H01M4/525",
        "H01M0004525000",
        "H01M",
        "h01m 4/525",
        "H01M   4/525   (2010.01)",  # CNIPA XML
        "H01M   4/525        20100101AFI20230209BHEP",  # EPO DOCDB
        "\uff28\uff10\uff11\uff2d\uff14\uff0f\uff15\uff12\uff15",  # full-width H01M4/525
        "H01M2004/028",  # CPC 2000-series group in a whole-subclass pattern
    ],
)
def test_every_spelling_of_a_code_finds_its_field(code: str) -> None:
    assert _number(code) == 1


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   ",
        "H01",
        "H01M 0/00",
        "H01M 4/",
        "not a code",
        "Z99Z 1/00",
        "Y02E 10/50",  # CPC tagging section: no IPC field
        "A61K 2300/00",  # CPC indexing group of a split subclass
        "H01M 4/525 and more",
    ],
)
def test_unknown_or_malformed_codes_have_no_field(code: str) -> None:
    assert technology_field(code) is None


@given(st.text())
def test_any_text_gives_a_field_or_none(text: str) -> None:
    assert technology_field(text) is None or isinstance(technology_field(text), TechnologyField)


def test_a_patents_fields_are_distinct_in_order_of_first_appearance() -> None:
    codes = ["G06Q 10/06", "junk", "H01M 4/525", "G06Q 50/00", "A61K 31/00", "H01M"]

    assert [field.number for field in technology_fields(codes)] == [7, 1, 16]
    assert technology_fields([]) == ()


def test_thirty_five_fields_in_five_sectors_named_in_both_languages() -> None:
    assert [field.number for field in TECHNOLOGY_FIELDS] == list(range(1, 36))
    assert [sector.name_zh for sector in SECTORS] == [
        "电气工程",
        "仪器",
        "化学",
        "机械工程",
        "其他领域",
    ]
    for field in TECHNOLOGY_FIELDS:
        assert field.name_zh and field.name_en and field.sector_zh and field.sector_en
        assert field.sector in SECTORS
    computing = TECHNOLOGY_FIELDS[5]
    assert (computing.in_language("zh-hans"), computing.in_language("en")) == (
        "计算机技术",
        "Computer technology",
    )
    assert TECHNOLOGY_FIELDS[0].sector.in_language("zh") == "电气工程"


def test_sectors_follow_wipo_numbering() -> None:
    sizes = [sum(f.sector == sector for f in TECHNOLOGY_FIELDS) for sector in SECTORS]

    assert sizes == [8, 5, 11, 8, 3]


@pytest.mark.shared_data
def test_most_real_cn_patents_get_a_field() -> None:
    if not SHARED_CN_TITLES.exists():
        pytest.skip(f"{SHARED_CN_TITLES} is absent (a clone without ../shared)")
    with gzip.open(SHARED_CN_TITLES, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    with_field = sum(bool(technology_fields(row["ipc_subclasses"].split("|"))) for row in rows)

    # Measured 7,539 of 7,798: the rest carry only split subclasses (G01N, B01D, ...) or
    # IPC subclasses newer than the concordance (G06V, G16Y).
    assert with_field / len(rows) >= 0.96


def _number(code: str) -> int | None:
    field = technology_field(code)
    return field.number if field is not None else None


@pytest.mark.parametrize(
    ("code", "number"),
    [
        ("B64U 10/13", 32),
        ("G06V 20/17", 6),
        ("H10K 50/00", 8),
        ("H10W 90/00", 8),
        ("H04N 23/60", 2),
    ],
)
def test_symbols_newer_than_the_concordance_take_their_predecessors_field(
    code: str, number: int
) -> None:
    field = technology_field(code)
    assert field is not None and field.number == number

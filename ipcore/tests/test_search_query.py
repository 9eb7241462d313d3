"""The patent query language: fields, parsing, errors, rendering, limits."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcore.search import (
    DEFAULT_FIELD,
    FIELDS,
    FIELDS_BY_NAME,
    And,
    ClassificationTerm,
    Exact,
    FieldKind,
    MatchAll,
    Not,
    Or,
    Phrase,
    Query,
    QuerySyntaxError,
    Range,
    Span,
    Term,
    describe,
    field_named,
    parse,
    render,
)
from ipcore.search.fields import close_field_names

# --- fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("TI", "TI"),
        ("ti", "TI"),
        ("\uff34\uff29", "TI"),  # full-width
        ("标题", "TI"),
        ("名称", "TI"),
        ("发明名称", "TI"),
        ("Title", "TI"),
        ("摘要", "AB"),
        ("权利要求书", "CL"),
        ("主题", "TAC"),
        ("标题摘要权利要求", "TAC"),
        ("全文", "FT"),
        ("专利权人", "AP"),
        ("PA", "AP"),
        ("assignee", "AP"),
        ("申请人机构", "ORG"),
        ("organization", "ORG"),
        ("设计人", "IN"),
        ("IPC分类号", "IPC"),
        ("分类号", "IPC"),
        ("cpc", "CPC"),
        ("申请号", "AN"),
        ("公开公告号", "PN"),
        ("公告号", "PN"),
        ("申请日", "AD"),
        ("公告日", "PD"),
        ("授权日", "GD"),
        ("受理局", "CC"),
        ("国别", "CC"),
        ("country", "CC"),
        ("文献种类", "KD"),
        ("专利类型", "TYPE"),
        ("法律状态", "LS"),
        ("status", "LS"),
        ("技术领域", "FIELD"),
        ("权利要求数", "CLAIMS"),
        ("claims", "CLAIMS"),
    ],
)
def test_field_named(spelling: str, code: str) -> None:
    field = field_named(spelling)
    assert field is not None
    assert field.name == code


def test_unknown_field_names_nothing() -> None:
    assert field_named("XYZ") is None


def test_every_field_is_documented_in_both_languages() -> None:
    for field in FIELDS:
        assert field.label_zh
        assert field.label_en
        assert field.help_zh
        assert field.help_en
        assert field.aliases_zh


def test_field_codes_are_unique_and_indexed() -> None:
    assert len({field.name for field in FIELDS}) == len(FIELDS)
    assert set(FIELDS_BY_NAME) == {field.name for field in FIELDS}


def test_default_field_is_title_abstract_claims() -> None:
    assert DEFAULT_FIELD.name == "TAC"
    assert DEFAULT_FIELD.kind is FieldKind.TEXT
    assert DEFAULT_FIELD.covers == ("TI", "AB", "CL")


@pytest.mark.parametrize(
    ("code", "text", "values"),
    [
        ("TYPE", "发明", ("invention",)),
        ("TYPE", "实用新型", ("utility_model",)),
        ("TYPE", "Utility Model", ("utility_model",)),
        ("TYPE", "utility-model", ("utility_model",)),
        ("TYPE", "外观设计", ("design",)),
        ("TYPE", "植物", ("plant",)),
        ("TYPE", "再颁", ("reissue",)),
        ("LS", "审中", ("pending",)),
        ("LS", "有效", ("in_force",)),
        ("LS", "in force", ("in_force",)),
        ("LS", "届满", ("expired",)),
        ("LS", "撤回", ("withdrawn",)),
        ("LS", "无效", ("invalidated",)),
        ("LS", "lapsed", ("lapsed",)),
        ("TYPE", "nonsense", None),
    ],
)
def test_enumerated_values(code: str, text: str, values: tuple[str, ...] | None) -> None:
    assert FIELDS_BY_NAME[code].read_value(text) == values


def test_ended_status_means_every_end() -> None:
    ended = FIELDS_BY_NAME["LS"].read_value("失效")
    assert ended is not None
    assert set(ended) == {"lapsed", "expired", "withdrawn", "rejected", "invalidated", "abandoned"}


def test_close_field_names() -> None:
    assert FIELDS_BY_NAME["TI"] in close_field_names("TITEL")
    assert FIELDS_BY_NAME["AP"] in close_field_names("申请人名称")
    assert close_field_names("qqqqqq") == ()


# --- parsing: the tree --------------------------------------------------------------------

D = dt.date

PARSED: list[tuple[str, Query]] = [
    ("battery", Term("TAC", "battery")),
    ("Battery", Term("TAC", "battery")),
    ("锂电池", Term("TAC", "锂电池")),
    ("batter*", Term("TAC", "batter*", wildcard=True)),
    ("wom?n", Term("TAC", "wom?n", wildcard=True)),
    ('"solid electrolyte"', Phrase("TAC", "solid electrolyte")),
    ("“固态电解质”", Phrase("TAC", "固态电解质")),
    ("「固态 电解质」", Phrase("TAC", "固态 电解质")),
    ("TI=battery", Term("TI", "battery")),
    ("TI:battery", Term("TI", "battery")),
    ("ti = battery", Term("TI", "battery")),
    ("标题=锂电池", Term("TI", "锂电池")),
    ("\uff34\uff29\uff1d\uff08锂电池\uff09", Term("TI", "锂电池")),  # full-width TI=(锂电池)
    ("名称：锂电池", Term("TI", "锂电池")),
    ("a b", And((Term("TAC", "a"), Term("TAC", "b")))),
    ("a AND b", And((Term("TAC", "a"), Term("TAC", "b")))),
    ("a and b", And((Term("TAC", "a"), Term("TAC", "b")))),
    ("a && b", And((Term("TAC", "a"), Term("TAC", "b")))),
    ("a&&b", And((Term("TAC", "a"), Term("TAC", "b")))),
    ("a OR b", Or((Term("TAC", "a"), Term("TAC", "b")))),
    ("a || b", Or((Term("TAC", "a"), Term("TAC", "b")))),
    ("锂 与 钠", And((Term("TAC", "锂"), Term("TAC", "钠")))),
    ("锂 和 钠", And((Term("TAC", "锂"), Term("TAC", "钠")))),
    ("锂 且 钠", And((Term("TAC", "锂"), Term("TAC", "钠")))),
    ("锂 或 钠", Or((Term("TAC", "锂"), Term("TAC", "钠")))),
    ("锂 非 钠", And((Term("TAC", "锂"), Not(Term("TAC", "钠"))))),
    ("锂 不含 钠", And((Term("TAC", "锂"), Not(Term("TAC", "钠"))))),
    ("(锂)与(钠)", And((Term("TAC", "锂"), Term("TAC", "钠")))),
    # Chinese operators only stand alone: inside a word they are text.
    ("参与者", Term("TAC", "参与者")),
    ("锂与钠", Term("TAC", "锂与钠")),
    ("非晶硅", Term("TAC", "非晶硅")),
    ("和弦 或者", And((Term("TAC", "和弦"), Term("TAC", "或者")))),
    # Precedence: NOT > AND > OR.
    (
        "a OR b AND c",
        Or((Term("TAC", "a"), And((Term("TAC", "b"), Term("TAC", "c"))))),
    ),
    (
        "a AND NOT b OR c",
        Or((And((Term("TAC", "a"), Not(Term("TAC", "b")))), Term("TAC", "c"))),
    ),
    (
        "(a OR b) c",
        And((Or((Term("TAC", "a"), Term("TAC", "b"))), Term("TAC", "c"))),
    ),
    # Flattening.
    ("a AND (b AND c)", And((Term("TAC", "a"), Term("TAC", "b"), Term("TAC", "c")))),
    ("(a OR b) OR c", Or((Term("TAC", "a"), Term("TAC", "b"), Term("TAC", "c")))),
    ("((a))", Term("TAC", "a")),
    # Pure negations are anchored on MatchAll; double negation cancels.
    ("NOT a", And((MatchAll(), Not(Term("TAC", "a"))))),
    ("!a", And((MatchAll(), Not(Term("TAC", "a"))))),
    ("NOT a NOT b", And((MatchAll(), Not(Term("TAC", "a")), Not(Term("TAC", "b"))))),
    ("a OR NOT b", Or((Term("TAC", "a"), And((MatchAll(), Not(Term("TAC", "b"))))))),
    ("NOT NOT a", Term("TAC", "a")),
    ("NOT (NOT a)", Term("TAC", "a")),
    ("a (NOT b)", And((Term("TAC", "a"), Not(Term("TAC", "b"))))),
    # A field applies to a whole group; a field inside the group wins.
    ("TI=(锂电池 AND 正极)", And((Term("TI", "锂电池"), Term("TI", "正极")))),
    (
        "TI=(a OR (b NOT c))",
        Or((Term("TI", "a"), And((Term("TI", "b"), Not(Term("TI", "c")))))),
    ),
    ("TI=(a OR AB=b)", Or((Term("TI", "a"), Term("AB", "b")))),
    ("TI=(a) b", And((Term("TI", "a"), Term("TAC", "b")))),
    # After FIELD= a word is a value, taken literally.
    ("TI=and", Term("TI", "and")),
    ("TI=a:b", Term("TI", "a:b")),
    ("10:1", Term("TAC", "10:1")),
    # SQL and engine syntax characters are text.
    ("c++", Term("TAC", "c++")),
    ("o'brien", Term("TAC", "o'brien")),
    ("x^2 ~3 +a -b", And(tuple(Term("TAC", t) for t in ("x^2", "~3", "+a", "-b")))),
    ('"a;b--c"', Phrase("TAC", "a;b--c")),
    # Keywords.
    ("CC=cn", Exact("CC", "CN")),
    ("国家=US", Exact("CC", "US")),
    ("KD=b1", Exact("KD", "B1")),
    ("TYPE=发明", Exact("TYPE", "invention")),
    ("专利类型=实用新型", Exact("TYPE", "utility_model")),
    ("LS=有效", Exact("LS", "in_force")),
    ('ORG="Huawei  Technologies"', Exact("ORG", "Huawei Technologies")),
    ('ORG="Huawei Tech"*', Exact("ORG", "Huawei Tech", prefix=True)),
    ("ORG=华为*", Exact("ORG", "华为", prefix=True)),
    # Numbers.
    ("AN=CN202110123456.7", Exact("AN", "CN2021101234567")),
    ("申请号=cn 2021 1012 3456.7", Exact("AN", "CN2021101234567")),
    ('AN="CN 2021-1012/3456.7"', Exact("AN", "CN2021101234567")),
    ("PN=CN1234*", Exact("PN", "CN1234", prefix=True)),
    # Dates and numbers.
    ("AD=[2020-01-01 TO 2021-06-30]", Range("AD", D(2020, 1, 1), D(2021, 6, 30))),
    ("AD=[2020 TO 2021]", Range("AD", D(2020, 1, 1), D(2021, 12, 31))),
    ("AD=2020", Range("AD", D(2020, 1, 1), D(2020, 12, 31))),
    ("AD=2020-05", Range("AD", D(2020, 5, 1), D(2020, 5, 31))),
    ("AD=2020-02", Range("AD", D(2020, 2, 1), D(2020, 2, 29))),
    ("AD=202102", Range("AD", D(2021, 2, 1), D(2021, 2, 28))),
    ("AD=20200115", Range("AD", D(2020, 1, 15), D(2020, 1, 15))),
    ("AD=2020.1.5", Range("AD", D(2020, 1, 5), D(2020, 1, 5))),
    ("申请日=2020年5月", Range("AD", D(2020, 5, 1), D(2020, 5, 31))),
    ("AD=2020年5月6日", Range("AD", D(2020, 5, 6), D(2020, 5, 6))),
    ("AD>=2020-01-01", Range("AD", D(2020, 1, 1), None)),
    ("AD≥2020", Range("AD", D(2020, 1, 1), None)),
    ("AD<2021", Range("AD", None, D(2020, 12, 31))),
    ("AD<=2021", Range("AD", None, D(2021, 12, 31))),
    ("AD>2019", Range("AD", D(2020, 1, 1), None)),
    ("AD>2019-12-30", Range("AD", D(2019, 12, 31), None)),
    ("AD=[2020 TO *]", Range("AD", D(2020, 1, 1), None)),
    ("AD=[* TO 2020-06]", Range("AD", None, D(2020, 6, 30))),
    ("AD={2019 TO 2022}", Range("AD", D(2020, 1, 1), D(2021, 12, 31))),
    ("AD=[2020 至 2021]", Range("AD", D(2020, 1, 1), D(2021, 12, 31))),
    (
        "PD=(2020 OR 2022)",
        Or(
            (
                Range("PD", D(2020, 1, 1), D(2020, 12, 31)),
                Range("PD", D(2022, 1, 1), D(2022, 12, 31)),
            )
        ),
    ),
    ("CLAIMS>=10", Range("CLAIMS", 10, None)),
    ("CLAIMS>10", Range("CLAIMS", 11, None)),
    ("CLAIMS<10", Range("CLAIMS", None, 9)),
    ("CLAIMS=[5 TO 20]", Range("CLAIMS", 5, 20)),
    ("CLAIMS={5 TO 20}", Range("CLAIMS", 6, 19)),
    ("CLAIMS=7", Range("CLAIMS", 7, 7)),
    # Classification.
    ("IPC=H01M", ClassificationTerm("IPC", "H01M")),
    ("IPC=h01m*", ClassificationTerm("IPC", "H01M")),
    ("IPC=H01", ClassificationTerm("IPC", "H01")),
    ("IPC=H", ClassificationTerm("IPC", "H")),
    ("IPC=H01M4", ClassificationTerm("IPC", "H01M 4/00")),
    ("IPC=H01M 4/", ClassificationTerm("IPC", "H01M 4/00")),
    ("IPC=H01M4/00", ClassificationTerm("IPC", "H01M 4/00")),
    ("IPC=H01M0004000000", ClassificationTerm("IPC", "H01M 4/00")),
    ("IPC=H01M 4/525", ClassificationTerm("IPC", "H01M 4/525", exact=True)),
    ("IPC=H01M4/525", ClassificationTerm("IPC", "H01M 4/525", exact=True)),
    ("IPC=H04W0072540000", ClassificationTerm("IPC", "H04W 72/54", exact=True)),
    ("IPC=H04W72/540", ClassificationTerm("IPC", "H04W 72/54", exact=True)),
    ("IPC=H01M4/52*", ClassificationTerm("IPC", "H01M 4/52")),
    ('IPC="H01M 4/52"*', ClassificationTerm("IPC", "H01M 4/52")),
    ("CPC=Y02E60/10", ClassificationTerm("CPC", "Y02E 60/10", exact=True)),
    (
        "IPC=(H01M 4/525 OR G06F)",
        Or((ClassificationTerm("IPC", "H01M 4/525", True), ClassificationTerm("IPC", "G06F"))),
    ),
    # "4/525" joins the subclass only in a classification field.
    ("TI=H01M 4/525", And((Term("TI", "h01m"), Term("TAC", "4/525")))),
]


@pytest.mark.parametrize(("text", "tree"), PARSED, ids=[text for text, _ in PARSED])
def test_parse(text: str, tree: Query) -> None:
    assert parse(text) == tree


def test_multiple_status_values_read_as_or() -> None:
    tree = parse("LS=失效")
    assert isinstance(tree, Or)
    assert {child.value for child in tree.children if isinstance(child, Exact)} == {
        "lapsed",
        "expired",
        "withdrawn",
        "rejected",
        "invalidated",
        "abandoned",
    }


# --- classification semantics ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed_width", "compact", "main_group"),
    [
        ("H", "H", "H", False),
        ("H01", "H01", "H01", False),
        ("H01M", "H01M", "H01M", False),
        ("H01M4", "H01M0004", "H01M4/00", True),
        ("H01M 4/00", "H01M0004", "H01M4/00", True),
        ("H01M4/52*", "H01M000452", "H01M4/52", False),
        ("H01M 4/525", "H01M0004525000", "H01M4/525", False),
        ("A63F2009/241", "A63F2009241000", "A63F2009/241", False),
    ],
)
def test_classification_prefixes(
    text: str, fixed_width: str, compact: str, main_group: bool
) -> None:
    node = parse(f"IPC={text}")
    assert isinstance(node, ClassificationTerm)
    assert node.fixed_width_prefix == fixed_width
    assert node.compact == compact
    assert node.is_main_group is main_group


def test_fixed_width_prefix_selects_the_group_and_its_subgroups() -> None:
    group = parse("IPC=H01M4")
    assert isinstance(group, ClassificationTerm)
    members = ["H01M0004000000", "H01M0004525000", "H01M0004130000"]
    others = ["H01M0040000000", "H01M0014000000", "H01M0010052000"]
    assert all(code.startswith(group.fixed_width_prefix) for code in members)
    assert not any(code.startswith(group.fixed_width_prefix) for code in others)


# --- spans --------------------------------------------------------------------------------


def test_spans_are_columns_in_the_original_text() -> None:
    tree = parse('TI="solid electrolyte" AND 锂电池')
    assert isinstance(tree, And)
    assert tree.span == Span(1, 31)
    assert tree.children[0].span == Span(1, 23)
    assert tree.children[1].span == Span(28, 31)


def test_spans_survive_width_folding() -> None:
    text = "\uff34\uff29\uff1d\uff08a\u3000b\uff09 c"  # full-width TI=(a b) c, ideographic space
    tree = parse(text)
    assert isinstance(tree, And)
    assert [child.span for child in tree.children] == [Span(5, 6), Span(7, 8), Span(10, 11)]


def test_spans_do_not_affect_equality() -> None:
    assert parse("a") == parse("   a")
    assert parse("a").span != parse("   a").span


# --- errors -------------------------------------------------------------------------------

ERRORS = [
    # (query, code, column, words in the English message)
    ("(a OR b", "unclosed", 8, "expected ')'"),
    ("((a) OR b", "unclosed", 10, "column 1"),
    ("a OR b)", "unexpected_close", 7, "unexpected ')'"),
    (")", "unexpected_close", 1, "unexpected ')'"),
    ("()", "empty_group", 2, "empty parentheses"),
    ("XYZ=foo", "unknown_field", 1, "unknown field XYZ"),
    ("TITEL=foo", "unknown_field", 1, "did you mean TI (title)"),
    ("x:y", "unknown_field", 1, "put it in quotes"),
    ("a TITLE2:b", "unknown_field", 3, "TITLE2"),
    ("", "empty", 1, "empty"),
    ("   ", "empty", 1, "empty"),
    ("a AND", "missing_operand", 6, "after AND"),
    ("a 与", "missing_operand", 4, "after 与"),
    ("OR b", "missing_operand", 1, "OR needs a search term before it"),
    ("(AND b)", "missing_operand", 2, "AND needs a search term before it"),
    ("a OR OR b", "missing_operand", 6, "found 'OR'"),
    ("NOT", "missing_operand", 4, "after NOT"),
    ("a AND )", "missing_operand", 7, "found ')'"),
    ("*", "wildcard_only", 1, "only wildcards"),
    ("TI=*?", "wildcard_only", 4, "only wildcards"),
    ("*tery", "leading_wildcard", 1, "cannot start with a wildcard"),
    ("?ery", "leading_wildcard", 1, "cannot start with a wildcard"),
    ("lithium-ion*", "wildcard_span", 1, "one word"),
    ('TI="batter"*', "phrase_wildcard", 12, "quoted phrase"),
    ("AD=2021-02-30", "invalid_date", 4, "'2021-02-30' is not a valid date"),
    ("AD=2021-13-01", "invalid_date", 4, "not a valid date"),
    ("a AD>=2021-13", "invalid_date", 7, "not a valid date"),
    ("AD=[2020-01-01 TO 2021-02-30]", "invalid_date", 19, "not a valid date"),
    ("AD=0000", "invalid_date", 4, "not a valid date"),
    ("TI=[a TO b]", "range_not_allowed", 4, "TI (title) cannot take"),
    ("TI>=5", "range_not_allowed", 1, "cannot take >="),
    ("IPC<H01M", "range_not_allowed", 1, "cannot take <"),
    ("[2020 TO 2021]", "range_without_field", 1, "needs a date or number field"),
    ("AD=battery", "date_value", 4, "takes a date"),
    ("AD>=soon", "date_value", 5, "takes a date"),
    ("AD>=(2020)", "missing_value", 5, "expected a date"),
    ("CLAIMS=battery", "integer_value", 8, "for words use CL"),
    ("CLAIMS>=-1", "integer_value", 9, "whole number"),
    ("AD=[2021 TO 2020]", "empty_range", 4, "empty"),
    ("AD>9999-12-31", "empty_range", 4, "empty"),
    ("CLAIMS<0", "empty_range", 8, "empty"),
    ("AD=[2020 2021]", "range_syntax", 4, "[low TO high]"),
    ("AD=[2020 TO 2021", "unterminated_range", 4, "expected ']'"),
    ('"abc', "unterminated_quote", 1, "unterminated quote"),
    ('a "abc', "unterminated_quote", 3, "unterminated quote"),
    ("「abc", "unterminated_quote", 1, "」"),
    ('""', "empty_quotes", 1, "empty quotes"),
    ("--", "nothing_to_search", 1, "no letters"),
    ("a ;", "nothing_to_search", 3, "no letters"),
    ("TI=", "missing_value", 4, "expected a value after TI="),
    ("TI=)", "missing_value", 4, "expected a value after TI="),
    ("TYPE=foo", "unknown_value", 6, "use one of: invention"),
    ("LS=*", "unknown_value", 4, "no value"),
    ("CC=C?", "keyword_value", 4, "exact values"),
    ("AN=CN;1", "number_value", 4, "letters and digits"),
    ("IPC=XYZ", "classification_value", 5, "classification symbol"),
    ("IPC=H01M0/00", "classification_value", 5, "classification symbol"),
]


@pytest.mark.parametrize(
    ("text", "code", "column", "words"), ERRORS, ids=[text or "(empty)" for text, *_ in ERRORS]
)
def test_errors(text: str, code: str, column: int, words: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    error = caught.value
    assert (error.code, error.column) == (code, column), error
    assert words in error.message_en
    assert error.message_zh
    assert str(error) == f"column {column}: {error.message_en}"


def test_error_columns_are_in_the_original_text() -> None:
    # Full-width characters fold one to one; "ﬁ" (one character) folds to two.
    with pytest.raises(QuerySyntaxError) as caught:
        parse("\uff34\uff29\uff1d\uff08锂电池")  # full-width TI=(锂电池, unclosed
    assert caught.value.column == 8
    with pytest.raises(QuerySyntaxError) as caught:
        parse("\ufb01 AND")
    assert caught.value.column == 6


def test_errors_say_what_was_expected() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("(a OR b")
    assert caught.value.expected == ")"
    with pytest.raises(QuerySyntaxError) as caught:
        parse("a AND")
    assert caught.value.expected == "a search term"


def test_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError, match="column 1") as caught:
        parse("XYZ=1")
    assert isinstance(caught.value, QuerySyntaxError)
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert isinstance(copy, QuerySyntaxError)
    assert (copy.code, copy.column, copy.message_zh, copy.message_en, copy.expected) == (
        caught.value.code,
        caught.value.column,
        caught.value.message_zh,
        caught.value.message_en,
        caught.value.expected,
    )
    assert "unknown_field" in repr(copy)


# --- limits -------------------------------------------------------------------------------


def test_too_many_terms() -> None:
    parse(" ".join(["a"] * 200))
    with pytest.raises(QuerySyntaxError) as caught:
        parse(" ".join(["a"] * 201))
    assert caught.value.code == "too_many_terms"
    assert caught.value.column == 401
    assert "200" in caught.value.message_en


def test_ten_thousand_terms_fail_fast() -> None:
    text = " OR ".join(f"term{i}" for i in range(10_000))
    started = time.perf_counter()
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text, max_length=len(text))
    assert caught.value.code == "too_many_terms"
    # With the default length limit the same query is refused before it is read at all.
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert caught.value.code == "too_long"
    assert time.perf_counter() - started < 1.0


def test_too_long() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("a" * 2001)
    assert caught.value.code == "too_long"
    assert caught.value.column == 2001
    assert "2000" in caught.value.message_en
    assert parse("a" * 2000) == Term("TAC", "a" * 2000)


def test_too_deep() -> None:
    assert parse("(" * 32 + "a" + ")" * 32) == Term("TAC", "a")
    with pytest.raises(QuerySyntaxError) as caught:
        parse("(" * 33 + "a" + ")" * 33)
    assert caught.value.code == "too_deep"
    assert caught.value.column == 33
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        parse("TI=" + "(" * 40 + "a" + ")" * 40)


def test_many_nots_cost_no_recursion() -> None:
    assert parse("NOT " * 400 + "a") == Term("TAC", "a")


def test_depth_limit_has_a_ceiling() -> None:
    with pytest.raises(ValueError, match="max_depth"):
        parse("a", max_depth=10_000)


# --- rendering ----------------------------------------------------------------------------

RENDERED = [
    (
        'TI="Solid Electrolyte" AND (AB=batter* OR IPC=H01M)',
        'TI:"solid electrolyte" AND (AB:batter* OR IPC:H01M*)',
    ),
    ("锂电池 正极", "TAC:锂电池 AND TAC:正极"),
    ("a b OR c", "(TAC:a AND TAC:b) OR TAC:c"),
    ("NOT a", "NOT TAC:a"),
    ("a OR NOT b", "TAC:a OR (NOT TAC:b)"),
    ("NOT (a OR b)", "NOT (TAC:a OR TAC:b)"),
    ("申请日=2020", "AD:[2020-01-01 TO 2020-12-31]"),
    ("AD=20200115", "AD:2020-01-15"),
    ("AD>2019", "AD:[2020-01-01 TO *]"),
    ("CLAIMS>=10", "CLAIMS:[10 TO *]"),
    ("CLAIMS=3", "CLAIMS:3"),
    ("IPC=H01M 4/525", "IPC:H01M4/525"),
    ("IPC=H01M4", "IPC:H01M4/00"),
    ("IPC=H01M4/52*", "IPC:H01M4/52*"),
    ("AN=CN202110123456.7", "AN:CN2021101234567"),
    ('ORG="Huawei Tech"*', 'ORG:"Huawei Tech"*'),
    ('ORG=「say "hi"」', 'ORG:「say "hi"」'),
    ("TYPE=实用新型", "TYPE:utility_model"),
    ("TI=and", "TI:and"),
]


@pytest.mark.parametrize(("text", "canonical"), RENDERED, ids=[text for text, _ in RENDERED])
def test_render(text: str, canonical: str) -> None:
    assert render(parse(text)) == canonical
    assert render(parse(canonical)) == canonical


def test_match_all_alone_has_no_syntax() -> None:
    with pytest.raises(ValueError, match="MatchAll"):
        render(MatchAll())


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("TI=锂电池", "标题包含“锂电池”", "title contains “锂电池”"),
        (
            "AD=2020 AND IPC=H01M4",
            "申请日在 2020-01-01 至 2020-12-31 之间 且 IPC分类号属于大组 H01M 4/00（含其下各小组）",
            "application date is from 2020-01-01 to 2020-12-31 and "
            "IPC classification is in main group H01M 4/00 or its subgroups",
        ),
        ("NOT a", "全部专利，但非标题/摘要/权利要求包含“a”", "every patent, but not"),
        ("CLAIMS>=10", "权利要求数至少为 10", "claim count is at least 10"),
        ("AD<2020", "申请日不晚于 2019-12-31", "application date is 2019-12-31 or earlier"),
        ("PN=CN1*", "公开（公告）号以“CN1”开头", "publication number starts with “CN1”"),
        ("a OR (b c)", "或 （", "or (title"),
    ],
)
def test_describe(text: str, zh: str, en: str) -> None:
    tree = parse(text)
    assert zh in describe(tree, "zh")
    assert en in describe(tree, "en")


# --- properties ---------------------------------------------------------------------------

# Tokens chosen to hit every corner of the lexer: operators in three spellings, fields of
# every kind, quotes of every kind, brackets, wildcards, width-folded and combining forms.
PIECES = [
    *"ab锂电池与 ()\"“”「」『』*?:=<>[]{}!&|'-;^~+.,/0123456789",
    "AND",
    "OR",
    "NOT",
    " 与 ",
    " 或 ",
    " 非 ",
    "TI=",
    "AD=",
    "IPC=",
    "CLAIMS>=",
    "LS=",
    "TYPE=",
    "AN=",
    "ORG=",
    " TO ",
    "H01M",
    " 4/525",
    "2020",
    "2020-05-01",
    "\uff34\uff29\uff1d",
    "\uff08",
    "\uff09",
    "e\u0301",
    "\u3000",
    "\ufb01",
]
soup = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def check_round_trip(tree: Query) -> None:
    canonical = render(tree)
    again = parse(canonical)
    assert again == tree, canonical
    assert render(again) == canonical


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=60), soup))
def test_any_text_gives_a_tree_or_a_syntax_error(text: str) -> None:
    try:
        tree = parse(text)
    except QuerySyntaxError as error:
        assert 1 <= error.column <= len(text) + 1
        return
    check_round_trip(tree)


words = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True) | st.text(
    alphabet="锂电池正极钠", min_size=1, max_size=4
)
text_fields = st.sampled_from([f.name for f in FIELDS if f.kind is FieldKind.TEXT])
dates = st.dates(min_value=dt.date(1985, 1, 1), max_value=dt.date(2040, 12, 31))


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    if draw(st.booleans()):
        low_date, high_date = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
        field = draw(st.sampled_from(["AD", "PD", "GD"]))
        return Range(
            field, draw(st.none() | st.just(low_date)), draw(st.none() | st.just(high_date))
        )
    low, high = sorted(draw(st.lists(st.integers(0, 500), min_size=2, max_size=2)))
    return Range("CLAIMS", draw(st.none() | st.just(low)), draw(st.none() | st.just(high)))


classification = st.sampled_from(
    [
        ClassificationTerm("IPC", "H"),
        ClassificationTerm("IPC", "H01"),
        ClassificationTerm("CPC", "H01M"),
        ClassificationTerm("IPC", "H01M 4/00"),
        ClassificationTerm("IPC", "H01M 4/52"),
        ClassificationTerm("CPC", "Y02E 60/10", exact=True),
        ClassificationTerm("IPC", "A63F 2009/241", exact=True),
    ]
)
leaves = st.one_of(
    st.builds(Term, text_fields, words),
    st.builds(lambda f, w: Term(f, w + "*", wildcard=True), text_fields, words),
    st.builds(Phrase, text_fields, st.lists(words, min_size=1, max_size=3).map(" ".join)),
    st.builds(Exact, st.just("CC"), st.from_regex(r"[A-Z]{2}", fullmatch=True)),
    st.builds(
        Exact,
        st.just("ORG"),
        st.from_regex(r"[A-Za-z华为()\"「]+( [A-Za-z华为]+)?", fullmatch=True),
        st.booleans(),
    ),
    st.builds(Exact, st.just("PN"), st.from_regex(r"CN[0-9]{3,9}[AB]?", fullmatch=True)),
    st.builds(Exact, st.just("TYPE"), st.sampled_from(["invention", "design"])),
    classification,
    ranges(),
)


@given(leaves)
def test_every_leaf_renders_to_itself(leaf: Query) -> None:
    check_round_trip(leaf)


trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, min_size=2, max_size=4).map(lambda c: And(tuple(c))),
        st.lists(children, min_size=2, max_size=4).map(lambda c: Or(tuple(c))),
        children.map(Not),
    ),
    max_leaves=12,
)


@given(trees)
def test_rendering_is_a_fixed_point(tree: Query) -> None:
    """Any tree, once read back, renders to text that reads back to the same tree."""
    canonical = parse(render(tree))
    check_round_trip(canonical)


# --- docs ---------------------------------------------------------------------------------


def test_every_field_and_spelling_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.partition("## Search query language")[2]
    assert section, "ipcore/README.md lacks its 'Search query language' section"
    for field in FIELDS:
        assert f"| `{field.name}` |" in section
        for spelling in (*field.aliases_zh, *field.aliases_en):
            assert spelling in section, f"{field.name}: {spelling}"

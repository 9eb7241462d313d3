"""Strategic emerging industries (CNIPA's 2021 concordance), the key fields and their matcher."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore._data import read_data_csv
from ipcore.classification import ClassificationCode
from ipcore.industries import (
    PatternError,
    Rule,
    RuleSyntaxError,
    Scope,
    Verdict,
    format_rules,
    parse_pattern,
    parse_rules,
    sei_concordance,
)
from ipcore.industries.key_fields import (
    DefinitionError,
    KeyFieldText,
    definition_of,
    key_fields,
    shipped_key_fields,
)
from ipcore.industries.patterns import PatentCode, patent_code
from ipcore.industries.rules import mentions, normalise_text

SEI = sei_concordance()
RULES = read_data_csv("sei_ipc_rules_2021.csv")
SHARED = Path(__file__).resolve().parents[3] / "shared/data"


def _code(text: str) -> PatentCode:
    parsed = patent_code(text)
    assert parsed is not None, text
    return parsed


# -- patterns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "scope", "symbol", "star"),
    [
        ("G16*", Scope.CLASS, "G16", True),
        ("B41J*", Scope.SUBCLASS, "B41J", True),
        ("G16H", Scope.SUBCLASS, "G16H", False),
        ("H04L1*", Scope.MAIN_GROUP, "H04L1", True),
        ("H03M13", Scope.MAIN_GROUP, "H03M13", False),
        ("h04l 1/00*", Scope.MAIN_GROUP, "H04L1", True),
        ("G06F15/00", Scope.GROUP, "G06F15/00", False),
        ("G06F 9/445", Scope.GROUP, "G06F9/445", False),
        ("\uff27\uff10\uff16\uff26\uff13/\uff10\uff14\uff18*", Scope.GROUP, "G06F3/048", True),
        ("H01M0004525000", Scope.GROUP, "H01M4/525", False),
    ],
)
def test_patterns_read_in_every_spelling(text: str, scope: Scope, symbol: str, star: bool) -> None:
    pattern = parse_pattern(text)

    assert (pattern.scope, pattern.symbol, pattern.star) == (scope, symbol, star)


@pytest.mark.parametrize("text", ["", "*", "H04L1**", "G0*6F", "X99Z", "H04L 0*", "12/34"])
def test_unreadable_patterns_say_so_in_both_languages(text: str) -> None:
    with pytest.raises(PatternError) as raised:
        parse_pattern(text)

    assert "分类号范围" in raised.value.message_zh
    assert "classification pattern" in raised.value.message_en


def test_a_main_group_pattern_is_a_node_of_the_hierarchy_not_a_text_prefix() -> None:
    h04l1 = parse_pattern("H04L1*")

    assert h04l1.covers(_code("H04L 1/00")) is Verdict.YES
    assert h04l1.covers(_code("H04L 1/18")) is Verdict.YES
    assert h04l1.covers(_code("H04L 12/28")) is Verdict.NO
    assert h04l1.covers(_code("H04L 1/0001")) is Verdict.YES


subgroups = st.from_regex(r"\d{2}[1-9]{0,4}", fullmatch=True)


@given(main=st.integers(min_value=2, max_value=9999), sub=subgroups)
def test_h04l1_never_covers_another_main_group(main: int, sub: str) -> None:
    code = PatentCode("H04L", str(main), sub)

    assert parse_pattern("H04L1*").covers(code) is Verdict.NO
    assert parse_pattern("H04L1*").covers(PatentCode("H04L", "1", sub)) is Verdict.YES


def test_a_group_without_star_is_that_group_only() -> None:
    heading = parse_pattern("G06F15/00")

    assert heading.covers(_code("G06F 15/00")) is Verdict.YES
    assert heading.covers(_code("G06F 15/16")) is Verdict.NO
    assert parse_pattern("G06F9/44").covers(_code("G06F 9/445")) is Verdict.NO


def test_a_subgroup_with_star_covers_the_subgroups_numbered_from_it() -> None:
    design = parse_pattern("G06F30/32*")

    assert [design.covers(_code(f"G06F 30/{n}")) for n in ("32", "323", "327", "33", "31")] == [
        Verdict.YES,
        Verdict.YES,
        Verdict.YES,
        Verdict.NO,
        Verdict.NO,
    ]


def test_a_code_known_only_to_its_subclass_is_certain_only_above_group_level() -> None:
    bare = _code("H04L")

    assert parse_pattern("H04*").covers(bare) is Verdict.YES
    assert parse_pattern("H04L*").covers(bare) is Verdict.YES
    assert parse_pattern("H04L1*").covers(bare) is Verdict.UNKNOWN
    assert parse_pattern("G06F1*").covers(bare) is Verdict.NO


# -- the concordance as shipped ---------------------------------------------------------------


def test_the_concordance_is_the_whole_table() -> None:
    assert len(SEI.industries) == 9
    assert len(SEI.sub_categories) == 40
    assert sum(len(SEI.rules_of(c.code)) for c in SEI.sub_categories) == len(RULES) == 303
    patterns = sum(
        len(rule.include) + len(rule.exclude)
        for category in SEI.sub_categories
        for rule in SEI.rules_of(category.code)
    )
    assert patterns == 2671
    assert SEI.category("1.5").name_zh == "人工智能"
    assert SEI.category("1.5").parent == "1"
    assert all(category.name_en for category in SEI.categories)


def test_the_quirks_of_the_source_read_as_documented() -> None:
    # G16H and H03M13 lack "*" in the source: both mean the whole subclass / main group.
    assert SEI.categories_of(["G16H 10/60"]) == {"1.3"}  # via 1.3 rule 2's G16*
    assert "1.2" in SEI.categories_of(["H03M 13/11"])
    g16h = SEI.rules_of("1.5")[6].include[1]
    assert (g16h.symbol, g16h.covers(_code("G16H 50/20"))) == ("G16H", Verdict.YES)
    # 1.1 rule 3 lists G01S1/02 both ways: the exclusion wins.
    rule = SEI.rules_of("1.1")[2]
    assert rule.verdict(_code("G01S 1/02")) is Verdict.NO


def test_h04l1_is_next_generation_networks_and_h04l12_28_is_not() -> None:
    assert SEI.categories_of(["H04L 1/00"]) == {"1.1"}
    assert SEI.categories_of(["H04L 1/18"]) == {"1.1"}
    # H04L 12/28: 1.1 rule 3 includes H04L12* but excludes 12/28; 8.1 rule 1 names it.
    assert "1.1" not in SEI.categories_of(["H04L 12/28"])
    assert SEI.categories_of(["H04L 12/28"]) == {"8.1"}


def test_an_excluded_subgroup_is_excluded() -> None:
    # 1.1 rule 1: G06F21* minus G06F21/60; rule 2 excludes all of G06F21*. 1.4 rule 2 names it.
    assert SEI.categories_of(["G06F 21/60"]) == {"1.4"}
    assert SEI.categories_of(["G06F 21/10"]) == {"1.1"}
    assert SEI.industries_of(["G06F 21/60", "A61K 31/00"]) == {"1", "4"}


def _examples(pattern_text: str) -> str:
    """A code the pattern covers: the group itself, or a group deep inside the symbol."""
    pattern = parse_pattern(pattern_text)
    if pattern.scope is Scope.GROUP:
        return f"{pattern.symbol}"
    if pattern.scope is Scope.MAIN_GROUP:
        return f"{pattern.symbol}/9876"
    if pattern.scope is Scope.SUBCLASS:
        return f"{pattern.symbol}9876/54"
    return f"{pattern.symbol}Z9876/54"


@pytest.mark.parametrize("row", RULES, ids=[f"{r['sei_code']}-{r['rule_no']}" for r in RULES])
def test_every_rule_of_the_table_assigns_its_own_codes(row: dict[str, str]) -> None:
    rule = SEI.rules_of(row["sei_code"])[int(row["rule_no"]) - 1]
    for pattern in row["ipc_include"].split():
        code = _examples(pattern)
        if rule.verdict(_code(code)) is Verdict.NO:  # the rule excludes it too (1.1 rule 3)
            assert any(p.covers(_code(code)) is Verdict.YES for p in rule.exclude)
            continue
        if rule.terms:
            assert row["sei_code"] in SEI.categories_of([code], text=rule.terms[0]), code
        else:
            assert row["sei_code"] in SEI.categories_of([code]), code
    for pattern in row["ipc_exclude"].split():
        assert rule.verdict(_code(_examples(pattern))) is Verdict.NO, pattern


def test_keyword_terms_qualify_exactly_the_rules_that_name_keywords() -> None:
    qualified = {
        (category.code, number)
        for category in SEI.sub_categories
        for number, rule in enumerate(SEI.rules_of(category.code), start=1)
        if rule.terms
    }
    naming = {
        (row["sei_code"], int(row["rule_no"])) for row in RULES if "关键词" in row["keywords"]
    }
    assert qualified == naming
    assert len(qualified) == 9


def test_a_keyword_rule_needs_the_text() -> None:
    quantum = ["G06N 99/00"]  # 1.2 rule 7: B81C* B82Y10/00 G06N99/00 with quantum terms

    assert SEI.categories_of(quantum) == set()
    assert SEI.categories_of(quantum, text="一种超导量子芯片的读出电路") == {"1.2"}
    assert SEI.categories_of(quantum, text="Qubit readout for a quantum computer") == {"1.2"}
    assert SEI.categories_of(quantum, text="A method of baking bread") == set()
    assert SEI.match(quantum).possible == {"1.2"}
    assert SEI.wants_text(quantum)
    assert not SEI.wants_text(["H04L 1/00"])


def test_terms_match_traditional_chinese_and_latin_word_starts() -> None:
    assert mentions(normalise_text("量子計算晶片"), ["量子计算"])
    assert mentions(normalise_text("Epileptic seizure detection"), ["epilep"])
    assert not mentions(normalise_text("Rebranding a brainless toy"), ["rain"])
    assert not mentions(normalise_text("Ethernet switch"), ["ethereum"])


alphabet = st.sampled_from(
    sorted(
        {
            p.subclass
            for c in SEI.sub_categories
            for r in SEI.rules_of(c.code)
            for p in r.include
            if p.subclass
        }
    )
)


@given(
    subclass=alphabet,
    main=st.integers(min_value=1, max_value=9999),
    sub=subgroups,
)
def test_categories_do_not_depend_on_how_a_code_is_spelt(
    subclass: str, main: int, sub: str
) -> None:
    code = ClassificationCode(subclass[0], subclass[1:3], subclass[3], str(main), sub)
    spellings = [
        code.normalised,
        code.compact,
        code.fixed_width,
        code.normalised.lower(),
        f"{code.subclass_code}  {main:04d}/{sub} (2006.01)",
    ]
    found = {spelling: SEI.match([spelling]) for spelling in spellings}

    assert len(set(found.values())) == 1, found


@given(codes=st.lists(st.sampled_from(["H04L 1/18", "G06F 21/60", "A61K 31/00", "H04L", "x"])))
def test_a_patents_categories_are_the_union_of_its_codes(codes: list[str]) -> None:
    union = set().union(*(SEI.categories_of([code]) for code in codes))

    assert SEI.categories_of(codes) == union
    assert SEI.match(codes).certain <= SEI.match(codes).possible


# -- the rule notation ------------------------------------------------------------------------


def test_rules_read_one_a_line_with_exclusions_terms_and_sources() -> None:
    rules = parse_rules(
        "# a comment line\n\nG06F16* -G06F16/90 | 健康；医疗; health  # ipops, 2026\nH04N19*\n"
    )

    assert [r.line() for r in rules] == [
        "G06F16* -G06F16/90 | 健康；医疗；health  # ipops, 2026",
        "H04N19*",
    ]
    assert parse_rules(format_rules(rules)) == rules


@pytest.mark.parametrize(
    ("text", "line", "zh"),
    [
        ("H04N19*\nH04Q9/99/1", 2, "第 2 行"),
        ("-G06F16*", 1, "没有纳入的分类号"),
        ("G06F16* |  ", 1, "没有关键词"),
    ],
)
def test_an_unreadable_rule_names_its_line(text: str, line: int, zh: str) -> None:
    with pytest.raises(RuleSyntaxError) as raised:
        parse_rules(text)

    assert raised.value.line == line
    assert zh in raised.value.message_zh
    assert f"line {line}" in raised.value.message_en


sei_patterns = st.sampled_from(
    [p for c in SEI.sub_categories for r in SEI.rules_of(c.code) for p in (*r.include, *r.exclude)]
)


@given(
    include=st.lists(sei_patterns, min_size=1, max_size=4),
    exclude=st.lists(sei_patterns, max_size=3),
    terms=st.lists(st.sampled_from(["健康", "medical", "量子计算"]), max_size=2, unique=True),
)
def test_the_notation_reads_back_what_it_writes(include, exclude, terms) -> None:  # type: ignore[no-untyped-def]
    rule = Rule(tuple(include), tuple(exclude), tuple(terms), source="SEI 1.1")

    assert parse_rules(rule.line()) == (rule,)


# -- key fields -------------------------------------------------------------------------------


def test_the_seven_key_fields_of_the_plan_are_shipped_with_their_sources() -> None:
    shipped = shipped_key_fields()

    assert [f.name_zh[:4] for f in shipped] == [
        "新一代信",
        "健康医疗",
        "集成电路",
        "人工智能",
        "航空航天",
        "生物医药",
        "高端装备",
    ]
    for text in shipped:
        definition = definition_of(text)
        assert definition.source.startswith("浦府〔2018〕151号")
        assert all(rule.source for rule in definition.rules), text.code


@pytest.mark.parametrize(
    ("codes", "text", "fields"),
    [
        (["H04N 19/70"], None, {"next-gen-it"}),  # a video codec: the plan names it
        (["H04L 1/18"], None, {"next-gen-it"}),  # builds on SEI industry 1
        (["G06N 3/08"], None, {"next-gen-it", "ai"}),
        (["G06V 40/16"], None, {"ai"}),  # newer than the concordance
        (["G06F 30/327"], None, {"next-gen-it", "integrated-circuits"}),
        (["H10B 12/00"], None, {"integrated-circuits"}),
        (["G16H 50/20"], None, {"next-gen-it", "health-big-data"}),
        (["G06F 16/21"], "医院电子病历的存储方法", {"next-gen-it", "health-big-data"}),
        (["G06F 16/21"], "A spreadsheet engine", {"next-gen-it"}),
        (["A61K 31/00"], None, {"biomedicine"}),
        (["B64U 10/13"], None, {"aerospace"}),
        (["B64C 27/08"], None, {"aerospace", "high-end-equipment"}),
        (["B61L 27/00"], None, {"high-end-equipment"}),
        (["A01B 1/00"], None, {"high-end-equipment"}),  # SEI 2.1 rule 1: A01B*
        (["C07C 1/00"], None, set()),
    ],
)
def test_key_fields_of_real_codes(codes: list[str], text: str | None, fields: set[str]) -> None:
    assert key_fields().fields_of(codes, text=text) == fields


def _edited(**changes: object) -> KeyFieldText:
    base = shipped_key_fields()[4]
    values = {**base.__dict__, **changes}
    return KeyFieldText(**values)


@pytest.mark.parametrize(
    ("changes", "field", "zh"),
    [
        ({"builds_on": ("2.9",)}, "builds_on", "没有 2.9"),
        ({"rules": "B64U*\nB64Q9*|"}, "rules", "第 2 行"),
        ({"builds_on": (), "rules": ""}, "rules", "定义为空"),
        ({"name_zh": " "}, "name_zh", "中文名称"),
    ],
)
def test_a_definition_that_cannot_apply_is_refused(
    changes: dict[str, object], field: str, zh: str
) -> None:
    with pytest.raises(DefinitionError) as raised:
        definition_of(_edited(**changes))

    assert raised.value.field == field
    assert zh in raised.value.message_zh


def test_edited_definitions_change_the_match() -> None:
    edited = [*shipped_key_fields()[:4], _edited(rules="B64U* B64F*"), *shipped_key_fields()[5:]]

    assert key_fields(edited).fields_of(["B64F 5/10"]) == {"aerospace", "high-end-equipment"}
    assert key_fields().fields_of(["B64F 1/36"]) == set()


# -- the real corpus ----------------------------------------------------------------------------


@pytest.mark.shared_data
def test_share_of_cn_patents_in_a_strategic_emerging_industry() -> None:
    """Coverage on the real Chinese data (see the ipcore README for the figures)."""
    titles = SHARED / "cn-patent-titles-ipc/cn_titles_ipc.csv.gz"
    if not titles.exists():
        pytest.skip(f"{titles} is absent (a clone without ../shared)")
    with gzip.open(titles, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    matches = [SEI.match(row["ipc_subclasses"].split("|"), text=row["title"]) for row in rows]
    certain = sum(bool(m.certain) for m in matches) / len(rows)
    possible = sum(bool(m.possible) for m in matches) / len(rows)

    # Subclasses only: certain where a rule takes a whole subclass with no exclusion in it.
    # Measured: 439 certain (5.6 %), 6,902 possible (88.5 %) of 7,798.
    assert 0.05 <= certain <= possible
    assert possible >= 0.85

    lens = SHARED / "lens-export-drones/drones_fulltext_families_5884_raw.csv.gz"
    with gzip.open(lens, "rt", encoding="utf-8", newline="") as handle:
        cn = [row for row in csv.DictReader(handle) if row["Jurisdiction"] == "CN"]
    found = [
        SEI.categories_of(row["IPCR Classifications"].split(";;"), text=row["Title"]) for row in cn
    ]
    # Full IPC groups: measured 217 of 355 (61 %) in some strategic emerging industry.
    assert len(cn) == 355
    assert sum(bool(categories) for categories in found) / len(cn) >= 0.55

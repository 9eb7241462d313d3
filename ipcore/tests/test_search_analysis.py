"""Text analysis for search: CJK bigrams, words, the light stemmer — and why bigrams are exact."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.search.analysis import (
    index_tokens,
    is_cjk,
    is_one_run,
    normalise_text,
    query_tokens,
    single_cjk_char_pattern,
    stem_english,
)

# A small alphabet makes repeated characters, and so near-miss bigram chains, common.
FEW_HAN = "锂电池正极材料"
cjk_text = st.text(alphabet=FEW_HAN, min_size=1, max_size=30)


def occurs_consecutively(needle: list[str], haystack: list[str]) -> bool:
    width = len(needle)
    return any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("LITHIUM", "lithium"),
        ("\uff2c\uff49\uff54\uff48\uff49\uff55\uff4d", "lithium"),  # full-width
        ("Straße", "strasse"),
        ("锂电池", "锂电池"),
        ("\uff0c", ","),  # full-width comma
    ],
)
def test_normalise_text(text: str, normalised: str) -> None:
    assert normalise_text(text) == normalised


@given(st.text())
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("锂电池正极", ["锂电", "电池", "池正", "正极"]),
        ("锂", ["锂"]),
        ("金属锂", ["金属", "属锂"]),
        ("5G基站", ["5g", "基站"]),
        ("锂电池 Positive electrodes", ["锂电", "电池", "positive", "electrodes"]),
        ("Lithium-ion, 3.5 V!", ["lithium", "ion", "3", "5", "v"]),
        ("snake_case", ["snake", "case"]),
        ("正极，极片", ["正极", "极片"]),
        ("电，池子", ["电", "池子"]),
        # Japanese kanji fold like Traditional Chinese (電 → 电), so 電池 and 电池 meet.
        ("リチウム電池", ["リチ", "チウ", "ウム", "ム电", "电池"]),
        ("리튬", ["리튬"]),
        ("\u3400\u3401", ["\u3400\u3401"]),  # extension A
        ("\U00020000\U00020001", ["\U00020000\U00020001"]),  # extension B
        ("ＬＩＴＨＩＵＭ电池", ["lithium", "电池"]),
        ("", []),
        ("—— ；。", []),
    ],
)
def test_index_tokens(text: str, tokens: list[str]) -> None:
    assert index_tokens(text) == tokens


def test_query_tokens_analyse_as_the_index_does() -> None:
    assert query_tokens("锂电池") == ["锂电", "电池"]
    assert query_tokens("Solid Electrolyte") == ["solid", "electrolyte"]
    assert query_tokens("锂") == ["锂"]


@given(st.text(max_size=40))
def test_query_and_index_tokens_agree(text: str) -> None:
    assert query_tokens(text) == index_tokens(text)


@given(cjk_text, st.data())
def test_every_substring_is_found(text: str, data: st.DataObject) -> None:
    """Recall: a substring of two or more characters is a consecutive run of bigrams."""
    if len(text) < 2:
        return
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 2, len(text)))
    assert occurs_consecutively(query_tokens(text[start:end]), index_tokens(text))


@given(cjk_text, st.text(alphabet=FEW_HAN, min_size=2, max_size=5))
def test_only_substrings_are_found(text: str, term: str) -> None:
    """Precision: consecutive bigrams that chain spell the term, so a match is a substring."""
    found = occurs_consecutively(query_tokens(term), index_tokens(text))
    assert found == (term in text)


@given(st.text(alphabet=FEW_HAN, min_size=1, max_size=12), st.sampled_from(FEW_HAN))
def test_single_character_pattern_finds_the_character(text: str, char: str) -> None:
    pattern = re.compile(single_cjk_char_pattern(char))
    found = any(pattern.fullmatch(token) for token in index_tokens(text))
    assert found == (char in text)


def test_single_character_pattern_rejects_other_input() -> None:
    with pytest.raises(ValueError, match="one CJK character"):
        single_cjk_char_pattern("ab")
    with pytest.raises(ValueError, match="one CJK character"):
        single_cjk_char_pattern("a")


@pytest.mark.parametrize(
    ("char", "cjk"),
    [("锂", True), ("ア", True), ("한", True), ("\u3007", True), ("a", False), ("1", False)],
)
def test_is_cjk(char: str, cjk: bool) -> None:
    assert is_cjk(char) is cjk


@pytest.mark.parametrize(
    ("text", "one"),
    [("batter", True), ("锂电", True), ("h01m", True), ("lithium-ion", False), ("5G基站", False)],
)
def test_is_one_run(text: str, one: bool) -> None:
    assert is_one_run(text) is one


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("batteries", "batteri"),
        ("battery", "batteri"),
        ("charging", "charg"),
        ("charged", "charg"),
        ("charges", "charg"),
        ("charge", "charg"),
        ("processes", "process"),
        ("process", "process"),
        ("hopping", "hop"),
        ("filing", "file"),
        ("conflated", "conflat"),  # 1b puts the e back, 5a takes it off again
        ("agreed", "agre"),
        ("feed", "feed"),
        ("sing", "sing"),
        ("electrodes", "electrod"),
        ("is", "is"),
        ("h01m", "h01m"),
        ("锂电池", "锂电池"),
    ],
)
def test_stem_english(word: str, stem: str) -> None:
    assert stem_english(word) == stem


@pytest.mark.parametrize(
    "family",
    [
        ("battery", "batteries"),
        ("charge", "charges", "charged", "charging"),
        ("electrode", "electrodes"),
        ("coat", "coated", "coating", "coats"),
    ],
)
def test_stemming_conflates_inflections(family: tuple[str, ...]) -> None:
    assert len({stem_english(word) for word in family}) == 1


def test_stemming_is_only_on_request() -> None:
    assert index_tokens("Coated electrodes") == ["coated", "electrodes"]
    assert index_tokens("Coated electrodes", stem=True) == ["coat", "electrod"]
    assert index_tokens("涂覆电极", stem=True) == ["涂覆", "覆电", "电极"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=15))
def test_stemming_never_lengthens_much_or_fails(word: str) -> None:
    # Porter's repairs add at most one "e" to what they stripped.
    assert len(stem_english(word)) <= len(word) + 1


def test_traditional_and_simplified_analyse_alike() -> None:
    assert (
        index_tokens("鋰電池正極") == index_tokens("锂电池正极") == ["锂电", "电池", "池正", "正极"]
    )

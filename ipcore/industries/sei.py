"""战略性新兴产业 — CNIPA's 2021 concordance of strategic emerging industries to IPC.

《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》 (国知办函规字〔2021〕121号) maps
the 9 industries and 40 sub-categories of the NBS classification of strategic emerging
industries (国家统计局令第23号, 2018) to IPC: 303 rules of 2,671 patterns in all. It is the
official definition of "a patent in a strategic emerging industry", the first of CNIPA's five
kinds of high-value invention patent. Shipped as the three CSVs of ``data/`` (see
``data/PROVENANCE.md``), read with the pattern semantics of :mod:`ipcore.industries.patterns`
and the rule semantics of :mod:`ipcore.industries.rules`.

Keywords. Every rule of the table carries a 关键词 text, but almost all of them describe the
products of the sub-category the codes stand for (``计算机和辅助设备修理``); they are kept as
each rule's ``note`` and not applied: the codes alone decide. Nine rules instead name terms a
patent must mention (``量子计算、量子芯片、量子测控等量子计算机相关关键词`` over B81C*, B82Y10/00,
G06N99/00): those are qualified by the terms of ``data/sei_keyword_terms_2021.csv``, ipops's
own table of the named terms plus their English (most of the corpus is English), and match
only a patent whose title or abstract is given and mentions one. Rules whose text only says
what is *not* meant (``不包含非机动车``) keep it as a note: no code or term can apply it.

IPC revisions. The table's symbols are IPC 2020/2021 (``G06K9/*``, ``H01L*``); codes of
symbols created since (G06V, the H10 series, B64U) match nothing here, as the concordance
says nothing about them. ``categories_of`` therefore under-counts patents classified only in
the newest symbols; the plan's key fields (:mod:`ipcore.industries.key_fields`) name the
successors where they matter.

>>> sei = sei_concordance()
>>> sorted(sei.categories_of(["H04L 1/18"]))
['1.1']
>>> sorted(sei.industries_of(["H04L 1/18"]))
['1']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from ipcore._data import read_data_csv
from ipcore.industries.patterns import ClassPattern, parse_pattern
from ipcore.industries.rules import FieldDefinition, FieldSet, Match, Rule

SCHEME: Final = "sei"
TITLE_ZH: Final = "战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）"
TITLE_EN: Final = "Concordance of strategic emerging industries to the IPC (2021, trial)"


@dataclass(frozen=True)
class SeiCategory:
    """A strategic emerging industry (``level`` 1, code ``"1"``) or one of its sub-categories
    (``level`` 2, code ``"1.1"``, ``parent`` ``"1"``)."""

    code: str
    name_zh: str
    name_en: str
    level: int
    parent: str | None

    def in_language(self, language: str) -> str:
        """The name in the asked language, falling back to the other one."""
        first, second = (
            (self.name_zh, self.name_en)
            if language.startswith("zh")
            else (self.name_en, self.name_zh)
        )
        return first or second


@dataclass(frozen=True, eq=False)
class SeiConcordance:
    """The concordance: its categories (industries, then sub-categories, in table order),
    the rules of each sub-category, and the matcher."""

    categories: tuple[SeiCategory, ...]
    fields: FieldSet

    def category(self, code: str) -> SeiCategory:
        """The industry or sub-category coded ``code``; ``KeyError`` for an unknown code."""
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    @property
    def industries(self) -> tuple[SeiCategory, ...]:
        """The nine level-1 industries."""
        return tuple(c for c in self.categories if c.level == 1)

    @property
    def sub_categories(self) -> tuple[SeiCategory, ...]:
        """The forty level-2 sub-categories, which the rules define."""
        return tuple(c for c in self.categories if c.level == 2)

    def rules_of(self, code: str) -> tuple[Rule, ...]:
        """The rules of a sub-category, in the table's order."""
        return self.fields.definition(code).rules

    def match(self, codes: Iterable[str], *, text: str | None = None) -> Match:
        """Sub-categories a patent is certainly and possibly in (see ``FieldSet.match``)."""
        return self.fields.match(codes, text=text)

    def categories_of(self, codes: Iterable[str], *, text: str | None = None) -> frozenset[str]:
        """The sub-categories (``"1.1"`` …) a patent with these IPC codes (any spelling)
        certainly belongs to; ``text`` (title and abstract) lets the nine keyword-qualified
        rules match too."""
        return self.fields.fields_of(codes, text=text)

    def industries_of(self, codes: Iterable[str], *, text: str | None = None) -> frozenset[str]:
        """The level-1 industries (``"1"`` … ``"9"``) of :meth:`categories_of`."""
        return self.industries_for(self.categories_of(codes, text=text))

    def industries_for(self, sub_categories: Iterable[str]) -> frozenset[str]:
        """The level-1 industries of these sub-category codes."""
        return frozenset(self.category(code).parent or code for code in sub_categories)

    def wants_text(self, codes: Iterable[str]) -> bool:
        """Whether a patent's text could add a sub-category (see ``FieldSet.wants_text``)."""
        return self.fields.wants_text(codes)


@cache
def sei_concordance() -> SeiConcordance:
    """The concordance, read once from ``ipcore/data``; a row that disagrees with another
    file raises (a silently dropped pattern would move patents between industries)."""
    names_en = {row["code"]: row["name_en"] for row in read_data_csv("sei_categories_en_2021.csv")}
    categories = tuple(
        SeiCategory(
            code=row["code"],
            name_zh=row["name"],
            name_en=names_en[row["code"]],
            level=int(row["level"]),
            parent=row["parent_code"] or None,
        )
        for row in read_data_csv("sei_categories_2021.csv")
    )
    rules = _rules()
    definitions = tuple(
        FieldDefinition(
            scheme=SCHEME,
            code=category.code,
            name_zh=category.name_zh,
            name_en=category.name_en,
            rules=rules.get(category.code, ()),
            parent=category.parent,
            source=TITLE_ZH,
        )
        for category in categories
        if category.level == 2
    )
    empty = [d.code for d in definitions if not d.rules]
    if empty:
        raise ValueError(f"SEI sub-categories without rules: {empty}")
    return SeiConcordance(categories, FieldSet(definitions))


def _rules() -> dict[str, tuple[Rule, ...]]:
    patterns = _patterns()
    terms = _keyword_terms()
    rules: dict[str, list[Rule]] = defaultdict(list)
    for row in read_data_csv("sei_ipc_rules_2021.csv"):
        key = (row["sei_code"], row["rule_no"])
        include = patterns.pop((*key, "include"), ())
        exclude = patterns.pop((*key, "exclude"), ())
        for role, listed, parsed in (
            ("include", row["ipc_include"], include),
            ("exclude", row["ipc_exclude"], exclude),
        ):
            if listed.split() != [raw for raw, _ in parsed]:
                raise ValueError(f"SEI rule {key}: {role} patterns disagree between the files")
        rules[row["sei_code"]].append(
            Rule(
                include=tuple(p for _, p in include),
                exclude=tuple(p for _, p in exclude),
                terms=terms.pop(key, ()),
                source=f"{TITLE_ZH} {row['sei_code']} {row['sei_name']}，"
                f"第 {row['source_pdf_page']} 页第 {row['rule_no']} 条",
                note=row["keywords"],
            )
        )
    if patterns or terms:
        raise ValueError(f"SEI patterns or terms for no rule: {sorted(patterns) + sorted(terms)}")
    return {code: tuple(found) for code, found in rules.items()}


def _patterns() -> dict[tuple[str, str, str], list[tuple[str, ClassPattern]]]:
    """Each rule's patterns by role, checked against the file's own reading of them."""
    found: dict[tuple[str, str, str], list[tuple[str, ClassPattern]]] = defaultdict(list)
    for row in read_data_csv("sei_ipc_patterns_2021.csv"):
        pattern = parse_pattern(row["pattern_raw"])
        if (pattern.scope.value, pattern.symbol, pattern.star) != (
            row["scope"],
            row["symbol"],
            row["with_descendants"] == "1",
        ):
            raise ValueError(f"SEI pattern {row['pattern_raw']!r} read as {pattern!r}")
        found[(row["sei_code"], row["rule_no"], row["role"])].append((row["pattern_raw"], pattern))
    return found


def _keyword_terms() -> dict[tuple[str, str], tuple[str, ...]]:
    return {
        (row["sei_code"], row["rule_no"]): tuple(t.strip() for t in row["terms"].split("；"))
        for row in read_data_csv("sei_keyword_terms_2021.csv")
    }

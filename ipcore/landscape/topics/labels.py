"""主题标签 — the words that name each topic, read from its patents' titles by c-TF-IDF.

A topic is named by the terms its titles use often and the other topics' titles use rarely:
class-based TF-IDF (Grootendorst, "BERTopic", 2022), each topic's titles read as one
document. A term's weight in topic ``c`` is ``tf(t, c) · log(1 + A / f(t))`` where
``tf(t, c)`` is the share of the topic's term occurrences that are ``t``, ``f(t)`` is how
often ``t`` occurs in all topics and ``A`` the mean number of term occurrences per topic.
Occurrences are counted once per patent (a title that says 无人机 twice is one patent about
drones).

The terms come from the project's own text analysis (``ipcore.search.analysis``: NFKC,
case-folding, Traditional → Simplified, the same CJK ranges), but a label needs words a
reader recognises rather than the index's bigrams:

* **Chinese** (any CJK run): the run is cut where title boilerplate (一种, 基于, 方法, 装置 …)
  or a function character (的, 及, 与 …) stands, and every n-gram of 2 to 5 characters of the pieces
  is a candidate. An n-gram that mostly occurs inside a longer candidate (``锂离子电`` inside
  ``锂离子电池`` in at least :data:`ABSORBED` of its patents) gives way to it, so a label
  reads 锂离子电池 rather than its fragments.
* **Other scripts**: words of three or more letters that are not stop words, and runs of two
  or three adjacent such words ("unmanned aerial vehicle"); a shorter run gives way to a
  longer one as CJK n-grams do. Inflected forms count as one term
  (``ipcore.search.analysis.stem_english``) and are shown in their most frequent form.

A topic's label is its best :data:`LABEL_TERMS` Chinese terms and best English terms; terms
that overlap one already chosen (share a CJK bigram or an English word) are passed over, so
"unmanned aerial" and "aerial vehicle" do not both fill a label. A script in which fewer than
:data:`MIN_SCRIPT_SHARE` of a topic's titles are written does not name it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from ipcore.search.analysis import CJK_RANGES, normalise_text, stem_english

LABEL_TERMS: Final = 3
MIN_CJK: Final = 2
MAX_CJK: Final = 5
MAX_WORDS: Final = 3
ABSORBED: Final = 0.5
"""A shorter term gives way to a longer one containing it found in this share of its
patents (存储介质 over 介质; 0.8 kept 介质, bench/README.md "topics.py")."""
MIN_SCRIPT_SHARE: Final = 0.2
"""A topic is named in a script (CJK, or other) only where at least this share of its titles
is written in it: three English titles among fifty Chinese ones name nothing reliably."""
MIN_SUPPORT: Final = 2
"""Distinct titles of a topic a term must occur in to name it (1 in a topic of one title)."""
HALF_CLOSED: Final = 0.5
"""The weight kept by a CJK term that ends a phrase on one side only (see topic_terms)."""

_CJK_CLASS: Final = "".join(f"{chr(low)}-{chr(high)}" for low, high in CJK_RANGES)
_CJK_CHAR: Final = re.compile(f"[{_CJK_CLASS}]")
_RUNS: Final = re.compile(f"(?P<cjk>[{_CJK_CLASS}]+)|(?P<word>[^\\W_{_CJK_CLASS}]+)")

# Words of patent titles that name no technology: they are cut out of a CJK run (and the run
# split there), longest first so 其制备方法 goes whole.
_CJK_BOILERPLATE: Final = tuple(
    sorted(
        {
            "一种",
            "一类",
            "其制备方法",
            "生产用",
            "制备方法",
            "及其",
            "以及",
            "基于",
            "用于",
            "应用于",
            "适用于",
            "方法",
            "装置",
            "系统",
            "设备",
            "用途",
            "其应用",
            "本发明",
            "实用新型",
            "包括",
            "具有",
            "所述",
        },
        key=lambda word: (-len(word), word),
    )
)
# Characters that are function words wherever they stand in a title.
_CJK_FUNCTION: Final = frozenset("的及与和或其并之该")
# Terms that are words of their own but name no topic.
_CJK_GENERIC: Final = frozenset(
    [
        *("制备", "应用", "使用", "生产", "结构", "组件", "机构"),
        *("部件", "单元", "模块", "工艺", "技术", "产品"),
    ]
)
_BOILERPLATE_RE: Final = re.compile("|".join(map(re.escape, _CJK_BOILERPLATE)))
_FUNCTION_RE: Final = re.compile(f"[{''.join(sorted(_CJK_FUNCTION))}]")

STOP_WORDS: Final = frozenset(
    [
        "a", "an", "the", "and", "or", "not", "of", "to", "in", "on", "at", "by", "for", "from",
        "with", "without", "into", "onto", "over", "under", "above", "below", "between", "among",
        "through", "during", "before", "after", "about", "against", "as", "than", "then", "that",
        "this", "these", "those", "there", "here", "which", "who", "whom", "whose", "what", "when",
        "where", "why", "how", "is", "are", "was", "were", "be", "been", "being", "am", "do",
        "does", "did", "done", "has", "have", "had", "having", "can", "could", "may", "might",
        "must", "shall", "should", "will", "would", "it", "its", "itself", "they", "them", "their",
        "we", "our", "you", "your", "he", "she", "his", "her", "one", "two", "three", "each",
        "every", "any", "all", "some", "such", "other", "same", "more", "most", "many", "much",
        "few", "own", "only", "also", "very", "so", "just", "both", "either", "neither", "nor",
        "but", "if", "while", "whereas", "thereof", "therein", "wherein", "whereby", "said",
        "first", "second", "third", "plurality", "comprising", "comprises", "comprise",
        "including", "includes", "include", "configured", "adapted", "arranged", "provided",
        "provide", "provides", "providing", "using", "used", "use", "uses", "based", "via",
        "least", "embodiment", "embodiments", "invention", "present", "disclosure", "disclosed",
        "method", "methods", "system", "systems", "apparatus", "apparatuses", "device", "devices",
        "means", "thereto", "therefor", "process", "processes", "making", "made", "manufacturing",
        "manufacture", "producing", "production", "improved", "improvement", "new", "novel",
        "related", "type", "types", "unit", "units", "structure", "assembly", "assemblies",
        "arrangement"
    ]
)

Term = str


@dataclass(frozen=True)
class TopicTerms:
    """The label terms of one topic, best first: Chinese and other-script terms apart."""

    chinese: tuple[str, ...]
    other: tuple[str, ...]


@dataclass
class _Candidates:
    """What one topic's titles say of each candidate term."""

    patents: Counter[Term] = field(default_factory=Counter)  # patents whose title has it
    titles: Counter[Term] = field(default_factory=Counter)  # distinct titles that have it
    # The characters seen just before and after a CJK term ("" for the edge of its piece),
    # gathered until the side is known to be closed: an edge, or two different characters.
    before: dict[Term, set[str]] = field(default_factory=dict)
    after: dict[Term, set[str]] = field(default_factory=dict)
    scripts: Counter[str] = field(default_factory=Counter)  # distinct titles by script

    def names_in(self, script: str) -> bool:
        """Whether enough of the topic's titles are in ``script`` to name it in it."""
        total = sum(self.scripts.values())
        return total > 0 and self.scripts[script] >= MIN_SCRIPT_SHARE * total

    def add(self, title: str, times: int, written: dict[Term, Counter[str]]) -> None:
        self.scripts["cjk" if _CJK_CHAR.search(title) else "other"] += 1
        terms, forms, sides = title_terms(title)
        for term in terms:
            self.patents[term] += times
            self.titles[term] += 1
        for key, form in forms.items():
            written.setdefault(key, Counter())[form] += times
        for term, (left, right) in sides.items():
            _note(self.before, term, left)
            _note(self.after, term, right)

    def closed_sides(self, term: Term) -> int:
        """How many of a term's ends stand where a piece ends, or before (after) more than
        one character: 2 for a word; 0 for the inside of a longer phrase (``机电池快``)."""
        if not is_cjk_term(term):
            return 2
        return sum(
            "" in seen or len(seen) > 1
            for seen in (self.before.get(term, {""}), self.after.get(term, {""}))
        )


def _note(sides: dict[Term, set[str]], term: Term, chars: set[str]) -> None:
    seen = sides.setdefault(term, set())
    if "" not in seen and len(seen) < 2:  # not known to be closed yet
        seen |= chars


def title_terms(
    title: str,
) -> tuple[set[Term], dict[Term, str], dict[Term, tuple[set[str], set[str]]]]:
    """The candidate terms of one title; for each word term, the form it was written in; for
    each CJK term, the characters before and after it ("" at the edge of its piece).

    CJK terms are the text itself (``无人机``); word terms are keyed by their stems, each with
    a leading ``~`` (``~vehicl``, ``~aerial ~vehicl``), and shown as written (``vehicles``).
    """
    terms: set[Term] = set()
    written: dict[Term, str] = {}
    sides: dict[Term, tuple[set[str], set[str]]] = {}
    words: list[str] = []  # the current run of adjacent content words
    for match in _RUNS.finditer(normalise_text(title)):
        text = match.group()
        if match.lastgroup == "cjk":
            words = []
            for term, left, right in _cjk_grams(text):
                terms.add(term)
                before, after = sides.setdefault(term, (set(), set()))
                before.add(left)
                after.add(right)
            continue
        if not _is_content_word(text):
            words = []
            continue
        words.append(text)
        for size in range(1, min(MAX_WORDS, len(words)) + 1):
            phrase = words[-size:]
            key = " ".join("~" + stem_english(word) for word in phrase)
            terms.add(key)
            written[key] = " ".join(phrase)
    return terms, written, sides


def _is_content_word(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit() and word not in STOP_WORDS


def cjk_terms(run: str) -> set[Term]:
    """The n-grams (2 to 5 characters) of a CJK run, cut at boilerplate and function characters."""
    return {term for term, _left, _right in _cjk_grams(run)}


def _cjk_grams(run: str) -> Iterator[tuple[Term, str, str]]:
    """Each n-gram of :func:`cjk_terms` with the characters before and after it ("" at the
    edge of its piece)."""
    for piece in _FUNCTION_RE.split(_BOILERPLATE_RE.sub(" ", run)):
        for segment in piece.split():
            for size in range(MIN_CJK, min(MAX_CJK, len(segment)) + 1):
                for start in range(len(segment) - size + 1):
                    gram = segment[start : start + size]
                    if gram in _CJK_GENERIC or gram.endswith("用"):
                        continue  # a generic word, or "for …" (加工用; 应用, 使用 too)
                    end = start + size
                    yield gram, segment[start - 1 : start], segment[end : end + 1]


def is_cjk_term(term: Term) -> bool:
    return not term.startswith("~")


def topic_terms(
    titles: Sequence[Sequence[str]], *, limit: int = LABEL_TERMS
) -> list[TopicTerms]:
    """The label terms of each topic from its patents' titles (one sequence of titles per
    topic, one title per patent; a patent without a title is an empty string).

    A term must occur in :data:`MIN_SUPPORT` distinct titles of the topic (a title filed
    twice, as an invention and a utility model, is one), and a CJK term must end, on at
    least one side, where a piece of text ends or where what follows it varies: the inside
    of a longer phrase (``机电池快`` of ``无人机电池快速更换``) names nothing. A term closed
    on one side only weighs half.
    """
    candidates: list[_Candidates] = []
    written: dict[Term, Counter[str]] = {}
    for topic in titles:
        found = _Candidates()
        for title, times in Counter(topic).items():
            found.add(title, times, written)
        found.patents = _absorb(found.patents)
        candidates.append(found)
    weights = c_tf_idf([found.patents for found in candidates])
    return [
        _label(weight, found, written, limit, support=min(MIN_SUPPORT, len(set(topic)) or 1))
        for weight, found, topic in zip(weights, candidates, titles, strict=True)
    ]


def _absorb(count: Counter[Term]) -> Counter[Term]:
    """Leave out a term found inside a longer candidate in at least ABSORBED of its patents
    (``锂离子电`` beside ``锂离子电池``, ``aerial vehicle`` beside ``unmanned aerial
    vehicle``): the longer one names it."""
    longest_within: dict[Term, int] = {}
    for term, n in count.items():
        for part in _parts(term):
            if n > longest_within.get(part, 0):
                longest_within[part] = n
    return Counter(
        {term: n for term, n in count.items() if longest_within.get(term, 0) < ABSORBED * n}
    )


def _parts(term: Term) -> Iterator[Term]:
    """The shorter candidates inside a term: its CJK n-grams of two or more characters, or
    its runs of fewer words."""
    if is_cjk_term(term):
        for size in range(MIN_CJK, len(term)):
            for start in range(len(term) - size + 1):
                yield term[start : start + size]
        return
    words = term.split()
    for size in range(1, len(words)):
        for start in range(len(words) - size + 1):
            yield " ".join(words[start : start + size])


def c_tf_idf(counts: Sequence[Counter[Term]]) -> list[dict[Term, float]]:
    """Each topic's terms weighted by class-based TF-IDF (see the module's docstring)."""
    totals = [sum(count.values()) for count in counts]
    overall: Counter[Term] = Counter()
    for count in counts:
        overall.update(count)
    average = sum(totals) / len(counts) if counts else 0.0
    return [
        {
            term: (n / total) * math.log(1.0 + average / overall[term])
            for term, n in count.items()
        }
        if total
        else {}
        for count, total in zip(counts, totals, strict=True)
    ]


def _label(
    weight: dict[Term, float],
    found: _Candidates,
    written: dict[Term, Counter[str]],
    limit: int,
    *,
    support: int,
) -> TopicTerms:
    score = {
        term: value * (1.0 if closed == 2 else HALF_CLOSED)
        for term, value in weight.items()
        if found.titles[term] >= support and (closed := found.closed_sides(term)) > 0
    }
    ranked = sorted(score, key=lambda term: (-score[term], -len(term), term))
    chinese = _pick((t for t in ranked if is_cjk_term(t)), limit, _bigrams)
    other = _pick((t for t in ranked if not is_cjk_term(t)), limit, _stems)
    if not found.names_in("cjk"):
        chinese = []
    if not found.names_in("other"):
        other = []
    return TopicTerms(
        chinese=tuple(chinese),
        other=tuple(written[term].most_common(1)[0][0] for term in other),
    )


def _pick(ranked: Iterable[Term], limit: int, parts: Callable[[Term], set[str]]) -> list[Term]:
    chosen: list[Term] = []
    used: set[str] = set()
    for term in ranked:
        if len(chosen) >= limit:
            break
        own = parts(term)
        if own & used:
            continue
        chosen.append(term)
        used |= own
    return chosen


def _bigrams(term: Term) -> set[str]:
    return {term[i : i + 2] for i in range(len(term) - 1)}


def _stems(term: Term) -> set[str]:
    return set(term.split())

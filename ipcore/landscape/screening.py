"""目标市场风险排查 — the framework-free parts of a risk screening.

A screening takes a product or technology description (Chinese or English, as an analyst
writes it, not the query language) and lists the patents of a target office closest to it,
found two ways and fused: by meaning (the embedding of the whole description) and by words.
The words are read from the description here: CJK text as the character bigrams the index
holds (a bigram spanning a function character such as 的 or 所, and patent boilerplate such
as 一种 or 所述, is dropped: they match everywhere and mean nothing), other text as words
without stop words. Passages are highlighted where these words occur, in any of their
inflected forms (the keyword side searches stemmed).

A screening is not a legal opinion: :data:`DISCLAIMER_ZH` and :data:`DISCLAIMER_EN` are shown
with every result, page and file alike.
"""

from __future__ import annotations

import re
from typing import Final

from ipcore.search.analysis import index_tokens, is_cjk, normalise_text, stem_english

MAX_TERMS: Final = 64

DISCLAIMER_ZH: Final = (
    "免责声明：本结果是依据关键词检索与语义相似度，对目标市场在先专利所作的初步风险排查，"
    "不构成专利侵权判定意见或自由实施（FTO）法律意见。权利要求的保护范围、法律状态与稳定性，"
    "须由专利代理师或律师依据完整专利文件与官方登记信息核实；中国以外受理局的有效状态为依据"
    "授权与法定保护期限的估计。"
)
DISCLAIMER_EN: Final = (
    "Disclaimer: this is a preliminary risk screening of prior patents in the target market, "
    "found by keyword search and semantic similarity. It is not an infringement opinion or a "
    "legal freedom-to-operate (FTO) opinion. Claim scope, legal status and validity must be "
    "verified by a patent attorney or lawyer against the full documents and the official "
    "registers; outside China, status is an estimate from the grant and the statutory term."
)

# Characters that make a bigram noise: function words and the particles of patent Chinese.
# Content characters that also serve as function words (能 in 储能, 可 in 可调, 有 in 有机,
# 在 in 在线, 种 in 种子) are kept.
_FUNCTION_CHARACTERS: Final = frozenset("的了是和与及或其该所个为于将把被由从并等这那也都而之着")
_BOILERPLATE_BIGRAMS: Final = frozenset(
    {
        "一种",
        "本发",
        "发明",
        "明涉",
        "涉及",
        "明提",
        "提供",
        "实用",
        "用新",
        "新型",
        "包括",
        "进行",
        "通过",
        "具有",
        "能够",
        "可以",
        "至少",
        "一个",
        "多个",
    }
)
_STOP_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "not",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "over",
        "under",
        "above",
        "below",
        "between",
        "among",
        "through",
        "during",
        "before",
        "after",
        "about",
        "against",
        "as",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "has",
        "have",
        "had",
        "having",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "i",
        "me",
        "my",
        "one",
        "two",
        "each",
        "every",
        "any",
        "all",
        "some",
        "such",
        "other",
        "same",
        "more",
        "most",
        "many",
        "much",
        "few",
        "own",
        "only",
        "also",
        "very",
        "so",
        "just",
        "both",
        "either",
        "neither",
        "nor",
        "but",
        "if",
        "while",
        "whereas",
        "thereof",
        "therein",
        "wherein",
        "whereby",
        "said",
        "first",
        "second",
        "third",
        "plurality",
        "comprising",
        "comprises",
        "comprise",
        "comprised",
        "including",
        "includes",
        "include",
        "included",
        "consisting",
        "configured",
        "adapted",
        "arranged",
        "provided",
        "provide",
        "provides",
        "providing",
        "using",
        "used",
        "use",
        "uses",
        "based",
        "via",
        "least",
        "embodiment",
        "embodiments",
        "invention",
        "present",
        "disclosure",
        "disclosed",
        "method",
        "methods",
        "system",
        "systems",
        "apparatus",
        "device",
        "devices",
    ]
)
_WORD: Final = re.compile(r"[^\W_]+")


def description_terms(text: str, *, limit: int = MAX_TERMS) -> tuple[str, ...]:
    """The keyword terms of a description, in order of first appearance, at most ``limit``:
    CJK bigrams (normalised: Simplified, NFKC) and lower-case words of two or more letters
    that are not stop words or bare numbers."""
    terms: dict[str, None] = {}
    for token in index_tokens(text):
        if len(terms) >= limit:
            break
        if _wanted(token):
            terms.setdefault(token, None)
    return tuple(terms)


def _wanted(token: str) -> bool:
    if is_cjk(token[0]):
        return (
            len(token) == 2
            and token not in _BOILERPLATE_BIGRAMS
            and not any(char in _FUNCTION_CHARACTERS for char in token)
        )
    return len(token) >= 2 and token not in _STOP_WORDS and not token.isdigit()


def matching_words(text: str, terms: tuple[str, ...]) -> list[str]:
    """What to highlight in ``text`` for these terms: the CJK terms themselves (they match
    as substrings) and every word of the text whose stem is a term's stem, as written
    there (``drones`` for the term ``drone``)."""
    cjk = [term for term in terms if is_cjk(term[0])]
    stems = {stem_english(term) for term in terms if not is_cjk(term[0])}
    words = {
        word
        for word in (normalise_text(found) for found in _WORD.findall(text))
        if not is_cjk(word[0]) and stem_english(word) in stems
    }
    return [*cjk, *sorted(words)]

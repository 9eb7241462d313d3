"""Typo merges: a rare spelling joins a much more frequent one a letter or two away.

Precision comes from four conditions that must all hold, each a reason a reviewer can read:

* **shape** — the two names differ in at most two words on each side and share at least one
  word; the differing words, read in order and glued, are within one edit (five to eight
  letters) or two edits (nine or more) — so ``Navy``/``Army`` (three edits) never merge,
  and no word of four letters or fewer, and no word with a digit, may differ at all;
* **frequency** — the target spelling has at least ``typo_min_anchor_mentions`` mentions
  itself, and its cluster at least ``typo_anchor_ratio`` times those of the variant's;
* **rarity** — every word only the variant has is rare in the whole input (at most
  ``typo_token_max_mentions`` mentions, and at most ``typo_token_ratio`` of the word it
  replaces): a misspelling is rare, a real name such as ``Sanyu`` soon is not;
* **one target** — the variant joins the most mentioned qualifying cluster only.

Blocking: every word of the variant that is too frequent to be a misspelling must appear in
the target, so candidates come from the posting list of the rarest such word, in an index
of target-eligible spellings only; this keeps the stage near-linear in the number of names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ipcore.names._graph import Forest, Node
from ipcore.names.distance import edit_distance

_MAX_DIFFERING_WORDS = 2
_PROBE_WORDS = _MAX_DIFFERING_WORDS + 1
_MIN_ONE_EDIT = 5
_MIN_TWO_EDITS = 9
_MAX_EDITS = 2


@dataclass(frozen=True, slots=True)
class TypoRules:
    """The thresholds above (see :class:`ipcore.names.ResolverConfig`)."""

    min_anchor_mentions: int
    anchor_ratio: float
    token_max_mentions: int
    token_ratio: float


@dataclass(frozen=True, slots=True)
class TypoEdge:
    """``variant`` should join ``anchor``'s cluster, because of ``detail``."""

    variant: int
    anchor: int
    detail: str


def typo_edges(nodes: Sequence[Node], forest: Forest, rules: TypoRules) -> list[TypoEdge]:
    """Every variant node's best anchor, judged on the clusters as they stand now."""
    totals: Counter[int] = Counter()
    for position, node in enumerate(nodes):
        totals[forest.find(position)] += node.mentions
    index = _anchor_index(nodes, rules)
    search = _Search(
        nodes=nodes,
        roots=[forest.find(position) for position in range(len(nodes))],
        cluster_size=[totals[forest.find(position)] for position in range(len(nodes))],
        frequency=_word_frequency(nodes),
        index=index,
        anchor_words={a: frozenset(nodes[a].loose) for p in index.values() for a in p},
        rules=rules,
    )
    edges = []
    for variant in range(len(nodes)):
        best = search.best_anchor(variant)
        if best is not None:
            edges.append(best)
    return edges


def _word_frequency(nodes: Sequence[Node]) -> Counter[str]:
    frequency: Counter[str] = Counter()
    for node in nodes:
        for word in set(node.loose):
            frequency[word] += node.mentions
    return frequency


def _anchor_index(nodes: Sequence[Node], rules: TypoRules) -> dict[str, list[int]]:
    """Word → nodes that may be typo targets: spellings with enough mentions of their own.

    A node counts by its own mentions, not its cluster's: a misspelling already merged
    into a large cluster is no target for further misspellings, and leaving such nodes out
    keeps the posting lists short when a large organisation has hundreds of spellings.
    """
    index: dict[str, list[int]] = defaultdict(list)
    for position, node in enumerate(nodes):
        if node.mentions >= rules.min_anchor_mentions:
            for word in set(node.loose):
                index[word].append(position)
    return index


@dataclass(frozen=True, slots=True)
class _Search:
    """The typo stage's view of the nodes, computed once per resolution."""

    nodes: Sequence[Node]
    roots: list[int]
    cluster_size: list[int]
    frequency: Counter[str]
    index: dict[str, list[int]]
    anchor_words: dict[int, frozenset[str]]
    rules: TypoRules

    def best_anchor(self, variant: int) -> TypoEdge | None:
        """The most mentioned cluster ``variant`` is a misspelling of, if any.

        Candidates come largest cluster first (then by label), so the first match is the
        answer and the rest need no edit-distance computation.
        """
        for anchor in self._candidates(variant):
            found = _typo(self.nodes[variant], self.nodes[anchor], self.frequency, self.rules)
            if found is not None:
                return TypoEdge(variant, anchor, found)
        return None

    def _candidates(self, variant: int) -> list[int]:
        """Anchors that hold every common word of ``variant`` and are large enough.

        A word above ``token_max_mentions`` cannot be a misspelling, so the anchor must
        share it: the rarest such word's posting list is the whole candidate set. A name
        made only of rare words falls back to its three rarest words (pigeonhole: with at
        most two words differing, one of any three is shared).
        """
        words = set(self.nodes[variant].loose)
        if len(words) < 2:
            return []
        common = {w for w in words if self.frequency[w] > self.rules.token_max_mentions}
        if common == words:
            return []  # no word rare enough to be the misspelling
        by_rarity = sorted(words, key=lambda word: (self.frequency[word], word))
        probes = [min(common, key=lambda w: (self.frequency[w], w))] if common else by_rarity[:3]
        needed = max(
            self.rules.min_anchor_mentions, self.rules.anchor_ratio * self.cluster_size[variant]
        )
        root = self.roots[variant]
        found = {
            anchor
            for probe in probes
            for anchor in self.index.get(probe, ())
            if self.roots[anchor] != root
            and self.cluster_size[anchor] >= needed
            and common <= self.anchor_words[anchor]
        }
        return sorted(found, key=lambda a: (-self.cluster_size[a], self.nodes[a].label))


def _typo(variant: Node, anchor: Node, frequency: Counter[str], rules: TypoRules) -> str | None:
    """An explanation when ``variant`` reads as a misspelling of ``anchor``, else None."""
    if (
        abs(variant.letters - anchor.letters) > _MAX_EDITS
        or abs(len(variant.loose) - len(anchor.loose)) > 1
        or variant.bucket != anchor.bucket
    ):
        return None
    only_variant = _difference(variant.loose, anchor.loose)
    only_anchor = _difference(anchor.loose, variant.loose)
    if not (
        1 <= len(only_variant) <= _MAX_DIFFERING_WORDS
        and 1 <= len(only_anchor) <= _MAX_DIFFERING_WORDS
        and len(variant.loose) > len(only_variant)
    ):
        return None
    if not _rare(only_variant, only_anchor, frequency, rules):
        return None
    glued_variant, glued_anchor = "".join(only_variant), "".join(only_anchor)
    if any(char.isdigit() for char in glued_variant + glued_anchor):
        return None
    limit = _edit_limit(max(len(glued_variant), len(glued_anchor)))
    distance = edit_distance(glued_variant, glued_anchor, limit)
    if distance > limit:
        return None
    return (
        f"{' '.join(only_variant)} → {' '.join(only_anchor)} "
        f"({distance} edit{'' if distance == 1 else 's'})"
    )


def _difference(words: tuple[str, ...], other: tuple[str, ...]) -> list[str]:
    """Words of ``words`` not matched in ``other`` (as multisets), in reading order."""
    available = Counter(other)
    missing = []
    for word in words:
        if available[word]:
            available[word] -= 1
        else:
            missing.append(word)
    return missing


def _edit_limit(length: int) -> int:
    if length < _MIN_ONE_EDIT:
        return 0
    return 1 if length < _MIN_TWO_EDITS else _MAX_EDITS


def _rare(
    only_variant: list[str], only_anchor: list[str], frequency: Counter[str], rules: TypoRules
) -> bool:
    replaced = min(frequency[word] for word in only_anchor)
    return all(
        frequency[word] <= rules.token_max_mentions
        and frequency[word] <= rules.token_ratio * replaced
        for word in only_variant
    )

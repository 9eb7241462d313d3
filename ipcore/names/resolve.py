"""申请人归并 — clustering applicant-name mentions into organisations.

Deterministic and explainable: every merge between two normalised keys is a :class:`Link`
with its stage and a reason a reviewer can check, and the result depends only on the
multiset of names (not on their order). Precision comes first — merging two companies
costs more than missing a spelling — so each stage is conservative and later stages never
undo a reviewer's split.

Stages, in order (each groups *nodes*: all names sharing one normalised key):

1. ``override`` — a reviewer's merges (:class:`Overrides`); their splits are cannot-links
   every later stage respects;
2. ``compact`` — same key ignoring spaces (``Hewlett Packard`` / ``HewlettPackard``);
3. ``loose`` — same key ignoring function words (``Secretary of the Navy`` / ``Secretary
   of Navy``);
4. ``plural`` — same words but for English plurals after the first word
   (``International Business Machine`` / ``… Machines``);
5. ``word_order`` — same words in another order, three words or more (``Electricite de
   France Service National`` / ``Service National Electricite de France``);
6. ``typo`` — a rare misspelling joins a much more frequent spelling (see
   :mod:`ipcore.names._typo`);
7. ``acronym`` — a name that is only an acronym joins the one cluster whose names state
   that acronym (``International Business Machines (IBM)`` makes ``IBM Corp.`` join);
   last, so that the typo stage has already gathered the names that state it.

Names whose key is empty (blank, or punctuation only) get the cluster id "".
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ipcore.names._graph import COMPANY_OF_INSTITUTION, Forest, Node, node_label
from ipcore.names._tables import LegalClass
from ipcore.names._typo import TypoRules, typo_edges
from ipcore.names.normalise import NormalisedName, normalise_name

K = TypeVar("K", bound=Hashable)


class Stage(enum.Enum):
    """Why two keys were merged (see the module docstring)."""

    OVERRIDE = "override"
    COMPACT = "compact"
    LOOSE = "loose"
    PLURAL = "plural"
    WORD_ORDER = "word_order"
    TYPO = "typo"
    ACRONYM = "acronym"


@dataclass(frozen=True, slots=True)
class Link:
    """``source`` joined ``target``'s cluster (both node labels) at ``stage``.

    ``source_name`` and ``target_name`` are the most mentioned raw spelling of each side, so
    that a reviewer reads names rather than keys, and can answer with a split of the two."""

    source: str
    target: str
    stage: Stage
    detail: str
    source_name: str = ""
    target_name: str = ""


class OverrideError(ValueError):
    """A reviewer's split that no clustering can honour."""


@dataclass(frozen=True, slots=True)
class Overrides:
    """人工归并/拆分 — a reviewer's corrections, as plain name pairs.

    A name stands for every name with the same normalised key, so a correction keeps
    holding for spellings that later imports bring. ``merge`` pairs are joined before any
    automatic stage; ``split`` pairs never end in one cluster, whatever links them. A merge
    that would break a split is refused (and reported in :attr:`Resolution.refused`).
    """

    merge: Sequence[tuple[str, str]] = ()
    split: Sequence[tuple[str, str]] = ()

    def __post_init__(self) -> None:
        # Stored as tuples so that an Overrides value is immutable and hashable.
        object.__setattr__(self, "merge", tuple((a, b) for a, b in self.merge))
        object.__setattr__(self, "split", tuple((a, b) for a, b in self.split))


@dataclass(frozen=True, slots=True)
class ResolverConfig:
    """Thresholds of the typo and word-order stages; the defaults favour precision."""

    typo_min_anchor_mentions: int = 5
    typo_anchor_ratio: float = 5.0
    typo_token_max_mentions: int = 20
    typo_token_ratio: float = 0.05
    min_word_order_words: int = 3


@dataclass(frozen=True)
class Resolution(Generic[K]):
    """Cluster id per mention, and the links that explain every merge.

    ``clusters`` maps each mention id to its cluster id: the label of the cluster's most
    mentioned key (``international business machines``). ``refused`` holds links that a
    reviewer's split blocked.
    """

    clusters: dict[K, str]
    links: tuple[Link, ...] = field(default=())
    refused: tuple[Link, ...] = field(default=())


def cluster_names(
    mentions: Mapping[K, str],
    overrides: Overrides | None = None,
    config: ResolverConfig | None = None,
) -> dict[K, str]:
    """``{mention_id: cluster_id}`` for ``{mention_id: raw name}`` (see :func:`resolve_names`)."""
    return resolve_names(mentions, overrides, config).clusters


def resolve_names(
    mentions: Mapping[K, str],
    overrides: Overrides | None = None,
    config: ResolverConfig | None = None,
) -> Resolution[K]:
    """Cluster ``{mention_id: raw name}`` into organisations, with the reasons why."""
    config = config or ResolverConfig()
    counts = Counter(mentions.values())
    normalised = {raw: normalise_name(raw) for raw in counts}
    nodes, node_of_raw = _build_nodes(counts, normalised)
    forest = Forest(len(nodes))
    by_label = {node.label: position for position, node in enumerate(nodes)}
    applied: list[Link] = []
    refused: list[Link] = []
    overrides = overrides or Overrides()
    _forbid_splits(overrides, by_label, forest)
    for stage, edges in _fixed_stages(nodes, overrides, by_label, config):
        _apply(edges, stage, nodes, forest, applied, refused)
    typo = [(e.variant, e.anchor, e.detail) for e in typo_edges(nodes, forest, _rules(config))]
    _apply(typo, Stage.TYPO, nodes, forest, applied, refused)
    _apply(_acronym_edges(nodes, forest), Stage.ACRONYM, nodes, forest, applied, refused)
    cluster_of_node = _cluster_ids(nodes, forest)
    clusters = {mention: cluster_of_node[node_of_raw[raw]] for mention, raw in mentions.items()}
    return Resolution(clusters=clusters, links=tuple(applied), refused=tuple(refused))


# --- nodes -----------------------------------------------------------------------------------


def _bucket(name: NormalisedName) -> str:
    is_company = name.legal_class is LegalClass.BUSINESS
    return COMPANY_OF_INSTITUTION if name.is_institution and is_company else ""


def _build_nodes(
    counts: Counter[str], normalised: dict[str, NormalisedName]
) -> tuple[list[Node], dict[str, int]]:
    """One node per (key, bucket), sorted by label so that input order cannot matter."""
    members: dict[str, list[str]] = defaultdict(list)
    for raw, name in normalised.items():
        members[node_label(name.key, _bucket(name))].append(raw)
    nodes: list[Node] = []
    node_of_raw: dict[str, int] = {}
    for label in sorted(members):
        raws = sorted(members[label], key=lambda raw: (-counts[raw], raw))
        first = normalised[raws[0]]
        for raw in raws:
            node_of_raw[raw] = len(nodes)
        nodes.append(
            Node(
                label=label,
                key=first.key,
                bucket=_bucket(first),
                loose=tuple(first.loose_key.split()),
                letters=len(first.loose_key.replace(" ", "")),
                mentions=sum(counts[raw] for raw in raws),
                acronyms=_stated_acronyms(raws, normalised),
                example=raws[0],
            )
        )
    return nodes, node_of_raw


def _stated_acronyms(
    raws: list[str], normalised: dict[str, NormalisedName]
) -> tuple[tuple[str, str], ...]:
    """(acronym, first raw name stating it) for the acronyms these names state."""
    stated: dict[str, str] = {}
    for raw in raws:
        if normalised[raw].acronym:
            stated.setdefault(normalised[raw].acronym, raw)
    return tuple(sorted(stated.items()))


def _cluster_ids(nodes: list[Node], forest: Forest) -> list[str]:
    """Each node's cluster id: the label of its cluster's most mentioned node."""
    best: dict[int, int] = {}
    for position, node in enumerate(nodes):
        root = forest.find(position)
        current = best.get(root)
        if current is None or (-node.mentions, node.label) < (
            -nodes[current].mentions,
            nodes[current].label,
        ):
            best[root] = position
    return [nodes[best[forest.find(i)]].label if node.key else "" for i, node in enumerate(nodes)]


# --- stages ----------------------------------------------------------------------------------

Edge = tuple[int, int, str]


def _forbid_splits(overrides: Overrides, by_label: dict[str, int], forest: Forest) -> None:
    for a, b in overrides.split:
        node_a, node_b = _override_node(a, by_label), _override_node(b, by_label)
        if node_a is None or node_b is None:
            continue  # a correction for names this input does not hold
        if node_a == node_b:
            raise OverrideError(
                f"cannot split {a!r} from {b!r}: both normalise to the same key "
                f"{normalise_name(a).key!r}, and a key is never divided"
            )
        forest.forbid(node_a, node_b)


def _override_node(name: str, by_label: dict[str, int]) -> int | None:
    """The node a reviewer's name stands for; None if absent here or blank."""
    normalised = normalise_name(name)
    if not normalised.key:
        return None
    return by_label.get(node_label(normalised.key, _bucket(normalised)))


def _fixed_stages(
    nodes: list[Node], overrides: Overrides, by_label: dict[str, int], config: ResolverConfig
) -> Iterable[tuple[Stage, list[Edge]]]:
    merges = [
        (node_a, node_b, f"reviewer merged {a!r} with {b!r}")
        for a, b in overrides.merge
        if (node_a := _override_node(a, by_label)) is not None
        and (node_b := _override_node(b, by_label)) is not None
    ]
    yield Stage.OVERRIDE, merges
    yield Stage.COMPACT, _same_key_edges(nodes, lambda n: n.key.replace(" ", ""), "spacing")
    yield Stage.LOOSE, _same_key_edges(nodes, lambda n: "".join(n.loose), "function words")
    yield Stage.PLURAL, _same_key_edges(nodes, _singular_key, "plurals")
    yield (
        Stage.WORD_ORDER,
        _same_key_edges(
            nodes,
            lambda n: (
                " ".join(sorted(n.loose)) if len(n.loose) >= config.min_word_order_words else ""
            ),
            "word order",
        ),
    )


_MIN_PLURAL = 5  # "gas", "bus", "news" are no plurals


def _singular_key(node: Node) -> str:
    """Loose words with English plurals made singular, except the first (often a name:
    ``Texas``, ``Philips``); "" for one-word names, which this stage leaves alone."""
    if len(node.loose) < 2:
        return ""
    return " ".join((node.loose[0], *(_singular(word) for word in node.loose[1:])))


def _singular(word: str) -> str:
    if len(word) < _MIN_PLURAL or not word.isascii() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return f"{word[:-3]}y"
    return word[:-1] if word.endswith("s") else word


def _same_key_edges(nodes: list[Node], derive: Callable[[Node], str], what: str) -> list[Edge]:
    """Join every node to the most mentioned node with the same derived key and bucket."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, node in enumerate(nodes):
        derived = derive(node) if node.key else ""
        if derived:
            groups[(node.bucket, derived)].append(position)
    edges: list[Edge] = []
    for (_, derived), members in sorted(groups.items()):
        head = min(members, key=lambda i: (-nodes[i].mentions, nodes[i].label))
        edges.extend(
            (m, head, f"same key ignoring {what}: {derived!r}") for m in members if m != head
        )
    return edges


def _acronym_edges(nodes: list[Node], forest: Forest) -> list[Edge]:
    """A bare acronym joins the cluster whose names state it, when exactly one does."""
    stating: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)  # → root → best node
    for position, node in enumerate(nodes):
        root = forest.find(position)
        for acronym, _ in node.acronyms:
            best = stating[(node.bucket, acronym)].get(root)
            if best is None or (-node.mentions, node.label) < (
                -nodes[best].mentions,
                nodes[best].label,
            ):
                stating[(node.bucket, acronym)][root] = position
    edges: list[Edge] = []
    for position, node in enumerate(nodes):
        roots = stating.get((node.bucket, node.loose[0]), {}) if len(node.loose) == 1 else {}
        if len(roots) != 1:
            continue
        ((root, target),) = roots.items()
        if forest.find(position) != root:
            source = dict(nodes[target].acronyms)[node.loose[0]]
            edges.append((position, target, f"{node.loose[0]!r} is stated in {source!r}"))
    return edges


def _apply(
    edges: list[Edge],
    stage: Stage,
    nodes: list[Node],
    forest: Forest,
    applied: list[Link],
    refused: list[Link],
) -> None:
    for source, target, detail in edges:
        joining, joined = nodes[source], nodes[target]
        link = Link(joining.label, joined.label, stage, detail, joining.example, joined.example)
        if forest.find(source) == forest.find(target):
            continue
        (applied if forest.union(source, target) else refused).append(link)


def _rules(config: ResolverConfig) -> TypoRules:
    return TypoRules(
        min_anchor_mentions=config.typo_min_anchor_mentions,
        anchor_ratio=config.typo_anchor_ratio,
        token_max_mentions=config.typo_token_max_mentions,
        token_ratio=config.typo_token_ratio,
    )

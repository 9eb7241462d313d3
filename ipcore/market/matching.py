"""技术供需匹配 — ranking and explaining matches between needs, listed patents and likely
licensees, as pure data.

A need's text is matched to patents two ways — the words they share (keyword ranking) and
their meaning (nearest by embedding) — and the two rankings are fused by reciprocal rank, as
the hybrid search does. Each match carries its reason as data: the words it shares, its
similarity, the classification field it is in (or shares), and whether it is in force; the
page puts these in words. A listing's needs are ranked by the words they share with the
listed patents' texts; likely licensees are the organisations filing most in the listed
patents' IPC main groups, then subclasses.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from ipcore.search.fusion import reciprocal_rank_fusion

Key = TypeVar("Key", bound=Hashable)

TOP: Final = 20  # matches shown per list
# The hybrid search's fusion: rank constant and weights (words, meaning); meaning is trusted
# more, as in ``ipops.search.engine``.
FUSION_K: Final = 20
FUSION_WEIGHTS: Final = (1.0, 3.0)


@dataclass(frozen=True)
class Reason:
    """Why something matched: the shared words, the similarity by meaning (None where not
    ranked by meaning), the classification field(s) in common or of the patent, and whether
    the patent is in force (None where no patent is involved)."""

    terms: tuple[str, ...] = ()
    similarity: float | None = None
    fields: tuple[str, ...] = ()
    in_force: bool | None = None

    @property
    def by_meaning_only(self) -> bool:
        return not self.terms and self.similarity is not None


def fused(
    keyword: Sequence[Key], meaning: Sequence[Key], *, top: int | None = None
) -> list[tuple[Key, float]]:
    """One ranking from a keyword ranking and a ranking by meaning (either may be empty):
    ``(key, score)`` best first, the score scaled so that first in both is 1.0."""
    rankings = [list(r) for r in (keyword, meaning) if r]
    if not rankings:
        return []
    weights = FUSION_WEIGHTS if len(rankings) == 2 else (1.0,)
    best = sum(weights) / (FUSION_K + 1)
    ranked = reciprocal_rank_fusion(rankings, k=FUSION_K, weights=weights)
    scaled = [(key, round(min(1.0, score / best), 3)) for key, score in ranked]
    return scaled[:top] if top is not None else scaled


def shared_terms(terms: Sequence[str], other: Iterable[str]) -> tuple[str, ...]:
    """The terms (in their order) that the other text's terms also hold."""
    held = set(other)
    return tuple(term for term in terms if term in held)


def term_ranking(
    terms: Sequence[str], candidates: Mapping[Key, Sequence[str]], *, minimum: int = 1
) -> list[tuple[Key, tuple[str, ...]]]:
    """Candidates ranked by how many of ``terms`` they share (most first, then by the share
    of their own terms that matched, then in the order given), those sharing fewer than
    ``minimum`` left out: ``(key, shared terms)``."""
    scored = []
    for order, (key, own) in enumerate(candidates.items()):
        shared = shared_terms(terms, own)
        if len(shared) >= max(1, minimum):
            coverage = len(shared) / max(1, len(set(own)))
            scored.append((-len(shared), -coverage, order, key, shared))
    scored.sort(key=lambda item: item[:3])
    return [(key, shared) for *_rank, key, shared in scored]


def main_group(code: str) -> str:
    """The IPC main group of a symbol: ``H01M 4/525`` → ``H01M 4/00``; a subclass alone
    (``H01M``) stays as written."""
    compact = " ".join(code.split())
    subclass, _space, rest = compact.partition(" ")
    if not rest:
        head, slash, _tail = subclass.partition("/")
        if slash and len(head) > 4:  # written without the space: H01M4/525
            return f"{head[:4]} {head[4:]}/00"
        return subclass
    group = rest.split("/", 1)[0]
    return f"{subclass} {group}/00"


@dataclass(frozen=True)
class Licensee:
    """An organisation (resolved entity) filing in the listed patents' fields: how many of
    its patents fall in the same main groups and subclasses, and which fields those are."""

    entity_id: int
    name: str
    in_main_groups: int
    in_subclasses: int
    fields: tuple[str, ...]


def rank_licensees(
    filings: Iterable[tuple[int, str, str]],
    *,
    main_groups: Iterable[str],
    subclasses: Iterable[str],
    names: Mapping[int, str],
    excluded: Iterable[int] = (),
    top: int = TOP,
) -> list[Licensee]:
    """Rank entities by their filings in the given fields.

    ``filings`` are ``(entity id, patent key, classification code)`` rows; a patent counts
    once per entity for the main groups and once for the subclasses it falls in. Most
    patents in the same main groups first, then in the same subclasses, then by name;
    ``excluded`` entities (the owner) are left out."""
    groups, classes, skip = set(main_groups), set(subclasses), set(excluded)
    in_group: dict[int, set[str]] = {}
    in_class: dict[int, set[str]] = {}
    fields: dict[int, set[str]] = {}
    for entity, patent, code in filings:
        if entity in skip:
            continue
        group = main_group(code)
        subclass = group.split(" ", 1)[0]
        if group in groups:
            in_group.setdefault(entity, set()).add(patent)
            fields.setdefault(entity, set()).add(group)
        if subclass in classes:
            in_class.setdefault(entity, set()).add(patent)
            fields.setdefault(entity, set()).add(subclass)
    found = [
        Licensee(
            entity_id=entity,
            name=names.get(entity, str(entity)),
            in_main_groups=len(in_group.get(entity, ())),
            in_subclasses=len(in_class.get(entity, ())),
            fields=tuple(sorted(fields[entity])),
        )
        for entity in fields
    ]
    found.sort(key=lambda lic: (-lic.in_main_groups, -lic.in_subclasses, lic.name, lic.entity_id))
    return found[:top]

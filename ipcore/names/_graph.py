"""Nodes (one per distinct key) and the union-find forest the resolver merges them in."""

from __future__ import annotations

from dataclasses import dataclass

# An institution's key with a company's legal form gets its own node: 上海交通大学 and a
# 上海交通大学有限公司 share a key but are a university and a company.
COMPANY_OF_INSTITUTION = "company"


@dataclass(frozen=True, slots=True)
class Node:
    """All names that normalise to one key (and bucket), with their mention count.

    ``label`` is unique among nodes and becomes the cluster id when the node represents its
    cluster; ``example`` is the most frequent raw spelling and ``acronyms`` the acronyms its
    names state, each with one name that states it, for explanations.
    """

    label: str
    key: str
    bucket: str
    loose: tuple[str, ...]
    letters: int  # letters in ``loose``: a cheap first filter for near-identical names
    mentions: int
    acronyms: tuple[tuple[str, str], ...]  # (acronym, a raw name stating it), sorted
    example: str


def node_label(key: str, bucket: str) -> str:
    """``上海交通大学`` or ``上海交通大学 [company]``."""
    return f"{key} [{bucket}]" if bucket else key


class Forest:
    """Union-find over node indexes, with cannot-link pairs that a union must not join.

    Cannot-link pairs come from reviewers' splits; they are few, so each union checks them
    directly rather than maintaining a general constraint structure.
    """

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))
        self._forbidden: dict[int, set[int]] = {}

    def find(self, node: int) -> int:
        """The root of ``node``'s tree (with path halving)."""
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def forbid(self, a: int, b: int) -> None:
        """``a`` and ``b`` must never end in one cluster."""
        self._forbidden.setdefault(self.find(a), set()).add(b)
        self._forbidden.setdefault(self.find(b), set()).add(a)

    def union(self, a: int, b: int) -> bool:
        """Join the clusters of ``a`` and ``b``; False, and nothing joined, if forbidden."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if self._blocks(root_a, root_b) or self._blocks(root_b, root_a):
            return False
        keep, drop = min(root_a, root_b), max(root_a, root_b)  # deterministic roots
        self._parent[drop] = keep
        merged = self._forbidden.pop(drop, set())
        if merged:
            self._forbidden.setdefault(keep, set()).update(merged)
        return True

    def _blocks(self, root: int, other_root: int) -> bool:
        return any(self.find(node) == other_root for node in self._forbidden.get(root, ()))

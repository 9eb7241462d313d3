"""申请人名称规范化与归并 — applicant/owner name normalisation and resolution.

``normalise_name`` turns one raw name into a matching key plus the legal form it carried;
``cluster_names`` groups mentions into organisations, conservatively and explainably, and
respects a reviewer's ``Overrides``; ``bcubed`` scores a clustering against a gold set.
Pure Python, no Django: the corpus app stores names, clusters and the reviewed overrides.
"""

from __future__ import annotations

from ipcore.names._tables import LegalClass
from ipcore.names.metrics import BCubed, bcubed
from ipcore.names.normalise import NormalisedName, normalise_name
from ipcore.names.resolve import (
    Link,
    OverrideError,
    Overrides,
    Resolution,
    ResolverConfig,
    Stage,
    cluster_names,
    resolve_names,
)

__all__ = [
    "BCubed",
    "LegalClass",
    "Link",
    "NormalisedName",
    "OverrideError",
    "Overrides",
    "Resolution",
    "ResolverConfig",
    "Stage",
    "bcubed",
    "cluster_names",
    "normalise_name",
    "resolve_names",
]

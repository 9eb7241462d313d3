"""Applicant-name resolution against the AIR-UMass organisation gold set (B-cubed).

    .venv/bin/python bench/resolve_names.py [--gold PATH] [--scale N] [--typos P]
                                            [--review N] [--no-memory]

Three systems run in the same process on the same mentions: exact match on lower-cased
names, lower-casing with punctuation and legal-suffix stripping, and ipcore's resolver.
Prints B-cubed precision, recall and F1, the number of clusters, seconds and peak memory
(traced Python allocations of a separate run) for each. ``--review N`` adds a row for the
resolver given N merges an oracle reviewer would make (the gold set's answers, largest
first): what the override list buys, not what the rules do. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import string
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from ipcore.names import Overrides, bcubed, resolve_names  # noqa: E402

DEFAULT_GOLD = (
    REPO.parent
    / "shared/data/pv-disambiguation-benchmarks/assignee/air-umass-assignees-benchmark.csv.gz"
)

System = Callable[[Mapping[str, str]], Mapping[str, str]]

# Baseline 2's suffix list: the forms any first attempt strips, no more (ipcore's own table
# is far longer; using it here would hide how much a plain list already gives).
_BASELINE_SUFFIX = re.compile(
    r"\s(?:corporation|corp|incorporated|inc|company|co|limited|ltd|llc|plc|gmbh|ag"
    r"|aktiengesellschaft|kabushiki kaisha|kk|sa|s a|nv|bv)$"
)
_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def exact_lower(mentions: Mapping[str, str]) -> dict[str, str]:
    """Baseline 1: one cluster per lower-cased name."""
    return {mention: name.lower() for mention, name in mentions.items()}


def stripped_lower(mentions: Mapping[str, str]) -> dict[str, str]:
    """Baseline 2: lower-case, punctuation to spaces, leading "the" and legal suffixes off."""
    cache: dict[str, str] = {}
    result = {}
    for mention, name in mentions.items():
        if name not in cache:
            cache[name] = _baseline_key(name)
        result[mention] = cache[name]
    return result


def _baseline_key(name: str) -> str:
    key = _SPACES.sub(" ", _PUNCTUATION.sub(" ", name.lower())).strip()
    key = key.removeprefix("the ")
    while True:
        shorter = _BASELINE_SUFFIX.sub("", key).strip()
        if shorter == key:
            return key
        key = shorter


def ipcore_resolver(mentions: Mapping[str, str]) -> dict[str, str]:
    """ipcore.names.resolve_names with its default, precision-first configuration."""
    return resolve_names(mentions).clusters


SYSTEMS: dict[str, System] = {
    "baseline 1: exact lower-case": exact_lower,
    "baseline 2: + punctuation, legal suffixes": stripped_lower,
    "ipcore.names": ipcore_resolver,
}


def read_gold(path: Path, scale: int) -> tuple[dict[str, str], dict[str, str]]:
    """(mention → organisation, mention → gold cluster); ``scale`` copies every mention."""
    names: dict[str, str] = {}
    gold: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for copy in range(scale):
                mention = row["mention_id"] if copy == 0 else f"{row['mention_id']}#{copy}"
                names[mention] = row["organization"]
                gold[mention] = row["unique_id"]
    return names, gold


def add_typos(names: dict[str, str], share: float, seed: int = 2301) -> dict[str, str]:
    """One random edit (insert, delete, replace or swap a letter) in ``share`` of mentions.

    A stress test: real typos are rarer and less uniform, but this yields tens of
    thousands of distinct names and tests precision where variants crowd together.
    """
    rng = random.Random(seed)  # noqa: S311 — reproducible test noise, not a secret
    noisy = {}
    for mention, name in names.items():
        noisy[mention] = _edit(name, rng) if name and rng.random() < share else name
    return noisy


def _edit(name: str, rng: random.Random) -> str:
    at = rng.randrange(len(name))
    letter = rng.choice(string.ascii_lowercase)
    operation = rng.choice(("insert", "delete", "replace", "swap"))
    if operation == "insert":
        return name[:at] + letter + name[at:]
    if operation == "delete":
        return name[:at] + name[at + 1 :]
    if operation == "replace":
        return name[:at] + letter + name[at + 1 :]
    at = min(at, len(name) - 2)
    return name[:at] + name[at + 1 : at + 2] + name[at : at + 1] + name[at + 2 :]


def measure(system: System, names: Mapping[str, str], *, memory: bool) -> tuple[dict, float, float]:
    """(clusters, seconds, peak MiB of traced allocations or NaN)."""
    start = time.perf_counter()
    clusters = dict(system(names))
    seconds = time.perf_counter() - start
    peak = float("nan")
    if memory:
        tracemalloc.start()
        system(names)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return clusters, seconds, peak


def oracle_merges(
    clusters: Mapping[str, str], names: Mapping[str, str], gold: Mapping[str, str], count: int
) -> Overrides:
    """The ``count`` largest merges a reviewer who knows the gold set would make.

    For every gold organisation split over several predicted clusters, each smaller
    cluster is a candidate merge into the largest; candidates are taken by size.
    """
    parts: dict[str, Counter[str]] = {}
    example: dict[str, str] = {}
    for mention, organisation in gold.items():
        parts.setdefault(organisation, Counter())[clusters[mention]] += 1
        example.setdefault(clusters[mention], names[mention])
    candidates = []
    for counts in parts.values():
        (largest, _), *rest = counts.most_common()
        candidates.extend((size, example[largest], example[part]) for part, size in rest)
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1], candidate[2]))
    return Overrides(merge=[(a, b) for _, a, b in candidates[:count]])


def print_row(
    label: str, clusters: Mapping[str, str], gold: Mapping[str, str], seconds: float, peak: float
) -> None:
    """One line of the table."""
    score = bcubed(clusters, gold)
    print(
        f"{label:<44}{score.precision:>10.4f}{score.recall:>9.4f}{score.f1:>8.4f}"
        f"{len(set(clusters.values())):>10,}{seconds:>9.2f}{peak:>10.1f}"
    )


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--scale", type=int, default=1, help="copy every mention N times")
    parser.add_argument(
        "--typos", type=float, default=0.0, help="add one random typo to this share of mentions"
    )
    parser.add_argument(
        "--review", type=int, default=0, help="add a row with N oracle reviewer merges"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the traced-memory runs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if not args.gold.exists():
        print(f"skipped: gold set not found at {args.gold} (needs ../shared/data; see --gold)")
        return 0
    names, gold = read_gold(args.gold, args.scale)
    if args.typos:
        names = add_typos(names, args.typos)
    print(
        f"{args.gold.name}: {len(names):,} mentions, {len(set(names.values())):,} distinct "
        f"names, {len(set(gold.values())):,} gold clusters (scale {args.scale}, "
        f"typos {args.typos:.0%})\n"
    )
    print(
        f"{'system':<44}{'precision':>10}{'recall':>9}{'F1':>8}{'clusters':>10}"
        f"{'seconds':>9}{'peak MiB':>10}"
    )
    for label, system in SYSTEMS.items():
        clusters, seconds, peak = measure(system, names, memory=not args.no_memory)
        print_row(label, clusters, gold, seconds, peak)
    resolution = resolve_names(names)
    if args.review:
        overrides = oracle_merges(resolution.clusters, names, gold, args.review)
        reviewed, seconds, peak = measure(
            lambda n: resolve_names(n, overrides).clusters, names, memory=not args.no_memory
        )
        print_row(f"ipcore.names + {args.review} oracle merges", reviewed, gold, seconds, peak)
    stages = Counter(link.stage.value for link in resolution.links)
    print("\nipcore.names merges between keys, by stage:", dict(sorted(stages.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Topic clusters benchmark (issue 5, "topic clusters from the embeddings with labels"):
how well the clusters of `ipcore.landscape.topics` agree with the patents' main IPC
subclasses on the demo corpus, against random assignment and other choices in the same run,
and how long clustering takes for 5,000 and 200,000 patents.

    .venv/bin/python bench/topics.py                          # everything (~7 min: embedding)
    .venv/bin/python bench/topics.py --work /tmp/topics-bench # keep the embedded database
    .venv/bin/python bench/topics.py --work DIR --setup-only  # build it and stop

Setup (timed, not part of the numbers): a fresh data directory with `ipops migrate`,
`ipops loaddemo` (the committed demo corpus: 6,016 real patents, demo/corpus) and
`ipops embed` (multilingual-e5-small, every patent), as child processes. With --work DIR the
data directory is kept and reused while the demo files and the embedding recipe are unchanged.

Quality: every demo patent with a vector and a main IPC (else CPC) subclass; the vectors read
as the platform reads them (`ipops.search.queries.centred_vectors`: centred on their script's
mean). Adjusted mutual information (AMI, Vinh et al. 2010, arithmetic normalisation: 0 for
chance, 1 for the same partition) and purity (the share of patents in their cluster's most
common subclass) against the main subclass, for the platform's clustering (`find_topics`) and
for variants: without removing the dataset's mean, on the raw (uncentred) vectors, other k.
The baseline: the platform's cluster sizes with the patents dealt at random (20 seeds).

Speed: `find_topics` (clustering, labels, examples, map) on the first 5,000 patents and on
200,000 (the demo vectors repeated with Gaussian noise, sd 0.01 a dimension, titles repeated
with the copy's number, so that they are distinct),
the median of --repeat runs, with its peak memory (tracemalloc); reading vectors from the
database (`centred_vectors`, all demo patents) and from a snapshot's `vectors.parquet` of
200,000 rows; the whole report section on the demo corpus (DuckDB tables in memory, vectors
from the database).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import run_ipops, setup_django, sqlite_env

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "corpus"
BIN = Path(sys.executable).parent
SETUP_VERSION = 1
# A change to any of these makes a kept --work folder stale (it is rebuilt).
SETUP_CODE = ("ipops/search/embedder.py", "ipops/corpus/demo.py")
NOISE = 0.01
LARGE = 200_000
SMALL = 5_000
RANDOM_SEEDS = 20
DRONE = re.compile(r"drone|unmanned aerial|uav|无人机|飞行器", re.IGNORECASE)
SEEDS = 5  # seedings of the platform and its variants: how much k-means' start matters


# --- setup -----------------------------------------------------------------------------------


def fingerprint() -> str:
    digest = hashlib.sha256(f"version {SETUP_VERSION}".encode())
    for path in sorted(DEMO.iterdir()):
        digest.update(f"{path.name}:{path.stat().st_size}".encode())
    for name in SETUP_CODE:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def build(folder: Path) -> dict[str, Any]:
    """The embedded demo database in ``folder/data`` (kept while the fingerprint holds)."""
    facts_path = folder / "setup.json"
    facts = json.loads(facts_path.read_text()) if facts_path.exists() else {}
    env = sqlite_env(folder / "data")
    if facts.get("fingerprint") == fingerprint() and "embed_s" in facts:
        run_ipops(env, "migrate", "-v0")
        return dict(facts)
    shutil.rmtree(folder / "data", ignore_errors=True)
    (folder / "data").mkdir(parents=True)
    facts = {"fingerprint": fingerprint()}
    for step, args in (
        ("migrate_s", ("migrate", "-v0")),
        ("loaddemo_s", ("loaddemo",)),
        ("embed_s", ("embed",)),
    ):
        started = time.perf_counter()
        run_ipops(env, *args)
        facts[step] = round(time.perf_counter() - started, 1)
        facts_path.write_text(json.dumps(facts, indent=2))
    return facts






# --- agreement measures ------------------------------------------------------------------------


def contingency(a: Sequence[Any], b: Sequence[Any]) -> np.ndarray:
    rows = {value: i for i, value in enumerate(sorted(set(a), key=str))}
    cols = {value: j for j, value in enumerate(sorted(set(b), key=str))}
    table = np.zeros((len(rows), len(cols)), dtype=np.int64)
    for x, y in zip(a, b, strict=True):
        table[rows[x], cols[y]] += 1
    return table


def entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def mutual_information(table: np.ndarray) -> float:
    n = table.sum()
    a, b = table.sum(axis=1), table.sum(axis=0)
    i, j = np.nonzero(table)
    nij = table[i, j].astype(float)
    return float((nij / n * np.log(n * nij / (a[i] * b[j]))).sum())


def expected_mutual_information(table: np.ndarray) -> float:
    """E[MI] over all tables with these margins (the hypergeometric model, Vinh et al. 2010)."""
    n = int(table.sum())
    a, b = table.sum(axis=1), table.sum(axis=0)
    lg = np.array([math.lgamma(k + 1) for k in range(n + 1)])  # log k!
    total = 0.0
    for ai in a:
        for bj in b:
            low, high = max(1, ai + bj - n), min(ai, bj)
            if low > high:
                continue
            nij = np.arange(low, high + 1)
            term = nij / n * np.log(n * nij / (ai * bj))
            log_p = (
                lg[ai] + lg[bj] + lg[n - ai] + lg[n - bj] - lg[n]
                - lg[nij] - lg[ai - nij] - lg[bj - nij] - lg[n - ai - bj + nij]
            )
            total += float((term * np.exp(log_p)).sum())
    return total


def ami(found: Sequence[Any], truth: Sequence[Any]) -> float:
    table = contingency(found, truth)
    mi, emi = mutual_information(table), expected_mutual_information(table)
    mean = (entropy(table.sum(axis=1)) + entropy(table.sum(axis=0))) / 2
    return (mi - emi) / (mean - emi) if mean - emi > 1e-12 else 0.0


def purity(found: Sequence[Any], truth: Sequence[Any]) -> float:
    return float(contingency(found, truth).max(axis=1).sum() / len(found))


def check_ami() -> None:
    """The measure on cases with known answers, and E[MI] against a permutation estimate."""
    assert abs(ami([0, 0, 1, 1], [5, 5, 7, 7]) - 1.0) < 1e-9
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 4, 60)
    found = rng.integers(0, 3, 60)
    table = contingency(found, truth)
    shuffled = [
        mutual_information(contingency(rng.permutation(found), truth)) for _ in range(10_000)
    ]
    estimate = statistics.fmean(shuffled)
    error = statistics.pstdev(shuffled) / math.sqrt(len(shuffled))
    exact = expected_mutual_information(table)
    assert abs(exact - estimate) < 4 * error, (exact, estimate, error)


# --- the data ---------------------------------------------------------------------------------


def demo_data() -> dict[str, Any]:
    """Every demo patent with a vector and a main subclass: ids, centred and raw vectors,
    titles, main subclass, office; and the time the platform's read took."""
    from ipops.corpus.models import Patent
    from ipops.search import semantic
    from ipops.search.queries import centred_vectors

    rows = list(Patent.objects.values_list("pk", "title", "main_ipc", "main_cpc", "office"))
    started = time.perf_counter()
    centred = centred_vectors([pk for pk, *_ in rows])
    read_s = time.perf_counter() - started
    raw: dict[int, np.ndarray] = {}
    for keys, _scripts, block in semantic.vectors_of([pk for pk, *_ in rows]):
        raw.update(zip(keys, block, strict=True))
    info = {pk: (title, (ipc or cpc), office) for pk, title, ipc, cpc, office in rows}
    keep = [i for i, pk in enumerate(centred.ids.tolist()) if len(info[pk][1]) >= 4]
    ids = centred.ids[keep]
    return {
        "patents": len(rows),
        "embedded": len(centred),
        "ids": ids,
        "centred": centred.vectors[keep],
        "raw": np.vstack([raw[int(pk)] for pk in ids]),
        "titles": [info[int(pk)][0] for pk in ids],
        "subclass": [info[int(pk)][1][:4] for pk in ids],
        # the main group ("H01L 21") where the code goes below the subclass, else the subclass
        "group": [info[int(pk)][1].split("/")[0].strip() for pk in ids],
        "office": [info[int(pk)][2] for pk in ids],
        "read_s": read_s,
    }


# --- quality ----------------------------------------------------------------------------------


def quality(
    data: dict[str, Any], label: str, where: np.ndarray, level: str = "subclass"
) -> list[dict[str, Any]]:
    """The platform and its variants on the patents ``where`` selects, against their main
    ``level`` ("subclass" or "group")."""
    from ipcore.landscape.topics import SEED, find_topics, topic_count

    vectors, raw = data["centred"][where], data["raw"][where]
    titles = [data["titles"][i] for i in np.flatnonzero(where)]
    truth = [data[level][i] for i in np.flatnonzero(where)]
    n = len(truth)
    k = topic_count(n)
    rows = []

    def measure(system: str, found: Sequence[int]) -> dict[str, Any]:
        row = {
            "set": label,
            "system": system,
            "patents": n,
            "classes": len(set(truth)),
            "clusters": len(set(found)),
            "ami": ami(found, truth),
            "purity": purity(found, truth),
        }
        print(
            f"  {label:<12} {system:<52} k={row['clusters']:>3} AMI {row['ami']:.3f} "
            f"purity {row['purity']:.3f}",
            flush=True,
        )
        return row

    platform = find_topics(vectors, titles).assignment
    rows.append(measure(f"ipops (k={k})", platform))
    rng = np.random.default_rng(1)
    dealt = [measure_quiet(rng.permutation(platform), truth) for _ in range(RANDOM_SEEDS)]
    rows.append(summary(label, f"random, same sizes ({RANDOM_SEEDS} seeds)", n, truth, dealt))
    for system, run in (
        (f"ipops, {SEEDS} seeds", lambda seed: find_topics(vectors, titles, seed=seed)),
        (
            f"without removing the dataset's mean, {SEEDS} seeds",
            lambda seed: find_topics(vectors, titles, seed=seed, recentre=False),
        ),
        (
            f"raw e5 vectors (not centred by script), {SEEDS} seeds",
            lambda seed: find_topics(raw, titles, seed=seed, recentre=False),
        ),
    ):
        found = [run(SEED + i).assignment for i in range(SEEDS)]
        rows.append(summary(label, system, n, truth, [measure_quiet(f, truth) for f in found]))
    for other in (max(2, k // 2), 2 * k, 4 * k):
        if other < n // 2:
            found = find_topics(vectors, titles, k=other).assignment
            rows.append(measure(f"ipops, k={other}", found))
    return rows


def summary(
    label: str, system: str, n: int, truth: Sequence[str], runs: Sequence[tuple[float, float]]
) -> dict[str, Any]:
    row = {
        "set": label,
        "system": system,
        "patents": n,
        "classes": len(set(truth)),
        "ami": statistics.fmean(a for a, _ in runs),
        "ami_sd": statistics.pstdev(a for a, _ in runs),
        "purity": statistics.fmean(p for _, p in runs),
    }
    print(
        f"  {label:<12} {system:<52} AMI {row['ami']:.3f} ± {row['ami_sd']:.3f} "
        f"purity {row['purity']:.3f}",
        flush=True,
    )
    return row


def measure_quiet(found: Sequence[int], truth: Sequence[str]) -> tuple[float, float]:
    return ami(found, truth), purity(found, truth)


# --- speed ------------------------------------------------------------------------------------


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median seconds of ``repeat`` runs, then the peak memory (MiB, tracemalloc: numpy's
    arrays included) of one more run, traced apart because tracing slows Python down."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def speed(data: dict[str, Any], repeat: int, folder: Path) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ipcore.landscape.topics import find_topics
    from ipops.landscape.backends import Snapshot, snapshot_vectors

    rows = []
    vectors, titles = data["centred"], data["titles"]
    small = min(SMALL, len(titles))
    seconds, peak = timed(lambda: find_topics(vectors[:small], titles[:small]), repeat)
    rows.append({"case": f"find_topics, {small:,} patents", "s": seconds, "peak_mib": peak})
    print(f"  {rows[-1]}", flush=True)
    copies = math.ceil(LARGE / len(titles))
    rng = np.random.default_rng(2)
    big = np.tile(vectors, (copies, 1))[:LARGE]
    big = big + rng.normal(scale=NOISE, size=big.shape).astype(np.float32)
    # distinct titles (a copy number added, which names nothing), so the labels read as many
    # titles as 200,000 real patents would give them
    big_titles = [f"{title} {copy}" for copy in range(copies) for title in titles][:LARGE]
    seconds, peak = timed(lambda: find_topics(big, big_titles), max(1, repeat // 2))
    rows.append({"case": f"find_topics, {LARGE:,} patents", "s": seconds, "peak_mib": peak})
    print(f"  {rows[-1]}", flush=True)
    # reading: the database (every demo patent), a snapshot's vectors.parquet of LARGE rows
    case = f"centred_vectors from the database, {data['embedded']:,}"
    rows.append({"case": case, "s": data["read_s"]})
    path = folder / "vectors-bench" / "vectors.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    values = pa.array(big.reshape(-1), pa.float32())
    table = pa.table(
        {
            "patent_id": pa.array(np.arange(1, LARGE + 1), pa.int64()),
            "vector": pa.FixedSizeListArray.from_arrays(values, big.shape[1]),
        }
    )
    pq.write_table(table, path, compression="zstd")
    read = snapshot_vectors(Snapshot(path.parent, "2026-01-01", LARGE, ""))
    ids = list(range(1, LARGE + 1))
    seconds, peak = timed(lambda: read(ids), repeat)
    rows.append(
        {
            "case": f"vectors.parquet, {LARGE:,} ({path.stat().st_size / 2**20:.0f} MiB)",
            "s": seconds,
            "peak_mib": peak,
        }
    )
    print(f"  {rows[-1]}", flush=True)
    shutil.rmtree(path.parent)
    rows.append(section(repeat))
    print(f"  {rows[-1]}", flush=True)
    return rows


def section(repeat: int) -> dict[str, Any]:
    """The whole report section over the demo corpus: DuckDB tables in memory (the facts of
    every patent), vectors from the database, numbers from the corpus."""
    from django.utils import timezone

    from ipcore.landscape.metrics import MetricParams
    from ipcore.landscape.topics.section import topic_clusters
    from ipops.corpus import queries as corpus
    from ipops.corpus.facts import patent_facts
    from ipops.corpus.models import Patent
    from ipops.landscape.backends import memory_tables
    from ipops.landscape.reports import database_vectors

    ids = list(Patent.objects.values_list("pk", flat=True))
    tables = memory_tables(patent_facts(ids, on=timezone.localdate()))
    params = MetricParams(as_of=timezone.localdate())
    seconds, peak = timed(
        lambda: topic_clusters(tables, database_vectors, params, numbers=corpus.display_numbers),
        repeat,
    )
    case = f"report section, demo corpus ({len(ids):,} patents)"
    return {"case": case, "s": seconds, "peak_mib": peak}


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="keep the embedded database here")
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    check_ami()
    folder = args.work or Path(tempfile.mkdtemp(prefix="topics-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print(f"setup in {folder}", flush=True)
        facts = build(folder)
        print(f"  {facts}")
        if args.setup_only:
            return
        setup_django(folder / "data")
        data = demo_data()
        print(
            f"demo corpus: {data['patents']:,} patents, {data['embedded']:,} with vectors, "
            f"{len(data['titles']):,} of them with a main subclass "
            f"({len(set(data['subclass']))} subclasses)",
            flush=True,
        )
        offices = np.array(data["office"])
        results = {"setup": facts, "quality": [], "speed": []}
        print("quality (AMI, purity against the main IPC/CPC subclass)")
        everything = np.ones(len(offices), dtype=bool)
        for label, where in (("all", everything), ("CN", offices == "CN"), ("US", offices == "US")):
            results["quality"].extend(quality(data, label, where))
        print("narrow datasets (against the main group)")
        subclass = np.array(data["subclass"])
        titles = data["titles"]
        drones = np.array([bool(DRONE.search(title or "")) for title in titles])
        for label, where in (
            ("drones", drones),
            ("H01L", subclass == "H01L"),
            ("G06F", subclass == "G06F"),
        ):
            results["quality"].extend(quality(data, label, where, level="group"))
        print(labels_of(data))
        if not args.skip_speed:
            print("speed")
            results["speed"] = speed(data, args.repeat, folder)
        print(json.dumps(results, indent=2, default=str))
    finally:
        if args.work is None:
            shutil.rmtree(folder, ignore_errors=True)


def labels_of(data: dict[str, Any]) -> str:
    """The platform's topics of the whole demo corpus, as a reader sees them."""
    from ipcore.landscape.topics import find_topics

    topics = find_topics(data["centred"], data["titles"])
    lines = ["topics of the demo corpus (size, main subclasses, label zh | en):"]
    for topic in topics.topics:
        members = np.flatnonzero(topics.assignment == topic.number - 1)
        common = Counter(data["subclass"][i] for i in members).most_common(3)
        lines.append(
            f"  {topic.number:>2} {topic.size:>5}  {' '.join(f'{c}:{n}' for c, n in common):<28}"
            f" {topic.label_zh} | {topic.label_en}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

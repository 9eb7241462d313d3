"""Landscape analytics speed benchmark (issue 5): the full metric set of ipcore.landscape over
the whole corpus and over a 10x copy, on DuckDB (and Spark with --spark), and over a ~20,000
patent dataset in the live database; hand-written DuckDB SQL (over the Parquet files and over
the same tables in memory) and pandas as baselines for four core metrics, every system
measured in the same run on the same files.

    .venv/bin/python bench/landscape.py                              # everything but Spark
    .venv/bin/python bench/landscape.py --work /tmp/landscape-bench  # keep what it builds
    .venv/bin/python bench/landscape.py --spark                      # and ipops on Spark
    .venv/bin/python bench/landscape.py --details                    # and every metric's time

Setup (timed, not part of the numbers): a fresh data directory with `ipops migrate`,
`ipops ingest --no-index` of the three public datasets, `ipops reindex` (the dataset search
needs the index) and `ipops snapshot --out`, each a child process like bench/search.py. Then,
with pyarrow, a 10x snapshot: every row of the five Parquet files 10 times, `patent_id`
shifted by k * 10,000,000, row groups as ipops wrote them; owners (entity ids, names) and
family ids unchanged, so the owner set stays the same and rankings stay comparable.

Each system runs once to warm up and then --repeat times, the systems in turn; the median.
A case whose warm-up takes over a minute is reported from that one run; a live-database
query still running after --db-limit seconds is interrupted and reported as "> limit".
The 20,000-patent dataset is frozen with `create_dataset` in every run (its time reported)
and deleted at the end. With --work DIR the data directory and both snapshots are kept in
DIR and reused while the input files and the fact-writing code are unchanged.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import load_corpus, run_ipops, setup_django, sqlite_env

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent
# (file, --format) in import order: the same three files as bench/search.py.
DATASETS = (
    (DATA / "pv-patents-us" / "pv-data.parquet", "patentsview"),
    (DATA / "cn-patent-titles-ipc" / "cn_titles_ipc.csv.gz", "cn-titles"),
    (DATA / "lens-export-drones" / "drones_fulltext_families_5884_raw.csv.gz", "lens"),
)
# A change to any of these makes the snapshots of a kept --work folder stale (they are
# written again; the database is kept): the facts, how a snapshot is written, and the
# metrics whose prepared tables a snapshot holds.
SNAPSHOT_CODE = (
    "ipops/corpus/facts.py",
    "ipops/landscape/snapshot.py",
    "ipcore/landscape/schema.py",
    "ipcore/landscape/metrics/*.py",
)
SETUP_VERSION = 2  # bump when what this script builds changes
SCALE = 10
ID_SHIFT = 10_000_000
# The four metrics the issue measured before any code, by their names in METRICS.
CORE = ("filing_trend", "top_owners", "classification_mix_subclass", "owner_trend")
# The live-database dataset: CPC subclass H01L finds 18,939 of the 143,310 patents.
DATASET_QUERY = "CPC=H01L"
DATASET_NAME = "bench/landscape.py"
ACCOUNT = "bench-landscape"
AIM_FULL_S = 2.0  # the full metric set on the 10x copy (1.43M patents), DuckDB
AIM_DATASET_S = 1.0  # the full metric set on the 20,000-patent dataset, live database
AIM_OVERHEAD = 1.5  # ipops through Ibis over hand-written DuckDB SQL
SLOW_S = 60.0  # a case whose warm-up takes longer is run once, not repeated
SHORT_S = 0.05  # a case faster than this is timed over several calls a round (their mean)
MOST_CALLS = 50


# --- setup: a real ipops data directory and snapshot, built by the ipops commands ----------


@dataclass
class Work:
    """The folder everything built lives in, and what building it cost (setup.json)."""

    folder: Path
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def snapshot(self, scale: int) -> Path:
        return self.folder / f"snapshot-{scale}x"

    def load(self, database: str, snapshots: str) -> None:
        """The facts of what was built, forgetting what no longer matches the inputs
        (`database`) or the code that writes snapshots (`snapshots`)."""
        path = self.folder / "setup.json"
        facts = json.loads(path.read_text()) if path.exists() else {}
        if facts.get("fingerprint") != database:
            for name in ("data", "setup.json"):
                _remove(self.folder / name)
            facts = {"fingerprint": database}
        if facts.get("snapshot_fingerprint") != snapshots:
            for stale in self.folder.glob("snapshot-*x*"):
                _remove(stale)
            facts = {k: v for k, v in facts.items() if not k.startswith(("snapshot_", "database_"))}
            facts["snapshot_fingerprint"] = snapshots
        self.facts = facts

    def save(self) -> None:
        (self.folder / "setup.json").write_text(json.dumps(self.facts, indent=2))


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def fingerprints() -> tuple[str, str]:
    """What the database depends on (the input files), and what the snapshots depend on
    besides it (SNAPSHOT_CODE)."""
    database = hashlib.sha256(f"version {SETUP_VERSION}".encode())
    for path, _format in DATASETS:
        stat = path.stat()
        database.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    snapshots = hashlib.sha256(database.digest())
    for pattern in SNAPSHOT_CODE:
        for path in sorted(ROOT.glob(pattern)):
            snapshots.update(path.read_bytes())
    return database.hexdigest(), snapshots.hexdigest()


def build_database(work: Work) -> None:
    """`ipops migrate`, `ipops ingest --no-index` of each dataset, `ipops reindex`, and
    `ipops snapshot --out` of the whole corpus."""
    env = sqlite_env(work.data_dir)
    if "reindex_s" in work.facts:
        run_ipops(env, "migrate", "-v0")  # a kept database follows new migrations
    else:
        _remove(work.data_dir)
        work.data_dir.mkdir(parents=True)
        load_corpus(env, DATASETS, work.facts)
        work.save()
    if "snapshot_1x_s" in work.facts:
        return
    _remove(work.snapshot(1))
    started = time.perf_counter()
    run_ipops(env, "snapshot", "--out", str(work.snapshot(1)))
    work.facts["snapshot_1x_s"] = time.perf_counter() - started
    work.save()




def build_scaled_snapshot(work: Work) -> None:
    """The 1x snapshot's files SCALE times, `patent_id` shifted by k * ID_SHIFT, each row
    group of the 1x file written as a row group of its own (as `ipops snapshot` writes them,
    one per batch of patents); everything else, owners and families included, unchanged.
    Then its `facts.duckdb` with the prepared tables, as `ipops snapshot` writes it (timed
    apart)."""
    key = f"snapshot_{SCALE}x_s"
    if key in work.facts:
        return
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from ipcore.landscape.schema import SCHEMAS
    from ipops.landscape.snapshot import write_database

    source, target = work.snapshot(1), work.snapshot(SCALE)
    partial = target.with_name(target.name + ".partial")
    print(f"  building the {SCALE}x snapshot", flush=True)
    _remove(partial)
    _remove(target)
    partial.mkdir(parents=True)
    started = time.perf_counter()
    rows: dict[str, int] = {}
    for table in SCHEMAS:
        reader = pq.ParquetFile(source / f"{table}.parquet")
        with pq.ParquetWriter(
            partial / f"{table}.parquet", reader.schema_arrow, compression="zstd"
        ) as writer:
            for k in range(SCALE):
                for group in range(reader.num_row_groups):
                    part = reader.read_row_group(group)
                    index = part.schema.get_field_index("patent_id")
                    shifted = pc.add(part["patent_id"], pa.scalar(k * ID_SHIFT, pa.int64()))
                    writer.write_table(part.set_column(index, "patent_id", shifted))
        rows[table] = reader.metadata.num_rows * SCALE
    work.facts[key] = time.perf_counter() - started
    started = time.perf_counter()
    prepared = write_database(partial)
    work.facts[f"database_{SCALE}x_s"] = time.perf_counter() - started
    meta = json.loads((source / "snapshot.json").read_text(encoding="utf-8"))
    meta.update(patents=rows["patents"], rows=rows, prepared=prepared)
    (partial / "snapshot.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    partial.rename(target)
    work.save()


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def snapshot_rows(path: Path) -> dict[str, int]:
    rows: dict[str, int] = json.loads((path / "snapshot.json").read_text())["rows"]
    return rows


# --- in-process parts: Django is set up once the data directory is known -----------------




# --- the systems measured -------------------------------------------------------------------

# A system's run returns what it computed, in the shape `comparable` gives ipops's results,
# so the baselines are checked against ipops outside the timing.
Run = Callable[[], Any]


def ipops_full_set(
    snapshot: Path,
    backend: str,
    params: Any,
    ids: Sequence[int] | None = None,
    *,
    compiling: bool = False,
) -> Run:
    """A whole report's metrics: bind the snapshot's tables (limited to `ids` when given),
    measure the coverage, run every metric — what `ipops landscape --backend …` computes.
    `compiling`: every query's SQL built and compiled afresh, as in the first report of a
    process (otherwise the SQL the warm-up compiled is reused, as in every later one)."""
    from ipcore.landscape.metrics import compiling_afresh, compute_all
    from ipops.landscape.backends import Backend, current_snapshot, snapshot_tables

    chosen = current_snapshot(snapshot)

    def run() -> Any:
        with compiling_afresh() if compiling else contextlib.nullcontext():
            tables = snapshot_tables(chosen, ids, backend=Backend(backend))
            return _applicable(compute_all(tables, params))

    return run


def ipops_dataset_full_set(dataset_id: int, params: Any, *, compiling: bool = False) -> Run:
    """The same on the live database: `database_tables(dataset)` and `compute_all`."""
    from ipcore.landscape.metrics import compiling_afresh, compute_all
    from ipops.landscape.backends import database_tables

    def run() -> Any:
        with compiling_afresh() if compiling else contextlib.nullcontext():
            return _applicable(compute_all(database_tables(dataset_id), params))

    return run


def _applicable(results: Sequence[Any]) -> tuple[int, int]:
    return len(results), sum(1 for result in results if result.applicable)


def ipops_metric(tables: Any, coverage: Any, name: str, params: Any) -> Run:
    """One metric through `compute` on tables bound once, its coverage given (as
    `compute_all` passes it): the expression, its SQL, the query, the finishing step."""
    from ipcore.landscape.metrics import compute

    return lambda: comparable(name, compute(name, tables, params, coverage=coverage).rows)


def comparable(name: str, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """The part of a metric's rows every baseline computes too (shares, titles and labels of
    codes are left out: they follow from these)."""
    if name == "top_owners":  # name, patents, first and last year, recent applications
        return [(r[0], r[1], r[3], r[4], r[5]) for r in rows]
    if name == "classification_mix_subclass":  # code, patents
        return [(r[0], r[1]) for r in rows]
    return [tuple(r) for r in rows]  # filing_trend: year and the three counts; owner_trend


# Hand-written DuckDB SQL over views of the same Parquet files. `{first}`, `{last}`, `{top}`
# are the recent window and the ranking's length (integers from MetricParams); `{pairs}` the
# owner-patent pairs and application years as common table expressions.
PAIRS_SQL = """
pairs AS (
    SELECT patent_id,
           CASE WHEN entity_id IS NOT NULL THEN 'e:' || entity_id ELSE 'n:' || name END AS key,
           min(coalesce(name, '#' || entity_id)) AS label
    FROM owners WHERE entity_id IS NOT NULL OR name IS NOT NULL
    GROUP BY ALL),
years AS (
    SELECT patent_id, year(application_date) AS year
    FROM patents WHERE application_date IS NOT NULL)"""
HAND_SQL = {
    "filing_trend": """
        SELECT 'applications' AS measure, year(application_date) AS year, count(*) AS n
        FROM patents WHERE application_date IS NOT NULL GROUP BY 2
        UNION ALL
        SELECT 'publications', year(publication_date), count(*)
        FROM patents WHERE publication_date IS NOT NULL GROUP BY 2
        UNION ALL
        SELECT 'grants', year(grant_date), count(*)
        FROM patents WHERE grant_date IS NOT NULL GROUP BY 2""",
    "top_owners": """
        WITH {pairs}
        SELECT min(label) AS label, count(*) AS patents, min(year), max(year),
               count(*) FILTER (WHERE year BETWEEN {first} AND {last})
        FROM pairs LEFT JOIN years USING (patent_id)
        GROUP BY key ORDER BY patents DESC, label, key LIMIT {top}""",
    "classification_mix_subclass": """
        WITH ipc AS (SELECT patent_id, subclass FROM classes WHERE scheme = 'ipc'),
        codes AS (
            SELECT patent_id, subclass FROM ipc
            UNION ALL
            SELECT patent_id, subclass FROM classes c
            WHERE scheme = 'cpc' AND c.patent_id NOT IN (SELECT patent_id FROM ipc))
        SELECT subclass AS code, count(DISTINCT patent_id) AS patents
        FROM codes WHERE subclass IS NOT NULL
        GROUP BY 1 ORDER BY patents DESC, code LIMIT {top}""",
    "owner_trend": """
        WITH {pairs},
        chosen AS (
            SELECT key, min(label) AS label, count(*) AS total FROM pairs
            GROUP BY key ORDER BY total DESC, label, key LIMIT {top})
        SELECT chosen.label, years.year, count(*) AS n
        FROM chosen JOIN pairs USING (key) JOIN years USING (patent_id)
        GROUP BY chosen.key, chosen.label, chosen.total, years.year
        ORDER BY chosen.total DESC, chosen.label, chosen.key, years.year""",
}


def duckdb_hand(snapshot: Path, *, database: bool) -> Any:
    """A DuckDB connection to the snapshot's `facts.duckdb`, read-only (what ipops opens), or
    with the snapshot's Parquet files as views (what Ibis's read_parquet makes)."""
    import duckdb

    from ipcore.landscape.schema import SCHEMAS
    from ipops.landscape.backends import DATABASE_FILE

    if database:
        return duckdb.connect(str(snapshot / DATABASE_FILE), read_only=True)
    db = duckdb.connect()
    for table in SCHEMAS:
        path = str(snapshot / f"{table}.parquet").replace("'", "''")
        # The benchmark's own table names and paths (quoted) go into this statement.
        db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")  # noqa: S608
    return db


def hand_open(snapshot: Path) -> Run:
    """Opening the snapshot's database file by hand (what ipops's binding compares to)."""

    def run() -> None:
        duckdb_hand(snapshot, database=True).close()

    return run


def hand_duckdb(db: Any, name: str, params: Any) -> Run:
    first, last = params.recent_span
    top = params.matrix_top if name == "owner_trend" else params.top
    sql = HAND_SQL[name].format(pairs=PAIRS_SQL, first=int(first), last=int(last), top=int(top))
    if name == "filing_trend":
        return lambda: filing_trend_rows(db.execute(sql).fetchall())
    return lambda: [tuple(row) for row in db.execute(sql).fetchall()]


def filing_trend_rows(rows: Sequence[tuple[str, int, int]]) -> list[tuple[Any, ...]]:
    """(measure, year, n) rows as filing_trend's rows: every year from the first to the last,
    applications, publications and grants (0 where none)."""
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for measure, year, n in rows:
        counts[measure][int(year)] = int(n)
    known = {year for by_year in counts.values() for year in by_year}
    measures = ("applications", "publications", "grants")
    years = range(min(known), max(known) + 1) if known else range(0)
    return [(year, *(counts[m].get(year, 0) for m in measures)) for year in years]


def _string_dtype() -> Any:
    import pandas as pd

    return pd.StringDtype("pyarrow")


@dataclass
class Frames:
    """The columns the four metrics read, as pandas frames (read once, dates as datetime64)."""

    patents: Any
    owners: Any
    classes: Any


def pandas_frames(snapshot: Path) -> Frames:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    def read(table: str, columns: list[str]) -> Any:
        arrow = pq.read_table(snapshot / f"{table}.parquet", columns=columns)
        # Strings backed by Arrow, dates as datetime64.
        types = {pa.string(): _string_dtype()}
        return arrow.to_pandas(date_as_object=False, types_mapper=types.get)

    owners = read("owners", ["patent_id", "entity_id", "name"])
    owners["entity_id"] = owners.entity_id.astype(pd.Int64Dtype())  # nullable, stays integer
    return Frames(
        patents=read(
            "patents", ["patent_id", "application_date", "publication_date", "grant_date"]
        ),
        owners=owners,
        classes=read("classes", ["patent_id", "scheme", "subclass"]),
    )


def pandas_metric(frames: Frames, name: str, params: Any) -> Run:
    compute = {
        "filing_trend": _pandas_filing_trend,
        "top_owners": _pandas_top_owners,
        "classification_mix_subclass": _pandas_mix_subclass,
        "owner_trend": _pandas_owner_trend,
    }[name]
    return lambda: compute(frames, params)


def _pandas_filing_trend(frames: Frames, params: Any) -> list[tuple[Any, ...]]:
    patents = frames.patents
    rows = []
    for measure, column in (
        ("applications", "application_date"),
        ("publications", "publication_date"),
        ("grants", "grant_date"),
    ):
        counts = patents[column].dropna().dt.year.value_counts()
        rows.extend((measure, int(year), int(n)) for year, n in counts.items())
    return filing_trend_rows(rows)


def _pandas_pairs(frames: Frames) -> Any:
    """One row per (patent, owner key) with the owner's smallest label, as ipops's owner
    pairs, sorted by label. (Sorting and keeping the first row of each pair: a groupby
    `min()` of strings takes 7-20 s for these 143,383 rows in pandas 3.)"""
    owners = frames.owners
    owners = owners[owners.entity_id.notna() | owners.name.notna()]
    entity = owners.entity_id.astype(_string_dtype())
    key = ("e:" + entity).where(owners.entity_id.notna(), "n:" + owners.name)
    label = owners.name.fillna("#" + entity)
    pairs = owners[["patent_id"]].assign(key=key, label=label)
    return pairs.sort_values("label", kind="stable").drop_duplicates(["patent_id", "key"])


def _pandas_labels(pairs: Any) -> Any:
    """Each owner's smallest label (`pairs` are sorted by label), indexed by key."""
    return pairs.drop_duplicates("key").set_index("key").label


def _pandas_years(frames: Frames) -> Any:
    patents = frames.patents
    dated = patents[patents.application_date.notna()]
    return dated[["patent_id"]].assign(year=dated.application_date.dt.year)


def _leading(table: Any, value: str, n: int) -> Any:
    return table.sort_values([value, "label", "key"], ascending=[False, True, True]).head(n)


def _pandas_top_owners(frames: Frames, params: Any) -> list[tuple[Any, ...]]:
    first, last = params.recent_span
    pairs = _pandas_pairs(frames)
    joined = pairs.merge(_pandas_years(frames), on="patent_id", how="left")
    joined["recent"] = joined.year.between(first, last)
    totals = joined.groupby("key").agg(
        patents=("patent_id", "size"),
        first_year=("year", "min"),
        last_year=("year", "max"),
        recent=("recent", "sum"),
    )
    totals = totals.join(_pandas_labels(pairs)).reset_index()
    top = _leading(totals, "patents", params.top)
    return [
        (r.label, int(r.patents), _year(r.first_year), _year(r.last_year), int(r.recent))
        for r in top.itertuples()
    ]


def _year(value: Any) -> int | None:
    return None if value != value else int(value)  # NaN: an owner with no dated patent


def _pandas_mix_subclass(frames: Frames, params: Any) -> list[tuple[Any, ...]]:
    import pandas as pd

    classes = frames.classes
    ipc = classes[classes.scheme == "ipc"]
    cpc = classes[(classes.scheme == "cpc") & ~classes.patent_id.isin(ipc.patent_id)]
    codes = pd.concat([ipc, cpc])
    codes = codes[codes.subclass.notna()]
    counts = codes.groupby("subclass").patent_id.nunique().rename("patents").reset_index()
    top = counts.sort_values(["patents", "subclass"], ascending=[False, True]).head(params.top)
    return [(r.subclass, int(r.patents)) for r in top.itertuples()]


def _pandas_owner_trend(frames: Frames, params: Any) -> list[tuple[Any, ...]]:
    pairs = _pandas_pairs(frames)
    totals = pairs.groupby("key").size().rename("total").to_frame()
    totals = totals.join(_pandas_labels(pairs)).reset_index()
    top = _leading(totals, "total", params.matrix_top).reset_index(drop=True)
    chosen = pairs[pairs.key.isin(top.key)].merge(_pandas_years(frames), on="patent_id")
    cells = chosen.groupby(["key", "year"], as_index=False).size()
    cells = cells.merge(top[["key", "label"]].reset_index(names="place"), on="key")
    cells = cells.sort_values(["place", "year"])
    return [(r.label, int(r.year), int(r.size)) for r in cells.itertuples()]


# --- the live database: a dataset frozen from a search ---------------------------------------


def bench_account() -> Any:
    """A service-institution account to freeze datasets as (kept in the work database).

    `create_dataset` requires the ANALYSE_PATENTS capability, which `actor=None` (the public)
    lacks, so the benchmark acts as a person of a service institution would."""
    from django.db import transaction

    from ipcore.access import OrganizationKind
    from ipcore.identifiers.uscc import org_code_check_char, uscc_check_char
    from ipops.accounts import services
    from ipops.accounts.models import User

    found = User.objects.filter(username=ACCOUNT).first()
    if found:
        return found
    body = "B0000001"
    first17 = "91" + "310115" + body + org_code_check_char(body)
    with transaction.atomic():
        organization = services.create_organization(
            actor=None,
            name="bench/landscape.py 服务机构",
            kind=str(OrganizationKind.SERVICE_INSTITUTION),
            uscc=first17 + uscc_check_char(first17),
            division_code="310115",
        )
        return services.create_user(
            actor=None,
            username=ACCOUNT,
            password=secrets.token_urlsafe(24),
            organization=organization,
        )


def freeze_dataset(as_of: dt.date) -> tuple[Any, float]:
    """`create_dataset` of DATASET_QUERY (earlier runs' leftovers deleted first), timed."""
    from ipops.landscape import services
    from ipops.landscape.models import Dataset

    actor = bench_account()
    for stale in Dataset.objects.filter(name=DATASET_NAME):
        services.delete_dataset(actor=actor, dataset=stale)
    print(f"  freezing {DATASET_QUERY!r} into a dataset", flush=True)
    started = time.perf_counter()
    dataset = services.create_dataset(
        actor=actor, name=DATASET_NAME, query=DATASET_QUERY, as_of=as_of
    )
    return dataset, time.perf_counter() - started


def drop_dataset(dataset: Any) -> None:
    from ipops.landscape import services

    services.delete_dataset(actor=bench_account(), dataset=dataset)


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Measured:
    system: str
    metric: str  # "full set" or a metric's name
    corpus: str  # 1x, 10x, dataset
    patents: int
    seconds: list[float]
    result: Any = None
    interrupted: bool = False  # stopped at its limit: `seconds` holds the limit, a lower bound
    once: bool = False  # too slow to repeat: `seconds` holds the warm-up
    calls: int = 1  # calls a round, timed together: `seconds` holds their mean

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def shown(self) -> str:
        """The median, "> limit" where interrupted, "(1 run)" where too slow to repeat."""
        if self.interrupted:
            return f"> {self.median:.0f} (stopped)"
        single = " (1 run)" if self.once else ""
        return _seconds(self.median) + single


@dataclass
class Case:
    system: str
    metric: str
    corpus: str
    patents: int
    run: Run
    limit: float | None = None  # live database only: interrupt the query after this long


class Interrupted(Exception):
    """A live-database case ran past its limit."""


@contextlib.contextmanager
def interrupt_after(seconds: float | None) -> Iterator[None]:
    """Interrupt the SQLite statement Django's connection is running after `seconds`
    (sqlite3's `interrupt()` is meant to be called from another thread)."""
    if seconds is None:
        yield
        return
    from django.db import connection

    connection.ensure_connection()
    timer = threading.Timer(seconds, connection.connection.interrupt)
    timer.start()
    try:
        yield
    except sqlite3.OperationalError as error:
        if "interrupted" not in str(error):
            raise
        raise Interrupted from error
    finally:
        timer.cancel()


def measure(cases: list[Case], repeat: int) -> list[Measured]:
    """Each case once to warm up (its result kept), then `repeat` rounds that time every case
    in turn, so a slow minute of the machine falls on all of them. A case whose warm-up takes
    over SLOW_S is not repeated (its one run is reported); one past its `limit` is stopped."""
    results = []
    for case in cases:
        print(f"    {case.system}, {case.metric}, {case.corpus}", flush=True)
        measured = Measured(case.system, case.metric, case.corpus, case.patents, [])
        results.append(measured)
        started = time.perf_counter()
        try:
            with interrupt_after(case.limit):
                measured.result = case.run()
        except Interrupted:
            measured.interrupted = True
            measured.seconds.append(float(case.limit or 0))
            print(f"      stopped after {case.limit:.0f} s", flush=True)
            continue
        elapsed = time.perf_counter() - started
        if elapsed > SLOW_S:
            measured.once = True
            measured.seconds.append(elapsed)
            print(f"      {elapsed:.0f} s: not repeated", flush=True)
        elif elapsed < SHORT_S:
            measured.calls = _calls(case)
    for _ in range(repeat):
        for case, measured in zip(cases, results, strict=True):
            if measured.interrupted or measured.once:
                continue
            started = time.perf_counter()
            try:
                with interrupt_after(case.limit):
                    for _call in range(measured.calls):
                        case.run()
            except Interrupted:
                measured.interrupted = True
                measured.seconds = [float(case.limit or 0)]
                continue
            measured.seconds.append((time.perf_counter() - started) / measured.calls)
    return results


def _calls(case: Case) -> int:
    """How many calls of a fast case make about SHORT_S (a few milliseconds are within the
    clock's and the machine's noise: timed together, their mean is steady)."""
    started = time.perf_counter()
    case.run()
    once = max(time.perf_counter() - started, 1e-4)
    return max(1, min(MOST_CALLS, round(SHORT_S / once)))


IPOPS_DUCKDB = "ipops on DuckDB"
IPOPS_SPARK = "ipops on Spark"
IPOPS_DB = "ipops on the live database (SQLite)"
IPOPS_POSTGRES = "ipops on the live database (PostgreSQL)"
IPOPS_DUCKDB_IDS = "ipops on DuckDB, the dataset's ids"
HAND_PARQUET = "hand-written DuckDB SQL, Parquet"
HAND_DATABASE = "hand-written DuckDB SQL, facts.duckdb"
PANDAS = "pandas"
FULL = "full set"
FULL_COMPILING = "full set, SQL compiled afresh"
BIND = "binding the tables"
HANDS = (HAND_PARQUET, HAND_DATABASE)


# --- the report ---------------------------------------------------------------------------------


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()




def report_setup(work: Work, freeze_s: float, dataset_size: int) -> None:
    f = work.facts
    rows = [["setup step", "seconds", "size MiB", "patents"]]
    for _path, name in DATASETS:
        rows.append([f"ipops ingest --no-index ({name})", f"{f[f'ingest_{name}_s']:.1f}", "", ""])
    rows.append(["ipops reindex (for the dataset search)", f"{f['reindex_s']:.1f}", "", ""])
    for scale, label in (
        (1, "ipops snapshot --out: 1x (with facts.duckdb)"),
        (SCALE, f"{SCALE}x snapshot: Parquet (pyarrow)"),
    ):
        path = work.snapshot(scale)
        rows.append(
            [
                label,
                f"{f[f'snapshot_{scale}x_s']:.1f}",
                f"{folder_bytes(path) / 2**20:,.1f}",
                f"{snapshot_rows(path)['patents']:,}",
            ]
        )
    for scale in (1, SCALE):
        database = work.snapshot(scale) / "facts.duckdb"
        seconds = f.get(f"database_{scale}x_s")
        rows.append(
            [
                f"  of which facts.duckdb, {scale}x" if scale == 1 else f"{SCALE}x facts.duckdb",
                "" if seconds is None else f"{seconds:.1f}",
                f"{database.stat().st_size / 2**20:,.1f}",
                "",
            ]
        )
    rows.append(
        [f"create_dataset({DATASET_QUERY!r}), this run", f"{freeze_s:.1f}", "", f"{dataset_size:,}"]
    )
    print_table(rows)
    counts = snapshot_rows(work.snapshot(1))
    print("1x snapshot rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()) + "\n")


def report_results(results: list[Measured]) -> None:
    by = {(r.system, r.metric, r.corpus): r for r in results}
    rows = [
        [
            "system",
            "metrics",
            "corpus",
            "patents",
            "median s",
            "x hand, Parquet",
            "x hand, facts.duckdb",
            f"{SCALE}x / 1x",
        ]
    ]
    for r in results:
        bases = [by.get((hand, r.metric, r.corpus)) for hand in HANDS]
        one = by.get((r.system, r.metric, "1x"))
        rows.append(
            [
                r.system,
                r.metric,
                r.corpus,
                f"{r.patents:,}",
                r.shown,
                *(f"{r.median / base.median:.2f}" if base else "" for base in bases),
                f"{r.median / one.median:.1f}" if one and r.corpus != "1x" else "",
            ]
        )
    print_table(rows)


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"




def report_checks(results: list[Measured]) -> None:
    """The baselines' rows against ipops's, per core metric and corpus."""
    ipops = {(r.metric, r.corpus): r.result for r in results if r.system == IPOPS_DUCKDB}
    for r in results:
        if r.system not in {*HANDS, PANDAS} or r.metric not in CORE:
            continue
        expected = ipops[(r.metric, r.corpus)]
        state = "the same" if r.result == expected else "DIFFERENT"
        print(f"{r.system}, {r.metric}, {r.corpus}: {state} {len(r.result)} rows as ipops")
        if r.result != expected:
            print(f"  ipops:    {expected[:5]}")
            print(f"  baseline: {r.result[:5]}")
    for r in results:
        if r.metric == FULL and r.result is not None:
            total, applicable = r.result
            print(f"{r.system}, {r.corpus}: {total} metrics, {applicable} applicable")
    print()




def report_goals(results: list[Measured]) -> None:
    by = {(r.system, r.metric, r.corpus): r for r in results}

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    for metric in (FULL, FULL_COMPILING):
        full = by[(IPOPS_DUCKDB, metric, f"{SCALE}x")]
        print(
            f"aim: {metric} on the {SCALE}x copy ({full.patents:,} patents) under "
            f"{AIM_FULL_S:.0f} s on DuckDB: {full.shown} s — {verdict(full.median < AIM_FULL_S)}"
        )
    for system in (IPOPS_DB, IPOPS_POSTGRES):
        for metric in (FULL, FULL_COMPILING):
            dataset = by.get((system, metric, "dataset"))
            if dataset:
                ok = dataset.median < AIM_DATASET_S and not dataset.interrupted
                print(
                    f"aim: {metric} on the {dataset.patents:,}-patent dataset under "
                    f"{AIM_DATASET_S:.0f} s, {system}: {dataset.shown} s — {verdict(ok)}"
                )
    # Like for like: ipops's metrics run on the tables snapshot_tables binds (facts.duckdb,
    # its prepared tables left out), the hand-written SQL on the same file.
    ratios = {
        (r.metric, r.corpus): r.median / by[(HAND_DATABASE, r.metric, r.corpus)].median
        for r in results
        if r.system == IPOPS_DUCKDB and r.metric in CORE
    }
    worst = max(ratios.values())
    listed = ", ".join(f"{m} {c} {x:.2f}x" for (m, c), x in ratios.items())
    print(
        f"aim: ipops through Ibis within {AIM_OVERHEAD}x of hand-written DuckDB SQL on the same "
        f"tables (facts.duckdb): {listed} — {verdict(worst < AIM_OVERHEAD)} (worst {worst:.2f}x)"
    )
    growth = {
        (r.system, r.metric): r.median / by[(r.system, r.metric, "1x")].median
        for r in results
        if r.corpus == f"{SCALE}x" and (r.system, r.metric, "1x") in by and r.metric != BIND
    }
    ipops_growth = {key: x for key, x in growth.items() if key[0] in {IPOPS_DUCKDB, IPOPS_SPARK}}
    worst_key = max(ipops_growth, key=ipops_growth.__getitem__)
    print(
        f"aim: cost growing no worse than linearly ({SCALE}x the patents, at most {SCALE}x the "
        f"time): ipops full set {growth[(IPOPS_DUCKDB, FULL)]:.1f}x on DuckDB"
        + (
            f", {growth[(IPOPS_SPARK, FULL)]:.1f}x on Spark"
            if (IPOPS_SPARK, FULL) in growth
            else ""
        )
        + f"; worst ipops row {worst_key[1]} on {worst_key[0]} {ipops_growth[worst_key]:.1f}x — "
        f"{verdict(max(ipops_growth.values()) <= SCALE)}"
    )
    print()


def report_details(details: list[Measured]) -> None:
    """Every metric's own median, the slowest at SCALE x first."""
    columns = list(dict.fromkeys((r.system, r.corpus) for r in details))
    by = {(r.system, r.corpus, r.metric): r for r in details}
    big = (IPOPS_DUCKDB, f"{SCALE}x")

    def slowest(metric: str) -> float:
        found = by.get((*big, metric))
        return -found.median if found else 0.0

    metrics = sorted(dict.fromkeys(r.metric for r in details), key=slowest)
    names = {IPOPS_DUCKDB: "DuckDB", IPOPS_DB: "SQLite", IPOPS_POSTGRES: "PostgreSQL"}
    rows = [["metric", *(f"{names[s]} {c}, s" for s, c in columns), f"DuckDB {SCALE}x / 1x"]]
    for metric in metrics:
        cells = [by.get((s, c, metric)) for s, c in columns]
        one, ten = by.get((IPOPS_DUCKDB, "1x", metric)), by.get((*big, metric))
        rows.append(
            [
                metric,
                *(cell.shown if cell else "" for cell in cells),
                f"{ten.median / one.median:.1f}" if one and ten else "",
            ]
        )
    print_table(rows)


# --- main -------------------------------------------------------------------------------------




# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, help="keep the data and snapshots here and reuse them")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--spark", action="store_true", help="also ipops on Spark (a JVM start)")
    parser.add_argument("--details", action="store_true", help="every metric's own time")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also the dataset on PostgreSQL: a database of its own on this server, "
        "created if missing (e.g. postgres://postgres@127.0.0.1:5432/ipops_bench_landscape)",
    )
    parser.add_argument("--postgres-child", metavar="FACTS", help=argparse.SUPPRESS)
    parser.add_argument(
        "--db-limit",
        type=float,
        default=60.0,
        help="stop a live-database query after this many seconds (default 60)",
    )
    args = parser.parse_args()
    if args.postgres_child:
        return postgres_child(Path(args.postgres_child), args)
    missing = [str(path) for path, _format in DATASETS if not path.is_file()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found (the benchmark reads the shared data)")
        return 0
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        return run(Work(args.work.resolve()), args)
    with tempfile.TemporaryDirectory(prefix="ipops-landscape-bench-") as folder:
        return run(Work(Path(folder)), args)


def run(work: Work, args: argparse.Namespace) -> int:
    work.load(*fingerprints())
    print(f"setup in {work.folder}", flush=True)
    build_database(work)
    setup_django(work.data_dir)  # the 10x snapshot's facts.duckdb is written by ipops code
    build_scaled_snapshot(work)

    from ipcore.landscape.metrics import MetricParams
    from ipops.landscape.backends import current_snapshot

    snapshots = {"1x": work.snapshot(1), f"{SCALE}x": work.snapshot(SCALE)}
    as_of = dt.date.fromisoformat(current_snapshot(snapshots["1x"]).as_of)
    params = MetricParams(as_of=as_of)
    patents = {corpus: current_snapshot(path).patents for corpus, path in snapshots.items()}
    results: list[Measured] = []
    details: list[Measured] = []
    # The dataset first: the database part fails early, not after the long snapshot part.
    dataset, freeze_s = freeze_dataset(as_of)
    try:
        print("  the dataset", flush=True)
        on_database = measure_dataset(dataset, snapshots["1x"], params, args.repeat, args.db_limit)
        if args.details:
            from ipops.landscape.backends import database_tables

            bind = functools.partial(database_tables, dataset.pk)
            details.extend(
                measure_each(
                    IPOPS_DB, bind, "dataset", dataset.size, params, args.repeat, args.db_limit
                )
            )
        if args.postgres:
            print("  the dataset on PostgreSQL", flush=True)
            measured = measure_postgres(work, dataset, args)
            on_database += [m for m in measured if m.metric in {FULL, FULL_COMPILING}]
            details += [m for m in measured if m.metric not in {FULL, FULL_COMPILING}]
    finally:
        drop_dataset(dataset)
    for corpus, path in snapshots.items():
        print(f"  {corpus}", flush=True)
        results.extend(measure_snapshot(path, corpus, patents[corpus], params, args.repeat))
        if args.details:
            bind = functools.partial(duckdb_tables, path)
            details.extend(
                measure_each(IPOPS_DUCKDB, bind, corpus, patents[corpus], params, args.repeat)
            )
    results.extend(on_database)
    if args.spark:
        results.extend(measure_spark(snapshots, params, patents, args.repeat))
    print()
    print(
        f"as of {as_of}; {args.repeat} timed runs after a warm-up, median seconds (a case "
        f"under {SHORT_S * 1000:.0f} ms is timed over up to {MOST_CALLS} calls a run, their "
        "mean). A full set "
        "binds the tables, measures the coverage and runs every metric, its SQL compiled by "
        "the warm-up (as in every report of a process but its first; 'SQL compiled afresh': "
        "as in the first); a single metric runs on tables bound once, its coverage given. "
        "snapshot_tables on DuckDB opens facts.duckdb read-only; a full set over the whole "
        "snapshot reads its prepared tables, a single metric here does not (like for like "
        "with the hand-written SQL).\n"
    )
    report_setup(work, freeze_s, dataset.size)
    report_results(results)
    report_checks(results)
    report_goals(results)
    if details:
        report_details(details)
    return 0


def duckdb_tables(path: Path, *, prepared: bool = True) -> Any:
    """The whole snapshot as `ipops landscape --backend duckdb` binds it; without its
    prepared tables where `prepared` is false."""
    import dataclasses

    from ipops.landscape.backends import Backend, current_snapshot, snapshot_tables

    snapshot = current_snapshot(path)
    if not prepared:
        snapshot = dataclasses.replace(snapshot, prepared=None)
    return snapshot_tables(snapshot, None, backend=Backend.DUCKDB)


def measure_snapshot(
    path: Path, corpus: str, patents: int, params: Any, repeat: int
) -> list[Measured]:
    """ipops's full set (SQL compiled once, and afresh) and binding, the four core metrics by
    ipops, by hand-written SQL over the Parquet files and over facts.duckdb, and by pandas."""
    from ipcore.landscape.metrics import measure_coverage

    tables = duckdb_tables(path, prepared=False)
    coverage = measure_coverage(tables)
    views = duckdb_hand(path, database=False)
    database = duckdb_hand(path, database=True)
    frames = pandas_frames(path)
    cases = [
        Case(IPOPS_DUCKDB, FULL, corpus, patents, ipops_full_set(path, "duckdb", params)),
        Case(
            IPOPS_DUCKDB,
            FULL_COMPILING,
            corpus,
            patents,
            ipops_full_set(path, "duckdb", params, compiling=True),
        ),
        Case(IPOPS_DUCKDB, BIND, corpus, patents, functools.partial(duckdb_tables, path)),
        Case(HAND_DATABASE, BIND, corpus, patents, hand_open(path)),
    ]
    for name in CORE:
        cases += [
            Case(IPOPS_DUCKDB, name, corpus, patents, ipops_metric(tables, coverage, name, params)),
            Case(HAND_PARQUET, name, corpus, patents, hand_duckdb(views, name, params)),
            Case(HAND_DATABASE, name, corpus, patents, hand_duckdb(database, name, params)),
            Case(PANDAS, name, corpus, patents, pandas_metric(frames, name, params)),
        ]
    try:
        return measure(cases, repeat)
    finally:
        views.close()
        database.close()


def measure_each(
    system: str,
    bind: Run,
    corpus: str,
    patents: int,
    params: Any,
    repeat: int,
    limit: float | None = None,
) -> list[Measured]:
    """Binding the tables, the coverage query every report runs, and every metric alone on
    tables bound once."""
    from ipcore.landscape.metrics import METRICS, measure_coverage

    tables = bind()
    coverage = measure_coverage(tables)
    cases = [
        Case(system, BIND, corpus, patents, bind),
        Case(system, "(coverage)", corpus, patents, lambda: measure_coverage(tables), limit),
    ]
    cases += [
        Case(system, name, corpus, patents, ipops_metric(tables, coverage, name, params), limit)
        for name in METRICS
    ]
    return measure(cases, repeat)




def measure_dataset(
    dataset: Any, snapshot: Path, params: Any, repeat: int, limit: float
) -> list[Measured]:
    """The full set (SQL compiled once, and afresh) and the core metrics on the live database,
    each stopped after `limit` seconds; for comparison, the full set over the same patents of
    the 1x snapshot on DuckDB (`snapshot_tables` with their ids)."""
    from ipcore.landscape.metrics import measure_coverage
    from ipops.landscape.backends import database_tables
    from ipops.landscape.models import DatasetPatent

    size = dataset.size
    members = DatasetPatent.objects.filter(dataset=dataset, excluded=False)
    ids = list(members.values_list("patent_id", flat=True))
    tables = database_tables(dataset.pk)
    coverage = measure_coverage(tables)
    full = ipops_dataset_full_set(dataset.pk, params)
    afresh = ipops_dataset_full_set(dataset.pk, params, compiling=True)
    cases = [
        Case(IPOPS_DB, FULL, "dataset", size, full, limit),
        Case(IPOPS_DB, FULL_COMPILING, "dataset", size, afresh, limit),
        Case(
            IPOPS_DUCKDB_IDS, FULL, "dataset", size, ipops_full_set(snapshot, "duckdb", params, ids)
        ),
    ]
    for name in CORE:
        cases.append(
            Case(
                IPOPS_DB, name, "dataset", size, ipops_metric(tables, coverage, name, params), limit
            )
        )
    return measure(cases, repeat)


# --- the dataset on PostgreSQL ----------------------------------------------------------------


def measure_postgres(work: Work, dataset: Any, args: argparse.Namespace) -> list[Measured]:
    """The dataset's facts copied into a PostgreSQL database of the benchmark's own (migrated
    by `ipops migrate`), and the full set there (and every metric with --details), measured
    in a child process: Django in this one is set up on SQLite."""
    import pyarrow.parquet as pq

    from ipops.landscape.backends import FACT_TABLES, database_tables

    facts = work.folder / "postgres-facts"
    _remove(facts)
    facts.mkdir()
    tables = database_tables(dataset.pk)
    for name in FACT_TABLES:
        pq.write_table(getattr(tables, name).to_pyarrow(), facts / f"{name}.parquet")
    (facts / "dataset.json").write_text(
        json.dumps({"size": dataset.size, "as_of": dataset.as_of.isoformat()})
    )
    env = {**os.environ, "DATABASE_URL": args.postgres, "IPOPS_DATA_DIR": str(work.data_dir)}
    command = [sys.executable, str(Path(__file__).resolve()), "--postgres-child", str(facts)]
    command += ["--repeat", str(args.repeat)] + (["--details"] if args.details else [])
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the PostgreSQL part failed (status {done.returncode})")
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return [Measured(**fields) for fields in measured]


def postgres_child(facts: Path, args: argparse.Namespace) -> int:
    """In the child: the database created where missing and migrated, the facts loaded as one
    dataset, the measurements printed as JSON on the last line, the dataset deleted."""
    url = os.environ["DATABASE_URL"]
    _create_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipops.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    meta = json.loads((facts / "dataset.json").read_text())
    dataset = _load_dataset(facts, meta)
    try:
        from ipcore.landscape.metrics import MetricParams
        from ipops.landscape.backends import database_tables

        params = MetricParams(as_of=dt.date.fromisoformat(meta["as_of"]))
        size = meta["size"]
        full = ipops_dataset_full_set(dataset.pk, params)
        afresh = ipops_dataset_full_set(dataset.pk, params, compiling=True)
        cases = [
            Case(IPOPS_POSTGRES, FULL, "dataset", size, full),
            Case(IPOPS_POSTGRES, FULL_COMPILING, "dataset", size, afresh),
        ]
        with contextlib.redirect_stdout(sys.stderr):
            measured = measure(cases, args.repeat)
            if args.details:
                bind = functools.partial(database_tables, dataset.pk)
                measured += measure_each(IPOPS_POSTGRES, bind, "dataset", size, params, args.repeat)
    finally:
        dataset.delete()
    rows = [
        {**vars(m), "result": m.result if m.metric in {FULL, FULL_COMPILING} else None}
        for m in measured
    ]
    print(json.dumps(rows))
    return 0


def _create_database(url: str) -> None:
    """The database URL names, created on its server where it does not exist yet."""
    import psycopg
    from psycopg import sql

    server, _, name = url.partition("?")[0].rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _load_dataset(facts: Path, meta: dict[str, Any]) -> Any:
    """A dataset row and its facts, copied in with COPY, then ANALYZE."""
    import pyarrow.parquet as pq
    from django.db import connection

    from ipops.landscape.backends import FACT_TABLES
    from ipops.landscape.models import Dataset

    Dataset.objects.filter(name=DATASET_NAME).delete()
    dataset = Dataset.objects.create(
        name=DATASET_NAME, query=DATASET_QUERY, as_of=meta["as_of"], size=meta["size"]
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        for name, table in FACT_TABLES.items():
            rows = pq.read_table(facts / f"{name}.parquet")
            columns = ["dataset_id", *rows.column_names]
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # our own names
            with raw.copy(statement) as copy:
                for row in rows.to_pylist():
                    copy.write_row([dataset.pk, *row.values()])
            cursor.execute(f"ANALYZE {table}")
    # What create_dataset writes with the facts (ipops.landscape.prepared), written the same way.
    from django.db import transaction

    from ipops.landscape.backends import database_tables
    from ipops.landscape.prepared import write_prepared

    with transaction.atomic():
        write_prepared(dataset, database_tables(dataset.pk, prepared=False))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE landscape_preparedrow")
    return dataset


def measure_spark(
    snapshots: dict[str, Path], params: Any, patents: dict[str, int], repeat: int
) -> list[Measured]:
    from ipops.landscape.backends import spark_backend

    print("  Spark: starting the session (not timed)", flush=True)
    started = time.perf_counter()
    spark_backend()
    print(f"    session started in {time.perf_counter() - started:.1f} s", flush=True)
    cases = [
        Case(IPOPS_SPARK, FULL, corpus, patents[corpus], ipops_full_set(path, "spark", params))
        for corpus, path in snapshots.items()
    ]
    return measure(cases, repeat)


if __name__ == "__main__":
    sys.exit(main())

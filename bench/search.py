"""Search speed benchmark (issue 4): ipops search against tantivy-py and SQLite FTS5, at 1x and
at a 10x copy of the corpus, every system measured in the same run on the same data.

    .venv/bin/python bench/search.py                        # everything: 23 minutes on 2 cores
    .venv/bin/python bench/search.py --work /tmp/search-bench  # keep what it builds: reruns 2-3 min
    .venv/bin/python bench/search.py --scale 1 --no-http    # 1x only, no server
    .venv/bin/python bench/search.py --details              # and every query's medians

Setup (timed, not part of the latency numbers): a fresh data directory with `ipops migrate`,
`ipops ingest --no-index` of the three public datasets and `ipops reindex` (the index build
time), each a child process like bench/ingest.py. Then, in this process: a 10x Tantivy index
(every patent 10 times, ids shifted by k * 10,000,000, documents from
`indexable_patents` + `build_document`) and two SQLite FTS5 databases (1x and 10x).

Every query of bench/search_queries.txt is run once to warm up and then --repeat times: top
20, the total count and facets. Per query the median; over the queries the median and p95.
With --work DIR the data directory, the indexes and the FTS5 databases are kept in DIR and
reused while the input files and the indexing code are unchanged.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from unittest import mock

from _common import load_corpus, setup_django, sqlite_env

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent
QUERIES = Path(__file__).resolve().parent / "search_queries.txt"
# (file, --format) in import order.
DATASETS = (
    (DATA / "pv-patents-us" / "pv-data.parquet", "patentsview"),
    (DATA / "cn-patent-titles-ipc" / "cn_titles_ipc.csv.gz", "cn-titles"),
    (DATA / "lens-export-drones" / "drones_fulltext_families_5884_raw.csv.gz", "lens"),
)
# A change to any of these makes a kept --work folder stale (it is rebuilt).
INDEXING_CODE = (
    "ipops/search/documents.py",
    "ipops/search/index.py",
    "ipops/corpus/indexable.py",
    "ipcore/search/analysis.py",
)
SETUP_VERSION = 1  # bump when what this script builds changes
ID_SHIFT = 10_000_000
PAGE = 20
# What FTS5 counts per query: two of the ten facets ipops computes.
FTS_FACETS = ("year", "cc")


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    text: str  # ipops query language
    match: str = ""  # FTS5 MATCH expression; "zh:" in front: the trigram table
    where: str = ""  # SQL filters on d, cls, zh
    note: str = ""  # what the FTS5 translation misses

    @property
    def fts_table(self) -> str:
        return "zh" if self.match.startswith("zh:") else "en"

    @property
    def fts_match(self) -> str:
        return self.match.removeprefix("zh:").strip()


def read_queries(path: Path) -> list[BenchQuery]:
    """Records of `key: value` lines, separated by blank lines; `#` starts a comment."""
    queries: list[BenchQuery] = []
    record: dict[str, str] = {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if record:
                queries.append(BenchQuery(record.pop("q"), **record))
                record = {}
            continue
        key, _, value = line.partition(":")
        if key not in {"q", "match", "where", "note"}:
            raise SystemExit(f"{path}: unknown key in {line!r}")
        record[key] = value.strip()
    return queries


# --- setup: a real ipops data directory, built by the ipops commands ----------------------


@dataclass
class Work:
    """The folder everything built lives in, and what building it cost (setup.json)."""

    folder: Path
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def scaled_root(self, scale: int) -> Path:
        return self.folder / f"index-{scale}x" / "search"

    def fts_path(self, scale: int) -> Path:
        return self.folder / f"fts-{scale}x.sqlite3"

    def load(self, fingerprint: str) -> None:
        path = self.folder / "setup.json"
        facts = json.loads(path.read_text()) if path.exists() else {}
        if facts.get("fingerprint") != fingerprint:
            for name in ("data", "setup.json", "serve.log"):
                _remove(self.folder / name)
            for stale in [*self.folder.glob("index-*x"), *self.folder.glob("fts-*x.sqlite3")]:
                _remove(stale)
            facts = {"fingerprint": fingerprint}
        self.facts = facts

    def save(self) -> None:
        (self.folder / "setup.json").write_text(json.dumps(self.facts, indent=2))


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def fingerprint() -> str:
    digest = hashlib.sha256(f"version {SETUP_VERSION}".encode())
    for path, _format in DATASETS:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for name in INDEXING_CODE:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def build_database(work: Work) -> None:
    """`ipops migrate`, `ipops ingest --no-index` of each dataset, `ipops reindex`."""
    if "reindex_s" in work.facts:
        return
    _remove(work.data_dir)
    work.data_dir.mkdir(parents=True)
    load_corpus(sqlite_env(work.data_dir), DATASETS, work.facts)
    work.save()




def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- in-process parts: Django is set up once the data directory is known -----------------




def corpus_patents() -> list[Any]:
    """Every patent as the indexer reads it (ipops.corpus.indexable), in id order."""
    from django.utils import timezone

    from ipops.corpus.indexable import all_patent_ids, indexable_patents

    today = timezone.localdate()
    return [p for ids in all_patent_ids() for p in indexable_patents(ids, on=today)]


def build_scaled_index(work: Work, patents: list[Any], scale: int) -> None:
    """Every patent `scale` times, ids shifted by k * ID_SHIFT, through `build_document`,
    written with the writer settings of `ipops reindex` and published as a generation.

    The copies of one patent are built one after the other with the text analysis memoised,
    so each text is analysed once: the documents are the same, the build 4x faster."""
    key = f"index_{scale}x_build_s"
    if key in work.facts:
        return
    import tantivy

    from ipcore.search.analysis import index_tokens
    from ipops.search import documents, index

    root = work.scaled_root(scale)
    print(f"  building the {scale}x index", flush=True)
    _remove(root)
    generation = root / f"gen-{scale}x"
    generation.mkdir(parents=True)
    memoised = functools.lru_cache(maxsize=64)(index_tokens)
    started = time.perf_counter()
    with mock.patch.object(documents, "index_tokens", memoised):
        writer = tantivy.Index(index.SCHEMA, path=str(generation)).writer(
            heap_size=index.WRITER_HEAP, num_threads=1
        )
        for patent in patents:
            for k in range(scale):
                writer.add_document(
                    documents.build_document(replace(patent, id=patent.id + k * ID_SHIFT))
                )
        writer.commit()
        writer.wait_merging_threads()
    (root / "CURRENT").write_text(generation.name)
    work.facts[key] = time.perf_counter() - started
    work.save()


FTS_SCHEMA = """
CREATE TABLE d (id INTEGER PRIMARY KEY, cc TEXT, type TEXT, kd TEXT, ls TEXT,
                ad INT, pd INT, gd INT, year INT, claims INT);
CREATE TABLE cls (id INT, scheme TEXT, code TEXT);
CREATE VIRTUAL TABLE en USING fts5(ti, ab, ap, inv, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE zh USING fts5(ti, tokenize = 'trigram');
"""
FTS_INDEXES = """
CREATE INDEX d_cc ON d (cc); CREATE INDEX d_ad ON d (ad); CREATE INDEX d_pd ON d (pd);
CREATE INDEX d_gd ON d (gd); CREATE INDEX cls_code ON cls (scheme, code);
"""


def build_fts(work: Work, patents: list[Any], scale: int) -> None:
    """The FTS5 baseline: English text (unicode61) and Chinese titles (trigram) in FTS5 tables,
    filters and classifications in plain indexed tables; `scale` copies, ids shifted."""
    key = f"fts_{scale}x_build_s"
    path = work.fts_path(scale)
    if key in work.facts:
        return
    print(f"  building the FTS5 database {scale}x", flush=True)
    _remove(path)
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(FTS_SCHEMA)
    rows = [_fts_rows(p) for p in patents]
    with db:
        for k in range(scale):
            shift = k * ID_SHIFT
            db.executemany("INSERT INTO d VALUES (?,?,?,?,?,?,?,?,?,?)", _shifted(rows, 0, shift))
            db.executemany(
                "INSERT INTO en (rowid, ti, ab, ap, inv) VALUES (?,?,?,?,?)",
                _shifted(rows, 1, shift),
            )
            db.executemany("INSERT INTO zh (rowid, ti) VALUES (?,?)", _shifted(rows, 2, shift))
            db.executemany("INSERT INTO cls VALUES (?,?,?)", _shifted(rows, 3, shift))
        db.executescript(FTS_INDEXES)
        db.execute("INSERT INTO en (en) VALUES ('optimize')")
        db.execute("INSERT INTO zh (zh) VALUES ('optimize')")
    db.execute("ANALYZE")
    db.close()
    work.facts[key] = time.perf_counter() - started
    work.save()


def _fts_rows(p: Any) -> tuple[list[tuple[Any, ...]], ...]:
    def day(date: Any) -> int | None:
        return date.year * 10000 + date.month * 100 + date.day if date else None

    year_date = p.application_date or p.publication_date or p.grant_date
    facts = (p.office, p.document_type, p.publication_kind, p.legal_status)
    dates = (day(p.application_date), day(p.publication_date), day(p.grant_date))
    english = [(name, text) for name, language, text in p.texts if language != "zh"]
    return (
        [(p.id, *facts, *dates, year_date.year if year_date else None, p.claims_count)],
        [
            (
                p.id,
                " ".join(t for name, t in english if name == "title"),
                " ".join(t for name, t in english if name == "abstract"),
                " ; ".join(p.owners),
                " ; ".join(p.inventors),
            )
        ],
        [(p.id, text) for name, language, text in p.texts if language == "zh" and name == "title"],
        [(p.id, "ipc", code.replace(" ", "")) for code in p.ipc]
        + [(p.id, "cpc", code.replace(" ", "")) for code in p.cpc],
    )


def _shifted(
    rows: list[tuple[list[tuple[Any, ...]], ...]], part: int, shift: int
) -> Iterator[tuple[Any, ...]]:
    for patent in rows:
        for row in patent[part]:
            yield (row[0] + shift, *row[1:])


# --- the systems measured -------------------------------------------------------------------


Runner = Callable[[BenchQuery], int]  # runs one query, returns its total


def tantivy_direct(root: Path, *, facets: bool = True) -> Runner:
    """tantivy-py alone: the query ipops compiles (compiled before timing, ORG names looked up
    once), one searcher kept open; search top 20 with count, their ids, the same facets."""
    import tantivy

    from ipcore.search import parse
    from ipops.corpus.queries import entity_ids_named
    from ipops.search.compiler import CompileOptions, compile_query
    from ipops.search.engine import FACET_SIZE, FACETS

    generation = (root / "CURRENT").read_text().strip()
    searcher = tantivy.Index.open(str(root / generation)).searcher()
    organisations = functools.cache(entity_ids_named)
    compiled: dict[str, tantivy.Query] = {}
    spec = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
    spec["year"]["terms"]["size"] = 60

    def compiled_for(query: BenchQuery) -> tantivy.Query:
        if query.text not in compiled:
            options = CompileOptions(organisations=organisations)
            compiled[query.text] = compile_query(parse(query.text), options)
        return compiled[query.text]

    def timed(query: BenchQuery) -> int:
        tantivy_query = compiled_for(query)
        result = searcher.search(tantivy_query, PAGE, count=True)
        searcher.fast_field_values("id", [address for _score, address in result.hits])
        if facets:
            searcher.aggregate(tantivy_query, spec)
        return int(result.count)  # type: ignore[attr-defined]  # the stub omits it

    timed.prepare = compiled_for  # type: ignore[attr-defined]
    return timed


def ipops_engine(root: Path) -> Runner:
    """`ipops.search.engine.run_search`: parse, compile, search, total, facets (ids only)."""
    from django.conf import settings

    from ipops.corpus.queries import entity_ids_named
    from ipops.search.engine import SearchRequest, run_search

    def run(query: BenchQuery) -> int:
        settings.SEARCH_INDEX_DIR = root
        request = SearchRequest(query.text, page_size=PAGE, facets=True)
        return run_search(request, organisations=entity_ids_named).total

    return run


def ipops_search_patents(root: Path) -> Runner:
    """`ipops.search.queries.search_patents`, what every surface calls: the engine, then the
    20 result rows from the database, snippets, facet labels."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser

    from ipops.search.engine import SearchRequest
    from ipops.search.queries import search_patents

    user = AnonymousUser()

    def run(query: BenchQuery) -> int:
        settings.SEARCH_INDEX_DIR = root
        return search_patents(user, SearchRequest(query.text, page_size=PAGE, facets=True)).total

    return run


def fts5(path: Path) -> Runner:
    """SQLite FTS5: the matches evaluated once into a temporary table (id, year, office, bm25
    with title 3 and abstract 1.5 as ipops weighs them), then the top 20 (id order for
    filter-only queries), count(*) and GROUP BY for two facets from it. Evaluating the match
    once per query is 1.4-4x faster on large result sets than four statements that each
    repeat it (and about 0.2 ms slower on tiny ones)."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA temp_store = MEMORY")  # as ipops's own SQLite settings

    def run(query: BenchQuery) -> int:
        base, params, score = _fts_sql(query)
        db.execute("DROP TABLE IF EXISTS temp.hit")
        db.execute(
            f"CREATE TEMP TABLE hit AS SELECT d.id, d.year, d.cc, {score} AS score {base}", params
        )
        # Only constants and the benchmark's own query file go into these statements.
        db.execute(f"SELECT id FROM hit ORDER BY score, id LIMIT {PAGE}").fetchall()  # noqa: S608
        total = db.execute("SELECT count(*) FROM hit").fetchone()[0]
        for facet in FTS_FACETS:
            grouped = f"SELECT {facet}, count(*) FROM hit GROUP BY {facet}"  # noqa: S608
            db.execute(grouped).fetchall()
        return int(total)

    return run


def _fts_sql(query: BenchQuery) -> tuple[str, dict[str, str], str]:
    """FROM … WHERE …, its parameters, and the score (lower is better, as bm25() gives it)."""
    table = query.fts_table
    extra = f" AND ({query.where})" if query.where else ""
    if query.match:
        base = f"FROM {table} JOIN d ON d.id = {table}.rowid WHERE {table} MATCH :m{extra}"
        weights = ", 3.0, 1.5, 1.0, 1.0" if table == "en" else ""
        return base, {"m": query.fts_match}, f"bm25({table}{weights})"
    return f"FROM d WHERE {query.where or '1'}", {}, "0"


class Server:
    """`ipops serve --no-worker` (gunicorn, 2 workers) on a free port, stopped on exit."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = _free_port()
        env = sqlite_env(data_dir)
        self.log = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 — our own entry point
            [str(BIN / "ipops"), "serve", "--no-worker", "--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                for _ in range(10):  # every worker's first request loads what Django loads lazily
                    self.get("CC=CN")
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("ipops serve exited; see its log") from None
                time.sleep(0.3)
        raise SystemExit("ipops serve did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def get(self, text: str) -> dict[str, Any]:
        params = urllib.parse.urlencode({"q": text, "limit": PAGE})
        url = f"http://127.0.0.1:{self.port}/api/search?{params}"
        with urllib.request.urlopen(url, timeout=60) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer

    def runner(self) -> Runner:
        return lambda query: int(self.get(query.text)["total"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Measured:
    system: str
    corpus: str
    per_query_ms: list[float]
    totals: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.per_query_ms)

    @property
    def p95(self) -> float:
        return percentile(self.per_query_ms, 95)


def percentile(values: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(
    corpus: str, systems: dict[str, Runner], queries: list[BenchQuery], repeat: int
) -> list[Measured]:
    """Per query: each system once to warm up, then `repeat` rounds that time every system in
    turn (so a slow minute of the machine falls on all of them); the median per query."""
    print(f"  {corpus}: {', '.join(systems)} …", flush=True)
    results = {name: Measured(name, corpus, [], []) for name in systems}
    for query in queries:
        samples: dict[str, list[float]] = {name: [] for name in systems}
        for name, run in systems.items():
            prepare = getattr(run, "prepare", None)
            if prepare:
                prepare(query)
            results[name].totals.append(run(query))
        for _ in range(repeat):
            for name, run in systems.items():
                started = time.perf_counter()
                run(query)
                samples[name].append((time.perf_counter() - started) * 1000)
        for name in systems:
            results[name].per_query_ms.append(statistics.median(samples[name]))
    return list(results.values())


# --- the report ---------------------------------------------------------------------------------

DIRECT = "tantivy-py direct"
DIRECT_NO_FACETS = "tantivy-py direct, no facets"
ENGINE = "ipops engine (run_search)"
PAGE_SYSTEM = "ipops search_patents (+ rows, snippets)"
FTS = "SQLite FTS5"
HTTP = "ipops HTTP /api/search"


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()


def report_latency(results: list[Measured], documents: dict[str, int]) -> None:
    floor = {r.corpus: r for r in results if r.system == DIRECT}
    rows = [["system", "corpus", "documents", "median ms", "p95 ms", "x direct median", "x p95"]]
    for r in results:
        base = floor[r.corpus]
        rows.append(
            [
                r.system,
                r.corpus,
                f"{documents[r.corpus]:,}",
                f"{r.median:.2f}",
                f"{r.p95:.2f}",
                f"{r.median / base.median:.2f}",
                f"{r.p95 / base.p95:.2f}",
            ]
        )
    print_table(rows)


def report_setup(work: Work, scale: int) -> None:
    f = work.facts
    rows = [["setup step", "seconds", "size MiB", "documents"]]
    for _path, name in DATASETS:
        rows.append([f"ipops ingest --no-index ({name})", f"{f[f'ingest_{name}_s']:.1f}", "", ""])
    rows.append(_setup_row("ipops reindex: the 1x index", f["reindex_s"], f["index_1x"]))
    if scale > 1:
        label = f"{scale}x index (bench-side build_document, memoised)"
        rows.append(_setup_row(label, f[f"index_{scale}x_build_s"], f[f"index_{scale}x"]))
    for s in sorted({1, scale}):
        fts = f[f"fts_{s}x"]
        rows.append([f"FTS5 database {s}x", f"{f[f'fts_{s}x_build_s']:.1f}", _mib(fts), ""])
    print_table(rows)


def _setup_row(label: str, seconds: float, index: dict[str, int]) -> list[str]:
    size = f"{_mib(index['bytes'])} ({index['segments']} segments)"
    return [label, f"{seconds:.1f}", size, f"{index['documents']:,}"]


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f}"


def report_goals(results: list[Measured]) -> None:
    """Issue 4's two aims: the engine within 1.5x of tantivy-py, at least 5x FTS5 at p95."""
    by = {(r.system, r.corpus): r for r in results}
    for corpus in dict.fromkeys(r.corpus for r in results):
        direct, engine, fts = (by[(name, corpus)] for name in (DIRECT, ENGINE, FTS))
        print(
            f"{corpus}: ipops engine / tantivy-py {engine.median / direct.median:.2f}x median, "
            f"{engine.p95 / direct.p95:.2f}x p95 (aim < 1.5x); FTS5 / ipops engine "
            f"{fts.median / engine.median:.1f}x median, {fts.p95 / engine.p95:.1f}x p95 "
            "(aim >= 5x at p95)"
        )
    print()


def report_checks(results: list[Measured], queries: list[BenchQuery]) -> None:
    """Every ipops path must count what tantivy-py counts; FTS5 agrees where it can."""
    floor = {r.corpus: r for r in results if r.system == DIRECT}
    for r in results:
        base = floor[r.corpus]
        pairs = zip(queries, r.totals, base.totals, strict=True)
        differ = [q.text for q, total, expected in pairs if total != expected]
        if r.system == FTS:
            same = len(queries) - len(differ)
            print(f"FTS5 {r.corpus}: the same total as ipops for {same} of {len(queries)} queries")
            print(f"  differ: {'; '.join(differ)}")
        elif differ:
            print(f"!! {r.system} {r.corpus}: totals differ from tantivy-py for {differ}")
    print()


def report_overhead(results: list[Measured], queries: list[BenchQuery]) -> None:
    """The queries where the ipops engine adds most to tantivy-py."""
    for corpus in dict.fromkeys(r.corpus for r in results):
        direct = next(r for r in results if r.corpus == corpus and r.system == DIRECT)
        engine = next(r for r in results if r.corpus == corpus and r.system == ENGINE)
        pairs = zip(queries, direct.per_query_ms, engine.per_query_ms, strict=True)
        ranked = sorted(((e / d, d, e, q.text) for q, d, e in pairs), reverse=True)
        print(f"largest engine / tantivy-py ratios, {corpus}:")
        for ratio, d, e, text in ranked[:5]:
            print(f"  {ratio:5.2f}x  {d:7.2f} -> {e:7.2f} ms  {text}")
    print()


def report_details(results: list[Measured], queries: list[BenchQuery]) -> None:
    rows = [["query", *(f"{r.system[:18]} {r.corpus}" for r in results), "total"]]
    for i, query in enumerate(queries):
        times = [f"{r.per_query_ms[i]:.2f}" for r in results]
        rows.append([query.text[:48], *times, f"{results[0].totals[i]:,}"])
    print_table(rows)


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, help="keep the built corpus here and reuse it")
    parser.add_argument("--scale", type=int, default=10, help="size of the copy (1: none)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP API")
    parser.add_argument("--details", action="store_true", help="print every query's medians")
    args = parser.parse_args()
    missing = [str(path) for path, _format in DATASETS if not path.is_file()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found (the benchmark reads the shared data)")
        return 0
    queries = read_queries(args.queries)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        return run(Work(args.work.resolve()), queries, args)
    with tempfile.TemporaryDirectory(prefix="ipops-search-bench-") as folder:
        return run(Work(Path(folder)), queries, args)


def run(work: Work, queries: list[BenchQuery], args: argparse.Namespace) -> int:
    scale = args.scale
    work.load(fingerprint())
    print(f"setup in {work.folder}", flush=True)
    build_database(work)
    setup_django(work.data_dir)
    build_derived(work, scale)
    roots = {"1x": work.data_dir / "search"}
    if scale > 1:
        roots[f"{scale}x"] = work.scaled_root(scale)
    results: list[Measured] = []
    for corpus, root in roots.items():
        systems = {
            DIRECT_NO_FACETS: tantivy_direct(root, facets=False),
            DIRECT: tantivy_direct(root),
            ENGINE: ipops_engine(root),
        }
        if corpus == "1x":
            systems[PAGE_SYSTEM] = ipops_search_patents(root)
        systems[FTS] = fts5(work.fts_path(int(corpus.removesuffix("x"))))
        results.extend(measure(corpus, systems, queries, args.repeat))
    if not args.no_http:
        # On its own: the server goes on working (access log, closing its database connection)
        # after each answer, which would land on the next system's clock.
        with Server(work.data_dir, work.folder / "serve.log") as server:
            results.extend(measure("1x", {HTTP: server.runner()}, queries, args.repeat))
    print()
    print(
        f"{len(queries)} queries, {args.repeat} timed runs each after a warm-up; top {PAGE}, "
        "total, facets; medians per query, then median and p95 over the queries\n"
    )
    report_setup(work, scale)
    documents = {corpus: work.facts[f"index_{corpus}"]["documents"] for corpus in roots}
    report_latency(results, documents)
    report_goals(results)
    report_checks(results, queries)
    report_overhead(results, queries)
    if args.details:
        report_details(results, queries)
    return 0


def build_derived(work: Work, scale: int) -> None:
    """The scaled index and the FTS5 databases (from the corpus as the indexer reads it), then
    the size, documents and segments of each index."""
    wanted = [s for s in sorted({1, scale}) if f"fts_{s}x_build_s" not in work.facts]
    if scale > 1 and f"index_{scale}x_build_s" not in work.facts:
        wanted.append(0)
    if wanted:
        print("  reading the corpus (indexable_patents)", flush=True)
        patents = corpus_patents()
        if scale > 1:
            build_scaled_index(work, patents, scale)
        for s in sorted({1, scale}):
            build_fts(work, patents, s)
        del patents
    work.facts["index_1x"] = index_facts(work.data_dir / "search")
    if scale > 1:
        work.facts[f"index_{scale}x"] = index_facts(work.scaled_root(scale))
    for s in sorted({1, scale}):
        work.facts[f"fts_{s}x"] = work.fts_path(s).stat().st_size
    work.save()


def index_facts(root: Path) -> dict[str, int]:
    import tantivy

    generation = root / (root / "CURRENT").read_text().strip()
    meta = json.loads((generation / "meta.json").read_text())
    documents = tantivy.Index.open(str(generation)).searcher().num_docs
    return {
        "bytes": folder_bytes(generation),
        "segments": len(meta["segments"]),
        "documents": documents,
    }


if __name__ == "__main__":
    sys.exit(main())

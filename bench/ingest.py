"""Import benchmark: the whole PatentsView file into SQLite and PostgreSQL, against a bare
pyarrow + executemany baseline measured in the same run.

    .venv/bin/python bench/ingest.py                      # SQLite and PostgreSQL, 1x
    .venv/bin/python bench/ingest.py --scale 5            # also a 5x copy (ids shifted)
    .venv/bin/python bench/ingest.py --databases sqlite   # only SQLite
    .venv/bin/python bench/ingest.py --limit 20000        # the first 20,000 rows (quick look)

Each ipops import runs as a real `ipops migrate` + `ipops ingest` in a child process with a
fresh data directory (and a fresh PostgreSQL database `ipops_bench`), so its peak memory is
the child's own. Prints a table; numbers are wall-clock seconds on this machine.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
PV = ROOT.parent / "shared" / "data" / "pv-patents-us" / "pv-data.parquet"
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


@dataclass
class Row:
    system: str
    database: str
    scale: str
    patents: int
    seconds: float
    peak_mib: float

    def cells(self) -> list[str]:
        rate = self.patents / self.seconds if self.seconds else 0
        return [
            self.system,
            self.database,
            self.scale,
            f"{self.patents:,}",
            f"{self.seconds:.1f}",
            f"{rate:,.0f}",
            f"{self.peak_mib:.0f}",
        ]


def baseline(path: Path) -> Row:
    """(Peak memory is not measured for the baseline: it runs inside this process.)

    pyarrow read → Python rows → executemany into patent, assignee and CPC tables with
    their indexes and an FTS5 index, in one SQLite transaction: the floor ipops is held to."""
    started = time.perf_counter()
    table = pq.read_table(
        path,
        columns=[
            "patent_id",
            "patent_date",
            "filing_date",
            "patent_title",
            "patent_abstract",
            "raw_assignee_organization",
            "cpc_section",
            "cpc_class",
            "cpc_subclass",
            "cpc_group",
        ],
    )
    rows = table.to_pylist()
    patents: dict[str, tuple[object, ...]] = {}
    assignees: set[tuple[str, int, str]] = set()
    cpcs: set[tuple[str, str]] = set()
    for row in rows:
        pid = row["patent_id"]
        patents.setdefault(
            pid,
            (
                pid,
                row["patent_date"],
                row["filing_date"],
                row["patent_title"],
                row["patent_abstract"],
            ),
        )
        for seq, name in enumerate(row["raw_assignee_organization"] or []):
            if name:
                assignees.add((pid, seq, name))
        for parts in zip(
            row["cpc_section"] or [],
            row["cpc_class"] or [],
            row["cpc_subclass"] or [],
            row["cpc_group"] or [],
            strict=False,
        ):
            cpcs.add((pid, "".join(p or "" for p in parts)))
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "baseline.sqlite3")
        db.executescript(
            "CREATE TABLE patent (id TEXT PRIMARY KEY, granted TEXT, filed TEXT, title TEXT,"
            " abstract TEXT);"
            "CREATE TABLE assignee (patent_id TEXT, seq INT, name TEXT);"
            "CREATE TABLE cpc (patent_id TEXT, code TEXT);"
            "CREATE VIRTUAL TABLE patent_fts USING fts5(title, abstract);"
        )
        with db:
            db.executemany("INSERT INTO patent VALUES (?,?,?,?,?)", patents.values())
            db.executemany("INSERT INTO assignee VALUES (?,?,?)", assignees)
            db.executemany("INSERT INTO cpc VALUES (?,?)", cpcs)
            db.execute("CREATE INDEX assignee_patent ON assignee(patent_id)")
            db.execute("CREATE INDEX cpc_code ON cpc(code)")
            db.execute("INSERT INTO patent_fts SELECT title, abstract FROM patent")
        db.close()
    seconds = time.perf_counter() - started
    return Row("baseline: pyarrow + executemany", "sqlite", "1x", len(patents), seconds, 0.0)


def scaled_copy(path: Path, scale: int, limit: int | None, folder: Path) -> tuple[Path, int]:
    table = pq.read_table(path)
    if limit:
        table = table.slice(0, limit)
    copies = []
    for index in range(scale):
        ids = (
            table["patent_id"]
            if index == 0
            else pc.binary_join_element_wise(table["patent_id"], pa.scalar(f"{index}"), "")
        )
        copies.append(table.set_column(table.schema.get_field_index("patent_id"), "patent_id", ids))
    out = folder / f"pv-{scale}x.parquet"
    # Row groups the size of the original file's: readers hold one row group at a time, so
    # the copy grows in row groups, not in row-group size, as real bulk files do.
    pq.write_table(pa.concat_tables(copies), out, row_group_size=table.num_rows)
    return out, len(set(table["patent_id"].to_pylist())) * scale


def ipops_import(path: Path, database: str, patents: int, scale: str) -> Row:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "IPOPS_DATA_DIR": folder}
        if database == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        else:
            _fresh_postgres_database("ipops_bench")
            env["DATABASE_URL"] = f"{PG_SERVER}/ipops_bench"
        subprocess.run([str(BIN / "ipops"), "migrate", "-v0"], env=env, check=True)  # noqa: S603
        started = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "ipops"),
                "ingest",
                str(path),
                "--format",
                "patentsview",
                "-v0",
                # The import: tables, indexes, names and the search outbox. Applying
                # the outbox to the Tantivy index is `ipops reindex`'s work, timed by
                # bench/search.py.
                "--no-index",
            ],
            env=env,
        )
        peak_kib = _watch_peak_rss(child)
        status = child.returncode
        seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"ipops ingest failed on {database} (status {status})")
    return Row(
        "ipops ingest (all tables, names, outbox)",
        database,
        scale,
        patents,
        seconds,
        peak_kib / 1024,
    )


def _watch_peak_rss(child: subprocess.Popen[bytes]) -> int:
    """The child's own peak resident memory (VmHWM; ru_maxrss would include this process's
    peak, which a forked child inherits), sampled until it exits."""
    peak = 0
    status_file = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            for line in status_file.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.2)
    return peak


def _fresh_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=1, help="also run an N-times copy")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    if not PV.is_file():
        print(f"skipped: {PV} not found (the benchmark reads the shared data)")
        return 0
    results: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        base, patents = scaled_copy(PV, 1, args.limit, Path(folder))
        results.append(baseline(base))
        for database in args.databases.split(","):
            results.append(ipops_import(base, database, patents, "1x"))
        if args.scale > 1:
            big, big_patents = scaled_copy(PV, args.scale, args.limit, Path(folder))
            results.append(ipops_import(big, "sqlite", big_patents, f"{args.scale}x"))
    _print(results)
    return 0


def _print(rows: list[Row]) -> None:
    header = ["system", "database", "input", "patents", "seconds", "patents/s", "peak MiB"]
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    floor = rows[0].seconds
    for row in rows[1:]:
        print(f"{row.database} {row.scale}: {row.seconds / floor:.1f}x the baseline")


if __name__ == "__main__":
    sys.exit(main())

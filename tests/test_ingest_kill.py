"""A real kill: `ipops ingest` is SIGKILLed mid-file, and the next run resumes after the last
committed batch and ends with every patent imported exactly once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import all_gone, children_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "demo" / "corpus" / "pv-patents-us-sample.parquet"
IPOPS = Path(sys.executable).with_name("ipops")


def run_ipops(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(IPOPS), *args]  # our own console script, fixed arguments
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603


def committed_records(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=5) as connection:
            row = connection.execute("SELECT max(checkpoint) FROM corpus_ingestrun").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0] or 0)


def ipops_env(data_dir: Path, database: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "IPOPS_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{database}",
        **extra,
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated database file, made once and copied by each test (migrating
    takes as long as the import)."""
    data_dir = tmp_path_factory.mktemp("migrated")
    database = data_dir / "empty.sqlite3"
    run_ipops(ipops_env(data_dir, database), "migrate", "-v0")
    return database


@pytest.mark.parametrize("read_ahead", [False, True], ids=["in-process", "read-ahead"])
def test_a_killed_import_resumes_and_imports_each_patent_once(
    tmp_path: Path, migrated: Path, read_ahead: bool
) -> None:
    database = tmp_path / "kill.sqlite3"
    shutil.copyfile(migrated, database)
    env = ipops_env(
        tmp_path, database, IPOPS_READ_AHEAD_MIN_BYTES="0" if read_ahead else str(1 << 40)
    )
    command = [str(IPOPS), "ingest", str(SAMPLE), "--batch-size", "100", "-v0"]
    child = subprocess.Popen(command, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while committed_records(database) < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    readers = children_of(child.pid)
    assert bool(readers) is read_ahead
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert all_gone(readers)  # the reader dies with its parent: no orphan keeps parsing
    killed_at = committed_records(database)
    assert 300 <= killed_at < 2000

    resumed = json.loads(run_ipops(env, "ingest", str(SAMPLE), "--json").stdout)[0]

    assert resumed["resumed_from"] == killed_at
    assert resumed["status"] == "finished"
    assert resumed["inserted"] == 2000
    with sqlite3.connect(database) as connection:
        patents = connection.execute("SELECT count(*), count(DISTINCT key) FROM corpus_patent")
        assert patents.fetchone() == (2000, 2000)

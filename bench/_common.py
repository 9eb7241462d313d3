"""What the benchmarks that build their own data directory share: running the `ipops`
command of this virtual environment as a child process, and setting Django up in-process
on that directory.

Imported by the scripts as ``from _common import …``: ``python bench/NAME.py`` puts this
folder first on ``sys.path``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def run_ipops(env: dict[str, str], *args: str) -> None:
    """``ipops ARGS`` in ``env``, its output shown only when it fails (progress lines are
    noise otherwise); SystemExit with its status when it does."""
    print(f"  ipops {' '.join(args)}", flush=True)
    done = subprocess.run(  # noqa: S603 — our own entry point
        [str(BIN / "ipops"), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    if done.returncode != 0:
        sys.stderr.buffer.write(done.stderr)
        raise SystemExit(f"ipops {args[0]} failed (status {done.returncode})")


def setup_django(data_dir: Path) -> None:
    """Django in this process on ``data_dir``'s SQLite database (never a DATABASE_URL from
    the environment: a benchmark must not touch a real database)."""
    os.environ["IPOPS_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipops.settings")
    import django

    django.setup()


def sqlite_env(data_dir: Path) -> dict[str, str]:
    """The environment of an `ipops` child process on ``data_dir``'s SQLite database."""
    env = {**os.environ, "IPOPS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)  # SQLite in the data directory, as on one host
    return env


def load_corpus(
    env: dict[str, str],
    files: Iterable[tuple[Path, str]],
    timings: dict[str, Any],
    *,
    reindex: bool = True,
) -> None:
    """`ipops migrate`, `ipops ingest --no-index` of each (file, --format), then `ipops
    reindex` where asked, each step's seconds noted in ``timings`` (``ingest_FORMAT_s``,
    ``reindex_s``)."""
    run_ipops(env, "migrate", "-v0")
    for path, format_name in files:
        started = time.perf_counter()
        run_ipops(env, "ingest", str(path), "--format", format_name, "--no-index", "-v0")
        timings[f"ingest_{format_name}_s"] = time.perf_counter() - started
    if reindex:
        started = time.perf_counter()
        run_ipops(env, "reindex")
        timings["reindex_s"] = time.perf_counter() - started

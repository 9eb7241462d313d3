"""`ipops snapshot` — write the analytic facts as Parquet for the DuckDB and Spark backends."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipops.errors import ServiceError
from ipops.landscape import services
from ipops.landscape.models import Dataset


class Command(BaseCommand):
    help = (
        "Write the analytic facts of the whole corpus (or of one dataset) as a Parquet "
        "snapshot under IPOPS_DATA_DIR/snapshots/, for `ipops landscape --backend duckdb|spark`. "
        "Legal status and remaining life are as of --as-of (today by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", type=int, metavar="ID", help="only this dataset")
        parser.add_argument("--out", type=Path, help="the folder to write (must not exist)")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        dataset = None
        if options["dataset"] is not None:
            dataset = Dataset.objects.filter(pk=options["dataset"]).first()
            if dataset is None:
                raise CommandError(f"no dataset {options['dataset']}")
        try:
            summary = services.take_snapshot(
                actor=None,
                dataset=dataset,
                folder=options["out"],
                as_of=options["as_of"],
                progress=self._progress,
            )
        except ServiceError as error:
            raise CommandError(str(error.message)) from error
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        counts = ", ".join(f"{name} {count:,}" for name, count in summary.rows.items())
        self.stdout.write(f"snapshot {summary.path}: {counts} ({time.monotonic() - started:.1f} s)")

    def _progress(self, done: int) -> None:
        line = f"snapshot: {done:,} patents"
        sys.stderr.write(f"\r{line}" if sys.stderr.isatty() else f"{line}\n")
        sys.stderr.flush()

"""`ipops reindex` — rebuild the search index from the database."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipops.search import services


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database (the index is a projection: this can be "
        "run at any time; searches keep using the old index until the new one is complete). "
        "With --pending, only apply queued corpus changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pending", action="store_true", help="only apply queued changes (the outbox)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            if options["pending"]:
                summary = services.apply_pending_changes()
            else:
                summary = services.rebuild_index(actor=None, progress=self._progress)
        except services.IndexBusy as error:
            raise CommandError(
                "another process is writing the search index; try again when it is done"
            ) from error
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(
            f"search index: {summary.documents:,} documents; {summary.patents:,} patents "
            f"written, {summary.outbox_rows:,} queued changes applied "
            f"({time.monotonic() - started:.1f} s)"
        )

    def _progress(self, done: int) -> None:
        line = f"indexing: {done:,} patents"
        sys.stderr.write(f"\r{line}" if sys.stderr.isatty() else f"{line}\n")
        sys.stderr.flush()

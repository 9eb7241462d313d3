"""`ipops embed` — embed patents for semantic search and keep the vector index in step."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipops.search import semantic


class Command(BaseCommand):
    help = (
        "Embed every patent without a current vector (new, changed, or embedded with another "
        "recipe), then update the vector index. With --rebuild, first rebuild the vector "
        "index from the stored vectors (the database is the truth)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, help="embed at most this many patents")
        parser.add_argument(
            "--rebuild", action="store_true", help="rebuild the vector index from the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._started = time.monotonic()
        if options["rebuild"]:
            built = semantic.rebuild_vector_index()
            self.stdout.write(
                f"vector index: {built.vectors:,} vectors, {built.bytes / 2**20:.1f} MiB, "
                f"rebuilt in {built.seconds:.1f} s"
            )
        try:
            summary = semantic.embed_pending(limit=options["limit"], progress=self._progress)
        except semantic.EmbeddingBusy as error:
            raise CommandError(
                "another process is embedding patents; try again when it is done"
            ) from error
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        rate = summary.embedded / summary.seconds if summary.seconds else 0.0
        more = " (limit reached: more are waiting)" if summary.more else ""
        self.stdout.write(
            f"embedded {summary.embedded:,} of {summary.examined:,} patents examined in "
            f"{summary.seconds:.1f} s ({rate:.1f} patents/s); {summary.removed:,} stale vectors "
            f"removed; {summary.vectors:,} vectors in the index{more}"
        )

    def _progress(self, done: int) -> None:
        elapsed = time.monotonic() - self._started
        line = f"embedding: {done:,} patents ({done / elapsed if elapsed else 0:.1f}/s)"
        sys.stderr.write(f"\r{line}" if sys.stderr.isatty() else f"{line}\n")
        sys.stderr.flush()

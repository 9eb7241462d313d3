"""`ipops ingest` — import patent files (progress, summary, rejects file, resumable)."""

from __future__ import annotations

import json
import sys
import time
from argparse import ArgumentParser
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ipcore.formats.base import FileFormatError
from ipcore.formats.registry import format_names
from ipops.corpus.models import IngestRun
from ipops.corpus.services import DEFAULT_BATCH_SIZE, IngestSummary, ingest_file
from ipops.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Import patent files. The format is guessed when --format is omitted. Safe to run "
        "again: unchanged records are skipped, and an interrupted import of the same file "
        "resumes after its last committed batch. Exit status 1 when a file fails."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--format", dest="format_name", help=f"one of: {_format_names()}")
        parser.add_argument(
            "--mapping",
            type=Path,
            default=None,
            help="your own column mapping (.toml) for a CSV/XLSX export; see "
            "ipcore/data/mappings/README.md",
        )
        parser.add_argument(
            "--source", help="dataset name shown with its data (default: the format)"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"records per transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--rejects-dir",
            type=Path,
            default=None,
            help="where rejects-<run>.csv files go (default: DATA_DIR/rejects)",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="leave the search index to the background indexer (default: update it at the end)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rejects_dir = options["rejects_dir"] or Path(settings.DATA_DIR) / "rejects"
        summaries: list[IngestSummary] = []
        for path in options["paths"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            summaries.append(self._ingest(path, rejects_dir, options))
        if not options["no_index"]:
            self._update_search_index(quiet=options["json"])
        if options["json"]:
            self.stdout.write(
                json.dumps([asdict(s) for s in summaries], ensure_ascii=False, indent=2)
            )
        else:
            for summary in summaries:
                self.stdout.write(_describe(summary))
        if any(s.status != IngestRun.Status.FINISHED for s in summaries):
            raise CommandError("some files could not be imported (see above)")

    def _update_search_index(self, *, quiet: bool) -> None:
        from ipops.search.services import catch_up  # the search app applies our outbox

        summary = catch_up()
        if quiet:
            return
        if summary is None:
            self.stderr.write("search index busy: the background indexer will catch up")
        else:
            self.stderr.write(
                f"search index: {summary.patents:,} patents updated, "
                f"{summary.documents:,} documents"
            )

    def _ingest(self, path: Path, rejects_dir: Path, options: dict[str, Any]) -> IngestSummary:
        bar = ProgressLine(path.name, quiet=options["json"] or options["verbosity"] == 0)
        try:
            summary = ingest_file(
                actor=None,
                path=path,
                format_name=options["format_name"],
                mapping=options["mapping"],
                source_name=options["source"],
                rejects_dir=rejects_dir,
                batch_size=options["batch_size"],
                progress=bar.update,
            )
        except (FileFormatError, ServiceError, KeyError) as error:
            raise CommandError(f"{path}: {error}") from error
        finally:
            bar.finish()
        return summary


class ProgressLine:
    """One line on stderr, rewritten in place on a terminal, every batch otherwise."""

    def __init__(self, label: str, *, quiet: bool) -> None:
        self.label = label
        self.quiet = quiet
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()

    def update(self, run: IngestRun) -> None:
        if self.quiet:
            return
        rate = run.read / max(time.monotonic() - self.started, 1e-6)
        line = (
            f"{self.label}: {run.read:,} read, {run.inserted:,} new, {run.updated:,} updated, "
            f"{run.unchanged:,} unchanged, {run.rejected:,} rejected ({rate:,.0f}/s)"
        )
        sys.stderr.write(f"\r{line}" if self.tty else f"{line}\n")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.tty and not self.quiet:
            sys.stderr.write("\n")


def _describe(summary: IngestSummary) -> str:
    lines = [
        f"{summary.path} ({summary.format}): {summary.status}",
        f"  read {summary.read}, inserted {summary.inserted}, updated {summary.updated}, "
        f"unchanged {summary.unchanged}, duplicates {summary.duplicates}, "
        f"merged with other sources {summary.merged}, rejected {summary.rejected}",
    ]
    if summary.resumed_from:
        lines.append(f"  resumed after record {summary.resumed_from}")
    if summary.rejects_path:
        lines.append(f"  rejects: {summary.rejects_path}")
    if summary.message:
        lines.append(f"  {summary.message}")
    return "\n".join(lines)


def _format_names() -> str:
    return ", ".join(format_names())

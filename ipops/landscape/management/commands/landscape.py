"""`ipops landscape QUERY` — a landscape report from the command line."""

from __future__ import annotations

import sys
import time
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from ipcore.landscape.metrics import Step
from ipcore.landscape.results import Report
from ipcore.search import parse
from ipcore.search.errors import QuerySyntaxError
from ipops.corpus import queries as corpus
from ipops.errors import ServiceError
from ipops.landscape import reports, services
from ipops.landscape.backends import Backend, current_snapshot
from ipops.landscape.models import Dataset, DatasetPatent
from ipops.search import engine
from ipops.search.errors import query_error

# Beyond the live database's dataset limit the snapshot backends take any size; this bounds
# the ids a search hands them (the whole corpus needs no ids: leave QUERY empty).
MAX_SNAPSHOT_IDS = 5_000_000


class Command(BaseCommand):
    help = (
        "Compute the landscape metrics over the patents QUERY finds (or --dataset ID) and "
        "write the report: --out report.html (interactive, self-contained), .pdf (A4, CJK "
        "fonts embedded), .docx (editable, charts as images), .xlsx (every table) or .json; "
        "PDF and DOCX need Chromium (IPOPS_CHROMIUM). --json prints JSON. Progress goes to "
        "stderr. --backend db freezes QUERY into a new dataset "
        "in the database; duckdb and spark read the newest `ipops snapshot` (an empty QUERY: "
        "the whole snapshot)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default="", help="a query in the query language")
        parser.add_argument("--dataset", type=int, metavar="ID", help="report this dataset")
        parser.add_argument(
            "--backend", choices=[b.value for b in Backend], default=Backend.DB.value
        )
        parser.add_argument("--snapshot", type=Path, help="snapshot folder (default: newest)")
        parser.add_argument("--title", default="", help="the report's title")
        parser.add_argument(
            "--out", type=Path, help="write the report here (.html .pdf .docx .xlsx .json)"
        )
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        language = "zh-hans" if options["lang"] == "zh" else "en"
        self._progress = _Progress(self.stderr, language, started)
        try:
            if options["out"]:  # before the work, not after it
                reports.check_can_write(reports.report_format(options["out"]))
            report = self._report(options)
            if options["out"]:
                self._progress.step(f"writing {options['out']}")
                reports.write_report(report, options["out"], language=language)
        except ServiceError as error:
            raise CommandError(str(error.message)) from error
        finally:
            self._progress.done()
        seconds = time.monotonic() - started
        if options["json"]:
            self.stdout.write(reports.report_text(report))
            return
        self._summary(report, seconds, options["out"])

    def _report(self, options: dict[str, Any]) -> Report:
        backend = Backend(options["backend"])
        query = options["query"]
        dataset = self._dataset(options["dataset"]) if options["dataset"] else None
        title = options["title"] or (dataset.name if dataset else query) or "全部专利"
        if backend is Backend.DB:
            if dataset is None:
                if not query.strip():
                    raise CommandError("give a QUERY or --dataset ID")
                dataset = services.create_dataset(actor=None, name=title, query=query)
                sys.stderr.write(f"dataset {dataset.pk}: {dataset.size:,} patents\n")
            return reports.dataset_report(dataset, progress=self._progress.metric)
        snapshot = current_snapshot(options["snapshot"])
        ids = self._snapshot_ids(dataset, query)
        return reports.snapshot_report(
            snapshot,
            ids,
            backend=backend,
            title=title,
            query=dataset.query if dataset else query,
            progress=self._progress.metric,
        )

    def _dataset(self, dataset_id: int) -> Dataset:
        dataset = Dataset.objects.filter(pk=dataset_id).first()
        if dataset is None:
            raise CommandError(f"no dataset {dataset_id}")
        return dataset

    def _snapshot_ids(self, dataset: Dataset | None, query: str) -> list[int] | None:
        if dataset is not None:
            members = DatasetPatent.objects.filter(dataset=dataset, excluded=False)
            return list(members.values_list("patent_id", flat=True))
        if not query.strip():
            return None
        try:
            parse(query)
        except QuerySyntaxError as error:
            raise query_error(error) from error
        found = engine.iterate_ids(query, batch=1000, organisations=corpus.entity_ids_named)
        return list(islice(found, MAX_SNAPSHOT_IDS))

    def _summary(self, report: Report, seconds: float, out: Path | None) -> None:
        applicable = sum(1 for result in report.results if result.applicable)
        self.stdout.write(
            f"{report.title}: {report.size:,} patents, as of {report.as_of}; "
            f"{len(report.results)} metrics ({applicable} applicable) on {report.backend} "
            f"in {seconds:.2f} s"
        )
        for result in report.results:
            state = f"{len(result.rows)} rows" if result.applicable else result.note_en
            self.stdout.write(f"  {result.name:<32} {state}")
        if out:
            self.stdout.write(f"written: {out}")


class _Progress:
    """Where a report stands, on stderr: one line rewritten in place on a terminal, a line a
    step otherwise (a log)."""

    def __init__(self, stream: OutputWrapper, language: str, started: float) -> None:
        self.stream = stream
        self.language = language
        self.started = started
        self.tty = stream.isatty()
        self.open = False

    def metric(self, number: int, total: int, metric: Step) -> None:
        title = metric.title_zh if self.language.startswith("zh") else metric.title_en
        self.step(f"metric {number}/{total}: {title}")

    def step(self, text: str) -> None:
        line = f"[{time.monotonic() - self.started:6.1f} s] {text}"
        self.stream.write(f"\r\x1b[2K{line}" if self.tty else line, ending="" if self.tty else "\n")
        self.stream.flush()
        self.open = self.tty

    def done(self) -> None:
        if self.open:
            self.stream.write("")
            self.open = False

"""`ipops quality` — the corpus's data quality, as on the bureau's page."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from ipops.corpus.quality import COMPLETENESS, as_dict, quality_report


class Command(BaseCommand):
    help = (
        "Print completeness per field and source, invalid identifiers, name resolution and "
        "the last import."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        report = quality_report()
        if options["json"]:
            self.stdout.write(json.dumps(as_dict(report), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"patents: {report.patents}")
        header = ["source", "patents", *COMPLETENESS, "abstract"]
        self.stdout.write("  ".join(header))
        for row in report.by_source:
            shares = [f"{row.share(name):.0%}" for name in COMPLETENESS]
            abstract = f"{row.with_abstract / row.patents:.0%}" if row.patents else "-"
            self.stdout.write("  ".join([row.source, str(row.patents), *shares, abstract]))
        self.stdout.write(f"records with identifier warnings: {report.invalid_identifiers}")
        self.stdout.write(
            f"applicant/owner names: {report.parties_resolved} resolved, "
            f"{report.parties_unresolved} unresolved; {report.entities} organisations, "
            f"{report.entities_with_several_names} merged from several names"
        )
        run = report.last_run
        if run is not None:
            self.stdout.write(
                f"last import: {run.path} ({run.format}, {run.status}) read {run.read}, "
                f"inserted {run.inserted}, updated {run.updated}, unchanged {run.unchanged}, "
                f"duplicates {run.duplicates}, merged {run.merged}, rejected {run.rejected}"
            )
            for patent in report.changed_by_last_run:
                self.stdout.write(f"  changed: {patent.key} {patent.title[:60]}")
        self.stdout.write(
            f"duplicates merged: {report.duplicates_in_files} repeated within files, "
            f"{report.merged_across_sources} folded into patents from other sources"
        )

"""`ipops rescore` — score every patent of the corpus now (the background worker does it
after each import; this is the same work, in the foreground)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ipops.valuation import services
from ipops.valuation.models import ScoringRun


class Command(BaseCommand):
    help = (
        "Score every patent of the corpus with the weights in force: indicators, percentiles "
        "within field and filing year, scores per purpose, CNIPA's high-value verdict. "
        "Replaces the stored values in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the run as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        run = services.rescore_corpus(actor=None, trigger=ScoringRun.Trigger.COMMAND)
        summary = {
            "run": run.pk,
            "status": run.status,
            "patents": run.patents,
            "high_value": run.high_value,
            "weights": run.weights_version,
            "as_of": run.as_of.isoformat() if run.as_of else None,
            "seconds": round(run.seconds or 0.0, 2),
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"scored {run.patents:,} patents in {summary['seconds']} s "
                f"(weights {run.weights_version}, as of {summary['as_of']}): "
                f"{run.high_value:,} high-value invention patents"
            )

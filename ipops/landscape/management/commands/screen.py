"""`ipops screen DESCRIPTION --office CC` — a risk screening from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipops.errors import ServiceError
from ipops.landscape import screening_files
from ipops.landscape.evaluation_api import screening_json
from ipops.landscape.screening import (
    DEFAULT_RESULTS,
    ScreenedPatent,
    Screening,
    ScreeningRequest,
    screen_patents,
)

FORMATS = (".csv", ".xlsx")


class Command(BaseCommand):
    help = (
        "Risk screening (target market): the patents of --office closest to DESCRIPTION "
        "(Chinese or English) by words and meaning, in force on --as-of (today), with pending "
        "applications and patents of unknown standing listed apart; standing outside CN is "
        "an estimate and says so. --json prints JSON; --out writes .csv or .xlsx. A "
        "screening, not a legal freedom-to-operate opinion."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("description", help="the product or technology, in any language")
        parser.add_argument("--office", required=True, help="target office: CN, US, EP, WO …")
        parser.add_argument(
            "--class",
            dest="classes",
            action="append",
            default=[],
            metavar="CODE",
            help="IPC or CPC class to keep to (repeat for several)",
        )
        parser.add_argument("--filed-from", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--filed-to", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--limit", type=int, default=DEFAULT_RESULTS, help="rows per class")
        parser.add_argument("--out", type=Path, help="write the result here (.csv or .xlsx)")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="file language")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path | None = options["out"]
        if out is not None and out.suffix.lower() not in FORMATS:
            raise CommandError(f"--out writes {', '.join(FORMATS)}, not {out.suffix or out.name}")
        request = ScreeningRequest(
            description=options["description"],
            office=options["office"],
            classes=tuple(options["classes"]),
            filed_from=options["filed_from"],
            filed_to=options["filed_to"],
            as_of=options["as_of"],
            limit=options["limit"],
        )
        try:
            result = screen_patents(None, request)
        except ServiceError as error:
            raise CommandError(_problems(error)) from error
        if out is not None:
            _write(result, out, "zh-hans" if options["lang"] == "zh" else "en")
        if options["json"]:
            self.stdout.write(json.dumps(screening_json(result), ensure_ascii=False, indent=2))
            return
        self._summary(result, out)

    def _summary(self, result: Screening, out: Path | None) -> None:
        request = result.request
        self.stdout.write(result.disclaimer_zh)
        self.stdout.write(result.disclaimer_en)
        self.stdout.write(
            f"office {request.office}, as of {request.as_of}: {len(result.in_force)} in force, "
            f"{len(result.pending)} pending, {len(result.unknown)} unknown "
            f"(of {result.candidates} ranked; left out {result.ended} ended, "
            f"{result.filed_later} filed later)"
        )
        for note in result.notes:
            self.stdout.write(f"note: {note}")
        for heading, rows in (
            ("in force", result.in_force),
            ("pending", result.pending),
            ("unknown", result.unknown),
        ):
            if rows:
                self.stdout.write(f"-- {heading}")
                for row in rows:
                    self.stdout.write(_line(row))
        if out is not None:
            self.stdout.write(f"written: {out}")


def _line(row: ScreenedPatent) -> str:
    owner = row.owners[0] if row.owners else "—"
    years = f"{row.remaining_years:>4} y" if row.remaining_years is not None else "   — "
    flag = "~" if row.standing.estimated else " "
    return (
        f"{row.rank:>4}. {row.number:<18} {row.score:.2f} {flag}{years}  "
        f"{row.title[:60]}  [{owner[:40]}]"
    )


def _write(result: Screening, out: Path, language: str) -> None:
    if out.suffix.lower() == ".csv":
        out.write_text(screening_files.csv_text(result, language), encoding="utf-8")
    else:
        out.write_bytes(screening_files.xlsx_file(result, language).read())


def _problems(error: ServiceError) -> str:
    lines = [str(error.message)]
    for field, messages in error.details.items():
        if isinstance(messages, list) and messages != [error.message]:
            lines.extend(f"{field}: {message}" for message in messages)
    return "\n".join(dict.fromkeys(lines))

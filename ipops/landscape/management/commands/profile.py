"""`ipops profile ORGANISATION` — an organisation's portfolio profile from the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from ipops.errors import ServiceError
from ipops.landscape import profiles, reports
from ipops.landscape.evaluation_api import profile_json
from ipops.landscape.profiles import OrganisationProfile


class Command(BaseCommand):
    help = (
        "The patent portfolio profile of an organisation (M&A evaluation): size by type and "
        "standing (estimated outside CN, and said so), fields, age and remaining life, family "
        "reach abroad, co-owners, filing trend. ORGANISATION is a name (Chinese or English; "
        "several matches are listed to choose from) or #ID. --out writes .html, .xlsx or .json; "
        "--json prints JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="a name, or #ID of a resolved organisation")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--out", type=Path, help="write the profile (.html .xlsx .json)")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="file language")
        parser.add_argument("--json", action="store_true", help="print the profile as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["out"]:
                reports.report_format(options["out"])
            entity_id = self._entity(options["organisation"])
            profile = profiles.organisation_profile(None, entity_id, as_of=options["as_of"])
            if options["out"]:
                language = "zh-hans" if options["lang"] == "zh" else "en"
                reports.write_report(profile.report, options["out"], language=language)
        except ServiceError as error:
            raise CommandError(str(error.message)) from error
        except Http404 as error:
            raise CommandError(f"no organisation {options['organisation']}") from error
        if options["json"]:
            self.stdout.write(
                json.dumps(profile_json(profile), ensure_ascii=False, indent=2, default=str)
            )
            return
        self._summary(profile, options["out"])

    def _entity(self, text: str) -> int:
        if text.startswith("#") and text[1:].isdigit():
            return int(text[1:])
        matches = profiles.find_organisations(None, text)
        if not matches:
            raise CommandError(f"no organisation has a name containing {text!r}")
        exact = [m for m in matches if m.name.casefold() == text.strip().casefold()]
        if len(exact) == 1 or len(matches) == 1:
            return (exact or matches)[0].id
        listed = "\n".join(f"  #{m.id:<8} {m.patents:>7,} patents  {m.name}" for m in matches)
        raise CommandError(
            f"{len(matches)} organisations match {text!r}; give one as #ID:\n{listed}"
        )

    def _summary(self, profile: OrganisationProfile, out: Path | None) -> None:
        standings = ", ".join(
            f"{n:,} {name.replace('_', ' ')}" for name, n in profile.standings.items()
        )
        self.stdout.write(
            f"{profile.name} (#{profile.entity_id}): {profile.size:,} patents as of "
            f"{profile.as_of}; {standings}; home office {profile.home_office or '—'}"
        )
        if profile.estimated:
            self.stdout.write(
                f"  {profile.estimated:,} standings are estimated (no legal-status data for "
                "their office)"
            )
        for result in profile.report.results:
            state = f"{len(result.rows)} rows" if result.applicable else result.note_en
            self.stdout.write(f"  {result.name:<28} {state}")
        if out is not None:
            self.stdout.write(f"written: {out}")

"""`ipops check` — Django's system checks, then the installation's health, with fixes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, SystemCheckError
from django.core.management.commands.check import Command as DjangoCheckCommand

from ipops.portal.checks import Level, run_health_checks

MARKS = {Level.OK: "ok  ", Level.INFO: "info", Level.WARNING: "warn", Level.ERROR: "FAIL"}


class Command(DjangoCheckCommand):
    help = (
        "Check settings, database, migrations, static files, translations and optional "
        "services; print what is wrong and how to fix it. Exit status 1 when anything fails."
    )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        failed = False
        try:
            super().handle(*app_labels, **options)
        except SystemCheckError as error:
            self.stderr.write(str(error))
            failed = True
        for finding in run_health_checks():
            line = f"[{MARKS[finding.level]}] {finding.area}: {finding.message}"
            if finding.hint and finding.level is not Level.OK:
                line += f"\n       → {finding.hint}"
            writer = self.stderr if finding.level is Level.ERROR else self.stdout
            writer.write(line)
            failed = failed or finding.level is Level.ERROR
        if failed:
            raise CommandError("ipops check found problems (see above).", returncode=1)
        self.stdout.write(self.style.SUCCESS("ipops check: the installation is healthy."))

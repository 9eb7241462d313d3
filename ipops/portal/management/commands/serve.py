"""`ipops serve` — serve the platform on one host."""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve the platform over HTTP with gunicorn (production-grade, static files by "
        "whitenoise). Use --dev for Django's auto-reloading development server."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("IPOPS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("IPOPS_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("IPOPS_WORKERS", "2"))
        )
        parser.add_argument("--dev", action="store_true", help="auto-reloading development server")

    def handle(
        self, *args: Any, host: str, port: int, workers: int, dev: bool, **options: Any
    ) -> None:
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(gunicorn):
            raise CommandError("gunicorn is not installed in this environment; run `make install`.")
        self.stdout.write(f"ipops serving on http://{host}:{port}/  (Ctrl-C to stop)")
        argv = [
            gunicorn,
            "ipops.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--access-logformat",
            '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
            "--timeout",
            "120",
        ]
        os.execv(gunicorn, argv)  # noqa: S606 — replace this process; signals go to gunicorn

"""`ipops serve` — serve the platform on one host."""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ipops.gunicorn_hooks import TASK_WORKER_PID


class Command(BaseCommand):
    help = (
        "Serve the platform over HTTP with gunicorn (production-grade, static files by "
        "whitenoise), with a background-task worker beside it (search indexing and other long "
        "work). Use --dev for Django's auto-reloading development server; --no-worker when "
        "`ipops db_worker` runs as its own service."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("IPOPS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("IPOPS_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("IPOPS_WORKERS", "2"))
        )
        parser.add_argument("--dev", action="store_true", help="auto-reloading development server")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start a background-task worker"
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, dev: bool, **options: Any
    ) -> None:
        if not options["no_worker"]:
            self._start_task_worker()
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
            "--config",
            "python:ipops.gunicorn_hooks",  # stops the task worker when gunicorn stops
        ]
        os.execv(gunicorn, argv)  # noqa: S606 — replace this process; signals go to gunicorn

    def _start_task_worker(self) -> None:
        """`ipops db_worker` as a child process; its pid travels to gunicorn's exit hook."""
        ipops = os.path.join(os.path.dirname(sys.executable), "ipops")
        command = [ipops, "db_worker", "--queue-name", "*", "--interval", "2", "-v", "0"]
        worker = subprocess.Popen(command)  # noqa: S603 — our own entry point
        os.environ[TASK_WORKER_PID] = str(worker.pid)
        self.stdout.write(f"background-task worker started (pid {worker.pid})")

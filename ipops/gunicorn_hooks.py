"""Gunicorn hooks for `ipops serve`: stop the background-task worker it started beside the
web server when the server stops, so that no orphan keeps running."""

from __future__ import annotations

import contextlib
import os
import signal
from typing import Any

TASK_WORKER_PID = "IPOPS_TASK_WORKER_PID"


def on_exit(server: Any) -> None:
    pid = os.environ.get(TASK_WORKER_PID)
    if pid:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), signal.SIGTERM)

"""Gunicorn hooks for `ipops serve`: stop the background-task worker it started beside the
web server when the server stops, so that no orphan keeps running."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from typing import Any

TASK_WORKER_PID = "IPOPS_TASK_WORKER_PID"
GRACE_SECONDS = 3.0


def on_exit(server: Any) -> None:
    """SIGTERM lets the worker finish its task; a second one (django-tasks-db's "force")
    ends the task, which is safe: tasks here commit in batches and are queued again by the
    next corpus change. A worker that still lives after that is killed."""
    pid = os.environ.get(TASK_WORKER_PID, "")
    if not pid.isdigit():
        return
    for sent in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), sent)
        if _ended(int(pid), GRACE_SECONDS):
            return


def _ended(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            finished, _status = os.waitpid(pid, os.WNOHANG)  # our child: reap it
        except ChildProcessError:
            return True
        if finished:
            return True
        time.sleep(0.1)
    return False

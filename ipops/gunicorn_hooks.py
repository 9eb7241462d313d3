"""Gunicorn hooks for `ipops serve`: warm each worker up as it starts (``ipops.warmup``), and
stop the background-task worker it started beside the web server when the server stops, so
that no orphan keeps running."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from typing import Any

TASK_WORKER_PID = "IPOPS_TASK_WORKER_PID"
GRACE_SECONDS = 3.0


def post_worker_init(worker: Any) -> None:
    """Warm the worker up in a thread of its own, so it answers requests meanwhile (one
    that needs what is still warming does the work itself, as it would cold)."""
    threading.Thread(target=_warm_up, args=(worker.log,), name="ipops-warm-up", daemon=True).start()


def _warm_up(log: Any) -> None:
    from django.db import connections  # the Django app is loaded by now

    from ipops.warmup import warm_up

    try:
        took = warm_up()
    finally:
        connections.close_all()  # this thread's own: nothing else would close them
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in took.items())
    log.info("warmed up: %s", steps)


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

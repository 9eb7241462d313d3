"""What a server's worker does as it starts, so that its first requests are as fast as its
later ones.

A fresh worker's first dataset report took 4-6 s where later ones took 0.4 s (the demo's
325-patent dataset, `make run`): importing the Ibis backend, parsing the IPC titles and
building and compiling the report's 29 queries all fell on the first reader. `ipops serve`
runs :func:`warm_up` in each worker beside its first requests (``ipops.gunicorn_hooks``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.utils import timezone

from ipcore import reference

logger = logging.getLogger(__name__)


def _landscape_reports() -> None:
    from ipops.landscape.backends import compile_database_reports  # imports Ibis

    compile_database_reports(timezone.localdate())


STEPS: dict[str, Callable[[], None]] = {
    "reference tables": reference.preload,
    "landscape report queries": _landscape_reports,
}


def warm_up() -> dict[str, float]:
    """Run each step on this thread's database connection, returning the seconds each took.
    A step that fails is logged and skipped: a cold first request is slower, never wrong, so
    warming must never stop a worker."""
    took: dict[str, float] = {}
    for name, step in STEPS.items():
        started = time.perf_counter()
        try:
            step()
        except Exception:  # logged; the request that needs it will fail and say why itself
            logger.exception("warming up %s failed", name)
            continue
        took[name] = time.perf_counter() - started
    return took

"""Background tasks of the search app (django-tasks, database queue: `ipops db_worker`)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from django_tasks import task

from ipops.search import services

logger = logging.getLogger(__name__)


@task()
def apply_search_changes() -> dict[str, Any]:
    """Apply queued corpus changes to the search index. When another process holds the
    index writer, it leaves the queue alone: that writer, or the next task, will apply it."""
    try:
        summary = services.apply_pending_changes()
    except services.IndexBusy:
        logger.info("search index busy; changes stay queued")
        return {"busy": True}
    return asdict(summary)

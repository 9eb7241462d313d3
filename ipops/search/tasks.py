"""Background tasks of the search app (django-tasks, database queue: `ipops db_worker`)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict
from typing import Any, Final

from django.utils import timezone
from django_tasks import task

from ipops.search import semantic, services

logger = logging.getLogger(__name__)

# Patents embedded per task run (2-4 minutes on two cores at 8-15 patents/s with abstracts):
# a run that stops here queues the next, so other tasks get the worker in between.
EMBED_TASK_LIMIT: Final = 2000
# When another process is embedding, look again this much later: it may have passed the
# patents that changed after it started.
EMBED_RETRY: Final = dt.timedelta(minutes=5)


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


@task()
def embed_patents() -> dict[str, Any]:
    """Embed patents without a current vector (语义向量), a bounded number per run, and
    queue the next run while more remain."""
    try:
        summary = semantic.embed_pending(limit=EMBED_TASK_LIMIT)
    except semantic.EmbeddingBusy:
        logger.info("another process is embedding; looking again in %s", EMBED_RETRY)
        embed_patents.using(run_after=timezone.now() + EMBED_RETRY).enqueue()
        return {"busy": True}
    if summary.more:
        embed_patents.enqueue()
    return asdict(summary)

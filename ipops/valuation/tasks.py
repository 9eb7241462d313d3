"""Background tasks of the valuation app (django-tasks, database queue: `ipops db_worker`)."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from ipops.valuation import services
from ipops.valuation.models import ScoringRun

logger = logging.getLogger(__name__)


@task()
def score_corpus(run_id: int) -> dict[str, Any]:
    """Score the whole corpus for a queued run (评分). Another worker that took the run first
    leaves this one nothing to do."""
    if not services.claim_run(run_id):
        return {"run": run_id, "claimed": False}
    run = ScoringRun.objects.get(pk=run_id)
    try:
        services.rescore_corpus(actor=None, trigger=run.trigger, run=run)
    except Exception:
        logger.exception("patent value scoring %s failed", run_id)
        raise
    run.refresh_from_db()
    return {"run": run_id, "patents": run.patents, "seconds": run.seconds}

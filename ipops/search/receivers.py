"""How the search app hears of corpus changes: it queues its indexer as a background task."""

from __future__ import annotations

import logging
from typing import Any

from ipops.search.tasks import apply_search_changes

logger = logging.getLogger(__name__)


def queue_indexer(sender: Any, **kwargs: Any) -> None:
    """Queue one indexing pass. A pass applies everything queued so far, so a second pass
    queued behind it finds little or nothing to do: cheap, and never wrong."""
    try:
        apply_search_changes.enqueue()
    except Exception:  # a queue outage must not fail the corpus write that already committed
        logger.exception("could not queue the search indexer; `ipops reindex --pending` will")

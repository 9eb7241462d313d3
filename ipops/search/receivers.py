"""How the search app hears of corpus changes: it queues its indexer and its embedder as
background tasks."""

from __future__ import annotations

import logging
from typing import Any

from ipops.search.tasks import apply_search_changes, embed_patents

logger = logging.getLogger(__name__)


def queue_indexer(sender: Any, **kwargs: Any) -> None:
    """Queue one indexing pass and one embedding pass. A pass does everything queued so far,
    so a second pass queued behind it finds little or nothing to do, and is never wrong.
    Cheap for the indexer (it reads its outbox); the embedder has no outbox and compares
    every patent's text with its vector, ~0.2 ms a patent (1.3 s for the 6,016 of the demo
    corpus, ~30 s at 130,000)."""
    for work in (apply_search_changes, embed_patents):
        try:
            work.enqueue()
        except Exception:  # a queue outage must not fail the corpus write that already committed
            logger.exception(
                "could not queue %s; `ipops reindex --pending` or `ipops embed` will", work.name
            )

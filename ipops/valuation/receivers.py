"""How the valuation app hears of corpus changes: it queues one rescoring of the corpus."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def queue_rescoring(sender: Any, **kwargs: Any) -> None:
    """Queue a rescoring unless one is already waiting: an import commits a batch at a time,
    and one run after the last batch covers every batch before it."""
    from ipops.valuation.models import ScoringRun
    from ipops.valuation.services import request_rescoring

    try:
        request_rescoring(actor=None, trigger=ScoringRun.Trigger.IMPORT)
    except Exception:  # a queue outage must not fail the corpus write that already committed
        logger.exception("could not queue patent value scoring; `ipops rescore` will score")

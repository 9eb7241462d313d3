"""How the market hears of corpus changes: a patent that lapsed takes its listings down."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def queue_lapse_check(sender: Any, **kwargs: Any) -> None:
    from ipops.market.tasks import withdraw_lapsed_listings

    try:
        withdraw_lapsed_listings.enqueue()
    except Exception:  # a queue outage must not fail the corpus write that already committed
        logger.exception("could not queue the lapsed-listing check; `ipops withdraw_lapsed` will")

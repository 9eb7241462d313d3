"""质押登记 — where the high-value criterion "a pledge securing a high amount" reads from.

The pledge register is the finance app's (PLAN.md O3): each pledge registered on the platform
with its secured amount. CN legal events record that a pledge was registered (PE01) but not
the amount, so a patent pledged outside the platform's register stays "cannot tell" (see
``facts.high_value_facts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def registered_pledge_amounts(patent_ids: Sequence[int]) -> dict[int, Decimal]:
    """The largest secured amount (CNY) of a pledge registered on the platform, by patent."""
    from ipops.finance.queries import largest_pledge_amounts

    return largest_pledge_amounts(patent_ids)

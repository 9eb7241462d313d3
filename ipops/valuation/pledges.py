"""质押登记 — where the high-value criterion "a pledge securing a high amount" reads from.

The pledge register belongs to the finance app (PLAN.md O3: pledge registrations with their
secured amounts), which does not exist yet. Until it does there are no registered amounts on
the platform, so this source is empty and the criterion is met by no patent. It is not
guessed from elsewhere: CN legal events record that a pledge was registered (PE01) but not
the amount, so such a patent's criterion is "cannot tell" (see ``facts.high_value_facts``).
When the finance app lands, this function reads its registrations; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def registered_pledge_amounts(patent_ids: Sequence[int]) -> dict[int, Decimal]:
    """The largest secured amount (CNY) of a pledge registered on the platform, by patent.

    Empty: the finance app's pledge register is not built yet (see the module docstring)."""
    return {}

"""许可备案 — a licence contract is filed with CNIPA within 3 months of taking effect.

The time limit ends on the corresponding day of the third month after the effective date
(``ipcore.periods.add_months``: 2024-11-30 + 3 months = 2025-02-28). A filing made after that
day is late; one not yet made once that day has passed is overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from ipcore.periods import add_months

FILING_MONTHS: Final = 3


@dataclass(frozen=True)
class FilingDeadline:
    effective_on: dt.date
    due_on: dt.date
    filed_on: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        """Not filed and the last day has passed (a late filing is `late`, not overdue)."""
        return self.filed_on is None and today > self.due_on

    @property
    def late(self) -> bool:
        return self.filed_on is not None and self.filed_on > self.due_on

    def days_left(self, today: dt.date) -> int | None:
        """Days until the last day (negative once past); None once filed."""
        return None if self.filed_on is not None else (self.due_on - today).days


def filing_deadline(effective_on: dt.date, filed_on: dt.date | None = None) -> FilingDeadline:
    """The licence-filing time limit of a contract that took effect on ``effective_on``."""
    if filed_on is not None and filed_on < effective_on:
        raise ValueError(
            f"filed on {filed_on.isoformat()}, before the contract took effect "
            f"({effective_on.isoformat()})"
        )
    return FilingDeadline(effective_on, add_months(effective_on, FILING_MONTHS), filed_on)

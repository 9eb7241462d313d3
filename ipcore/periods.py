"""期限计算 — adding months and years to a date the way CNIPA counts time limits.

专利法实施细则 (rule on computing time limits, quoted in 专利审查指南): the first day is not
counted; a limit in years or months ends on the *corresponding day* of its last month, and
when that month has no corresponding day, on the month's last day. The Guidelines' own
example: two months from 1999-12-31 end on 2000-02-29. So one year from 2020-02-29 is
2021-02-28, and four years from it is 2024-02-29 again — which is why every function here
counts from the original date instead of stepping year by year.

(inferred) This rule is not written in DOMAIN.md; it comes from the Implementing Regulations
as quoted on public pages. Nominal dates only: moving a limit that ends on a public holiday to
the next working day (调休 included) needs the working-day calendar that DESIGN.md asks for
as versioned data, which ipcore does not have yet.
"""

from __future__ import annotations

import calendar
import datetime as dt

MONTHS_PER_YEAR = 12


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later (earlier when negative), else the month's end."""
    index = start.year * MONTHS_PER_YEAR + (start.month - 1) + months
    year, month_index = divmod(index, MONTHS_PER_YEAR)
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last_day))


def add_years(start: dt.date, years: int) -> dt.date:
    """相应日 ``years`` later: 29 February falls back to 28 February in a common year."""
    return add_months(start, years * MONTHS_PER_YEAR)


def is_corresponding_day(start: dt.date, candidate: dt.date) -> bool:
    """Whether ``candidate`` is the 相应日 of ``start`` in its own year (an anniversary)."""
    return add_years(start, candidate.year - start.year) == candidate

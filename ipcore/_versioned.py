"""Versioned rule data: pick the version in force on a date.

Amounts, rates and terms change by law (DOMAIN.md), so every such table in ``ipcore/data``
carries an ``effective_from`` date and the rules read the version in force instead of a
literal. A new version is a new block of rows with a later date; old ones stay so that past
dates still compute as they did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

V = TypeVar("V")


def version_on(versions: Mapping[dt.date, V], on: dt.date) -> V | None:
    """The version with the latest ``effective_from`` on or before ``on``; None before all."""
    started = [effective_from for effective_from in versions if effective_from <= on]
    return versions[max(started)] if started else None


def parse_iso_date(text: str) -> dt.date:
    """A data file's ``YYYY-MM-DD`` date; a malformed one is a bug in the file, so it raises."""
    return dt.date.fromisoformat(text.strip())

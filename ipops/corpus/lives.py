"""Legal lives of many CN patents at once: the input of status, expiry and fee rules.

The search index, the analytic facts and the patent page all ask ipcore the same question
about CN patents; this reads what the rules need for a batch in one query per table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ipcore.legal_status import LegalEvent as LifeEvent
from ipcore.legal_status import LegalStatusError, PatentLife
from ipops.corpus.models import LegalEvent
from ipops.corpus.queries import CN_TYPES


@dataclass(frozen=True)
class LifeFacts:
    """What a patent row says about its life (the events are read here)."""

    id: int
    office: str
    document_type: str
    application_date: dt.date | None
    grant_date: dt.date | None
    publication_date: dt.date | None


def cn_lives(patents: Iterable[LifeFacts]) -> dict[int, PatentLife]:
    """The life of each CN patent with a known type and filing date, keyed by id; others (and
    records the rules refuse, such as an event before filing) are left out."""
    computable = [
        p
        for p in patents
        if p.office == "CN" and p.document_type in CN_TYPES and p.application_date
    ]
    if not computable:
        return {}
    events: dict[int, list[LifeEvent]] = defaultdict(list)
    for pk, code, date, effective in LegalEvent.objects.filter(
        patent_id__in=[p.id for p in computable]
    ).values_list("patent_id", "code", "date", "effective_date"):
        events[pk].append(LifeEvent(code=code, date=date, effective_date=effective))
    lives: dict[int, PatentLife] = {}
    for patent in computable:
        assert patent.application_date is not None  # filtered above
        try:
            lives[patent.id] = PatentLife(
                patent_type=CN_TYPES[patent.document_type],
                filing_date=patent.application_date,
                grant_date=patent.grant_date,
                publication_date=patent.publication_date,
                events=tuple(events[patent.id]),
            )
        except LegalStatusError:
            continue
    return lives

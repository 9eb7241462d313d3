"""价值评估的输入 — what the indicators of one patent are computed from.

A :class:`PatentFacts` is read from the corpus by the platform (``ipops.valuation.facts``) or
built by hand in tests. Every field that a source may lack is ``None`` when the data says
nothing: an indicator computed from it is then :class:`Unknown`, never zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Final

from ipcore._data import read_data_csv
from ipcore.landscape.standing import TermFacts, estimated_expiry

# 法律状态 values of ipcore.legal_status.Status, as strings (the facts carry plain values).
IN_FORCE: Final = "in_force"
PENDING: Final = "pending"
ENDED_STATUSES: Final = frozenset(
    {"lapsed", "expired", "withdrawn", "rejected", "invalidated", "abandoned"}
)
STATUSES: Final = ENDED_STATUSES | {IN_FORCE, PENDING}


@dataclass(frozen=True)
class Citing:
    """A patent of the corpus that cites the patent: its date (publication, else filing) and
    its main IPC/CPC subclass, each None where unknown."""

    date: dt.date | None
    subclass: str | None


@dataclass(frozen=True)
class PatentFacts:
    """专利事实 — one patent as the value indicators read it.

    ``subclasses``: the distinct IPC subclasses (CPC where the record has no IPC), the main one
    first. ``family_size``/``family_offices``: members and their offices in the corpus, None
    when the record carries no family id. ``backward``: references the patent lists (patent
    and non-patent literature), None when its source lists no references at all.
    ``cited_subclasses``: the main subclass of each cited patent found in the corpus (None for
    one without a class). ``forward``: the patents of the corpus citing it, None when the
    corpus holds no citations that could name it. ``status``: a
    :class:`ipcore.legal_status.Status` value or None; ``expiry``: the day the term ends.
    ``transactions``: transfers, licences and pledges recorded; ``partly_invalidated``: a
    partial invalidation was published (a whole one shows in ``status``); ``disputes``: the
    patent was the subject of litigation or an ownership dispute (court-ordered preservation)
    — all three None when the record carries no legal events (nothing can be said).
    """

    patent_id: int
    office: str
    document_type: str
    application_date: dt.date | None = None
    publication_date: dt.date | None = None
    grant_date: dt.date | None = None
    claims_count: int | None = None
    subclasses: tuple[str, ...] = ()
    family_size: int | None = None
    family_offices: tuple[str, ...] | None = None
    backward: int | None = None
    cited_subclasses: tuple[str | None, ...] = ()
    forward: tuple[Citing, ...] | None = None
    status: str | None = None
    expiry: dt.date | None = None
    transactions: int | None = None
    partly_invalidated: bool | None = None
    disputes: int | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown legal status {self.status!r}")
        if len(set(self.subclasses)) != len(self.subclasses):
            raise ValueError("subclasses must be distinct")

    @property
    def main_subclass(self) -> str | None:
        return self.subclasses[0] if self.subclasses else None

    @property
    def filing_year(self) -> int | None:
        return self.application_date.year if self.application_date else None


# A US, EP … record says nothing about renewal fees: its term is estimated from the statutory
# terms of ``ipcore.landscape.standing`` (versioned data, each rule with its source), and its
# status is known only once that term has run out. A record whose type is unknown gets no
# term here (the estimate would assume an invention).
ESTIMATED_TYPES: Final = frozenset({"invention", "utility_model", "design", "plant"})


def presumed_expiry(
    *,
    office: str,
    document_type: str,
    application_date: dt.date | None,
    grant_date: dt.date | None = None,
) -> dt.date | None:
    """The estimated end of term of a non-CN record (``estimated_terms.csv``: 20 years from
    filing for an invention, the longer of 17 from grant and 20 from filing for a US patent
    filed before 1995-06-08, 14 or 15 from grant for a US design …); None for CN records —
    they take theirs from ``ipcore.legal_status.expiry_date`` — and where no rule applies."""
    if office == "CN" or document_type not in ESTIMATED_TYPES or application_date is None:
        return None
    return estimated_expiry(TermFacts(office, document_type, application_date, grant_date))


def presumed_status(
    *,
    office: str,
    document_type: str,
    application_date: dt.date | None,
    as_of: dt.date,
    grant_date: dt.date | None = None,
) -> str | None:
    """The status of a non-CN record where its dates alone decide it: its estimated term has
    run out ("expired"); anything else is unknown (None) — renewals are not in the data."""
    expiry = presumed_expiry(
        office=office,
        document_type=document_type,
        application_date=application_date,
        grant_date=grant_date,
    )
    return "expired" if expiry is not None and expiry <= as_of else None


class EventGroup(StrEnum):
    """What a CN legal event tells the value indicators (``data/valuation_event_codes.csv``)."""

    TRANSFER = "transfer"  # 转让
    LICENCE = "licence"  # 许可备案
    PLEDGE = "pledge"  # 质押登记
    PARTIAL_INVALIDATION = "partial_invalidation"  # 部分无效
    DISPUTE = "dispute"  # 诉讼与纠纷: court-ordered preservation (PP01) …


@cache
def event_codes() -> Mapping[EventGroup, frozenset[str]]:
    """The legal-event codes of each group."""
    groups: dict[EventGroup, set[str]] = {group: set() for group in EventGroup}
    for row in read_data_csv("valuation_event_codes.csv"):
        groups[EventGroup(row["group"])].add(row["code"].strip().upper())
    return MappingProxyType({group: frozenset(codes) for group, codes in groups.items()})


def transaction_codes() -> frozenset[str]:
    """Transfers, licence filings and pledge registrations: the ``transactions`` indicator."""
    codes = event_codes()
    return codes[EventGroup.TRANSFER] | codes[EventGroup.LICENCE] | codes[EventGroup.PLEDGE]

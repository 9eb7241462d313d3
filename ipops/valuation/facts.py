"""The corpus as value-scoring columns, read set-based: a dozen queries, whatever its size.

Every query reads a whole table (or a GROUP BY over it) once; rows become numpy arrays
indexed like the patents, with ``np.searchsorted`` over the sorted patent ids for the joins.
Only two steps go patent by patent, over the patents that need them: CNIPA's legal-status
rules (an event replay per CN patent, ``ipops.corpus.lives``) and the strategic-emerging-
industry concordance (per distinct set of IPC codes of a CN invention).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.functions import Substr
from numpy.typing import NDArray

from ipcore.industries import sei_concordance
from ipcore.legal_status import LegalStatusError, expiry_date, status_on
from ipcore.valuation.columns import STATUS_CODES, FactColumns, day_number, ymd
from ipcore.valuation.facts import (
    EventGroup,
    event_codes,
    presumed_expiry,
    transaction_codes,
)
from ipcore.valuation.high_value import HighValueFacts
from ipops.corpus.lives import LifeFacts, cn_lives
from ipops.corpus.models import (
    Citation,
    Classification,
    LegalEvent,
    Party,
    Patent,
    PatentText,
    Publication,
)
from ipops.valuation import pledges
from ipops.valuation.models import AwardEntry

CHUNK = 2000  # ids per IN (...) list: within SQLite's bound on query parameters
# Forward citations are counted for an office's patents only where the corpus holds at least
# this many citations naming that office's documents (inferred). With a handful — a few
# full-text documents among bibliographic exports — nearly every patent would read "cited 0
# times", a number that says nothing about it: those stay unknown.
FORWARD_MIN_CITATIONS = 1000
ABROAD_EXCLUDED = ("CN", "WO")  # a WO publication is an application, never a granted right


@dataclass(frozen=True)
class CorpusFacts:
    """The scoring columns and what the high-value criteria and the stored rows also need."""

    columns: FactColumns
    office: NDArray[np.str_]
    document_type: NDArray[np.str_]
    events_known: NDArray[np.bool_]
    region: NDArray[np.str_]
    granted_abroad: NDArray[np.float64]  # 1, 0, NaN (no family data)

    def index_of(self, patent_ids: Iterable[int]) -> NDArray[np.int64]:
        ids = np.fromiter(patent_ids, dtype=np.int64)
        return np.searchsorted(self.columns.patent_id, ids).astype(np.int64)


def load_corpus(as_of: dt.date) -> CorpusFacts:
    """Every patent of the corpus as scoring columns, statuses as of ``as_of``."""
    rows = list(
        Patent.objects.order_by("id").values_list(
            "id",
            "office",
            "document_type",
            "application_date",
            "grant_date",
            "claims_count",
            "main_ipc",
            "main_cpc",
            "family_id",
            "source_id",
            "publication_date",
            "stated_family_size",
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    n = len(rows)
    office = np.array([r[1] for r in rows], dtype=np.str_) if n else np.zeros(0, np.str_)
    kind = np.array([r[2] for r in rows], dtype=np.str_) if n else np.zeros(0, np.str_)
    filing = [r[3] for r in rows]
    first_published = _first_publications(ids, [r[10] for r in rows])
    subclass = [(r[6] or r[7] or "")[:4] for r in rows]
    events_known = _flags(ids, LegalEvent.objects.values_list("patent_id", flat=True).distinct())
    status, expiry = _statuses(rows, events_known, as_of)
    backward = _backward(ids, [r[9] for r in rows])
    family_size, family_offices, abroad = _families(ids, [r[8] for r in rows])
    # a source that states the size but names no family (Lens): the size is known, the
    # offices and whether a member is granted abroad are not
    stated = np.array([np.nan if r[11] is None else float(r[11]) for r in rows])
    family_size = np.where(np.isnan(family_size), stated, family_size)
    forward_known = _forward_known(office)
    transactions = _counts(ids, LegalEvent.objects.filter(code__in=transaction_codes()))
    disputes = _counts(ids, LegalEvent.objects.filter(code__in=event_codes()[EventGroup.DISPUTE]))
    partly = _flags(
        ids,
        LegalEvent.objects.filter(code__in=event_codes()[EventGroup.PARTIAL_INVALIDATION])
        .values_list("patent_id", flat=True)
        .distinct(),
    )
    edges = _citation_edges(ids)
    names = sorted({s for s in subclass if s})
    code = {name: index for index, name in enumerate(names)}
    subclass_code = np.array([code.get(s, -1) for s in subclass], dtype=np.int64)
    own_source, own_subclass, names = _own_subclasses(ids, edges, names, code)
    citing, cited = edges[:, 0], edges[:, 1]
    dated = np.array([ymd(d) for d in first_published], dtype=np.int64)
    filed = np.array([ymd(d) for d in filing], dtype=np.int64)
    columns = FactColumns(
        patent_id=ids,
        filing=filed,
        publication=dated,
        filing_day=np.array([day_number(d) for d in filing]),
        grant_day=np.array([day_number(r[4]) for r in rows]),
        expiry_day=np.array([day_number(d) for d in expiry]),
        status=np.array([STATUS_CODES.index(s) if s else -1 for s in status], dtype=np.int64),
        subclass=np.array(subclass, dtype=np.str_) if n else np.zeros(0, np.str_),
        claims=np.array([float(r[5]) if r[5] else np.nan for r in rows]),
        scope=_scope(ids),
        backward=backward,
        family_size=family_size,
        family_offices=family_offices,
        transactions=np.where(events_known, transactions, np.nan),
        disputes=np.where(events_known, disputes, np.nan),
        partly_invalidated=np.where(events_known, partly.astype(np.float64), np.nan),
        forward_known=forward_known,
        subclass_names=tuple(names),
        forward_target=cited,
        forward_date=np.where(dated[citing] > 0, dated[citing], filed[citing]),
        forward_subclass=subclass_code[citing],
        cited_source=citing,
        cited_subclass=subclass_code[cited],
        own_source=own_source,
        own_subclass=own_subclass,
    )
    return CorpusFacts(
        columns=columns,
        office=office,
        document_type=kind,
        events_known=events_known,
        region=_regions(ids),
        granted_abroad=abroad,
    )


def _positions(ids: NDArray[np.int64], keys: Sequence[int]) -> NDArray[np.int64]:
    """Where each patent id sits in ``ids``; ids not there (deleted meanwhile) map to -1."""
    wanted = np.array(keys, dtype=np.int64)
    at = np.searchsorted(ids, wanted)
    inside = at < ids.size
    found = np.zeros(wanted.size, dtype=bool)
    found[inside] = ids[at[inside]] == wanted[inside]
    return np.where(found, at, -1).astype(np.int64)


def _flags(ids: NDArray[np.int64], patent_ids: Iterable[int]) -> NDArray[np.bool_]:
    flags = np.zeros(ids.size, dtype=bool)
    at = _positions(ids, list(patent_ids))
    flags[at[at >= 0]] = True
    return flags


def _counts(ids: NDArray[np.int64], queryset: Any) -> NDArray[np.float64]:
    counts = np.zeros(ids.size)
    rows = list(queryset.values("patent_id").annotate(n=Count("id")).values_list("patent_id", "n"))
    if rows:
        at = _positions(ids, [r[0] for r in rows])
        counts[at[at >= 0]] = np.array([r[1] for r in rows], dtype=np.float64)[at >= 0]
    return counts


def _first_publications(
    ids: NDArray[np.int64], fallback: list[dt.date | None]
) -> list[dt.date | None]:
    """The earliest publication date of each patent (OECD counts forward citations from the
    first publication); the patent row's own publication date where none is listed."""
    first = list(fallback)
    rows = (
        Publication.objects.filter(date__isnull=False)
        .values("patent_id")
        .annotate(first=Min("date"))
        .values_list("patent_id", "first")
    )
    for pk, date in rows:
        at = int(np.searchsorted(ids, pk))
        if at < ids.size and ids[at] == pk:
            first[at] = date
    return first


def _statuses(
    rows: list[tuple[Any, ...]], events_known: NDArray[np.bool_], as_of: dt.date
) -> tuple[list[str | None], list[dt.date | None]]:
    """Status and end of term: CNIPA's rules for CN patents (events replayed, or dates alone
    where the source carries none), the dates-only presumption for the rest."""
    status: list[str | None] = []
    expiry: list[dt.date | None] = []
    cn: dict[int, int] = {}
    for i, row in enumerate(rows):
        pk, office, kind, filed, granted = row[0], row[1], row[2], row[3], row[4]
        end = presumed_expiry(
            office=office, document_type=kind, application_date=filed, grant_date=granted
        )
        expiry.append(end)
        status.append("expired" if end is not None and end <= as_of else None)
        if office == "CN":
            cn[pk] = i
    facts = [LifeFacts(r[0], r[1], r[2], r[3], r[4], r[10]) for r in rows if r[0] in cn]
    for start in range(0, len(facts), CHUNK):
        for pk, life in cn_lives(facts[start : start + CHUNK]).items():
            try:
                status[cn[pk]] = str(status_on(life, as_of).value)
                expiry[cn[pk]] = expiry_date(life)
            except LegalStatusError:
                continue
    return status, expiry


def _backward(ids: NDArray[np.int64], sources: list[int]) -> NDArray[np.float64]:
    """References listed, patent and non-patent. Known for the patents of a source that lists
    patent references (a patent of it with none listed has none: 0); unknown for a source
    that lists none, or only non-patent literature (a Lens export: its patent references
    were not exported, so a count would be a fraction)."""
    counts = _counts(ids, Citation.objects.all())
    citing_sources = set(
        Citation.objects.exclude(cited_number="")
        .values_list("patent__source_id", flat=True)
        .distinct()
        .order_by()
    )
    known = np.array([source in citing_sources for source in sources], dtype=bool)
    return np.where(known, counts, np.nan)


def _forward_known(office: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Forward citations can be counted for a patent when the corpus holds enough citations
    naming documents of its office (``FORWARD_MIN_CITATIONS``); otherwise unknown, not zero."""
    cited = (
        Citation.objects.exclude(cited_number="")
        .annotate(office=Substr("cited_number", 1, 2))
        .values("office")
        .annotate(n=Count("id"))
        .values_list("office", "n")
        .order_by()
    )
    covered = sorted(code for code, n in cited if n >= FORWARD_MIN_CITATIONS)
    return np.isin(office, covered) if covered else np.zeros(office.size, dtype=bool)


def _citation_edges(ids: NDArray[np.int64]) -> NDArray[np.int64]:
    """(citing index, cited index) for every citation naming a publication of the corpus,
    one per pair of patents (a patent cited through its A and its B publication counts once)."""
    citation, publication = Citation._meta.db_table, Publication._meta.db_table
    sql = (
        f"SELECT DISTINCT c.patent_id, p.patent_id FROM {citation} c "  # noqa: S608 (table names)
        f"JOIN {publication} p ON p.number = c.cited_number "
        "WHERE c.cited_number <> '' AND c.patent_id <> p.patent_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        pairs = cursor.fetchall()
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    citing = _positions(ids, [p[0] for p in pairs])
    cited = _positions(ids, [p[1] for p in pairs])
    keep = (citing >= 0) & (cited >= 0)
    return np.stack([citing[keep], cited[keep]], axis=1)


def _own_subclasses(
    ids: NDArray[np.int64], edges: NDArray[np.int64], names: list[str], code: dict[str, int]
) -> tuple[NDArray[np.int64], NDArray[np.int64], list[str]]:
    """The subclasses of the patents that cite a patent of the corpus (radicalness compares
    the cited patents' classes with them); read only for those patents."""
    citing = np.unique(edges[:, 0])
    sources: list[int] = []
    subclasses: list[int] = []
    pks = ids[citing].tolist()
    names = list(names)
    for start in range(0, len(pks), CHUNK):
        rows = (
            Classification.objects.filter(patent_id__in=pks[start : start + CHUNK])
            .values_list("patent_id", "scheme", "subclass")
            .distinct()
            .order_by()
        )
        by_patent: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for pk, scheme, subclass in rows:
            by_patent[pk][scheme].add(subclass)
        for pk, schemes in by_patent.items():
            for subclass in schemes.get("ipc") or schemes.get("cpc") or ():
                if subclass not in code:
                    code[subclass] = len(names)
                    names.append(subclass)
                sources.append(int(np.searchsorted(ids, pk)))
                subclasses.append(code[subclass])
    return np.array(sources, dtype=np.int64), np.array(subclasses, dtype=np.int64), names


def _scope(ids: NDArray[np.int64]) -> NDArray[np.float64]:
    """Distinct IPC subclasses, CPC ones where a patent has no IPC (NaN: no class at all)."""
    ipc = np.zeros(ids.size)
    cpc = np.zeros(ids.size)
    rows = (
        Classification.objects.values("patent_id", "scheme")
        .annotate(n=Count("subclass", distinct=True))
        .values_list("patent_id", "scheme", "n")
        .order_by()
    )
    for pk, scheme, count in rows:
        at = int(np.searchsorted(ids, pk))
        if at < ids.size and ids[at] == pk:
            (ipc if scheme == "ipc" else cpc)[at] = count
    scope = np.where(ipc > 0, ipc, cpc)
    return np.where(scope > 0, scope, np.nan)


def _families(
    ids: NDArray[np.int64], family_ids: list[str]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Members, distinct offices, and whether a member is granted abroad (outside CN and
    WO), per patent; NaN for a patent without a family id."""
    rows = (
        Patent.objects.exclude(family_id="")
        .values("family_id")
        .annotate(
            members=Count("id"),
            offices=Count("office", distinct=True),
            abroad=Count("id", filter=Q(grant_date__isnull=False) & ~Q(office__in=ABROAD_EXCLUDED)),
        )
        .values_list("family_id", "members", "offices", "abroad")
        .order_by()
    )
    families = {row[0]: row[1:] for row in rows}
    size = np.full(ids.size, np.nan)
    offices = np.full(ids.size, np.nan)
    abroad = np.full(ids.size, np.nan)
    for i, family in enumerate(family_ids):
        found = families.get(family) if family else None
        if found:
            size[i], offices[i], abroad[i] = found[0], found[1], float(found[2] > 0)
    return size, offices, abroad


def _regions(ids: NDArray[np.int64]) -> NDArray[np.str_]:
    """The division code of the first patentee with a known address: the first owner, else
    the first applicant (DOMAIN.md §6: region by the first patentee's address, inferred)."""
    region = [""] * ids.size
    rows = (
        Party.objects.filter(role__in=("applicant", "owner"))
        .exclude(division_code="")
        .order_by("patent_id", "-role", "sequence")  # "owner" sorts before "applicant" here
        .values_list("patent_id", "division_code")
    )
    seen: set[int] = set()
    for pk, division in rows:
        if pk in seen:
            continue
        seen.add(pk)
        at = int(np.searchsorted(ids, pk))
        if at < ids.size and ids[at] == pk:
            region[at] = division
    return np.array(region, dtype="<U6")


# --- high-value criteria -------------------------------------------------------------------


def high_value_facts(corpus: CorpusFacts, indices: NDArray[np.int64]) -> list[HighValueFacts]:
    """The five criteria's inputs for these patents (CN inventions: the others are not
    eligible and need none)."""
    pks = corpus.columns.patent_id[indices].tolist()
    sei = _sei_categories(pks)
    awards = _awards(pks)
    amounts = pledges.registered_pledge_amounts(pks)
    pledged = _pledged_without_amount(pks)
    facts = []
    for i, pk in zip(indices.tolist(), pks, strict=True):
        status = corpus.columns.status[i]
        abroad = corpus.granted_abroad[i]
        filing = int(corpus.columns.filing[i])
        facts.append(
            HighValueFacts(
                office=str(corpus.office[i]),
                document_type=str(corpus.document_type[i]),
                status=STATUS_CODES[status] if status >= 0 else None,
                application_date=_date(filing),
                sei_categories=sei.get(pk),
                granted_abroad=None if np.isnan(abroad) else bool(abroad),
                pledge_amount=amounts.get(pk),
                pledge_without_amount=pk in pledged and pk not in amounts,
                awards=tuple(awards.get(pk, ())),
            )
        )
    return facts


def _date(value: int) -> dt.date | None:
    return dt.date(value // 10_000, value // 100 % 100, value % 100) if value else None


def _sei_categories(pks: list[int]) -> dict[int, frozenset[str]]:
    """Strategic-emerging-industry sub-categories by the 2021 concordance, from each patent's
    IPC codes (CPC where it has none) and, for the keyword-qualified rules, its title and
    abstract. A patent with no code at all is left out (unknown)."""
    codes: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for start in range(0, len(pks), CHUNK):
        for pk, scheme, code in Classification.objects.filter(
            patent_id__in=pks[start : start + CHUNK]
        ).values_list("patent_id", "scheme", "code"):
            codes[pk][scheme].append(code)
    chosen = {pk: tuple(sorted(s.get("ipc") or s.get("cpc") or ())) for pk, s in codes.items()}
    concordance = sei_concordance()
    wanting = [pk for pk, c in chosen.items() if c and concordance.wants_text(c)]
    texts = _texts(wanting)
    return {
        pk: _categories(patent_codes, texts.get(pk))
        for pk, patent_codes in chosen.items()
        if patent_codes
    }


@lru_cache(maxsize=65536)
def _categories(codes: tuple[str, ...], text: str | None) -> frozenset[str]:
    return sei_concordance().categories_of(codes, text=text)


def _texts(pks: list[int]) -> dict[int, str]:
    texts: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        for pk, title in Patent.objects.filter(pk__in=chunk).values_list("id", "title"):
            texts[pk].append(title)
        for pk, text in PatentText.objects.filter(
            patent_id__in=chunk, field__in=("title", "abstract")
        ).values_list("patent_id", "text"):
            texts[pk].append(text)
    return {pk: "\n".join(parts) for pk, parts in texts.items()}


def _awards(pks: list[int]) -> dict[int, list[str]]:
    awards: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(pks), CHUNK):
        rows = AwardEntry.objects.filter(patent_id__in=pks[start : start + CHUNK]).values_list(
            "patent_id", "award_list__name", "award"
        )
        for pk, name, award in rows:
            awards[pk].append(f"{name} {award}".strip())
    return awards


def _pledged_without_amount(pks: list[int]) -> set[int]:
    """Patents with a pledge registration among their legal events (PE01): the events do
    not carry the secured amount."""
    pledged: set[int] = set()
    codes = event_codes()[EventGroup.PLEDGE]
    for start in range(0, len(pks), CHUNK):
        pledged.update(
            LegalEvent.objects.filter(
                patent_id__in=pks[start : start + CHUNK], code__in=codes
            ).values_list("patent_id", flat=True)
        )
    return pledged


def pledge_threshold() -> Decimal:
    from django.conf import settings

    return Decimal(str(settings.HIGH_VALUE_PLEDGE_MIN_CNY))

"""目标市场风险排查 — risk screening (GB/T 37286 target-market risk, a first form of FTO).

Given a product or technology description and a target office, list the patents of that
office closest to it that could stand in the way on a day: in force, and — as their own
class — pending applications (they may become rights) and patents whose standing the record
cannot tell. Retrieval is hybrid: the keyword ranking of the description's words (BM25,
stemmed, over titles, abstracts and claims) and the semantic ranking of the whole
description (multilingual e5: a Chinese description finds English patents) are fused by
reciprocal rank, the office, class and date limits binding both sides. Standing is decided
per office by :mod:`ipcore.landscape.standing` — CN from CNIPA's rules, elsewhere an
estimate that says so — on the as-of day.

Reading only (a dataset kept from a screening is written by ``services.save_screening``).
Every surface — the page, ``ipops screen``, the API — calls :func:`screen_patents`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.landscape.portfolio import TYPE_LABELS
from ipcore.landscape.screening import (
    DISCLAIMER_EN,
    DISCLAIMER_ZH,
    description_terms,
    matching_words,
)
from ipcore.landscape.standing import (
    BASIS_LABELS,
    STANDING_LABELS,
    PatentStanding,
    Standing,
    TermFacts,
    cn_standing,
    estimated_standing,
)
from ipcore.search import parse
from ipcore.search.errors import QuerySyntaxError
from ipcore.search.fusion import reciprocal_rank_fusion
from ipcore.search.highlight import Fragment, highlight
from ipops.accounts.queries import require_capability
from ipops.corpus import queries as corpus
from ipops.corpus.evaluation import legal_event_counts, patent_texts
from ipops.corpus.facts import patent_facts
from ipops.errors import InvalidInput
from ipops.search import engine, semantic
from ipops.search.errors import IndexMissing
from ipops.search.index import IndexUnavailable
from ipops.search.vectors import VectorIndexUnavailable

MAX_DESCRIPTION: Final = semantic.MAX_QUERY_CHARS  # what the embedding model reads at most
MAX_RESULTS: Final = 200  # rows per class
DEFAULT_RESULTS: Final = 50
MAX_CLASSES: Final = 10
# Candidates from each side before standing is decided: the keyword ranking's depth, and
# the nearest neighbours read before the office and limits are applied (a small office's
# patents can sit far down the corpus-wide ranking by meaning).
KEYWORD_DEPTH: Final = engine.RANKING_DEPTH
NEIGHBOURS: Final = semantic.MAX_RESULTS
# A neighbour by meaning less similar than this is not "close" whatever its rank: where an
# office holds few patents, the nearest of them can be unrelated. Measured on the demo cut
# (centred cosine): a drone description's unrelated battery patents 0.03-0.07, the English
# drone patent a Chinese description means 0.18, the same in English 0.53.
MIN_SIMILARITY: Final = 0.1
PASSAGE_WIDTH: Final = 240
# Fused scores are shown against the best a patent can get: first in both rankings.
BEST_FUSED: Final = sum(engine.HYBRID_WEIGHTS) / (engine.HYBRID_K + 1)


@dataclass(frozen=True)
class ScreeningRequest:
    description: str
    office: str
    classes: tuple[str, ...] = ()  # IPC or CPC symbols, any level
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    as_of: dt.date | None = None  # today when not given
    limit: int = DEFAULT_RESULTS  # rows per class


@dataclass(frozen=True)
class Passage:
    """A piece of a patent's text that matched: where from, and its fragments (hits marked);
    ``by_meaning`` where the patent matched by meaning alone and this is the start of its
    text."""

    field: str  # title, abstract or claims
    fragments: tuple[Fragment, ...]
    by_meaning: bool = False

    @property
    def text(self) -> str:
        return "".join(fragment.text for fragment in self.fragments)


@dataclass(frozen=True)
class ScreenedPatent:
    rank: int  # in the fused ranking of every candidate
    patent_id: int
    number: str
    title: str
    office: str
    document_type: str
    owners: tuple[str, ...]  # resolved organisations where known, as listed
    application_date: dt.date | None
    grant_date: dt.date | None
    standing: PatentStanding
    remaining_years: float | None
    score: float  # fused score against the best possible, 0 to 1
    similarity: float | None  # cosine to the description where it ranked by meaning
    keyword_rank: int | None  # 1-based, None: its words did not match
    meaning_rank: int | None
    passages: tuple[Passage, ...]

    @property
    def by_meaning_only(self) -> bool:
        return self.keyword_rank is None

    def status_label(self, language: str) -> str:
        zh, en = STANDING_LABELS[self.standing.standing]
        return zh if language.startswith("zh") else en

    def basis_label(self, language: str) -> str:
        zh, en = BASIS_LABELS[self.standing.basis]
        return zh if language.startswith("zh") else en

    def type_label(self, language: str) -> str:
        zh, en = TYPE_LABELS.get(self.document_type, (self.document_type, self.document_type))
        return zh if language.startswith("zh") else en

    # The same in the active language, for templates.
    @property
    def status_text(self) -> str:
        return self.status_label(get_language() or "zh")

    @property
    def basis_text(self) -> str:
        return self.basis_label(get_language() or "zh")

    @property
    def type_text(self) -> str:
        return self.type_label(get_language() or "zh")


@dataclass(frozen=True)
class Screening:
    request: ScreeningRequest  # as run: office upper-cased, as_of set
    keyword_query: str  # what the keyword side searched (query language), "" if no words
    filters: str  # the office, class and date limits (query language)
    terms: tuple[str, ...]
    candidates: int  # patents ranked by either side
    in_force: list[ScreenedPatent]
    pending: list[ScreenedPatent]
    unknown: list[ScreenedPatent]
    ended: int  # candidates left out: no longer rights on the day
    filed_later: int  # candidates left out: filed after the as-of day
    meaning_used: bool  # False: no vectors yet, keyword ranking alone
    disclaimer_zh: str = DISCLAIMER_ZH
    disclaimer_en: str = DISCLAIMER_EN
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> list[ScreenedPatent]:
        """Every listed patent: in force, then pending, then unknown."""
        return [*self.in_force, *self.pending, *self.unknown]

    @property
    def estimated(self) -> int:
        return sum(1 for row in self.rows if row.standing.estimated)


def screen_patents(user: Any, request: ScreeningRequest) -> Screening:
    """Run a risk screening. ``user`` None is the operator (``ipops screen``); anyone else
    needs ANALYSE_PATENTS. InvalidInput says which input is wrong and why; IndexMissing
    (503) when no search index has been built."""
    if user is not None:
        require_capability(user, Capability.ANALYSE_PATENTS)
    request = checked_request(request)
    filters = filter_query(request)
    terms = description_terms(request.description)
    keyword_query = f"TAC=({' OR '.join(map(_term, terms))}) AND {filters}" if terms else ""
    try:
        keyword = _keyword_ranking(keyword_query)
        neighbours, meaning_used = _meaning_ranking(request.description, filters)
    except IndexUnavailable as error:
        raise IndexMissing() from error
    ranking = [pk for pk, _score in _fused(keyword, [pk for pk, _ in neighbours])]
    screening = _screened(
        request,
        ranking,
        keyword=keyword,
        similarity=dict(neighbours),
        terms=terms,
    )
    notes = [] if meaning_used else [_meaning_missing()]
    if not terms:
        notes.append(_("The description has no words to search for: ranked by meaning alone."))
    return replace(
        screening,
        keyword_query=keyword_query,
        filters=filters,
        terms=terms,
        meaning_used=meaning_used,
        notes=tuple(notes),
    )


# --- input ----------------------------------------------------------------------------------


def checked_request(request: ScreeningRequest) -> ScreeningRequest:
    """The request with its office upper-cased and its day set, or InvalidInput naming each
    input that is wrong."""
    problems: dict[str, list[str]] = {}
    description = request.description.strip()
    if len(description) < 2:
        problems["description"] = [_("Describe the product or technology to screen.")]
    elif len(description) > MAX_DESCRIPTION:
        problems["description"] = [
            _("The description has %(length)s characters; at most %(limit)s are read.")
            % {"length": f"{len(description):,}", "limit": f"{MAX_DESCRIPTION:,}"}
        ]
    office = request.office.strip().upper()
    offices = engine_offices()
    if office not in offices:
        problems["office"] = [
            _("The corpus holds no patents of office “%(office)s”. Offices held: %(offices)s.")
            % {"office": office or "—", "offices": ", ".join(sorted(offices)) or "—"}
        ]
    classes = tuple(code.strip() for code in request.classes if code.strip())
    if len(classes) > MAX_CLASSES:
        problems["classes"] = [_("At most %(limit)s classes.") % {"limit": MAX_CLASSES}]
    else:
        problems.update(_class_problems(classes))
    if request.filed_from and request.filed_to and request.filed_from > request.filed_to:
        problems["filed_to"] = [_("The end of the filing period is before its start.")]
    if not 1 <= request.limit <= MAX_RESULTS:
        problems["limit"] = [_("Between 1 and %(limit)s rows per class.") % {"limit": MAX_RESULTS}]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], details=problems)
    return replace(
        request,
        description=description,
        office=office,
        classes=classes,
        as_of=request.as_of or timezone.localdate(),
    )


def engine_offices() -> dict[str, int]:
    try:
        return engine.office_counts()
    except IndexUnavailable as error:
        raise IndexMissing() from error


def _class_problems(classes: tuple[str, ...]) -> dict[str, list[str]]:
    wrong = []
    for code in classes:
        try:
            parse(f"IPC={_quoted(code)}")
        except QuerySyntaxError:
            wrong.append(code)
    if not wrong:
        return {}
    return {
        "classes": [
            _("Not an IPC or CPC symbol: %(codes)s (write H01M, H01M4/00 or H01M 4/525).")
            % {"codes": ", ".join(wrong)}
        ]
    }


def filter_query(request: ScreeningRequest) -> str:
    """The office, classes and filing dates as the query language writes them."""
    parts = [f"CC={request.office}"]
    if request.classes:
        either = " OR ".join(
            f"IPC={_quoted(code)} OR CPC={_quoted(code)}" for code in request.classes
        )
        parts.append(f"({either})")
    if request.filed_from:
        parts.append(f"AD>={request.filed_from.isoformat()}")
    if request.filed_to:
        parts.append(f"AD<={request.filed_to.isoformat()}")
    return " AND ".join(parts)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def _term(term: str) -> str:
    """A description term in the query language: a CJK bigram as a phrase, a word bare so
    that the stemmed search matches its other forms (terms are letters and digits only, and
    the operator words are stop words, so a bare word is always read as a word)."""
    return term if term.isascii() else _quoted(term)


# --- the two rankings -----------------------------------------------------------------------


def _keyword_ranking(query: str) -> list[int]:
    if not query:
        return []
    request = engine.SearchRequest(query, page_size=KEYWORD_DEPTH, facets=False, stemmed=True)
    return [hit.patent_id for hit in engine.run_search(request).hits]


def _meaning_ranking(description: str, filters: str) -> tuple[list[tuple[int, float]], bool]:
    """The nearest patents by meaning that pass the filters, with their similarity; False
    where no vector index exists yet (the keyword ranking then stands alone)."""
    try:
        found = semantic.similar_to_text(description, NEIGHBOURS)
    except VectorIndexUnavailable:
        return [], False
    passing = set(engine.matching_ids(filters, [pk for pk, _ in found]))
    kept = [(pk, score) for pk, score in found if pk in passing and score >= MIN_SIMILARITY]
    return kept[:KEYWORD_DEPTH], True


def _fused(keyword: list[int], meaning: list[int]) -> list[tuple[int, float]]:
    rankings = [ranking for ranking in (keyword, meaning) if ranking]
    if not rankings:
        return []
    weights = engine.HYBRID_WEIGHTS if len(rankings) == 2 else (1.0,)
    return reciprocal_rank_fusion(rankings, k=engine.HYBRID_K, weights=weights)


def _meaning_missing() -> str:
    return _(
        "Ranking by meaning is not available yet (no patent has been embedded): "
        "ranked by words alone. Run `ipops embed`, or wait for the background worker."
    )


# --- standing, owners, passages -------------------------------------------------------------


def _screened(
    request: ScreeningRequest,
    ranking: list[int],
    *,
    keyword: list[int],
    similarity: dict[int, float],
    terms: tuple[str, ...],
) -> Screening:
    assert request.as_of is not None  # set by checked_request
    day = request.as_of
    facts = patent_facts(ranking, on=request.as_of)
    rows = {row["patent_id"]: row for row in facts.patents}
    events = legal_event_counts([pk for pk, row in rows.items() if row["office"] == "CN"])
    keyword_ranks = {pk: rank for rank, pk in enumerate(keyword, start=1)}
    meaning_ranks = {pk: rank for rank, pk in enumerate(similarity, start=1)}
    classes: dict[Standing, list[tuple[int, int, PatentStanding]]] = defaultdict(list)
    filed_later = 0
    for rank, pk in enumerate(ranking, start=1):
        row = rows.get(pk)
        if row is None:
            continue  # deleted since it was indexed
        if row["application_date"] and row["application_date"] > request.as_of:
            filed_later += 1
            continue
        standing = standing_of(row, events.get(pk, 0), request.as_of)
        classes[standing.standing].append((rank, pk, standing))
    shown = {
        name: classes[name][: request.limit]
        for name in (Standing.IN_FORCE, Standing.PENDING, Standing.UNKNOWN)
    }
    ids = [pk for listed in shown.values() for _rank, pk, _s in listed]
    texts = patent_texts(ids)
    owners = _owners(facts.owners)
    fused = dict(_fused(keyword, list(similarity)))
    numbers = {p.id: p.number for p in corpus.patent_summaries(None, ids)} if ids else {}

    def row_of(rank: int, pk: int, standing: PatentStanding) -> ScreenedPatent:
        row = rows[pk]
        return ScreenedPatent(
            rank=rank,
            patent_id=pk,
            number=numbers.get(pk, str(pk)),
            title=row["title"] or "",
            office=row["office"],
            document_type=row["type"],
            owners=owners.get(pk, ()),
            application_date=row["application_date"],
            grant_date=row["grant_date"],
            standing=standing,
            remaining_years=standing.remaining_years(day),
            score=round(min(1.0, fused.get(pk, 0.0) / BEST_FUSED), 3),
            similarity=round(similarity[pk], 3) if pk in similarity else None,
            keyword_rank=keyword_ranks.get(pk),
            meaning_rank=meaning_ranks.get(pk),
            passages=passages_of(texts.get(pk, {}), row["title"] or "", terms, pk in keyword_ranks),
        )

    return Screening(
        request=request,
        keyword_query="",
        filters="",
        terms=terms,
        candidates=len(ranking),
        in_force=[row_of(*item) for item in shown[Standing.IN_FORCE]],
        pending=[row_of(*item) for item in shown[Standing.PENDING]],
        unknown=[row_of(*item) for item in shown[Standing.UNKNOWN]],
        ended=len(classes[Standing.ENDED]),
        filed_later=filed_later,
        meaning_used=True,
    )


def standing_of(row: dict[str, Any], events: int, on: dt.date) -> PatentStanding:
    """A patent's standing from its facts row (``corpus.facts``): CN by CNIPA's rules (the
    row's status as of ``on``), other offices estimated."""
    if row["office"] == "CN":
        return cn_standing(row["legal_status"], row["expiry_date"], events_known=events > 0, on=on)
    return estimated_standing(
        TermFacts(
            office=row["office"],
            document_type=row["type"],
            filing_date=row["application_date"],
            grant_date=row["grant_date"],
            priority_date=row["priority_date"],
        ),
        on,
    )


def _owners(rows: Sequence[dict[str, Any]]) -> dict[int, tuple[str, ...]]:
    owners: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        owners[row["patent_id"]].append((row["position"] or 0, row["name"] or ""))
    return {
        pk: tuple(dict.fromkeys(name for _position, name in sorted(listed) if name))
        for pk, listed in owners.items()
    }


def passages_of(
    texts: dict[str, list[str]], title: str, terms: tuple[str, ...], matched_words: bool
) -> tuple[Passage, ...]:
    """Where the description's words occur in the title, abstract and claims (one passage
    each at most, hits marked); where none does — a match by meaning — the start of the
    abstract, else of the claims, else the title, marked as such."""
    found: list[Passage] = []
    if matched_words:
        for name, width in (("title", 300), ("abstract", PASSAGE_WIDTH), ("claims", PASSAGE_WIDTH)):
            for text in texts.get(name) or ([title] if name == "title" and title else []):
                fragments = highlight(text, matching_words(text, terms), width=width)
                if any(fragment.hit for fragment in fragments):
                    found.append(Passage(name, tuple(fragments)))
                    break
    if found:
        return tuple(found)
    for name in ("abstract", "claims", "title"):
        text = next(iter(texts.get(name) or []), "") or (title if name == "title" else "")
        if text:
            start = tuple(highlight(text, [], width=PASSAGE_WIDTH))
            return (Passage(name, start, by_meaning=not matched_words),)
    return ()

"""技术供需匹配 — matches for a need and for a listing, scoped to the user.

For a **need**: patents of open listings and other patents in force, ranked by the words
they share with the need (the search index's stemmed keyword ranking over titles, abstracts
and claims; for listed patents the shared words themselves) fused with their nearest
neighbours by meaning (the vector index: a Chinese need finds English text), each with its
reason — the shared words highlighted in its text, its similarity, its IPC field, in force.
For a **listing**: open needs ranked by the words they share with the listing and its patents'
texts fused with their closeness in meaning (each need embedded in the background after it is
posted, `services.embed_needs`), and likely licensees — organisations (resolved applicant
entities) filing most in the listed patents' IPC main groups, then subclasses — the owner left
out.

Matches are seen by the need's or listing's organisation, the providers serving it and the
bureau; anyone else gets a 404. The ranking and reasons are ``ipcore.market.matching``; the
work is bounded (text lengths, candidates, 20 rows per list).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcore.landscape.screening import description_terms
from ipcore.legal_status import Status
from ipcore.market.matching import (
    TOP,
    Licensee,
    Reason,
    fused,
    main_group,
    rank_licensees,
    shared_terms,
    term_ranking,
)
from ipops.accounts.queries import viewer_of
from ipops.corpus.evaluation import patent_texts
from ipops.corpus.models import Classification, Entity, Party, Patent
from ipops.landscape.screening import MIN_SIMILARITY, Passage, passages_of
from ipops.market.models import (
    Listing,
    ListingPatent,
    ListingStatusChoices,
    MatchFeedback,
    Need,
)
from ipops.market.queries import patent_lives
from ipops.search import engine, semantic
from ipops.search.embedder import RECIPE, embed_query, script_of
from ipops.search.index import IndexUnavailable
from ipops.search.vectors import VectorIndexUnavailable

MAX_TEXT: Final = 2000  # characters of a need's or listing's text read
CANDIDATE_LISTINGS: Final = 500  # newest open listings compared with a need
CANDIDATE_LISTED_PATENTS: Final = 2_000  # of those listings' patents, newest listings first
CANDIDATE_NEEDS: Final = 500  # newest open needs compared with a listing
KEYWORD_DEPTH: Final = 100
NEIGHBOURS: Final = 100
CLASSIFICATION_ROWS: Final = 50_000  # filings read for likely licensees (newest first)


def may_see_matches(user: Any, organization_id: int) -> bool:
    """The organisation's members, its providers and the bureau."""
    if not getattr(user, "is_authenticated", False):
        return False
    return viewer_of(user).may_see_private_of(organization_id)


def _require(user: Any, organization_id: int) -> None:
    if not may_see_matches(user, organization_id):
        raise Http404


@dataclass(frozen=True)
class PatentMatch:
    patent_id: int
    number: str
    title: str
    score: float
    reason: Reason
    passages: tuple[Passage, ...]
    listings: tuple[Listing, ...] = ()
    feedback: MatchFeedback | None = None


@dataclass(frozen=True)
class NeedMatches:
    need: Need
    listed: list[PatentMatch]
    patents: list[PatentMatch]
    terms: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedMatch:
    need: Need
    reason: Reason
    feedback: MatchFeedback | None = None


@dataclass(frozen=True)
class LicenseeMatch:
    licensee: Licensee
    organization_name: str | None
    feedback: MatchFeedback | None = None


@dataclass(frozen=True)
class ListingMatches:
    listing: Listing
    needs: list[NeedMatch]
    licensees: list[LicenseeMatch]
    main_groups: tuple[str, ...]
    subclasses: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


# --- for a need ------------------------------------------------------------------------------


def matches_for_need(user: Any, need: Need) -> NeedMatches:
    """Open listings' patents and other CN patents in force matching the need, best first."""
    _require(user, need.organization_id)
    text = need.text
    terms = description_terms(text)
    notes: list[str] = []
    meaning = _meaning_ranking(text, notes)
    listed_ids = _listed_patent_ids(exclude_organization=need.organization_id)
    texts_listed = patent_texts(list(listed_ids))
    listed_words = [
        pk
        for pk, _shared in term_ranking(
            terms, {pk: _terms_of(texts_listed.get(pk, {})) for pk in listed_ids}
        )
    ]
    listed_rank = fused(listed_words, [pk for pk, _ in meaning if pk in listed_ids])
    other_rank = fused(
        [pk for pk in _keyword_ranking(terms, notes) if pk not in listed_ids],
        [pk for pk, _ in meaning if pk not in listed_ids],
    )
    # Enough candidates to fill the lists once patents not in force are left out.
    candidates = [pk for pk, _ in listed_rank[: TOP * 3]] + [pk for pk, _ in other_rank[: TOP * 3]]
    patents = {p.pk: p for p in Patent.objects.filter(pk__in=candidates)}
    lives = patent_lives(list(patents.values()), timezone.localdate())
    in_force = {pk for pk, (status, _expiry) in lives.items() if status is Status.IN_FORCE}
    similarity = dict(meaning)
    feedback = _latest_feedback(MatchFeedback.objects.filter(need=need), "matched_patent_id")

    def rows(ranking: list[tuple[int, float]]) -> list[tuple[int, float]]:
        return [(pk, score) for pk, score in ranking if pk in in_force and pk in patents][:TOP]

    chosen_listed, chosen_other = rows(listed_rank), rows(other_rank)
    shown = [pk for pk, _ in chosen_listed + chosen_other]
    texts = patent_texts(shown)
    fields = _main_groups(shown)
    listings = _open_listings_of([pk for pk, _ in chosen_listed], need.organization_id)

    def match(pk: int, score: float) -> PatentMatch:
        patent = patents[pk]
        shared = shared_terms(terms, _terms_of(texts.get(pk, {})))
        return PatentMatch(
            patent_id=pk,
            number=patent.display_number,
            title=patent.title,
            score=score,
            reason=Reason(
                terms=shared,
                similarity=round(similarity[pk], 3) if pk in similarity else None,
                fields=fields.get(pk, ()),
                in_force=True,
            ),
            passages=passages_of(texts.get(pk, {}), patent.title, shared, bool(shared)),
            listings=tuple(listings.get(pk, ())),
            feedback=feedback.get(pk),
        )

    return NeedMatches(
        need=need,
        listed=[match(pk, score) for pk, score in chosen_listed],
        patents=[match(pk, score) for pk, score in chosen_other],
        terms=terms,
        notes=tuple(notes),
    )


def _terms_of(texts: dict[str, list[str]]) -> tuple[str, ...]:
    joined = "\n".join(t for name in ("title", "abstract", "claims") for t in texts.get(name, []))
    return description_terms(joined[: MAX_TEXT * 2], limit=10_000)


def _meaning_ranking(text: str, notes: list[str]) -> list[tuple[int, float]]:
    try:
        found = semantic.similar_to_text(text, NEIGHBOURS)
    except (VectorIndexUnavailable, IndexUnavailable):
        notes.append(_("Matching by meaning is not available yet: matched by words alone."))
        return []
    return [(pk, score) for pk, score in found if score >= MIN_SIMILARITY]


def _keyword_ranking(terms: Sequence[str], notes: list[str]) -> list[int]:
    if not terms:
        return []
    either = " OR ".join(t if t.isascii() else f'"{t}"' for t in terms)
    request = engine.SearchRequest(
        f"CC=CN AND TAC=({either})", page_size=KEYWORD_DEPTH, facets=False, stemmed=True
    )
    try:
        return [hit.patent_id for hit in engine.run_search(request).hits]
    except IndexUnavailable:
        notes.append(
            _("The search index is not built yet: unlisted patents matched by meaning only.")
        )
        return []


def _listed_patent_ids(*, exclude_organization: int) -> set[int]:
    newest = (
        Listing.objects.filter(status=ListingStatusChoices.OPEN)
        .exclude(organization_id=exclude_organization)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:CANDIDATE_LISTINGS]
    )
    patents = (
        ListingPatent.objects.filter(listing_id__in=list(newest))
        .order_by("-listing_id", "patent_id")
        .values_list("patent_id", flat=True)
    )
    return set(patents[:CANDIDATE_LISTED_PATENTS])


def _open_listings_of(patent_ids: list[int], exclude_organization: int) -> dict[int, list[Listing]]:
    found: dict[int, list[Listing]] = {}
    listings = list(
        Listing.objects.filter(status=ListingStatusChoices.OPEN, items__patent_id__in=patent_ids)
        .exclude(organization_id=exclude_organization)
        .values_list("items__patent_id", "pk")
    )
    by_id = {
        listing.pk: listing
        for listing in Listing.objects.filter(pk__in={pk for _p, pk in listings}).select_related(
            "organization"
        )
    }
    for patent_id, listing_id in listings:
        found.setdefault(patent_id, []).append(by_id[listing_id])
    return found


def _main_groups(patent_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Each patent's IPC main groups, its main classification's first, at most two."""
    groups: dict[int, list[str]] = {}
    rows = Classification.objects.filter(patent_id__in=list(patent_ids), scheme="ipc").order_by(
        "patent_id", "-is_main", "sequence"
    )
    for pk, code in rows.values_list("patent_id", "code"):
        held = groups.setdefault(pk, [])
        group = main_group(code)
        if group not in held and len(held) < 2:
            held.append(group)
    return {pk: tuple(held) for pk, held in groups.items()}


def _latest_feedback(feedback: Any, key: str) -> dict[int, MatchFeedback]:
    latest: dict[int, MatchFeedback] = {}
    for mark in feedback.select_related("user").order_by("-created_at", "-id"):
        latest.setdefault(getattr(mark, key), mark)
    return latest


# --- for a listing ---------------------------------------------------------------------------


def matches_for_listing(user: Any, listing: Listing) -> ListingMatches:
    """Open needs sharing the listed patents' words, and likely licensees."""
    _require(user, listing.organization_id)
    patent_ids = list(listing.items.values_list("patent_id", flat=True))
    texts = patent_texts(patent_ids)
    listed_text = "\n".join(
        [listing.title, listing.description]
        + [
            t
            for pk in patent_ids
            for name in ("title", "abstract")
            for t in texts.get(pk, {}).get(name, [])
        ]
    )[: MAX_TEXT * 2]
    terms = description_terms(listed_text, limit=200)
    needs = list(
        Need.objects.filter(status=Need.Status.OPEN)
        .exclude(organization_id=listing.organization_id)
        .select_related("organization")
        .order_by("-created_at", "-id")[:CANDIDATE_NEEDS]
    )
    by_id = {need.pk: need for need in needs}
    ranked = term_ranking(terms, {need.pk: description_terms(need.text) for need in needs})
    shared_of = dict(ranked)
    notes: list[str] = []
    meaning = _needs_by_meaning(listed_text, needs, notes)
    similarity = dict(meaning)
    order = fused([pk for pk, _shared in ranked], [pk for pk, _s in meaning], top=TOP)
    need_marks = _latest_feedback(MatchFeedback.objects.filter(listing=listing), "matched_need_id")
    entity_marks = _latest_feedback(
        MatchFeedback.objects.filter(listing=listing), "matched_entity_id"
    )
    groups, subclasses = _fields_of(patent_ids)
    licensees = _licensees(listing, patent_ids, groups, subclasses)
    organizations = dict(
        Entity.objects.filter(
            pk__in=[lic.entity_id for lic in licensees], organization__isnull=False
        ).values_list("pk", "organization__name")
    )
    return ListingMatches(
        listing=listing,
        needs=[
            NeedMatch(
                by_id[pk],
                Reason(terms=shared_of.get(pk, ()), similarity=similarity.get(pk)),
                need_marks.get(pk),
            )
            for pk, _score in order
        ],
        licensees=[
            LicenseeMatch(lic, organizations.get(lic.entity_id), entity_marks.get(lic.entity_id))
            for lic in licensees
        ],
        main_groups=groups,
        subclasses=subclasses,
        notes=tuple(notes),
    )


def _needs_by_meaning(
    listed_text: str, needs: Sequence[Need], notes: list[str]
) -> list[tuple[int, float]]:
    """The needs embedded with the current model, by cosine between the listing's text (as a
    query) and each need (as a passage), both centred on their script's mean as the vector
    index centres patents (a Chinese need and an English listing can meet); those below the
    screening's similarity floor left out. Needs not embedded yet are ranked by words only."""
    embedded = [n for n in needs if n.vector is not None and n.vector_model == RECIPE]
    if len(embedded) < len(needs):
        notes.append(
            _("%(count)d needs are not embedded yet: they are matched by words alone.")
            % {"count": len(needs) - len(embedded)}
        )
    if not embedded or not listed_text.strip():
        return []
    centres = semantic.current_centres()
    query = centres.centre(embed_query(listed_text), [script_of(listed_text)])[0]
    block = centres.centre(
        np.vstack([semantic.from_bytes(bytes(n.vector or b"")) for n in embedded]),
        [n.vector_script for n in embedded],
    )
    scores = block @ query
    pairs = zip((n.pk for n in embedded), scores.tolist(), strict=True)
    ranked = sorted(pairs, key=lambda pair: -pair[1])
    return [(pk, round(score, 3)) for pk, score in ranked if score >= MIN_SIMILARITY]


def _fields_of(patent_ids: Sequence[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    codes = Classification.objects.filter(patent_id__in=list(patent_ids), scheme="ipc")
    groups = sorted({main_group(code) for code in codes.values_list("code", flat=True)})
    return tuple(groups), tuple(sorted({group.split(" ", 1)[0] for group in groups}))


def _licensees(
    listing: Listing, patent_ids: list[int], groups: Sequence[str], subclasses: Sequence[str]
) -> list[Licensee]:
    if not subclasses:
        return []
    newest = (
        Classification.objects.filter(scheme="ipc", subclass__in=list(subclasses))
        .exclude(patent_id__in=patent_ids)
        .order_by("-patent_id")
    )
    filings = list(newest.values_list("patent_id", "code")[:CLASSIFICATION_ROWS])
    # The filers of the same patents, by a subquery: a list of that many ids would pass
    # SQLite's limit on query parameters.
    filed = newest.values("patent_id")[:CLASSIFICATION_ROWS]
    filers: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for pk, entity, name in Party.objects.filter(
        patent_id__in=filed, role__in=("applicant", "owner"), entity__isnull=False
    ).values_list("patent_id", "entity_id", "entity__name"):
        filers.setdefault(pk, set()).add(entity)
        names[entity] = name
    owners = set(
        Party.objects.filter(
            patent_id__in=patent_ids, role__in=("applicant", "owner"), entity__isnull=False
        ).values_list("entity_id", flat=True)
    ) | set(
        Entity.objects.filter(organization_id=listing.organization_id).values_list("pk", flat=True)
    )
    rows = [(entity, str(pk), code) for pk, code in filings for entity in filers.get(pk, ())]
    return rank_licensees(
        rows, main_groups=groups, subclasses=subclasses, names=names, excluded=owners, top=TOP
    )

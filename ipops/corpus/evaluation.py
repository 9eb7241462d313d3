"""Reads for analysis-evaluation (分析评议): the texts a risk screening quotes, how many legal
events a record holds, an organisation's patents, organisations by name.

Bibliographic data is public, so these take no user: the landscape queries that call them
check who may screen and profile (``ANALYSE_PATENTS``). Each is one or two set-based queries
however many patents it is asked about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.db.models import Count, Q

from ipops.corpus.loader import RESOLVED_ROLES, entity_key
from ipops.corpus.models import Entity, EntityAlias, LegalEvent, Party, PatentText

# Claims can run to tens of thousands of characters; a passage needs the start of them.
CLAIMS_READ: Final = 20_000
ORGANISATION_MATCHES: Final = 30


def patent_texts(ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Titles, abstracts and claims of these patents: ``{id: {field: [text, …]}}``, Chinese
    texts first (the page is Chinese first), claims cut to their first CLAIMS_READ
    characters."""
    texts: dict[int, dict[str, list[tuple[bool, str]]]] = defaultdict(lambda: defaultdict(list))
    rows = PatentText.objects.filter(
        patent_id__in=list(ids), field__in=("title", "abstract", "claims")
    ).values_list("patent_id", "field", "language", "text")
    for pk, field, language, text in rows:
        texts[pk][field].append((language != "zh", text[:CLAIMS_READ]))
    return {
        pk: {field: [text for _, text in sorted(found)] for field, found in fields.items()}
        for pk, fields in texts.items()
    }


def legal_event_counts(ids: Sequence[int]) -> dict[int, int]:
    """How many legal events each of these patents has on record (absent: none)."""
    rows = (
        LegalEvent.objects.filter(patent_id__in=list(ids))
        .values("patent_id")
        .annotate(n=Count("id"))
        .values_list("patent_id", "n")
    )
    return dict(rows)


def organisation_patent_ids(entity_id: int) -> list[int]:
    """The patents an organisation applied for or owns, in id order."""
    rows = Party.objects.filter(entity_id=entity_id, role__in=list(RESOLVED_ROLES))
    return sorted(set(rows.values_list("patent_id", flat=True)))


@dataclass(frozen=True)
class OrganisationMatch:
    """An organisation (resolved applicant) a name search found."""

    id: int
    name: str
    country: str
    patents: int
    spellings: tuple[str, ...]  # normalised name keys it gathered (a few)


def organisations_named(text: str, *, limit: int = ORGANISATION_MATCHES) -> list[OrganisationMatch]:
    """Organisations whose display name or one of whose gathered spellings contains the
    text — Chinese or English, any case, legal forms ignored (上海XX有限公司 finds 上海XX) —
    the largest portfolios first."""
    text = text.strip()
    if not text:
        return []
    by_alias = EntityAlias.objects.filter(key__contains=entity_key(text)).values("entity_id")
    matching = Entity.objects.filter(Q(name__icontains=text) | Q(pk__in=by_alias)).values("id")
    counted = list(
        Party.objects.filter(entity_id__in=matching, role__in=list(RESOLVED_ROLES))
        .values("entity_id")
        .annotate(n=Count("patent_id", distinct=True))
        .order_by("-n", "entity_id")
        .values_list("entity_id", "n")[:limit]
    )
    entities = {
        pk: (name, country)
        for pk, name, country in Entity.objects.filter(
            pk__in=[pk for pk, _ in counted]
        ).values_list("id", "name", "country")
    }
    ranked = [(pk, *entities[pk], n) for pk, n in counted if pk in entities]
    spellings: dict[int, list[str]] = defaultdict(list)
    for entity, alias in EntityAlias.objects.filter(entity_id__in=list(entities)).values_list(
        "entity_id", "key"
    ):
        spellings[entity].append(alias)
    return [
        OrganisationMatch(pk, name, country, n, tuple(sorted(spellings[pk])[:5]))
        for pk, name, country, n in ranked
    ]

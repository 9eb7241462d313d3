"""Finding patents by the numbers people write: publication numbers in any common spelling
(``US 2015/0123456 A1``, ``US20150123456A1``, ``CN 114081026 A``) and CN application numbers
(``ZL201810390462.7``), straight from the database (no search index needed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ipcore.identifiers.docdb import parse_doc_number
from ipcore.identifiers.errors import IdentifierError
from ipcore.valuation.awards import read_number
from ipops.corpus.models import Patent, Publication

CHUNK = 2000


def patents_numbered(numbers: Sequence[str]) -> dict[str, list[int]]:
    """The patent ids each number names (several when a number is ambiguous, none when the
    corpus does not hold it or the text is no number). A publication number with a kind
    code prefers that kind's patent but accepts any kind of the same number."""
    publications: dict[str, tuple[str, str | None]] = {}
    applications: dict[str, str] = {}
    for text in numbers:
        try:
            number, kind = read_number(text)
        except IdentifierError:
            continue
        if kind == "application":
            applications[text] = number
        else:
            document = parse_doc_number(number)
            publications[text] = (document.epodoc, document.kind)
    found: dict[str, list[int]] = {text: [] for text in numbers}
    by_number: dict[str, list[tuple[int, str]]] = defaultdict(list)
    wanted = sorted({epodoc for epodoc, _kind in publications.values()})
    for start in range(0, len(wanted), CHUNK):
        for number, kind, pk in Publication.objects.filter(
            number__in=wanted[start : start + CHUNK]
        ).values_list("number", "kind", "patent_id"):
            by_number[number].append((pk, kind))
    for text, (epodoc, wanted_kind) in publications.items():
        rows = by_number.get(epodoc, [])
        exact = [pk for pk, k in rows if wanted_kind and k == wanted_kind]
        found[text] = sorted(set(exact or [pk for pk, _k in rows]))
    wanted = sorted(set(applications.values()))
    by_application: dict[str, list[int]] = defaultdict(list)
    for start in range(0, len(wanted), CHUNK):
        for number, pk in Patent.objects.filter(
            application_number__in=wanted[start : start + CHUNK]
        ).values_list("application_number", "id"):
            by_application[number].append(pk)
    for text, number in applications.items():
        found[text] = sorted(by_application.get(number, []))
    return found

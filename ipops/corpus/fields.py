"""领域定义 — the three field schemes a patent is placed in, for the rest of the platform.

* **SEI** — CNIPA's 2021 concordance of strategic emerging industries to IPC
  (``ipcore.industries.sei``): official, read-only; 9 industries and 40 sub-categories.
* **Key fields** — the plan's seven key fields (``ipcore.industries.key_fields``), edited by the
  bureau: the current definitions are the ``KeyField`` rows (the shipped ones where the table is
  empty, as in a database that was flushed).
* **WIPO** — the 35 technology fields (``ipcore.technology``): official, read-only.

A patent's codes for all three are its IPC codes, else its CPC codes (as for WIPO fields in
the analytic facts); the title and abstract count for keyword-qualified rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipcore.industries import sei_concordance
from ipcore.industries.key_fields import KeyFields, KeyFieldText, key_fields, shipped_key_fields
from ipcore.industries.patterns import Scope
from ipcore.industries.rules import FieldDefinition
from ipcore.technology import TECHNOLOGY_FIELDS, subclasses_of_field, technology_fields
from ipops.corpus.models import Classification, KeyField, PatentText
from ipops.errors import InvalidInput

BATCH = 2000


class FieldScheme(StrEnum):
    SEI = "sei"  # 战略性新兴产业（CNIPA 2021）
    KEY = "key"  # 重点产业领域
    WIPO = "wipo"  # WIPO 技术领域


@dataclass(frozen=True)
class FieldRef:
    """One field of one scheme, with its names: what a dataset can be made from."""

    scheme: FieldScheme
    code: str
    name_zh: str
    name_en: str
    version: int | None = None  # a key field's edit count; None for official schemes

    @property
    def key(self) -> str:
        """``key:ai``, ``sei:1.2``, ``wipo:8`` — one value for a form's choice."""
        return f"{self.scheme}:{self.code}"

    def name(self, language: str | None = None) -> str:
        chinese = (language or get_language() or "zh").startswith("zh")
        return (self.name_zh if chinese else self.name_en) or self.name_zh

    def scheme_label(self, language: str | None = None) -> str:
        chinese = (language or get_language() or "zh").startswith("zh")
        labels = {
            FieldScheme.KEY: ("重点产业", "key field"),
            FieldScheme.SEI: ("战略性新兴产业", "strategic emerging industry"),
            FieldScheme.WIPO: ("WIPO 技术领域", "WIPO technology field"),
        }[self.scheme]
        return labels[0] if chinese else labels[1]

    def query_text(self) -> str:
        """What a dataset made from this field records as its query, in Chinese as CNIPA
        writes it: ``领域：集成电路（重点产业）``."""
        code = "" if self.scheme is FieldScheme.KEY else f"{self.code} "
        return f"领域：{code}{self.name_zh}（{self.scheme_label('zh')}）"


def key_field_text(row: KeyField) -> KeyFieldText:
    return KeyFieldText(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        builds_on=tuple(row.builds_on),
        rules=row.rules,
        source=row.source,
    )


def current_key_fields() -> KeyFields:
    """The bureau's current key-field definitions (the shipped ones if there are none)."""
    rows = list(KeyField.objects.all())
    return key_fields([key_field_text(row) for row in rows] if rows else None)


def field_refs() -> list[FieldRef]:
    """Every field a dataset can be made from: key fields, SEI industries and sub-categories,
    WIPO fields — in that order."""
    rows = list(KeyField.objects.all())
    if rows:
        refs = [FieldRef(FieldScheme.KEY, r.code, r.name_zh, r.name_en, r.version) for r in rows]
    else:
        refs = [
            FieldRef(FieldScheme.KEY, t.code, t.name_zh, t.name_en) for t in shipped_key_fields()
        ]
    refs += [
        FieldRef(FieldScheme.SEI, c.code, c.name_zh, c.name_en)
        for c in sei_concordance().categories
    ]
    refs += [
        FieldRef(FieldScheme.WIPO, str(f.number), f.name_zh, f.name_en) for f in TECHNOLOGY_FIELDS
    ]
    return refs


def field_ref(key: str) -> FieldRef:
    """The field a choice value (``key:ai``) names; InvalidInput for one that does not exist."""
    for ref in field_refs():
        if ref.key == key:
            return ref
    raise InvalidInput(details={"field": [_("No such field definition.")]}, code="unknown_field")


# --- which patents are in a field ----------------------------------------------------------


class _Matcher:
    """Whether a patent (its codes and, where asked, its text) is in one field."""

    def __init__(self, ref: FieldRef) -> None:
        self.ref = ref
        self.keys = current_key_fields() if ref.scheme is FieldScheme.KEY else None

    def wants_text(self, codes: Sequence[str]) -> bool:
        if self.ref.scheme is FieldScheme.WIPO:
            return False
        if self.keys is not None:
            return self.keys.wants_text(codes)
        return sei_concordance().wants_text(codes)

    def holds(self, codes: Sequence[str], text: str | None) -> bool:
        code = self.ref.code
        if self.ref.scheme is FieldScheme.WIPO:
            return any(str(f.number) == code for f in technology_fields(codes))
        if self.keys is not None:
            return code in self.keys.fields_of(codes, text=text)
        found = sei_concordance().categories_of(codes, text=text)
        return code in found or code in sei_concordance().industries_for(found)


def candidate_filter(ref: FieldRef) -> Q:
    """Classification rows that can put a patent in the field: the classes and subclasses its
    include patterns name (a superset; the matcher decides)."""
    classes, subclasses = _index_keys(ref)
    condition = Q(subclass__in=sorted(subclasses))
    for class_code in sorted(classes):
        condition |= Q(subclass__startswith=class_code)
    return condition


def _index_keys(ref: FieldRef) -> tuple[set[str], set[str]]:
    if ref.scheme is FieldScheme.WIPO:
        return set(), set(subclasses_of_field(int(ref.code)))
    classes: set[str] = set()
    subclasses: set[str] = set()
    for definition in _definitions(ref):
        for rule in definition.rules:
            for pattern in rule.include:
                if pattern.scope is Scope.CLASS:
                    classes.add(pattern.class_code)
                else:
                    subclasses.add(f"{pattern.subclass}")
    return classes, subclasses


def _definitions(ref: FieldRef) -> list[FieldDefinition]:
    """The definitions whose rules can put a patent in the field: an SEI category's own (an
    industry's are its sub-categories'), a key field's and those of what it builds on."""
    own: list[FieldDefinition] = []
    base = [ref.code]
    if ref.scheme is FieldScheme.KEY:
        definition = current_key_fields().fields.definition(ref.code)
        own, base = [definition], list(definition.builds_on)
    wanted = set(base)
    return own + [
        d for d in sei_concordance().fields.definitions if d.code in wanted or d.parent in wanted
    ]


def patents_in_field(ref: FieldRef, *, limit: int) -> tuple[list[int], int]:
    """The ids of the patents in the field (at most ``limit``, lowest ids first) and how many
    there are in all: candidates by classification, then the exact matcher."""
    candidates = sorted(
        set(
            Classification.objects.filter(candidate_filter(ref)).values_list("patent_id", flat=True)
        )
    )
    matcher = _Matcher(ref)
    found: list[int] = []
    total = 0
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start : start + BATCH]
        codes = patent_codes(batch)
        texts = patent_texts([pk for pk in batch if matcher.wants_text(codes.get(pk, ()))])
        for pk in batch:
            if matcher.holds(codes.get(pk, ()), texts.get(pk)):
                total += 1
                if len(found) < limit:
                    found.append(pk)
    return found, total


def patent_codes(ids: Sequence[int]) -> dict[int, list[str]]:
    """Each patent's IPC codes, else its CPC codes."""
    ipc: dict[int, list[str]] = defaultdict(list)
    cpc: dict[int, list[str]] = defaultdict(list)
    rows = Classification.objects.filter(patent_id__in=ids).values_list(
        "patent_id", "scheme", "code"
    )
    for pk, scheme, code in rows:
        (ipc if scheme == "ipc" else cpc)[pk].append(code)
    return {pk: ipc.get(pk) or cpc[pk] for pk in {*ipc, *cpc}}


def patent_texts(ids: Sequence[int]) -> dict[int, str]:
    """Titles and abstracts (every language) of these patents, one text each."""
    if not ids:
        return {}
    texts: dict[int, list[str]] = defaultdict(list)
    rows = PatentText.objects.filter(patent_id__in=ids, field__in=("title", "abstract"))
    for pk, text in rows.values_list("patent_id", "text"):
        texts[pk].append(text)
    return {pk: "\n".join(parts) for pk, parts in texts.items()}

"""专利著录项目 — one patent as an importer read it, before it reaches the database.

Every format parser (PatentsView Parquet, Lens CSV, CNIPA XML, USPTO XML, EPO XML, generic
CSV/XLSX) yields `PatentRecord`s; the corpus loader turns them into rows. Keeping this shape
framework-free lets parsers be tested on real files without a database, and lets the loader
treat every source alike.

Identity: a patent is one application (one right). Its natural key is the office plus the
normalised application number when the source gives one (`CN:201810390462.7`), otherwise the
office plus its earliest known publication number (`US:pub:US10123456`) — PatentsView and
title lists carry no application number. The loader also matches on publication numbers,
so a later source that knows the application number joins the same patent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class DocumentType(StrEnum):
    """专利类型 — the kind of right, across offices."""

    INVENTION = "invention"  # 发明 (US utility patents too)
    UTILITY_MODEL = "utility_model"  # 实用新型
    DESIGN = "design"  # 外观设计
    PLANT = "plant"  # US plant patents
    REISSUE = "reissue"  # US reissues
    UNKNOWN = "unknown"


class PartyRole(StrEnum):
    APPLICANT = "applicant"  # 申请人
    OWNER = "owner"  # 专利权人 / assignee
    INVENTOR = "inventor"  # 发明人


class TextField(StrEnum):
    TITLE = "title"
    ABSTRACT = "abstract"
    CLAIMS = "claims"
    DESCRIPTION = "description"


class Scheme(StrEnum):
    IPC = "ipc"
    CPC = "cpc"


@dataclass(frozen=True)
class Text:
    """A title, abstract or claims text in one language (ISO 639-1: zh, en, de, fr, ja …)."""

    field: TextField
    language: str
    text: str


@dataclass(frozen=True)
class Party:
    """An applicant, owner or inventor as written in the source, in source order."""

    role: PartyRole
    sequence: int
    name: str
    country: str | None = None  # ST.3 code of residence or nationality, as given
    city: str | None = None
    state: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Classification:
    """An IPC or CPC code already normalised (`H04W 72/54`); `is_main` for the first/main one."""

    scheme: Scheme
    code: str
    sequence: int
    is_main: bool = False


@dataclass(frozen=True)
class Publication:
    """A publication of the application: DOCDB number without kind, kind code, date."""

    number: str  # e.g. "CN113781974", "US10123456", "EP1234567"
    kind: str | None
    date: dt.date | None

    @property
    def label(self) -> str:
        return f"{self.number}{self.kind or ''}"


@dataclass(frozen=True)
class Priority:
    office: str
    number: str
    date: dt.date | None


@dataclass(frozen=True)
class Citation:
    """A cited patent document (`number`, DOCDB) or a non-patent reference (`text`)."""

    sequence: int
    number: str | None = None
    kind: str | None = None
    text: str | None = None
    category: str | None = None  # X, Y, A … where the search report gives one
    cited_by: str | None = None  # examiner / applicant


@dataclass(frozen=True)
class LegalEventRecord:
    """A legal event (法律状态事件) as published: code, date, optional effective date."""

    code: str
    date: dt.date
    effective_date: dt.date | None = None
    description: str = ""


@dataclass(frozen=True)
class RecordLocation:
    """Where a record came from, for rejects and provenance: file and record within it."""

    path: str
    record: str  # row number, element index, or the record's own id


@dataclass(frozen=True)
class PatentRecord:
    office: str  # ST.3 code of the office that granted or published it: CN, US, EP, WO …
    document_type: DocumentType
    application_number: str | None = None  # normalised; CN with check digit "201810390462.7"
    application_date: dt.date | None = None
    publications: tuple[Publication, ...] = ()
    grant_date: dt.date | None = None
    texts: tuple[Text, ...] = ()
    claims_count: int | None = None
    classifications: tuple[Classification, ...] = ()
    parties: tuple[Party, ...] = ()
    priorities: tuple[Priority, ...] = ()
    citations: tuple[Citation, ...] = ()
    legal_events: tuple[LegalEventRecord, ...] = ()
    family_id: str | None = None
    # members the source states the family has, where it gives a count and no family id (Lens'
    # "Simple Family Size": the DOCDB simple family, the record itself included)
    family_size: int | None = None
    location: RecordLocation | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """The natural key (see the module docstring)."""
        if self.application_number:
            return f"{self.office}:{self.application_number}"
        if self.publications:
            earliest = min(self.publications, key=_publication_order)
            return f"{self.office}:pub:{earliest.number}"
        raise ValueError("a patent record needs an application or publication number")

    def text(self, field_: TextField, language: str | None = None) -> str | None:
        for text in self.texts:
            if text.field is field_ and (language is None or text.language == language):
                return text.text
        return None

    def parties_in(self, role: PartyRole) -> tuple[Party, ...]:
        return tuple(sorted((p for p in self.parties if p.role is role), key=lambda p: p.sequence))


def _publication_order(publication: Publication) -> tuple[dt.date, str]:
    return (publication.date or dt.date.max, publication.number)


class RecordError(ValueError):
    """A record that cannot be read: which record, which field, why. The rest of the file
    goes on; the record lands in the rejects file."""

    def __init__(self, field_name: str, reason: str, *, location: RecordLocation | None = None):
        self.field_name = field_name
        self.reason = reason
        self.location = location
        where = f"{location.path} [{location.record}] " if location else ""
        super().__init__(f"{where}{field_name}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (a file read in a second process): keep every part.
        return (_rebuild_record_error, (self.field_name, self.reason, self.location))


def _rebuild_record_error(
    field_name: str, reason: str, location: RecordLocation | None
) -> RecordError:
    return RecordError(field_name, reason, location=location)

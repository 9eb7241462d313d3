"""Names a reader sees beside the codes metrics count by: IPC titles, WIPO technology fields,
provinces, legal statuses — in Chinese and English, from ipcore's reference tables."""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Final

from ipcore.divisions import get_division
from ipcore.legal_status import STATUS_LABELS_ZH, Status
from ipcore.reference import ipc_title
from ipcore.technology import TECHNOLOGY_FIELDS, TechnologyField

STATUS_LABELS_EN: Final = MappingProxyType(
    {
        Status.PENDING: "Pending",
        Status.IN_FORCE: "In force",
        Status.LAPSED: "Lapsed (fees unpaid)",
        Status.EXPIRED: "Expired",
        Status.WITHDRAWN: "Withdrawn",
        Status.REJECTED: "Rejected",
        Status.INVALIDATED: "Invalidated",
        Status.ABANDONED: "Abandoned",
    }
)


@cache
def _fields_by_number() -> dict[int, TechnologyField]:
    return {field.number: field for field in TECHNOLOGY_FIELDS}


def technology_field(number: int) -> TechnologyField | None:
    """The WIPO field numbered ``number`` (1-35), or None for a number WIPO does not use."""
    return _fields_by_number().get(number)


def field_names(number: int) -> tuple[str | None, str | None]:
    """The field's Chinese and English names (None for an unknown number)."""
    field = technology_field(number)
    return (field.name_zh, field.name_en) if field is not None else (None, None)


def sector_names(number: int) -> tuple[str | None, str | None]:
    """The Chinese and English names of the sector the field belongs to."""
    field = technology_field(number)
    return (field.sector_zh, field.sector_en) if field is not None else (None, None)


def classification_titles(code: str) -> tuple[str | None, str | None]:
    """The IPC title of a section, class, subclass or main group (CPC codes IPC shares get
    IPC's title; CPC's own, such as Y02E, have none here)."""
    title = ipc_title(code)
    return (title.zh or None, title.en or None) if title is not None else (None, None)


def province_names(code: str) -> tuple[str | None, str | None]:
    """A GB/T 2260 province's Chinese and English names (None for an unknown code)."""
    division = get_division(code)
    if division is None:
        return None, None
    return division.name_zh, division.name_en


def status_labels(value: str) -> tuple[str, str]:
    """A legal status's labels; a value ipcore does not know is shown as it is."""
    try:
        status = Status(value)
    except ValueError:
        return value, value
    return STATUS_LABELS_ZH[status], STATUS_LABELS_EN[status]

"""Template tags of the valuation app: the value panel other apps' pages include, and labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.divisions import division_label
from ipcore.legal_status import STATUS_LABELS_ZH, Status
from ipcore.valuation.high_value import Criterion
from ipcore.valuation.portfolios import Standing
from ipops.accounts.queries import has_capability
from ipops.corpus.models import DocumentTypeChoices

register = template.Library()

_STATUS_EN = {
    Status.PENDING: "pending",
    Status.IN_FORCE: "in force",
    Status.LAPSED: "lapsed (fee unpaid)",
    Status.EXPIRED: "expired",
    Status.WITHDRAWN: "withdrawn",
    Status.REJECTED: "rejected",
    Status.INVALIDATED: "invalidated",
    Status.ABANDONED: "abandoned",
}


def _zh() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


@register.inclusion_tag("valuation/_value_panel.html", takes_context=True)
def value_panel(context: dict[str, Any], patent: Any) -> dict[str, Any]:
    """The value panel of a patent page: empty for people who may not see values."""
    from ipops.valuation.queries import value_of

    user = context["request"].user
    if not has_capability(user, Capability.VIEW_PATENT_VALUE):
        return {"hidden": True}
    return {"report": value_of(user, patent), "full": False}


@register.filter
def criterion_labels(codes: list[str]) -> str:
    language = get_language() or "zh-hans"
    return "、".join(Criterion(code).label(language) for code in codes or ())


@register.filter
def division(code: str) -> str:
    return division_label(code)


@register.filter
def standing_sentence(standing: Standing) -> str:
    return standing.sentence(get_language() or "zh-hans")


@register.filter
def status_label(value: str | None) -> str:
    if not value or value == "unknown":
        return _("unknown")
    status = Status(value)
    return STATUS_LABELS_ZH[status] if _zh() else _STATUS_EN[status]


@register.filter
def document_type(value: str) -> str:
    try:
        return str(DocumentTypeChoices(value).label)
    except ValueError:
        return value


@register.filter
def bucket_label(value: str) -> str:
    words = {"unknown": _("unknown"), "ended": _("ended")}
    return str(words.get(value, value))


@register.simple_tag
def score_of(patent: Any, purpose: str) -> str:
    value = getattr(patent, "value", None)
    score = getattr(value, f"{purpose}_total", None) if value is not None else None
    return "—" if score is None else f"{score:.0f}"

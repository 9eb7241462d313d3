"""交易统计 page: counts and amounts by period (everyone) and by field, district and size
(bureau and center), with average annual growth and CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ipcore.divisions import division_label
from ipcore.market.statistics import (
    NOT_RECORDED,
    PLAN_GROWTH_TARGETS,
    Dimension,
    Measure,
    Tally,
    meets_target,
)
from ipcore.technology import TECHNOLOGY_FIELDS
from ipops.accounts.models import SizeClassChoices
from ipops.errors import NotPermitted
from ipops.market import notices as market_notices
from ipops.market.models import KindChoices
from ipops.market.statistics import PLEDGE_KIND, dimensions_for, statistics_for


def measure_labels() -> dict[Measure, str]:
    return {
        Measure.DEALS: _("Deals completed"),
        Measure.LICENCES: _("Licences filed"),
        Measure.TRANSFERS: _("Transfers registered"),
        Measure.PLEDGES: _("Pledges registered"),
    }


def dimension_labels() -> dict[Dimension, str]:
    return {
        Dimension.YEAR: _("Year"),
        Dimension.MONTH: _("Month"),
        Dimension.KIND: _("Kind"),
        Dimension.FIELD: _("Technology field (WIPO)"),
        Dimension.DISTRICT: _("District"),
        Dimension.SIZE: _("Organisation size"),
    }


def key_label(dimension: Dimension, key: str) -> str:
    """A key in words: a field's name, a district's name, a size class."""
    if key == NOT_RECORDED:
        return _("Not recorded")
    if dimension is Dimension.FIELD:
        field = next((f for f in TECHNOLOGY_FIELDS if str(f.number) == key), None)
        return field.in_language(get_language() or "zh") if field else key
    if dimension is Dimension.DISTRICT:
        try:
            return division_label(key)
        except KeyError:
            return key
    if dimension is Dimension.KIND:
        if key == PLEDGE_KIND:
            return _("Pledge")
        return str(dict(KindChoices.choices).get(key, key))
    if dimension is Dimension.SIZE:
        return str(dict(SizeClassChoices.choices).get(key, key))
    return key


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Tally]


def _percent(rate: Decimal | None) -> str:
    return "" if rate is None else f"{rate * 100:.2f}%"


@require_GET  # public page: what a viewer may break down by is checked in the queries
def statistics(request: HttpRequest) -> HttpResponse:
    allowed = dimensions_for(request.user)
    wanted = request.GET.get("by", Dimension.YEAR.value)
    try:
        dimension = Dimension(wanted)
    except ValueError:
        return HttpResponse(
            _("Unknown breakdown “%(by)s”: use one of %(choices)s.")
            % {"by": wanted, "choices": ", ".join(d.value for d in allowed)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if dimension not in allowed:
        raise NotPermitted(
            _("Breakdowns by field, district and size are for the bureau and the center.")
        )
    found = statistics_for(request.user, dimension)
    measures = measure_labels()
    rows = [
        Row(key_label(dimension, key), [tallies[m] for m in measures])
        for key, tallies in found.table.items()
    ]
    if request.GET.get("format") == "csv":
        return _csv(dimension, rows, measures)
    labels = dimension_labels()
    context = {
        "stats": found,
        "rows": rows,
        "measures": list(measures.values()),
        "totals": [found.totals[m] for m in measures],
        "growth": [
            {
                "measure": label,
                "count": _percent(found.growth[m].count),
                "amount": _percent(found.growth[m].amount),
                "target": _percent(PLAN_GROWTH_TARGETS.get(m)),
                "meets": meets_target(m, found.growth[m]),
            }
            for m, label in measures.items()
        ],
        "dimension": dimension,
        "dimension_label": labels[dimension],
        "choices": [(d.value, labels[d]) for d in allowed],
    }
    return render(request, "market/statistics.html", context)


def _csv(dimension: Dimension, rows: list[Row], measures: dict[Measure, str]) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    header = [dimension_labels()[dimension]]
    for label in measures.values():
        header += [
            f"{label} {_('count')}",
            f"{label} {_('amount (CNY)')}",
            f"{label} {_('without amount')}",
        ]
    writer.writerow(header)
    for row in rows:
        line: list[object] = [row.label]
        for cell in row.cells:
            line += [cell.count, f"{cell.amount:.2f}", cell.unpriced]
        writer.writerow(line)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="market-statistics-{dimension.value}.csv"'
    )
    return response


NOTICE_KINDS = ("licence", "transfer", "pledge")


def notice_kind_labels() -> dict[str, str]:
    return {
        "licence": _("Licences filed"),
        "transfer": _("Transfers registered"),
        "pledge": _("Pledges registered"),
    }


@require_GET  # public page: notices carry no private term
def notices(request: HttpRequest) -> HttpResponse:
    """公示 — completed registrations, newest first, without prices."""
    kind = request.GET.get("kind", "")
    if kind not in ("", *NOTICE_KINDS):
        kind = ""
    page = Paginator(market_notices.notices(kind), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "kinds": list(notice_kind_labels().items()),
        "query": f"kind={kind}" if kind else "",
    }
    return render(request, "market/notices.html", context)

"""`ipops portfolio` — portfolios and the cultivation programme from the command line.

The command acts as the platform (an operator's tool): it sees every portfolio, and a
portfolio it builds belongs to the organisation named with --org.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone, translation

from ipcore.valuation.weights import Purpose
from ipops.accounts.commandline import organization_from
from ipops.errors import ServiceError
from ipops.landscape.models import Dataset
from ipops.valuation import queries, services
from ipops.valuation.models import Portfolio


class Command(BaseCommand):
    help = (
        "Portfolios (专利组合): `list`; `show ID` (composition, standing against the plan's "
        "target of 60 invention patents and 12 PCT applications, strength); `create NAME "
        "--org USCC_OR_ID (--owner NAME_OR_ID | --dataset ID | --numbers N … | --numbers-file "
        "F)`; `refresh ID`; `enrol ID --key-field CODE [--since YEAR]`; `programme` (the 25 "
        "cultivated portfolios). --json prints JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="every portfolio")
        show = sub.add_parser("show", help="one portfolio's composition and standing")
        show.add_argument("id", type=int)
        show.add_argument("--purpose", choices=[p.value for p in Purpose], default="management")
        create = sub.add_parser("create", help="build a portfolio")
        create.add_argument("name")
        create.add_argument("--org", required=True, help="owning organisation: USCC or id")
        source = create.add_mutually_exclusive_group(required=True)
        source.add_argument("--owner", help="applicant name (any spelling) or entity id")
        source.add_argument("--dataset", type=int, help="a landscape dataset's id")
        source.add_argument("--numbers", nargs="+", help="patent numbers")
        source.add_argument("--numbers-file", type=Path, help="a file of numbers, one a line")
        create.add_argument("--key-field", default="", help="one of the plan's key fields")
        refresh = sub.add_parser("refresh", help="take in the owner's or dataset's patents again")
        refresh.add_argument("id", type=int)
        enrol = sub.add_parser("enrol", help="enrol a portfolio in the cultivation programme")
        enrol.add_argument("id", type=int)
        enrol.add_argument("--key-field", required=True)
        enrol.add_argument("--since", type=int, default=None)
        programme = sub.add_parser("programme", help="the cultivation programme")
        for each in (listing, show, create, refresh, enrol, programme):
            each.add_argument("--json", action="store_true", help="print JSON")
            each.add_argument("--lang", choices=["zh", "en"], default="zh")

    def handle(self, *args: Any, **options: Any) -> None:
        language = "zh-hans" if options["lang"] == "zh" else "en"
        with translation.override(language):
            try:
                body = getattr(self, f"_{options['action']}")(options)
            except ServiceError as error:
                raise CommandError(_service_message(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(_text(options["action"], body))

    def _list(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        portfolios = Portfolio.objects.select_related("organization").annotate(
            size=Count("members"), enrolled=Count("programme_entry")
        )
        return [
            {
                "id": p.pk,
                "name": p.name,
                "basis": p.basis,
                "organization": p.organization.name,
                "size": p.size,
                "in_programme": bool(p.enrolled),
            }
            for p in portfolios
        ]

    def _show(self, options: dict[str, Any]) -> dict[str, Any]:
        portfolio = _portfolio(options["id"])
        report = queries.portfolio_report(portfolio, purpose=Purpose(options["purpose"]))
        return queries.portfolio_json(report)

    def _create(self, options: dict[str, Any]) -> dict[str, Any]:
        organization = organization_from(options["org"])
        numbers = options["numbers"] or []
        if options["numbers_file"]:
            path: Path = options["numbers_file"]
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            numbers = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        if options["owner"]:
            source = services.PortfolioSource(basis=Portfolio.Basis.OWNER, owner=options["owner"])
        elif options["dataset"]:
            dataset = Dataset.objects.filter(pk=options["dataset"]).first()
            if dataset is None:
                raise CommandError(f"no dataset {options['dataset']}")
            source = services.PortfolioSource(basis=Portfolio.Basis.DATASET, dataset=dataset)
        else:
            source = services.PortfolioSource(basis=Portfolio.Basis.HAND, numbers=numbers)
        portfolio = services.create_portfolio(
            actor=None,
            name=options["name"],
            source=source,
            organization=organization,
            key_field=options["key_field"],
        )
        return queries.portfolio_json(queries.portfolio_report(portfolio))

    def _refresh(self, options: dict[str, Any]) -> dict[str, Any]:
        portfolio = _portfolio(options["id"])
        size = services.refresh_portfolio(actor=None, portfolio=portfolio)
        return {"id": portfolio.pk, "size": size}

    def _enrol(self, options: dict[str, Any]) -> dict[str, Any]:
        portfolio = _portfolio(options["id"])
        entry = services.enrol_in_programme(
            actor=None,
            portfolio=portfolio,
            key_field=options["key_field"],
            start_year=options["since"] or timezone.localdate().year,
        )
        return {"entry": entry.pk, "portfolio": portfolio.pk, "key_field": entry.key_field}

    def _programme(self, options: dict[str, Any]) -> dict[str, Any]:
        return queries.programme_json(queries.operator_programme())


def _portfolio(portfolio_id: int) -> Portfolio:
    portfolio = Portfolio.objects.select_related("organization").filter(pk=portfolio_id).first()
    if portfolio is None:
        raise CommandError(f"no portfolio {portfolio_id}")
    return portfolio



def _service_message(error: ServiceError) -> str:
    details = [
        f"{field}: {message}"
        for field, messages in error.details.items()
        if isinstance(messages, list)
        for message in messages
    ]
    return "; ".join(details) or str(error.message)


def _not_counted(standing: dict[str, Any]) -> str:
    parts = []
    if standing["pending_not_counted"]:
        parts.append(f"{standing['pending_not_counted']} pending applications")
    if standing["unknown_status_not_counted"]:
        parts.append(
            f"{standing['unknown_status_not_counted']} invention patents of unknown legal status"
        )
    if not parts:
        return ""
    return f"  not counted under the counting rules: {' and '.join(parts)}\n"


def _text(action: str, body: Any) -> str:
    if action == "list":
        if not body:
            return "no portfolios\n"
        return "".join(
            f"{p['id']:>5}  {p['name']}  ({p['basis']}, {p['size']} patents, "
            f"{p['organization']}){'  [programme]' if p['in_programme'] else ''}\n"
            for p in body
        )
    if action in ("show", "create"):
        standing, composition = body["standing"], body["composition"]
        strength = body["strength"]["value"]
        return (
            f"{body['id']}  {body['name']} — {body['organization']['name']}\n"
            f"  {standing['sentence']}\n"
            f"{_not_counted(standing)}"
            f"  patents {composition['size']} in {composition['families']} families; "
            f"types {composition['types']}; status {composition['legal_status']}; "
            f"offices {composition['offices']}\n"
            f"  years of term left {composition['years_of_term_left']}; total score "
            f"({composition['score_purpose']}) {composition['total_score']}\n"
            f"  strength {'unknown' if strength is None else strength} "
            f"({body['strength']['families_without_citation_data']} of "
            f"{body['strength']['families']} families without citation data)\n"
        )
    if action == "programme":
        lines = [
            f"enrolled {body['enrolled']} of {body['target']}; "
            f"meeting the target {body['meeting_target']}"
        ]
        lines += [
            f"  {p['name']} ({p['key_field']}, {p['organization']}, since {p['since']}): "
            f"{p['standing']}"
            for p in body["portfolios"]
        ]
        return "\n".join(lines) + "\n"
    return json.dumps(body, ensure_ascii=False, default=str) + "\n"

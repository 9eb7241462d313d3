"""`ipops createorg` — register an organisation from the command line."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipcore.access import OrganizationKind, SizeClass
from ipops.accounts import services
from ipops.accounts.commandline import describe
from ipops.errors import ServiceError


class Command(BaseCommand):
    help = "Register an organisation; the credit code is checked (GB 32100-2015)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--kind", required=True, choices=[k.value for k in OrganizationKind])
        parser.add_argument("--uscc", required=True, help="unified social credit code")
        parser.add_argument("--division", default="310115", help="GB/T 2260 code (default Pudong)")
        parser.add_argument("--size", default="", choices=["", *(s.value for s in SizeClass)])
        parser.add_argument("--name-en", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organization = services.create_organization(
                actor=None,
                name=options["name"],
                kind=options["kind"],
                uscc=options["uscc"],
                division_code=options["division"],
                size_class=options["size"],
                name_en=options["name_en"],
                address=options["address"],
            )
        except ServiceError as error:
            raise CommandError(describe(error)) from error
        self.stdout.write(
            f"registered {organization.name} (id {organization.pk}, {organization.uscc})"
        )

"""`ipops createuser` — open an account from the command line."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipops.accounts import services
from ipops.accounts.models import Organization
from ipops.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Create an account in an organisation (given by credit code or id). The password is "
        "asked for, or read from standard input with --password-stdin."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organization", "--org", help="credit code (USCC) or id")
        parser.add_argument("--email", default="")
        parser.add_argument("--display-name", default="")
        parser.add_argument(
            "--superuser", action="store_true", help="an operator account outside any organisation"
        )
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = _organization(options["organization"]) if options["organization"] else None
        password = _read_password(options["password_stdin"])
        try:
            user = services.create_user(
                actor=None,
                username=options["username"],
                password=password,
                organization=organization,
                email=options["email"],
                display_name=options["display_name"],
                is_superuser=options["superuser"],
            )
        except ServiceError as error:
            raise CommandError(describe(error)) from error
        self.stdout.write(f"created account {user.username} (role: {user.role.value})")


def _organization(reference: str) -> Organization:
    query = Organization.objects.filter(uscc=reference.strip().upper())
    if reference.isdigit():
        query = query | Organization.objects.filter(pk=int(reference))
    organization = query.first()
    if organization is None:
        raise CommandError(f"no organisation with credit code or id {reference!r}")
    return organization


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("the two passwords differ")
    return first


def describe(error: ServiceError) -> str:
    lines = [str(error.message)]
    lines += [
        f"  {field}: {'; '.join(map(str, messages))}" for field, messages in error.details.items()
    ]
    return "\n".join(lines)

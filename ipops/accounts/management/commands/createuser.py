"""`ipops createuser` — open an account from the command line."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipops.accounts import services
from ipops.accounts.commandline import describe, organization_from
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
        reference = options["organization"]
        organization = organization_from(reference) if reference else None
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



def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("the two passwords differ")
    return first


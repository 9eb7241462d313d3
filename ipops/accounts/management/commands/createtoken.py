"""`ipops createtoken` — issue an API token for an account and print it once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipops.accounts import services
from ipops.accounts.commandline import describe
from ipops.accounts.models import User
from ipops.errors import ServiceError


class Command(BaseCommand):
    help = "Issue an API token for an account; the secret is printed once and never stored."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=None, help="expire after this many days")

    def handle(
        self, *args: Any, username: str, name: str, days: int | None, **options: Any
    ) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account {username!r}")
        try:
            _token, secret = services.create_api_token(actor=user, name=name, expires_in_days=days)
        except ServiceError as error:
            raise CommandError(describe(error)) from error
        self.stdout.write(secret)

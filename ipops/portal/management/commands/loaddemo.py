"""`ipops loaddemo` — demo organisations and accounts (later: the demo patent corpus)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ipops.accounts.demo import DEMO_ORGANIZATIONS, demo_username, load_demo_accounts


class Command(BaseCommand):
    help = "Load demo organisations and one demo account per role. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo_accounts()
        for line in created:
            self.stdout.write(f"created {line}")
        if not created:
            self.stdout.write("demo data already loaded; nothing to do")
        names = ", ".join(demo_username(demo.key) for demo in DEMO_ORGANIZATIONS)
        self.stdout.write(f"demo accounts: {names} (password: {settings.IPOPS_DEMO_PASSWORD})")

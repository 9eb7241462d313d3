"""`ipops withdraw_lapsed` — withdraw open listings whose patents are no longer in force."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ipops.market import services


class Command(BaseCommand):
    help = (
        "Withdraw every open market listing with a patent that is no longer in force "
        "(lapsed, expired, invalidated …) on today's date, telling its owner. The background "
        "worker does it after every import; run it daily for patents that expire on a date."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.withdraw_lapsed_listings(actor=None)
        self.stdout.write(f"withdrew {count} listing(s) with a patent no longer in force")

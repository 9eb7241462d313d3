"""`ipops loaddemo` — demo organisations and accounts, the demo patent corpus and the demo work
(listings, a deal, a pledge, a portfolio, a dataset and a project: `ipops.portal.demo`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ipops.accounts.demo import DEMO_ORGANIZATIONS, demo_username, load_demo_accounts
from ipops.corpus.demo import load_demo_corpus
from ipops.portal.demo import load_demo_workflows


class Command(BaseCommand):
    help = (
        "Load demo organisations, one demo account per role, and the demo patent corpus "
        "(real public patents under demo/corpus). Safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-corpus", action="store_true", help="accounts only")

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo_accounts()
        for line in created:
            self.stdout.write(f"created {line}")
        if not created:
            self.stdout.write("demo data already loaded; nothing to do")
        if not options["no_corpus"]:
            for summary in load_demo_corpus():
                self.stdout.write(
                    f"corpus {summary.path.rsplit('/', 1)[-1]}: {summary.inserted} new, "
                    f"{summary.updated} updated, {summary.unchanged} unchanged, "
                    f"{summary.rejected} rejected"
                )
            self._index()
            for line in load_demo_workflows():
                self.stdout.write(f"demo work: {line}")
        names = ", ".join(demo_username(demo.key) for demo in DEMO_ORGANIZATIONS)
        self.stdout.write(f"demo accounts: {names} (password: {settings.IPOPS_DEMO_PASSWORD})")

    def _index(self) -> None:
        from ipops.search.services import catch_up

        summary = catch_up()
        if summary is None:
            self.stdout.write("search index busy: the background indexer will catch up")
        else:
            self.stdout.write(f"search index: {summary.documents:,} documents")

"""`ipops resolve-entities` — re-cluster the corpus's applicant names into organisations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ipops.corpus.services import resolve_entities


class Command(BaseCommand):
    help = (
        "Re-cluster every applicant/owner name in the corpus (ipcore.names), honouring the "
        "merge/split decisions people recorded. Run after large imports."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = resolve_entities(actor=None)
        self.stdout.write(
            f"{summary.names} distinct names → {summary.entities_after} organisations "
            f"(was {summary.entities_before}); {summary.merged_keys} names merged into another; "
            f"{summary.refused_links} links refused by decisions"
        )

"""`ipops search QUERY` — the search page on the command line."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipops.errors import ServiceError
from ipops.search import queries
from ipops.search.engine import SearchRequest, Sort, Strategy


class Command(BaseCommand):
    help = (
        "Search the patent corpus with the query language, e.g. "
        "ipops search 'TI=(锂电池 AND 正极) AND AD>=2020'. Prints the parsed query, the total "
        "and the top results; --json for scripts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "query", nargs="?", default="", help="a query (see the search page's field help)"
        )
        parser.add_argument("--limit", type=int, default=20, help="results to show (max 100)")
        parser.add_argument("--sort", choices=[s.value for s in Sort], default=Sort.RELEVANCE.value)
        parser.add_argument(
            "--stemmed", action="store_true", help="English words match their other forms"
        )
        parser.add_argument("--facets", action="store_true", help="also print facet counts")
        how = parser.add_mutually_exclusive_group()
        how.add_argument(
            "--semantic",
            action="store_true",
            help="QUERY is a description in any language; rank by meaning",
        )
        how.add_argument("--hybrid", action="store_true", help="rank by words and meaning together")
        how.add_argument("--like", type=int, metavar="ID", help="patents like patent ID")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        request = SearchRequest(
            query=options["query"],
            sort=Sort(options["sort"]),
            page_size=max(1, min(options["limit"], 100)),
            facets=options["facets"] or options["json"],
            stemmed=options["stemmed"],
            strategy=Strategy.SEMANTIC
            if options["semantic"]
            else Strategy.HYBRID
            if options["hybrid"]
            else Strategy.KEYWORD,
            like=options["like"],
        )
        if not request.query and request.like is None:
            raise CommandError("give a query, or --like ID")
        try:
            page = queries.search_patents(AnonymousUser(), request)
        except ServiceError as error:
            raise CommandError(str(error.message)) from error
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(page), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"query: {page.parsed or page.explained}")
        self.stdout.write(f"total: {page.total:,}")
        for rank, row in enumerate(page.rows, start=1):
            patent = row.patent
            self.stdout.write(
                f"{rank:>3}. {patent.number:<18} {patent.title[:70]}  [{patent.first_owner[:30]}]"
            )
        if options["facets"]:
            for group in page.facets:
                values = ", ".join(f"{v.label} {v.count}" for v in group.values[:8])
                self.stdout.write(f"{group.label}: {values}")


def _as_json(page: queries.SearchPage) -> dict[str, Any]:
    return {
        "query": page.query,
        "parsed": page.parsed,
        "total": page.total,
        "results": [
            {
                "id": row.patent.id,
                "number": row.patent.number,
                "title": row.patent.title,
                "owner": row.patent.first_owner,
                "office": row.patent.office,
                "application_date": row.patent.application_date.isoformat()
                if row.patent.application_date
                else None,
                "score": round(row.score, 4),
            }
            for row in page.rows
        ],
        "facets": {
            group.name: [
                {"value": v.value, "label": v.label, "count": v.count} for v in group.values
            ]
            for group in page.facets
        },
        "next_cursor": page.next_cursor,
    }

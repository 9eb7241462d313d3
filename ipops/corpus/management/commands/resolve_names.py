"""`ipops resolve-names` — cluster organisation names in a CSV (mention_id,organization)."""

from __future__ import annotations

import csv
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipcore.names import cluster_names

REQUIRED = ("mention_id", "organization")


class Command(BaseCommand):
    help = (
        "Read INPUT.csv with columns mention_id,organization and write it back with a "
        "cluster_id column: mentions of one organisation share a cluster id (ipcore.names)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, input: Path, out: Path, **options: Any) -> None:
        rows = _read(input)
        clusters = cluster_names({row["mention_id"]: row["organization"] for row in rows})
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(
                handle,
                fieldnames=[*rows[0].keys(), "cluster_id"] if rows else [*REQUIRED, "cluster_id"],
            )
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "cluster_id": clusters[row["mention_id"]]})
        self.stdout.write(f"{len(rows)} mentions, {len(set(clusters.values()))} clusters → {out}")


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if row["mention_id"] in seen:
            raise CommandError(f"{path}, line {number}: mention_id {row['mention_id']!r} repeats")
        seen.add(row["mention_id"])
    return rows

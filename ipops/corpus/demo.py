"""The demo corpus: real public patents committed under demo/corpus, imported by `ipops loaddemo`.

Importing is idempotent (unchanged records are skipped), so a second `make run` is fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ipops.corpus.services import IngestSummary, ingest_file, resolve_entities

DEMO_DIR = Path(settings.BASE_DIR) / "demo" / "corpus"


@dataclass(frozen=True)
class DemoFile:
    pattern: str
    format_name: str
    source_name: str


DEMO_FILES = (
    DemoFile("pv-patents-us-sample.parquet", "patentsview", "patentsview"),
    DemoFile("lens-drones-sample.csv.gz", "lens", "lens"),
    DemoFile("cn-titles-sample.csv.gz", "cn-titles", "cn-titles"),
    DemoFile("xml/cnipa/*.xml", "cnipa-xml", "cnipa-xml"),
    DemoFile("xml/uspto/*.xml", "uspto-xml", "uspto-xml"),
    DemoFile("xml/epo/*.xml", "epo-xml", "epo-xml"),
)


def demo_files() -> Iterator[tuple[Path, DemoFile]]:
    for demo in DEMO_FILES:
        for path in sorted(DEMO_DIR.glob(demo.pattern)):
            yield path, demo


def load_demo_corpus() -> list[IngestSummary]:
    summaries = [
        ingest_file(
            actor=None, path=path, format_name=demo.format_name, source_name=demo.source_name,
            rejects_dir=Path(settings.DATA_DIR) / "rejects",
        )
        for path, demo in demo_files()
    ]
    if any(s.inserted or s.updated for s in summaries):
        resolve_entities(actor=None)
    return summaries

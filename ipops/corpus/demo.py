"""The demo corpus: real public patents committed under demo/corpus, imported by `ipops loaddemo`.

Importing is idempotent (unchanged records are skipped), so a second `make run` is fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ipops.corpus.models import IngestRun
from ipops.corpus.services import IngestSummary, file_sha256, ingest_file, resolve_entities

ROOT = Path(settings.BASE_DIR)
# The XML samples are the importers' test files (real documents, provenance beside them);
# the demo imports them in place rather than keeping a second copy.
XML_SAMPLES = "ipcore/tests/fixtures/formats/xml"


@dataclass(frozen=True)
class DemoFile:
    pattern: str
    format_name: str
    source_name: str


DEMO_FILES = (
    DemoFile("demo/corpus/pv-patents-us-sample.parquet", "patentsview", "patentsview"),
    DemoFile("demo/corpus/lens-drones-sample.csv.gz", "lens", "lens"),
    DemoFile("demo/corpus/cn-titles-sample.csv.gz", "cn-titles", "cn-titles"),
    DemoFile(f"{XML_SAMPLES}/cn_*.xml", "cnipa-xml", "cnipa-xml"),
    DemoFile(f"{XML_SAMPLES}/CN*.XML", "cnipa-xml", "cnipa-xml"),
    DemoFile(f"{XML_SAMPLES}/US0*.xml", "uspto-xml", "uspto-xml"),
    DemoFile(f"{XML_SAMPLES}/US2*.xml", "uspto-xml", "uspto-xml"),
    DemoFile(f"{XML_SAMPLES}/v1-5-1-B2.xml", "epo-xml", "epo-xml"),
    DemoFile(f"{XML_SAMPLES}/biblio_example_3.xml", "epo-xml", "epo-xml"),
    DemoFile(f"{XML_SAMPLES}/full_cycle_example.xml", "epo-xml", "epo-xml"),
    DemoFile(f"{XML_SAMPLES}/WO-*.xml", "epo-xml", "epo-xml"),
)


def demo_files() -> Iterator[tuple[Path, DemoFile]]:
    for demo in DEMO_FILES:
        for path in sorted(ROOT.glob(demo.pattern)):
            yield path, demo


def load_demo_corpus() -> list[IngestSummary]:
    """Import every demo file not imported yet (a finished run of the same content)."""
    summaries = [
        ingest_file(
            actor=None,
            path=path,
            format_name=demo.format_name,
            source_name=demo.source_name,
            rejects_dir=Path(settings.DATA_DIR) / "rejects",
        )
        for path, demo in demo_files()
        if not _already_imported(path)
    ]
    if any(s.inserted or s.updated for s in summaries):
        resolve_entities(actor=None)
    return summaries


def _already_imported(path: Path) -> bool:
    finished = IngestRun.objects.filter(status=IngestRun.Status.FINISHED)
    return finished.filter(file_sha256=file_sha256(path)).exists()

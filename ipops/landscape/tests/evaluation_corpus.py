"""A small real corpus for the analysis-evaluation tests, cut from the committed demo files
(demo/corpus, see its PROVENANCE.md): drone patents of CN, US and EP from the Lens.org export,
Chinese drone titles from the CNIPA title sample (no dates: their standing is unknown), and
four US grants from PatentsView with abstracts. Imported through the real importers, indexed
and (when asked) embedded.
"""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.conf import settings

from ipops.corpus.models import Patent
from ipops.corpus.services import ingest_file
from ipops.search import embedder, semantic
from ipops.search import services as search_services

DEMO = Path(settings.BASE_DIR) / "demo" / "corpus"
DRONE = re.compile(r"\b(drone|unmanned aerial|uav)s?\b", re.IGNORECASE)
# Per office and kind, how many drone rows of the Lens export to keep (in file order).
LENS_KEEP = {
    ("CN", "B"): 10,
    ("CN", "C"): 2,
    ("CN", "U"): 12,
    ("CN", "Y"): 4,
    ("CN", "A"): 14,
    ("US", "A"): 21,
    ("US", "A1"): 22,
    ("EP", "B1"): 3,
    ("EP", "A1"): 10,
    ("EP", "A2"): 4,
}
CN_TITLES = {"CN215554158U", "CN216036517U", "CN111994302B"}  # 无人机, without dates
# US grants with abstracts: a drone with folding propeller arms, and three battery patents.
PATENTSVIEW = {"10870478", "10935387", "11235680", "9748614"}


def _lens(folder: Path) -> Path:
    with gzip.open(DEMO / "lens-drones-sample.csv.gz", "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        taken: dict[tuple[str, str], int] = {}
        rows = []
        for row in reader:
            key = (row["Jurisdiction"], row["Kind"])
            if DRONE.search(row["Title"]) and taken.get(key, 0) < LENS_KEEP.get(key, 0):
                taken[key] = taken.get(key, 0) + 1
                rows.append(row)
    path = folder / "lens-drones.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _cn_titles(folder: Path) -> Path:
    with gzip.open(DEMO / "cn-titles-sample.csv.gz", "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        rows = [row for row in reader if row["publication_number"] in CN_TITLES]
    path = folder / "cn-titles.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _patentsview(folder: Path) -> Path:
    table = pq.read_table(DEMO / "pv-patents-us-sample.parquet")
    ids = pa.array(sorted(PATENTSVIEW), pa.string())
    wanted = pc.is_in(table["patent_id"].cast("string"), value_set=ids)
    path = folder / "pv.parquet"
    pq.write_table(table.filter(wanted), path)
    return path


# Embedding is deterministic and the slowest step (about 10 s for this cut on 2 busy cores):
# the tests of one process embed each text once.
_VECTORS: dict[str, Any] = {}


def _embed_once(texts: list[str]) -> Any:
    missing = [text for text in dict.fromkeys(texts) if text not in _VECTORS]
    if missing:
        _VECTORS.update(zip(missing, embedder.embed_passages(missing), strict=True))
    return np.vstack([_VECTORS[text] for text in texts])


def load_evaluation_corpus(
    folder: Path, *, embed: bool = True, monkeypatch: pytest.MonkeyPatch | None = None
) -> dict[str, int]:
    """Import the cut, build the search index (and the vectors: with ``monkeypatch``, each
    text is embedded once per test process); patent ids by number as shown
    (``US10870478B2``, ``CN102771201B``)."""
    for path, name in (
        (_lens(folder), "lens"),
        (_cn_titles(folder), "cn-titles"),
        (_patentsview(folder), "patentsview"),
    ):
        ingest_file(actor=None, path=path, format_name=name, rejects_dir=folder)
    search_services.apply_pending_changes()
    if embed:
        if monkeypatch is not None:
            monkeypatch.setattr(semantic, "embed_passages", _embed_once)
        semantic.embed_pending()
    return {patent.display_number: patent.pk for patent in Patent.objects.all()}

"""Landscape reports: the metric set computed over a dataset on one backend, and its files.

Reading only: a report is computed from facts that services wrote (a dataset) or that a
snapshot holds. Every surface — the report page, `ipops landscape`, the API — calls
:func:`dataset_report` or :func:`snapshot_report` and renders what it returns.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from django.utils import timezone
from django.utils.translation import gettext as _

from ipcore.landscape.metrics import METRICS, MetricParams, Progress, Step, compute_all
from ipcore.landscape.results import MetricResult, Report, as_json
from ipcore.landscape.schema import Tables
from ipcore.landscape.topics import section as topics
from ipops.corpus import queries as corpus
from ipops.errors import InvalidInput
from ipops.landscape.backends import (
    Backend,
    Snapshot,
    database_tables,
    snapshot_tables,
    snapshot_vectors,
)
from ipops.landscape.models import Dataset
from ipops.search import queries as search

FORMATS: Final = ("html", "xlsx", "json", "pdf", "docx")
# PDF and DOCX are drawn by Chromium (rendering/browser.py); the others need no browser.
BROWSER_FORMATS: Final = frozenset({"pdf", "docx"})
# Patents beyond which the report page and its files are not made while a person waits
# but by a report task with its progress (the metrics of 18,939 patents take 0.75-1.1 s on
# SQLite, 0.5-0.9 s on PostgreSQL, the topic clusters and the file more: bench/README.md,
# "landscape.py").
INLINE_LIMIT: Final = 50_000
# Every section of a report, in order: the metrics, then the topic clusters.
SECTIONS: Final = (*METRICS, topics.NAME)


def compute_report(
    tables: Tables,
    *,
    title: str,
    query: str,
    size: int,
    as_of: dt.date,
    backend: Backend,
    vectors: topics.VectorSource | None = None,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """The report's metrics and, where ``vectors`` can be read, its topic clusters
    (``names`` picks sections of :data:`SECTIONS`; all by default)."""
    wanted = list(SECTIONS if names is None else names)
    metrics = [name for name in wanted if name != topics.NAME]
    clusters = vectors is not None and topics.NAME in wanted
    total = len(metrics) + clusters

    def heard(number: int, _total: int, step: Step) -> None:
        if progress is not None:
            progress(number, total, step)

    params = MetricParams(as_of=as_of)
    results: list[MetricResult] = list(compute_all(tables, params, names=metrics, progress=heard))
    if clusters and vectors is not None:
        heard(total, total, topics.STEP)
        results.append(
            topics.topic_clusters(tables, vectors, params, numbers=corpus.display_numbers)
        )
    return Report(
        title=title,
        query=query,
        size=size,
        as_of=as_of,
        generated_at=timezone.now(),
        backend=backend.value,
        results=tuple(results),
    )


def database_vectors(patent_ids: Sequence[int]) -> topics.PatentVectors:
    """The patents' vectors from the search app, centred as its vector index holds them."""
    found = search.centred_vectors(patent_ids)
    return topics.PatentVectors(found.ids, found.vectors)


def dataset_report(
    dataset: Dataset,
    *,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """A dataset's report on the live database (the caller has checked access)."""
    return compute_report(
        database_tables(dataset.pk),
        title=dataset.name,
        query=dataset.query,
        size=dataset.size,
        as_of=dataset.as_of,
        backend=Backend.DB,
        vectors=database_vectors,
        names=names,
        progress=progress,
    )


def snapshot_report(
    snapshot: Snapshot,
    patent_ids: Sequence[int] | None,
    *,
    backend: Backend,
    title: str,
    query: str,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """A report over a Parquet snapshot on DuckDB or Spark: the whole snapshot, or the
    patents given (those missing from the snapshot are simply absent)."""
    tables = snapshot_tables(snapshot, patent_ids, backend=backend)
    size = int(tables.patents.count().to_pyarrow().as_py())
    return compute_report(
        tables,
        title=title,
        query=query,
        size=size,
        as_of=dt.date.fromisoformat(snapshot.as_of),
        backend=backend,
        vectors=snapshot_vectors(snapshot),
        names=names,
        progress=progress,
    )


def report_format(path: Path) -> str:
    """The format a file name asks for; InvalidInput for one reports are not written in."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInput(
            _("Reports are written as %(formats)s, not .%(suffix)s.")
            % {"formats": ", ".join(f".{f}" for f in FORMATS), "suffix": suffix},
            code="report_format",
        )
    return suffix


def write_report(report: Report, path: Path, *, language: str = "zh-hans") -> None:
    """Write the report as the file its suffix names (.html, .xlsx, .json, .pdf or .docx),
    whole or not at all: into ``NAME.partial`` beside it, renamed when complete."""
    suffix = report_format(path)
    partial = path.with_name(path.name + ".partial")
    try:
        _write(report, suffix, partial, language)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _write(report: Report, suffix: str, path: Path, language: str) -> None:
    if suffix == "json":
        path.write_text(report_text(report), encoding="utf-8")
    elif suffix == "html":
        from ipops.landscape.rendering.html import render_html

        path.write_text(render_html(report, language=language, standalone=True), encoding="utf-8")
    elif suffix == "xlsx":
        from ipops.landscape.rendering.xlsx import write_xlsx

        write_xlsx(report, path, language=language)
    elif suffix == "pdf":
        from ipops.landscape.rendering.pdf import write_pdf

        write_pdf(report, path, language=language)
    else:
        from ipops.landscape.rendering.docx import write_docx

        write_docx(report, path, language=language)


def check_can_write(suffix: str) -> None:
    """Before the work, not after it: BrowserUnavailable for a PDF or DOCX where no Chromium
    can draw it."""
    if suffix in BROWSER_FORMATS:
        from ipops.landscape.rendering.browser import chromium_executable

        chromium_executable()


def report_text(report: Report) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2)

"""数据质量 — how complete and clean the corpus is, per field and per source.

Read-only figures for the bureau's data-quality page and `ipops quality`: completeness of each
field per source, identifiers that failed their checks, applicant names not resolved to an
organisation, records merged across sources, and what the last import changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from ipops.corpus.models import IngestRun, Party, Patent, PatentText, Source

# Field → condition that it is filled. Keep in step with the quality page's column labels.
COMPLETENESS: dict[str, Q] = {
    "application_number": ~Q(application_number=""),
    "application_date": Q(application_date__isnull=False),
    "publication_number": ~Q(publication_number=""),
    "grant_date": Q(grant_date__isnull=False),
    "title": ~Q(title=""),
    "claims_count": Q(claims_count__isnull=False),
    "main_ipc": ~Q(main_ipc=""),
    "main_cpc": ~Q(main_cpc=""),
    "first_owner": ~Q(first_owner=""),
}


def field_label(name: str) -> str:
    """A completeness column's name in the reader's language (the model field's label)."""
    return str(getattr(Patent._meta.get_field(name), "verbose_name", name))


@dataclass(frozen=True)
class SourceCompleteness:
    source: str
    patents: int
    filled: dict[str, int]
    with_abstract: int

    def share(self, field: str) -> float:
        return self.filled[field] / self.patents if self.patents else 0.0


@dataclass(frozen=True)
class QualityReport:
    patents: int
    by_source: list[SourceCompleteness]
    invalid_identifiers: int
    warning_examples: list[tuple[str, list[str]]]
    parties_unresolved: int
    parties_resolved: int
    entities: int
    entities_with_several_names: int
    duplicates_in_files: int
    merged_across_sources: int
    last_run: IngestRun | None
    changed_by_last_run: list[Patent]


def completeness() -> list[SourceCompleteness]:
    aggregates = {name: Count("id", filter=condition) for name, condition in COMPLETENESS.items()}
    rows = Patent.objects.values("source__name").annotate(patents=Count("id"), **aggregates)
    abstracts = dict(
        PatentText.objects.filter(field="abstract")
        .values("patent__source__name")
        .annotate(n=Count("patent_id", distinct=True))
        .values_list("patent__source__name", "n")
    )
    return [_source_row(dict(row), abstracts) for row in rows.order_by("source__name")]


def _source_row(row: dict[str, Any], abstracts: dict[str, int]) -> SourceCompleteness:
    return SourceCompleteness(
        source=row["source__name"],
        patents=row["patents"],
        filled={name: row[name] for name in COMPLETENESS},
        with_abstract=abstracts.get(row["source__name"], 0),
    )


def quality_report() -> QualityReport:
    with_warnings = Patent.objects.exclude(warnings=[])
    owners = Party.objects.filter(role__in=["applicant", "owner"])
    several = Count("aliases", distinct=True)
    from ipops.corpus.models import Entity

    last_run = IngestRun.objects.select_related("source").first()
    totals = IngestRun.objects.aggregate(duplicates=Sum("duplicates"), merged=Sum("merged"))
    return QualityReport(
        patents=Patent.objects.count(),
        by_source=completeness(),
        invalid_identifiers=with_warnings.count(),
        warning_examples=[(p.key, p.warnings) for p in with_warnings.only("key", "warnings")[:10]],
        parties_unresolved=owners.filter(entity__isnull=True).count(),
        parties_resolved=owners.filter(entity__isnull=False).count(),
        entities=Entity.objects.count(),
        entities_with_several_names=Entity.objects.annotate(n=several).filter(n__gt=1).count(),
        duplicates_in_files=totals["duplicates"] or 0,
        merged_across_sources=totals["merged"] or 0,
        last_run=last_run,
        changed_by_last_run=changed_by(last_run),
    )


CHANGED_SHOWN = 20


def changed_by(run: IngestRun | None) -> list[Patent]:
    """Patents the run inserted or updated (the first few; the run's counters say how many)."""
    if run is None:
        return []
    fields = ("id", "key", "title", "office", "publication_number", "publication_kind")
    return list(Patent.objects.filter(ingest_run=run).only(*fields).order_by("key")[:CHANGED_SHOWN])


def sources() -> list[Source]:
    return list(Source.objects.annotate(n=Count("patents")).order_by("name"))


def as_dict(report: QualityReport) -> dict[str, Any]:
    """JSON-ready form for `ipops quality --json` and the API."""
    run = report.last_run
    return {
        "patents": report.patents,
        "completeness": [
            {"source": s.source, "patents": s.patents, "abstract": s.with_abstract, **s.filled}
            for s in report.by_source
        ],
        "invalid_identifiers": report.invalid_identifiers,
        "warning_examples": [{"key": k, "warnings": w} for k, w in report.warning_examples],
        "parties_resolved": report.parties_resolved,
        "parties_unresolved": report.parties_unresolved,
        "entities": report.entities,
        "entities_with_several_names": report.entities_with_several_names,
        "duplicates_in_files": report.duplicates_in_files,
        "merged_across_sources": report.merged_across_sources,
        "changed_by_last_import": [p.key for p in report.changed_by_last_run],
        "last_import": None
        if run is None
        else {
            "id": run.pk,
            "path": run.path,
            "format": run.format,
            "status": run.status,
            "read": run.read,
            "inserted": run.inserted,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "duplicates": run.duplicates,
            "merged": run.merged,
            "rejected": run.rejected,
            "started_at": run.started_at.isoformat(),
        },
    }

"""专利导航指标 — the landscape metrics, declared once and executed by Ibis on any backend.

Every metric is a :class:`Metric`: a typed spec with an Ibis expression builder over the
analytic tables (:mod:`ipcore.landscape.schema`) and a Python finishing step over the few
rows the engine returns. The same expressions run on SQLite, PostgreSQL, DuckDB and Spark:
only portable operations, no SQL text, no UDFs; each metric runs one aggregated query, and
one more query per report measures what the data covers (:class:`Coverage`). On DuckDB a
report also materialises the few small tables several metrics read alike (patents per
owner, rows per inventor, patents per field; see :func:`shared_tables`). Where the tables
allow it (``Tables.reuse``), each query's SQL is compiled once per process and reused by
later reports (``_compiled``).

Conventions every metric keeps:

* a patent is a distinct ``patent_id``; an owner is its resolved entity where there is one,
  else its name as printed; an inventor is a name;
* shares in rankings are of all patents in the dataset; in distributions, of the patents
  counted (the note says how many were left out);
* ties are broken by label in Python (code-point order), never by an engine's collation;
* where the data cannot answer, the result says so (``applicable=False`` with a sentence),
  never an empty chart or an exception;
* ``label_zh``/``label_en`` (or ``*_zh``/``*_en``) columns carry the display names of a code.

>>> import datetime as dt
>>> results = compute_all(tables, MetricParams(as_of=dt.date(2025, 6, 30)))  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Protocol

import ibis
from ibis.expr.schema import Schema

from ipcore.landscape import schema as schema_module
from ipcore.landscape.metrics._base import (
    COVERAGE_QUERY,
    Answer,
    Context,
    Coverage,
    Metric,
    MetricParams,
    Need,
    NotApplicable,
    Note,
    coverage_build,
    coverage_expression,
    field_counts,
    inventor_listings,
    measure_coverage,
    owner_counts,
)
from ipcore.landscape.metrics._compiled import (
    compile_ahead,
    compiled_count,
    compiling_afresh,
    forget_compiled,
    rows_of,
)
from ipcore.landscape.metrics._shared import SharedTables, shared_tables
from ipcore.landscape.metrics.activity import FILING_TREND, LIFE_CYCLE, NEWCOMERS
from ipcore.landscape.metrics.citations import CITATIONS, MOST_CITED
from ipcore.landscape.metrics.classification import (
    CLASSIFICATION_MIX,
    TECHNOLOGY_FIELDS,
    WHITE_SPACE,
    class_counts,
)
from ipcore.landscape.metrics.geography import (
    GEOGRAPHY_INVENTOR_COUNTRY,
    GEOGRAPHY_OFFICE,
    GEOGRAPHY_OWNER_COUNTRY,
    GEOGRAPHY_PROVINCE,
)
from ipcore.landscape.metrics.industries import KEY_FIELDS, SEI_CATEGORIES, SEI_INDUSTRIES
from ipcore.landscape.metrics.networks import CO_INVENTORS, CO_OWNERSHIP, co_owned
from ipcore.landscape.metrics.parties import (
    CONCENTRATION,
    OWNER_FIELD_MATRIX,
    OWNER_TREND,
    TOP_INVENTORS,
    TOP_OWNERS,
)
from ipcore.landscape.metrics.status import FAMILY_SIZE, LEGAL_STATUS, REMAINING_LIFE
from ipcore.landscape.results import MetricResult, Value
from ipcore.landscape.schema import Tables

__all__ = [
    "METRICS",
    "PREPARED",
    "Answer",
    "Context",
    "Coverage",
    "Metric",
    "MetricParams",
    "Need",
    "NotApplicable",
    "Note",
    "Progress",
    "SharedTables",
    "Step",
    "compile_all",
    "compiled_count",
    "compiling_afresh",
    "compute",
    "compute_all",
    "coverage_expression",
    "forget_compiled",
    "measure_coverage",
    "metric_named",
    "prepared_schema",
    "prepared_version",
    "shared_tables",
]

METRICS: Final[Mapping[str, Metric]] = MappingProxyType(
    {
        metric.name: metric
        for metric in (
            FILING_TREND,
            TOP_OWNERS,
            OWNER_TREND,
            CONCENTRATION,
            *CLASSIFICATION_MIX,
            TECHNOLOGY_FIELDS,
            SEI_INDUSTRIES,
            SEI_CATEGORIES,
            KEY_FIELDS,
            GEOGRAPHY_OFFICE,
            GEOGRAPHY_OWNER_COUNTRY,
            GEOGRAPHY_INVENTOR_COUNTRY,
            GEOGRAPHY_PROVINCE,
            NEWCOMERS,
            OWNER_FIELD_MATRIX,
            CO_OWNERSHIP,
            CO_INVENTORS,
            TOP_INVENTORS,
            LEGAL_STATUS,
            REMAINING_LIFE,
            FAMILY_SIZE,
            CITATIONS,
            MOST_CITED,
            LIFE_CYCLE,
            WHITE_SPACE,
        )
    }
)
"""Every metric by name, in the order a report shows them."""


PREPARED: Final[Mapping[str, Callable[[Tables], ibis.Table]]] = MappingProxyType(
    {
        "coverage": coverage_expression,
        "owner_counts": owner_counts,
        "inventor_listings": inventor_listings,
        "field_counts": field_counts,
        "class_counts": class_counts,
        "co_owned": co_owned,
    }
)
"""What a snapshot writes beside its tables (``Tables.prepared``), by name: the coverage and
the tables several metrics derive alike, each by the function the metrics call. A report
over the whole snapshot reads them instead of deriving them (on 1.43M patents the coverage
alone took 0.95 s, the four classification levels 2.1 s)."""


@functools.cache
def prepared_version() -> str:
    """What prepared tables depend on: the source of the metrics and of the schema. A
    snapshot's or a dataset's prepared tables are read only while this is the same as when
    they were written (otherwise the metrics derive them, as for any other tables). Read once
    per process: the code does not change under it."""
    digest = hashlib.sha256()
    for path in [*sorted(Path(__file__).parent.glob("*.py")), Path(schema_module.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def prepared_schema(name: str) -> Schema:
    """The schema of the prepared table ``name`` (:data:`PREPARED`): the schema of what its
    function derives from tables of the analytic schema, worked out once per process (Ibis
    builds the expression to tell)."""
    tables = Tables(
        **{table: ibis.table(schema, name=table) for table, schema in schema_module.SCHEMAS.items()}
    )
    return PREPARED[name](tables).schema()


def metric_named(name: str) -> Metric:
    """The metric called ``name``; an unknown name raises ``KeyError`` listing the known."""
    try:
        return METRICS[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(METRICS)}") from None


def compute(
    metric: Metric | str,
    tables: Tables,
    params: MetricParams,
    *,
    coverage: Coverage | None = None,
) -> MetricResult:
    """Run one metric on the tables' backend.

    ``coverage`` (from :func:`measure_coverage`) is measured when not given; pass it to run
    several metrics over one dataset without measuring it again.
    """
    spec = metric_named(metric) if isinstance(metric, str) else metric
    known = measure_coverage(tables) if coverage is None else coverage
    reason = spec.missing(known)
    if reason is None:
        build = functools.partial(spec.build, tables, params)  # built where not compiled yet
        rows = rows_of(spec.name, build, tables, spec.query_params(params))
        outcome = spec.finish(rows, Context(params=params, coverage=known))
    else:
        outcome = NotApplicable(reason)
    return _result(spec, outcome)


class Step(Protocol):
    """What a progress callback is told of the step starting: a :class:`Metric`, or a report
    section computed beside the metrics (``ipcore.landscape.topics.section``)."""

    @property
    def name(self) -> str: ...

    @property
    def title_zh(self) -> str: ...

    @property
    def title_en(self) -> str: ...


Progress = Callable[[int, int, Step], None]
"""Told ``(number, total, step)`` as each metric starts (1-based): a long report's progress."""


def compute_all(
    tables: Tables,
    params: MetricParams,
    names: Iterable[str] | None = None,
    *,
    progress: Progress | None = None,
) -> tuple[MetricResult, ...]:
    """Run the named metrics (every metric, in report order, by default) over one dataset,
    measuring its coverage once and deriving once what several metrics read alike
    (:func:`shared_tables`); ``progress`` hears of each metric as it starts."""
    specs = [metric_named(name) for name in names] if names is not None else list(METRICS.values())
    results = []
    with shared_tables(tables) as shared:
        coverage = measure_coverage(shared)
        for number, spec in enumerate(specs, start=1):
            if progress is not None:
                progress(number, len(specs), spec)
            results.append(compute(spec, shared, params, coverage=coverage))
    return tuple(results)


def compile_all(tables: Tables, params: MetricParams, names: Iterable[str] | None = None) -> int:
    """Compile the coverage and the named metrics (every metric by default) over ``tables``
    and keep their SQL as :func:`compute_all` would, running none of it (only the tables a
    report shares are made, empty where the tables are), so that a new process's first
    report runs as fast as its later ones: building and compiling is most of that first
    report's time (bench/README.md). Returns how many queries are kept."""
    specs = [metric_named(name) for name in names] if names is not None else list(METRICS.values())
    kept = 0
    with shared_tables(tables) as shared:
        kept += compile_ahead(COVERAGE_QUERY, coverage_build(shared), shared, None)
        for spec in specs:
            build = functools.partial(spec.build, shared, params)
            kept += compile_ahead(spec.name, build, shared, spec.query_params(params))
    return kept


def _result(spec: Metric, outcome: Answer | NotApplicable) -> MetricResult:
    if isinstance(outcome, NotApplicable):
        rows: tuple[tuple[Value, ...], ...] = ()
        notes: tuple[Note, ...] = (outcome.note,)
        extras: dict[str, Any] = {}
    else:
        rows, notes, extras = outcome.rows, outcome.notes, dict(outcome.extras)
    return MetricResult(
        name=spec.name,
        title_zh=spec.title_zh,
        title_en=spec.title_en,
        shape=spec.shape,
        columns=spec.columns,
        rows=rows,
        applicable=not isinstance(outcome, NotApplicable),
        note_zh="".join(note.zh for note in notes),
        note_en=" ".join(note.en for note in notes),
        extras=extras,
    )

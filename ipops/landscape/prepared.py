"""A dataset's prepared tables in the live database: what every report of the dataset derives
alike from its facts (``ipcore.landscape.metrics.PREPARED``: the coverage, patents per owner,
rows per inventor, patents per field and per classification code, the co-owned patents),
derived once by the metrics' own code when the facts are written and stored as
:class:`PreparedRow` rows.

A snapshot does the same in its ``facts.duckdb``. A dataset is frozen too: its facts change
only when patents are excluded or included by hand, and the rows are written again then, in
the same transaction as the facts. Measured on an 18,939-patent dataset on SQLite
(bench/README.md, "landscape.py"): deriving them took 0.48 s of a 1.3 s report, of which the
one pass over the classification rows 0.33 s; reading them takes milliseconds, and writing
them adds about 0.9 s to the 19 s freezing.

Rows are read only while the metrics' code is the code that wrote them
(``Dataset.prepared_version``); after an upgrade that changes a metric, reports derive the
tables as before until :func:`write_prepared` runs again (a report task does so first).
"""

from __future__ import annotations

import re
from typing import Final

import ibis
from django.db import connection
from ibis.expr.schema import Schema

from ipcore.landscape.metrics import (
    PREPARED,
    measure_coverage,
    prepared_schema,
    prepared_version,
)
from ipcore.landscape.schema import Tables, typed
from ipops.landscape.models import Dataset, PreparedRow

COVERAGE: Final = "coverage"
"""The one prepared table with a single row: stored a row per measure (``key``)."""

_LEVEL: Final = "level"
_PLAIN_NAME: Final = re.compile(r"[a-z_]+")


def is_current(dataset: Dataset) -> bool:
    """Whether the dataset's prepared rows were written by the metrics' code as it is."""
    return dataset.prepared_version == prepared_version()


def write_prepared(dataset: Dataset, facts: Tables) -> None:
    """Write the dataset's prepared rows afresh from ``facts`` (its tables as
    ``database_tables`` binds them, without prepared tables), in the caller's transaction."""
    PreparedRow.objects.filter(dataset=dataset).delete()
    for name, derive in PREPARED.items():
        if name == COVERAGE:
            _write_coverage(dataset, facts)
        else:
            _insert_counts(dataset, name, derive(facts))
    dataset.prepared_version = prepared_version()
    Dataset.objects.filter(pk=dataset.pk).update(prepared_version=dataset.prepared_version)


def _write_coverage(dataset: Dataset, facts: Tables) -> None:
    coverage = measure_coverage(facts)
    PreparedRow.objects.bulk_create(
        PreparedRow(dataset=dataset, table=COVERAGE, key=measure, patents=value)
        for measure, value in vars(coverage).items()
    )


def _insert_counts(dataset: Dataset, name: str, derived: ibis.Table) -> None:
    """``INSERT … SELECT`` of a count table (:func:`_count_columns`): the rows never leave
    the database (an inventor table holds a row per inventor)."""
    if not _PLAIN_NAME.fullmatch(name):  # PREPARED's own names, written into the statement
        raise ValueError(f"not a prepared table's name: {name!r}")
    key, count, level = _count_columns(name, derived.schema())
    quote = connection.ops.quote_name
    select = derived.get_backend().compile(derived)
    level_value = quote(level) if level else "NULL"
    # Identifiers quoted by the database's own rules; the name is checked above, the key,
    # count and level are the derived table's column names, the SELECT is compiled by Ibis.
    statement = (
        f"INSERT INTO {quote(PreparedRow._meta.db_table)} "  # noqa: S608
        f"({quote('dataset_id')}, {quote('table')}, {quote('level')}, {quote('key')}, "
        f"{quote('patents')}) "
        f"SELECT {int(dataset.pk)}, '{name}', {level_value}, CAST({quote(key)} AS TEXT), "
        f"{quote(count)} FROM ({select}) AS derived"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement)  # no parameters: the SQL's own % signs stay as they are


def _count_columns(name: str, schema: Schema) -> tuple[str, str, str | None]:
    """The key, count and level (None where there is none) columns of a prepared count
    table: a key, then an integer count, then perhaps ``level``."""
    columns = list(schema.names)
    rest = columns[2:]
    if len(columns) < 2 or not schema[columns[1]].is_integer() or rest not in ([], [_LEVEL]):
        raise ValueError(f"prepared table {name!r} is not a count table: {columns}")
    return columns[0], columns[1], _LEVEL if rest else None


def prepared_tables(backend: ibis.BaseBackend, dataset_id: int) -> dict[str, ibis.Table]:
    """The dataset's prepared tables as Ibis tables of ``backend`` (the caller has checked
    :func:`is_current`), each with the schema the metrics' own derivation has
    (``prepared_schema``), so a metric reads one where it would derive the other."""
    stored = backend.table(PreparedRow._meta.db_table)
    rows = stored.filter(stored.dataset_id == dataset_id)
    tables: dict[str, ibis.Table] = {}
    for name in PREPARED:
        mine = rows.filter(rows.table == name)
        schema = prepared_schema(name)
        if name == COVERAGE:
            tables[name] = mine.aggregate(
                **{
                    measure: mine.patents.max(where=mine.key == measure).cast(kind)
                    for measure, kind in schema.items()
                }
            )
        else:
            key, count, level = _count_columns(name, schema)
            stored_as = {key: "key", count: "patents", **({level: "level"} if level else {})}
            tables[name] = mine.select(
                **{column: typed(mine[stored_as[column]], kind) for column, kind in schema.items()}
            )
    return tables


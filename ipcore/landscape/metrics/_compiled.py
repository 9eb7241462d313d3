"""A metric's SQL, compiled once per process and reused by every later report.

Building a metric's Ibis expression and compiling it to SQL costs 5 to 40 ms in Python, more
than most of a report's queries take to run: about 0.7 s of a report's 29 queries whatever
the data (bench/README.md, "landscape.py"). Where the tables say how their SQL may be
reused (:class:`~ipcore.landscape.schema.Reuse`), the SQL compiled for a metric is kept,
keyed by the binding's ``key``, the metric and its parameters, and later reports run it
straight on the engine's connection, converting the rows as Ibis would. On an engine
without a runner here (Spark), or tables without ``reuse``, every query is built and
compiled as before.

Derived tables a report materialises (``_shared``) have fixed names, so the SQL reading
them is reusable too; a report served from the cache still materialises the ones its SQL
reads, in the order the first build asked for them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import ibis
import pyarrow as pa
from ibis.expr.schema import Schema
from ibis.formats.pyarrow import PyArrowData

from ipcore.landscape.metrics._shared import Derive, SharedTables
from ipcore.landscape.schema import Tables

Row = dict[str, Any]
Runner = Callable[[Any, str, Schema], pa.Table]

CACHE_SIZE: Final = 512
"""Queries kept: 29 a report, for each binding kind and set of parameters in use."""


@dataclass(frozen=True)
class Compiled:
    """One metric's SQL in its binding's general form, the schema of its rows, and the
    derived tables it reads (materialised before it runs)."""

    sql: str
    schema: Schema
    derived: tuple[tuple[str, Derive], ...]


_compiled: OrderedDict[Hashable, Compiled] = OrderedDict()
_lock = threading.Lock()


def rows_of(name: str, build: Callable[[], ibis.Table], tables: Tables, params: Any) -> list[Row]:
    """The rows of the query ``build`` makes (``name`` and ``params`` identify it), from SQL
    compiled once where ``tables`` allow it."""
    backend = tables.patents.get_backend()
    runner = RUNNERS.get(backend.name)
    if tables.reuse is None or runner is None:
        return _rows(build().to_pyarrow())
    shared = isinstance(tables, SharedTables) and tables.materialise
    key = (tables.reuse.key, shared, name, params)
    with _lock:
        found = _compiled.get(key)
        if found is not None:
            _compiled.move_to_end(key)
    if found is None:
        found, expression = _compile(build, tables, backend)
        if found is None:  # the binding cannot share this SQL: run it as built
            return _rows(expression.to_pyarrow())
        with _lock:
            _compiled[key] = found
            while len(_compiled) > CACHE_SIZE:
                _compiled.popitem(last=False)
    elif shared:
        assert isinstance(tables, SharedTables)
        for derived_name, derive in found.derived:
            tables.derived(derived_name, derive)
    sql = tables.reuse.specific(found.sql)
    return _rows(runner(backend, sql, found.schema))


def _rows(table: pa.Table) -> list[Row]:
    rows: list[Row] = table.to_pylist()
    return rows


def _compile(
    build: Callable[[], ibis.Table], tables: Tables, backend: Any
) -> tuple[Compiled | None, ibis.Table]:
    """The query's SQL in its general form (None where the binding cannot share it), and
    its expression."""
    assert tables.reuse is not None
    if isinstance(tables, SharedTables):
        with tables.noting() as asked:
            expression = build()
        derived = tuple(dict.fromkeys(asked))  # first asked first, each once
    else:
        expression, derived = build(), ()
    general = tables.reuse.general(str(backend.compile(expression)))
    if general is None:
        return None, expression
    return Compiled(general, expression.schema(), derived), expression


def forget_compiled() -> None:
    """Drop every compiled query (tests; a process that changed what a metric computes)."""
    with _lock:
        _compiled.clear()


def compiled_count() -> int:
    """How many queries are kept."""
    return len(_compiled)


# -- running SQL as Ibis would, per engine -----------------------------------------------------
# Each follows its Ibis backend's own ``to_pyarrow`` after the compile step (Ibis 12), so
# a cached query returns exactly the rows the expression would.


def _duckdb(backend: Any, sql: str, schema: Schema) -> pa.Table:
    from ibis.backends.duckdb.converter import DuckDBPyArrowData

    table = backend.con.sql(sql).to_arrow_table()
    converted: pa.Table = DuckDBPyArrowData.convert_table(table, schema)
    return converted


def _sqlite(backend: Any, sql: str, schema: Schema) -> pa.Table:
    with backend._safe_raw_sql(sql) as cursor:
        frame = backend._fetch_from_cursor(cursor, schema)
    arrow = schema.to_pyarrow()
    table = pa.Table.from_pandas(frame, schema=arrow, preserve_index=False)
    return _converted(table, schema)


def _postgres(backend: Any, sql: str, schema: Schema) -> pa.Table:
    with backend.con.transaction(), backend.con.cursor() as cursor:
        rows: Sequence[tuple[Any, ...]] = cursor.execute(sql).fetchall()
    struct = pa.array(rows, type=schema.as_struct().to_pyarrow())
    table = pa.Table.from_batches([pa.RecordBatch.from_struct_array(struct)])
    return _converted(table, schema)


def _converted(table: pa.Table, schema: Schema) -> pa.Table:
    arrow = schema.to_pyarrow()
    converted: pa.Table = PyArrowData.convert_table(
        table.rename_columns(list(schema.names)).cast(arrow), schema
    )
    return converted


RUNNERS: Final[dict[str, Runner]] = {
    "duckdb": _duckdb,
    "sqlite": _sqlite,
    "postgres": _postgres,
}

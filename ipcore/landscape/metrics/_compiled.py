"""How a metric's query reaches the engine: compiled to SQL once per process, tuned for the
engine, run on its connection.

Building a metric's Ibis expression and compiling it to SQL costs 5 to 40 ms in Python, more
than most of a report's queries take to run: about 0.7 s of a report's 29 queries whatever
the data (bench/README.md, "landscape.py"). Where the tables say how their SQL may be
reused (:class:`~ipcore.landscape.schema.Reuse`), the SQL compiled for a metric is kept,
keyed by the binding's ``key``, the metric and its parameters, and later reports run it
straight on the engine's connection, converting the rows as Ibis would.

On SQLite the SQL is also tuned before it is kept: Ibis names every relation a query reads
twice as a common table expression, and SQLite copies such a table into a temporary one
without an index, so a dataset's rows read that way are joined by scanning — the
co-inventor pairs of a 19k-patent dataset took 1.7 s. A common table expression that only
picks columns and rows of one stored table is marked ``NOT MATERIALIZED`` instead: SQLite
reads it in place, through the table's (dataset, patent) index.

Engines without a runner here (Spark) run the Ibis expression as Ibis compiles it.

Derived tables a report materialises (``_shared``) have fixed names, so the SQL reading
them is reusable too; a report served from the cache still materialises the ones its SQL
reads, in the order the first build asked for them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import ibis
import pyarrow as pa
import sqlglot as sg
import sqlglot.expressions as sge
from ibis.expr.schema import Schema
from ibis.formats.pyarrow import PyArrowData

from ipcore.landscape.metrics._shared import Derive, SharedTables
from ipcore.landscape.schema import Tables

Row = dict[str, Any]

CACHE_SIZE: Final = 512
"""Queries kept: 29 a report, for each binding kind and set of parameters in use."""


@dataclass(frozen=True)
class Compiled:
    """One query's SQL, the schema of its rows, and the derived tables it reads
    (materialised before it runs)."""

    sql: str
    schema: Schema
    derived: tuple[tuple[str, Derive], ...]


_compiled: OrderedDict[Hashable, Compiled] = OrderedDict()
_lock = threading.Lock()


def rows_of(name: str, build: Callable[[], ibis.Table], tables: Tables, params: Any) -> list[Row]:
    """The rows of the query ``build`` makes (``name`` and ``params`` identify it), from SQL
    compiled once where ``tables`` allow it."""
    backend = tables.patents.get_backend()
    engine = ENGINES.get(backend.name)
    if engine is None:
        return _rows(build().to_pyarrow())
    reuse = tables.reuse
    key = _key(tables, name, params)
    found = _kept(key)
    if found is None:
        built, _ = _compile_and_keep(key, build, tables, backend, engine)
        return _rows(engine.run(backend, built.sql, built.schema))
    assert reuse is not None
    if isinstance(tables, SharedTables) and tables.materialise:
        for derived_name, derive in found.derived:
            tables.derived(derived_name, derive)
    return _rows(engine.run(backend, reuse.specific(found.sql), found.schema))


def compile_ahead(name: str, build: Callable[[], ibis.Table], tables: Tables, params: Any) -> bool:
    """Compile the query ``build`` makes and keep its SQL as :func:`rows_of` would, running
    nothing: a process's first report then finds it (see ``compile_all``). False where the
    SQL cannot be kept: an engine without a runner here, tables that say nothing of reuse,
    SQL that cannot be shared."""
    backend = tables.patents.get_backend()
    engine = ENGINES.get(backend.name)
    key = _key(tables, name, params)
    if engine is None or key is None:
        return False
    if _kept(key) is not None:
        return True
    return _compile_and_keep(key, build, tables, backend, engine)[1]


def _compile_and_keep(
    key: Hashable | None,
    build: Callable[[], ibis.Table],
    tables: Tables,
    backend: Any,
    engine: Engine,
) -> tuple[Compiled, bool]:
    """The query compiled for these tables, kept under ``key`` in its shared form where
    there is a key and the SQL can be shared; and whether it was kept."""
    built = _compile(build, tables, backend, engine)
    general = None if key is None or tables.reuse is None else tables.reuse.general(built.sql)
    if general is not None:
        _keep(key, Compiled(general, built.schema, built.derived))
    return built, general is not None


def _key(tables: Tables, name: str, params: Any) -> Hashable | None:
    """What a query's SQL is kept under: the binding's reuse key, whether the report
    materialises what it shares, the metric and the parameters its query reads."""
    if tables.reuse is None:
        return None
    shared = isinstance(tables, SharedTables) and tables.materialise
    return (tables.reuse.key, shared, name, params)


def _kept(key: Hashable | None) -> Compiled | None:
    if key is None:
        return None
    with _lock:
        found = _compiled.get(key)
        if found is not None:
            _compiled.move_to_end(key)
        return found


def _keep(key: Hashable, compiled: Compiled) -> None:
    with _lock:
        _compiled[key] = compiled
        while len(_compiled) > CACHE_SIZE:
            _compiled.popitem(last=False)


def _rows(table: pa.Table) -> list[Row]:
    rows: list[Row] = table.to_pylist()
    return rows


def _compile(
    build: Callable[[], ibis.Table], tables: Tables, backend: Any, engine: Engine
) -> Compiled:
    """The query built, compiled for these tables and tuned for the engine."""
    if isinstance(tables, SharedTables):
        with tables.noting() as asked:
            expression = build()
        derived = tuple(dict.fromkeys(asked))  # first asked first, each once
    else:
        expression, derived = build(), ()
    # What the backend's own compile() does, with the engine's tuning in between.
    tree = backend.compiler.to_sqlglot(expression)
    engine.tune(tree)
    sql = tree.sql(dialect=backend.dialect, copy=False, unsupported_level=sg.ErrorLevel.RAISE)
    return Compiled(sql, expression.schema(), derived)


def forget_compiled() -> None:
    """Drop every compiled query (tests; a process that changed what a metric computes)."""
    with _lock:
        _compiled.clear()


@contextmanager
def compiling_afresh() -> Iterator[None]:
    """Within the block every query is built and compiled again, as in a process's first
    report (what a benchmark times as such); the queries kept before are kept again after."""
    with _lock:
        kept = OrderedDict(_compiled)
        _compiled.clear()
    try:
        yield
    finally:
        with _lock:
            _compiled.clear()
            _compiled.update(kept)


def compiled_count() -> int:
    """How many queries are kept."""
    return len(_compiled)


# -- engines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    """How a query is tuned for one engine and run there."""

    run: Callable[[Any, str, Schema], pa.Table]
    tune: Callable[[sge.Expression], None] = lambda tree: None


def read_in_place(tree: sge.Expression) -> None:
    """Mark ``NOT MATERIALIZED`` each common table expression that picks columns and rows of
    one stored table (no join, grouping, ordering or limit): SQLite then reads it where it
    is used, through the table's indexes, instead of copying it into an unindexed one."""
    ctes = list(tree.find_all(sge.CTE))
    names = {cte.alias for cte in ctes}
    for cte in ctes:
        body = cte.this
        found = body.args.get("from_") if isinstance(body, sge.Select) else None
        if not isinstance(found, sge.From):
            continue
        source = found.this
        stored = isinstance(source, sge.Table) and source.name not in names
        shaped = any(body.args.get(part) for part in _RESHAPING)
        aggregated = any(column.find(sge.AggFunc, sge.Window) for column in body.expressions)
        if stored and not shaped and not aggregated:
            cte.set("materialized", False)


_RESHAPING: Final = ("joins", "group", "having", "order", "limit", "offset", "distinct", "laterals")


# Each runner follows its Ibis backend's own ``to_pyarrow`` after the compile step (Ibis
# 12), so a query run here returns exactly the rows the expression would.


def _duckdb(backend: Any, sql: str, schema: Schema) -> pa.Table:
    from ibis.backends.duckdb.converter import DuckDBPyArrowData

    table = backend.con.sql(sql).to_arrow_table()
    converted: pa.Table = DuckDBPyArrowData.convert_table(table, schema)
    return converted


def _sqlite(backend: Any, sql: str, schema: Schema) -> pa.Table:
    with backend._safe_raw_sql(sql) as cursor:
        frame = backend._fetch_from_cursor(cursor, schema)
    table = pa.Table.from_pandas(frame, schema=schema.to_pyarrow(), preserve_index=False)
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


ENGINES: Final[dict[str, Engine]] = {
    "duckdb": Engine(_duckdb),
    "sqlite": Engine(_sqlite, tune=read_in_place),
    "postgres": Engine(_postgres),
}

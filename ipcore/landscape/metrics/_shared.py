"""Tables several metrics derive alike, derived once per report.

Patents per owner feed five metrics, rows per inventor two, patents per technology field
two, and on SQLite the patents per code of every classification level four. Within
:func:`shared_tables` a report's tables remember each such table the first time a metric
asks for it, so every later metric reads the same expression; where the engine is DuckDB or
SQLite the table is also materialised on first use (one small temporary table, a row per
owner, inventor, field or code) and dropped when the report is done.

A materialised table is named after what it holds (``shared_owner_counts``), the same in
every report, so the SQL of the metrics reading it is too and can be compiled once
(``_compiled``). Where the tables hold a prepared one (``Tables.prepared``: a snapshot's or
a dataset's, derived by the same function when its facts were written), it is read instead.

Nothing else changes between backends: the expressions are the same, only whether a derived
table is computed once or inside every query that reads it. On SQLite a temporary table is
the connection's own, written beside Django's transaction without touching the database
file (a 19k-patent dataset's report: 4.1 s before, 3.3 s after). PostgreSQL would write its
catalogue for each (and refuses it in a read-only transaction), so it keeps plain
expressions; Spark would persist a DataFrame, which is not measured yet, so it keeps plain
expressions too. Large per-patent tables (owner-patent pairs, the classification rows
counted) are deliberately not materialised: on DuckDB, writing them costs more than
deriving them again (measured on the 10x corpus: 4.2 s to write the 10M classification
rows, 1.1 s to count one level from scratch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any, Final

import ibis

from ipcore.landscape.schema import Tables, create_temporary

MATERIALISED_ON: Final = frozenset({"duckdb", "sqlite"})
"""The Ibis backends on which a report materialises the tables it shares (see above)."""

Derive = Callable[[Tables], ibis.Table]


@dataclass(frozen=True, eq=False)
class SharedTables(Tables):
    """A report's five tables, and the tables its metrics derive from them, each derived once
    (and materialised where :data:`MATERIALISED_ON` says so)."""

    materialise: bool = False
    _derived: dict[str, ibis.Table] = field(default_factory=dict, init=False, repr=False)
    _made: list[str] = field(default_factory=list, init=False, repr=False)
    _asked: list[list[tuple[str, Derive]]] = field(default_factory=list, init=False, repr=False)

    def derived(self, name: str, derive: Derive) -> ibis.Table:
        """The table ``derive`` makes of these tables, made the first time ``name`` is asked
        (the prepared one where the tables hold it)."""
        for asked in self._asked:
            asked.append((name, derive))
        table = self._derived.get(name)
        if table is None:
            table = self.prepared.get(name)
        if table is None:
            table = derive(self)
            if self.materialise:
                backend = self.patents.get_backend()
                table = create_temporary(backend, _materialised(name), table)
                self._made.append(name)
        self._derived[name] = table
        return table

    @contextmanager
    def noting(self) -> Iterator[list[tuple[str, Derive]]]:
        """The derived tables asked for within the block, in order (with repeats)."""
        asked: list[tuple[str, Derive]] = []
        self._asked.append(asked)
        try:
            yield asked
        finally:
            self._asked.pop()  # blocks nest: the innermost ends first

    def release(self) -> None:
        """Drop what was materialised; later metrics derive their tables again."""
        made = list(self._made)
        self._derived.clear()
        self._made.clear()
        if made:
            backend = self.patents.get_backend()
            temporary = _TEMPORARY[backend.name]
            for name in made:
                backend.drop_table(_materialised(name), database=temporary, force=True)


_TEMPORARY: Final[dict[str, Any]] = {"duckdb": ("temp", "main"), "sqlite": "temp"}
"""Where each engine of :data:`MATERIALISED_ON` keeps temporary tables."""


def _materialised(name: str) -> str:
    return f"shared_{name}"


def derived(tables: Tables, name: str, derive: Derive) -> ibis.Table:
    """``derive(tables)``, made once per report where ``tables`` are a report's
    :class:`SharedTables`; the prepared table where the tables hold it."""
    if isinstance(tables, SharedTables):
        return tables.derived(name, derive)
    prepared = tables.prepared.get(name)
    return derive(tables) if prepared is None else prepared


@contextmanager
def shared_tables(tables: Tables) -> Iterator[Tables]:
    """The report's tables, sharing what its metrics derive alike until the block ends."""
    if isinstance(tables, SharedTables):  # a report within a report: the outer one owns them
        yield tables
        return
    backend = tables.patents.get_backend()
    shared = SharedTables(
        **{column.name: getattr(tables, column.name) for column in fields(Tables)},
        materialise=backend.name in MATERIALISED_ON,
    )
    try:
        yield shared
    finally:
        shared.release()

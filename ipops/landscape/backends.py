"""Where the metrics run: the analytic tables bound to one Ibis backend.

* ``db`` — the live database (SQLite or PostgreSQL), through Django's own connection, so a
  report sees exactly what the request's transaction sees: a dataset's ``Fact*`` rows.
* ``duckdb`` — DuckDB over a snapshot (``ipops snapshot``: its ``facts.duckdb``, opened
  read-only): the whole corpus or any set of its patents, for corpora too large to freeze
  into the live database.
* ``spark`` — Apache Spark over the same Parquet files, for a corpus beyond one machine.

Every binding casts each column to ``ipcore.landscape.schema``'s type, so the metrics see one
schema whatever the engine's own spellings (SQLite keeps dates as text, for one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from ipcore.landscape.metrics import (
    PREPARED,
    MetricParams,
    Note,
    compile_all,
    prepared_schema,
    prepared_version,
)
from ipcore.landscape.schema import SCHEMAS, Reuse, Tables, bind, create_temporary, typed
from ipcore.landscape.topics.section import PatentVectors, VectorSource
from ipops.errors import InvalidInput
from ipops.landscape.models import Dataset
from ipops.landscape.prepared import is_current, prepared_tables


class Backend(enum.StrEnum):
    DB = "db"
    DUCKDB = "duckdb"
    SPARK = "spark"


FACT_TABLES = {
    "patents": "landscape_factpatent",
    "owners": "landscape_factowner",
    "inventors": "landscape_factinventor",
    "classes": "landscape_factclass",
    "fields": "landscape_factfield",
    "industries": "landscape_factindustry",
}


def database_tables(dataset_id: int, *, prepared: bool = True) -> Tables:
    """A dataset's facts in the live database, read on Django's connection, with the
    dataset's prepared tables (``ipops.landscape.prepared``) where ``prepared`` and the
    metrics' code wrote them as it is.

    The metrics' SQL is the same for every dataset but for the dataset's id, so it is
    compiled once per process (``Reuse``: the id taken out and put back)."""
    return _dataset_binding(dataset_id, ready=prepared and _prepared_current(dataset_id))


def compile_database_reports(as_of: dt.date) -> int:
    """Compile every metric's SQL for a dataset report on the live database as of a day of
    ``as_of``'s year, running none of it, for datasets whose prepared tables are current (a
    frozen or refined dataset's): the next such report in this process compiles nothing.
    Returns how many queries are kept (``ipcore.landscape.metrics.compile_all``)."""
    return compile_all(_dataset_binding(NO_DATASET, ready=True), MetricParams(as_of=as_of))


NO_DATASET: Final = 0
"""A dataset id no dataset has (ids start at 1): what compiling ahead binds the tables to."""


def _dataset_binding(dataset_id: int, *, ready: bool) -> Tables:
    """The dataset's facts, with its prepared tables where ``ready``."""
    backend = _database_backend()
    stored = {name: backend.table(table) for name, table in FACT_TABLES.items()}
    facts = _conform(
        {name: table.filter(table.dataset_id == dataset_id) for name, table in stored.items()}
    )
    return dataclasses.replace(
        facts,
        prepared=MappingProxyType(
            prepared_tables(backend, dataset_id) if ready else {}
        ),
        reuse=Reuse(
            key=("database", connection.vendor, _schemas(stored), ready),
            general=partial(_without_dataset, dataset_id),
            specific=partial(_with_dataset, dataset_id),
        ),
    )


def _prepared_current(dataset_id: int) -> bool:
    dataset = Dataset.objects.only("prepared_version").filter(pk=dataset_id).first()
    return dataset is not None and is_current(dataset)


_DATASET_FILTER = re.compile(r'"dataset_id" = (\d+)\b')
_ANY_DATASET = '"dataset_id" = :dataset'


def _without_dataset(dataset_id: int, sql: str) -> str | None:
    """The SQL with the dataset's id taken out; None unless every mention of ``dataset_id``
    is the binding's own filter on this dataset (the metrics never read the column)."""
    found = _DATASET_FILTER.findall(sql)
    if not found or set(found) != {str(dataset_id)} or sql.count('"dataset_id"') != len(found):
        return None
    return _DATASET_FILTER.sub(_ANY_DATASET, sql)


def _with_dataset(dataset_id: int, sql: str) -> str:
    return sql.replace(_ANY_DATASET, f'"dataset_id" = {int(dataset_id)}')


def _schemas(tables: dict[str, ibis.Table]) -> tuple[Any, ...]:
    """What the tables' SQL depends on of the stored tables: their names and columns."""
    return tuple((name, table.schema()) for name, table in tables.items())


def _database_backend() -> Any:
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        backend = ibis.sqlite.from_connection(_BorrowedSqlite(raw))
        # Ibis turns LIKE case-sensitive; Django's icontains relies on SQLite's default.
        raw.execute("PRAGMA case_sensitive_like = OFF")
        return backend
    if connection.vendor == "postgresql":
        # Ibis wraps its statements in psycopg's transaction(): a savepoint inside Django's
        # transaction, its own short transaction outside one.
        return ibis.postgres.from_connection(raw)
    raise NotImplementedError(f"no Ibis backend for {connection.vendor}")


class _BorrowedSqlite:
    """Django's sqlite3 connection lent to Ibis, which commits after every statement it runs:
    here the transaction is Django's (a request's, a test's), so commit and rollback are
    left to it. Everything else is the connection itself."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def commit(self) -> None:
        """Django commits (Ibis only reads here)."""

    def rollback(self) -> None:
        """Django rolls back."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def _conform(tables: dict[str, ibis.Table], *, reuse: Reuse | None = None) -> Tables:
    """Each table with exactly the schema's columns, in order, cast to its types where the
    engine's own type differs (``schema.typed``)."""
    conformed = {
        name: table.select(
            **{column: typed(table[column], kind) for column, kind in SCHEMAS[name].items()}
        )
        for name, table in tables.items()
    }
    return Tables(**conformed, reuse=reuse)


# --- Parquet snapshots -----------------------------------------------------------------------

VECTORS_FILE = "vectors.parquet"
DATABASE_FILE = "facts.duckdb"
SNAPSHOT_WITHOUT_VECTORS = Note(
    "这份快照没有语义向量（写快照时尚未生成向量，或由较早版本的 ipops 写成），无法聚类：运行 "
    "`ipops embed` 后重新运行 `ipops snapshot`。",
    "This snapshot holds no semantic vectors (none had been made when it was written, or an "
    "older ipops wrote it), so there are no topic clusters: run `ipops embed`, then "
    "`ipops snapshot` again.",
)


@dataclass(frozen=True)
class Snapshot:
    """One ``ipops snapshot``: a folder of six Parquet files, the same tables as a DuckDB
    database, and what they hold."""

    path: Path
    as_of: str
    patents: int
    created_at: str
    prepared: str | None = None  # the prepared_version() its prepared tables were written by

    def file(self, table: str) -> Path:
        return self.path / f"{table}.parquet"

    @property
    def vectors_file(self) -> Path:
        """``vectors.parquet``: each patent's vector as the search index held it when the
        snapshot was written (patents not embedded yet are absent; older snapshots lack it)."""
        return self.path / VECTORS_FILE

    @property
    def database_file(self) -> Path:
        """``facts.duckdb``: the six tables in DuckDB's format (snapshots written before it
        existed lack it, and DuckDB then loads the Parquet files into memory)."""
        return self.path / DATABASE_FILE


def snapshots_dir() -> Path:
    return Path(settings.SNAPSHOT_DIR)


def current_snapshot(path: Path | None = None) -> Snapshot:
    """The snapshot at ``path``, else the newest one; a clear error where there is none."""
    folder = path or _newest_snapshot()
    meta = folder / "snapshot.json"
    if not meta.is_file():
        raise InvalidInput(
            _("No analytics snapshot at %(path)s: run `ipops snapshot` first.") % {"path": folder},
            code="no_snapshot",
        )
    lacking = _lacking(folder)
    if lacking:
        raise InvalidInput(
            _(
                "The snapshot at %(path)s lacks %(parts)s (an older ipops wrote it): run "
                "`ipops snapshot` again."
            )
            % {"path": folder, "parts": ", ".join(lacking)},
            code="old_snapshot",
        )
    facts = json.loads(meta.read_text(encoding="utf-8"))
    return Snapshot(
        folder, facts["as_of"], facts["patents"], facts["created_at"], facts.get("prepared")
    )


def _lacking(folder: Path) -> list[str]:
    """What of the schema a snapshot's Parquet files lack: ``table.parquet`` for each missing
    file, ``table.column`` for each missing column (read from the files' footers)."""
    lacking = []
    for name, schema in SCHEMAS.items():
        path = folder / f"{name}.parquet"
        if not path.is_file():
            lacking.append(path.name)
            continue
        written = set(pq.read_schema(path).names)
        lacking += [f"{name}.{column}" for column in schema.names if column not in written]
    return lacking


def _newest_snapshot() -> Path:
    folders = sorted(p for p in snapshots_dir().glob("*") if (p / "snapshot.json").is_file())
    if not folders:
        raise InvalidInput(
            _("No analytics snapshot yet: run `ipops snapshot` to write one."),
            code="no_snapshot",
        )
    return folders[-1]


def snapshot_tables(
    snapshot: Snapshot, patent_ids: Sequence[int] | None = None, *, backend: Backend
) -> Tables:
    """The snapshot's tables on DuckDB or Spark, limited to ``patent_ids`` when given.

    DuckDB opens the snapshot's ``facts.duckdb`` read-only: nothing is loaded, and several
    reports (processes) can read one snapshot at once. A subset of the patents is copied
    into temporary tables first, which a report's thirty-odd queries then read. A snapshot
    without the file (an older ipops wrote it) is loaded from its Parquet files into memory
    instead: thirty queries over the files would decompress them thirty times (measured on
    143,310 patents: 13.6 s for the full metric set, see bench/README.md).
    """
    if backend is Backend.DUCKDB and snapshot.database_file.is_file():
        return _snapshot_database(snapshot, patent_ids)
    if backend is Backend.DUCKDB:
        engine = ibis.duckdb.connect()
    elif backend is Backend.SPARK:
        engine = spark_backend()
    else:
        raise ValueError(backend)
    files = {name: engine.read_parquet(str(snapshot.file(name))) for name in SCHEMAS}
    tables = _conform(_only(engine, files, patent_ids, temp=backend is Backend.DUCKDB))
    if backend is Backend.DUCKDB:
        return _copied(engine, tables)
    return tables


def _snapshot_database(snapshot: Snapshot, patent_ids: Sequence[int] | None) -> Tables:
    engine = ibis.duckdb.connect(str(snapshot.database_file), read_only=True)
    # Bound with the schema's own types: the text columns are ENUMs there
    # (ipops.landscape.snapshot.encode), whose spelling Ibis would parse at length.
    stored = {name: bind(engine, name, schema) for name, schema in SCHEMAS.items()}
    if patent_ids is not None:
        return _copied(engine, _conform(_only(engine, stored, patent_ids, temp=True)))
    prepared = _prepared(engine, snapshot)
    key = ("duckdb", DATABASE_FILE, _schemas(stored), _schemas(prepared))
    return dataclasses.replace(
        _conform(stored, reuse=Reuse(key)), prepared=MappingProxyType(prepared)
    )


PREPARED_PREFIX = "prepared_"


def _prepared(engine: Any, snapshot: Snapshot) -> dict[str, ibis.Table]:
    """The snapshot's prepared tables, where the metrics' code is still the code that wrote
    them (else none: the metrics derive them as they would from any tables), bound with the
    schema of the expression that wrote each (``prepared_schema``)."""
    if snapshot.prepared != prepared_version():
        return {}
    # The code that wrote them is this code, so every one of PREPARED is there (asking the
    # catalogue which are took 50-100 ms where the text columns are ENUMs).
    return {
        name: bind(engine, PREPARED_PREFIX + name, prepared_schema(name))
        for name in PREPARED
    }


def _only(
    engine: Any, tables: dict[str, ibis.Table], patent_ids: Sequence[int] | None, *, temp: bool
) -> dict[str, ibis.Table]:
    """The tables limited to ``patent_ids`` (all of them where None)."""
    if patent_ids is None:
        return tables
    wanted = engine.create_table(
        "wanted",
        pa.table({"patent_id": pa.array(sorted(set(patent_ids)), pa.int64())}),
        temp=temp,
    )
    return {
        name: table.semi_join(wanted, table.patent_id == wanted.patent_id)
        for name, table in tables.items()
    }


def _copied(engine: Any, tables: Tables) -> Tables:
    """The tables copied into temporary tables of DuckDB's in-memory catalogue (named apart
    from the snapshot's own: an unqualified name finds the temporary table first)."""
    return Tables(
        **{
            name: create_temporary(engine, f"chosen_{name}", getattr(tables, name))
            for name in SCHEMAS
        },
        reuse=Reuse(("duckdb", "chosen")),
    )


def spark_backend() -> Any:
    """Ibis on a local Spark session (``local[*]``), started once per process."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as missing:
        raise InvalidInput(
            _("The Spark backend needs PySpark and Java: pip install pyspark."),
            code="no_spark",
        ) from missing
    session = (
        SparkSession.builder.master(settings.SPARK_MASTER)
        .appName("ipops-landscape")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(Path(settings.DATA_DIR) / "spark-warehouse"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def snapshot_vectors(snapshot: Snapshot) -> VectorSource:
    """The vectors a snapshot holds, read with pyarrow whatever the backend (they are one
    local file, and clustering runs in this process); a note where it holds none."""

    def read(patent_ids: Sequence[int]) -> PatentVectors | Note:
        path = snapshot.vectors_file
        if not path.is_file():
            return SNAPSHOT_WITHOUT_VECTORS
        table = pq.read_table(path, columns=["patent_id", "vector"])
        wanted = pa.array(sorted(set(patent_ids)), pa.int64())
        table = table.filter(pc.is_in(table["patent_id"], value_set=wanted))
        if table.num_rows == 0:
            return SNAPSHOT_WITHOUT_VECTORS
        flat = table["vector"].combine_chunks().flatten().to_numpy(zero_copy_only=False)
        return PatentVectors(
            np.asarray(table["patent_id"].to_numpy(zero_copy_only=False), dtype=np.int64),
            np.asarray(flat, dtype=np.float32).reshape(table.num_rows, -1),
        )

    return read


# --- facts in memory -------------------------------------------------------------------------


def memory_tables(facts: Any) -> Tables:
    """Facts computed for one request (an organisation profile's ``corpus.facts.FactBatch``)
    as tables on an in-process DuckDB: nothing is written to the database."""
    engine = ibis.duckdb.connect()
    rows = facts.tables()
    return Tables(
        **{
            name: engine.create_table(
                name,
                pa.Table.from_pylist(rows.get(name, []), schema=schema.to_pyarrow()),
                temp=True,
            )
            for name, schema in SCHEMAS.items()
        },
        reuse=Reuse(("duckdb", "in memory")),
    )

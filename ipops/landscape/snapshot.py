"""Parquet snapshots of the analytic facts, for DuckDB and Spark (``ipops snapshot``).

A snapshot is a folder of six Parquet files (``ipcore.landscape.schema``'s tables), the same
six tables as a DuckDB database file (``facts.duckdb``: what the DuckDB backend opens,
read-only, instead of loading the Parquet files into memory for every report; Spark reads the
Parquet files), a ``vectors.parquet`` of the patents' semantic vectors as the search index
holds them (for the topic clusters: ``patent_id`` and 384 float32 values; patents not
embedded yet are absent) and a ``snapshot.json`` saying what they hold. It is written into
a temporary folder beside its final place and renamed when complete, so a crash leaves no
half snapshot where the backends look; the facts are read in batches, so memory stays flat
whatever the corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import duckdb
import ibis
import pyarrow as pa
import pyarrow.parquet as pq
from django.utils import timezone

from ipcore.landscape.metrics import PREPARED, prepared_version
from ipcore.landscape.schema import ENCODED, SCHEMAS, Tables, bind, encode
from ipops.corpus.facts import FactBatch, patent_facts
from ipops.landscape.backends import DATABASE_FILE, PREPARED_PREFIX
from ipops.search.embedder import DIMENSIONS
from ipops.search.queries import CentredVectors, centred_vectors
from ipops.search.semantic import current_centres

ARROW_SCHEMAS: Final = {name: schema.to_pyarrow() for name, schema in SCHEMAS.items()}
VECTORS_SCHEMA: Final = pa.schema(
    [("patent_id", pa.int64()), ("vector", pa.list_(pa.float32(), DIMENSIONS))]
)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class SnapshotSummary:
    path: Path
    patents: int
    rows: dict[str, int]


def write_snapshot(
    folder: Path,
    id_batches: Iterable[list[int]],
    *,
    as_of: dt.date,
    progress: Progress | None = None,
) -> SnapshotSummary:
    """Write the facts of every patent in ``id_batches`` as a snapshot at ``folder``."""
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    rows = dict.fromkeys([*SCHEMAS, "vectors"], 0)
    writers = {
        name: pq.ParquetWriter(partial / f"{name}.parquet", schema, compression="zstd")
        for name, schema in {**ARROW_SCHEMAS, "vectors": VECTORS_SCHEMA}.items()
    }
    centres = current_centres()  # once: every batch centred alike
    try:
        for ids in id_batches:
            batch = patent_facts(ids, on=as_of)
            _append(writers, batch, rows)
            _append_vectors(writers["vectors"], centred_vectors(ids, centres=centres), rows)
            if progress:
                progress(rows["patents"])
    except BaseException:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for writer in writers.values():
        writer.close()
    meta = {
        "as_of": as_of.isoformat(),
        "patents": rows["patents"],
        "rows": rows,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "prepared": write_database(partial),
    }
    (partial / "snapshot.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    partial.rename(folder)
    return SnapshotSummary(folder, rows["patents"], rows)


def _append(writers: dict[str, pq.ParquetWriter], batch: FactBatch, rows: dict[str, int]) -> None:
    for name, records in batch.tables().items():
        if not records:
            continue
        table = pa.Table.from_pylist(records, schema=ARROW_SCHEMAS[name])
        writers[name].write_table(table)
        rows[name] += table.num_rows


def _append_vectors(writer: pq.ParquetWriter, found: CentredVectors, rows: dict[str, int]) -> None:
    if not len(found):
        return
    values = pa.array(found.vectors.reshape(-1), pa.float32())
    vectors = pa.FixedSizeListArray.from_arrays(values, DIMENSIONS)
    writer.write_table(pa.Table.from_arrays([pa.array(found.ids), vectors], schema=VECTORS_SCHEMA))
    rows["vectors"] += len(found)


def write_database(folder: Path) -> str:
    """``facts.duckdb`` in ``folder``: the six Parquet files of a snapshot as DuckDB tables, in
    patent order, so a report opens them at once (loading the files into memory took 5.2 s
    of a 12.7 s report on 1.43M patents, bench/README.md); and beside them the tables every
    report over the whole snapshot would derive (``ipcore.landscape.metrics.PREPARED``),
    derived by the metrics' own code. Returns the ``prepared_version`` that wrote them."""
    target = folder / DATABASE_FILE
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as database:
        for name in SCHEMAS:
            # The table names are the schema's own; the path goes in as a parameter.
            database.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_parquet($path) ORDER BY patent_id",  # noqa: S608
                {"path": str(folder / f"{name}.parquet")},
            )
            for column in ENCODED.get(name, ()):
                encode(database, name, column)  # see there: how a report groups fast
    engine = ibis.duckdb.connect(str(target))
    try:
        tables = Tables(**{name: bind(engine, name, schema) for name, schema in SCHEMAS.items()})
        for name, derive in PREPARED.items():
            query = engine.compile(derive(tables))
            # The names are PREPARED's own; the query is compiled from the metrics' code.
            engine.raw_sql(f'CREATE TABLE "{PREPARED_PREFIX}{name}" AS {query}')
    finally:
        engine.disconnect()
    return prepared_version()


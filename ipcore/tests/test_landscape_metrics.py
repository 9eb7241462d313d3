"""The landscape metrics against a plain-Python oracle, on every backend.

Each backend is one factory in ``BACKENDS``: a connection and a way to load fact rows into
tables with exactly the schemas of ``ipcore.landscape.schema``. DuckDB (also with its text
columns stored as ENUMs, as a snapshot's ``facts.duckdb`` holds them) and SQLite always run;
PostgreSQL runs where ``DATABASE_URL`` names a PostgreSQL server (CI's second pass); Spark
runs the explicit datasets (not the generated ones: a Spark query costs about a second)
where PySpark and Java are installed, as in CI, and is marked ``spark`` so a run can leave
it out (``-m "not spark"``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from ibis.backends import BaseBackend
from ibis.expr.schema import Schema

from ipcore.landscape.metrics import (
    METRICS,
    PREPARED,
    MetricParams,
    SharedTables,
    compile_all,
    compiled_count,
    compiling_afresh,
    compute,
    compute_all,
    forget_compiled,
    measure_coverage,
    shared_tables,
)
from ipcore.landscape.metrics import _compiled as compiled
from ipcore.landscape.results import MetricResult, Shape
from ipcore.landscape.schema import ENCODED, SCHEMAS, Reuse, Tables, bind, encode
from ipcore.tests import landscape_oracle as oracle
from ipcore.tests.landscape_data import (
    HAND,
    Facts,
    complete,
    crowded_datasets,
    datasets,
    one_patent,
    params,
)

AS_OF = dt.date(2025, 6, 30)
PARAMS = MetricParams(as_of=AS_OF)


# -- backends ----------------------------------------------------------------------------------


Create = Callable[[str, Schema, pa.Table], ibis.Table]


def create_and_insert(connection: BaseBackend) -> Create:
    """Load a table the SQL way: create it with the schema, then insert the rows."""

    def create(name: str, schema: Schema, rows: pa.Table) -> ibis.Table:
        table = connection.create_table(name, schema=schema)
        connection.insert(name, rows)
        return table

    return create


@dataclass
class Backend:
    """One engine the metrics run on, and how fact rows become its tables.

    A Spark factory, for one, would connect ``ibis.pyspark.connect(session)`` and create
    with ``session.createDataFrame(rows).createOrReplaceTempView(name)`` then
    ``connection.table(name)``; PostgreSQL works with :func:`create_and_insert`.
    """

    connection: BaseBackend
    create: Create
    _serial: Iterator[int] = field(default_factory=itertools.count)

    def load(self, facts: Facts) -> Tables:
        """Fresh tables holding ``facts`` (new names each time: one connection serves the
        whole module)."""
        serial = next(self._serial)
        tables = {}
        for (table, schema), rows in zip(SCHEMAS.items(), complete(facts).values(), strict=True):
            arrow = pa.Table.from_pylist(rows, schema=schema.to_pyarrow())
            tables[table] = self.create(f"{table}_{serial}", schema, arrow)
        return Tables(**tables)


def _sql_backend(connect: Callable[[], BaseBackend]) -> Callable[[], Backend]:
    def factory() -> Backend:
        connection = connect()
        return Backend(connection, create_and_insert(connection))

    return factory


def _postgres() -> Backend:
    """Temporary tables on the server DATABASE_URL names: gone when the connection closes.

    They go into the server's ``postgres`` maintenance database rather than the one the URL
    names: the Django suite creates and drops its own ``test_…`` database, so the named one
    need not exist, and temporary tables leave nothing behind wherever they live.
    """
    connection = ibis.connect(_postgres_url())

    def create(name: str, schema: Schema, rows: pa.Table) -> ibis.Table:
        table = connection.create_table(name, schema=schema, temp=True)
        connection.insert(name, rows)
        return table

    return Backend(connection, create)


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "").replace("postgresql://", "postgres://", 1)
    if not url.startswith("postgres://"):
        return url
    server, _, _database = url.partition("?")[0].rpartition("/")
    return f"{server}/postgres"


def _spark() -> Backend:
    """A local Spark session; each table is a temporary view over the rows."""
    from ibis.backends.pyspark.datatypes import PySparkSchema
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("ipcore-landscape-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Tuned for a few rows: one partition, and no Java generated and compiled per query
        # (the same answers; the Spark tests took 145 s with the defaults, 95 s so).
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="spark-warehouse-"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    connection = ibis.pyspark.connect(session)

    def create(name: str, schema: Schema, rows: pa.Table) -> ibis.Table:
        spark_schema = PySparkSchema.from_ibis(schema)
        records = [tuple(row.values()) for row in rows.to_pylist()]
        session.createDataFrame(records, schema=spark_schema).createOrReplaceTempView(name)
        return connection.table(name)

    return Backend(connection, create)


def _encoded_duckdb() -> Backend:
    """DuckDB with the text columns stored as ENUMs, as a snapshot's ``facts.duckdb`` holds
    them (``schema.encode``), the tables bound by their known schemas (``schema.bind``)."""
    connection = ibis.duckdb.connect()

    def create(name: str, schema: Schema, rows: pa.Table) -> ibis.Table:
        create_and_insert(connection)(name, schema, rows)
        for column in ENCODED.get(name.rsplit("_", 1)[0], ()):
            encode(connection.con, name, column)
        return bind(connection, name, schema)

    return Backend(connection, create)


def _has_spark() -> bool:
    return importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


BACKENDS: dict[str, Callable[[], Backend]] = {
    "duckdb": _sql_backend(ibis.duckdb.connect),
    "duckdb-encoded": _encoded_duckdb,
    "sqlite": _sql_backend(ibis.sqlite.connect),
    "postgres": _postgres,
    "spark": _spark,
}
# Where each runs: every backend but Spark takes the generated datasets too.
FAST = [
    "duckdb",
    "duckdb-encoded",
    "sqlite",
    *(["postgres"] if _postgres_url().startswith("postgres://") else []),
]
EVERY = [
    *FAST,
    pytest.param(
        "spark",
        marks=[
            pytest.mark.spark,
            pytest.mark.skipif(not _has_spark(), reason="PySpark or Java is not installed"),
            # py4j, PySpark's bridge to the JVM, leaves sockets to the garbage collector.
            pytest.mark.filterwarnings("ignore::ResourceWarning"),
            pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
        ],
    ),
]


def _opened(name: str) -> Iterator[Backend]:
    """A backend for one module, closed afterwards (PostgreSQL's connection would otherwise
    be left to the garbage collector, which warns)."""
    opened = BACKENDS[name]()
    yield opened
    if name != "spark":  # the session outlives a module: the other Spark tests reuse it
        opened.connection.disconnect()


@pytest.fixture(scope="module", params=EVERY)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    yield from _opened(request.param)


@pytest.fixture(scope="module", params=FAST)
def fast_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    yield from _opened(request.param)


# -- comparing with the oracle -----------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as compared: floats to 9 places (the oracle adds up in another order)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    return value


def check(result: MetricResult, facts: Facts, params: MetricParams) -> None:
    expected = oracle.expected(result.name, facts, params)
    if expected is None:
        assert not result.applicable, result.rows
        assert result.rows == ()
        assert result.note_zh and result.note_en
        return
    assert result.applicable, result.note_en
    assert plain(result.rows) == plain(expected)
    assert all(len(row) == len(result.columns) for row in result.rows)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(facts=datasets(), chosen=params)
def test_every_metric_agrees_with_the_oracle(
    fast_backend: Backend, facts: Facts, chosen: MetricParams
) -> None:
    for result in compute_all(fast_backend.load(facts), chosen):
        check(result, facts, chosen)


PARTY_METRICS = (
    "top_owners",
    "top_inventors",
    "owner_trend",
    "concentration",
    "co_ownership",
    "co_inventors",
    "newcomers",
    "life_cycle",
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(facts=crowded_datasets(), chosen=params)
def test_party_metrics_agree_with_the_oracle_among_many_parties(
    fast_backend: Backend, facts: Facts, chosen: MetricParams
) -> None:
    # More parties than a network weighs first, parties listed twice on a patent, rankings
    # with wide ties: what the leaders and the pruned pairing must get exactly right.
    for result in compute_all(fast_backend.load(facts), chosen, names=PARTY_METRICS):
        check(result, facts, chosen)


def _solo_and_shared(solo: int, shared: int) -> Facts:
    """``solo`` busy inventors with three patents each, named alone, and two quieter ones
    named together on ``shared`` patents: the busiest inventors share no patent."""
    patents, inventors = [], []
    for number in range(solo):
        for copy in range(3):
            patent_id = 100 * number + copy + 1
            patents.append({"patent_id": patent_id})
            inventors.append({"patent_id": patent_id, "position": 1, "name": f"Busy {number}"})
    for patent_id in range(10_000, 10_000 + shared):
        patents.append({"patent_id": patent_id})
        inventors += [
            {"patent_id": patent_id, "position": 1, "name": "Quiet A"},
            {"patent_id": patent_id, "position": 2, "name": "Quiet B"},
        ]
    return complete({"patents": patents, "inventors": inventors})


def test_a_network_finds_heavy_edges_away_from_the_busiest_parties(backend: Backend) -> None:
    # Forty inventors busier than the two who work together: the busiest weighed first make
    # no edge, so nothing is pruned, and the one edge is found.
    facts = _solo_and_shared(solo=40, shared=2)
    small = MetricParams(as_of=AS_OF, network_top=1)
    result = compute("co_inventors", backend.load(facts), small)
    assert result.rows == (("Quiet A", "Quiet B", 2),)
    check(result, facts, small)


@pytest.mark.parametrize("engine", ["duckdb", "sqlite"])
def test_a_report_drops_the_tables_it_materialised(engine: str) -> None:
    connection = BACKENDS[engine]().connection
    tables = Backend(connection, create_and_insert(connection)).load(HAND)
    before = set(connection.list_tables())
    with shared_tables(tables) as shared:
        assert isinstance(shared, SharedTables) and shared.materialise
        compute("top_owners", shared, PARAMS)
        assert len(set(connection.list_tables()) - before) == 1  # owner counts
    assert set(connection.list_tables()) == before
    compute_all(tables, PARAMS)
    assert set(connection.list_tables()) == before
    connection.disconnect()


@pytest.mark.skipif("postgres" not in FAST, reason="DATABASE_URL names no PostgreSQL server")
def test_a_report_shares_without_materialising_where_the_engine_is_postgres() -> None:
    opened = BACKENDS["postgres"]()
    tables = opened.load(HAND)
    with shared_tables(tables) as shared:
        assert isinstance(shared, SharedTables) and not shared.materialise
        results = [compute(name, shared, PARAMS) for name in METRICS]
    assert results == [compute(name, tables, PARAMS) for name in METRICS]
    opened.connection.disconnect()


def test_sqlite_counts_every_classification_level_in_one_pass() -> None:
    connection = ibis.sqlite.connect()
    tables = Backend(connection, create_and_insert(connection)).load(HAND)
    levels = [f"classification_mix_{level}" for level in ("section", "class", "subclass", "group")]
    with shared_tables(tables) as shared:
        assert isinstance(shared, SharedTables)
        with shared.noting() as asked:
            together = [compute(name, shared, PARAMS) for name in levels]
        assert {name for name, _ in asked} == {"class_counts"}
    assert together == [compute(name, tables, PARAMS) for name in levels]
    for result in together:
        check(result, HAND, PARAMS)
    connection.disconnect()


def test_a_report_runs_again_from_the_sql_compiled_the_first_time(
    fast_backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = fast_backend.load(HAND)
    tables = dataclasses.replace(loaded, reuse=Reuse(("test", loaded.patents.get_name())))
    coverage = measure_coverage(tables)
    queries = [metric for metric in METRICS.values() if metric.missing(coverage) is None]
    forget_compiled()
    first = compute_all(tables, PARAMS)
    assert compiled_count() == len(queries) + 1  # and the coverage

    kept = compiled_count()
    with compiling_afresh():
        assert compiled_count() == 0
        assert compute_all(tables, PARAMS) == first
    assert compiled_count() == kept

    def compile_again(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiled, "_compile", compile_again)
    again = compute_all(tables, PARAMS)
    assert again == first
    for result in again:
        check(result, HAND, PARAMS)
    forget_compiled()


def test_sql_compiled_ahead_serves_the_first_report(
    fast_backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = fast_backend.load(HAND)
    tables = dataclasses.replace(loaded, reuse=Reuse(("test", loaded.patents.get_name())))
    forget_compiled()

    def run_nothing(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("ran a query")

    with monkeypatch.context() as patched:
        patched.setattr(compiled, "_rows", run_nothing)
        # Every metric, whatever the data holds: the coverage is not consulted.
        assert compile_all(tables, PARAMS) == len(METRICS) + 1
    assert compile_all(tables, PARAMS) == len(METRICS) + 1  # kept: nothing compiled twice

    def compile_again(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiled, "_compile", compile_again)
    for result in compute_all(tables, PARAMS):
        check(result, HAND, PARAMS)
    forget_compiled()


def test_without_reuse_nothing_is_compiled_ahead(fast_backend: Backend) -> None:
    forget_compiled()
    assert compile_all(fast_backend.load(HAND), PARAMS) == 0
    assert compiled_count() == 0


def test_a_report_as_of_another_day_of_the_year_compiles_only_what_reads_the_day(
    fast_backend: Backend,
) -> None:
    loaded = fast_backend.load(HAND)
    tables = dataclasses.replace(loaded, reuse=Reuse(("test", loaded.patents.get_name())))
    coverage = measure_coverage(tables)
    forget_compiled()
    compute_all(tables, PARAMS)
    kept = compiled_count()
    later = dataclasses.replace(PARAMS, as_of=AS_OF.replace(month=12, day=31))
    for result in compute_all(tables, later):
        check(result, HAND, later)
    reading = [m for m in METRICS.values() if m.reads_day and m.missing(coverage) is None]
    assert reading  # remaining life counts from the day
    assert compiled_count() == kept + len(reading)
    forget_compiled()


def test_only_metrics_that_read_the_day_put_it_in_their_sql() -> None:
    """The flag ``Metric.query_params`` trusts: a metric whose SQL differs between two days
    of one year must say it reads the day, or a report would run SQL compiled for another."""
    opened = BACKENDS["duckdb"]()
    tables = opened.load(HAND)
    backend = opened.connection
    days = (dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 12, 31))
    for metric in METRICS.values():
        sql = {str(backend.compile(metric.build(tables, MetricParams(as_of=day)))) for day in days}
        assert (len(sql) > 1) == metric.reads_day, metric.name
    opened.connection.disconnect()


def test_prepared_tables_are_read_instead_of_derived(fast_backend: Backend) -> None:
    tables = fast_backend.load(HAND)
    serial = tables.patents.get_name()
    prepared = {
        name: fast_backend.connection.create_table(
            f"prepared_{name}_{serial}", derive(tables), temp=True
        )
        for name, derive in PREPARED.items()
    }
    with_prepared = dataclasses.replace(tables, prepared=prepared)
    with shared_tables(with_prepared) as shared:
        assert isinstance(shared, SharedTables)
        results = compute_all(shared, PARAMS)
        assert not shared._made  # nothing derived: every table was there
    assert results == compute_all(tables, PARAMS)
    assert [compute(name, with_prepared, PARAMS) for name in METRICS] == list(results)
    for result in results:
        check(result, HAND, PARAMS)


def test_sql_that_cannot_be_shared_is_run_as_built(fast_backend: Backend) -> None:
    loaded = fast_backend.load(HAND)
    unshared = Reuse(("test", loaded.patents.get_name()), general=lambda sql: None)
    tables = dataclasses.replace(loaded, reuse=unshared)
    forget_compiled()
    for result in compute_all(tables, PARAMS):
        check(result, HAND, PARAMS)
    assert compiled_count() == 0


# -- explicit datasets -------------------------------------------------------------------------


def test_an_empty_dataset_answers_nothing_and_says_why(backend: Backend) -> None:
    results = compute_all(backend.load({}), PARAMS)
    assert [result.name for result in results] == list(METRICS)
    for result in results:
        assert not result.applicable
        assert result.rows == ()
        assert result.note_en == "The dataset holds no patents."


def test_a_single_patent(backend: Backend) -> None:
    facts = one_patent()
    results = {result.name: result for result in compute_all(backend.load(facts), PARAMS)}
    for result in results.values():
        check(result, facts, PARAMS)
    assert results["filing_trend"].rows == ((2021, 1, 0, 0), (2022, 0, 1, 0))
    # The data ends with a 2022 publication, before the report's year: 2021 on is incomplete.
    assert results["filing_trend"].extras == {
        "incomplete_from": 2021,
        "last_publication_year": 2022,
    }
    assert results["top_owners"].rows == (("上海某新能源科技有限公司", 1, 1.0, 2021, 2021, 1),)
    assert dict((row[0], row[1]) for row in results["concentration"].rows) == {
        "owners": 1,
        "cr4": 1.0,
        "cr8": 1.0,
        "hhi": 10_000.0,
    }
    for name in ("co_ownership", "citations", "remaining_life", "technology_fields"):
        assert not results[name].applicable, name


def test_without_citations_the_citation_metrics_say_the_source_lacks_them(
    backend: Backend,
) -> None:
    facts = one_patent()
    tables = backend.load(facts)
    cited = compute("citations", tables, PARAMS)
    most = compute("most_cited", tables, PARAMS)
    assert not cited.applicable and not most.applicable
    assert "neither backward nor forward citations" in cited.note_en
    assert "引用" in cited.note_zh
    assert "no forward citations" in most.note_en


def test_partial_citations_keep_the_figures_there_are_with_a_caveat(backend: Backend) -> None:
    facts = one_patent()
    facts["patents"][0]["cited_by"] = 3
    result = compute("citations", backend.load(facts), PARAMS)
    assert result.applicable
    assert [row[0] for row in result.rows] == [
        "forward_patents",
        "forward_mean",
        "forward_median",
        "forward_max",
        "forward_cited_share",
    ]
    assert result.note_en == "The source lists no backward citations."


@pytest.fixture(scope="module")
def hand(backend: Backend) -> dict[str, MetricResult]:
    return {result.name: result for result in compute_all(backend.load(HAND), PARAMS)}


def test_the_hand_checked_example_agrees_with_the_oracle(
    hand: dict[str, MetricResult],
) -> None:
    for result in hand.values():
        check(result, HAND, PARAMS)


def test_the_hand_checked_industries(hand: dict[str, MetricResult]) -> None:
    assert hand["sei_industries"].rows == (
        ("5", 2, 0.4, "新能源汽车产业", "New-energy vehicles"),
        ("1", 1, 0.2, "新一代信息技术产业", "New-generation information technology"),
    )
    assert [row[:2] for row in hand["sei_categories"].rows] == [("5.2", 2), ("1.2", 1)]
    assert "3 件专利不属于任何战略性新兴产业" in hand["sei_industries"].note_zh
    assert "Left out: 3 patents in no strategic emerging industry." in (
        hand["sei_categories"].note_en
    )
    assert not hand["key_fields"].applicable
    assert "重点产业领域" in hand["key_fields"].note_zh


def test_the_hand_checked_trend(hand: dict[str, MetricResult]) -> None:
    trend = hand["filing_trend"]
    assert trend.rows == (
        (2019, 1, 0, 0),
        (2020, 0, 1, 0),
        (2021, 2, 0, 0),
        (2022, 0, 1, 1),
        (2023, 1, 1, 1),
    )
    assert "1 patent without an application date" in trend.note_en
    assert "1 件专利没有申请日" in trend.note_zh


def test_the_hand_checked_owners(hand: dict[str, MetricResult]) -> None:
    # 上海交通大学 3 patents; 华为 and 复旦大学 2 each, tied: code-point order puts 华 (U+534E)
    # before 复 (U+590D). Shares are of all 5 patents; recent is 2020-2024.
    assert hand["top_owners"].rows == (
        ("上海交通大学", 3, 0.6, 2019, 2023, 2),
        ("华为技术有限公司", 2, 0.4, 2019, 2021, 1),
        ("复旦大学", 2, 0.4, 2021, 2023, 2),
    )
    # Owner-patent counts 3, 2, 2 (sum 7): HHI = (9 + 4 + 4) / 49 × 10,000.
    figures = {row[0]: row[1] for row in hand["concentration"].rows}
    assert figures["owners"] == 3
    assert figures["cr4"] == 1.0
    assert figures["hhi"] == pytest.approx(17 / 49 * 10_000)
    assert hand["co_ownership"].rows == (
        ("上海交通大学", "复旦大学", 2),
        ("上海交通大学", "华为技术有限公司", 1),
    )
    assert hand["geography_province"].rows == (
        ("310000", 3, 0.75, "上海市", "Shanghai"),
        ("440000", 2, 0.5, "广东省", "Guangdong"),
    )
    assert hand["newcomers"].rows == (
        (2019, 2, 2, 1.0),
        (2020, 0, 0, None),
        (2021, 1, 3, 1 / 3),
        (2022, 0, 0, None),
        (2023, 0, 2, 0.0),
    )


def test_the_hand_checked_classification_falls_back_to_cpc(
    hand: dict[str, MetricResult],
) -> None:
    # Patent 4 has only a CPC code, so it counts in H01M; patent 3's CPC Y02E is not counted
    # beside its IPC codes.
    subclasses = hand["classification_mix_subclass"]
    assert [row[:3] for row in subclasses.rows] == [("H01M", 4, 0.8), ("G06F", 1, 0.2)]
    assert subclasses.rows[0][3] is not None  # the IPC title, in Chinese
    assert [row[:2] for row in hand["classification_mix_group"].rows] == [
        ("H01M 10/00", 3),
        ("G06F 1/00", 1),
        ("H01M 4/00", 1),
    ]


def test_the_hand_checked_status_life_and_families(hand: dict[str, MetricResult]) -> None:
    assert [row[:3] for row in hand["legal_status"].rows] == [
        ("in_force", 2, 0.4),
        ("pending", 2, 0.4),
        ("lapsed", 1, 0.2),
    ]
    # As of 2025-06-30: 2039-05-10 is 13 whole years away, 2041-02-01 is 15.
    life = hand["remaining_life"]
    assert [row[:2] for row in life.rows] == [
        ("0-2", 0),
        ("3-5", 0),
        ("6-10", 0),
        ("11-15", 2),
        ("16-20", 0),
    ]
    assert life.extras["median_years"] == 14.0
    # Families F1 (3 members, 2 offices) and F2 (1 member); patents 4 and 5 have no family id.
    family = hand["family_size"]
    assert [row[:2] for row in family.rows] == [
        ("1", 1),
        ("2", 0),
        ("3-5", 1),
        ("6-10", 0),
        ("11+", 0),
    ]
    assert family.extras == {
        "families": 2,
        "mean_size": 2.0,
        "max_size": 3,
        "multi_office_share": 0.5,
    }
    figures = {row[0]: row[1] for row in hand["citations"].rows}
    assert figures["backward_mean"] == 7 / 4
    assert figures["backward_median"] == 1.5
    assert figures["forward_cited_share"] == 2 / 3
    assert [row[:2] for row in hand["most_cited"].rows] == [(1, 6), (3, 1)]


def test_family_extras_agree_with_the_oracle(backend: Backend) -> None:
    result = compute("family_size", backend.load(HAND), PARAMS)
    assert result.extras == pytest.approx(oracle.family_extras(HAND))


# -- ties, cuts and the registry -------------------------------------------------------------


def test_ties_at_the_cut_are_broken_by_label_on_every_backend(backend: Backend) -> None:
    names = ["Zeta", "阿里巴巴", "Alpha", "百度", "alpha"]
    facts: Facts = {
        "patents": [{"patent_id": i, "office": "CN"} for i in range(1, 6)],
        "owners": [
            {"patent_id": i, "position": 1, "name": name} for i, name in enumerate(names, 1)
        ],
    }
    result = compute("top_owners", backend.load(facts), MetricParams(as_of=AS_OF, top=3))
    assert [row[0] for row in result.rows] == ["Alpha", "Zeta", "alpha"]


def test_metrics_are_declared_in_report_order_with_their_words() -> None:
    assert list(METRICS)[:4] == ["filing_trend", "top_owners", "owner_trend", "concentration"]
    assert list(METRICS)[-2:] == ["life_cycle", "white_space"]
    for name, metric in METRICS.items():
        assert metric.name == name
        assert metric.title_zh and metric.title_en
        assert metric.description_zh.endswith("。"), name
        assert metric.description_en.endswith("."), name
        assert metric.build.__doc__, name
        names = [column.name for column in metric.columns]
        assert len(set(names)) == len(names), name
    shapes = {name: metric.shape for name, metric in METRICS.items()}
    assert shapes["co_ownership"] is Shape.NETWORK
    assert shapes["owner_trend"] is Shape.MATRIX
    assert shapes["concentration"] is Shape.SCALARS


def test_compute_all_takes_names_in_the_order_given(backend: Backend) -> None:
    tables = backend.load(one_patent())
    results = compute_all(tables, PARAMS, names=["legal_status", "filing_trend"])
    assert [result.name for result in results] == ["legal_status", "filing_trend"]
    with pytest.raises(KeyError, match="unknown metric 'nonsense'"):
        compute("nonsense", tables, PARAMS)


def test_coverage_counts_what_the_dataset_holds(backend: Backend) -> None:
    coverage = measure_coverage(backend.load(HAND))
    assert (coverage.patents, coverage.dated, coverage.owned, coverage.invented) == (5, 4, 4, 3)
    assert (coverage.classified, coverage.fielded, coverage.with_cited_by) == (4, 4, 3)


@pytest.mark.parametrize(
    "field", ["top", "matrix_top", "network_top", "recent_years", "white_space_min_patents"]
)
def test_params_refuse_a_count_below_one(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        MetricParams(as_of=AS_OF, **{field: 0})

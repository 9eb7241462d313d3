"""The pieces every landscape metric is made of: the spec, its parameters, what the data covers.

A :class:`Metric` is a typed spec: its name, titles, shape and columns, a one-sentence
description in both languages, the facts it needs (:class:`Need`), an Ibis expression builder
and a Python finishing step over the few aggregated rows the engine returns. Nothing here
knows a backend: an Ibis table carries its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

import ibis

from ipcore.landscape.metrics._compiled import rows_of
from ipcore.landscape.metrics._shared import derived
from ipcore.landscape.results import Column, ColumnKind, Shape, Value
from ipcore.landscape.schema import Tables

Row = Mapping[str, Any]
"""One row of an engine's answer, as ``pyarrow`` hands it to Python."""

TIE_ROOM: Final = 200
"""How many rows tied at a ranking's cut the engine hands over beyond the top ``n``.

Ties are broken by label in Python, never by the engine: PostgreSQL sorts text by the
database's collation (pinyin under ``zh_CN``, case-blind under ``en_US``), DuckDB, SQLite and
Spark by code point, so only Python's order is the same everywhere. Ties wider than this are
cut by the engine's own order first, which is the same on every backend but PostgreSQL."""


@dataclass(frozen=True)
class Note:
    """One sentence in Chinese and English: why a metric cannot answer, or a caveat."""

    zh: str
    en: str


@dataclass(frozen=True)
class MetricParams:
    """What a report asks of its metrics.

    ``as_of`` is the day remaining life is counted from and the end of the "recent" window
    (the ``recent_years`` complete calendar years before it); ``top`` cuts rankings,
    ``matrix_top`` each side of a matrix, ``network_top`` a network's edges.
    ``white_space_min_patents`` is the fewest patents a technology field needs to be
    weighed as white space.
    """

    as_of: dt.date
    top: int = 10
    matrix_top: int = 10
    network_top: int = 30
    recent_years: int = 5
    white_space_min_patents: int = 5

    def __post_init__(self) -> None:
        for name in ("top", "matrix_top", "network_top", "recent_years"):
            if getattr(self, name) < 1:
                raise ValueError(f"MetricParams.{name} must be at least 1")
        if self.white_space_min_patents < 1:
            raise ValueError("MetricParams.white_space_min_patents must be at least 1")

    @property
    def recent_span(self) -> tuple[int, int]:
        """近期 — the first and last year of the recent window, both inclusive."""
        return self.as_of.year - self.recent_years, self.as_of.year - 1

    @property
    def previous_span(self) -> tuple[int, int]:
        """前期 — the window of the same length just before the recent one."""
        first, _ = self.recent_span
        return first - self.recent_years, first - 1


@dataclass(frozen=True)
class Coverage:
    """What the dataset holds, counted once per report: the facts metrics need and the
    caveats they state ("12 patents have no application date")."""

    patents: int
    dated: int  # with an application date
    published: int
    granted: int
    with_office: int
    with_status: int
    with_family: int
    with_citations: int
    with_cited_by: int
    owned: int  # with at least one owner that has an entity id or a name
    invented: int  # with at least one named inventor
    classified: int  # with at least one IPC or CPC code
    fielded: int  # in at least one WIPO technology field
    in_sei: int  # in at least one strategic emerging industry (CNIPA 2021)
    in_key_field: int  # in at least one of the plan's key fields


@dataclass(frozen=True)
class Need:
    """A fact a metric cannot do without, and the sentence shown where the data lacks it."""

    holds: Callable[[Coverage], bool]
    note: Note


@dataclass(frozen=True)
class Context:
    """What a finishing step may read besides the rows."""

    params: MetricParams
    coverage: Coverage


@dataclass(frozen=True)
class Answer:
    """A metric's finished rows, with caveats and figures a report states beside them."""

    rows: tuple[tuple[Value, ...], ...]
    notes: tuple[Note, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NotApplicable:
    """The data cannot answer the metric; ``note`` says why."""

    note: Note


Builder = Callable[[Tables, MetricParams], ibis.Table]
Finisher = Callable[[Sequence[Row], Context], Answer | NotApplicable]


@dataclass(frozen=True)
class Metric:
    """指标 — one landscape metric, declared once and run by Ibis on any backend.

    ``build`` returns the one Ibis expression the engine runs (aggregated: a metric never
    pulls patent-level rows into Python); ``finish`` turns its few rows into the result's
    rows (shares, titles, buckets, the final order). ``needs`` are checked on the dataset's
    :class:`Coverage` before any query runs.
    """

    name: str
    title_zh: str
    title_en: str
    shape: Shape
    columns: tuple[Column, ...]
    description_zh: str
    description_en: str
    build: Builder
    finish: Finisher
    needs: tuple[Need, ...] = ()
    reads_day: bool = False  # the query counts from the exact ``as_of``, not only its year

    def query_params(self, params: MetricParams) -> MetricParams:
        """``params`` as this metric's query sees them: the day of ``as_of`` only where it
        ``reads_day`` (the recent windows are whole years). Its compiled SQL is kept under
        these, so a report as of another day of the same year finds it compiled
        (``test_only_metrics_that_read_the_day_put_it_in_their_sql`` checks the flag)."""
        if self.reads_day:
            return params
        return dataclasses.replace(params, as_of=params.as_of.replace(month=1, day=1))

    def description(self, language: str) -> str:
        return self.description_zh if language.startswith("zh") else self.description_en

    def missing(self, coverage: Coverage) -> Note | None:
        """Why the data cannot answer this metric, or None where it can try."""
        for need in (HAS_PATENTS, *self.needs):
            if not need.holds(coverage):
                return need.note
        return None


# -- columns ------------------------------------------------------------------------------


def column(name: str, title_zh: str, title_en: str, kind: ColumnKind) -> Column:
    return Column(name=name, title_zh=title_zh, title_en=title_en, kind=kind)


YEAR: Final = column("year", "年份", "Year", ColumnKind.YEAR)
PATENTS_COLUMN: Final = column("patents", "专利数", "Patents", ColumnKind.INTEGER)
SHARE: Final = column("share", "占比", "Share", ColumnKind.SHARE)
LABEL_ZH: Final = column("label_zh", "名称", "Name (Chinese)", ColumnKind.TEXT)
LABEL_EN: Final = column("label_en", "名称（英文）", "Name", ColumnKind.TEXT)
SCALAR_COLUMNS: Final = (
    column("name", "指标", "Measure", ColumnKind.TEXT),
    column("value", "数值", "Value", ColumnKind.NUMBER),
    column("label_zh", "指标名称", "Measure (Chinese)", ColumnKind.TEXT),
    column("label_en", "指标名称（英文）", "Measure name", ColumnKind.TEXT),
)
"""The columns of every SCALARS result: a figure's name, its value and its labels."""


# -- needs --------------------------------------------------------------------------------

HAS_PATENTS: Final = Need(
    lambda c: c.patents > 0,
    Note("数据集中没有专利。", "The dataset holds no patents."),
)
DATED: Final = Need(
    lambda c: c.dated > 0,
    Note(
        "数据集中的专利都没有申请日，无法按申请年份统计。",
        "No patent in the dataset has an application date, so nothing can be counted by year.",
    ),
)
OWNED: Final = Need(
    lambda c: c.owned > 0,
    Note(
        "数据集中的专利都没有申请人（专利权人）信息。",
        "No patent in the dataset names an applicant or owner.",
    ),
)
INVENTED: Final = Need(
    lambda c: c.invented > 0,
    Note("数据集中的专利都没有发明人信息。", "No patent in the dataset names an inventor."),
)
CLASSIFIED: Final = Need(
    lambda c: c.classified > 0,
    Note(
        "数据集中的专利都没有 IPC 或 CPC 分类号。",
        "No patent in the dataset has an IPC or CPC code.",
    ),
)
FIELDED: Final = Need(
    lambda c: c.fielded > 0,
    Note(
        "数据集中没有专利的分类号能对应到 WIPO 技术领域。",
        "No patent's classification codes fall in a WIPO technology field.",
    ),
)


# -- expressions shared by several metrics ------------------------------------------------


def owner_rows(
    tables: Tables, keys: ibis.Column | None = None, *, key: str = "key"
) -> ibis.Table:
    """申请人 — one row per owner as listed: ``patent_id``, ``key``, ``label``; only the
    owners whose key is in ``keys`` where given; the key column named ``key`` (another name
    makes another expression, which the engine reads from the table afresh).

    An owner is its resolved entity where there is one, else its name as printed (the facts'
    ``key``, :func:`ipcore.landscape.schema.owner_key`); a row with neither is no one and is
    left out. An owner listed twice on one patent gives two rows:
    :func:`party_counts` and :func:`party_pairs` count it once.
    """
    owners = tables.owners
    label = owners.name.coalesce("#" + owners.entity_id.cast("string"))
    rows = owners.select("patent_id", label=label, **{key: owners.key})  # schema.owner_key
    return _wanted(rows, rows[key], keys)


def inventor_rows(
    tables: Tables, keys: ibis.Column | None = None, *, key: str = "key"
) -> ibis.Table:
    """发明人 — one row per named inventor as listed, the same columns as :func:`owner_rows`;
    inventors have no resolved identity, so the name is the key."""
    inventors = tables.inventors
    rows = inventors.select("patent_id", label=inventors.name, **{key: inventors.name})
    return _wanted(rows, rows[key], keys)


def _wanted(rows: ibis.Table, key: ibis.Column, keys: ibis.Column | None) -> ibis.Table:
    wanted = key.notnull()  # null where the party has neither an entity nor a name
    if keys is not None:
        wanted &= key.isin(keys)
    return rows.filter(wanted)


class PartyRows(Protocol):
    """The rows of the parties whose key is in the given keys: :func:`owner_rows` or
    :func:`inventor_rows` of one report's tables. A metric reads each subset of the parties
    straight off the table, so no engine builds (or holds) the rows of every party to pick a
    few of them."""

    def __call__(self, keys: ibis.Column | None = None, *, key: str = "key") -> ibis.Table: ...


def owner_counts(tables: Tables) -> ibis.Table:
    """Patents per owner (:func:`party_counts`), derived once per report."""
    return derived(tables, "owner_counts", lambda shared: party_counts(owner_rows(shared)))


def inventor_listings(tables: Tables) -> ibis.Table:
    """Listings per inventor (:func:`party_listings`), derived once per report."""
    return derived(
        tables, "inventor_listings", lambda shared: party_listings(inventor_rows(shared))
    )


def party_counts(rows: ibis.Table) -> ibis.Table:
    """Distinct patents per party of ``rows`` (:func:`owner_rows` or :func:`inventor_rows`):
    ``key``, ``patents``."""
    return rows.group_by("key").aggregate(patents=rows.patent_id.nunique())


def party_listings(rows: ibis.Table) -> ibis.Table:
    """Rows per party of ``rows``: ``key`` and ``patents``, at least the party's distinct
    patents (more where it is listed twice on a patent, which is rare).

    Counting distinct patents of every inventor means hashing every (patent, name) pair,
    the costliest step of a report on a large corpus; counting rows is a fraction of it,
    and a bound from above is all that choosing candidates needs (:func:`leading_parties`,
    ``networks.co_occurrence``): distinct patents are then counted for those alone.
    """
    return rows.group_by("key").aggregate(patents=rows.count())


def leading_parties(rows: PartyRows, ceilings: ibis.Table, n: int) -> ibis.Table:
    """``key`` and ``patents`` (distinct) of the parties among the ``n`` with most patents,
    every one tied at the cut included, as :func:`among_leaders` over every party's
    :func:`party_counts` would give them.

    ``ceilings`` hold, per party, at least its distinct patents (:func:`party_listings`).
    The ``n`` parties with the highest ceilings, counted exactly, give ``floor``: their
    ``n``-th largest count, at most the ``n``-th largest of all (they are some of all the
    parties; 0 where there are fewer). Every leader has a ceiling of at least its count,
    itself at least ``floor``, so counting the parties with such a ceiling counts every
    leader, and those counts have the same ``n``-th largest as all the parties'.
    """
    highest = ceilings.order_by(ibis.desc("patents")).limit(n)
    floor = nth_largest(party_counts(rows(highest.key)), "patents", n)
    candidates = ceilings.filter(ceilings.patents >= floor)
    return among_leaders(party_counts(rows(candidates.key)), value="patents", n=n)


def party_pairs(rows: ibis.Table) -> ibis.Table:
    """申请人（发明人）-专利对 — one row per (patent, party) of ``rows``: ``patent_id``,
    ``key`` and ``label`` (the smallest seen on that patent)."""
    return rows.group_by("patent_id", "key").aggregate(label=rows.label.min())


def party_labels(rows: ibis.Table) -> ibis.Table:
    """``key`` and ``label`` (the smallest seen) per party of ``rows``."""
    return rows.group_by("key").aggregate(label=rows.label.min())


def field_counts(tables: Tables) -> ibis.Table:
    """Distinct patents per WIPO technology field: ``field``, ``patents``. Derived once per
    report."""
    return derived(tables, "field_counts", _field_counts)


def _field_counts(tables: Tables) -> ibis.Table:
    fields = tables.fields
    return fields.group_by("field").aggregate(patents=fields.patent_id.nunique())


def application_years(tables: Tables) -> ibis.Table:
    """``patent_id`` and ``year`` of application, for the patents that have a date."""
    patents = tables.patents
    dated = patents.filter(patents.application_date.notnull())
    return dated.select("patent_id", year=dated.application_date.year())


def leaders(table: ibis.Table, *, value: str, label: str, n: int) -> ibis.Table:
    """Rows whose ``value`` (a count) is among the ``n`` largest, every row tied at the cut
    included (up to :data:`TIE_ROOM` more); Python then breaks the ties by label and cuts at
    ``n``."""
    return cut(among_leaders(table, value=value, n=n), value=value, label=label, n=n)


def among_leaders(table: ibis.Table, *, value: str, n: int) -> ibis.Table:
    """The rows of :func:`leaders` before the cut: every row whose ``value`` is among the
    ``n`` largest, however many tie.

    "Among the ``n`` largest" is "fewer than ``n`` rows are larger", that is a value at least
    the ``n``-th largest (every row where there are fewer than ``n``): a top-``n`` the engine
    keeps in a small heap, where a rank over every row would sort them all.
    """
    return table.filter(table[value] >= nth_largest(table, value, n))


def cut(table: ibis.Table, *, value: str, label: str, n: int) -> ibis.Table:
    """The rows of :func:`among_leaders` (or a table made from them) as :func:`leaders`
    hands them over: largest first, then by ``label``, at most ``n`` + :data:`TIE_ROOM`."""
    return table.order_by([ibis.desc(value), label]).limit(n + TIE_ROOM)


def nth_largest(table: ibis.Table, value: str, n: int) -> ibis.Value:
    """The ``n``-th largest ``value`` of ``table`` counting repeats, as a scalar; 0 where the
    table has fewer than ``n`` rows (``value`` is a count, never negative)."""
    # The smallest of the n largest, not the one row at offset n - 1: Ibis emulates an
    # offset on Spark with a row number, a second column a scalar subquery cannot have.
    top = table.select(value).order_by(ibis.desc(value)).limit(n)
    smallest = ibis.ifelse(top.count() == n, top[value].min(), 0)
    return top.aggregate(nth=smallest).as_scalar()


def party_totals(pairs: ibis.Table, years: ibis.Table, params: MetricParams) -> ibis.Table:
    """Per owner (or inventor) of ``pairs``: ``key``, ``label``, ``patents``, first and last
    application year, and applications in the recent window; ``years`` is
    :func:`application_years`."""
    first, last = params.recent_span
    joined = pairs.left_join(years, "patent_id")
    # Pairs are distinct per (patent, party), so counting rows counts distinct patents.
    return joined.group_by("key").aggregate(
        label=joined.label.min(),
        patents=joined.count(),
        first_year=joined.year.min(),
        last_year=joined.year.max(),
        recent=joined.count(where=joined.year.between(first, last)),
    )


def distribution_counts(rows: ibis.Table, bucket: str, *, per_patent: bool = False) -> ibis.Table:
    """Distinct patents per ``bucket`` value (nulls left out), plus one row with a null
    bucket counting the distinct patents in any bucket — the denominator of the shares.

    ``per_patent`` says ``rows`` hold one row per patent (``patents``), so rows are counted
    as they are; otherwise distinct (patent, bucket) pairs are counted, which is cheaper
    than counting distinct patents within each of a few very large buckets.
    """
    known = rows.filter(rows[bucket].notnull()).select("patent_id", bucket=rows[bucket])
    if not per_patent:
        known = known.distinct()
    per_bucket = known.group_by("bucket").aggregate(patents=known.count())
    patents = known.count() if per_patent else known.patent_id.nunique()
    total = known.aggregate(patents=patents).select(bucket=ibis.null("string"), patents="patents")
    return per_bucket.union(total)


# -- finishing helpers --------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    """``part / whole``, or None where there is no whole to share."""
    return part / whole if whole else None


def year_span(years: Iterable[int]) -> list[int]:
    """Every year from the first to the last given, so a series shows its empty years."""
    known = sorted(set(years))
    return list(range(known[0], known[-1] + 1)) if known else []


def split_total(rows: Sequence[Row]) -> tuple[list[Row], int]:
    """The bucket rows and the total row of :func:`distribution_counts`."""
    buckets = [row for row in rows if row["bucket"] is not None]
    total = sum(int(row["patents"]) for row in rows if row["bucket"] is None)
    return buckets, total


def left_out(count: int, *, zh: str, en: str) -> tuple[Note, ...]:
    """A caveat naming how many patents were left out, or nothing when none were.

    ``zh`` is a template with ``{n}`` for the count, ``en`` one with ``{patents}`` for
    "1 patent" or "3 patents"."""
    if count <= 0:
        return ()
    return (Note(zh.format(n=count), en.format(patents=plural(count, "patent"))),)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 patent``, ``3 patents`` (``nouns`` where the plural is not ``noun + "s"``)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def median(counts: Mapping[int, int]) -> float:
    """The median of a multiset given as ``value → how many times``."""
    total = sum(counts.values())
    ordered = sorted(counts.items())

    def nth(index: int) -> int:
        seen = 0
        for value, n in ordered:
            seen += n
            if index < seen:
                return value
        raise IndexError(index)

    middle = total // 2
    return float(nth(middle)) if total % 2 else (nth(middle - 1) + nth(middle)) / 2


def integer(value: Any) -> int:
    """An engine's count as a Python int (PostgreSQL sums come back as decimals)."""
    return int(value) if value is not None else 0


# -- coverage -----------------------------------------------------------------------------


def coverage_expression(tables: Tables) -> ibis.Table:
    """One row counting what the dataset holds (see :class:`Coverage`), in one query."""
    p = tables.patents
    facts = p.aggregate(
        patents=p.count(),
        dated=p.application_date.count(),
        published=p.publication_date.count(),
        granted=p.grant_date.count(),
        with_office=p.office.count(),
        with_status=p.legal_status.count(),
        with_family=p.family_id.count(),
        with_citations=p.citations.count(),
        with_cited_by=p.cited_by.count(),
    )
    # Patents per related table, without building owner or inventor pairs: a count of
    # distinct patent ids is all coverage needs, and pairs are the costly part of a query.
    owners = tables.owners.filter(tables.owners.key.notnull())  # an entity or a name
    inventors = tables.inventors.filter(tables.inventors.name.notnull())
    classes = tables.classes.filter(tables.classes.scheme.isin(("ipc", "cpc")))
    fields = tables.fields
    industries = tables.industries
    in_scheme = industries.aggregate(
        in_sei=industries.patent_id.nunique(where=industries.scheme == "sei_category"),
        in_key_field=industries.patent_id.nunique(where=industries.scheme == "key_field"),
    )
    return (
        facts.cross_join(owners.aggregate(owned=owners.patent_id.nunique()))
        .cross_join(inventors.aggregate(invented=inventors.patent_id.nunique()))
        .cross_join(classes.aggregate(classified=classes.patent_id.nunique()))
        .cross_join(fields.aggregate(fielded=fields.patent_id.nunique()))
        .cross_join(in_scheme)
    )


COVERAGE_QUERY: Final = "(coverage)"
"""The name the coverage query's SQL is kept under (``_compiled``)."""


def coverage_build(tables: Tables) -> Callable[[], ibis.Table]:
    """How the coverage query over ``tables`` is built: :func:`coverage_expression`, or the
    prepared table where the tables hold it."""
    prepared = tables.prepared.get("coverage")
    return (lambda: prepared) if prepared is not None else (lambda: coverage_expression(tables))


def measure_coverage(tables: Tables) -> Coverage:
    """Run the coverage query (:func:`coverage_build`) on the tables' backend."""
    (row,) = rows_of(COVERAGE_QUERY, coverage_build(tables), tables, None)
    return Coverage(**{name: integer(value) for name, value in row.items()})

"""Who works with whom: owners sharing patents, inventors named together."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, Final

import ibis

from ipcore.landscape.metrics._base import (
    INVENTED,
    OWNED,
    Answer,
    Builder,
    Context,
    Metric,
    MetricParams,
    Need,
    NotApplicable,
    Note,
    PartyRows,
    Row,
    column,
    integer,
    inventor_listings,
    inventor_rows,
    leaders,
    nth_largest,
    owner_counts,
    owner_rows,
    party_labels,
)
from ipcore.landscape.metrics._shared import derived
from ipcore.landscape.results import ColumnKind, Shape
from ipcore.landscape.schema import Tables

PROBE_PER_EDGE: Final = 10
"""How many of the busiest parties per edge asked for weigh the edges between them first:
the weight that bounds which parties can be on a heavy edge at all (see :func:`co_occurrence`)."""


def co_occurrence(
    rows: PartyRows,
    ceilings: ibis.Table,
    params: MetricParams,
    *,
    shared: ibis.Column | None = None,
) -> ibis.Table:
    """The heaviest edges between parties named on the same patents: ``source_key``,
    ``target_key``, their labels and ``patents`` (distinct patents naming both).
    ``ceilings`` hold, per party, at least its distinct patents (:func:`party_counts` or
    :func:`party_listings`); ``shared``, where given, the patents that list two or more
    parties of any kind (only those can pair anyone: the rest are never read for pairing).

    Pairing every party of a patent with every other is the costly part (a patent with 50
    inventors makes 1,225 pairs), so only parties that can be on a heavy edge are paired.
    An edge weighs at most the patents of each of its ends, so if ``bound`` is at most the
    ``n``-th heaviest weight, every edge at least that heavy joins two parties with a
    ceiling of ``bound`` or more. ``bound`` is the ``n``-th heaviest edge among the parties
    with the highest ceilings alone: those edges are some of all the edges, so their
    ``n``-th heaviest weighs no more than the ``n``-th heaviest of all (0, no bound, where
    they make fewer than ``n``). Every edge as heavy as the ``n``-th heaviest, and every
    heavier one, is thus counted in full, and :func:`leaders` keeps the same rows as over
    all the edges.
    """
    n = params.network_top
    pairing = rows if shared is None else _among(rows, shared)
    busiest = ceilings.order_by(ibis.desc("patents")).limit(PROBE_PER_EDGE * n)
    bound = nth_largest(_edges(pairing, busiest.key), "patents", n)
    able = ceilings.filter(ceilings.patents >= bound)
    heaviest = leaders(_edges(pairing, able.key), value="patents", label="source_key", n=n)
    ends = heaviest.select(key="source_key").union(heaviest.select(key="target_key"))
    labels = party_labels(rows(ends.key))
    sources = labels.rename(source_key="key", source="label")
    targets = labels.rename(target_key="key", target="label")
    return heaviest.join(sources, "source_key").join(targets, "target_key")


def _among(rows: PartyRows, patents: ibis.Column) -> PartyRows:
    """``rows`` limited to ``patents``."""

    def limited(keys: ibis.Column | None = None, *, key: str = "key") -> ibis.Table:
        found = rows(keys, key=key)
        return found.filter(found.patent_id.isin(patents))

    return limited


PAIRED_FROM_THE_TABLE: Final = frozenset({"sqlite"})
"""Engines on which :func:`_edges` reads its second end from the table afresh (see there)."""


def _edges(rows: PartyRows, keys: ibis.Column) -> ibis.Table:
    """Each pair of the parties in ``keys`` named on the same patents, once, with the patents
    they share (a party listed twice on a patent pairs twice there: patents are counted).

    Only patents listing two or more of the parties can pair anyone, so both ends read those
    alone: most patents have one owner (co-ownership on a 19k-patent dataset: 8.8 s before,
    0.2 s after). On SQLite the second end is read from the table afresh, another expression
    than the first: SQLite copies rows read twice into a temporary table without an index
    and paired them by scanning, every row against every other (co-inventors on that
    dataset: 2.8 s), where from the table it finds each patent's rows by the (dataset,
    patent) index (0.4 s). DuckDB pairs the same rows twice faster than it reads them again
    (co-inventors on 1.43M patents: 0.62 s against 0.99 s), so elsewhere both ends are one.
    """
    listed = rows(keys)
    listings = listed.group_by("patent_id").aggregate(listed=listed.count())
    shared = listings.filter(listings.listed >= 2)
    both = listed.filter(listed.patent_id.isin(shared.patent_id))
    left = both.select("patent_id", source_key="key")
    if listed.get_backend().name in PAIRED_FROM_THE_TABLE:
        again = rows(keys, key="target_key")
        right = again.filter(again.patent_id.isin(shared.patent_id))
    else:
        right = both.rename(target_key="key")
    right = right.select("patent_id", "target_key")
    joined = left.join(
        right, (left.patent_id == right.patent_id) & (left.source_key < right.target_key)
    )
    return joined.group_by("source_key", "target_key").aggregate(patents=joined.patent_id.nunique())


def _oriented(row: Row) -> tuple[Any, ...]:
    """An edge with its ends in Python's order, so no backend's collation decides which end
    is the source."""
    ends = sorted([(row["source"], row["source_key"]), (row["target"], row["target_key"])])
    return (-integer(row["patents"]), *ends[0], *ends[1])


def finish_network(rows: Sequence[Row], context: Context, *, empty: Note) -> Answer | NotApplicable:
    """Edges heaviest first, ties by the two labels (and keys, where labels repeat)."""
    if not rows:
        return NotApplicable(empty)
    edges = sorted(_oriented(row) for row in rows)[: context.params.network_top]
    nodes = sorted({label for edge in edges for label in (edge[1], edge[3])})
    return Answer(
        rows=tuple((source, target, -weight) for weight, source, _, target, _ in edges),
        extras={"nodes": nodes},
    )


def _network(
    name: str,
    titles: tuple[str, str],
    ends: tuple[str, str],
    descriptions: tuple[str, str],
    build: Builder,
    empty: Note,
    needs: tuple[Need, ...],
) -> Metric:
    def finish(rows: Sequence[Row], context: Context) -> Answer | NotApplicable:
        return finish_network(rows, context, empty=empty)

    return Metric(
        name=name,
        title_zh=titles[0],
        title_en=titles[1],
        shape=Shape.NETWORK,
        columns=(
            column("source", f"{ends[0]} A", f"{ends[1]} A", ColumnKind.TEXT),
            column("target", f"{ends[0]} B", f"{ends[1]} B", ColumnKind.TEXT),
            column("patents", "共同专利数", "Shared patents", ColumnKind.INTEGER),
        ),
        description_zh=descriptions[0],
        description_en=descriptions[1],
        build=build,
        finish=finish,
        needs=needs,
    )


def build_co_ownership(tables: Tables, params: MetricParams) -> ibis.Table:
    """合作申请网络 — pairs of owners named on the same patents, weighted by how many."""
    rows = partial(owner_rows, tables)
    return co_occurrence(rows, owner_counts(tables), params, shared=co_owned(tables).patent_id)


def co_owned(tables: Tables) -> ibis.Table:
    """The patents listing two or more owners: ``patent_id`` and ``owners`` (rows listed).
    Derived once per report.

    Most patents have one owner (on 1.43M patents, 7 % have more), so the co-ownership
    network pairs the owners of these alone (on 1.43M patents: 0.24 s before, 0.15 s after)."""
    return derived(tables, "co_owned", _co_owned)


def _co_owned(tables: Tables) -> ibis.Table:
    rows = owner_rows(tables)
    listings = rows.group_by("patent_id").aggregate(owners=rows.count())
    return listings.filter(listings.owners >= 2)


def build_co_inventors(tables: Tables, params: MetricParams) -> ibis.Table:
    """发明人合作网络 — pairs of inventors named on the same patents, weighted by how many."""
    return co_occurrence(partial(inventor_rows, tables), inventor_listings(tables), params)


CO_OWNERSHIP: Final = _network(
    "co_ownership",
    ("合作申请网络", "Co-ownership network"),
    ("申请人", "Owner"),
    (
        "同一件专利上出现的每对申请人（按实体，无实体时按名称）及其共同专利件数，"
        "按件数取最多的若干条连线（默认 30 条）。",
        "Pairs of owners (entities, else names) named on the same patents, weighted by the "
        "patents they share; the heaviest edges (30 by default).",
    ),
    build_co_ownership,
    Note(
        "数据集中没有两个以上申请人共同申请的专利。",
        "No patent in the dataset is owned by two or more owners.",
    ),
    (OWNED,),
)

CO_INVENTORS: Final = _network(
    "co_inventors",
    ("发明人合作网络", "Co-inventor network"),
    ("发明人", "Inventor"),
    (
        "同一件专利上出现的每对发明人（按姓名）及其共同专利件数，"
        "按件数取最多的若干条连线（默认 30 条）。",
        "Pairs of inventors (by name) named on the same patents, weighted by the patents "
        "they share; the heaviest edges (30 by default).",
    ),
    build_co_inventors,
    Note(
        "数据集中没有两名以上发明人共同完成的专利。",
        "No patent in the dataset names two or more inventors.",
    ),
    (INVENTED,),
)

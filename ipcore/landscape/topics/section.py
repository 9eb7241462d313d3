"""技术主题聚类 — the report section: a dataset's topics with their owners, years and examples.

Not a :class:`~ipcore.landscape.metrics.Metric`: the clusters come from vectors that the
analytic tables do not hold (the search app's embeddings, or a snapshot's ``vectors.parquet``),
and clustering needs every patent's vector, not an aggregate an engine can return. The
section reads from the tables, on any Ibis backend, what it states beside each topic — the
patents' titles (for the labels), application and publication dates, and owners — and
receives the vectors from a :data:`VectorSource` its caller provides.

A patent without a vector (the background embedding has not reached it) is left out of the
clusters and counted in the note; shares are of the patents clustered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ipcore.landscape.metrics import MetricParams, Note
from ipcore.landscape.metrics._base import (
    HAS_PATENTS,
    PATENTS_COLUMN,
    SHARE,
    column,
    owner_rows,
    party_pairs,
    plural,
)
from ipcore.landscape.metrics.activity import incomplete_from
from ipcore.landscape.results import Column, ColumnKind, MetricResult, Shape, Value
from ipcore.landscape.schema import Tables
from ipcore.landscape.topics import Topics, find_topics

NAME: Final = "topic_clusters"
MIN_PATENTS: Final = 10
"""Fewer patents with vectors than this are not clustered: two topics of five say nothing."""
TOP_OWNERS: Final = 3
MIN_GROWTH_BASE: Final = 5
"""Filings a topic needs in the earlier window for its growth to be stated."""
EXAMPLE_TITLE: Final = 40  # characters of an example's title shown


@dataclass(frozen=True)
class SectionStep:
    """The section as a report's progress names it (``ipcore.landscape.metrics.Step``)."""

    name: str
    title_zh: str
    title_en: str


STEP: Final = SectionStep(NAME, "技术主题聚类", "Topic clusters")

DESCRIPTION_ZH: Final = (
    "按专利语义向量（multilingual-e5-small，标题与摘要开头）的相似度，用球面 k 均值把数据集聚成"
    "若干技术主题（主题数随专利数确定，4 至 20 个）；主题词是该主题专利标题中相对其他主题最有"
    "区分度的词（c-TF-IDF）；代表性专利为最接近主题中心的专利。气泡图中相近的主题彼此靠近"
    "（主题中心的主成分投影），气泡大小为专利数。"
)
DESCRIPTION_EN: Final = (
    "Patents grouped by the similarity of their semantic vectors (multilingual-e5-small, over "
    "the title and the start of the abstract) with spherical k-means, into 4 to 20 topics by "
    "the dataset's size; each topic is named by the words of its titles that set it apart from "
    "the others (c-TF-IDF), and its example patents are those nearest its centre. On the map, "
    "related topics lie close together (the principal components of the topic centres) and a "
    "bubble's size is its patents."
)

NO_VECTORS: Final = Note(
    "数据集中的专利都还没有语义向量，无法聚类：运行 `ipops embed`（或等待后台向量化完成）后"
    "重新生成报告。",
    "None of the dataset's patents has a semantic vector yet, so there are no topic clusters: "
    "run `ipops embed` (or wait for the background embedding) and make the report again.",
)


@dataclass(frozen=True)
class PatentVectors:
    """Vectors of some patents: ``ids`` and one row of ``vectors`` each (centred on their
    script's mean; any length, normalised here)."""

    ids: npt.NDArray[np.int64]
    vectors: npt.NDArray[np.float32]

    def __post_init__(self) -> None:
        if self.vectors.ndim != 2 or self.vectors.shape[0] != self.ids.shape[0]:
            raise ValueError(
                f"{self.ids.shape[0]} ids but vectors of shape {self.vectors.shape}"
            )


VectorSource = Callable[[Sequence[int]], PatentVectors | Note]
"""The vectors of the patents with these ids (those without one absent), or a note saying
why none can be read at all (a snapshot written without vectors)."""
NumberSource = Callable[[Sequence[int]], Mapping[int, str]]
"""Patent numbers to show for these ids (CN111994302B); an id missing is shown as #id."""


def _columns(recent: tuple[int, int], previous: tuple[int, int]) -> tuple[Column, ...]:
    earlier, later = _span(*previous), _span(*recent)
    return (
        column("topic", "主题", "Topic", ColumnKind.INTEGER),
        column("label_zh", "主题词", "Topic (Chinese)", ColumnKind.TEXT),
        column("label_en", "主题词（英文）", "Topic", ColumnKind.TEXT),
        PATENTS_COLUMN,
        SHARE,
        column("top_owners", "主要申请人", "Top owners", ColumnKind.TEXT),
        column("first_year", "最早申请年", "First filing year", ColumnKind.YEAR),
        column("last_year", "最近申请年", "Latest filing year", ColumnKind.YEAR),
        column("median_year", "申请年中位数", "Median filing year", ColumnKind.NUMBER),
        column("previous", f"{earlier}年申请量", f"Filed {earlier}", ColumnKind.INTEGER),
        column("recent", f"{later}年申请量", f"Filed {later}", ColumnKind.INTEGER),
        column("growth", "增长率", "Growth", ColumnKind.SHARE),
        column("examples", "代表性专利", "Example patents", ColumnKind.TEXT),
        column("cohesion", "紧密度", "Cohesion", ColumnKind.NUMBER),
        column("x", "图上位置 X", "Map x", ColumnKind.NUMBER),
        column("y", "图上位置 Y", "Map y", ColumnKind.NUMBER),
    )


def _span(first: int, last: int) -> str:
    return f"{first}\u2013{last}"


@dataclass(frozen=True)
class _Patents:
    """The dataset's patents as the section reads them, in ascending id order."""

    ids: npt.NDArray[np.int64]
    titles: list[str | None]
    years: npt.NDArray[np.int64]  # application year, 0 where unknown
    last_published: int | None


def topic_clusters(
    tables: Tables,
    source: VectorSource,
    params: MetricParams,
    *,
    numbers: NumberSource | None = None,
    no_vectors: Note = NO_VECTORS,
    k: int | None = None,
) -> MetricResult:
    """The topic clusters of the dataset in ``tables``, from the vectors ``source`` gives."""
    patents = _read_patents(tables)
    recent, previous = windows(params, patents.last_published)
    columns = _columns(recent, previous)
    if patents.ids.size == 0:
        return _not_applicable(columns, HAS_PATENTS.note)
    found = source([int(pk) for pk in patents.ids])
    if isinstance(found, Note):
        return _not_applicable(columns, found)
    rows_of = _positions(patents.ids, found.ids)
    kept = np.flatnonzero(rows_of >= 0)
    # The dataset's rows that have a vector (ascending) and where each vector is.
    rows, first = np.unique(rows_of[kept], return_index=True)
    first = kept[first]
    if rows.size == 0:
        return _not_applicable(columns, no_vectors)
    missing = int(patents.ids.size - rows.size)
    if rows.size < MIN_PATENTS:
        return _not_applicable(columns, _too_few(int(rows.size), missing))
    titles = [patents.titles[row] for row in rows]
    same_order = first.size == found.ids.size and bool((first == np.arange(first.size)).all())
    topics = find_topics(found.vectors if same_order else found.vectors[first], titles, k=k)
    ids = patents.ids[rows]
    owners = _owners(tables, ids, topics)
    examples = _examples(topics, ids, titles, numbers)
    body = _rows(topics, patents.years[rows], owners, examples, recent, previous)
    notes = _left_out(missing)
    return MetricResult(
        name=NAME,
        title_zh=STEP.title_zh,
        title_en=STEP.title_en,
        shape=Shape.MAP,
        columns=columns,
        rows=tuple(body),
        note_zh="".join(note.zh for note in notes),
        note_en=" ".join(note.en for note in notes),
        extras={
            "description_zh": DESCRIPTION_ZH,
            "description_en": DESCRIPTION_EN,
            "clustered": int(rows.size),
            "without_vectors": missing,
            "fitted_on": topics.fitted_on,
            "recent_span": recent,
            "previous_span": previous,
        },
    )


def windows(
    params: MetricParams, last_published: int | None
) -> tuple[tuple[int, int], tuple[int, int]]:
    """近期与前期 — the last ``params.recent_years`` complete filing years before the data's
    horizon (:func:`~ipcore.landscape.metrics.activity.incomplete_from`: the year before the
    last publication, or before the as-of day) and as many years before them."""
    last = incomplete_from(params.as_of.year, last_published) - 1
    length = params.recent_years
    return (last - length + 1, last), (last - 2 * length + 1, last - length)


def _read_patents(tables: Tables) -> _Patents:
    patents = tables.patents
    table = (
        patents.select(
            "patent_id",
            "title",
            year=patents.application_date.year(),
            published=patents.publication_date.year(),
        )
        .order_by("patent_id")
        .to_pyarrow()
    )
    ids = np.asarray(table["patent_id"].to_numpy(zero_copy_only=False), dtype=np.int64)
    years = table["year"].fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    published = [int(year) for year in table["published"].to_pylist() if year is not None]
    return _Patents(
        ids=ids,
        titles=table["title"].to_pylist(),
        years=years,
        last_published=max(published) if published else None,
    )


def _positions(ids: npt.NDArray[np.int64], wanted: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Where each of ``wanted`` stands in the ascending ``ids`` (-1 where absent)."""
    wanted = np.asarray(wanted, dtype=np.int64)
    at = np.searchsorted(ids, wanted)
    inside = at < ids.size
    hit = np.zeros(wanted.size, dtype=bool)
    hit[inside] = ids[at[inside]] == wanted[inside]
    result: npt.NDArray[np.int64] = np.where(hit, at, -1).astype(np.int64)
    return result


def _owners(tables: Tables, ids: npt.NDArray[np.int64], topics: Topics) -> list[str]:
    """Each topic's TOP_OWNERS owners by its patents: ``name (n); …``."""
    table = party_pairs(owner_rows(tables)).to_pyarrow()
    topic_of = dict(zip(ids.tolist(), topics.assignment.tolist(), strict=True))
    counts: list[Counter[Any]] = [Counter() for _ in topics.topics]
    labels: dict[Any, str] = {}
    for pk, key, label in zip(
        table["patent_id"].to_pylist(),
        table["key"].to_pylist(),
        table["label"].to_pylist(),
        strict=True,
    ):
        topic = topic_of.get(pk)
        if topic is None:
            continue
        counts[topic][key] += 1
        labels[key] = label if key not in labels else min(labels[key], label)
    return [
        "; ".join(
            f"{labels[key]} ({n})"
            for key, n in sorted(count.items(), key=lambda item: (-item[1], labels[item[0]]))[
                :TOP_OWNERS
            ]
        )
        for count in counts
    ]


def _examples(
    topics: Topics,
    ids: npt.NDArray[np.int64],
    titles: Sequence[str | None],
    numbers: NumberSource | None,
) -> list[str]:
    wanted = sorted({int(ids[row]) for topic in topics.topics for row in topic.examples})
    named = numbers(wanted) if numbers is not None and wanted else {}
    texts = []
    for topic in topics.topics:
        parts = []
        for row in topic.examples:
            pk = int(ids[row])
            title = (titles[row] or "").strip()
            if len(title) > EXAMPLE_TITLE:
                title = title[: EXAMPLE_TITLE - 1] + "…"
            parts.append(f"{named.get(pk, f'#{pk}')} {title}".strip())
        texts.append("; ".join(parts))
    return texts


def _rows(
    topics: Topics,
    years: npt.NDArray[np.int64],
    owners: Sequence[str],
    examples: Sequence[str],
    recent: tuple[int, int],
    previous: tuple[int, int],
) -> list[tuple[Value, ...]]:
    total = int(topics.assignment.size)
    rows: list[tuple[Value, ...]] = []
    for index, topic in enumerate(topics.topics):
        dated = years[(topics.assignment == index) & (years > 0)]
        before = int(np.count_nonzero((dated >= previous[0]) & (dated <= previous[1])))
        after = int(np.count_nonzero((dated >= recent[0]) & (dated <= recent[1])))
        growth = after / before - 1 if before >= MIN_GROWTH_BASE else None
        rows.append(
            (
                topic.number,
                topic.label_zh,
                topic.label_en,
                topic.size,
                topic.size / total,
                owners[index],
                int(dated.min()) if dated.size else None,
                int(dated.max()) if dated.size else None,
                float(np.median(dated)) if dated.size else None,
                before,
                after,
                growth,
                examples[index],
                topic.cohesion,
                topic.x,
                topic.y,
            )
        )
    return rows


def _left_out(missing: int) -> tuple[Note, ...]:
    if missing <= 0:
        return ()
    return (
        Note(
            f"{missing} 件专利尚未生成向量，未参与聚类。",
            f"{plural(missing, 'patent')} had no vector yet and were left out of the clusters.",
        ),
    )


def _too_few(clustered: int, missing: int) -> Note:
    return Note(
        f"只有 {clustered} 件专利有语义向量，少于 {MIN_PATENTS} 件，不足以聚类"
        + (f"（另有 {missing} 件尚未生成向量）。" if missing else "。"),
        f"Only {plural(clustered, 'patent')} {'has' if clustered == 1 else 'have'} a semantic "
        f"vector, fewer than the {MIN_PATENTS} clustering needs"
        + (f" ({missing} more have none yet)." if missing else "."),
    )


def _not_applicable(columns: tuple[Column, ...], note: Note) -> MetricResult:
    return MetricResult(
        name=NAME,
        title_zh=STEP.title_zh,
        title_en=STEP.title_en,
        shape=Shape.MAP,
        columns=columns,
        rows=(),
        applicable=False,
        note_zh=note.zh,
        note_en=note.en,
        extras={"description_zh": DESCRIPTION_ZH, "description_en": DESCRIPTION_EN},
    )

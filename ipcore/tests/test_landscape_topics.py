"""Topic clusters: spherical k-means on synthetic vectors, labels by c-TF-IDF on real-looking
titles, map positions, and the report section on DuckDB tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ipcore.landscape.metrics import MetricParams, Note
from ipcore.landscape.narrative import findings
from ipcore.landscape.results import Report, Shape
from ipcore.landscape.schema import SCHEMAS, Tables
from ipcore.landscape.topics import bubble_radius, find_topics, map_positions, topic_count
from ipcore.landscape.topics.clustering import spherical_kmeans, unit_rows
from ipcore.landscape.topics.labels import cjk_terms, title_terms, topic_terms
from ipcore.landscape.topics.section import (
    MIN_PATENTS,
    NO_VECTORS,
    PatentVectors,
    topic_clusters,
    windows,
)
from ipcore.tests.landscape_data import complete

DIMS = 32


def groups(
    sizes: Sequence[int], *, spread: float = 0.15, seed: int = 7
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors around len(sizes) random directions (far apart in 32 dimensions) and the
    group of each, shuffled."""
    rng = np.random.default_rng(seed)
    centres = unit_rows(rng.normal(size=(len(sizes), DIMS)))
    truth = np.repeat(np.arange(len(sizes)), sizes)
    rng.shuffle(truth)
    noise = rng.normal(scale=spread, size=(truth.size, DIMS))
    return (centres[truth] + noise).astype(np.float32), truth


def same_partition(found: np.ndarray, truth: np.ndarray) -> bool:
    """Whether two labellings split the rows alike, whatever their numbers."""
    pairs = set(zip(found.tolist(), truth.tolist(), strict=True))
    return len(pairs) == len(set(found.tolist())) == len(set(truth.tolist()))


# --- how many topics ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k"),
    [(0, 0), (1, 1), (4, 1), (9, 1), (10, 2), (20, 4), (32, 4), (50, 5), (200, 10), (800, 20),
     (200_000, 20)],
)
def test_the_number_of_topics_grows_with_the_square_root_within_bounds(n: int, k: int) -> None:
    assert topic_count(n) == k


# --- spherical k-means ----------------------------------------------------------------------


def test_well_separated_groups_are_recovered_largest_first() -> None:
    vectors, truth = groups([40, 25, 60, 15])
    clustering = spherical_kmeans(vectors, 4)
    assert same_partition(clustering.labels, truth)
    assert clustering.sizes() == [60, 40, 25, 15]
    # every vector sits with its most similar centroid
    scores = unit_rows(vectors) @ clustering.centroids.T
    assert np.array_equal(scores.argmax(axis=1), clustering.labels)


def test_the_same_vectors_give_the_same_topics() -> None:
    vectors, _ = groups([30, 30, 30, 30, 30], spread=0.6)  # overlapping: seeding matters
    titles = ["锂电池正极材料"] * vectors.shape[0]
    first, second = find_topics(vectors, titles), find_topics(vectors.copy(), list(titles))
    assert np.array_equal(first.assignment, second.assignment)
    assert first.topics == second.topics


def test_a_large_set_is_fitted_on_a_sample_then_every_vector_assigned() -> None:
    vectors, truth = groups([300, 200, 100])
    clustering = spherical_kmeans(vectors, 3, fit_sample=60)
    assert clustering.fitted_on == 60
    assert clustering.labels.size == 600
    assert same_partition(clustering.labels, truth)


def test_no_vectors_no_topics() -> None:
    topics = find_topics(np.empty((0, DIMS), dtype=np.float32), [])
    assert len(topics) == 0 and topics.assignment.size == 0


def test_one_vector_is_one_topic_at_the_centre_of_the_map() -> None:
    topics = find_topics(np.ones((1, DIMS)), ["一种无人机"])
    (topic,) = topics.topics
    assert (topic.size, topic.examples, topic.x, topic.y) == (1, (0,), 0.0, 0.0)
    assert topic.terms_zh == ("无人机",)


def test_fewer_vectors_than_topics_asked_give_one_topic_each() -> None:
    vectors, _ = groups([1, 1, 1])
    topics = find_topics(vectors, ["a", "b", "c"], k=8)
    assert sorted(t.size for t in topics.topics) == [1, 1, 1]


def test_duplicate_vectors_make_no_more_topics_than_distinct_vectors() -> None:
    vectors, _ = groups([1, 1])
    repeated = np.repeat(vectors, 10, axis=0)
    topics = find_topics(repeated, [""] * 20, k=5)
    assert [t.size for t in topics.topics] == [10, 10]
    same = find_topics(np.repeat(vectors[:1], 12, axis=0), [""] * 12, k=4)
    assert [t.size for t in same.topics] == [12]


def test_vectors_with_nan_or_one_dimension_are_refused() -> None:
    with pytest.raises(ValueError, match="NaN"):
        find_topics(np.array([[1.0, np.nan]]), ["x"])
    with pytest.raises(ValueError, match="2-D"):
        find_topics(np.ones(4), ["x"])
    with pytest.raises(ValueError, match="titles"):
        find_topics(np.ones((2, 4)), ["x"])


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(
        np.float32,
        st.tuples(st.integers(0, 40), st.just(6)),
        elements=st.floats(-4, 4, width=32),
    ),
    st.integers(1, 8),
)
def test_every_vector_is_in_one_topic_numbered_by_size(vectors: np.ndarray, k: int) -> None:
    clustering = spherical_kmeans(vectors, k)
    n = vectors.shape[0]
    distinct = len({tuple(row) for row in unit_rows(vectors).round(5).tolist()})
    assert clustering.labels.size == n
    assert clustering.k <= min(k, max(distinct, 0)) or n == 0
    sizes = clustering.sizes()
    assert sum(sizes) == n and all(size > 0 for size in sizes)
    assert sizes == sorted(sizes, reverse=True)


# --- the map --------------------------------------------------------------------------------


def test_map_positions_lie_in_the_unit_square_with_signs_fixed() -> None:
    assert map_positions(np.empty((0, 4))) == []
    assert map_positions(np.ones((1, 4))) == [(0.0, 0.0)]
    two = map_positions(np.eye(2, 4))
    assert [y for _x, y in two] == [0.0, 0.0] and sorted(x for x, _y in two) == [-1.0, 1.0]
    rng = np.random.default_rng(3)
    centroids = unit_rows(rng.normal(size=(7, 16)))
    places = map_positions(centroids)
    assert max(max(abs(x), abs(y)) for x, y in places) == 1.0
    # the layout does not depend on the order the topics come in
    assert map_positions(centroids[::-1]) == places[::-1]


# --- labels ---------------------------------------------------------------------------------


DRONES = [
    "一种无人机自动降落装置",
    "无人机电池快速更换系统",
    "一种基于视觉的无人机目标跟踪方法",
    "多旋翼无人机的折叠机臂",
    "Unmanned aerial vehicle with folding arms",
    "Unmanned aerial vehicles landing on a moving truck",
]
BATTERIES = [
    "一种锂离子电池正极材料及其制备方法",
    "锂离子电池负极材料的制备方法",
    "一种锂离子电池电解液",
    "锂离子电池隔膜及其制备方法",
    "Lithium ion battery cathode material",
    "Lithium ion batteries with a solid electrolyte",
]


def test_labels_are_the_words_that_set_a_topic_apart() -> None:
    drones, batteries = topic_terms([DRONES, BATTERIES])
    assert drones.chinese[0] == "无人机" and batteries.chinese[0] == "锂离子电池"
    assert "制备" not in batteries.chinese  # title boilerplate names no topic
    assert batteries.other[0] == "lithium ion battery"  # the phrase, not its parts
    # the longer phrase names its parts: no "aerial vehicle" beside it
    assert drones.other[0].startswith("unmanned aerial vehicle")
    assert not {"unmanned aerial", "aerial vehicle", "vehicle"} & set(drones.other)
    assert "离子电池" not in batteries.chinese


def test_word_forms_are_one_term_shown_as_most_often_written() -> None:
    (terms,) = topic_terms([["Batteries for drones", "Batteries for phones", "Battery housing"]])
    assert terms.other[0] == "batteries"


def test_candidate_terms_are_cut_at_boilerplate_and_function_characters() -> None:
    assert "锂离子电池" in cjk_terms("一种锂离子电池正极材料及其制备方法")
    terms = cjk_terms("一种锂离子电池的制备方法")
    assert not {term for term in terms if "的" in term or "一种" in term}
    assert "方法" not in cjk_terms("一种控制方法")
    words, written, _sides = title_terms("Unmanned Aerial Vehicles")
    assert written["~vehicl"] == "vehicles" and "~aerial ~vehicl" in words
    assert title_terms("a method of the system")[0] == set()  # stop words only


def test_a_topic_of_one_patent_is_named_by_its_own_title() -> None:
    (terms,) = topic_terms([["一种无人机"]])
    assert terms.chinese == ("无人机",)


# --- the report section -----------------------------------------------------------------------

AS_OF = dt.date(2025, 6, 30)
PARAMS = MetricParams(as_of=AS_OF)


def tables(patents: list[dict[str, object]], owners: list[dict[str, object]]) -> Tables:
    engine = ibis.duckdb.connect()
    rows = complete({"patents": patents, "owners": owners})  # owners' keys as written
    return Tables(
        **{
            name: engine.create_table(
                name, pa.Table.from_pylist(rows.get(name, []), schema=schema.to_pyarrow())
            )
            for name, schema in SCHEMAS.items()
        }
    )


def dataset(embedded: int = 24, without: int = 3) -> tuple[Tables, PatentVectors]:
    """Drone and battery patents (ids 1…): the first ``embedded`` with vectors (two groups),
    ``without`` more without; batteries filed in 2011-2015 (fewer of late), drones in
    2012-2020 (more of late)."""
    vectors, truth = groups([embedded // 2, embedded - embedded // 2], spread=0.05)
    patents: list[dict[str, object]] = []
    owners: list[dict[str, object]] = []
    seen = [0, 0]  # patents of each kind so far: titles and years cycle within a kind
    for i in range(embedded + without):
        drone = bool(i >= embedded or truth[i] == 0)
        nth = seen[drone]
        seen[drone] += 1
        pk = i + 1
        year = 2012 + nth % 9 if drone else 2011 + nth % 5
        patents.append(
            {
                "patent_id": pk,
                "office": "CN",
                "type": "invention",
                "application_date": dt.date(year, 5, 1),
                "publication_date": dt.date(year + 1, 11, 1),
                "family_size": 1,
                "family_offices": 1,
                "title": (DRONES if drone else BATTERIES)[nth % 6],
            }
        )
        owners.append(
            {
                "patent_id": pk,
                "position": 1,
                "entity_id": 1 if drone else 2 + nth % 2,
                "name": "大疆创新" if drone else ("宁德时代" if nth % 2 == 0 else "比亚迪"),
            }
        )
    ids = np.arange(1, embedded + 1, dtype=np.int64)
    return tables(patents, owners), PatentVectors(ids, vectors)


def test_the_section_names_each_topic_with_its_owners_years_and_examples() -> None:
    facts, vectors = dataset()
    result = topic_clusters(
        facts, lambda ids: vectors, PARAMS, numbers=lambda ids: {pk: f"CN{pk}A" for pk in ids}, k=2
    )
    assert result.applicable and result.shape is Shape.MAP
    records = result.records()
    assert [r["topic"] for r in records] == [1, 2]
    assert sum(r["patents"] for r in records) == 24  # type: ignore[misc]
    assert sum(r["share"] for r in records) == pytest.approx(1.0)  # type: ignore[misc]
    by_label = {str(r["label_zh"]).split("、")[0]: r for r in records}
    assert set(by_label) == {"无人机", "锂离子电池"}
    drones, batteries = by_label["无人机"], by_label["锂离子电池"]
    assert str(drones["top_owners"]).startswith("大疆创新 (")
    assert {owner.split(" (")[0] for owner in str(batteries["top_owners"]).split("; ")} == {
        "宁德时代",
        "比亚迪",
    }
    assert str(drones["examples"]).startswith("CN")
    assert drones["label_en"] and "unmanned aerial" in str(drones["label_en"])
    assert batteries["first_year"] == 2011 and batteries["last_year"] == 2015
    assert result.note_zh == "3 件专利尚未生成向量，未参与聚类。"
    assert result.note_en == "3 patents had no vector yet and were left out of the clusters."
    assert result.extras["clustered"] == 24 and result.extras["without_vectors"] == 3


def test_growth_compares_the_last_complete_windows_before_the_data_ends() -> None:
    # Publications end in 2023: filings of 2022 and 2023 are incomplete, so the recent window
    # is 2017 to 2021 and the one before it 2012 to 2016.
    assert windows(PARAMS, 2023) == ((2017, 2021), (2012, 2016))
    assert windows(PARAMS, None) == ((2019, 2023), (2014, 2018))


def test_the_findings_name_the_largest_and_the_fastest_growing_topics() -> None:
    facts, vectors = dataset(embedded=40, without=0)
    result = topic_clusters(facts, lambda ids: vectors, PARAMS, k=2)
    report = Report("x", "", 40, AS_OF, dt.datetime(2025, 7, 1, tzinfo=dt.UTC), "duckdb", (result,))
    text = " ".join(f.text for f in findings(report, "zh-hans") if f.metric == "topic_clusters")
    assert "按语义相似度，专利聚为2个技术主题" in text
    # publications end in 2021: the windows are 2015-2019 against 2010-2014
    assert result.extras["recent_span"] == (2015, 2019)
    drones = next(r for r in result.records() if str(r["label_zh"]).startswith("无人机"))
    assert (drones["previous"], drones["recent"], drones["growth"]) == (8, 10, 0.25)
    assert "增长最快的主题是“无人机" in text
    assert "2015\u20132019年申请10件，比2010\u20132014年（8件）增长25%" in text
    english = " ".join(f.text for f in findings(report, "en") if f.metric == "topic_clusters")
    assert "By meaning, the patents fall into 2 topics" in english


NO_ROWS = PatentVectors(np.empty(0, dtype=np.int64), np.empty((0, DIMS), np.float32))


def test_without_vectors_the_section_says_to_embed() -> None:
    facts, _ = dataset(embedded=4, without=5)
    result = topic_clusters(facts, lambda ids: NO_ROWS, PARAMS)
    assert not result.applicable and result.note_zh == NO_VECTORS.zh
    assert "ipops embed" in result.note_en


def test_too_few_vectors_are_not_clustered() -> None:
    facts, vectors = dataset(embedded=MIN_PATENTS - 1, without=2)
    result = topic_clusters(facts, lambda ids: vectors, PARAMS)
    assert not result.applicable
    assert result.note_zh == (
        "只有 9 件专利有语义向量，少于 10 件，不足以聚类（另有 2 件尚未生成向量）。"
    )
    assert result.note_en.startswith("Only 9 patents have a semantic vector, fewer than the 10")


def test_an_empty_dataset_has_no_topics() -> None:
    result = topic_clusters(tables([], []), lambda ids: NO_ROWS, PARAMS)
    assert not result.applicable and result.note_zh == "数据集中没有专利。"


def test_vectors_of_patents_outside_the_dataset_are_ignored() -> None:
    facts, vectors = dataset(embedded=12, without=0)
    extra = PatentVectors(
        np.concatenate([vectors.ids, [999, 1000]]),
        np.vstack([vectors.vectors, vectors.vectors[:2]]),
    )
    result = topic_clusters(facts, lambda ids: extra, PARAMS, k=2)
    assert result.extras["clustered"] == 12 and result.note_zh == ""


def test_a_source_without_vectors_gives_its_own_reason() -> None:
    facts, _ = dataset()
    reason = Note("快照中没有向量。", "The snapshot holds no vectors.")
    result = topic_clusters(facts, lambda ids: reason, PARAMS)
    assert (result.applicable, result.note_zh, result.note_en) == (False, reason.zh, reason.en)


def test_bubbles_that_would_cover_each_other_are_pushed_apart() -> None:
    centroids = unit_rows(np.array([[1.0, 0.0, 0.0], [0.999, 0.01, 0.0], [0.0, 0.0, 1.0]]))
    plain = map_positions(centroids)
    sizes = [50, 40, 10]
    spread = map_positions(centroids, sizes)
    (x0, y0), (x1, y1) = spread[0], spread[1]
    reach = bubble_radius(50, 50) + bubble_radius(40, 50)
    assert np.hypot(x1 - x0, y1 - y0) >= reach - 1e-3  # apart now
    assert np.hypot(plain[1][0] - plain[0][0], plain[1][1] - plain[0][1]) < reach  # were not
    assert spread[2] == plain[2] or np.hypot(*np.subtract(spread[2], plain[2])) < 0.2


def test_a_few_titles_in_another_script_do_not_name_a_topic() -> None:
    parts = ("机臂", "电池", "云台", "起落架", "遥控器", "机身", "螺旋桨", "天线", "相机", "脚架")
    chinese = [f"一种无人机{part}" for part in parts]
    english = ["Drone frame with arms", "Drone frame with a gimbal"]
    (few,) = topic_terms([chinese + english])  # 2 of 12 distinct titles: 17 %
    assert few.chinese[0] == "无人机" and few.other == ()
    (enough,) = topic_terms([chinese[:5] + english])  # 2 of 7: 29 %
    assert enough.other[0] == "drone frame"


def test_a_for_phrase_names_nothing() -> None:
    assert not {term for term in cjk_terms("一种食品加工用搅拌机") if term.endswith("用")}

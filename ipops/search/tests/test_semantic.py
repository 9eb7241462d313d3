"""Semantic search on real text: incremental embedding, "more like this", cross-language
descriptions, the vector index as a projection of the stored vectors."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from ipcore.patents.record import Text, TextField
from ipops.corpus.models import Patent, SearchOutbox
from ipops.corpus.services import ingest_file
from ipops.corpus.signals import corpus_changed
from ipops.corpus.tests.factories import load, us_record
from ipops.errors import InvalidInput
from ipops.search import embedder, semantic, tasks, vectors
from ipops.search.embedder import clip, compose_text
from ipops.search.index import IndexUnavailable
from ipops.search.models import PatentEmbedding

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "demo" / "corpus"


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    embedder.model()  # once per process (~2 s); every test after this one embeds at once


def titled(number: str, title: str, abstract: str = "") -> object:
    texts = [Text(TextField.TITLE, "en", title)]
    if abstract:
        texts.append(Text(TextField.ABSTRACT, "en", abstract))
    return us_record(number, texts=tuple(texts))


def loaded(*records: object) -> dict[str, int]:
    """Load records; their patent ids by number."""
    load(*records)  # type: ignore[arg-type]
    return dict(Patent.objects.values_list("publication_number", "pk"))


DRONES = (
    ("10000001", "Unmanned aerial vehicle landing on the roof of a moving truck"),
    ("10000002", "Drone that lands on a moving vehicle platform"),
    ("10000003", "Lithium-ion battery cathode material and method of making it"),
    ("10000004", "Beehive frame with a removable honeycomb foundation"),
    ("10000005", "Wind turbine blade with a de-icing heater"),
)


# --- the text that is embedded ------------------------------------------------------------


def test_the_recipe_is_titles_then_the_start_of_the_abstract() -> None:
    text = compose_text(["一种无人机", "Unmanned  aerial\nvehicle", "一种无人机"], "An UAV " * 100)
    assert text.startswith("一种无人机 / Unmanned aerial vehicle. An UAV An UAV")
    assert len(text) <= len("一种无人机 / Unmanned aerial vehicle. ") + embedder.ABSTRACT_BUDGET
    assert not text.endswith(" ")
    assert compose_text([], "abstract only", budget=10) == "abstract"  # never half a word
    assert compose_text(["Title"], "", budget=None) == "Title"


def test_a_chinese_character_weighs_three_in_the_budget() -> None:
    assert clip("无人机降落在行驶的车辆上", 9) == "无人机"
    assert clip("drone landing", 9) == "drone"
    assert clip("supercalifragilistic", 5) == "super"  # one long word: keep its start


# --- embedding -----------------------------------------------------------------------------


def test_embedding_is_incremental_and_a_changed_title_embeds_again() -> None:
    loaded(*(titled(number, title) for number, title in DRONES))
    first = semantic.embed_pending()
    assert (first.embedded, first.examined, first.vectors, first.more) == (5, 5, 5, False)
    assert semantic.embed_pending().embedded == 0
    loaded(titled("10000005", "Wind turbine blade with a heating mat against ice"))
    again = semantic.embed_pending()
    assert (again.embedded, again.vectors) == (1, 5)
    row = PatentEmbedding.objects.get(patent_id=_id("10000005"))
    assert row.model == embedder.RECIPE
    assert len(bytes(row.vector)) == embedder.DIMENSIONS * 4


def test_a_limit_stops_the_pass_and_says_more_are_waiting() -> None:
    loaded(*(titled(number, title) for number, title in DRONES))
    first = semantic.embed_pending(limit=2)
    assert (first.embedded, first.more) == (2, True)
    assert semantic.embed_pending(limit=2).more
    last = semantic.embed_pending(limit=2)
    assert (last.embedded, last.more, last.vectors) == (1, False, 5)


def test_a_deleted_patent_loses_its_vector() -> None:
    ids = loaded(*(titled(number, title) for number, title in DRONES))
    semantic.embed_pending()
    Patent.objects.filter(pk=ids["US10000002"]).delete()
    summary = semantic.embed_pending()
    assert (summary.removed, summary.vectors) == (1, 4)
    assert ids["US10000002"] not in dict(semantic.similar_to_text("drone", 10))


def test_another_embedding_process_is_refused() -> None:
    with vectors.locked("embed.lock"), pytest.raises(semantic.EmbeddingBusy):
        semantic.embed_pending()


# --- searching -----------------------------------------------------------------------------


def test_more_like_this_excludes_itself_and_finds_the_near_duplicate_first() -> None:
    ids = loaded(*(titled(number, title) for number, title in DRONES))
    semantic.embed_pending()
    similar = semantic.similar_to_patent(ids["US10000001"], 3)
    assert similar[0][0] == ids["US10000002"]
    assert ids["US10000001"] not in dict(similar)
    assert len(similar) == 3
    assert all(-1.0 <= score <= 1.0 for _, score in similar)
    assert [score for _, score in similar] == sorted((s for _, s in similar), reverse=True)


def test_a_description_finds_patents_by_meaning() -> None:
    ids = loaded(*(titled(number, title) for number, title in DRONES))
    semantic.embed_pending()
    (best, score), *_ = semantic.similar_to_text("a drone that lands on a moving car", 5)
    assert best in {ids["US10000001"], ids["US10000002"]}
    assert 0.5 < score <= 1.0


def demo_file(tmp_path: Path, name: str, key: str, wanted: set[str], others: int) -> Path:
    """A cut of a committed demo file: the wanted rows and the first ``others`` besides."""
    with gzip.open(DEMO / name, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for i, row in enumerate(reader) if row[key] in wanted or i < others]
        fields = reader.fieldnames or []
    path = tmp_path / name
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


# Chinese descriptions of English Lens titles, and the reverse (from bench/crosslang_queries.csv).
ZH_TO_EN = {
    "Acoustic Sensor For Beehive Monitoring": "听蜂箱里的声音来判断蜂群状况的传感器",
    "Method For Deploying A Parachute On A Drone": "无人机上怎么把降落伞打开放出去",
    "Grassland Management System Using Drone": "用无人机来管理草地和牧场",
}
EN_TO_ZH = {
    "一种能自动跟踪可调节角度的太阳能发电装置": (
        "solar power unit that turns to follow the sun automatically"
    ),
}


@pytest.fixture
def demo_patents(tmp_path: Path) -> dict[str, int]:
    """A cut of the demo corpus, embedded: patent ids by title."""
    lens = demo_file(tmp_path, "lens-drones-sample.csv.gz", "Title", {*ZH_TO_EN}, 120)
    titles = demo_file(tmp_path, "cn-titles-sample.csv.gz", "title", {*EN_TO_ZH}, 80)
    for path, format_name in ((lens, "lens"), (titles, "cn-titles")):
        ingest_file(actor=None, path=path, format_name=format_name, rejects_dir=tmp_path)
    summary = semantic.embed_pending()
    assert 200 <= summary.embedded <= 210
    return dict(Patent.objects.values_list("title", "pk"))


def test_a_chinese_description_finds_the_english_patent_and_vice_versa(
    demo_patents: dict[str, int],
) -> None:
    for title, description in {**ZH_TO_EN, **EN_TO_ZH}.items():
        found = [pk for pk, _ in semantic.similar_to_text(description, 3)]
        assert demo_patents[title] in found, (title, description)


# --- the vector index -----------------------------------------------------------------------


def test_the_index_rebuilt_from_the_database_gives_the_same_neighbours() -> None:
    ids = loaded(*(titled(number, title) for number, title in DRONES))
    semantic.embed_pending()
    before = {pk: semantic.similar_to_patent(pk, 4) for pk in ids.values()}
    vectors.index_path().unlink()
    built = semantic.rebuild_vector_index()
    assert (built.vectors, built.bytes > 0) == (5, True)
    after = {pk: semantic.similar_to_patent(pk, 4) for pk in ids.values()}
    for pk in ids.values():
        assert [k for k, _ in after[pk]] == [k for k, _ in before[pk]]
        assert [s for _, s in after[pk]] == pytest.approx([s for _, s in before[pk]], abs=1e-5)


def test_an_index_that_lost_vectors_is_rebuilt_by_the_next_pass() -> None:
    loaded(*(titled(number, title) for number, title in DRONES))
    semantic.embed_pending()
    with vectors.locked("write.lock"):  # as if a pass died between its commit and the index
        files = vectors.load_for_writing()
        assert files is not None
        index, centres = files
        vectors.remove(index, [int(index.keys[0])])
        vectors.save(index, centres)
    assert vectors.count() == 4
    assert semantic.embed_pending().vectors == 5


def test_a_missing_index_is_a_clear_error() -> None:
    with pytest.raises(IndexUnavailable, match="ipops embed"):
        semantic.similar_to_text("drone", 5)
    assert isinstance(vectors.VectorIndexUnavailable(vectors.index_path()), IndexUnavailable)


def test_a_patent_without_a_vector_and_an_empty_description_are_refused() -> None:
    ids = loaded(titled("10000001", DRONES[0][1]))
    with pytest.raises(semantic.NotEmbedded):
        semantic.similar_to_patent(ids["US10000001"], 5)
    semantic.embed_pending()
    with pytest.raises(InvalidInput):
        semantic.similar_to_text("   ", 5)


# --- background work -----------------------------------------------------------------------


def queued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_a_corpus_change_queues_the_embedder(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        corpus_changed.send(sender=SearchOutbox)
    assert queued() == [
        "ipops.market.tasks.withdraw_lapsed_listings",  # the market withdrawing lapsed listings
        "ipops.search.tasks.apply_search_changes",
        "ipops.search.tasks.embed_patents",
        "ipops.valuation.tasks.score_corpus",  # the valuation app rescoring, queued too
    ]


def test_the_task_embeds_a_bounded_number_and_queues_the_rest(
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    loaded(*(titled(number, title) for number, title in DRONES))
    monkeypatch.setattr(tasks, "EMBED_TASK_LIMIT", 3)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.embed_patents.call()
    assert (result["embedded"], result["more"]) == (3, True)
    assert queued() == ["ipops.search.tasks.embed_patents"]


def _id(number: str) -> int:
    return Patent.objects.get(publication_number=f"US{number}").pk

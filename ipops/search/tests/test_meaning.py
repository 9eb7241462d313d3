"""Semantic and hybrid search as users meet them: the page, "more like this", the API."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ipcore.patents.record import PatentRecord, Text, TextField
from ipops.corpus.models import Patent
from ipops.corpus.tests.factories import load, us_record
from ipops.search import embedder, semantic, services

pytestmark = pytest.mark.django_db

PATENTS = (
    ("10000001", "Unmanned aerial vehicle landing on the roof of a moving truck"),
    ("10000002", "Lithium-ion battery cathode material and method of making it"),
    ("10000003", "Beehive frame with a removable honeycomb foundation"),
    ("10000004", "Wind turbine blade with a de-icing heater"),
)


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    embedder.model()  # load once per module (~2 s)


def titled(number: str, title: str) -> PatentRecord:
    return us_record(number, texts=(Text(TextField.TITLE, "en", title),))


@pytest.fixture
def corpus() -> dict[str, int]:
    load(*(titled(number, title) for number, title in PATENTS))
    services.apply_pending_changes()
    semantic.embed_pending()
    return dict(Patent.objects.values_list("publication_number", "pk"))


def test_a_chinese_description_finds_the_english_patent(client, corpus) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/search/", {"q": "一种能降落在行驶中卡车上的无人机", "mode": "semantic"})
    body = page.content.decode()
    first = body.index("US10000001")
    assert all(first < body.index(f"US{number}") for number, _ in PATENTS[1:])
    assert "导出 CSV" not in body  # a ranking, not a result set


def test_more_like_this_patent(client, corpus) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/search/", {"like": corpus["US10000002"], "mode": "semantic"})
    results = page.content.decode().split('class="result-list"')[1]
    assert "US10000002" not in results  # not itself
    assert results.count('class="result card"') == 3


def test_hybrid_keeps_the_query_filters(client, corpus) -> None:  # type: ignore[no-untyped-def]
    api = client.get("/api/search", {"q": "drone landing AND CC=US", "hybrid": "true"}).json()
    assert api["results"][0]["number"] == "US10000001B2"
    assert api["parsed"] == "TAC:drone AND TAC:landing AND CC:US"
    none = client.get("/api/search", {"q": "drone landing AND CC=CN", "hybrid": "true"}).json()
    assert none["total"] == 0


def test_the_command_line_ranks_by_meaning(corpus, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("search", "风力发电机叶片除冰", "--semantic", "--limit", "1")
    assert "US10000004" in capsys.readouterr().out

"""Matching on the committed real cut (demo/corpus: drone patents of CN, US and EP, indexed
and embedded): a Chinese need finds CN drone patents in force by words and by meaning, with
similarities, and a listed drone patent among the listed matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipcore.access import Role
from ipops.accounts.tests.factories import make_persona
from ipops.corpus.models import Patent
from ipops.landscape.tests.evaluation_corpus import load_evaluation_corpus
from ipops.market import matching, services
from ipops.market.queries import patent_lives
from ipops.market.tests.factories import hold

pytestmark = pytest.mark.django_db
E = Role.ENTERPRISE


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    return load_evaluation_corpus(tmp_path, monkeypatch=monkeypatch)


def test_a_chinese_need_finds_an_english_cn_patent_in_force_by_meaning(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    need = services.create_need(
        actor=personas[E], title="旋翼无人机电机支架", description="旋翼无人机的电机支架"
    )
    found = matching.matches_for_need(personas[E], need)
    assert not found.notes  # both the search index and the vectors are there
    first = found.patents[0]
    assert first.number == "CN102844085B"  # Carrier Block For Motor Of Rotary-wing Drone
    assert first.reason.by_meaning_only and first.reason.similarity
    assert first.reason.fields == ("A63H 27/00", "H02K 15/00") and first.reason.in_force
    assert first.passages[0].by_meaning


def test_an_english_need_ranks_cn_patents_in_force_by_words_and_meaning(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    need = services.create_need(
        actor=personas[E],
        title="Drone speed",
        description="Measuring the horizontal speed of a rotary-wing drone",
    )
    found = matching.matches_for_need(personas[E], need)
    numbers = [m.number for m in found.patents]
    assert numbers[:2] == ["CN102298070B", "CN102844085B"]
    assert found.patents[0].reason.terms == ("drone", "speed", "horizontal")
    assert "CN201589580U" not in numbers  # a target drone utility model, expired in 2019
    patents = list(Patent.objects.filter(pk__in=[m.patent_id for m in found.patents]))
    lives = patent_lives(patents, need.created_at.date())
    assert {p.office for p in patents} == {"CN"}
    assert all(lives[p.pk][0].value == "in_force" for p in patents)


def test_a_listed_patent_moves_to_the_listed_matches(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    need = services.create_need(
        actor=personas[E], title="Drone speed", description="horizontal speed of a drone"
    )
    seller = make_persona(E)
    hold(Patent.objects.get(pk=corpus["CN102298070B"]), seller.organization)  # type: ignore[arg-type]
    listing = services.create_listing(
        actor=seller, kind="ordinary_licence", title="无人机测速专利许可",
        numbers=["CN102298070B"], contact="021",
    )  # fmt: skip
    found = matching.matches_for_need(personas[E], need)
    assert [m.number for m in found.listed] == ["CN102298070B"]
    assert found.listed[0].listings == (listing,)
    assert "CN102298070B" not in [m.number for m in found.patents]
    licensees = matching.matches_for_listing(seller, listing)
    assert set(found.listed[0].reason.fields) <= set(licensees.main_groups)
    assert all(lic.licensee.in_subclasses for lic in licensees.licensees)


def test_a_listing_finds_a_need_in_another_language_by_meaning(personas, corpus) -> None:  # type: ignore[no-untyped-def]
    seller = make_persona(E)
    hold(Patent.objects.get(pk=corpus["CN102298070B"]), seller.organization)  # type: ignore[arg-type]
    listing = services.create_listing(
        actor=seller, kind="ordinary_licence", title="Drone speed estimation",
        numbers=["CN102298070B"], contact="021",
    )  # fmt: skip
    related = services.create_need(
        actor=personas[E],
        title="旋翼无人机飞行速度测量",
        description="测量多旋翼无人机的水平飞行速度",
    )
    unrelated = services.create_need(
        actor=personas[E], title="中药饮片炮制工艺", description="中药材切片与炮制的工艺改进"
    )
    before = matching.matches_for_listing(seller, listing)
    assert before.needs == [] and before.notes  # no words in common; not embedded yet, said so
    assert services.embed_needs() == 2
    assert services.embed_needs() == 0  # each need is embedded once per model
    found = matching.matches_for_listing(seller, listing)
    assert not found.notes
    ranked = [row.need for row in found.needs]
    assert ranked[0] == related and found.needs[0].reason.by_meaning_only
    assert unrelated not in ranked[:1]
    similarity = {row.need.pk: row.reason.similarity or 0.0 for row in found.needs}
    assert similarity[related.pk] > similarity.get(unrelated.pk, 0.0)

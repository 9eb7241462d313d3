"""Risk screening on real drone patents (demo cut): hybrid retrieval per office, standing with
its basis, passages, bounds and bad input; keeping the result as a dataset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipcore.access import Role
from ipcore.landscape.standing import Basis, Standing
from ipops.audit.models import AuditEntry
from ipops.errors import InvalidInput, NotPermitted
from ipops.landscape import screening, services
from ipops.landscape.models import Dataset
from ipops.landscape.screening import ScreeningRequest, screen_patents
from ipops.landscape.tests.evaluation_corpus import load_evaluation_corpus

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 25)
FOLDING_DRONE = "A drone whose propeller arms fold so that it flies folded or deployed"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    return load_evaluation_corpus(tmp_path, monkeypatch=monkeypatch)


@pytest.fixture
def indexed(tmp_path: Path) -> dict[str, int]:
    """The corpus without vectors: enough where the input is refused before any ranking."""
    return load_evaluation_corpus(tmp_path, embed=False)


def screen(description: str, office: str, **more: object) -> screening.Screening:
    return screen_patents(None, ScreeningRequest(description, office, as_of=ON, **more))  # type: ignore[arg-type]


def numbers(rows: list[screening.ScreenedPatent]) -> list[str]:
    return [row.number for row in rows]


def test_the_closest_patent_in_force_comes_first_with_its_passages(corpus) -> None:  # type: ignore[no-untyped-def]
    result = screen(FOLDING_DRONE, "US")
    first = result.in_force[0]
    assert first.number == "US10870478B2"  # Drone capable of varying propeller arrangement shape
    assert first.owners == ("Korea Aerospace Research Institute",)
    # No legal status outside CN: an estimate from grant + 20 years from filing (2016-08-26)
    assert (first.standing.standing, first.standing.basis) == (Standing.IN_FORCE, Basis.ESTIMATED)
    assert first.standing.expiry == dt.date(2036, 8, 26)
    assert first.remaining_years == 9.8
    assert (first.keyword_rank, first.meaning_rank) == (1, 1)
    assert first.score == 1.0 and first.similarity is not None and first.similarity > 0.4
    abstract = next(p for p in first.passages if p.field == "abstract")
    hits = {f.text.lower() for f in abstract.fragments if f.hit}
    assert {"drone", "folded", "deployed"} <= hits
    assert not abstract.by_meaning
    # Every listed patent is at the office, and every estimated one says so
    assert {row.office for row in result.rows} == {"US"}
    assert result.estimated == len(result.rows)
    assert "TAC=(drone OR propeller" in result.keyword_query and "CC=US" in result.keyword_query


def test_ended_patents_are_left_out_and_applications_are_their_own_class(corpus) -> None:  # type: ignore[no-untyped-def]
    result = screen(FOLDING_DRONE, "US", limit=200)
    # US drone grants of the 1970s-1990s ran out long ago: counted, not listed
    assert result.ended >= 20
    assert not [row for row in result.rows if row.number.endswith("A") and row.office == "US"]
    pending = {row.number: row for row in result.pending}
    assert "US2012292430A1" in pending  # Device for launching and recovering a drone
    launcher = pending["US2012292430A1"]
    assert launcher.standing.basis is Basis.ESTIMATED
    assert launcher.standing.expiry == dt.date(2032, 5, 2)  # 20 years from its filing
    assert all(row.standing.standing is Standing.PENDING for row in result.pending)


def test_cn_standing_follows_the_cn_rules_and_says_there_are_no_events(corpus) -> None:  # type: ignore[no-untyped-def]
    result = screen("Rotor drone with a card holder for its navigation electronics", "CN")
    first = result.in_force[0]
    assert first.number == "CN102771201B"  # Electronic navigation card holder for a rotor drone
    assert first.owners == ("PARROT",)
    assert first.standing.basis is Basis.CN_DATES  # the corpus holds no CN legal events
    assert first.standing.expiry == dt.date(2030, 10, 15)
    assert {"Card", "Holder", "Rotor", "Drone"} <= {
        f.text for p in first.passages for f in p.fragments if f.hit
    }
    # CN utility models of 2009-2013 have had their 10 years; applications of 2007 on are
    # pending under the CN rules until their 20 years would end
    assert not [row for row in result.rows if row.number.endswith(("U", "Y"))]
    assert all(row.number.endswith("A") for row in result.pending)
    assert all(row.standing.basis is Basis.CN_DATES for row in result.pending)


def test_records_without_dates_are_listed_as_unknown_never_in_force(corpus) -> None:  # type: ignore[no-untyped-def]
    result = screen("一种农药喷洒型无人机", "CN")
    unknown = numbers(result.unknown)
    assert unknown[:3] == ["CN215554158U", "CN216036517U", "CN111994302B"]
    assert result.unknown[0].standing.basis is Basis.NONE
    title = result.unknown[0].passages[0]
    assert title.field == "title" and "".join(f.text for f in title.fragments if f.hit)
    assert "CN215554158U" not in numbers(result.in_force)
    # CN103005466B's record has its grant (2013-12-11) before its filing (2013-12-31): the
    # rules refuse it, so its standing is unknown whatever its B kind suggests
    pupae = screen("Drone pupae polypeptide extract", "CN")
    assert numbers(pupae.unknown)[0] == "CN103005466B"
    assert "CN103005466B" not in numbers(pupae.in_force)


def test_a_chinese_description_finds_an_english_patent_by_meaning(corpus) -> None:  # type: ignore[no-untyped-def]
    result = screen("一种螺旋桨臂可折叠的无人机", "US")
    first = result.in_force[0]
    assert first.number == "US10870478B2"
    assert first.keyword_rank is None and first.by_meaning_only
    assert first.passages[0].by_meaning and first.passages[0].field == "abstract"
    assert first.passages[0].text.startswith("A drone having a deployment device")


def test_the_as_of_day_and_the_filing_period_bind_the_result(corpus) -> None:  # type: ignore[no-untyped-def]
    earlier = screen_patents(
        None, ScreeningRequest("target drone", "CN", as_of=dt.date(2012, 1, 1), limit=200)
    )
    in_force = {row.number: row for row in earlier.in_force}
    assert "CN201589580U" in in_force  # a target drone utility model, filed 2009-11-25
    assert in_force["CN201589580U"].standing.expiry == dt.date(2019, 11, 25)
    assert earlier.filed_later > 0  # the 2012-2013 filings did not exist yet
    window = screen("target drone", "CN", filed_from=dt.date(2010, 1, 1), limit=200)
    assert window.rows
    assert all(
        row.application_date and row.application_date >= dt.date(2010, 1, 1) for row in window.rows
    )


def test_without_vectors_the_words_rank_alone_and_it_says_so(tmp_path: Path) -> None:
    load_evaluation_corpus(tmp_path, embed=False)
    result = screen(FOLDING_DRONE, "US")
    assert not result.meaning_used
    assert result.in_force[0].number == "US10870478B2"
    assert any("embed" in note for note in result.notes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": " "}, "description"),
        ({"description": "x" * (screening.MAX_DESCRIPTION + 1)}, "description"),
        ({"office": "ZZ"}, "office"),
        ({"classes": ("B64C", "not-a-class")}, "classes"),
        ({"classes": tuple(f"B64C{i}" for i in range(11))}, "classes"),
        ({"filed_from": dt.date(2020, 1, 1), "filed_to": dt.date(2019, 1, 1)}, "filed_to"),
        ({"limit": 0}, "limit"),
        ({"limit": screening.MAX_RESULTS + 1}, "limit"),
    ],
)
def test_bad_input_names_the_field(indexed, changes: dict[str, object], field: str) -> None:  # type: ignore[no-untyped-def]
    base: dict[str, object] = {"description": FOLDING_DRONE, "office": "US"}
    with pytest.raises(InvalidInput) as raised:
        screen_patents(None, ScreeningRequest(**(base | changes)))  # type: ignore[arg-type]
    assert field in raised.value.details
    assert str(raised.value.message)


def test_an_unknown_office_lists_the_offices_held(indexed) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="CN, EP, US"):
        screen("drone", "JP")


def test_classes_restrict_both_rankings(corpus) -> None:  # type: ignore[no-untyped-def]
    from ipops.corpus.models import Classification

    result = screen(FOLDING_DRONE, "US", classes=("B64C",), limit=200)
    assert result.rows
    for row in result.rows:
        codes = Classification.objects.filter(patent_id=row.patent_id).values_list(
            "code", flat=True
        )
        assert any(code.replace(" ", "").startswith("B64C") for code in codes), row.number


def test_the_public_may_not_screen(indexed) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotPermitted):
        screen_patents(AnonymousUser(), ScreeningRequest(FOLDING_DRONE, "US"))


# --- keeping a screening ------------------------------------------------------------------------


def test_ticked_patents_become_a_dataset_in_a_project(indexed, personas) -> None:  # type: ignore[no-untyped-def]
    provider, client = personas[Role.PROVIDER], personas[Role.ENTERPRISE]
    project = services.create_project(
        actor=provider,
        name="无人机出口美国风险排查",
        kind="evaluation_market_risk",
        client=client.organization,
    )
    dataset = services.save_screening(
        actor=provider,
        name="折叠无人机 US",
        numbers=["US10870478B2", "US2012292430A1", "US10870478B2"],
        description="Risk screening at US",
        project=project,
    )
    assert (dataset.size, dataset.strategy) == (2, Dataset.Strategy.HAND)
    assert list(project.datasets.all()) == [dataset]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"landscape.dataset_created", "landscape.project_dataset_attached"} <= actions


def test_keeping_is_all_or_nothing(indexed, personas) -> None:  # type: ignore[no-untyped-def]
    enterprise = personas[Role.ENTERPRISE]
    provider = personas[Role.PROVIDER]
    project = services.create_project(actor=provider, name="p", kind="evaluation_merger")
    with pytest.raises(NotPermitted):  # enterprises follow projects, they do not run them
        services.save_screening(
            actor=enterprise, name="x", numbers=["US10870478B2"], project=project
        )
    with pytest.raises(InvalidInput) as raised:
        services.save_screening(actor=provider, name="x", numbers=[" "])
    assert "numbers" in raised.value.details
    with pytest.raises(InvalidInput, match="US99999999"):
        services.save_screening(actor=provider, name="x", numbers=["US99999999B2"])
    assert not Dataset.objects.exists()
    dataset = services.save_screening(actor=enterprise, name="mine", numbers=["US10870478B2"])
    assert dataset.organization_id == enterprise.organization_id

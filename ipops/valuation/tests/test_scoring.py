"""Scoring the corpus set-based: stored indicators, unknowns with reasons, scores that the
explanations reproduce, CNIPA's high-value verdicts, award lists, populations, the queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from ipcore.access import Role
from ipcore.valuation.weights import Purpose
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.corpus.models import Patent
from ipops.corpus.signals import corpus_changed
from ipops.errors import InvalidInput, NotPermitted
from ipops.valuation import facts, queries, services, tasks
from ipops.valuation.models import AwardList, PatentValue, RegionPopulation, ScoringRun
from ipops.valuation.numbers import patents_numbered
from ipops.valuation.tests.factories import build_corpus, granted

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture
def corpus() -> dict[str, Patent]:
    return build_corpus()


def scored(corpus: dict[str, Patent], **kwargs: Any) -> dict[str, PatentValue]:
    services.rescore_corpus(actor=None, as_of=AS_OF, **kwargs)
    values = {v.patent_id: v for v in PatentValue.objects.all()}
    return {name: values[patent.pk] for name, patent in corpus.items()}


def test_every_patent_gets_one_row_and_the_run_is_audited(corpus: dict[str, Patent]) -> None:
    values = scored(corpus)
    assert PatentValue.objects.count() == Patent.objects.count() == len(corpus)
    run = ScoringRun.objects.get()
    assert (run.status, run.patents, run.weights_version) == ("finished", len(corpus), "2026.1")
    entry = AuditEntry.objects.get(action=Action.VALUES_SCORED)
    assert entry.new_values["patents"] == len(corpus)
    assert values["plain"].weights_version == "2026.1"
    services.rescore_corpus(actor=None, as_of=AS_OF)  # replaced, not added
    assert PatentValue.objects.count() == len(corpus)


def test_known_indicators_and_unknowns_with_reasons(corpus: dict[str, Patent]) -> None:
    values = scored(corpus)
    plain = values["plain"]
    assert plain.status == "in_force"
    assert plain.indicators["legal_status"] == 100.0
    assert plain.indicators["claims"] == 10.0
    assert plain.indicators["scope"] == 1.0
    assert plain.unknown["family_size"] == "no_family"
    assert plain.unknown["backward_citations"] == "no_references"  # its source lists none
    assert plain.unknown["forward_citations"] == "no_citing_data"  # too few citations of CN
    assert plain.indicators["transactions"] == 0.0  # it has legal events, none a transaction
    assert plain.indicators["invalidation"] == 100.0
    assert values["old"].indicators["transactions"] == 2.0  # TR01 + EE01
    assert values["partly"].indicators["invalidation"] == 50.0
    assert values["abroad"].indicators["family_size"] == 2.0
    assert values["abroad"].indicators["family_offices"] == 2.0
    # a source that lists patent references: known, zero where a patent lists none
    assert values["citing"].indicators["backward_citations"] == 1.0
    assert values["abroad_us"].unknown["backward_citations"] == "no_references"
    assert values["pregrant"].unknown["grant_lag"] == "not_granted"


def test_a_family_size_the_source_states_counts_without_offices(
    corpus: dict[str, Patent],
) -> None:
    """Lens states a simple family's size and names no family: the size is known, the offices
    (and a grant abroad) are not."""
    from ipops.corpus.tests.factories import load

    (stated,) = load(granted(40, family_size=4))
    services.rescore_corpus(actor=None, as_of=AS_OF)
    value = PatentValue.objects.get(patent=stated)
    assert value.indicators["family_size"] == 4.0
    assert value.unknown["family_offices"] == "no_family"
    assert PatentValue.objects.get(patent=corpus["abroad"]).indicators["family_size"] == 2.0


def test_litigation_and_disputes_weigh_from_weights_2026_2(corpus: dict[str, Patent]) -> None:
    """PP01 (a court's preservation) counts as a dispute; weights 2026.2 give it a share of the
    economic dimension of licensing, none of pledge financing; 2026.1 scores stay as they were."""
    before = scored(corpus)
    assert before["partly"].indicators["disputes"] == 1.0
    assert before["plain"].indicators["disputes"] == 0.0  # legal events, none a dispute
    assert before["sei"].unknown.get("disputes") in (None, "no_events")
    services.rescore_corpus(actor=None, as_of=dt.date(2026, 12, 1))
    after = PatentValue.objects.get(patent=corpus["partly"])
    assert after.weights_version == "2026.2"
    lines = {line.purpose.value: line.score for line in queries.report_of(after).purposes}

    def weighed(purpose: str) -> set[str]:
        return {part.indicator for d in lines[purpose].dimensions for part in d.parts}

    assert "disputes" in weighed("licensing") and "disputes" not in weighed("pledge")
    assert before["partly"].weights_version == "2026.1"


def test_forward_citations_count_once_the_corpus_covers_the_office(
    corpus: dict[str, Patent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facts, "FORWARD_MIN_CITATIONS", 1)
    values = scored(corpus)
    assert values["cited"].indicators["forward_citations"] == 1.0
    assert values["citing"].indicators["forward_citations"] == 0.0  # measured: nobody cites it
    assert values["plain"].unknown["forward_citations"] == "no_citing_data"  # CN not covered
    assert values["citing"].indicators["radicalness"] == 0.0  # it cites its own subclass
    assert values["citing"].unknown["originality"] == "few_cited"


def test_stored_scores_are_what_the_explanations_recompute(corpus: dict[str, Patent]) -> None:
    values = scored(corpus)
    stored = values["plain"]
    report = queries.report_of(stored)
    for line in report.purposes:
        total = stored.score(line.purpose.value, "total")
        assert total is not None
        assert line.score.total == pytest.approx(total, abs=1e-3)
        assert line.sentences[-1].startswith(("总分", "Total"))
    by_name = {line.name: line for line in report.indicators}
    assert by_name["family_size"].reason  # says why it is unknown
    assert by_name["claims"].percentile is None or 0 <= by_name["claims"].percentile <= 100


def test_high_value_verdicts(corpus: dict[str, Patent]) -> None:
    values = scored(corpus)
    assert values["sei"].high_value is True
    assert values["sei"].criteria_met == ["strategic_industry"]
    assert values["abroad"].high_value is True
    assert values["abroad"].criteria_met == ["family_abroad"]
    assert values["old"].criteria_met == ["maintained"]
    assert values["pledged"].high_value is None  # a pledge without its amount: cannot tell
    assert "high_pledge" in values["pledged"].criteria_unknown
    assert values["plain"].high_value is None  # no family data: cannot tell
    assert values["plain"].criteria_unknown == ["family_abroad"]
    assert values["utility"].high_value is False
    assert values["pending"].high_value is False
    assert values["abroad_us"].high_value is False  # CNIPA counts CN invention patents
    assert ScoringRun.objects.get().high_value == 3


def test_award_list_upload_matches_numbers_and_counts_after_rescoring(
    corpus: dict[str, Patent], personas: dict[Role, Any]
) -> None:
    plain = corpus["plain"]
    content = (
        "序号,专利号,奖项\n1,ZL202111000006.0,中国专利优秀奖\n2,CN 999999999 B,中国专利银奖\n"
    ).encode()
    award_list = services.upload_award_list(
        actor=personas[Role.BUREAU],
        name="第二十五届中国专利奖",
        kind=AwardList.Kind.CHINA_PATENT_AWARD,
        year=2024,
        file_name="awards.csv",
        content=content,
    )
    assert (award_list.rows, award_list.matched) == (2, 1)
    assert award_list.entries.get(row=2).patent_id == plain.pk
    assert ScoringRun.objects.filter(status="queued", trigger="awards").count() == 1
    values = scored(corpus)
    assert values["plain"].criteria_met == ["award"]
    assert values["plain"].high_value is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,year\nx,2020\n", "no patent number column"),
        ("专利号,奖项\nZL202111000006.0,金奖\nnot-a-number,银奖\n".encode(), "row 3"),
        (b"", "empty"),
    ],
)
def test_a_bad_award_list_is_refused_whole(
    corpus: dict[str, Patent], personas: dict[Role, Any], content: bytes, message: str
) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(InvalidInput) as caught:
        services.upload_award_list(
            actor=personas[Role.BUREAU],
            name="x",
            kind=AwardList.Kind.CHINA_PATENT_AWARD,
            year=2024,
            file_name="awards.csv",
            content=content,
        )
    assert message in " ".join(caught.value.details["file"])
    assert not AwardList.objects.exists()


def test_only_the_bureau_uploads_awards(personas: dict[Role, Any]) -> None:
    with pytest.raises(NotPermitted):
        services.upload_award_list(
            actor=personas[Role.ENTERPRISE],
            name="x",
            kind=AwardList.Kind.CHINA_PATENT_AWARD,
            year=2024,
            file_name="a.csv",
            content=b"patent number\nCN113700006B\n",
        )


def test_per_ten_thousand_residents(corpus: dict[str, Patent], personas: dict[Role, Any]) -> None:
    scored(corpus)
    bureau = personas[Role.BUREAU]
    services.record_population(
        actor=bureau, division_code="310115", year=2024, population=5_800_000, source="统计公报"
    )
    services.record_population(
        actor=bureau, division_code="310000", year=2024, population=24_800_000
    )
    summary = queries.high_value_summary(bureau)
    regions = {region.division_code: region for region in summary.regions}
    assert regions["310115"].count == 3  # the applicant's address is in Pudong
    assert regions["310115"].per_10k == pytest.approx(3 / 580)
    assert regions["310000"].count == 3  # Shanghai holds Pudong
    assert summary.high_value == 3
    with pytest.raises(InvalidInput):
        services.record_population(actor=bureau, division_code="31011", year=2024, population=1)
    with pytest.raises(InvalidInput):
        services.record_population(actor=bureau, division_code="310115", year=2024, population=0)
    assert RegionPopulation.objects.count() == 2


def test_a_failed_run_keeps_the_previous_values(
    corpus: dict[str, Patent], monkeypatch: pytest.MonkeyPatch
) -> None:
    scored(corpus)

    def broken(as_of: dt.date) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "load_corpus", broken)
    with pytest.raises(RuntimeError):
        services.rescore_corpus(actor=None)
    failed = ScoringRun.objects.filter(status="failed").get()
    assert "database went away" in failed.message
    assert AuditEntry.objects.filter(action=Action.SCORING_FAILED).exists()
    assert PatentValue.objects.count() == len(corpus)


def test_a_corpus_change_queues_one_rescoring(
    corpus: dict[str, Patent], django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        corpus_changed.send(sender=Patent)
        corpus_changed.send(sender=Patent)  # a second batch: the queued run covers it
    run = ScoringRun.objects.get()
    assert (run.status, run.trigger) == ("queued", "import")
    queued = DBTaskResult.objects.filter(task_path="ipops.valuation.tasks.score_corpus")
    assert queued.count() == 1
    result = tasks.score_corpus.call(run.pk)
    assert result["patents"] == len(corpus)
    run.refresh_from_db()
    assert run.status == "finished"
    assert tasks.score_corpus.call(run.pk) == {"run": run.pk, "claimed": False}


def test_numbers_in_every_common_spelling(corpus: dict[str, Patent]) -> None:
    pregrant, plain = corpus["pregrant"].pk, corpus["plain"].pk
    spellings = [
        "US 2015/0123456 A1",
        "US20150123456A1",
        "us2015123456",
        "CN 113700006 B",
        "CN113700006A",
        "ZL202111000006.0",
        "CN 999999999 B",
        "nonsense",
    ]
    found = patents_numbered(spellings)
    assert found["US 2015/0123456 A1"] == found["US20150123456A1"] == [pregrant]
    assert found["us2015123456"] == [pregrant]
    assert found["CN 113700006 B"] == found["CN113700006A"] == [plain]
    assert found["ZL202111000006.0"] == [plain]
    assert found["CN 999999999 B"] == found["nonsense"] == []


def test_the_value_command(corpus: dict[str, Patent], capsys: pytest.CaptureFixture[str]) -> None:
    import json

    call_command("rescore")
    capsys.readouterr()
    call_command("value", "US 2015/0123456 A1", "CN 113700001 B", "--json")
    bodies = json.loads(capsys.readouterr().out)
    assert [body["number"] for body in bodies] == ["US2015123456A1", "CN113700001B"]
    assert bodies[1]["high_value"]["verdict"] is True
    assert set(bodies[1]["scores"]) == {p.value for p in Purpose}
    call_command("value", "CN113700001B", "--lang", "en")
    text = capsys.readouterr().out
    assert "High-value: Strategic emerging industry" in text
    with pytest.raises(Exception, match="could not be valued"):
        call_command("value", "CN 999999999 B")

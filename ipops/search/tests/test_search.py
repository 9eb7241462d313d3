"""Search through the real index: query features, facets, paging, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from ipcore.patents.record import (
    Classification,
    Party,
    PartyRole,
    PatentRecord,
    Scheme,
    Text,
    TextField,
)
from ipops.corpus import services as corpus_services
from ipops.corpus.tests.factories import cn_record, granted_cn_record, load, us_record
from ipops.errors import InvalidInput
from ipops.search import services
from ipops.search.engine import SearchRequest, Sort
from ipops.search.errors import IndexMissing
from ipops.search.queries import SearchPage, search_patents

pytestmark = pytest.mark.django_db

Search = Callable[..., SearchPage]


def titled(serial: int, title: str, **changes: object) -> PatentRecord:
    return cn_record(serial, texts=(Text(TextField.TITLE, "zh", title),), **changes)


def us_titled(number: str, title: str, **changes: object) -> PatentRecord:
    return us_record(number, texts=(Text(TextField.TITLE, "en", title),), **changes)


@pytest.fixture
def search() -> Search:
    def run(query: str, **options: object) -> SearchPage:
        return search_patents(AnonymousUser(), SearchRequest(query, **options))  # type: ignore[arg-type]

    return run


def numbers(page: SearchPage) -> set[str]:
    return {row.patent.number for row in page.rows}


def index(*records: PatentRecord) -> None:
    load(*records)
    services.apply_pending_changes()


def test_a_two_character_chinese_term_matches_inside_longer_words(search: Search) -> None:
    index(titled(1, "一种锂电池正极材料"), titled(2, "电动汽车充电桩"), titled(3, "池塘电站"))
    assert numbers(search("电池")) == {"CN113700001A"}
    assert numbers(search("TI=正极材料")) == {"CN113700001A"}
    assert numbers(search("电")) == {"CN113700001A", "CN113700002A", "CN113700003A"}
    assert search("池电").total == 0  # the characters, in this order, do not occur


def test_traditional_characters_find_simplified_text(search: Search) -> None:
    index(titled(1, "一种锂电池正极材料"))
    assert search("電池").total == 1


def test_english_words_match_case_insensitively_and_stemmed_on_request(search: Search) -> None:
    index(us_titled("10000001", "Rechargeable BATTERIES for drones"))
    assert search("battery").total == 0
    assert search("batteries").total == 1
    assert search("battery", stemmed=True).total == 1
    assert search('"rechargeable batteries"').total == 1
    assert search('"batteries rechargeable"').total == 0
    assert search("recharg*").total == 1
    assert search("dro?es").total == 1


def test_fields_booleans_and_ranges(search: Search) -> None:
    index(
        titled(1, "锂电池", application_date=dt.date(2019, 5, 1)),
        titled(2, "锂电池隔膜", application_date=dt.date(2021, 2, 1)),
        us_titled("10000001", "Lithium battery separator"),
    )
    assert numbers(search("锂电池 AND AD>=2020")) == {"CN113700002A"}
    assert numbers(search("锂电池 NOT 隔膜")) == {"CN113700001A"}
    assert numbers(search("锂电池 或 separator")) == {
        "CN113700001A",
        "CN113700002A",
        "US10000001B2",
    }
    assert search("CC=US").total == 1
    assert search("NOT CC=US").total == 2
    assert search("AD=[2019-01-01 TO 2019-12-31]").total == 1
    assert search("TYPE=发明").total == 3
    assert search("CLAIMS>=10").total == 2  # the US record states no claim count


def test_classification_levels(search: Search) -> None:
    index(
        cn_record(1),  # H01M 4/525 main, H01M 10/0525
        cn_record(2, classifications=(Classification(Scheme.IPC, "H01M 4/13", 1, True),)),
        cn_record(3, classifications=(Classification(Scheme.IPC, "G06F 17/30", 1, True),)),
    )
    assert search("IPC=H").total == 2
    assert search("IPC=H01M").total == 2
    assert search("IPC=H01M4").total == 2  # the main group and its subgroups
    assert search("IPC=H01M4/525").total == 1
    assert search("IPC=H01M0010052500").total == 1
    assert search("IPC=G06F").total == 1


def test_numbers_with_or_without_office_and_punctuation(search: Search) -> None:
    index(cn_record(1))
    assert search("AN=202111000001.0").total == 1
    assert search("AN=CN202111000001.0").total == 1
    assert search("PN=CN113700001A").total == 1
    assert search("PN=CN1137*").total == 1


def test_resolved_organisation_and_legal_status(search: Search) -> None:
    owner = (Party(PartyRole.OWNER, 1, "International Business Machines Corporation (IBM)"),)
    index(
        us_titled("10000001", "Cache", parties=owner),
        us_titled("10000002", "Cache", parties=(Party(PartyRole.OWNER, 1, "IBM Corp."),)),
        granted_cn_record(3),
    )
    corpus_services.resolve_entities(actor=None)
    services.apply_pending_changes()
    assert search('ORG="IBM Corp."').total == 2
    assert search('AP="IBM Corp."').total == 1
    assert numbers(search("LS=有效")) == {"CN113700003B"}


def test_facets_count_what_matched(search: Search) -> None:
    index(titled(1, "锂电池"), titled(2, "锂电池隔膜"), us_titled("10000001", "Lithium battery"))
    page = search("锂电池 OR lithium")
    facets = {group.name: {v.value: v.count for v in group.values} for group in page.facets}
    assert facets["cc"] == {"CN": 2, "US": 1}
    assert facets["ipc_subclass"] == {"H01M": 3}  # the US patent's CPC stands in for IPC
    assert facets["year"] == {"2021": 2, "2016": 1}
    refine = next(v.refine for v in page.facets[1].values if v.value == "US")
    assert search(refine).total == 1


@pytest.mark.parametrize("sort", list(Sort))
def test_cursor_paging_visits_every_hit_once(search: Search, sort: Sort) -> None:
    index(
        *(
            titled(i, f"锂电池{i}", application_date=dt.date(2020, 1, i % 28 + 1))
            for i in range(1, 24)
        )
    )
    seen: list[str] = []
    cursor = ""
    while True:
        page = search("锂电池", sort=sort, page_size=5, cursor=cursor, facets=False)
        seen.extend(row.patent.number for row in page.rows)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 23


def test_a_changed_patent_is_reindexed_and_a_rebuild_changes_nothing(search: Search) -> None:
    index(titled(1, "锂电池"))
    index(titled(1, "钠电池"))
    assert (search("锂电池").total, search("钠电池").total) == (0, 1)
    summary = services.rebuild_index(actor=None)
    assert summary.documents == 1
    assert search("钠电池").total == 1


def test_bad_queries_say_where(search: Search) -> None:
    index(titled(1, "锂电池"))
    for query, column in [("TI=(a OR", 9), ("XYZ=1", 1), ("AD=2021-02-30", 4), ("a*", 1)]:
        with pytest.raises(InvalidInput) as caught:
            search(query)
        assert caught.value.details["column"] == column, query
    with pytest.raises(InvalidInput):
        search("锂电池", cursor="not-a-cursor")
    with pytest.raises(InvalidInput):
        search(" OR ".join(f"w{i}" for i in range(10_000)))


def test_sql_and_engine_syntax_inside_terms_is_text_or_a_clear_error(search: Search) -> None:
    index(us_titled("10000001", "Drop table"))
    with pytest.raises(InvalidInput) as caught:
        search("'; DROP TABLE corpus_patent; --")
    assert caught.value.details["column"] == 1
    assert search("drop^ table").total == 1  # ^ is punctuation: it separates words
    assert search('"drop; table"').total == 1


def test_no_index_yet_is_a_clear_error(search: Search) -> None:
    with pytest.raises(IndexMissing):
        search("锂电池")


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("drone AND CC=US AND AD>=2020", "CC:US AND AD:[2020-01-01 TO *]"),
        ("drone NOT IPC=B64", "NOT IPC:B64*"),
        ("drone OR CC=US", None),  # an alternative, not a condition
        ("drone", None),
        ("CC=US OR CC=CN", "CC:US OR CC:CN"),
    ],
)
def test_the_filters_of_a_query_bind_both_sides_of_a_hybrid_ranking(
    query: str, filters: str | None
) -> None:
    from ipcore.search import parse, render
    from ipops.search.engine import filter_part

    found = filter_part(parse(query))
    assert (render(found) if found is not None else None) == filters

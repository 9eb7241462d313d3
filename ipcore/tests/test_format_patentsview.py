"""The PatentsView Parquet reader on real rows.

Fixture: ``fixtures/formats/patentsview/pv-data-sample.parquet`` — every mention row of 191
patents cut from ``shared/data/pv-patents-us/pv-data.parquet`` (see its PROVENANCE.md), in
64-row row groups so that 24 patents have their mentions in different row groups. Expected
values below were read off the source rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from ipcore.formats import patentsview
from ipcore.formats.base import FileFormatError
from ipcore.patents.record import (
    DocumentType,
    PartyRole,
    PatentRecord,
    RecordError,
    Scheme,
    TextField,
)

FIXTURE = Path(__file__).parent / "fixtures/formats/patentsview/pv-data-sample.parquet"
SHARED_PV = Path(__file__).resolve().parents[3] / "shared/data/pv-patents-us/pv-data.parquet"


def records(path: Path = FIXTURE) -> dict[str, PatentRecord]:
    found: dict[str, PatentRecord] = {}
    for result in patentsview.read(path):
        assert isinstance(result, PatentRecord), result
        number = result.publications[0].number
        assert number not in found, f"{number} emitted twice"
        found[number] = result
    return found


@pytest.fixture(scope="module")
def sample() -> dict[str, PatentRecord]:
    return records()


def source_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = pq.read_table(FIXTURE).to_pylist()
    return rows


# --- folding ---------------------------------------------------------------------------------


def test_one_record_per_patent_in_order_of_first_mention(sample: dict[str, PatentRecord]) -> None:
    ids = [str(row["patent_id"]) for row in source_rows()]
    first_seen = list(dict.fromkeys(ids))

    assert len(ids) == 220 and len(first_seen) == 191
    assert list(sample) == [f"US{patent_id}" for patent_id in first_seen]


def test_mentions_in_different_row_groups_fold_into_one_patent(
    sample: dict[str, PatentRecord],
) -> None:
    # US6487054: 8 inventors, 4 of them mentioned on rows in two row groups.
    patent = sample["US6487054"]
    inventors = patent.parties_in(PartyRole.INVENTOR)
    located = [(p.sequence, p.name, p.city, p.country) for p in inventors if p.city]

    assert FIXTURE.stat().st_size and pq.ParquetFile(FIXTURE).metadata.num_row_groups == 4
    assert len(inventors) == 8
    assert located == [
        (3, "Hyeong-Seok Choi", "Suwon", "KR"),  # inventor_sequence 2
        (5, "Jun-Young Kim", "Suwon", "KR"),  # 4
        (6, "Seung-Woo Lee", "Suwon", "KR"),  # 5
        (8, "Seung-Han Lee", "Suwon", "KR"),  # 7
    ]


def test_every_mention_row_gives_its_inventor_a_location(sample: dict[str, PatentRecord]) -> None:
    mentions = Counter(str(row["patent_id"]) for row in source_rows())
    for number, patent in sample.items():
        located = [p for p in patent.parties_in(PartyRole.INVENTOR) if p.city or p.country]
        assert len(located) == mentions[number.removeprefix("US")], number


# --- one patent, field by field ----------------------------------------------------------------


def test_a_utility_patent_maps_every_field(sample: dict[str, PatentRecord]) -> None:
    patent = sample["US5828387"]

    assert patent.key == "US:pub:US5828387"  # no application number in PatentsView
    assert (patent.office, patent.document_type) == ("US", DocumentType.INVENTION)
    assert patent.application_number is None
    assert patent.application_date == dt.date(1994, 12, 6)
    assert patent.grant_date == dt.date(1998, 10, 27)
    (publication,) = patent.publications
    assert (publication.label, publication.date) == ("US5828387A", dt.date(1998, 10, 27))
    assert patent.claims_count == 8
    assert patent.text(TextField.TITLE, "en") == (
        "Recording apparatus with compensation for variations in feeding speed"
    )
    abstract = patent.text(TextField.ABSTRACT, "en")
    assert abstract is not None and abstract.startswith("A recording apparatus employs")
    assert abstract == abstract.strip()  # the source pads it with blanks
    assert [p.name for p in patent.parties_in(PartyRole.OWNER)] == ["Canon Kabushiki Kaisha"]
    assert patent.warnings == ()


def test_inventors_come_in_sequence_order_with_the_mention_located(
    sample: dict[str, PatentRecord],
) -> None:
    inventors = sample["US5828387"].parties_in(PartyRole.INVENTOR)

    assert [(p.sequence, p.name) for p in inventors] == [
        (1, "Masafumi Wataya"),
        (2, "Toshiyuki Yanaka"),
        (3, "Hidejiro Kadowaki"),
        (4, "Ken Tsuchii"),
        (5, "Haruhiko Takahashi"),
        (6, "Makoto Takamiya"),
        (7, "Kosuke Yamamoto"),
    ]
    # The mentioned inventor (inventor_sequence 4) lived in Yokohama; raw_country "JPX" is
    # old USPTO's three-letter form of JP.
    mentioned = inventors[4]
    assert (mentioned.city, mentioned.state, mentioned.country) == ("Yokohama", None, "JP")
    assert all(p.city is None for p in inventors if p is not mentioned)


def test_cpc_codes_are_normalised_in_sequence_order_with_the_first_inventional_main(
    sample: dict[str, PatentRecord],
) -> None:
    codes = sample["US5828387"].classifications

    assert all(code.scheme is Scheme.CPC for code in codes)
    # The source lists cpc_sequence 6, 2, 0, 1 … for H04N2201/04724, H04N1/12, H04N1/506,
    # H04N1/0473 …; sequence 0 (H04N1/506) is inventional, so it is the main code.
    assert [code.code for code in codes][:4] == [
        "H04N 1/506",
        "H04N 1/0473",
        "H04N 1/12",
        "H04N 1/193",
    ]
    assert [code.code for code in codes if code.is_main] == ["H04N 1/506"]
    assert [code.sequence for code in codes] == list(range(1, 12))


def test_codes_all_additional_give_no_main_code(sample: dict[str, PatentRecord]) -> None:
    codes = sample["US4125888"].classifications

    # cpc_sequence 0 is F21W2131/406, 1 is Y10S362/811; both "additional".
    assert [code.code for code in codes] == ["F21W 2131/406", "Y10S 362/811"]
    assert not any(code.is_main for code in codes)


@pytest.mark.parametrize(
    ("number", "kind", "document_type"),
    [
        ("USD564528", "S1", DocumentType.DESIGN),
        ("USD294374", "S", DocumentType.DESIGN),
        ("USRE38435", "E1", DocumentType.REISSUE),
        ("USPP24164", "P2", DocumentType.PLANT),
    ],
)
def test_series_letters_stay_in_the_number_and_patent_type_gives_the_type(
    sample: dict[str, PatentRecord], number: str, kind: str, document_type: DocumentType
) -> None:
    patent = sample[number]

    assert patent.publications[0].label == f"{number}{kind}"
    assert patent.document_type is document_type


@pytest.mark.parametrize("number", ["USH1737", "UST959003"])
def test_registrations_and_defensive_publications_stay_unknown_with_a_warning(
    sample: dict[str, PatentRecord], number: str
) -> None:
    patent = sample[number]

    assert patent.document_type is DocumentType.UNKNOWN
    assert any(warning.startswith("patent_type:") for warning in patent.warnings)


def test_a_withdrawn_patent_is_kept_with_a_warning(sample: dict[str, PatentRecord]) -> None:
    assert any("withdrawn" in warning for warning in sample["US9741905"].warnings)


def test_designs_have_no_cpc_and_registrations_no_filing_date(
    sample: dict[str, PatentRecord],
) -> None:
    assert sample["USD564528"].classifications == ()
    assert sample["USH537"].application_date is None


def test_individual_assignees_are_named_first_then_last(sample: dict[str, PatentRecord]) -> None:
    owners = sample["US8484810"].parties_in(PartyRole.OWNER)

    assert [(p.sequence, p.name) for p in owners] == [(1, "Chao-Mu Chou"), (2, "Shiu-Yin Cheng")]
    assert sample["US5488273"].parties_in(PartyRole.OWNER) == ()


def test_legacy_country_forms_read_as_st3(sample: dict[str, PatentRecord]) -> None:
    inventor = next(p for p in sample["US4145546"].parties_in(PartyRole.INVENTOR) if p.city)

    assert (inventor.city, inventor.country) == ("Welwyn Garden City", "GB")  # raw "GB2"


def test_every_record_agrees_with_a_plain_pyarrow_reading(sample: dict[str, PatentRecord]) -> None:
    """An oracle: titles, dates, claim counts and inventor counts straight from the rows."""
    for row in source_rows():
        patent = sample[f"US{row['patent_id']}"]
        assert patent.text(TextField.TITLE) == str(row["patent_title"]).strip()
        assert patent.grant_date == dt.date.fromisoformat(str(row["patent_date"]))
        assert patent.claims_count == int(str(row["num_claims"]))
        coinventors = row["coinventor_sequence"]
        assert isinstance(coinventors, list)
        assert len(patent.parties_in(PartyRole.INVENTOR)) == len(coinventors)


# --- sniffing and bad input --------------------------------------------------------------------


def test_sniff_wants_parquet_with_the_mention_columns(tmp_path: Path) -> None:
    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"patent_id": ["1"]}), other)

    assert patentsview.sniff(FIXTURE, FIXTURE.read_bytes()[:64])
    assert not patentsview.sniff(other, other.read_bytes()[:64])
    assert not patentsview.sniff(tmp_path / "x.csv", b"patent_id,title\n")


def test_a_truncated_file_is_refused_before_any_record(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(FIXTURE.read_bytes()[:50_000])

    with pytest.raises(FileFormatError, match=r"broken\.parquet"):
        next(patentsview.read(broken))


def test_a_file_without_the_mention_columns_is_refused(tmp_path: Path) -> None:
    table = pq.read_table(FIXTURE).drop_columns(["cpc_type", "coinventor_sequence"])
    partial = tmp_path / "partial.parquet"
    pq.write_table(table, partial)

    with pytest.raises(FileFormatError, match="cpc_type, coinventor_sequence"):
        next(patentsview.read(partial))


def test_an_impossible_date_rejects_that_patent_only(tmp_path: Path) -> None:
    table = pq.read_table(FIXTURE)
    dates = pc.if_else(
        pc.equal(table.column("patent_id"), "5828387"), "2021-02-30", table.column("patent_date")
    )
    bad = tmp_path / "bad-date.parquet"
    pq.write_table(
        table.set_column(table.schema.get_field_index("patent_date"), "patent_date", dates), bad
    )

    results = list(patentsview.read(bad))
    errors = [r for r in results if isinstance(r, RecordError)]

    assert len(results) == 191
    assert [(e.field_name, e.location and e.location.record) for e in errors] == [
        ("patent_date", "patent_id 5828387")
    ]
    assert "2021-02-30" in errors[0].reason


@pytest.mark.shared_data
def test_the_whole_real_file_yields_every_patent_once() -> None:
    if not SHARED_PV.exists():
        pytest.skip(f"../shared/data not present ({SHARED_PV} is absent in this clone)")
    count = 0
    seen: set[str] = set()
    for result in patentsview.read(SHARED_PV):
        assert isinstance(result, PatentRecord), result
        seen.add(result.publications[0].number)
        count += 1

    assert count == len(seen) == 129_639

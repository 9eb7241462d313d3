"""EPO XML reader — publication server, OPS responses, DOCDB exchange files — on real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipcore.formats import epo_xml
from ipcore.formats.base import FileFormatError, ReadResult
from ipcore.patents.record import (
    Citation,
    DocumentType,
    LegalEventRecord,
    Party,
    PartyRole,
    PatentRecord,
    Priority,
    Publication,
    RecordError,
    Scheme,
    TextField,
)

XML = Path(__file__).parent / "fixtures" / "formats" / "xml"


def read_all(path: Path) -> list[ReadResult]:
    return list(epo_xml.read(path))


def records(name: str) -> list[PatentRecord]:
    results = read_all(XML / name)
    assert all(isinstance(r, PatentRecord) for r in results), results
    return [r for r in results if isinstance(r, PatentRecord)]


def record(name: str) -> PatentRecord:
    (only,) = records(name)
    return only


def copy_with(tmp_path: Path, name: str, old: bytes, new: bytes) -> Path:
    data = (XML / name).read_bytes()
    assert old in data
    path = tmp_path / name
    path.write_bytes(data.replace(old, new, 1))
    return path


# --- publication server ----------------------------------------------------------------------


def test_ep_b2_bibliography_in_three_languages() -> None:
    patent = record("v1-5-1-B2.xml")
    assert patent.key == "EP:13196195"
    assert patent.document_type is DocumentType.INVENTION
    assert patent.application_date == dt.date(2012, 9, 14)
    assert patent.publications == (Publication("EP2716170", "B2", dt.date(2021, 9, 22)),)
    assert patent.grant_date == dt.date(2016, 2, 3)  # B450: the first grant, not the B2 date
    assert patent.text(TextField.TITLE, "en") == (
        "Device for transporting material in the form of strips or tape"
    )
    assert {t.language for t in patent.texts if t.field is TextField.TITLE} == {"de", "en", "fr"}
    assert {t.language for t in patent.texts if t.field is TextField.CLAIMS} == {"de", "en", "fr"}
    assert patent.claims_count == 4
    assert [(c.scheme, c.code, c.is_main) for c in patent.classifications] == [
        (Scheme.IPC, "A24C 5/20", True),
        (Scheme.CPC, "A24C 5/20", True),
    ]
    assert patent.priorities == (Priority("DE", "102011114434", dt.date(2011, 9, 28)),)


def test_ep_b2_proprietor_inventors_and_citations() -> None:
    patent = record("v1-5-1-B2.xml")
    assert patent.parties_in(PartyRole.APPLICANT) == ()
    assert patent.parties_in(PartyRole.OWNER) == (
        Party(
            PartyRole.OWNER,
            1,
            "Hauni Maschinenbau GmbH",
            country="DE",
            city="21033 Hamburg",
            address="Kurt-A.-Körber-Chaussee 8-32, 21033 Hamburg",
        ),
    )
    assert [p.name for p in patent.parties_in(PartyRole.INVENTOR)] == [
        "Grothaus, Frank", "Schafforz, Mathias", "Schicke, Joachim", "Schaadt, Uwe",
    ]  # fmt: skip
    assert len(patent.citations) == 7
    assert patent.citations[0] == Citation(1, number="EP1186247", kind="A2")
    assert patent.citations[1] == Citation(2, number="WO2004045320", kind="A1")
    assert patent.citations[-1] == Citation(7, text="US-E- R E36 154")  # kept as written


def test_ep_1978_application_with_pre_ipc8_classification() -> None:
    patent = record("v1-1-A1.xml")
    assert patent.key == "EP:78100007"
    assert patent.publications == (Publication("EP0000002", "A1", dt.date(1978, 12, 20)),)
    assert patent.grant_date is None
    assert [c.code for c in patent.classifications] == ["C07D 307/12", "C07D 407/12", "C07D 307/42"]
    assert patent.parties_in(PartyRole.APPLICANT)[0].name == "BAYER AG"
    assert len(patent.parties_in(PartyRole.INVENTOR)) == 4
    assert patent.text(TextField.ABSTRACT, "de") is not None
    assert patent.claims_count == 6


def test_euro_pct_application_keeps_the_pct_application_and_cpc() -> None:
    patent = record("v1-5-1-A1-1.xml")
    assert patent.key == "EP:21741385"
    assert patent.priorities[-1] == Priority("WO", "PCT/US2021/013511", dt.date(2021, 1, 14))
    cpc = [c for c in patent.classifications if c.scheme is Scheme.CPC]
    assert (cpc[0].code, cpc[0].is_main) == ("B60K 17/28", True)
    assert patent.parties_in(PartyRole.APPLICANT)[0].name == "Zimeno, Inc. DBA Monarch Tractor"


def test_a_publication_server_file_published_malformed_is_a_file_format_error() -> None:
    with pytest.raises(FileFormatError, match=r"line 93, column 37"):
        read_all(XML / "v1-2-A1.xml")


# --- OPS -------------------------------------------------------------------------------------


def test_ops_biblio_prefers_original_names_without_duplicates() -> None:
    patent = record("biblio_example_3.xml")
    assert patent.key == "AU:2013290010"
    assert patent.family_id == "49448571"
    assert [p.name for p in patent.parties_in(PartyRole.APPLICANT)] == [
        "PRIMUS GREEN ENERGY INC",  # "PRIMUS GREEN ENERGY INC, " in the source
        "BLUESCAPE CLEAN FUELS, LLC",
    ]
    # The original format lists each inventor twice (upper and mixed case): kept once.
    assert [(p.sequence, p.name) for p in patent.parties_in(PartyRole.INVENTOR)] == [
        (1, "FANG, HOWARD L"), (2, "QIN, MEIFANG"), (3, "BEN-REUVEN, MOSHE"),
    ]  # fmt: skip
    assert patent.priorities == (
        Priority("US", "13547826", dt.date(2012, 7, 12)),
        Priority("WO", "PCT/US2013/050328", dt.date(2013, 7, 12)),
    )
    assert patent.text(TextField.TITLE, "en") == "Novel fuel composition"
    assert patent.classifications[0].code == "C10L 1/00"


def test_ops_full_cycle_merges_a1_and_b1_into_one_application() -> None:
    patent = record("full_cycle_example.xml")
    assert patent.key == "EP:99203729"
    assert patent.publications == (
        Publication("EP1000000", "A1", dt.date(2000, 5, 17)),
        Publication("EP1000000", "B1", dt.date(2003, 2, 12)),
    )
    assert patent.grant_date == dt.date(2003, 2, 12)
    assert patent.application_date == dt.date(1999, 11, 8)
    assert patent.family_id == "19768124"
    # original name chosen; its country borrowed from the epodoc "… [NL]" of the same sequence
    assert patent.parties_in(PartyRole.APPLICANT) == (
        Party(PartyRole.APPLICANT, 1, "BEHEERMAATSCHAPPIJ DE BOER NIJMEGEN B.V", country="NL"),
    )
    assert patent.citations[0] == Citation(
        1, number="DE3546191", kind="A1", category="A", cited_by="examiner"
    )
    assert len(patent.citations) == 3
    assert {t.language for t in patent.texts if t.field is TextField.TITLE} == {"de", "en", "fr"}


def test_ops_family_response_gives_family_ids() -> None:
    patents = records("family_input.xml")
    assert [p.key for p in patents] == [
        "EP:99203729", "AT:99203729", "DE:69905327", "NL:1010536", "US:pub:US6093011",
    ]  # fmt: skip
    assert {p.family_id for p in patents} == {"19768124"}
    assert [p.label for p in patents[0].publications] == ["EP1000000A1", "EP1000000B1"]
    assert patents[4].application_number is None  # DOCDB's 1998 US number cannot be converted


def test_ops_legal_events_land_on_the_matching_record() -> None:
    patent = record("example_1.xml")
    assert patent.key == "EP:99203729"
    assert len(patent.legal_events) == 50
    assert patent.legal_events[0] == LegalEventRecord(
        code="17Q",
        date=dt.date(2002, 6, 5),
        effective_date=dt.date(2002, 4, 23),
        description="FIRST EXAMINATION REPORT DESPATCHED",
    )
    assert sum(event.code == "PG25" for event in patent.legal_events) == 19
    lapse = next(e for e in patent.legal_events if e.code == "PG25")
    assert "Ref Country Code: CH" in lapse.description


def test_ops_us_legal_events_and_application_number() -> None:
    patent = record("example_3.xml")
    assert patent.key == "US:15919370"  # DOCDB 201815919370 → series code + serial
    assert patent.family_id == "51258319"
    assert len(patent.legal_events) == 14
    change_of_name = patent.legal_events[1]
    assert (change_of_name.code, change_of_name.effective_date) == ("AS", dt.date(2014, 12, 4))
    assert "OWNER: NCS MULTISTAGE, INC., CANADA" in change_of_name.description


def test_impossible_legal_event_date_rejects_the_record_naming_the_field(tmp_path: Path) -> None:
    path = copy_with(
        tmp_path,
        "example_3.xml",
        b'<ops:L007EP desc="Gazette DATE">2018-03-14</ops:L007EP>',
        b'<ops:L007EP desc="Gazette DATE">2021-02-30</ops:L007EP>',
    )
    (error,) = read_all(path)
    assert isinstance(error, RecordError)
    assert error.field_name == "legal_events[1].date"
    assert "2021-02-30" in error.reason
    assert error.location is not None and error.location.record == "US10465445B2"


def test_an_ops_response_without_bibliographic_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "claims.xml"
    path.write_bytes(
        b'<ops:world-patent-data xmlns:ops="http://ops.epo.org"><ops:fulltext-documents/>'
        b"</ops:world-patent-data>"
    )
    with pytest.raises(FileFormatError, match="without biblio, family or legal data"):
        read_all(path)


# --- DOCDB -----------------------------------------------------------------------------------


def test_docdb_exchange_file_is_streamed_record_by_record() -> None:
    patents = records("DE-backfile.xml")
    assert len(patents) == 10
    first = patents[0]
    assert first.publications == (Publication("DE1258188", "B", dt.date(1968, 1, 4)),)
    assert first.family_id == "6979546"
    assert first.parties_in(PartyRole.APPLICANT)[0].name == "ROBERT BOSCH G.M.B.H."
    assert first.text(TextField.TITLE, "de") is not None
    cpc = [c.code for c in first.classifications if c.scheme is Scheme.CPC]
    assert cpc[:2] == ["F02M 59/34", "F02M 41/125"]
    assert first.location is not None
    assert first.location.record == "DE1258188B (exchange-document 1)"
    assert patents[-1].publications[0].label == "DE1258197B"


def test_docdb_record_cut_from_a_bulk_file() -> None:
    patent = record("WO-2023012807-A1_507242069.xml")
    assert patent.key == "WO:PCT/IL2022/050854"
    assert patent.publications == (Publication("WO2023012807", "A1", dt.date(2023, 2, 9)),)
    assert patent.family_id == "83004620"
    # docdba name preferred over the docdb "YEDA RES & DEV"; country from the docdb entry
    assert patent.parties_in(PartyRole.APPLICANT) == (
        Party(PartyRole.APPLICANT, 1, "YEDA RESEARCH AND DEVELOPMENT CO. LTD.", country="IL"),
    )
    assert [p.name for p in patent.parties_in(PartyRole.INVENTOR)] == [
        "FLEISHMAN, Sarel",
        "TENNENHOUSE, Ariel",
    ]
    assert patent.priorities == (Priority("US", "202163230089", dt.date(2021, 8, 6)),)
    assert len(patent.citations) == 24
    assert (patent.citations[0].category, patent.citations[0].cited_by) == ("XY", "examiner")
    assert patent.citations[-1].cited_by == "applicant"  # cited-phase APP
    assert {t.language for t in patent.texts if t.field is TextField.ABSTRACT} == {"en", "fr"}


def test_docdb_entities_are_read_as_characters() -> None:
    patent = record("WO-2022259205-A1_544370561.xml")
    texts = [c.text for c in patent.citations if c.text]
    assert any("ANNA CZAJKOWSKA-KO\u015aNIK ET AL" in text for text in texts)


def test_docdb_record_without_namespace_and_its_grant() -> None:
    patent = record("AP-1206-A_302101161.xml")
    assert patent.key == "AP:2000001988"
    assert patent.grant_date == dt.date(2003, 9, 18)  # DOCDB: printed-with-grant
    assert patent.priorities[-1] == Priority("WO", "PCT/US1998/016128", dt.date(1998, 8, 4))
    assert patent.parties_in(PartyRole.APPLICANT)[0] == Party(
        PartyRole.APPLICANT, 1, "BRISTOL-MYERS SQUIBB COMPANY", country="US"
    )


def test_truncated_docdb_file_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    data = (XML / "DE-backfile.xml").read_bytes()
    path = tmp_path / "DE-backfile.xml"
    path.write_bytes(data[: len(data) // 2])
    seen = []
    with pytest.raises(FileFormatError, match=r"line \d+, column \d+"):
        for result in epo_xml.read(path):
            seen.append(result)
    assert len(seen) == 5


def test_sniff_and_refusal_of_other_xml() -> None:
    for name in ("v1-5-1-B2.xml", "full_cycle_example.xml", "DE-backfile.xml"):
        assert epo_xml.sniff(XML / name, (XML / name).read_bytes()[:65536])
    assert not epo_xml.sniff(XML / "cn_old3.xml", (XML / "cn_old3.xml").read_bytes()[:65536])
    with pytest.raises(FileFormatError, match="not EPO patent XML"):
        read_all(XML / "cn_old3.xml")
    assert epo_xml.NAME == "epo-xml"

"""USPTO grant/application XML reader, on the real v4.0 and v4.5 files in fixtures/formats/xml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipcore.formats import uspto_xml
from ipcore.formats.base import FileFormatError, ReadResult
from ipcore.patents.record import (
    Citation,
    Classification,
    DocumentType,
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
    return list(uspto_xml.read(path))


def record(name: str) -> PatentRecord:
    results = read_all(XML / name)
    assert len(results) == 1
    assert isinstance(results[0], PatentRecord), results[0]
    return results[0]


def copy_with(tmp_path: Path, name: str, old: bytes, new: bytes) -> Path:
    data = (XML / name).read_bytes()
    assert old in data
    path = tmp_path / name
    path.write_bytes(data.replace(old, new))
    return path


def test_v45_grant_bibliography() -> None:
    patent = record("US08930553.xml")
    assert patent.key == "US:13648029"
    assert patent.document_type is DocumentType.INVENTION
    assert patent.application_date == dt.date(2012, 10, 9)
    assert patent.publications == (Publication("US8930553", "B2", dt.date(2015, 1, 6)),)
    assert patent.grant_date == dt.date(2015, 1, 6)
    assert patent.text(TextField.TITLE, "en") == (
        "Managing mid-dialog session initiation protocol (SIP) messages"
    )
    abstract = patent.text(TextField.ABSTRACT, "en")
    assert abstract is not None and abstract.startswith("Processing mid-dialog SIP messages")
    assert patent.classifications == (Classification(Scheme.IPC, "G06F 15/16", 1, is_main=True),)
    assert patent.claims_count == 8
    claims = patent.text(TextField.CLAIMS, "en")
    assert claims is not None and len(claims.splitlines()) == 8
    assert claims.startswith("1. A system for processing mid-dialog SIP messages")
    assert patent.warnings == ()


def test_v45_parties_with_city_state_country() -> None:
    patent = record("US08930553.xml")
    ibm = "International Business Machines Corporation"
    assert patent.parties_in(PartyRole.APPLICANT) == (
        Party(PartyRole.APPLICANT, 1, ibm, country="US", city="Armonk", state="NY"),
    )
    assert patent.parties_in(PartyRole.OWNER) == (
        Party(PartyRole.OWNER, 1, ibm, country="US", city="Armonk", state="NY"),
    )
    assert patent.parties_in(PartyRole.INVENTOR) == (
        Party(PartyRole.INVENTOR, 1, "Nitzan Nissim", country="IL", city="Rehovot"),
        Party(PartyRole.INVENTOR, 2, "Brian Pulito", country="US", city="Lexington", state="KY"),
        Party(PartyRole.INVENTOR, 3, "Asaf Zinger", country="IL", city="Rehovot"),
    )


def test_patent_and_non_patent_citations_with_who_cited_them() -> None:
    citations = record("US08930553.xml").citations
    assert len(citations) == 21
    assert citations[0] == Citation(1, number="US7844851", kind="B2", cited_by="applicant")
    assert len([c for c in citations if c.cited_by == "examiner"]) == 6
    npl = [c for c in citations if c.text]
    assert len(npl) == 5
    assert npl[0].number is None
    assert npl[0].text is not None and npl[0].text.startswith("Rosenberg, J.")


def test_v40_grant_old_ipc_applicant_inventors_and_assignee() -> None:
    patent = record("US06859910.xml")
    assert patent.key == "US:09832323"
    assert patent.publications[0].label == "US6859910B2"
    assert [c.code for c in patent.classifications] == [
        "G06F 15/00", "G06F 17/00", "G06F 17/21", "G06F 17/24",
    ]  # fmt: skip
    assert patent.classifications[0].is_main
    croy = ("John Charles Croy", "Middletown", "RI", "US")
    # Before v4.2 the applicants are the inventors: both roles come from one list.
    for role in (PartyRole.APPLICANT, PartyRole.INVENTOR):
        (party,) = patent.parties_in(role)
        assert (party.name, party.city, party.state, party.country) == croy
    assert [p.name for p in patent.parties_in(PartyRole.OWNER)] == ["Bluestreak.com"]
    assert patent.priorities == (Priority("US", "60195933", dt.date(2000, 4, 10)),)  # provisional
    assert len(patent.citations) == 8
    assert patent.citations[2] == Citation(3, number="US2002055909", kind="A1", cited_by="examiner")


def test_v40_application_is_not_granted_and_keeps_its_foreign_priority() -> None:
    patent = record("US20050004437A1.xml")
    assert patent.key == "US:10830857"
    assert patent.publications == (Publication("US2005004437", "A1", dt.date(2005, 1, 6)),)
    assert patent.grant_date is None
    assert patent.priorities == (Priority("CH", "197401", dt.date(2001, 10, 26)),)
    assert patent.claims_count == 10
    assert [p.name for p in patent.parties_in(PartyRole.APPLICANT)] == [
        "Heiner Kaufmann",
        "Thomas Vering",
    ]


def test_v45_application_of_a_pct_national_stage() -> None:
    patent = record("v4-5-A1.xml")
    assert patent.key == "US:17437086"
    assert patent.application_date == dt.date(2019, 9, 19)
    assert patent.publications[0].label == "US2022159901A1"
    assert patent.priorities == (Priority("WO", "PCT/IB2019/057948", dt.date(2019, 9, 19)),)
    assert [(c.scheme, c.code, c.is_main) for c in patent.classifications] == [
        (Scheme.IPC, "A01C 7/04", True),
        (Scheme.CPC, "A01C 7/04", True),
    ]
    assert patent.parties_in(PartyRole.APPLICANT)[0].country == "AR"


def test_concatenated_file_yields_every_document_with_its_location() -> None:
    first, second = read_all(XML / "test.xml")
    assert isinstance(first, PatentRecord) and isinstance(second, PatentRecord)
    assert [first.key, second.key] == ["US:16232658", "US:15900792"]
    assert second.publications[0].label == "US11147203B2"
    assert second.location is not None
    assert second.location.record == "US11147203B2 (document 2, line 871)"
    cpc = [c for c in first.classifications if c.scheme is Scheme.CPC]
    assert (cpc[0].code, cpc[0].is_main, len(cpc)) == ("A01B 1/243", True, 5)
    assert first.claims_count == 9
    assert len(first.citations) == 41


def test_one_broken_document_in_a_concatenated_file_is_a_record_error(tmp_path: Path) -> None:
    first = (XML / "US08930553.xml").read_bytes()
    broken = (XML / "v4-5-A1.xml").read_bytes()[:20_000]
    last = (XML / "US06859910.xml").read_bytes()
    path = tmp_path / "ipg150106.xml"
    path.write_bytes(first + broken + b"\n" + last)

    results = read_all(path)

    assert [type(r) for r in results] == [PatentRecord, RecordError, PatentRecord]
    error = results[1]
    assert isinstance(error, RecordError)
    start = first.count(b"\n") + 1
    assert error.field_name == "document"
    assert error.location is not None
    assert error.location.record == f"document 2, line {start}"
    assert "malformed XML" in error.reason and "column" in error.reason
    assert [r.key for r in results if isinstance(r, PatentRecord)] == [
        "US:13648029",
        "US:09832323",
    ]


def test_impossible_date_rejects_the_record_naming_the_field(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "US08930553.xml", b"<date>20121009</date>", b"<date>20210230</date>")
    (error,) = read_all(path)
    assert isinstance(error, RecordError)
    assert error.field_name == "application_date"
    assert "impossible date: '20210230'" in error.reason


def test_named_entities_without_the_dtd_do_not_kill_a_document(tmp_path: Path) -> None:
    path = copy_with(
        tmp_path,
        "US08930553.xml",
        b"Managing mid-dialog session initiation protocol (SIP) messages",
        b"Managing &lsquo;mid-dialog&rsquo; session initiation protocol &mdash; SIP",
    )
    assert record_at(path).text(TextField.TITLE, "en") == (
        "Managing \u2018mid-dialog\u2019 session initiation protocol \u2014 SIP"
    )


def test_design_application_type(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "US08930553.xml", b'appl-type="utility"', b'appl-type="design"')
    assert record_at(path).document_type is DocumentType.DESIGN


def record_at(path: Path) -> PatentRecord:
    (result,) = read_all(path)
    assert isinstance(result, PatentRecord), result
    return result


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("USD435854S1.xml", "SGML-derived ST.32 grant XML v2.x"),
        ("US03937375.greenbook", "APS Green Book text"),
    ],
)
def test_older_uspto_formats_are_politely_refused(name: str, format_name: str) -> None:
    assert uspto_xml.sniff(XML / name, (XML / name).read_bytes()[:65536])
    with pytest.raises(FileFormatError, match=f"format not supported: USPTO {format_name}"):
        read_all(XML / name)


def test_a_file_of_another_format_is_refused() -> None:
    with pytest.raises(FileFormatError, match="not USPTO grant or application XML"):
        read_all(XML / "cn_old3.xml")


def test_external_entity_in_a_real_document_refuses_the_file(tmp_path: Path) -> None:
    path = copy_with(
        tmp_path,
        "US08930553.xml",
        b'"us-patent-grant-v45-2014-04-03.dtd" [ ]>',
        b'"us-patent-grant-v45-2014-04-03.dtd" [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
    )
    with pytest.raises(FileFormatError, match="DOCTYPE declares entities"):
        read_all(path)


def test_sniff() -> None:
    assert uspto_xml.sniff(XML / "test.xml", (XML / "test.xml").read_bytes()[:65536])
    assert not uspto_xml.sniff(XML / "cn_new1.xml", (XML / "cn_new1.xml").read_bytes()[:65536])
    assert uspto_xml.NAME == "uspto-xml"

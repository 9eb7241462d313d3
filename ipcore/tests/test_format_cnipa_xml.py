"""CNIPA XML reader, on the real V2.2.1 and cn-patent-document files in fixtures/formats/xml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipcore.formats import cnipa_xml
from ipcore.formats.base import FileFormatError, ReadResult
from ipcore.patents.record import (
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


def read_one(path: Path) -> ReadResult:
    results = list(cnipa_xml.read(path))
    assert len(results) == 1
    return results[0]


def record(name: str) -> PatentRecord:
    result = read_one(XML / name)
    assert isinstance(result, PatentRecord), result
    return result


def copy_with(tmp_path: Path, name: str, old: bytes, new: bytes) -> Path:
    """A modified copy of a real file (the fixture itself stays as published)."""
    data = (XML / name).read_bytes()
    assert old in data
    path = tmp_path / name
    path.write_bytes(data.replace(old, new))
    return path


# (file, application number, filing date, publication, title, first applicant,
#  main IPC, IPC count, claims, inventors)
EXPECTED = [
    (
        "CN102015000481495CN00001152124630AFULZH20221021CN00D.XML",
        "201510481495.9", dt.date(2015, 8, 7), ("CN115212463", "A", dt.date(2022, 10, 21)),
        "一种医用放射治疗装置", "北京大基康明医疗设备有限公司", "A61N 5/00", 1, 12, 4,
    ),
    (
        "cn_new1.xml",
        "202111286633.X", dt.date(2017, 4, 24), ("CN113781974", "A", dt.date(2021, 12, 10)),
        "显示设备", "三星显示有限公司", "G09G 3/36", 3, 17, 3,
    ),
    (
        "cn_new2.xml",
        "202110991218.8", dt.date(2021, 8, 26), ("CN113783949", "A", dt.date(2021, 12, 10)),
        "一种基于合约管理的跨链去中心化方法", "浙商银行股份有限公司", "H04L 29/08", 5, 10, 3,
    ),
    (
        "cn_new3.xml",
        "202180002433.9", dt.date(2021, 2, 24), ("CN113784721", "A", dt.date(2021, 12, 10)),
        "抗COVID-19的高活性化合物", "阿堤亚制药公司", "A61K 31/7076", 3, 111, 2,
    ),
    (
        "cn_old1.xml",
        "201410408762.5", dt.date(2014, 8, 19), ("CN104223352", "A", dt.date(2014, 12, 24)),
        "一种甘草发酵所得烟用香料及其应用", "云南中烟工业有限责任公司", "A24B 15/18", 4, 3, 8,
    ),
    (
        "cn_old2.xml",
        "201480000986.0", dt.date(2014, 3, 28), ("CN104245143", "A", dt.date(2014, 12, 24)),
        "用于对包含于人造草坪的填充材料进行重复利用的筛选方法及筛选装置",
        "可隆科技特株式会社", "B03B 5/04", 4, 43, 5,
    ),
    (
        "cn_old3.xml",
        "201480000788.4", dt.date(2014, 3, 31), ("CN104245682", "A", dt.date(2014, 12, 24)),
        "马来酸伊索拉定的制造方法", "日本新药株式会社", "C07D 251/18", 1, 5, 1,
    ),
    (
        "cn_old4.xml",
        "201410513187.5", dt.date(2014, 9, 29), ("CN104223590", "A", dt.date(2014, 12, 24)),
        "脚型量具", "叶建鑫", "A43D 1/02", 1, 10, 1,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "application", "filed", "publication", "title", "applicant", "main_ipc",
     "ipc_count", "claims", "inventors"),
    EXPECTED,
    ids=[row[0][:20] for row in EXPECTED],
)  # fmt: skip
def test_bibliography_of_each_real_file(
    name: str,
    application: str,
    filed: dt.date,
    publication: tuple[str, str, dt.date],
    title: str,
    applicant: str,
    main_ipc: str,
    ipc_count: int,
    claims: int,
    inventors: int,
) -> None:
    patent = record(name)
    assert patent.office == "CN"
    assert patent.key == f"CN:{application}"
    assert patent.application_date == filed
    assert patent.publications == (Publication(*publication),)
    assert patent.grant_date is None  # all are A publications
    assert patent.document_type is DocumentType.INVENTION
    assert patent.text(TextField.TITLE, "zh") == title
    assert patent.parties_in(PartyRole.APPLICANT)[0].name == applicant
    ipc = [c for c in patent.classifications if c.scheme is Scheme.IPC]
    assert (ipc[0].code, ipc[0].is_main, len(ipc)) == (main_ipc, True, ipc_count)
    assert not any(c.is_main for c in ipc[1:])
    assert patent.claims_count == claims
    assert len(patent.parties_in(PartyRole.INVENTOR)) == inventors
    assert patent.warnings == ()
    assert patent.location is not None
    assert patent.location.record == f"{publication[0]}{publication[1]}"


def test_v221_structured_address_keeps_the_raw_text() -> None:
    patent = record("cn_new2.xml")
    assert patent.parties_in(PartyRole.APPLICANT) == (
        Party(
            PartyRole.APPLICANT,
            1,
            "浙商银行股份有限公司",
            country="CN",
            city="杭州市",
            state="浙江省",
            address="311200 浙江省杭州市萧山区鸿宁路1788号",  # district not resolved here
        ),
    )
    assert [p.name for p in patent.parties_in(PartyRole.INVENTOR)] == ["陈嘉俊", "臧铖", "郭东升"]


def test_placeholder_zeros_in_v221_addresses_are_not_values() -> None:
    applicant = record("cn_new1.xml").parties_in(PartyRole.APPLICANT)[0]
    assert (applicant.country, applicant.city, applicant.state) == ("KR", None, None)
    assert applicant.address == "韩国京畿道"


def test_old_layout_applicants_in_order_with_their_addresses() -> None:
    patent = record("cn_old2.xml")
    assert [(p.sequence, p.name, p.address) for p in patent.parties_in(PartyRole.APPLICANT)] == [
        (1, "可隆科技特株式会社", "韩国京畿道果川市"),
        (2, "盛源立赛科株式会社", None),
    ]
    assert [p.name for p in patent.parties_in(PartyRole.INVENTOR)] == [
        "朴建洙", "权宁荤", "曹光洙", "孔景录", "蒋志荣",
    ]  # fmt: skip


def test_agents_and_agencies_are_not_parties() -> None:
    names = {party.name for party in record("cn_old2.xml").parties}
    assert not names & {"吕琳", "杨生平", "北京品源专利代理有限公司 11332"}
    assert {p.role for p in record("cn_new1.xml").parties} == {
        PartyRole.APPLICANT,
        PartyRole.INVENTOR,
    }


def test_priorities_and_pct_data_old_layout() -> None:
    patent = record("cn_old2.xml")
    assert patent.priorities[0] == Priority("KR", "20130033547", dt.date(2013, 3, 28))
    assert len([p for p in patent.priorities if p.office == "KR"]) == 6
    assert patent.priorities[-1] == Priority("WO", "PCT/KR2014/002669", dt.date(2014, 3, 28))


def test_priorities_and_pct_data_v221() -> None:
    patent = record("cn_new3.xml")
    assert patent.priorities[0] == Priority("US", "62982670", dt.date(2020, 2, 27))
    assert len([p for p in patent.priorities if p.office == "US"]) == 8
    assert patent.priorities[-1] == Priority("WO", "PCT/US2021/019468", dt.date(2021, 2, 24))
    assert record("cn_new1.xml").priorities == (
        Priority("KR", "20160063019", dt.date(2016, 5, 23)),
    )


def test_abstract_and_claims_text_join_wrapped_chinese_lines() -> None:
    patent = record("cn_old2.xml")
    claims = patent.text(TextField.CLAIMS, "zh")
    assert claims is not None
    assert claims.startswith(
        "1.一种用于对包含于人造草坪的填充材料进行重复利用的筛选方法，该方法为用于从人造草坪"
    )
    assert len(claims.splitlines()) == 43
    assert claims.splitlines()[1].startswith("2.根据权利要求1所述的")
    abstract = patent.text(TextField.ABSTRACT, "zh")
    assert abstract is not None and abstract.startswith("本发明涉及一种用于从人造草坪包括的")


def test_biological_deposit_data_is_not_part_of_the_abstract() -> None:
    abstract = record("cn_old1.xml").text(TextField.ABSTRACT, "zh")
    assert abstract is not None
    assert abstract.endswith("具有良好的应用前景。")
    assert "2012.10.08" not in abstract


def test_pct_national_phase_application_is_an_invention() -> None:
    # Type digit 8: a PCT invention entering China.
    patent = record("cn_new3.xml")
    assert patent.application_number == "202180002433.9"
    assert patent.document_type is DocumentType.INVENTION


def test_granted_kind_gives_the_grant_date(tmp_path: Path) -> None:
    path = copy_with(
        tmp_path, "cn_old4.xml", b"<kind>A</kind>", b"<kind>B</kind>"
    )  # the same document published as a grant
    patent = read_one(path)
    assert isinstance(patent, PatentRecord)
    assert patent.publications[0].label == "CN104223590B"
    assert patent.grant_date == dt.date(2014, 12, 24)


def test_wrong_check_digit_is_a_warning_not_a_rejection(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "cn_old1.xml", b"201410408762.5", b"201410408762.4")
    patent = read_one(path)
    assert isinstance(patent, PatentRecord)
    assert patent.application_number == "201410408762.4"
    assert len(patent.warnings) == 1
    assert patent.warnings[0].startswith("application_number: check digit of 201410408762")
    assert "should be 5, got 4" in patent.warnings[0]
    assert "校验位应为5" in patent.warnings[0]


def test_impossible_date_rejects_the_record_naming_the_field(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "cn_new2.xml", b"<base:Date>20210826</base:Date>",
                     b"<base:Date>20210230</base:Date>")  # fmt: skip
    error = read_one(path)
    assert isinstance(error, RecordError)
    assert error.field_name == "application_date"
    assert "20210230" in error.reason
    assert error.location is not None and error.location.record == "CN113783949A"


def test_unreadable_application_number_rejects_the_record(tmp_path: Path) -> None:
    path = copy_with(tmp_path, "cn_old3.xml", b"201480000788.4", b"2014800007884X9")
    error = read_one(path)
    assert isinstance(error, RecordError)
    assert error.field_name == "application_number"


def test_truncated_file_is_a_file_format_error_with_position(tmp_path: Path) -> None:
    data = (XML / "cn_old3.xml").read_bytes()
    path = tmp_path / "cn_old3.xml"
    path.write_bytes(data[:3_000])
    with pytest.raises(FileFormatError, match=r"line \d+, column \d+"):
        list(cnipa_xml.read(path))


def test_a_file_of_another_format_is_refused() -> None:
    with pytest.raises(FileFormatError, match="not CNIPA patent XML"):
        list(cnipa_xml.read(XML / "US08930553.xml"))


def test_sniff_knows_both_layouts_and_nothing_else() -> None:
    head = (XML / "cn_new1.xml").read_bytes()[:65536]
    assert cnipa_xml.sniff(XML / "cn_new1.xml", head)
    assert cnipa_xml.sniff(XML / "cn_old3.xml", (XML / "cn_old3.xml").read_bytes()[:65536])
    assert not cnipa_xml.sniff(XML / "test.xml", (XML / "test.xml").read_bytes()[:65536])
    assert cnipa_xml.NAME == "cnipa-xml"

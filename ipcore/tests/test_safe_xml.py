"""Safe XML parsing: hostile DOCTYPEs refused unparsed, positions on malformed input,
concatenated and streamed files, named entities — on real files and real-file copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ipcore.formats.base import FileFormatError
from ipcore.formats.safe_xml import (
    Document,
    MalformedXmlError,
    Unreadable,
    UnsafeXmlError,
    iter_documents,
    iter_elements,
    normalise_text,
    parse_bytes,
    parse_file,
)

XML = Path(__file__).parent / "fixtures" / "formats" / "xml"
EXCHANGE = {"exch": "http://www.epo.org/exchange"}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>
"""


def _never_parse(*args: object, **kwargs: object) -> None:
    raise AssertionError("libxml2 was handed a document that should have been refused")


@pytest.fixture
def parser_must_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proves refusal happens *before* parsing: nothing can be expanded or read."""
    monkeypatch.setattr(etree, "fromstring", _never_parse)
    monkeypatch.setattr(etree, "iterparse", _never_parse)


# --- hostile DOCTYPEs ----------------------------------------------------------------------


@pytest.mark.usefixtures("parser_must_not_run")
def test_billion_laughs_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "lolz.xml"
    path.write_bytes(BILLION_LAUGHS)
    with pytest.raises(FileFormatError) as caught:
        parse_file(path)
    assert caught.value.path == str(path)
    assert "DOCTYPE declares entities" in caught.value.reason
    assert "line 3" in caught.value.reason  # where the first <!ENTITY stands


@pytest.mark.usefixtures("parser_must_not_run")
def test_billion_laughs_is_refused_when_streamed(tmp_path: Path) -> None:
    path = tmp_path / "lolz.xml"
    path.write_bytes(BILLION_LAUGHS.replace(b"<lolz>", b"<lolz><exchange-document>"))
    with pytest.raises(FileFormatError, match="DOCTYPE declares entities"):
        list(iter_elements(path, "exchange-document"))


@pytest.mark.usefixtures("parser_must_not_run")
def test_external_entity_is_refused_and_the_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for target in ("file:///etc/passwd", secret.as_uri()):
        document = (
            f'<?xml version="1.0"?><!DOCTYPE foo [ <!ENTITY xxe SYSTEM "{target}"> ]>'
            "<foo>&xxe;</foo>"
        ).encode()
        with pytest.raises(UnsafeXmlError) as caught:
            parse_bytes(document)
        assert "TOP-SECRET" not in str(caught.value)
        assert "root:" not in str(caught.value)


@pytest.mark.usefixtures("parser_must_not_run")
def test_parameter_entity_is_refused() -> None:
    document = b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><x/>'
    with pytest.raises(UnsafeXmlError, match="DOCTYPE declares entities"):
        parse_bytes(document)


def test_external_entity_injected_into_a_real_uspto_document_is_refused(tmp_path: Path) -> None:
    real = (XML / "US08930553.xml").read_bytes()
    hostile = real.replace(
        b'"us-patent-grant-v45-2014-04-03.dtd" [ ]>',
        b'"us-patent-grant-v45-2014-04-03.dtd" [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
    ).replace(b"Managing mid-dialog", b"&xxe; Managing mid-dialog")
    assert hostile != real
    path = tmp_path / "US08930553.xml"
    path.write_bytes(hostile)
    with pytest.raises(FileFormatError, match="DOCTYPE declares entities") as caught:
        parse_file(path)
    assert "root:" not in str(caught.value)


def test_an_empty_internal_subset_and_an_unloaded_dtd_are_fine() -> None:
    # Every USPTO ICE file starts like this: nothing is declared, nothing is fetched.
    root = parse_file(XML / "US08930553.xml")
    assert root.tag == "us-patent-grant"
    assert root.findtext(".//invention-title").startswith("Managing mid-dialog session")


def test_a_doctype_inside_a_comment_is_not_mistaken_for_one() -> None:
    # USD435854S1.xml keeps an old DOCTYPE commented out before its real one.
    document = b'<?xml version="1.0"?><!-- <!DOCTYPE x [ <!ENTITY a "b"> ]> --><r>ok</r>'
    assert parse_bytes(document).text == "ok"


# --- size bound ----------------------------------------------------------------------------


@pytest.mark.usefixtures("parser_must_not_run")
def test_a_document_over_the_size_bound_is_refused_unparsed() -> None:
    path = XML / "cn_old3.xml"
    with pytest.raises(FileFormatError, match="over the 1,000-byte limit") as caught:
        parse_file(path, max_bytes=1_000)
    assert caught.value.path == str(path)


# --- malformed input: FileFormatError with line and column ---------------------------------


def test_truncated_real_document_reports_line_and_column(tmp_path: Path) -> None:
    real = (XML / "cn_old1.xml").read_bytes()
    cut = real[: len(real) // 2]
    path = tmp_path / "cn_old1.xml"
    path.write_bytes(cut)
    with pytest.raises(FileFormatError) as caught:
        parse_file(path)
    last_line = cut.count(b"\n") + 1
    assert caught.value.path == str(path)
    assert "malformed XML" in caught.value.reason
    assert f"line {last_line}, column" in caught.value.reason


def test_a_real_file_published_with_a_bare_ampersand_is_a_file_format_error() -> None:
    # EP1921219A1 as served by the EPO publication server: "UDAPI & ASOCIADOS" on line 93.
    with pytest.raises(FileFormatError) as caught:
        parse_file(XML / "v1-2-A1.xml")
    assert caught.value.reason == "malformed XML: xmlParseEntityRef: no name (line 93, column 37)"


def test_positions_in_a_later_document_are_file_lines() -> None:
    with pytest.raises(MalformedXmlError) as caught:
        parse_bytes(b"<a>\n<b>\n</a>", first_line=100)
    assert caught.value.line == 102


# --- named entities --------------------------------------------------------------------------


def test_html_and_iso_entity_names_are_mapped_without_a_dtd() -> None:
    root = parse_bytes(b"<t>&lsquo;Claim&rsquo; &ndash; 5&deg;C &amp; &SACUTE;</t>")
    assert root.text == "\u2018Claim\u2019 \u2013 5\u00b0C & \u015a"


def test_docdb_entities_in_a_real_record_become_characters() -> None:
    path = XML / "WO-2022259205-A1_544370561.xml"
    texts = [
        "".join(element.itertext())  # an element is only valid inside the loop
        for element in iter_elements(path, "exchange-document", prefixes=EXCHANGE)
        if not isinstance(element, Unreadable)
    ]
    assert len(texts) == 1
    assert "ANNA CZAJKOWSKA-KO\u015aNIK ET AL" in texts[0]  # &SACUTE; in the source
    assert "&SACUTE;" not in texts[0]


@pytest.mark.parametrize(
    "document",
    [b"<t>\n&nosuch;</t>", b'<!DOCTYPE t SYSTEM "t.dtd" [ ]>\n<t>\n&nosuch;</t>'],
    ids=["without-dtd", "with-unloaded-dtd"],
)
def test_an_unknown_entity_name_makes_the_document_unreadable(document: bytes) -> None:
    with pytest.raises(MalformedXmlError) as caught:
        parse_bytes(document)
    assert "nosuch" in caught.value.reason
    assert caught.value.line in (2, 3)


# --- concatenated files ----------------------------------------------------------------------


def test_a_real_concatenated_file_yields_each_document_with_its_line() -> None:
    documents = list(iter_documents(XML / "test.xml"))
    assert [(d.index, d.line) for d in documents] == [(1, 1), (2, 871)]
    assert all(isinstance(d, Document) for d in documents)


def test_one_broken_document_in_a_concatenated_file_does_not_stop_the_others(
    tmp_path: Path,
) -> None:
    first = (XML / "US08930553.xml").read_bytes()
    broken = (XML / "v4-5-A1.xml").read_bytes()[:20_000]
    last = (XML / "US06859910.xml").read_bytes()
    path = tmp_path / "ipg.xml"
    path.write_bytes(first + broken + b"\n" + last)

    items = list(iter_documents(path))

    assert [type(item) for item in items] == [Document, Unreadable, Document]
    unreadable = items[1]
    assert isinstance(unreadable, Unreadable)
    assert unreadable.index == 2
    assert unreadable.line == first.count(b"\n") + 1
    assert unreadable.error.line is not None and unreadable.error.line > unreadable.line
    assert items[2].line == first.count(b"\n") + broken.count(b"\n") + 2


def test_a_single_broken_document_is_a_file_format_error(tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    path.write_bytes((XML / "US08930553.xml").read_bytes()[:5_000])
    with pytest.raises(FileFormatError, match=r"malformed XML.*line \d+, column \d+"):
        list(iter_documents(path))


def test_an_oversized_document_in_a_concatenated_file_is_skipped(tmp_path: Path) -> None:
    small = (XML / "US20050004437A1.xml").read_bytes()
    big = (XML / "US06859910.xml").read_bytes()
    path = tmp_path / "ipg.xml"
    path.write_bytes(small + big + small)
    items = list(iter_documents(path, max_bytes=len(small) + 100))
    assert [type(item) for item in items] == [Document, Unreadable, Document]
    assert "over the" in items[1].error.reason  # type: ignore[union-attr]


# --- streaming repeated elements -------------------------------------------------------------


def test_streaming_a_docdb_file_yields_each_record_and_frees_the_last() -> None:
    seen: list[str] = []
    previous = None
    for element in iter_elements(XML / "DE-backfile.xml", "exchange-document"):
        assert not isinstance(element, Unreadable)
        if previous is not None:
            assert len(previous) == 0  # cleared once the next record was asked for
        seen.append(element.get("doc-number"))
        previous = element
    assert seen == [str(number) for number in range(1258188, 1258198)]


def test_a_truncated_stream_yields_the_good_records_then_fails_with_a_position(
    tmp_path: Path,
) -> None:
    data = (XML / "DE-backfile.xml").read_bytes()
    path = tmp_path / "DE-backfile.xml"
    path.write_bytes(data[: len(data) // 2])
    seen = []
    with pytest.raises(FileFormatError, match=r"malformed XML.*line \d+, column \d+"):
        for element in iter_elements(path, "exchange-document"):
            seen.append(element)
    assert len(seen) == 5


def test_a_record_cut_from_a_bulk_file_gets_its_namespace_declared() -> None:
    path = XML / "WO-2023012807-A1_507242069.xml"
    numbers = [
        element.get("doc-number")
        for element in iter_elements(path, "exchange-document", prefixes=EXCHANGE)
        if not isinstance(element, Unreadable)
    ]
    assert numbers == ["2023012807"]
    with pytest.raises(FileFormatError, match="Namespace prefix exch"):
        list(iter_elements(path, "exchange-document"))


# --- text ------------------------------------------------------------------------------------


def test_wrapped_chinese_text_joins_without_spaces_and_english_keeps_them() -> None:
    assert normalise_text("具有属于规定范围的粒度大小的物质进行筛\n\t\t\t选。") == (
        "具有属于规定范围的粒度大小的物质进行筛选。"
    )
    assert normalise_text("a wheeled\n   hand truck") == "a wheeled hand truck"
    assert normalise_text("抗体具有与人\n hepcidin-25") == "抗体具有与人 hepcidin-25"


def test_utf16_documents_are_read() -> None:
    document = '<?xml version="1.0" encoding="UTF-16"?><r>申请人</r>'.encode("utf-16")
    assert parse_bytes(document).text == "申请人"

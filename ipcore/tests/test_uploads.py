"""Uploads checked by their bytes: each accepted type made by its own program, every refusal
reason, names that lie about the content, zip bombs refused unread, and display names that
stay safe for any input (hypothesis)."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcore.market.deals import DealStage
from ipcore.market.documents import closed_to_documents, takes_documents
from ipcore.tests import sample_files
from ipcore.uploads import (
    EXTENSIONS,
    MAX_ARCHIVE_ENTRIES,
    MAX_NAME_CHARS,
    FileType,
    UploadRefusal,
    UploadRefused,
    check_upload,
    display_name,
    extension_of,
    format_size,
    sniff,
)

MB = 1024 * 1024
LIMIT = 20 * MB

SAMPLES = {
    FileType.PDF: ("合同.pdf", sample_files.pdf),
    FileType.DOCX: ("合同草稿.docx", sample_files.docx),
    FileType.XLSX: ("报价.xlsx", sample_files.xlsx),
    FileType.OFD: ("备案证明.ofd", sample_files.ofd),
    FileType.JPEG: ("扫描件.JPG", lambda: sample_files.JPEG),
    FileType.PNG: ("scan.png", sample_files.png),
}


def _refusal(name: str, content: bytes, max_bytes: int = LIMIT) -> UploadRefused:
    with pytest.raises(UploadRefused) as raised:
        check_upload(name, content, max_bytes=max_bytes)
    return raised.value


@pytest.mark.parametrize("file_type", list(FileType), ids=str)
def test_each_type_made_by_its_program_is_accepted(file_type: FileType) -> None:
    name, make = SAMPLES[file_type]
    content = make()
    checked = check_upload(name, content, max_bytes=LIMIT)
    assert (checked.file_type, checked.size, checked.name) == (file_type, len(content), name)
    assert checked.extension in EXTENSIONS[file_type]


def test_empty_and_too_large_are_refused_before_the_bytes_are_read() -> None:
    assert _refusal("合同.pdf", b"").reason is UploadRefusal.EMPTY
    too_large = _refusal("合同.pdf", sample_files.pdf(), max_bytes=100)
    assert too_large.reason is UploadRefusal.TOO_LARGE
    assert "100 B" in too_large.message_en and "上限" in too_large.message_zh
    assert format_size(LIMIT) == "20 MB" and format_size(1536) == "1.5 KB"


@pytest.mark.parametrize(
    ("name", "content", "reason", "words"),
    [
        ("contract.pdf", sample_files.png(), "not_what_it_says", "named .pdf but it is a PNG"),
        ("contract.pdf", b"MZ\x90\x00" + bytes(60), "not_what_it_says", "a Windows program"),
        ("contract.exe", b"MZ\x90\x00" + bytes(60), "type_not_allowed", "a Windows program"),
        ("合同.docx", sample_files.zipped({"a.txt": b"x"}), "not_what_it_says", "not a Word"),
        ("bundle.zip", sample_files.zipped({"a.txt": b"x"}), "type_not_allowed", "ZIP archive"),
        ("合同.doc", b"\xd0\xcf\x11\xe0" + bytes(60), "type_not_allowed", "legacy Office"),
        ("合同", sample_files.pdf(), "not_what_it_says", "no extension"),
        ("cut.pdf", sample_files.pdf()[:-40], "not_what_it_says", "incomplete PDF"),
        ("page.pdf", b"<!DOCTYPE html><script>", "not_what_it_says", "a web page"),
        ("notes.txt", "合同条款".encode(), "type_not_allowed", "only a PDF document"),
        ("broken.docx", b"PK\x03\x04" + bytes(40), "not_what_it_says", "damaged ZIP"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_with_the_reason(
    name: str, content: bytes, reason: str, words: str
) -> None:
    refused = _refusal(name, content)
    assert refused.reason == reason
    assert words in refused.message_en
    assert refused.message_zh and refused.message_zh != refused.message_en


def test_macro_enabled_documents_and_templates_are_refused() -> None:
    real = sample_files.docx()
    types = (
        b'<Types><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    )
    macro = sample_files.zipped(
        {"[Content_Types].xml": types, "word/document.xml": b"<w/>", "word/vbaProject.bin": b"x"}
    )
    assert "macros" in _refusal("合同.docx", macro).message_en
    assert sniff(real).file_type is FileType.DOCX


def test_a_zip_bomb_is_refused_without_unpacking_it() -> None:
    bomb = sample_files.zip_bomb()
    assert len(bomb) < 64 * 1024
    refused = _refusal("合同.docx", bomb)
    assert refused.reason is UploadRefusal.UNSAFE_ARCHIVE
    crowded = sample_files.zipped({f"word/{i}.xml": b"" for i in range(MAX_ARCHIVE_ENTRIES + 1)})
    assert _refusal("合同.docx", crowded).reason is UploadRefusal.UNSAFE_ARCHIVE


def test_a_name_cannot_hide_its_extension() -> None:
    # U+202E turns "合同‮fdp.exe" into what reads as "合同exe.pdf"
    assert display_name("合同\u202efdp.exe") == "合同fdp.exe"
    assert extension_of("合同\u202efdp.exe") == ".exe"
    assert display_name("C:\\Users\\张三\\Desktop\\合同.pdf") == "合同.pdf"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name('a"b<c>.pdf') == "a_b_c_.pdf"
    assert display_name("...") == "document"
    assert extension_of("合同．ＰＤＦ") == ".pdf"  # noqa: RUF001 full-width, as typed in Chinese
    assert extension_of(".pdf") == "" and extension_of("合同.") == ""


@given(st.text(max_size=400))
def test_display_names_are_safe_and_stable(name: str) -> None:
    shown = display_name(name)
    assert shown and len(shown) <= MAX_NAME_CHARS
    assert "/" not in shown and "\\" not in shown and not shown.startswith((".", " "))
    assert not any(unicodedata.category(ch).startswith("C") for ch in shown)
    assert shown == shown.strip() and '"' not in shown
    assert display_name(shown) == shown


# A plain name has a stem: at least one letter or digit (" .pdf" is a dot-file, named "pdf").
_STEM_CHARACTERS = string.ascii_letters + string.digits + "合同备案证明 -_"
_STEM = st.text(alphabet=_STEM_CHARACTERS, min_size=1).filter(
    lambda stem: any(ch.isalnum() for ch in stem)
)


@given(_STEM, st.sampled_from([e for extensions in EXTENSIONS.values() for e in extensions]))
def test_a_plain_name_keeps_its_extension(stem: str, extension: str) -> None:
    assert extension_of(f"{stem}{extension}") == extension
    if stem.strip(" -_") and len(stem) < 100:
        assert display_name(f"{stem}{extension}").endswith(extension)


@given(st.binary(max_size=2048), st.sampled_from(["a.pdf", "a.docx", "a.png", "a.exe", "a"]))
def test_any_bytes_are_accepted_or_refused_with_a_reason(content: bytes, name: str) -> None:
    try:
        checked = check_upload(name, content, max_bytes=1024)
    except UploadRefused as refused:
        assert refused.message_zh and refused.message_en
        assert refused.reason is not UploadRefusal.TOO_LARGE or len(content) > 1024
    else:
        assert checked.size == len(content) and extension_of(name) in EXTENSIONS[checked.file_type]


@given(
    st.sampled_from([b"PK\x03\x04", b"%PDF-", b"\x89PNG\r\n\x1a\n", b""]),
    st.binary(max_size=600),
)
def test_any_bytes_behind_a_signature_never_crash_the_sniffer(head: bytes, tail: bytes) -> None:
    found = sniff(head + tail)
    assert found.what_zh and found.what_en


def test_withdrawn_and_failed_deals_take_no_documents() -> None:
    taking = [stage for stage in DealStage if takes_documents(stage)]
    assert DealStage.COMPLETED in taking and DealStage.INQUIRY in taking
    assert not takes_documents(DealStage.WITHDRAWN) and not takes_documents(DealStage.FAILED)
    reason = closed_to_documents(DealStage.FAILED)
    assert reason is not None and "未成交" in reason[0] and "failed" in reason[1]
    assert closed_to_documents(DealStage.FILED) is None

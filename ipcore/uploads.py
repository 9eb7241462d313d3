"""上传文件 — an uploaded file checked by what its bytes are, not by what it is called.

A file is accepted when it is not empty, not over the size limit, its bytes are one of the
allowed types and its name's extension is one of that type's. Anything else is refused with
a reason in both languages (`UploadRefused`), so a page can say what is wrong:

* **PDF** — ``%PDF-`` at the start and ``%%EOF`` near the end (a cut-off upload has none);
* **Word DOCX / Excel XLSX** — a ZIP archive whose ``[Content_Types].xml`` declares the main
  part of a Word document or an Excel workbook, with a part under ``word/`` or ``xl/``.
  Macro-enabled documents (DOCM, XLSM, a ``vbaProject.bin``) and templates are refused;
* **OFD** (GB/T 33190, the Chinese electronic document that CNIPA's e-certificates use) — a
  ZIP archive with an ``OFD.xml`` at its root naming the ``ofd`` namespace;
* **JPEG / PNG** — their signatures.

An archive is never unpacked to be checked: the sizes its directory declares are summed
(and each entry's packing ratio looked at) so that a ZIP bomb is refused unread, and the one
part that is read, ``[Content_Types].xml`` or ``OFD.xml``, is read up to a bounded number of
bytes whatever its entry claims.

`display_name` keeps the name a person gave a file fit for showing and for a download's
``Content-Disposition``: no folders, no control or direction-changing characters (an
``U+202E`` can make ``exe.pdf`` read as ``fdp.exe``), bounded length. It is never used as a
path: the platform stores files under names of its own.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class FileType(StrEnum):
    """The kinds of file the platform accepts as documents."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    OFD = "ofd"
    JPEG = "jpeg"
    PNG = "png"


CONTENT_TYPES: Final[Mapping[FileType, str]] = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.OFD: "application/ofd",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
}
EXTENSIONS: Final[Mapping[FileType, tuple[str, ...]]] = {
    FileType.PDF: (".pdf",),
    FileType.DOCX: (".docx",),
    FileType.XLSX: (".xlsx",),
    FileType.OFD: (".ofd",),
    FileType.JPEG: (".jpg", ".jpeg"),
    FileType.PNG: (".png",),
}
TYPE_LABELS: Final[Mapping[FileType, tuple[str, str]]] = {
    FileType.PDF: ("PDF 文档", "a PDF document"),
    FileType.DOCX: ("Word 文档（DOCX）", "a Word document (DOCX)"),
    FileType.XLSX: ("Excel 工作簿（XLSX）", "an Excel workbook (XLSX)"),
    FileType.OFD: ("OFD 版式文档", "an OFD document"),
    FileType.JPEG: ("JPEG 图片", "a JPEG image"),
    FileType.PNG: ("PNG 图片", "a PNG image"),
}

MAX_NAME_CHARS: Final = 200
# An archive is refused unread past these: no document the platform takes comes near them.
MAX_ARCHIVE_ENTRIES: Final = 5_000
MAX_UNPACKED_BYTES: Final = 256 * 1024 * 1024
MAX_PACKING_RATIO: Final = 200  # deflate reaches ~1,000:1 only on made-up data
_RATIO_FROM_BYTES: Final = 1024 * 1024  # small parts may pack as tightly as they like
_MAX_PART_BYTES: Final = 1024 * 1024  # [Content_Types].xml or OFD.xml, read at most this much

_ZIP: Final = b"PK\x03\x04"
_OOXML: Final = "application/vnd.openxmlformats-officedocument"
_WORD_MAIN: Final = f"{_OOXML}.wordprocessingml.document.main+xml"
_EXCEL_MAIN: Final = f"{_OOXML}.spreadsheetml.sheet.main+xml"
_CONTENT_TYPE_ATTR: Final = re.compile(rb"""ContentType\s*=\s*["']([^"']+)["']""")


class UploadRefusal(StrEnum):
    """Why an upload is refused."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TYPE_NOT_ALLOWED = "type_not_allowed"
    NOT_WHAT_IT_SAYS = "not_what_it_says"  # the name's extension and the bytes disagree
    UNSAFE_ARCHIVE = "unsafe_archive"  # a ZIP that would unpack to far more than it is


class UploadRefused(ValueError):
    """An upload refused, with the reason in both languages."""

    def __init__(self, reason: UploadRefusal, message_zh: str, message_en: str) -> None:
        self.reason = reason
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(message_en)


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: the name to show, what its bytes are, and how many."""

    name: str
    file_type: FileType
    size: int

    @property
    def extension(self) -> str:
        """The extension the platform stores it under (the type's own, e.g. ``.jpg``)."""
        return EXTENSIONS[self.file_type][0]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_type]


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are: one of the accepted types, or (``file_type`` None) what else."""

    file_type: FileType | None
    what_zh: str
    what_en: str


def _known(file_type: FileType) -> Sniffed:
    zh, en = TYPE_LABELS[file_type]
    return Sniffed(file_type, zh, en)


# Other signatures, only to say what a refused file is.
_OTHER_SIGNATURES: Final[tuple[tuple[bytes, str, str], ...]] = (
    (b"MZ", "Windows 程序", "a Windows program"),
    (b"\x7fELF", "程序", "a program"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（.doc/.xls）", "a legacy Office file (.doc/.xls)"),
    (b"Rar!", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (b"%!PS", "PostScript 文件", "a PostScript file"),
)


def sniff(content: bytes) -> Sniffed:
    """What ``content`` is, from its bytes alone. Raises `UploadRefused` (unsafe archive)
    for a ZIP whose directory declares far more than any document holds."""
    if content.startswith(b"%PDF-"):
        if b"%%EOF" in content[-1024:]:
            return _known(FileType.PDF)
        return Sniffed(None, "不完整的 PDF 文档（缺少结尾）", "an incomplete PDF (no end)")
    if content.startswith(b"\xff\xd8\xff"):
        return _known(FileType.JPEG)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return _known(FileType.PNG)
    if content.startswith(_ZIP):
        return _sniff_zip(content)
    for signature, zh, en in _OTHER_SIGNATURES:
        if content.startswith(signature):
            return Sniffed(None, zh, en)
    head = content[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<script")):
        return Sniffed(None, "网页", "a web page")
    return Sniffed(None, "无法识别的文件", "a file of no type the platform knows")


def _sniff_zip(content: bytes) -> Sniffed:
    other = Sniffed(
        None,
        "不是 Word、Excel 或 OFD 文档的 ZIP 压缩包",
        "a ZIP archive that is not a Word, Excel or OFD document",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            _check_archive(entries)
            names = {entry.filename for entry in entries}
            if "OFD.xml" in names:
                return _known(FileType.OFD) if b"ofd" in _part(archive, "OFD.xml") else other
            if "[Content_Types].xml" not in names:
                return other
            declared = set(_CONTENT_TYPE_ATTR.findall(_part(archive, "[Content_Types].xml")))
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error):
        return Sniffed(None, "损坏的 ZIP 压缩包", "a damaged ZIP archive")
    except (NotImplementedError, RuntimeError, ValueError):  # encrypted, unknown compression
        return Sniffed(None, "加密或无法读取的 ZIP 压缩包", "an encrypted or unreadable ZIP")
    types = {t.decode("ascii", "replace").strip().lower() for t in declared}
    if any("macroenabled" in t for t in types) or any(
        n.lower().endswith("vbaproject.bin") for n in names
    ):
        return Sniffed(None, "含宏的 Office 文档", "an Office document with macros")
    if _WORD_MAIN in types and any(n.startswith("word/") for n in names):
        return _known(FileType.DOCX)
    if _EXCEL_MAIN in types and any(n.startswith("xl/") for n in names):
        return _known(FileType.XLSX)
    return other


def _check_archive(entries: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(entry.file_size for entry in entries)
    packed_tight = any(
        entry.file_size > _RATIO_FROM_BYTES
        and entry.file_size > MAX_PACKING_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if len(entries) > MAX_ARCHIVE_ENTRIES or unpacked > MAX_UNPACKED_BYTES or packed_tight:
        raise UploadRefused(
            UploadRefusal.UNSAFE_ARCHIVE,
            "压缩文档解压后远大于文件本身（疑似压缩炸弹），已拒绝",
            "the archive would unpack to far more than any document holds (a zip bomb?)",
        )


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    """One part of the archive, at most `_MAX_PART_BYTES` whatever its entry declares."""
    with archive.open(name) as part:
        return part.read(_MAX_PART_BYTES)


def format_size(size: int) -> str:
    """``20971520`` → ``"20 MB"``; one decimal where it is not whole (1,024-based)."""
    for unit, step in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= step:
            value = size / step
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} B"


_RESERVED: Final = re.compile(r'[<>:"|?*]')
_SPACES: Final = re.compile(r"\s+")


def display_name(name: str) -> str:
    """The name a person gave a file, safe to show and to offer as a download's name: the
    last path component, without control, format or direction-changing characters, the
    characters Windows reserves replaced, at most `MAX_NAME_CHARS` (the extension kept),
    never empty and never starting with a dot."""
    base = re.split(r"[/\\]", name)[-1]
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", base)
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    cleaned = _SPACES.sub(" ", _RESERVED.sub("_", kept)).strip().lstrip(". ")
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    stem, extension = stem.rstrip(". "), extension.strip()[:16].strip()
    if not stem:
        stem = "document"
    suffix = f".{extension}" if extension else ""
    return stem[: MAX_NAME_CHARS - len(suffix)].rstrip(". ") + suffix


def extension_of(name: str) -> str:
    """The extension of ``name``, lower-case and with full-width letters folded
    (a full-width ``．ＰＤＦ`` is ``.pdf``); empty when it has none."""  # noqa: RUF002
    shown = unicodedata.normalize("NFKC", display_name(name)).lower()
    stem, dot, extension = shown.rpartition(".")
    return f".{extension}" if dot and stem and extension else ""


def allowed_types_text(allowed: Collection[FileType]) -> tuple[str, str]:
    ordered = [t for t in FileType if t in allowed]
    return (
        "、".join(TYPE_LABELS[t][0] for t in ordered),
        ", ".join(TYPE_LABELS[t][1] for t in ordered),
    )


def check_upload(
    name: str,
    content: bytes,
    *,
    max_bytes: int,
    allowed: Collection[FileType] = tuple(FileType),
) -> CheckedFile:
    """Accept ``content`` uploaded as ``name``, or raise `UploadRefused` with the reason."""
    if not content:
        raise UploadRefused(UploadRefusal.EMPTY, "文件是空的", "the file is empty")
    if len(content) > max_bytes:
        limit = format_size(max_bytes)
        raise UploadRefused(
            UploadRefusal.TOO_LARGE,
            f"文件超过 {limit} 的上限",
            f"the file is over the {limit} limit",
        )
    found = sniff(content)
    extension = extension_of(name)
    claimed = [t for t in FileType if extension in EXTENSIONS[t] and t in allowed]
    if found.file_type is None or found.file_type not in allowed:
        if claimed:  # named as an accepted type, but it is something else
            zh, en = TYPE_LABELS[claimed[0]]
            raise UploadRefused(
                UploadRefusal.NOT_WHAT_IT_SAYS,
                f"文件名为 {extension}，内容却不是{zh}，而是{found.what_zh}",
                f"the file is named {extension} but it is not {en}: it is {found.what_en}",
            )
        zh_list, en_list = allowed_types_text(allowed)
        raise UploadRefused(
            UploadRefusal.TYPE_NOT_ALLOWED,
            f"只接受{zh_list}；该文件是{found.what_zh}",
            f"only {en_list} are accepted; this file is {found.what_en}",
        )
    if extension not in EXTENSIONS[found.file_type]:
        expected = EXTENSIONS[found.file_type][0]
        named_zh = f"文件名为 {extension}" if extension else "文件名没有扩展名"
        named_en = f"the file is named {extension}" if extension else "the name has no extension"
        raise UploadRefused(
            UploadRefusal.NOT_WHAT_IT_SAYS,
            f"{named_zh}，内容却是{found.what_zh}（应为 {expected}）",
            f"{named_en} but it is {found.what_en} ({expected})",
        )
    return CheckedFile(display_name(name), found.file_type, len(content))

"""Small real files of every type the platform accepts, made the way their programs make
them (python-docx, openpyxl, pypdf), for the upload checks here and the market's tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

# The smallest well-formed JPEG in circulation (1×1 grey, 134 bytes, arithmetic coded).
JPEG: bytes = bytes.fromhex(
    "ffd8ffe000104a46494600010101004800480000ffdb004300030202020203020202030303030406040404"
    "040408060605060908080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f"
    "101010ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9"
)


def pdf() -> bytes:
    """A one-page PDF written by pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "专利实施许可合同"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(text: str = "专利实施许可合同") -> bytes:
    """A Word document written by python-docx."""
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    """An Excel workbook written by openpyxl."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["专利号", "价格"])
    sheet.append(["CN113700001B", 500000])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def png() -> bytes:
    """A 1×1 PNG: signature, IHDR, IDAT and IEND chunks with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def ofd() -> bytes:
    """An OFD package (GB/T 33190): OFD.xml at the root pointing at one document."""
    entry = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0C1D4F7159954EEEDE517F7285E84DC4</ofd:DocID>"
        "<ofd:Title>专利实施许可合同备案证明</ofd:Title></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData>'
        "<ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData></ofd:Document>"
    )
    return zipped({"OFD.xml": entry.encode(), "Doc_0/Document.xml": document.encode()})


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(unpacked: int = 16 * 1024 * 1024) -> bytes:
    """A DOCX-looking ZIP whose one part unpacks to ``unpacked`` zero bytes (1,000:1).
    Written in 1 MiB pieces so the test never holds the unpacked bytes."""
    out = io.BytesIO()
    piece = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(unpacked // len(piece)):
                part.write(piece)
        archive.writestr("[Content_Types].xml", b"<Types/>")
    return out.getvalue()

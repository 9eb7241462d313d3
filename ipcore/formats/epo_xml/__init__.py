"""EPO XML — publication server, Open Patent Services (OPS) and DOCDB bulk exchange files.

Three families of files, told apart by their root element:

* ``ep-patent-document`` (European Publication Server, DTD v1.0 to v1.5.1): one EP A or B
  publication with its ST.36 "B-tags" bibliography (B110 number, B210 application, B300
  priorities, B540 titles in de/en/fr, B560 citations, B711 applicants, B721 inventors,
  B731 proprietors), abstract and claims in every published language.
* ``ops:world-patent-data`` (OPS 3.2 responses): ``exchange-documents`` from the biblio
  and full-cycle services, and ``ops:patent-family`` from the family service — with
  INPADOC legal events when it was asked with ``/legal``. Members of one response that are
  publications of the same application (EP A1 and B1) are merged into one record, since a
  record is one application; legal events land on the record of the member that carries
  them, and ``family-id`` on every record.
* ``exch:exchange-documents`` (DOCDB bulk): streamed record by record; a record cut out
  of such a file without its namespace declaration is repaired (see safe_xml).

OPS and DOCDB give each reference and party in several formats. Numbers are read from
``docdb`` (``original`` where DOCDB's own numbering loses information, as for US
applications); names prefer ``original``, then ``docdba``, ``docdb``, ``epodoc``, with a
party's sequence kept and its country borrowed from another format of the same sequence.
OPS repeats an inventor in two spellings (``FANG, HOWARD L`` and ``Fang, Howard L``):
names equal apart from case and punctuation are kept once.

Application numbers are written so that every EPO source and the office's own files
agree: EP 8 digits without the check digit (``99203729``), CN with its check digit, US as
series code + serial (``15919370``; None when DOCDB's older US numbering cannot be
converted — the record then keys on its publication), WO as ``PCT/IL2022/050854``.
PCT data of an EP regional phase (B860) travels as a priority with office ``WO``, as in
the other readers.

The package keeps the reader contract here; ``publication_server``, ``ops`` and
``exchange`` hold the extractors of each family, ``numbers`` the number rules they share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ipcore.formats.base import HEAD_BYTES, FileFormatError, ReadResult
from ipcore.formats.epo_xml.exchange import read_docdb
from ipcore.formats.epo_xml.ops import read_ops
from ipcore.formats.epo_xml.publication_server import read_publication_server
from ipcore.formats.safe_xml import XmlError, check_prolog

NAME = "epo-xml"
DESCRIPTION = "EPO XML: ep-patent-document, OPS biblio/family/legal responses, DOCDB exchange"


def sniff(path: Path, head: bytes) -> bool:
    """Root element names of the three families appear in the first bytes."""
    markers = (b"<ep-patent-document", b"world-patent-data", b"exchange-document")
    return any(marker in head for marker in markers)


def read(path: Path) -> Iterator[ReadResult]:
    """Dispatch on the root element: publication server, OPS response or DOCDB file."""
    root_name = _root_name(path)
    if root_name == "ep-patent-document":
        yield read_publication_server(path)
    elif root_name == "world-patent-data":
        yield from read_ops(path)
    elif root_name in ("exchange-documents", "exchange-document"):
        yield from read_docdb(path)
    else:
        raise FileFormatError(path, f"not EPO patent XML: root element <{root_name}>")


def _root_name(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        start = check_prolog(head)
    except XmlError as error:
        raise FileFormatError(path, error.describe()) from None
    match = re.match(rb"<([\w.:-]+)", head[start:])
    if match is None:
        raise FileFormatError(path, "no root element in the first 64 KiB")
    return match[1].decode("ascii", "replace").rsplit(":", 1)[-1]

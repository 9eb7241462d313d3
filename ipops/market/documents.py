"""Where deal documents' bytes live: the default storage (``IPOPS_DATA_DIR/uploads``), under
``market/deals/<deal>/`` with a random name of the platform's own — never the name a person
gave the file, which is only shown.

A file is written whole or not at all: the bytes go to a hidden ``.part`` name beside the
final one, are flushed to disk and renamed (an atomic rename on one filesystem). The service
deletes the file again when its transaction fails, so a refused or rolled-back upload leaves
nothing behind; a crash between the rename and the commit can leave a file no row names,
which is never served (files are reached only through their rows).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from ipops.market.models import Deal, DealDocument


def new_name(deal: Deal, extension: str) -> str:
    """A fresh storage name for one of ``deal``'s documents (``extension`` is the type's)."""
    return f"market/deals/{deal.pk}/{secrets.token_hex(16)}{extension}"


def _path(name: str) -> Path:
    return Path(default_storage.path(name))  # refuses a name that would leave the storage


def store(name: str, content: bytes) -> Path:
    """Write ``content`` at storage name ``name``, whole or not at all."""
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    try:
        with partial.open("xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def download(document: DealDocument) -> FileResponse:
    """``document`` (already checked as the reader's) as a download under the name it was
    uploaded with and the type its bytes were found to be: never shown inline, never
    sniffed by the browser, never cached on the way."""
    response = FileResponse(
        open_document(document),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response


def open_document(document: DealDocument) -> IO[bytes]:
    """The stored bytes of ``document`` (already checked as the reader's); 404 when the
    file is gone from the data directory."""
    try:
        return _path(document.stored_name).open("rb")
    except FileNotFoundError:
        raise Http404 from None

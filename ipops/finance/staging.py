"""A pledge file between its preview and its import: kept under the data directory, one folder
per user, named by the content's SHA-256, never served. The import reads it back, checks it
again (the register may have changed since the preview) and deletes it."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.http import Http404

_TOKEN: Final = re.compile(r"[0-9a-f]{64}")
KEEP_SECONDS: Final = 24 * 3600  # a preview nobody confirmed is cleared after a day


def _folder(user: Any) -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "pledge-imports" / str(int(user.pk))


def keep(user: Any, file_name: str, content: bytes) -> str:
    """Keep the file for the user's confirmation; its token (the content's SHA-256)."""
    folder = _folder(user)
    folder.mkdir(parents=True, exist_ok=True)
    _clear_old(folder)
    token = hashlib.sha256(content).hexdigest()
    (folder / token).write_bytes(content)
    (folder / f"{token}.name").write_text(Path(file_name).name[:255], encoding="utf-8")
    return token


def take(user: Any, token: str) -> tuple[str, bytes]:
    """The kept file's name and content; 404 for a token of nothing the user kept."""
    if not _TOKEN.fullmatch(token):
        raise Http404
    path = _folder(user) / token
    try:
        return (path.with_suffix(".name").read_text(encoding="utf-8"), path.read_bytes())
    except OSError:
        raise Http404 from None


def discard(user: Any, token: str) -> None:
    if _TOKEN.fullmatch(token):
        for path in (_folder(user) / token, _folder(user) / f"{token}.name"):
            path.unlink(missing_ok=True)


def _clear_old(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)

"""Publishes the browser libraries installed from the npm registry (settings.VENDOR_ASSETS)
as static files, without copying node_modules wholesale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class VendorAssetFinder(BaseFinder):
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        source = settings.VENDOR_ASSETS.get(path)
        if source is None or not Path(source).is_file():
            return [] if find_all else ""
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, source in settings.VENDOR_ASSETS.items():
            source = Path(source)
            if source.is_file():
                storage = FileSystemStorage(location=str(source.parent))
                storage.prefix = str(Path(name).parent)  # type: ignore[attr-defined]
                yield source.name, storage

"""The CJK web font of the PDF export: Noto Sans SC (SIL OFL), from the npm package
``@fontsource/noto-sans-sc`` (``settings.REPORT_FONT_DIR``), never a system font.

The package cuts the font into about a hundred subsets by ``unicode-range``: Chromium fetches
only the subsets a report's text uses and embeds only the glyphs it prints, so a PDF carries a
few hundred kilobytes of font, and its Chinese prints the same on a machine without any CJK
font. Only the regular and bold WOFF2 files are read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONT_FAMILY: Final = "Noto Sans SC"
WEIGHTS: Final = ("400", "700")
_FACE: Final = re.compile(r"@font-face\s*\{[^}]*\}")
_WOFF2: Final = re.compile(r"url\(\./files/([^)]+\.woff2)\)")
_SRC: Final = re.compile(r"src:[^;]*;")
FILE_NAME: Final = re.compile(r"noto-sans-sc-[a-z0-9-]+-(?:400|700)-normal\.woff2")


def font_dir() -> Path:
    return Path(settings.REPORT_FONT_DIR)


def font_face_css(base_url: str) -> str:
    """The package's @font-face rules for the regular and bold weights, each loading its
    WOFF2 subset from ``base_url`` + file name."""
    rules = []
    for weight in WEIGHTS:
        stylesheet = font_dir() / f"{weight}.css"
        if not stylesheet.is_file():
            raise ImproperlyConfigured(
                f"The report font is not installed at {font_dir()}: run `make install` "
                "(npm ci) first."
            )
        for face in _FACE.findall(stylesheet.read_text(encoding="utf-8")):
            file = _WOFF2.search(face)
            if file is not None:
                source = f"src: url({base_url}{file.group(1)}) format('woff2');"
                rules.append(_SRC.sub(source, face))
    return "\n".join(rules)


def font_file(name: str) -> Path | None:
    """The WOFF2 file a page asks for by name, or None for any other name."""
    if not FILE_NAME.fullmatch(name):
        return None
    path = font_dir() / "files" / name
    return path if path.is_file() else None

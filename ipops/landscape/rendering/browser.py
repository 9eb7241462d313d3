"""Headless Chromium for the PDF export and the DOCX's chart images.

Playwright drives the Chromium the machine has (``settings.CHROMIUM``, else the first of
``chromium``, ``chromium-browser``, ``google-chrome`` on PATH); it never downloads a browser.
The page is the standalone report in its export form (``render_html(export=…)``), served to
Chromium by request interception from a made-up origin: the page itself and the web font's
files are answered from memory and ``node_modules``, every other request is refused, so
nothing reaches the network. Before printing or taking images the page's ``ready()`` loads the
font's glyphs and redraws the charts (``static/landscape/report.js``).

Nothing here touches the database: Playwright's sync API runs an event loop, inside which
Django refuses ORM calls. Callers render the page first and write records afterwards.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.utils.translation import gettext as _

from ipops.errors import ServiceError
from ipops.landscape.rendering.fonts import font_file

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

CHROMIUM_NAMES: Final = ("chromium", "chromium-browser", "google-chrome")
ORIGIN: Final = "http://report.ipops.invalid"
PAGE_URL: Final = f"{ORIGIN}/report.html"
FONT_BASE: Final = f"{ORIGIN}/fonts/"
# CSS pixels of an A4 page less the print stylesheet's 14 mm margins: charts drawn at this
# width print at their size.
PRINT_WIDTH: Final = 688
CHROMIUM_ARGS: Final = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
READY_TIMEOUT_MS: Final = 120_000  # fonts and a few hundred charts on a slow machine


class BrowserUnavailable(ServiceError):
    """No Chromium to draw a PDF or a DOCX with; the other formats need none."""

    code = "browser_unavailable"
    http_status = 503


class BrowserFailed(ServiceError):
    """Chromium started but could not draw the report."""

    code = "browser_failed"
    http_status = 500


def chromium_executable() -> str:
    """The Chromium to run; BrowserUnavailable saying what to do where there is none."""
    configured = str(getattr(settings, "CHROMIUM", "") or "")
    if configured:
        path = Path(configured)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        raise BrowserUnavailable(
            _("IPOPS_CHROMIUM is %(path)s, which is not an executable file.") % {"path": path}
        )
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserUnavailable(
        _(
            "PDF and DOCX reports are drawn by Chromium, which is not installed here: install "
            "it (apt-get install chromium) or set IPOPS_CHROMIUM to its path. HTML, XLSX and "
            "JSON reports need no browser."
        )
    )


def browser_available() -> bool:
    try:
        chromium_executable()
    except BrowserUnavailable:
        return False
    return True


@contextmanager
def report_page(html: str, *, print_media: bool) -> Iterator[Page]:
    """The export page loaded in Chromium, its fonts ready and its charts drawn."""
    executable = chromium_executable()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS)
            )
            try:
                context = browser.new_context(
                    viewport={"width": PRINT_WIDTH, "height": 1000}, device_scale_factor=1
                )
                page = context.new_page()
                page.route("**/*", lambda route: _answer(route, html))
                if print_media:
                    page.emulate_media(media="print")
                page.goto(PAGE_URL, wait_until="load", timeout=READY_TIMEOUT_MS)
                page.evaluate("() => window.ipopsLandscape ? window.ipopsLandscape.ready() : 0")
                yield page
            finally:
                browser.close()
    except PlaywrightError as error:
        raise BrowserFailed(
            _("Chromium could not draw the report: %(error)s")
            % {"error": str(error).splitlines()[0]}
        ) from error


def _answer(route: Route, html: str) -> None:
    url = route.request.url
    if url == PAGE_URL:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        return
    if url.startswith(FONT_BASE):
        path = font_file(url.removeprefix(FONT_BASE))
        if path is not None:
            route.fulfill(status=200, content_type="font/woff2", path=path)
            return
    route.abort("blockedbyclient")


def print_pdf(html: str) -> bytes:
    """The export page printed as an A4 PDF (the stylesheet's @page), page numbers below."""
    with report_page(html, print_media=True) as page:
        pdf: bytes = page.pdf(
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                '<div style="width:100%;text-align:center;font-size:8px;color:#6b7385;">'
                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
            ),
        )
        return pdf


def chart_images(html: str, *, pixel_ratio: int = 2) -> dict[str, bytes]:
    """Each chart of the export page as PNG bytes, by the id of its data block."""
    with report_page(html, print_media=False) as page:
        found: Mapping[str, Any] = page.evaluate(
            "(ratio) => window.ipopsLandscape ? window.ipopsLandscape.images(ratio) : {}",
            pixel_ratio,
        )
    images = {}
    for key, url in found.items():
        prefix = "data:image/png;base64,"
        if isinstance(url, str) and url.startswith(prefix):
            images[str(key)] = base64.b64decode(url.removeprefix(prefix))
    return images

"""A real installation for browser journeys: migrate, load the demo and serve with gunicorn
into a temporary data directory, then drive it with Debian's Chromium through Playwright.

The server runs on its own SQLite file (not the test database), exactly as `make run` does.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import all_gone, children_of

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
BIN = Path(sys.executable).parent
WAIT_MS = 30_000


def _chromium() -> str | None:
    found = os.environ.get("IPOPS_CHROMIUM") or next(
        (path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None
    )
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ipops(env: dict[str, str], *args: str) -> None:
    command = [str(BIN / "ipops"), *args]  # our own console script, fixed arguments
    subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603


@pytest.fixture(scope="session")
def live_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's data directory; its log is ``serve.log`` there."""
    return tmp_path_factory.mktemp("ipops-live")


@pytest.fixture(scope="session")
def live_ipops(live_data_dir: Path) -> Iterator[str]:
    if _chromium() is None:
        pytest.skip("Chromium not found (apt-get install chromium, or set IPOPS_CHROMIUM)")
    data_dir = live_data_dir
    env = {
        **os.environ,
        "IPOPS_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'ipops.sqlite3'}",
    }
    for command in (("collectstatic", "--noinput"), ("migrate", "--noinput"), ("loaddemo",)):
        _ipops(env, *command)
    port = _free_port()
    log = (data_dir / "serve.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 — our own console script
        [str(BIN / "ipops"), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url)
        yield base_url
    finally:
        helpers = children_of(server.pid)  # the background-task worker `serve` started
        server.terminate()
        server.wait(timeout=20)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    assert all_gone(helpers), f"ipops serve left processes behind: {sorted(helpers)}"


def _wait_until_serving(base_url: str, attempts: int = 100) -> None:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"ipops serve did not answer at {base_url}")


@pytest.fixture(scope="session")
def browser(live_ipops: str) -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # CI shares a busy machine: give each wait room without ever timing the app.
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=_chromium(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_ipops):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_ipops, locale="en-US")
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()

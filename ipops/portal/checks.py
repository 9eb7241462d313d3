"""Installation health: what `ipops check` verifies beyond Django's own system checks.

Each check returns findings that say what is wrong and how to fix it, so an operator never
has to read a traceback to learn that a step of the setup was skipped.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


class Level(StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    level: Level
    area: str
    message: str
    hint: str = ""


def check_settings() -> list[Finding]:
    findings = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        level = Level.ERROR if settings.HTTPS else Level.WARNING
        findings.append(
            Finding(
                level,
                "settings",
                "IPOPS_SECRET_KEY is the development key.",
                "Set IPOPS_SECRET_KEY to a long random value before going live.",
            )
        )
    if settings.DEBUG:
        findings.append(
            Finding(
                Level.WARNING,
                "settings",
                "IPOPS_DEBUG is on: tracebacks are shown to users.",
                "Unset IPOPS_DEBUG outside development.",
            )
        )
    if not findings:
        findings.append(
            Finding(Level.OK, "settings", "secret key and debug mode are set for production")
        )
    return findings


def check_data_dir() -> list[Finding]:
    data_dir = Path(settings.DATA_DIR)
    if not data_dir.is_dir():
        return [
            Finding(
                Level.ERROR,
                "data directory",
                f"{data_dir} does not exist.",
                "Create it or point IPOPS_DATA_DIR at a writable directory.",
            )
        ]
    if not os.access(data_dir, os.W_OK):
        return [
            Finding(
                Level.ERROR,
                "data directory",
                f"{data_dir} is not writable.",
                "Give the service user write access or change IPOPS_DATA_DIR.",
            )
        ]
    return [Finding(Level.OK, "data directory", str(data_dir))]


def check_database() -> list[Finding]:
    described = _describe_database()
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return [
            Finding(
                Level.ERROR,
                "database",
                f"{described}: cannot connect ({error}).",
                "Check DATABASE_URL and that the server is running.",
            )
        ]
    findings = [Finding(Level.OK, "database", f"{described} ({connection.vendor})")]
    if pending:
        findings.append(
            Finding(
                Level.ERROR,
                "migrations",
                f"{len(pending)} migrations not applied.",
                "Run `ipops migrate`.",
            )
        )
    else:
        findings.append(Finding(Level.OK, "migrations", "all applied"))
    return findings


def _describe_database() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {db['NAME']}"
    return f"{db.get('NAME')} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 'default port'}"


def check_static_files() -> list[Finding]:
    findings = [
        Finding(
            Level.ERROR,
            "browser libraries",
            f"{name} missing ({path}).",
            "Run `make install` (npm ci) to fetch the front-end libraries.",
        )
        for name, path in settings.VENDOR_ASSETS.items()
        if not Path(path).is_file()
    ]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.is_file():
        findings.append(
            Finding(
                Level.ERROR,
                "static files",
                f"not collected into {settings.STATIC_ROOT}.",
                "Run `ipops collectstatic --noinput`.",
            )
        )
    if not findings:
        findings.append(Finding(Level.OK, "static files", f"collected in {settings.STATIC_ROOT}"))
    return findings


def check_report_exports() -> list[Finding]:
    """PDF and DOCX reports need Chromium and the report font; the other formats neither."""
    from ipops.landscape.rendering.browser import BrowserUnavailable, chromium_executable

    findings = []
    try:
        found = chromium_executable()
    except BrowserUnavailable as error:
        findings.append(
            Finding(
                Level.WARNING,
                "report exports",
                "PDF and DOCX reports cannot be drawn: no Chromium.",
                str(error.message),
            )
        )
    font = Path(settings.REPORT_FONT_DIR) / "400.css"
    if not font.is_file():
        findings.append(
            Finding(
                Level.WARNING,
                "report exports",
                f"the report font is missing ({font.parent}).",
                "Run `make install` (npm ci) to fetch it.",
            )
        )
    return findings or [Finding(Level.OK, "report exports", f"PDF and DOCX drawn by {found}")]


def check_translations() -> list[Finding]:
    findings = []
    for locale_dir in settings.LOCALE_PATHS:
        for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.is_file() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                findings.append(
                    Finding(
                        Level.ERROR,
                        "translations",
                        f"{po_path.parent.parent.name} not compiled.",
                        "Run `ipops compilemessages`.",
                    )
                )
    return findings or [Finding(Level.OK, "translations", "compiled")]


def check_mail() -> list[Finding]:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "console":
        return [
            Finding(
                Level.INFO,
                "mail",
                "console backend: password-reset mails are printed to the log.",
                "Set IPOPS_EMAIL_BACKEND and IPOPS_EMAIL_HOST to send real mail.",
            )
        ]
    if backend != "smtp":
        return [Finding(Level.OK, "mail", f"{backend} backend")]
    address = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    try:
        socket.create_connection((settings.EMAIL_HOST, settings.EMAIL_PORT), timeout=3).close()
    except OSError as error:
        return [
            Finding(
                Level.ERROR,
                "mail",
                f"SMTP server {address} unreachable ({error}).",
                "Check IPOPS_EMAIL_HOST and IPOPS_EMAIL_PORT, or the network.",
            )
        ]
    return [Finding(Level.OK, "mail", f"SMTP server {address} answers")]


def check_demo_accounts() -> list[Finding]:
    from ipops.accounts.models import User

    try:
        demo = [
            u
            for u in User.objects.filter(username__startswith="demo-")
            if u.check_password(settings.IPOPS_DEMO_PASSWORD)
        ]
    except DatabaseError:
        return []
    if demo and settings.HTTPS:
        return [
            Finding(
                Level.ERROR,
                "demo accounts",
                f"{len(demo)} demo accounts still have the demo password.",
                "Deactivate them or change their passwords before going live.",
            )
        ]
    if demo:
        return [
            Finding(
                Level.INFO,
                "demo accounts",
                f"{len(demo)} demo accounts with the demo password (fine for a trial)",
            )
        ]
    return []


HEALTH_CHECKS: tuple[Callable[[], list[Finding]], ...] = (
    check_settings,
    check_data_dir,
    check_database,
    check_static_files,
    check_report_exports,
    check_translations,
    check_mail,
    check_demo_accounts,
)


def run_health_checks() -> list[Finding]:
    return [finding for check in HEALTH_CHECKS for finding in check()]


@checks.register(checks.Tags.security, deploy=True)
def production_secret_key(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            checks.Error(
                "IPOPS_SECRET_KEY is the development key.",
                hint="Set IPOPS_SECRET_KEY.",
                id="ipops.E002",
            )
        ]
    return []

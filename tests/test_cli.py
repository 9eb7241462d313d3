"""The `ipops` command: usage and exit codes, the account commands, loaddemo and check."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ipcore.access import Role
from ipops.accounts.models import Organization, User
from ipops.accounts.tests.factories import make_organization, valid_uscc
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.cli import main
from ipops.portal import checks
from ipops.portal.checks import Level

ROOT = Path(__file__).resolve().parent.parent
IPOPS = Path(sys.executable).with_name("ipops")  # the console script of this environment
PASSPHRASE = "a-long-command-line-passphrase"


def ipops(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — our own console script, fixed arguments
        [str(IPOPS), *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


# --- the console script ---------------------------------------------------------------------


def test_help_lists_the_operator_commands_and_exits_0() -> None:
    result = ipops("--help")

    assert result.returncode == 0
    for command in ("serve", "migrate", "createuser", "check"):
        assert f"\n  {command} " in result.stdout


def test_no_command_is_wrong_usage_exit_2() -> None:
    result = ipops()

    assert result.returncode == 2
    assert "usage: ipops <command>" in result.stdout + result.stderr


def test_an_unknown_command_fails_and_says_so() -> None:
    result = ipops("nosuchcommand")

    assert result.returncode != 0
    assert "Unknown command: 'nosuchcommand'" in result.stderr


def test_main_answers_help_in_process() -> None:
    assert main(["help"]) == 0
    assert main([]) == 2


# --- account commands -----------------------------------------------------------------------


def test_createorg_registers_an_organisation(db) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()

    call_command(
        "createorg",
        "上海命令行有限公司",
        "--kind",
        "enterprise",
        "--uscc",
        valid_uscc(500_001),
        stdout=out,
    )

    organization = Organization.objects.get(uscc=valid_uscc(500_001))
    entry = AuditEntry.objects.get(action=Action.ORGANIZATION_CREATED)
    assert organization.division_code == "310115"
    assert f"id {organization.pk}" in out.getvalue()
    assert (entry.actor, entry.actor_label) == (None, "system")


def test_createorg_with_a_bad_credit_code_names_the_field(db) -> None:  # type: ignore[no-untyped-def]
    code = valid_uscc(500_002)

    with pytest.raises(CommandError, match=r"uscc: .*校验码") as failed:
        call_command(
            "createorg",
            "上海命令行有限公司",
            "--kind",
            "enterprise",
            "--uscc",
            code[:17] + ("1" if code[17] != "1" else "2"),
        )

    assert failed.value.returncode == 1
    assert not Organization.objects.exists()


def test_createuser_reads_the_password_from_stdin(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    organization = make_organization()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))

    call_command(
        "createuser",
        "operator-alice",
        "--org",
        organization.uscc.lower(),
        "--password-stdin",
        stdout=io.StringIO(),
    )

    user = User.objects.get(username="operator-alice")
    assert user.organization == organization
    assert user.check_password(PASSPHRASE)


def test_createuser_with_a_weak_password_fails_naming_the_field(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    organization = make_organization()
    monkeypatch.setattr("sys.stdin", io.StringIO("12345\n"))

    with pytest.raises(CommandError, match="password: "):
        call_command(
            "createuser", "operator-bob", "--org", str(organization.pk), "--password-stdin"
        )

    assert not User.objects.filter(username="operator-bob").exists()


def test_createuser_for_an_unknown_organisation_fails(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))

    with pytest.raises(CommandError, match="no organisation"):
        call_command("createuser", "operator-carol", "--org", "123", "--password-stdin")


def test_createtoken_prints_a_token_that_works(client, personas) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()

    call_command("createtoken", personas[Role.BANK].username, stdout=out)

    secret = out.getvalue().strip()
    response = client.get("/api/me", headers={"authorization": f"Bearer {secret}"})
    assert response.json()["account"]["username"] == personas[Role.BANK].username


def test_createtoken_for_an_unknown_account_fails(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="no active account"):
        call_command("createtoken", "nobody")


# --- loaddemo -------------------------------------------------------------------------------


def test_loaddemo_creates_then_has_nothing_to_do(db) -> None:  # type: ignore[no-untyped-def]
    first, second = io.StringIO(), io.StringIO()

    call_command("loaddemo", "--no-corpus", stdout=first)
    counts = (Organization.objects.count(), User.objects.count(), AuditEntry.objects.count())
    call_command("loaddemo", "--no-corpus", stdout=second)

    assert "created account demo-bureau" in first.getvalue()
    assert "nothing to do" in second.getvalue()
    assert "created" not in second.getvalue()
    assert (Organization.objects.count(), User.objects.count(), AuditEntry.objects.count()) == (
        counts
    )


def test_loaddemo_gives_one_account_per_role(db) -> None:  # type: ignore[no-untyped-def]
    call_command("loaddemo", "--no-corpus", stdout=io.StringIO())

    demo = User.objects.filter(username__startswith="demo-").select_related("organization")
    roles = sorted(user.role.value for user in demo)
    assert roles == sorted(role.value for role in Role if role is not Role.PUBLIC)


def test_the_demo_provider_sees_the_demo_enterprise(db) -> None:  # type: ignore[no-untyped-def]
    call_command("loaddemo", "--no-corpus", stdout=io.StringIO())

    provider = User.objects.get(username="demo-provider")
    enterprise = User.objects.get(username="demo-enterprise")
    assert enterprise.organization_id in provider.viewer().client_ids


# --- check ----------------------------------------------------------------------------------


def levels(findings: list[checks.Finding], area: str) -> list[Level]:
    return [finding.level for finding in findings if finding.area == area]


def test_the_test_database_is_reachable_and_migrated(db) -> None:  # type: ignore[no-untyped-def]
    findings = checks.check_database()

    assert levels(findings, "database") == [Level.OK]
    assert levels(findings, "migrations") == [Level.OK]


@pytest.fixture
def healthy(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Settings of an installation where every machine-dependent check passes."""
    static_root = tmp_path / "static"
    static_root.mkdir()
    (static_root / "staticfiles.json").write_text("{}")
    library = tmp_path / "htmx.min.js"
    library.write_text("")
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = static_root
    settings.VENDOR_ASSETS = {"vendor/htmx.min.js": library}
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    return settings


def test_check_passes_on_a_healthy_installation(db, healthy) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()

    call_command("check", stdout=out, stderr=io.StringIO())

    assert "the installation is healthy" in out.getvalue()


def test_check_fails_with_exit_1_and_the_fix_when_static_files_are_missing(db, healthy) -> None:  # type: ignore[no-untyped-def]
    (healthy.STATIC_ROOT / "staticfiles.json").unlink()
    err = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("check", stdout=io.StringIO(), stderr=err)

    assert failed.value.returncode == 1
    assert "[FAIL] static files" in err.getvalue()
    assert "collectstatic" in err.getvalue()


def test_uncollected_static_files_are_an_error_with_the_fix(settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.VENDOR_ASSETS = {}

    (finding,) = checks.check_static_files()

    assert finding.level is Level.ERROR
    assert "collectstatic" in finding.hint


def test_missing_browser_libraries_are_an_error_with_the_fix(settings, tmp_path: Path) -> None:
    (tmp_path / "staticfiles.json").write_text("{}")
    settings.STATIC_ROOT = tmp_path
    settings.VENDOR_ASSETS = {"vendor/htmx.min.js": tmp_path / "missing.js"}

    (finding,) = checks.check_static_files()

    assert finding.level is Level.ERROR
    assert "npm ci" in finding.hint


def test_uncompiled_translations_are_an_error_with_the_fix(settings, tmp_path: Path) -> None:
    messages = tmp_path / "zh_Hans" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text("")
    (messages / "django.mo").write_bytes(b"")
    os.utime(messages / "django.mo", (1_000_000, 1_000_000))  # older than the catalogue
    os.utime(messages / "django.po", (2_000_000, 2_000_000))
    settings.LOCALE_PATHS = [tmp_path]

    (finding,) = checks.check_translations()

    assert finding.level is Level.ERROR
    assert "compilemessages" in finding.hint


def test_a_missing_data_directory_is_an_error(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "absent"

    (finding,) = checks.check_data_dir()

    assert finding.level is Level.ERROR
    assert "IPOPS_DATA_DIR" in finding.hint


def test_the_development_key_is_an_error_only_over_https(settings) -> None:
    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    settings.HTTPS = False
    trial = checks.check_settings()
    settings.HTTPS = True
    live = checks.check_settings()

    assert levels(trial, "settings") == [Level.WARNING]
    assert levels(live, "settings") == [Level.ERROR]


def test_debug_mode_is_a_warning(settings) -> None:
    settings.SECRET_KEY = "a-real-production-secret-" + "x" * 30
    settings.DEBUG = True

    assert levels(checks.check_settings(), "settings") == [Level.WARNING]


def test_the_console_mail_backend_is_pointed_out(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    (finding,) = checks.check_mail()

    assert finding.level is Level.INFO
    assert "IPOPS_EMAIL_BACKEND" in finding.hint


def test_demo_passwords_are_an_error_over_https(db, settings) -> None:  # type: ignore[no-untyped-def]
    call_command("loaddemo", "--no-corpus", stdout=io.StringIO())
    settings.HTTPS = False
    trial = checks.check_demo_accounts()
    settings.HTTPS = True
    live = checks.check_demo_accounts()

    assert levels(trial, "demo accounts") == [Level.INFO]
    assert levels(live, "demo accounts") == [Level.ERROR]


def test_a_missing_data_directory_is_explained_and_migrate_creates_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "data"
    env = {**os.environ, "IPOPS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    refused = subprocess.run(  # noqa: S603 — our own console script, fixed arguments
        [str(IPOPS), "quality"], capture_output=True, text=True, env=env, check=False
    )
    assert refused.returncode == 1
    assert f"the SQLite database in {data_dir} does not exist" in refused.stderr
    assert "Traceback" not in refused.stderr
    migrated = subprocess.run(  # noqa: S603
        [str(IPOPS), "migrate", "-v0"], capture_output=True, text=True, env=env, check=False
    )
    assert migrated.returncode == 0, migrated.stderr
    assert (data_dir / "ipops.sqlite3").exists()

"""Docs that tests keep true (Datasette style): settings, commands, apps, roles, translations."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

from ipcore.access import Role
from ipops.accounts.models import RoleChoices
from ipops.cli import OPERATOR_COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CATALOGUE = ROOT / "ipops" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ENV_READ = re.compile(r'(?:environ\.get|_env_flag)\(\s*"([A-Z_]+)"')
TEMPLATE_STRING = re.compile(r'{%\s*(?:translate|trans)\s+"([^"]+)"')
CODE_STRING = re.compile(r'\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*\)')


def _sources(pattern: str) -> list[Path]:
    return [path for path in (ROOT / "ipops").rglob(pattern) if "migrations" not in path.parts]


def test_readme_starts_with_the_two_commands() -> None:
    opening = README[:600]
    assert "make run" in opening
    assert "make test" in opening


@pytest.mark.parametrize(
    "variable",
    sorted({name for path in _sources("*.py") for name in ENV_READ.findall(path.read_text())}),
)
def test_every_environment_variable_is_documented(variable: str) -> None:
    assert f"`{variable}`" in README


@pytest.mark.parametrize("command", [name for name, _text in OPERATOR_COMMANDS])
def test_every_operator_command_is_documented(command: str) -> None:
    assert f"ipops {command}" in README


@pytest.mark.parametrize(
    "app", sorted(path.parent.name for path in (ROOT / "ipops").glob("*/apps.py"))
)
def test_every_app_has_a_readme(app: str) -> None:
    readme = ROOT / "ipops" / app / "README.md"
    assert readme.is_file()
    text = readme.read_text(encoding="utf-8")
    for part in ("Services", "Permissions"):
        assert part in text, f"{app}/README.md lacks a '{part}' section"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_role_is_explained_in_the_help(client, role: Role, language: str) -> None:
    client.cookies["django_language"] = language
    page = client.get("/help/").content.decode()
    with translation.override(language):
        label = str(RoleChoices(role.value).label)
    assert label in page


def test_every_catalogue_entry_is_translated() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated and not fuzzy


def test_every_marked_string_is_in_the_catalogue() -> None:
    known = {entry.msgid for entry in polib.pofile(str(CATALOGUE))}
    marked = {s for path in _sources("*.html") for s in TEMPLATE_STRING.findall(path.read_text())}
    marked |= {s for path in _sources("*.py") for s in CODE_STRING.findall(path.read_text())}
    missing = sorted(marked - known)
    assert not missing, f"run `ipops makemessages -l zh_Hans` and translate: {missing}"

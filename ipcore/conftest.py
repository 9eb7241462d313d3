"""ipcore's tests run without Django (``pytest ipcore -p no:django``).

The project-wide settings meant for pytest-django would otherwise break such a run:
pyproject's ``DJANGO_SETTINGS_MODULE`` ini key becomes an "unknown option" warning, which
``filterwarnings = error`` turns into a failure, and the root conftest's autouse
``_test_settings`` fixture asks for pytest-django's ``settings`` fixture.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if pluginmanager.is_blocked("django"):
        parser.addini("DJANGO_SETTINGS_MODULE", "read by pytest-django; unused without it")


@pytest.fixture(autouse=True)
def _test_settings() -> None:
    """Shadows the root conftest's Django settings fixture: ipcore has no settings."""

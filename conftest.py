"""Test-wide settings: plain static storage (no collected manifest needed) and a console of
e-mails in memory. Everything else runs as in production, Argon2 included."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Argon2 is the production hasher (asserted in accounts/tests/test_views.py); hashing
    # with it for every persona of every test would make the suite minutes slower.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test gets its own search index directory (the index is files, not database rows).
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    # … and its own directory of report files written by report tasks.
    settings.REPORT_DIR = tmp_path / "reports"
    # … and its own uploads (the default storage: deal documents and other user files).
    uploads = {"location": str(tmp_path / "uploads")}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": uploads},
    }


@pytest.fixture
def personas(db):  # type: ignore[no-untyped-def]
    """One signed-in-able user per role, plus the provider serving the enterprise."""
    from ipcore.access import Role
    from ipops.accounts import services
    from ipops.accounts.tests.factories import make_persona

    people = {role: make_persona(role) for role in Role if role is not Role.PUBLIC}
    services.start_engagement(
        actor=None,
        provider=people[Role.PROVIDER].organization,
        client=people[Role.ENTERPRISE].organization,
        kind="custody",
    )
    return people


@pytest.fixture
def client_for(client, personas):  # type: ignore[no-untyped-def]
    """`client_for(role)` — the test client signed in as that role's persona (None: anonymous)."""
    from ipcore.access import Role

    def signed_in(role):  # type: ignore[no-untyped-def]
        client.logout()
        if role is not Role.PUBLIC:
            client.force_login(personas[role])
        return client

    return signed_in


@pytest.fixture
def sample_patent(db):  # type: ignore[no-untyped-def]
    """One granted CN invention, loaded through the corpus loader."""
    from ipops.corpus.tests.factories import granted_cn_record, load

    (patent,) = load(granted_cn_record())
    return patent


@pytest.fixture
def threaded_db(transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    """A database that several threads write at once, each on a connection of its own (as
    two web workers would): for tests of what happens when two people act at the same moment.
    Each thread must close its connection when done (`django.db.connection.close()`).

    PostgreSQL: the test database itself (committed, emptied after the test). SQLite: the
    test database lives in memory with a shared cache, where a second writer fails at once
    ("database table is locked") instead of waiting its turn as on a file; so the test runs on
    a file copy of it — WAL, IMMEDIATE transactions and the busy timeout as in production —
    thrown away after. Create the test's records after asking for this fixture."""
    import sqlite3

    from django.db import connections

    memory = connections["default"]
    if memory.vendor != "sqlite":
        yield
        return
    path = tmp_path / "threads.sqlite3"
    memory.ensure_connection()
    with sqlite3.connect(path) as copy:
        memory.connection.backup(copy)  # schema, triggers and all
    copy.close()
    in_memory = connections.settings["default"]
    on_file = {**in_memory, "NAME": str(path)}
    connections.settings["default"] = on_file  # what the threads' connections open
    connections["default"] = type(memory)(on_file, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = memory  # the in-memory database, as the test found it
        connections.settings["default"] = in_memory

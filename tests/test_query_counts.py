"""Query counts are a contract (NetBox query_counts.json style): each page costs a fixed
number of queries, the same with 5 rows or 40. A change in the number is a decision: update
the table in the same commit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipcore.access import Role
from ipops.accounts.tests.factories import make_organization, make_user


def queries_for(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def grow(count: int) -> None:
    for _ in range(count):
        make_user(make_organization())


PAGES: list[tuple[str, Callable[[dict[Role, object]], str], int]] = [
    ("organisation list", lambda people: "/accounts/organizations/", 5),
    ("audit log", lambda people: "/audit/", 5),
    (
        "organisation detail",
        lambda people: f"/accounts/organizations/{people[Role.BUREAU].organization_id}/",
        7,
    ),
    ("API organisations", lambda people: "/api/organizations?limit=100", 5),
    ("API audit entries", lambda people: "/api/audit/entries?limit=100", 5),
    ("home", lambda people: "/", 6),
    ("field definitions", lambda people: "/patents/fields/", 4),
    ("key field", lambda people: "/patents/fields/key/ai/", 5),
]


@pytest.mark.parametrize(("name", "path", "expected"), PAGES, ids=[name for name, _p, _c in PAGES])
def test_page_cost_does_not_grow_with_rows(client_for, personas, name, path, expected) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BUREAU)
    url = path(personas)
    grow(5)
    few = queries_for(client, url)
    grow(35)
    many = queries_for(client, url)
    assert many == few
    assert few == expected, f"{name}: {few} queries"

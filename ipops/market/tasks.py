"""Background tasks of the market app (django-tasks, database queue: `ipops db_worker`)."""

from __future__ import annotations

from django_tasks import task

from ipops.market import services


@task()
def withdraw_lapsed_listings() -> int:
    """Take down open listings whose patents are no longer in force (after an import)."""
    return services.withdraw_lapsed_listings(actor=None)


@task()
def embed_needs() -> int:
    """Embed the needs posted since the last pass (their matches by meaning)."""
    embedded = 0
    while found := services.embed_needs():
        embedded += found
    return embedded

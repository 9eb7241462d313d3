"""The index as a projection of the database: outbox in, documents out, nothing lost."""

from __future__ import annotations

import pytest
from django.conf import settings

from ipcore.patents.record import PatentRecord, Text, TextField
from ipops.corpus.models import SearchOutbox
from ipops.corpus.tests.factories import cn_record, load
from ipops.search import index, services
from ipops.search.engine import SearchRequest, run_search

pytestmark = pytest.mark.django_db


def titled(serial: int, title: str) -> PatentRecord:
    return cn_record(serial, texts=(Text(TextField.TITLE, "zh", title),))


def total(query: str) -> int:
    return run_search(SearchRequest(query, facets=False)).total


def test_applying_the_outbox_empties_it_and_is_idempotent() -> None:
    load(titled(1, "锂电池"), titled(2, "钠电池"))
    assert SearchOutbox.objects.count() == 2
    summary = services.apply_pending_changes()
    assert (summary.patents, summary.documents) == (2, 2)
    assert SearchOutbox.objects.count() == 0
    SearchOutbox.objects.create(patent_id=summary.patents)  # the same change, applied twice
    services.apply_pending_changes()
    assert total("电池") == 2


def test_a_busy_writer_leaves_the_work_queued() -> None:
    load(titled(1, "锂电池"))
    holder = index.ensure_index().writer(heap_size=15_000_000, num_threads=1)
    try:
        with pytest.raises(services.IndexBusy):
            services.apply_pending_changes()
        assert SearchOutbox.objects.count() == 1
    finally:
        holder.rollback()
        del holder
    services.apply_pending_changes()
    assert SearchOutbox.objects.count() == 0


def test_a_rebuild_publishes_a_new_generation_and_removes_the_old() -> None:
    load(titled(1, "锂电池"))
    services.apply_pending_changes()
    first = index.current_generation()
    services.rebuild_index(actor=None)
    second = index.current_generation()
    assert first is not None and second is not None and first.name != second.name
    assert not first.path.exists()
    assert [p.name for p in settings.SEARCH_INDEX_DIR.glob("gen-*")] == [second.name]
    assert total("锂电池") == 1


def test_a_deleted_index_is_rebuilt_from_the_database() -> None:
    load(titled(1, "锂电池"))
    services.apply_pending_changes()
    (settings.SEARCH_INDEX_DIR / "CURRENT").unlink()
    services.rebuild_index(actor=None)
    assert total("锂电池") == 1


def test_the_corpus_queues_the_indexer_after_commit(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from ipops.corpus.services import announce_changes

    with django_capture_on_commit_callbacks(execute=True):
        announce_changes()
    queued = DBTaskResult.objects.values_list("task_path", flat=True)
    assert "ipops.search.tasks.apply_search_changes" in list(queued)

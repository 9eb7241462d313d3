"""Every write of the search app: applying corpus changes to the index, rebuilding it, and
people's saved searches.

The index is a projection: `apply_pending_changes` reads the corpus outbox, writes the
changed patents to Tantivy, commits, and only then acknowledges the outbox rows — a crash in
between re-applies them, which is harmless (a document is replaced by its id). One writer at a
time: Tantivy's lock file refuses a second, and the refused caller leaves the work queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

import tantivy
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcore.access import Capability
from ipcore.search import parse
from ipcore.search.errors import QuerySyntaxError
from ipops.accounts.models import User
from ipops.accounts.queries import require_capability
from ipops.audit.actions import Action
from ipops.audit.services import TargetRef, record_write
from ipops.corpus.indexable import all_patent_ids, indexable_patents, pending_changes
from ipops.corpus.services import acknowledge_indexed
from ipops.errors import Conflict, InvalidInput, NotPermitted
from ipops.search import index
from ipops.search.documents import build_document
from ipops.search.errors import query_error
from ipops.search.models import SavedSearch

logger = logging.getLogger(__name__)
OUTBOX_BATCH = 2000
Progress = Callable[[int], None]


class IndexBusy(RuntimeError):
    """Another process holds the index writer; the changes stay queued for it or a later run."""


@dataclass(frozen=True)
class IndexSummary:
    patents: int
    outbox_rows: int
    documents: int


def apply_pending_changes(*, limit: int | None = None) -> IndexSummary:
    """Apply queued corpus changes to the index, in batches, until none are left (or
    ``limit`` rows are done). Raises IndexBusy when another writer is at work."""
    searchable = index.ensure_index()
    writer = _writer(searchable)
    patents = rows = 0
    try:
        while limit is None or rows < limit:
            batch = pending_changes(OUTBOX_BATCH)
            if not batch.row_ids:
                break
            _replace_documents(writer, batch.patent_ids)
            writer.commit()
            index.mark_changed()
            acknowledge_indexed(row_ids=batch.row_ids)
            patents += len(batch.patent_ids)
            rows += len(batch.row_ids)
    finally:
        writer.wait_merging_threads()
    return IndexSummary(patents=patents, outbox_rows=rows, documents=_documents())


def catch_up() -> IndexSummary | None:
    """Apply what is queued now, or None when another process holds the writer (it, or the
    background indexer, will apply it): what a command runs after it changed the corpus."""
    try:
        return apply_pending_changes()
    except IndexBusy:
        return None


def _replace_documents(writer: tantivy.IndexWriter, patent_ids: list[int]) -> None:
    for pk in patent_ids:
        writer.delete_documents_by_term("id", pk)
    for patent in indexable_patents(patent_ids, on=timezone.localdate()):
        writer.add_document(build_document(patent))


def rebuild_index(*, actor: User | None, progress: Progress | None = None) -> IndexSummary:
    """Build a fresh index from the database and switch searches to it when it is complete.

    Outbox rows present at the start are covered by the rebuild and acknowledged; rows that
    arrive during it stay queued and are applied afterwards."""
    if actor is not None:
        require_capability(actor, Capability.MANAGE_CORPUS)
    covered = pending_changes(limit=10**9).row_ids
    generation = index.new_generation()
    writer = _writer(index.create_index(generation))
    done = 0
    today = timezone.localdate()
    for ids in all_patent_ids():
        for patent in indexable_patents(ids, on=today):
            writer.add_document(build_document(patent))
        done += len(ids)
        if progress:
            progress(done)
    writer.commit()
    writer.wait_merging_threads()
    index.publish(generation)
    acknowledge_indexed(row_ids=covered)
    summary = IndexSummary(patents=done, outbox_rows=len(covered), documents=_documents())
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.SEARCH_INDEX_REBUILT,
            target=TargetRef(type="search.index", id=generation.name, label="search index"),
            new=asdict(summary),
        )
    apply_pending_changes()
    return summary


def _writer(searchable: tantivy.Index) -> tantivy.IndexWriter:
    try:
        return searchable.writer(heap_size=index.WRITER_HEAP, num_threads=1)
    except ValueError as error:  # tantivy-py reports a held lock as ValueError("…LockBusy…")
        if "LockBusy" in str(error):
            raise IndexBusy(str(error)) from error
        raise


def _documents() -> int:
    try:
        return int(index.searcher().num_docs)
    except index.IndexUnavailable:
        return 0


# --- saved searches ------------------------------------------------------------------------


def save_search(*, actor: User, name: str, query: str, mode: str) -> SavedSearch:
    """Keep a query under a name; the query must read."""
    require_capability(actor, Capability.SAVE_SEARCHES)
    name = name.strip()
    if not name:
        raise InvalidInput(details={"name": [_("Give the search a name.")]})
    if mode not in SavedSearch.Mode.values:
        raise InvalidInput(details={"mode": [_("Unknown search mode.")]})
    try:
        parse(query)  # a saved search that cannot run would be a trap for its owner later
    except QuerySyntaxError as error:
        raise query_error(error) from error
    with transaction.atomic():
        if SavedSearch.objects.filter(owner=actor, name=name).exists():
            raise Conflict(details={"name": [_("You already have a search with this name.")]})
        saved = SavedSearch.objects.create(owner=actor, name=name, query=query, mode=mode)
        record_write(
            actor=actor,
            action=Action.SEARCH_SAVED,
            target=saved,
            new={"name": name, "query": query, "mode": mode},
        )
    return saved


def mark_search_run(*, actor: User, saved: SavedSearch, total: int) -> SavedSearch:
    """Its owner looked at the results now: later patents count as new from here."""
    _require_owner(actor, saved)
    with transaction.atomic():
        saved = SavedSearch.objects.select_for_update().get(pk=saved.pk)
        old = {"last_run_at": saved.last_run_at, "last_total": saved.last_total}
        saved.last_run_at = timezone.now()
        saved.last_total = total
        saved.save(update_fields=["last_run_at", "last_total"])
        record_write(
            actor=actor,
            action=Action.SEARCH_RUN,
            target=saved,
            old=old,
            new={"last_run_at": saved.last_run_at, "last_total": total},
        )
    return saved


def delete_saved_search(*, actor: User, saved: SavedSearch) -> None:
    _require_owner(actor, saved)
    with transaction.atomic():
        record_write(
            actor=actor,
            action=Action.SEARCH_DELETED,
            target=saved,
            old={"name": saved.name, "query": saved.query},
        )
        saved.delete()


def _require_owner(actor: User, saved: SavedSearch) -> None:
    if saved.owner_id != actor.pk:
        raise NotPermitted()

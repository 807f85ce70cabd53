"""Keeping the indexes in step with the content.

The embedded index lives in the project database and is always written. When a search server is
configured it is written too; if it cannot be reached the change is queued in the database
(IndexQueueEntry) and replayed as soon as the server answers again, so publishing never fails
because of the search server and no change is lost.
"""

import logging
import threading

from django.db import transaction
from django.db.models import F

from cases.stamps import content
from search import documents, outage
from search.engines import EngineUnavailable, embedded_engine, server_engine
from search.models import IndexQueueEntry

logger = logging.getLogger(__name__)


def _queue(page_ids: list[int], error: Exception) -> None:
    # The queue records which pages changed; a replay reads their state at that time.
    IndexQueueEntry.objects.bulk_create(
        IndexQueueEntry(page_id=page_id, last_error=str(error)[:1000]) for page_id in page_ids
    )
    logger.warning("search server unavailable, %d change(s) queued: %s", len(page_ids), error)


def _changes(page_ids) -> tuple[list[dict], list[str]]:
    """Documents to (re)index and keys to remove, from the pages' current state: public live
    pages are indexed, everything else (drafts, private, unpublished, deleted) is removed."""
    to_index, to_delete = [], []
    for page_id in dict.fromkeys(page_ids):
        document = documents.document_for(page_id)
        if document is None:
            to_delete.append(documents.key_for(page_id))
        else:
            to_index.append(document)
    return to_index, to_delete


def _apply(engine, to_index: list[dict], to_delete: list[str]) -> None:
    if to_index:
        engine.index(to_index)
    if to_delete:
        engine.delete(to_delete)


def sync_pages(page_ids) -> None:
    """Bring the embedded index, and the search server if configured, in line with these pages.
    A server that is unavailable (or still has older queued changes) gets the pages queued."""
    page_ids = list(dict.fromkeys(page_ids))
    to_index, to_delete = _changes(page_ids)
    try:
        _sync_engines(page_ids, to_index, to_delete)
    finally:
        # Search and API answers are cached under the public-content stamp: bump it once the
        # engines have the change, so no answer from the old index outlives it (pagecache/).
        content.bump()


def _sync_engines(page_ids, to_index, to_delete) -> None:
    _apply(embedded_engine(), to_index, to_delete)
    server = server_engine()
    if server is None:
        return
    if outage.is_down() or IndexQueueEntry.objects.exists():
        # Keep the order of changes: older queued changes go first. The replay runs in the
        # background (search.tasks), never in the editor's request.
        _queue(page_ids, RuntimeError("server down or behind queue"))
        from search.tasks import schedule_replay

        schedule_replay()
        return
    try:
        _apply(server, to_index, to_delete)
    except EngineUnavailable as error:
        outage.mark_down(error)
        _queue(page_ids, error)


_pending = threading.local()


def _flush_pending() -> None:
    page_ids = getattr(_pending, "ids", None) or []
    _pending.ids = None
    if page_ids:
        sync_pages(page_ids)


def sync_pages_on_commit(page_ids) -> None:
    """Sync after the surrounding transaction commits, so a rolled-back publish is never indexed.
    Changes within one transaction (a publish fires several signals; an import touches many
    pages) are sent to the engines together."""
    if getattr(_pending, "ids", None) is None:
        _pending.ids = []
    _pending.ids.extend(page_ids)
    # Every call registers a flush: the first one after a commit sends all pending ids, the rest
    # find nothing to do. Ids left by a rolled-back transaction go out with the next commit,
    # which is harmless: a sync reads the pages' current state.
    transaction.on_commit(_flush_pending)


def replay_queue(limit: int = 1000) -> int:
    """Send queued changes to the search server in order; returns how many were replayed.
    Stops (leaving the rest queued) if the server is still unavailable."""
    engine = server_engine()
    if engine is None:
        return 0
    entries = list(IndexQueueEntry.objects.order_by("id")[:limit])
    if not entries:
        return 0
    # The page's state now decides, whatever happened to it in between.
    to_index, to_delete = _changes(e.page_id for e in entries)
    queued = IndexQueueEntry.objects.filter(pk__in=[e.pk for e in entries])
    try:
        _apply(engine, to_index, to_delete)
    except EngineUnavailable as error:
        outage.mark_down(error)
        queued.update(attempts=F("attempts") + 1, last_error=str(error)[:1000])
        return 0
    outage.mark_up()
    queued.delete()
    content.bump()
    return len(entries)


def rebuild(engine=None) -> dict[str, int]:
    """Rebuild the embedded index and, if configured, the server's (with an alias swap)."""
    docs = list(documents.all_documents())
    report = {"embedded": embedded_engine().rebuild(docs)}
    server = engine or server_engine()
    if server is not None:
        report[server.name] = server.rebuild(docs)
        IndexQueueEntry.objects.all().delete()
    content.bump()
    return report

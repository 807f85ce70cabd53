"""Keeping the indexes in step with the content.

The embedded index lives in the project database and is always written. When a search server is
configured it is written too; if it cannot be reached the change is queued in the database
(IndexQueueEntry) and replayed as soon as the server answers again, so publishing never fails
because of the search server and no change is lost.
"""

import logging
import threading

from django.db import transaction
from wagtail.models import Page

from search import documents
from search.engines import EngineUnavailable, embedded_engine, server_engine
from search.models import IndexQueueEntry

logger = logging.getLogger(__name__)


def _queue(keys_and_pages: list[tuple[str, int | None]], action: str, error: Exception) -> None:
    IndexQueueEntry.objects.bulk_create(
        IndexQueueEntry(key=key, page_id=page_id, action=action, last_error=str(error)[:1000])
        for key, page_id in keys_and_pages
    )
    logger.warning("search server unavailable, %d change(s) queued: %s", len(keys_and_pages), error)


def _send_to_server(
    to_index: list[dict], to_delete: list[str], pages: dict[str, int | None]
) -> None:
    engine = server_engine()
    if engine is None:
        return
    if IndexQueueEntry.objects.exists():
        # Keep the order of changes: older queued changes go first.
        _queue(
            [(d["key"], d["page_id"]) for d in to_index],
            IndexQueueEntry.Action.INDEX,
            RuntimeError("behind queue"),
        )
        _queue(
            [(k, pages.get(k)) for k in to_delete],
            IndexQueueEntry.Action.DELETE,
            RuntimeError("behind queue"),
        )
        replay_queue()
        return
    try:
        if to_index:
            engine.index(to_index)
        if to_delete:
            engine.delete(to_delete)
    except EngineUnavailable as error:
        _queue([(d["key"], d["page_id"]) for d in to_index], IndexQueueEntry.Action.INDEX, error)
        _queue([(k, pages.get(k)) for k in to_delete], IndexQueueEntry.Action.DELETE, error)


def sync_pages(page_ids) -> None:
    """Bring the indexes in line with the current state of these pages: public live pages are
    (re)indexed, everything else (drafts, private, unpublished, deleted) is removed."""
    to_index, to_delete, pages = [], [], {}
    for page_id in dict.fromkeys(page_ids):
        key = documents.key_for(page_id)
        pages[key] = page_id
        page = Page.objects.filter(pk=page_id).first()
        document = documents.document_for(page) if page is not None else None
        if document is None:
            to_delete.append(key)
        else:
            to_index.append(document)
    engine = embedded_engine()
    if to_index:
        engine.index(to_index)
    if to_delete:
        engine.delete(to_delete)
    _send_to_server(to_index, to_delete, pages)


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
    latest: dict[str, IndexQueueEntry] = {}
    for entry in entries:
        latest[entry.key] = entry
    to_index, to_delete = [], []
    for key, entry in latest.items():
        page = Page.objects.filter(pk=entry.page_id).first() if entry.page_id else None
        document = documents.document_for(page) if page is not None else None
        # The page's state now decides, whatever the queued action was.
        if document is None:
            to_delete.append(key)
        else:
            to_index.append(document)
    try:
        if to_index:
            engine.index(to_index)
        if to_delete:
            engine.delete(to_delete)
    except EngineUnavailable as error:
        IndexQueueEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
            last_error=str(error)[:1000]
        )
        for entry in entries:
            IndexQueueEntry.objects.filter(pk=entry.pk).update(attempts=entry.attempts + 1)
        return 0
    IndexQueueEntry.objects.filter(pk__in=[e.pk for e in entries]).delete()
    return len(entries)


def rebuild(engine=None) -> dict[str, int]:
    """Rebuild the embedded index and, if configured, the server's (with an alias swap)."""
    docs = list(documents.all_documents())
    report = {"embedded": embedded_engine().rebuild(docs)}
    server = engine or server_engine()
    if server is not None:
        report[server.name] = server.rebuild(docs)
        IndexQueueEntry.objects.all().delete()
    return report

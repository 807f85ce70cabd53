"""Keeping the indexes in step with the content.

Documents come from the registered sources (search.sources: pages, recognised cells …). The
embedded index lives in the project database and is always written. When a search server is
configured it is written too; if it cannot be reached the change is queued in the database
(IndexQueueEntry) and replayed as soon as the server answers again, so publishing never fails
because of the search server and no change is lost.
"""

import logging
import threading

from django.db import transaction
from django.db.models import F

from cases.stamps import content
from search import documents, outage, sources
from search.engines import EngineUnavailable, embedded_engine, server_engine
from search.models import IndexQueueEntry

logger = logging.getLogger(__name__)


def _queue(source: str, object_ids: list[int], error: Exception) -> None:
    # The queue records which objects changed; a replay reads their state at that time.
    IndexQueueEntry.objects.bulk_create(
        IndexQueueEntry(source=source, object_id=object_id, last_error=str(error)[:1000])
        for object_id in object_ids
    )
    logger.warning("search server unavailable, %d change(s) queued: %s", len(object_ids), error)


def _changes(source_name: str, object_ids, built=None) -> tuple[list[dict], list[str]]:
    """Documents to (re)index and keys to remove, from the objects' current state: public
    objects are indexed, everything else (drafts, private, unpublished, revoked, deleted) is
    removed. `built`: {id: (version, document)} the caller built from objects it wrote in the
    transaction just committed; a document is used as it is when its object is findable and
    still at that version, not read again."""
    source = sources.get(source_name)
    object_ids = list(dict.fromkeys(object_ids))
    wanted = set(object_ids)
    built = {i: version_document for i, version_document in (built or {}).items() if i in wanted}
    found = {}
    if built and source.findable is not None:
        findable = source.findable(list(built))
        found = {
            i: document
            for i, (version, document) in built.items()
            if i in findable and findable[i] == version
        }
    # Everything else (and a built document whose object has changed since) is read afresh.
    rest = [i for i in object_ids if i not in found]
    if rest:
        found.update(source.documents(rest))
    to_index = [found[i] for i in object_ids if i in found]
    to_delete = [source.key(i) for i in object_ids if i not in found]
    return to_index, to_delete


def _apply(engine, to_index: list[dict], to_delete: list[str]) -> None:
    if to_index:
        engine.index(to_index)
    if to_delete:
        engine.delete(to_delete)


def sync(source: str, object_ids, built=None) -> None:
    """Bring the embedded index, and the search server if configured, in line with these objects
    of a document source (search.sources). A server that is unavailable (or still has older
    queued changes) gets them queued. `built`: see _changes."""
    object_ids = list(dict.fromkeys(object_ids))
    if not object_ids:
        return
    to_index, to_delete = _changes(source, object_ids, built)
    try:
        _sync_engines(source, object_ids, to_index, to_delete)
    finally:
        # Search and API answers are cached under the public-content stamp: bump it once the
        # engines have the change, so no answer from the old index outlives it (pagecache/).
        content.bump()


def _sync_engines(source, object_ids, to_index, to_delete) -> None:
    _apply(embedded_engine(), to_index, to_delete)
    server = server_engine()
    if server is None:
        return
    if outage.is_down() or IndexQueueEntry.objects.exists():
        # Keep the order of changes: older queued changes go first. The replay runs in the
        # background (search.tasks), never in the editor's request.
        _queue(source, object_ids, RuntimeError("server down or behind queue"))
        from search.tasks import schedule_replay

        schedule_replay()
        return
    try:
        _apply(server, to_index, to_delete)
    except EngineUnavailable as error:
        outage.mark_down(error)
        _queue(source, object_ids, error)


def sync_pages(page_ids) -> None:
    sync(documents.PAGES.name, page_ids)


_pending = threading.local()


# More changed objects than this in one transaction (a bulk import) are indexed by a background
# task: in the worker in production, at once with the default immediate backend.
BACKGROUND_SYNC_OVER = 1000


def _flush_pending() -> None:
    pending = getattr(_pending, "ids", None) or {}
    built = getattr(_pending, "built", None) or {}
    _pending.ids = _pending.built = None
    for source, object_ids in pending.items():
        object_ids = list(dict.fromkeys(object_ids))
        if len(object_ids) > BACKGROUND_SYNC_OVER:
            from search.tasks import sync_documents

            sync_documents.enqueue(source, object_ids)
        else:
            sync(source, object_ids, built.get(source))


def sync_on_commit(source: str, object_ids, built: dict[int, tuple] | None = None) -> None:
    """Sync after the surrounding transaction commits, so a rolled-back change is never indexed.
    Changes within one transaction (a publish fires several signals; an import touches many
    objects) are sent to the engines together. `built`: {id: (version, document)} for some of
    these objects, built by the caller from what it wrote (see _changes). Kept until a commit:
    from a transaction rolled back they are still checked against the objects' versions."""
    if getattr(_pending, "ids", None) is None:
        _pending.ids, _pending.built = {}, {}
    _pending.ids.setdefault(source, []).extend(object_ids)
    if built:
        _pending.built.setdefault(source, {}).update(built)
    # Every call registers a flush: the first one after a commit sends all pending ids, the rest
    # find nothing to do. Ids left by a rolled-back transaction go out with the next commit,
    # which is harmless: a sync reads the objects' current state.
    transaction.on_commit(_flush_pending)


def sync_pages_on_commit(page_ids, built: dict[int, tuple] | None = None) -> None:
    sync_on_commit(documents.PAGES.name, page_ids, built)


def replay_queue(limit: int = 1000) -> int:
    """Send queued changes to the search server in order; returns how many were replayed.
    Stops (leaving the rest queued) if the server is still unavailable."""
    engine = server_engine()
    if engine is None:
        return 0
    entries = list(IndexQueueEntry.objects.order_by("id")[:limit])
    if not entries:
        return 0
    # The objects' state now decides, whatever happened to them in between.
    to_index, to_delete = [], []
    for source in dict.fromkeys(e.source for e in entries):
        found, gone = _changes(source, [e.object_id for e in entries if e.source == source])
        to_index += found
        to_delete += gone
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

"""Background work of the search (django-tasks): replaying changes queued during a server outage,
large index updates (a bulk import's thousands of objects) and rebuilding the indexes. With the database backend (production) a worker runs them
(`manage.py db_worker`); with the default immediate backend they run where they are enqueued.
Visitors' requests only enqueue, at most once a minute (REPLAY_EVERY_SECONDS)."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from search import indexing
from search.models import IndexQueueEntry

REPLAY_SCHEDULED_KEY = "search:replay-scheduled"
RETRY_SCHEDULED_KEY = "search:replay-retry-scheduled"
REPLAY_EVERY_SECONDS = 60
RETRY_SECONDS = 15


@task()
def replay_search_queue() -> int:
    replayed = total = indexing.replay_queue()
    # Keep going while the server takes the changes: replay_queue() sends 1,000 at a time.
    while replayed:
        replayed = indexing.replay_queue()
        total += replayed
    if IndexQueueEntry.objects.exists():
        _retry_later()
    return total


def _retry_later() -> None:
    """The server is still down: the replay comes back by itself a little later, so a restarted
    server gets every queued change without waiting for the next publish or search to schedule
    one. Only where tasks can be deferred (the database backend and its worker); the immediate
    backend would just run it again at once. One retry per interval across processes, so the
    replays scheduled during a long outage do not multiply."""
    later = replay_search_queue.using(run_after=timezone.now() + timedelta(seconds=RETRY_SECONDS))
    if later.get_backend().supports_defer and cache.add(RETRY_SCHEDULED_KEY, 1, RETRY_SECONDS - 1):
        later.enqueue()


@task()
def sync_documents(source: str, object_ids: list[int]) -> int:
    indexing.sync(source, object_ids)
    return len(object_ids)


@task()
def rebuild_search_index() -> dict:
    return indexing.rebuild()


def schedule_replay() -> None:
    """Enqueue one replay unless one was enqueued in the last minute (any process)."""
    if cache.add(REPLAY_SCHEDULED_KEY, 1, REPLAY_EVERY_SECONDS):
        replay_search_queue.enqueue()

"""Background work of the search (django-tasks): replaying changes queued during a server outage,
large index updates (a bulk import's thousands of objects) and rebuilding the indexes. With the database backend (production) a worker runs them
(`manage.py db_worker`); with the default immediate backend they run where they are enqueued.
Visitors' requests only enqueue, at most once a minute (REPLAY_EVERY_SECONDS)."""

from django.core.cache import cache
from django_tasks import task

from search import indexing

REPLAY_SCHEDULED_KEY = "search:replay-scheduled"
REPLAY_EVERY_SECONDS = 60


@task()
def replay_search_queue() -> int:
    replayed = total = indexing.replay_queue()
    # Keep going while the server takes the changes: replay_queue() sends 1,000 at a time.
    while replayed:
        replayed = indexing.replay_queue()
        total += replayed
    return total


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

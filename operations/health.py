"""What /healthz reports: each dependency checked for real, with how long it took.

The database and the cache are required (the site cannot take a submission without them): if
either fails the answer is 503. The search server is not: a search during its outage falls back
to the embedded engine, so a stopped engine makes the status "degraded" (HTTP 200) and says so.
Queues report their length and the age of their oldest entry, so a stuck worker shows.
"""

import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

REQUIRED = ("database", "cache")


def _timed(check: Callable[[], dict]) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as error:  # a health check reports every failure, whatever its kind
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict:
    # A key of its own per probe: with one shared key, two health checks at once (several
    # workers, a load balancer and a monitor) overwrite each other's value and report a
    # healthy cache as down.
    value = uuid.uuid4().hex
    key = f"healthz:probe:{value}"
    cache.set(key, value, 30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was written")
    finally:
        cache.delete(key)
    return {"backend": type(cache).__name__}


def _search() -> dict:
    """Asks the server itself (not the short-lived outage flag): a stopped engine fails here. A
    cluster that lost a primary shard (red) fails too; yellow (a replica missing) is reported."""
    from search import outage
    from search.engines import server_engine

    engine = server_engine()
    if engine is None:
        return {"engine": "embedded"}
    cluster = engine.cluster()
    if cluster["status"] == "red":
        raise RuntimeError(f"{engine.name} cluster is red: {cluster}")
    return {
        "engine": engine.name,
        "documents": engine.count(),
        "cluster": cluster,
        "outage_flag": outage.is_down(),
    }


def _queue_entry(queryset, created_field: str) -> dict:
    oldest = queryset.order_by(created_field).values_list(created_field, flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"length": queryset.count(), "oldest_age_s": round(age, 1)}


def _queues() -> dict:
    from django_tasks_db.models import DBTaskResult

    from search.models import IndexQueueEntry

    return {
        "search_index": _queue_entry(IndexQueueEntry.objects.all(), "created_at"),
        "tasks": _queue_entry(DBTaskResult.objects.ready(), "enqueued_at"),
    }


CHECKS: dict[str, Callable[[], dict]] = {
    "database": _database,
    "cache": _cache,
    "search": _search,
    "queues": _queues,
}


def report() -> tuple[dict, int]:
    """The /healthz body and its HTTP status."""
    checks = {name: _timed(check) for name, check in CHECKS.items()}
    if not all(checks[name]["ok"] for name in REQUIRED):
        status, code = "down", 503
    elif all(c["ok"] for c in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    return {"status": status, "checks": checks}, code

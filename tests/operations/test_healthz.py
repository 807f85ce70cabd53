"""/healthz checks the database, the cache, the search engine and the queues for real; a stopped
or unreachable engine shows as "degraded" with its error, while the site stays up (HTTP 200)."""

import socket

import pytest

from search.engines import server_engine
from search.models import IndexQueueEntry

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_healthy_on_the_embedded_defaults(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert body["checks"]["search"]["engine"] == "embedded"
    assert body["checks"]["queues"]["search_index"] == {"length": 0, "oldest_age_s": 0.0}
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_unreachable_engine_is_reported_and_the_site_stays_up(client, settings):
    settings.SEARCH_URL = f"opensearch+http://127.0.0.1:{_closed_port()}"
    assert server_engine() is not None
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["ok"] is False
    assert (
        "ConnectionError" in body["checks"]["search"]["error"]
        or "Unavailable" in (body["checks"]["search"]["error"])
    )
    assert body["checks"]["database"]["ok"] is True


def test_queue_length_and_age_are_reported(client):
    IndexQueueEntry.objects.create(object_id=1)
    IndexQueueEntry.objects.create(object_id=2)
    queue = client.get("/healthz").json()["checks"]["queues"]["search_index"]
    assert queue["length"] == 2 and queue["oldest_age_s"] >= 0


def test_a_failing_database_answers_503(client, django_db_blocker):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")  # the cache write fails
        else:
            cursor.execute("SET TRANSACTION READ ONLY")
    try:
        response = client.get("/healthz")
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


class _FakeCluster:
    """A server engine whose cluster reports the given status (the rehearsal stops real nodes)."""

    name = "opensearch"

    def __init__(self, status: str, nodes: int):
        self.status, self.nodes = status, nodes

    def cluster(self):
        return {"status": self.status, "nodes": self.nodes, "unassigned_shards": 1}

    def count(self):
        return 59


@pytest.mark.parametrize(
    ("status", "nodes", "search_ok"),
    [("green", 3, True), ("yellow", 2, True), ("red", 1, False)],
)
def test_the_cluster_status_is_reported_and_a_red_cluster_fails(
    client, monkeypatch, status, nodes, search_ok
):
    from operations import health

    monkeypatch.setattr("search.engines.server_engine", lambda: _FakeCluster(status, nodes))
    body = client.get("/healthz").json()
    search = body["checks"]["search"]
    assert search["ok"] is search_ok
    assert body["status"] == ("ok" if search_ok else "degraded")
    if search_ok:
        assert search["cluster"] == {"status": status, "nodes": nodes, "unassigned_shards": 1}
        assert search["documents"] == 59 and search["outage_flag"] is False
    else:
        assert "red" in search["error"]
    assert health.REQUIRED == ("database", "cache")


def test_simultaneous_health_checks_each_find_the_cache_healthy(monkeypatch):
    """Another check writing its probe between this one's write and read (two workers asked at
    once) must not make this one report the cache as down."""
    from operations import health

    real_set = health.cache.set
    nested = []

    def set_then_another_probe(*args, **kwargs):
        real_set(*args, **kwargs)
        if not nested:
            nested.append(None)
            nested[0] = health._timed(health._cache)

    monkeypatch.setattr(health.cache, "set", set_then_another_probe)
    outer = health._timed(health._cache)
    assert outer["ok"] is True, outer
    assert nested[0]["ok"] is True

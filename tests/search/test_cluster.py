"""A search server of several nodes: SEARCH_URL names them comma-separated, a request that fails on
one node goes to the next, the index keeps SEARCH_INDEX_REPLICAS copies of its shard, and a replay
that finds the server still down comes back by itself (the worker) until the queue is empty.
The rehearsal (.ci/rehearsal.sh) kills and stops real nodes; these tests pin the pieces."""

import os
import socket

import pytest
from django.core.cache import cache
from django.test import override_settings

from cases.models import CityPage
from search import engines, tasks
from search.engines import node_urls
from search.engines.server import OpenSearchTransport, Transport, index_body
from search.models import IndexQueueEntry

OPENSEARCH_URL = os.environ.get("SEARCH_TEST_OPENSEARCH_URL", "")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_nodes_of_a_cluster_share_scheme_credentials_and_path():
    flavour, nodes = node_urls("opensearch+https://search:s3cret@n1:9200, n2:9200,n3:9201/prefix")
    assert flavour == "opensearch"
    assert nodes == [
        "https://search:s3cret@n1:9200/prefix",
        "https://search:s3cret@n2:9200/prefix",
        "https://search:s3cret@n3:9201/prefix",
    ]
    assert node_urls("elasticsearch+http://127.0.0.1:9200") == (
        "elasticsearch",
        ["http://127.0.0.1:9200"],
    )


def test_one_node_fails_at_once_several_nodes_retry_on_the_others():
    assert Transport.retry_options(["http://a:9200"]) == {
        "max_retries": 0,
        "retry_on_timeout": False,
        "retry_on_status": (),
    }
    three = Transport.retry_options(["http://a:9200", "http://b:9200", "http://c:9200"])
    assert three["max_retries"] == 2 and three["retry_on_timeout"] is True
    assert 503 in three["retry_on_status"]


def test_the_index_keeps_the_declared_replicas(settings):
    assert index_body("cjk")["settings"]["number_of_replicas"] == 0
    settings.SEARCH_INDEX_REPLICAS = 1
    engine = engines.engine_from_url("opensearch+http://127.0.0.1:9200,127.0.0.1:9201")
    assert engine.replicas == 1
    assert index_body("cjk", engine.replicas)["settings"]["number_of_replicas"] == 1


@pytest.mark.skipif(not OPENSEARCH_URL, reason="SEARCH_TEST_OPENSEARCH_URL not set")
def test_a_stopped_node_costs_no_request():
    """Two nodes named, the first one stopped (nothing listens): every call still answers."""
    transport = OpenSearchTransport([f"http://127.0.0.1:{_closed_port()}", OPENSEARCH_URL])
    for _ in range(4):  # both orders of the round robin
        assert transport.cluster_health()["status"] in ("green", "yellow")


@pytest.mark.django_db
def test_a_replay_that_finds_the_server_down_comes_back_by_itself(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    cache.delete(tasks.RETRY_SCHEDULED_KEY)
    IndexQueueEntry.objects.create(source="page", object_id=CityPage.objects.first().pk)
    engines._server_engines.clear()
    with override_settings(SEARCH_URL=f"opensearch+http://127.0.0.1:{_closed_port()}"):
        tasks.replay_search_queue.call()
        tasks.replay_search_queue.call()  # a second replay in the interval adds no retry
    engines._server_engines.clear()
    retries = DBTaskResult.objects.filter(task_path__endswith="replay_search_queue")
    assert retries.count() == 1
    assert retries.get().run_after is not None
    assert IndexQueueEntry.objects.count() == 1  # nothing lost while down


@pytest.mark.django_db
def test_an_emptied_queue_schedules_no_retry(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    cache.delete(tasks.RETRY_SCHEDULED_KEY)
    tasks.replay_search_queue.call()
    assert not DBTaskResult.objects.exists()

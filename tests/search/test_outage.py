"""During a search server outage nobody waits on it more than once: the first failure sets a
short-lived "down" flag in the shared cache, and until it expires searches go to the embedded
engine at once and publishes queue their changes without trying the server. Replays run as a
background task (django-tasks; a worker with the database backend), never in the request.

The "server" is a real socket that accepts connections and never answers, so every call that
reaches it waits for the client's full timeout — what a hung engine does."""

import socket
import time

import pytest
from django.test import override_settings

from cases.factories import CasePageFactory
from cases.models import CityPage, GovernanceModel, WasteCategory
from search import engines, outage
from search.engines.server import TIMEOUT_SECONDS
from search.models import IndexQueueEntry

pytestmark = pytest.mark.django_db
MARKER = "鹦鹉螺停摆"


@pytest.fixture
def hung_server():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    url = f"opensearch+http://127.0.0.1:{listener.getsockname()[1]}"
    engines._server_engines.clear()
    with override_settings(SEARCH_URL=url):
        yield url
    engines._server_engines.clear()
    listener.close()


@pytest.fixture
def database_tasks(settings):
    """The production task backend: enqueue stores the task for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _timed_search(client):
    started = time.perf_counter()
    body = client.get("/api/search/", {"q": "危废"}).json()
    return body, time.perf_counter() - started


def test_after_one_timeout_searches_fail_over_at_once(client, hung_server):
    first, first_seconds = _timed_search(client)
    assert first["engine"] == "embedded" and first["notice"]
    assert first_seconds >= TIMEOUT_SECONDS * 0.8  # the one request that found out
    assert outage.is_down()
    for _ in range(3):
        body, seconds = _timed_search(client)
        assert body["engine"] == "embedded" and body["notice"] and body["total"] > 0
        assert seconds < TIMEOUT_SECONDS / 2
    suggestions = client.get("/api/search/autocomplete/", {"q": "危"})
    assert suggestions.status_code == 200


def test_a_publish_during_the_outage_is_queued_without_waiting(
    hung_server, database_tasks, django_capture_on_commit_callbacks
):
    outage.mark_down(RuntimeError("seen down by another process"))
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        page = CasePageFactory(
            title=f"{MARKER}发布",
            parent=CityPage.objects.get(slug="shaoxing"),
            governance_model=GovernanceModel.objects.get(slug="hazardous"),
            waste_categories=[WasteCategory.objects.get(slug="hazardous")],
        )
    assert time.perf_counter() - started < TIMEOUT_SECONDS / 2
    assert IndexQueueEntry.objects.filter(object_id=page.pk).exists()


def test_the_replay_is_enqueued_for_the_worker_not_run_in_the_request(hung_server, database_tasks):
    from django_tasks_db.models import DBTaskResult

    from search import tasks

    IndexQueueEntry.objects.create(object_id=CityPage.objects.first().pk)
    started = time.perf_counter()
    tasks.schedule_replay()
    tasks.schedule_replay()  # a second request within the minute enqueues nothing more
    assert time.perf_counter() - started < 1
    queued = DBTaskResult.objects.ready()
    assert queued.count() == 1
    assert queued.get().task_path.endswith("replay_search_queue")

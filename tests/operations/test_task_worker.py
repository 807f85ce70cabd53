"""The task worker outlives a database restart: an OperationalError in its polling loop pauses it
and it polls again (the rehearsal restarts PostgreSQL under it for real, drill (d))."""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from operations.management.commands import task_worker


class _Connections:
    def __init__(self, closed: list):
        self.closed = closed

    def all(self):
        closed = self.closed

        class Connection:
            def close_if_unusable_or_obsolete(self):
                closed.append("default")

        return [Connection()]


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_database_outage_pauses_the_worker_instead_of_ending_it(monkeypatch):
    outcomes = [OperationalError("server closed the connection"), OperationalError("refused")]
    calls = []

    def poll(self, *args, **options):
        calls.append(options["batch"])
        if outcomes:
            raise outcomes.pop(0)

    monkeypatch.setattr(db_worker.Command, "handle", poll)
    monkeypatch.setattr(task_worker.time, "sleep", lambda seconds: None)
    closed = []
    monkeypatch.setattr(task_worker, "connections", _Connections(closed))
    call_command("task_worker", "--batch")
    assert closed == ["default", "default"]  # a broken connection is dropped after each outage
    assert calls == [True, True, True]  # two outages, then the worker ran to its end


def test_other_errors_still_end_the_worker(monkeypatch):
    def poll(self, *args, **options):
        raise RuntimeError("a bug")

    monkeypatch.setattr(db_worker.Command, "handle", poll)
    with pytest.raises(RuntimeError, match="a bug"):
        call_command("task_worker", "--batch")

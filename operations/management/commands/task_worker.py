"""`manage.py task_worker`: django-tasks-db's worker (`db_worker`, same options) that outlives a
database restart. `db_worker` exits on the first OperationalError of its polling loop, so a
PostgreSQL restart would leave queued work (search replays, imports) undone until someone restarts
the worker; this one waits and polls again, and picks the queue up once the database is back."""

import logging
import time

from django.db import OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)
RETRY_SECONDS = 2


class Command(db_worker.Command):
    help = (
        "Run the task worker (db_worker's options); a database outage pauses it instead of "
        "ending it."
    )

    def handle(self, *args, **options):
        while True:
            try:
                return super().handle(*args, **options)
            except OperationalError as error:
                logger.warning("database unavailable, the worker polls again shortly: %s", error)
                for connection in connections.all():
                    connection.close_if_unusable_or_obsolete()
                time.sleep(RETRY_SECONDS)

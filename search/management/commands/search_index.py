import json

from django.core.management.base import BaseCommand

from search import indexing
from search.engines import embedded_engine, server_engine
from search.models import IndexQueueEntry


class Command(BaseCommand):
    help = "Manage the exchange search indexes: --rebuild (alias swap, no empty moment), --replay the queue, or show status."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Rebuild every configured index."
        )
        parser.add_argument(
            "--replay", action="store_true", help="Send queued changes to the search server."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="With --rebuild: only when the server has no index behind its alias yet "
            "(container start: built once, not on every start).",
        )

    def handle(self, *args, rebuild=False, replay=False, if_missing=False, **options):
        report = {}
        server = server_engine()
        if rebuild and if_missing and server is not None and server.has_index():
            report["rebuilt"] = False
        elif rebuild:
            report["rebuilt"] = indexing.rebuild()
        if replay:
            report["replayed"] = indexing.replay_queue(limit=100_000)
        report["embedded_documents"] = embedded_engine().count()
        if server is not None:
            report["server"] = server.name
            report["server_reachable"] = server.ping()
        report["queued_changes"] = IndexQueueEntry.objects.count()
        self.stdout.write(json.dumps(report, ensure_ascii=False))

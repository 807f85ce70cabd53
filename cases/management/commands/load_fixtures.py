import json

from django.core.management.base import BaseCommand

from cases import seeding


class Command(BaseCommand):
    help = "Load the seed fixtures (taxonomy, site tree, cities, cases, technologies, standards, articles). Idempotent."

    def handle(self, *args, **options):
        report = seeding.load_all()
        self.stdout.write(json.dumps(report, ensure_ascii=False))

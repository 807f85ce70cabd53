"""Monthly: email each city's editors the cases that are stale (over 12 months) or incomplete.

Run it once a month (cron: `0 8 1 * * python manage.py send_freshness_digest`)."""

import json

from django.core.management.base import BaseCommand

from publishing import freshness


class Command(BaseCommand):
    help = "Email each city's editors their stale (over 12 months) or incomplete cases."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument("--list", action="store_true", help="Print every case listed.")

    def handle(self, *args, dry_run=False, list=False, **options):
        if list:
            for city, todo in freshness.attention_by_city():
                for state in todo:
                    self.stdout.write(
                        f"{city.title}\t{state.page.title}\t{state.score}%\t"
                        f"{state.information_date or '—'}\t{'过期' if state.stale else ''}\t"
                        + "、".join(state.missing)
                    )
        sent = freshness.send_digest(dry_run=dry_run)
        self.stdout.write(json.dumps({"dry_run": dry_run, "emails": sent}, ensure_ascii=False))

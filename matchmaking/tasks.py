"""Background work of matchmaking (django-tasks): the match digest, as `manage.py
send_match_digest` sends it, for a scheduler that enqueues tasks instead of running commands."""

from django.utils.dateparse import parse_datetime
from django_tasks import task

from matchmaking import services


@task()
def send_match_digest(since: str | None = None, dry_run: bool = False) -> dict:
    """`since`: an ISO date-time (task arguments must be JSON); default: each post's last digest."""
    report = services.send_match_digest(
        since=parse_datetime(since) if since else None, dry_run=dry_run
    )
    return {
        "dry_run": dry_run,
        "posts": len(report.entries),
        "matches": report.match_count,
        "sent": sum(1 for entry in report.entries if entry.sent),
    }

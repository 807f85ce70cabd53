"""python manage.py send_match_digest [--since ISO] [--dry-run]

Emails each poster with a pending or approved board post the match suggestions that are new
since their last digest (or since --since), records when they were sent, and sends the staff a
summary. Run it from cron, e.g. daily."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from matchmaking import services


def parse_since(value: str):
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since 不是 ISO 日期或时间：{value}")
        moment = timezone.datetime(day.year, day.month, day.day)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "向供需信息发布者推送新的匹配推荐，并向平台工作邮箱发送汇总。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            help="只推送此时间之后出现的匹配（ISO 格式，如 2025-03-01 或 2025-03-01T08:00）；"
            "默认为每条信息上次推送的时间",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要推送的内容，不发邮件、不记录"
        )

    def handle(self, *args, since=None, dry_run=False, **options):
        report = services.send_match_digest(
            since=parse_since(since) if since else None, dry_run=dry_run
        )
        for entry in report.entries:
            state = "（预览）" if dry_run else ("已发送" if entry.sent else "发送失败")
            self.stdout.write(
                f"#{entry.post.pk} {entry.post.title}: {len(entry.suggestions)} 条新匹配 {state}"
            )
            if dry_run:
                for suggestion in entry.suggestions:
                    self.stdout.write(f"    {suggestion.score:g} {suggestion.candidate.title}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.entries)} 条供需信息，共 {report.match_count} 条新匹配"
                + ("（预览，未发送）" if dry_run else "")
            )
        )

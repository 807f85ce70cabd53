from django.core.management.base import BaseCommand

from standards import services


class Command(BaseCommand):
    help = "标记已过期的无废细胞，并向各城市编辑发送即将到期提醒（默认提前 90 天）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=services.REMINDER_DAYS)

    def handle(self, *args, days, **options):
        expired = services.flag_expired()
        report = services.send_expiry_reminders(days=days)
        self.stdout.write(
            f"已标记过期 {expired} 个；已提醒 {report['reminded']} 个（{report['cities']} 个城市）"
        )

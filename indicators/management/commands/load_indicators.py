from django.core.management.base import BaseCommand, CommandError

from indicators import seeding


class Command(BaseCommand):
    help = "载入指标体系种子数据（fixtures/indicators/system.json），并把种子中符合指标的数值转为填报值"

    def handle(self, *args, **options):
        report = seeding.load_system()
        if not report.ok:
            raise CommandError("\n".join(report.lines()))
        made = seeding.values_from_cases()
        self.stdout.write(
            f"指标体系：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}；"
            f"种子数值：{made}"
        )

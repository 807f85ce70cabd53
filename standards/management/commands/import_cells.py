from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from standards import register_import


class Command(BaseCommand):
    help = "从 CSV / Excel / JSON Lines 导入已认定的无废细胞（按证书编号更新，逐行报告错误）。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件不存在：{file}")
        with path.open("rb") as f:
            report = register_import.import_file(f)
        for row, name, message in report.errors:
            self.stderr.write(f"第 {row} 行 {name}：{message}")
        self.stdout.write(
            f"共 {report.rows} 行：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}，"
            f"错误 {len(report.errors)}"
        )

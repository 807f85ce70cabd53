from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators import imports
from publishing.importfile import FileError


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "导入指标体系（分组与指标，按编码更新）或城市填报值（--values，按城市+指标+年份更新）。"
        "格式：JSON、JSON Lines、CSV、XLSX；错误按行报告。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--values", action="store_true", help="文件为城市填报值")
        parser.add_argument("--user", help="以该用户身份填报（--values 时必填；权限按其城市）")
        parser.add_argument("--submit", action="store_true", help="导入后提交审核")
        parser.add_argument("--atomic", action="store_true", help="有任何错误则不写入")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, **options):
        kind = "values" if options["values"] else "system"
        user = None
        if kind == "values":
            if not options["user"]:
                raise CommandError("--values 需要 --user（填报人）")
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在")
        extra = {"submit": options["submit"]} if kind == "values" else {}
        try:
            with open(options["file"], "rb") as f:
                data = f.read()
        except OSError as error:
            raise CommandError(str(error)) from None
        try:
            with transaction.atomic():
                report = imports.run(
                    kind, data, options["file"], user=user, atomic=options["atomic"], **extra
                )
                if options["dry_run"]:
                    raise _DryRun
        except FileError as error:
            raise CommandError(str(error)) from None
        except _DryRun:
            report.written = False
        for line in report.lines():
            self.stderr.write(line)
        state = "已写入" if report.written else "未写入"
        self.stdout.write(
            f"{state}：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}，"
            f"错误 {len(report.errors)}"
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} 行有错误")

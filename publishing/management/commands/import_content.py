import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publishing import importfile, imports, jobs


class Command(BaseCommand):
    help = (
        "Import cases, technologies and standards from a JSON Lines, JSON, CSV or XLSX file "
        "(fields as in DESIGN.md). Rows are matched by external_id: re-importing updates. "
        "Bad rows are reported with their row number; the others are imported (none with "
        "--atomic). Exits with status 1 when a row had an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument("--publish", action="store_true", help="publish (where allowed)")
        parser.add_argument("--atomic", action="store_true", help="write nothing if a row is bad")
        parser.add_argument(
            "--format", choices=importfile.FORMATS, help="default: from the file extension"
        )
        parser.add_argument(
            "--user",
            help="import as this user, with their permissions (a city editor's rows become "
            "drafts submitted for review); default: the system, with every right",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--background",
            action="store_true",
            help='queue the import as a job for the task worker and print {"job": ID} '
            "(follow it with `manage.py import_job ID`)",
        )
        parser.add_argument(
            "--chunk-rows",
            type=int,
            default=jobs.CHUNK_ROWS,
            help="with --background: rows committed together with the job's progress",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户不存在：{options['user']}")
        if options["background"]:
            self._enqueue(path, user, options)
            return
        try:
            parsed = importfile.parse(path.read_bytes(), path.name, options["format"])
        except importfile.FileError as error:
            raise CommandError(str(error)) from None
        report = imports.import_records(
            parsed.rows,
            user=user,
            dry_run=options["dry_run"],
            publish=options["publish"],
            atomic=options["atomic"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report, parsed.format)
        if report.errors:
            raise CommandError(f"{report.counts['errors']} 行有错误")

    def _enqueue(self, path, user, options):
        if options["dry_run"]:
            raise CommandError("--background 不能与 --dry-run 同用")
        try:
            with transaction.atomic():
                job = jobs.create(
                    user,
                    path.name,
                    path.read_bytes(),
                    {
                        "publish": options["publish"],
                        "atomic": options["atomic"],
                        "chunk_rows": options["chunk_rows"],
                    },
                )
                jobs.start(job)
        except importfile.FileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps({"job": job.pk}))

    def _print(self, report, fmt):
        counts = report.counts
        mode = (
            "试运行（未写入）"
            if report.dry_run
            else ("已全部回滚" if report.rolled_back else "已写入")
        )
        self.stdout.write(
            f"{fmt.upper()} {counts['rows']} 行：新建 {counts['created']}，更新 {counts['updated']}，"
            f"未变 {counts['unchanged']}，错误 {counts['errors']}；发布 {counts['published']}，"
            f"草稿 {counts['draft']}，提交审核 {counts['submitted']} — {mode}，"
            f"用时 {report.seconds:.1f} 秒"
        )
        if report.created_cities:
            self.stdout.write("新建城市：" + "、".join(report.created_cities))
        for result in report.results:
            for note in result.notes:
                self.stdout.write(f"第 {result.row} 行 {note}")
        for error in report.errors:
            field = f"[{error['field']}] " if error["field"] else ""
            self.stdout.write(f"第 {error['row']} 行 {field}{error['message']}")

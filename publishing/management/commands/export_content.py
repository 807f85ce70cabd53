import sys

from django.core.management.base import BaseCommand, CommandError

from cases import resolvers
from publishing import exports, importfile


class Command(BaseCommand):
    help = (
        "Export cases, technologies and standards in the import format (JSON Lines, JSON, CSV "
        "or XLSX); importing the file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="output file, or - for standard output (not xlsx)")
        parser.add_argument("--type", choices=list(exports.MODELS), action="append")
        parser.add_argument("--city", help="only this city's cases and standards (name or code)")
        parser.add_argument("--format", choices=importfile.FORMATS)
        parser.add_argument(
            "--live", action="store_true", help="only published pages, as published"
        )

    def handle(self, *args, **options):
        fmt = options["format"]
        if fmt is None:
            if options["file"] == "-":
                raise CommandError("输出到标准输出时请用 --format 指定格式")
            fmt = importfile.EXTENSIONS.get("." + options["file"].rsplit(".", 1)[-1].lower())
            if fmt is None:
                raise CommandError("无法从文件名判断格式，请用 --format 指定")
        try:
            records = exports.export_records(
                options["type"] or list(exports.MODELS), options["city"], options["live"]
            )
        except resolvers.UnknownTerm as error:
            raise CommandError(str(error)) from None
        if options["file"] == "-":
            if fmt == "xlsx":
                raise CommandError("xlsx 不能输出到标准输出")
            sys.stdout.flush()
            self.stdout.write(exports.to_bytes(records, fmt).decode("utf-8-sig"), ending="")
        else:
            with open(options["file"], "wb") as stream:
                exports.write(records, fmt, stream)
        missing = sum(1 for r in records if not r["external_id"])
        if missing:
            self.stderr.write(
                f"注意：{missing} 个页面没有外部编号（external_id），重新导入时无法对应到原页面"
            )
        self.stderr.write(f"已导出 {len(records)} 条记录（{fmt}）")

import json

from django.core.management.base import BaseCommand, CommandError

from publishing import jobs
from publishing.models import ImportJob


class Command(BaseCommand):
    help = (
        "Show a background import job (from `import_content FILE --background` or the admin): "
        "status queued|running|done|failed|interrupted, rows done, errors, written rows. "
        "--resume queues an interrupted job again; --run runs it in this process. Either way "
        "the rows already finished are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)
        parser.add_argument("--json", action="store_true", help="print the state as JSON")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--resume", action="store_true", help="queue it for a worker again")
        action.add_argument("--run", action="store_true", help="run (resume) it here and now")

    def handle(self, *args, **options):
        job = ImportJob.objects.filter(pk=options["job_id"]).first()
        if job is None:
            raise CommandError(f"没有编号为 {options['job_id']} 的导入任务")
        if options["resume"] or options["run"]:
            if not jobs.resumable(job):
                raise CommandError(f"任务 {job.pk} 的状态为 {jobs.status_of(job)}，不能继续")
            if options["run"]:
                jobs.run(job.pk)
            else:
                jobs.start(job)
            job.refresh_from_db()
        state = jobs.progress(job, error_limit=None)
        if options["json"]:
            self.stdout.write(json.dumps(state, ensure_ascii=False))
            return
        self.stdout.write(
            f"任务 {state['id']}（{state['file_name']}）：{state['status']}，"
            f"{state['rows_done']}/{state['rows_total']} 行，写入 {state['rows_written']}，"
            f"错误 {state['rows_failed']}" + ("，可继续" if state["resumable"] else "")
        )
        for error in state["errors"]:
            field = f"[{error['field']}] " if error["field"] else ""
            self.stdout.write(f"第 {error['row']} 行 {field}{error['message']}")

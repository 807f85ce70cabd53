"""Imports that run in the background (an `ImportJob`), for files too large for one request.

`create(user, name, data, options)` stores the file; `start(job)` hands it to a worker
(`publishing.tasks.run_import_job`, django-tasks); `run(job_id)` imports it in chunks of
CHUNK_ROWS rows. Each chunk and the job's progress are committed together, so a worker killed
mid-import leaves the job exactly as far as its last committed chunk: `run` again (a restarted
worker, `manage.py import_job ID --resume`) skips the rows already finished and writes no row
twice. The importing user's permissions apply as in the admin (publishing.imports).

With the immediate task backend (the embedded default, `make run`: no worker process) the
admin runs the job in a thread of the web process instead of in the request, so the upload
returns at once and the progress page polls; a job whose thread or worker dies is reported as
`interrupted` and resumes where it stopped.
"""

import csv
import io
import json
import os
import socket
import threading

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from publishing import importfile, imports
from publishing.models import ImportJob, ImportJobRow

CHUNK_ROWS = imports.BATCH_SIZE
MAX_ROWS = 20_000
# A running job whose worker is on another machine is presumed dead after this long without a
# heartbeat (one per chunk); on the same machine the worker's process id decides at once.
STALE_SECONDS = 15 * 60
Status = ImportJob.Status


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_alive(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: the heartbeat decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed, not yet reaped by its parent) is dead too.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def status_of(job: ImportJob) -> str:
    if job.status != Status.RUNNING:
        return job.status
    stale = job.heartbeat_at and (timezone.now() - job.heartbeat_at).total_seconds() > STALE_SECONDS
    if stale or not _worker_alive(job.worker):
        return Status.INTERRUPTED
    return Status.RUNNING


def resumable(job: ImportJob) -> bool:
    return status_of(job) in (Status.QUEUED, Status.INTERRUPTED)


def create(user, name: str, data: bytes, options: dict) -> ImportJob:
    """Store the file as a queued job (raises importfile.FileError for an unreadable file)."""
    rows = importfile.parse(data, name).rows
    if len(rows) > MAX_ROWS:
        raise importfile.FileError(
            f"文件有 {len(rows)} 行，一次最多导入 {MAX_ROWS} 行：请拆分文件。"
        )
    return ImportJob.objects.create(
        user=user if getattr(user, "pk", None) else None,
        file_name=name,
        data=data,
        options={
            "publish": bool(options.get("publish")),
            "atomic": bool(options.get("atomic")),
            "chunk_rows": int(options.get("chunk_rows") or CHUNK_ROWS),
        },
        rows_total=len(rows),
    )


def start(job: ImportJob, *, thread_if_immediate=False) -> None:
    """Queue the job for a worker; with the immediate backend and `thread_if_immediate` (the
    admin), run it in a background thread of this process instead of here and now."""
    from django_tasks.backends.immediate import ImmediateBackend

    from publishing.tasks import run_import_job

    if thread_if_immediate and isinstance(run_import_job.get_backend(), ImmediateBackend):
        transaction.on_commit(
            lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True).start()
        )
        return
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


def _run_in_thread(job_id: int) -> None:
    try:
        run(job_id)
    finally:
        connection.close()


def _claim(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not resumable(job):
            return None
        now = timezone.now()
        job.status, job.worker, job.heartbeat_at = Status.RUNNING, _worker_id(), now
        job.started_at = job.started_at or now
        job.save(update_fields=["status", "worker", "heartbeat_at", "started_at"])
    return job


def _row_entries(job: ImportJob, results, report) -> list[ImportJobRow]:
    errors = {}
    for error in report.errors:
        errors.setdefault(error["row"], error)
    entries = []
    for result in results:
        error = errors.get(result.row, {})
        entries.append(
            ImportJobRow(
                job=job,
                row=result.row,
                status=result.status,
                type=result.type,
                external_id=result.external_id,
                title=result.title,
                action=result.action,
                page_id=result.page_id,
                city=result.city,
                notes=result.notes,
                field=error.get("field", ""),
                message=error.get("message", ""),
            )
        )
    return entries


def _record(job: ImportJob, results, report) -> None:
    """Rows just imported and the job's progress, in the transaction that wrote the rows."""
    entries = _row_entries(job, results, report)
    if report.rolled_back:  # an atomic import with bad rows: nothing was written
        for entry in entries:
            if entry.status != "error":
                entry.status, entry.message = "not_written", "整批回滚：文件中有错误行"
    ImportJobRow.objects.bulk_create(entries)
    job.rows_done += len(entries)
    job.rows_written += sum(e.status in ("created", "updated") for e in entries)
    job.rows_failed += sum(e.status == "error" for e in entries)
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["rows_done", "rows_written", "rows_failed", "heartbeat_at"])


def _import_chunk(job: ImportJob, rows: list, options: dict) -> None:
    """Import rows and record them with the job's progress, in one transaction."""
    with transaction.atomic():
        report = imports.import_records(rows, user=job.user, **options)
        _record(job, report.results, report)


def run(job_id: int) -> ImportJob | None:
    """Import the job's rows not yet finished; returns the job (None if it was not resumable:
    done, failed or running elsewhere)."""
    if not connection.in_atomic_block:
        # A worker's long-lived connection may have gone stale; inside a transaction (a caller's,
        # or a test's) Django would take the open transaction for unusable and close it.
        close_old_connections()
    job = _claim(job_id)
    if job is None:
        return None
    try:
        rows = importfile.parse(bytes(job.data), job.file_name).rows
        finished = set(job.rows.values_list("row", flat=True))
        todo = [(row, record) for row, record in rows if row not in finished]
        options = {"publish": job.options.get("publish", False)}
        if job.options.get("atomic"):
            _import_chunk(job, todo, {**options, "atomic": True})
        else:
            # One import over the whole file (its lookups and caches last for all of it), each
            # chunk committed with its rows' entries and the job's progress.
            imports.import_records(
                todo,
                user=job.user,
                batch_size=int(job.options.get("chunk_rows") or CHUNK_ROWS),
                after_batch=lambda results, report: _record(job, results, report),
                **options,
            )
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    job.status, job.finished_at = Status.DONE, timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def written_rows(job: ImportJob) -> list[int]:
    return list(job.rows.filter(status__in=("created", "updated")).values_list("row", flat=True))


def errors(job: ImportJob, limit: int | None = None) -> list[dict]:
    rows = job.rows.filter(status="error").values("row", "field", "message")
    return list(rows[:limit] if limit else rows)


def seconds_left(job: ImportJob) -> float | None:
    if not job.started_at or not job.rows_done or job.rows_done >= job.rows_total:
        return None if job.rows_done < job.rows_total else 0.0
    elapsed = ((job.heartbeat_at or timezone.now()) - job.started_at).total_seconds()
    return round(elapsed / job.rows_done * (job.rows_total - job.rows_done), 1)


def progress(job: ImportJob, *, error_limit: int | None = 50) -> dict:
    """The job's state as the status endpoint and `manage.py import_job --json` give it."""
    return {
        "id": job.pk,
        "file_name": job.file_name,
        "status": status_of(job),
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "rows_written": job.rows_written,
        "rows_failed": job.rows_failed,
        "errors": errors(job, error_limit),
        "written_rows": written_rows(job),
        "resumable": resumable(job),
        "seconds_left": seconds_left(job),
        "message": job.message,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


REPORT_FIELDS = [
    "row",
    "status",
    "type",
    "external_id",
    "title",
    "action",
    "city",
    "field",
    "message",
    "notes",
]


def report_rows(job: ImportJob) -> list[dict]:
    return [
        {name: getattr(entry, name) for name in REPORT_FIELDS} for entry in job.rows.order_by("row")
    ]


def report_bytes(job: ImportJob, fmt: str) -> bytes:
    """The final report, one line per row with its number: CSV (UTF-8 with BOM, opens in Excel)
    or JSON."""
    rows = report_rows(job)
    if fmt == "json":
        body = {**progress(job, error_limit=None), "rows": rows}
        return json.dumps(body, ensure_ascii=False, indent=1).encode()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "notes": "；".join(row["notes"])})
    return ("\ufeff" + out.getvalue()).encode()

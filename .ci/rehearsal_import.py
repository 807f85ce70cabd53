"""Drill (c) of the rehearsal: kill the task worker in the middle of a background import.

Written against the import job contract (branch `imports`):
- `manage.py import_content FILE --background` enqueues the import and prints `{"job": <id>}`;
- `manage.py import_job <id> --json` prints {"id", "status": queued|running|done|failed|
  interrupted, "rows_total", "rows_done", "errors", "written_rows", "resumable"};
- a restarted worker resumes an interrupted job, or the job reports exactly `written_rows`.

The rows are the seeded cases exported in the import format, each given a new external id and a
title marked as rehearsal data, so every row creates one page that can be counted.
"""

import json
import os
import signal
import time
from pathlib import Path

ROWS = int(os.environ.get("REHEARSAL_IMPORT_ROWS", "200"))
CHUNK_ROWS = 20  # rows committed together with the job's progress
MARK = "（演练导入）"

WRITTEN = """
import json
from cases.models import CasePage
ids = CasePage.objects.filter(external_id__startswith="rehearsal-import-")
print(json.dumps(sorted(int(x.rsplit("-", 1)[1]) for x in ids.values_list("external_id", flat=True))))
"""


def _rows(manage, run: Path) -> Path:
    exported = run / "import-source.jsonl"
    manage("export_content", str(exported), "--type", "case", "--live", "--format", "jsonl")
    cases = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines() if line]
    rows = []
    for n in range(1, ROWS + 1):
        row = dict(cases[(n - 1) % len(cases)])
        row["external_id"] = f"rehearsal-import-{n}"
        row["title"] = f"{row.get('title', '')}{MARK}{n}"
        row.pop("slug", None)
        rows.append(row)
    path = run / "import-rows.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _job(manage, job_id) -> dict:
    return json.loads(manage("import_job", str(job_id), "--json").strip().splitlines()[-1])


def _written(manage) -> list[int]:
    out = manage("shell", "-c", WRITTEN)
    return json.loads(out.strip().splitlines()[-1])


def run(*, manage, start_worker, run: Path) -> dict:
    rows = _rows(manage, run)
    worker_pid = int((run / "worker.pid").read_text())
    enqueued = json.loads(
        manage(
            "import_content",
            str(rows),
            "--background",
            "--publish",
            "--chunk-rows",
            str(CHUNK_ROWS),
        )
        .strip()
        .splitlines()[-1]
    )
    job_id = enqueued["job"]
    deadline = time.monotonic() + 180
    job = _job(manage, job_id)
    while not (job["status"] == "running" and 0 < job["rows_done"] <= job["rows_total"] // 2):
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return {"ok": False, "error": f"the import was never caught mid-way: {job}"}
        time.sleep(0.3)
        job = _job(manage, job_id)
    os.killpg(worker_pid, signal.SIGKILL)
    killed_at_row = job["rows_done"]
    time.sleep(1)
    after_kill = _job(manage, job_id)
    start_worker()
    # What the job says about itself after the kill must match the database row for row.
    written_at_kill = _written(manage)
    reported = sorted(after_kill.get("written_rows") or [])
    exact_report = reported == sorted(set(written_at_kill))
    # Then it resumes: by itself if the restarted worker takes it up, else on request.
    time.sleep(5)
    job = _job(manage, job_id)
    resumed_by = "worker"
    if job["status"] == "interrupted" and job["resumable"]:
        manage("import_job", str(job_id), "--resume", "--json")
        resumed_by = "import_job --resume"
    deadline = time.monotonic() + 400
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(2)
        job = _job(manage, job_id)
    written = _written(manage)
    duplicates = len(written) - len(set(written))
    resumed = job["status"] == "done" and job["rows_done"] == job["rows_total"]
    return {
        "rows": ROWS,
        "job": job_id,
        "chunk_rows": CHUNK_ROWS,
        "killed_at_row": killed_at_row,
        "status_after_kill": after_kill["status"],
        "resumable_after_kill": after_kill.get("resumable"),
        "written_rows_reported_after_kill": len(reported),
        "pages_in_database_after_kill": len(set(written_at_kill)),
        "report_matches_database": exact_report,
        "resumed_by": resumed_by if resumed else None,
        "final_status": job["status"],
        "rows_done": job["rows_done"],
        "pages_written": len(set(written)),
        "duplicate_pages": duplicates,
        "resumed": resumed,
        "errors": job.get("errors", [])[:5],
        "ok": duplicates == 0 and exact_report and resumed and len(set(written)) == ROWS,
    }

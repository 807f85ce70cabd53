"""Drill: a task worker killed (SIGKILL) in the middle of a background import. The job is then
`interrupted` and says exactly which rows were written (they are in the database, the others
are not); a new worker resumes it and the file ends up imported once, every row exactly once.

Real processes on their own SQLite database with the database task backend, as production
runs them (`manage.py db_worker`)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS, CHUNK = 120, 5
PREPARE = (
    "from cases import seeding; seeding.load_taxonomy(); seeding.ensure_site_tree(); "
    "seeding.load_cities()"
)
COUNT = (
    "import json; from cases.models import CasePage; "
    "ids = list(CasePage.objects.filter(external_id__startswith='kill-')"
    ".values_list('external_id', flat=True)); print(json.dumps(ids))"
)


def _records() -> str:
    return "\n".join(
        json.dumps(
            {
                "type": "case",
                "external_id": f"kill-{n:03d}",
                "title": f"中断续传测试经验{n}",
                "city": "绍兴市",
                "governance_model": "危险废物治理模式",
                "waste_categories": ["危险废物"],
                "summary": f"第 {n} 条。",
            },
            ensure_ascii=False,
        )
        for n in range(ROWS)
    )


def test_a_killed_worker_leaves_a_resumable_job_and_no_duplicates():
    workdir = Path(tempfile.mkdtemp(prefix="wfc-import-kill-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.test",
        "DATA_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir}/site.sqlite3",
        "SEARCH_URL": "",
        "TASKS_BACKEND": "database",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def state(job_id):
        return json.loads(manage("import_job", str(job_id), "--json"))

    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("shell", "-c", PREPARE)
    source = workdir / "cases.jsonl"
    source.write_text(_records(), encoding="utf-8")
    out = manage("import_content", str(source), "--background", "--chunk-rows", str(CHUNK))
    job_id = json.loads(out.strip().splitlines()[-1])["job"]
    assert state(job_id)["status"] == "queued"

    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Watch the job's row directly (a manage.py call per look would be too slow).
        deadline = time.monotonic() + 300
        with sqlite3.connect(workdir / "site.sqlite3", timeout=20) as db:
            while time.monotonic() < deadline:
                sql = "select rows_done from publishing_importjob where id = ?"
                if db.execute(sql, (job_id,)).fetchone()[0] >= CHUNK:
                    break
                time.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    interrupted = state(job_id)
    assert interrupted["status"] == "interrupted" and interrupted["resumable"]
    done = interrupted["rows_done"]
    assert CHUNK <= done < ROWS, "the worker was killed after the import ended: raise ROWS"
    assert done % CHUNK == 0  # whole chunks only: a chunk and its progress commit together
    assert interrupted["written_rows"] == list(range(1, done + 1))
    written = json.loads(manage("shell", "-c", COUNT).strip().splitlines()[-1])
    assert sorted(written) == [f"kill-{n:03d}" for n in range(done)]

    manage("import_job", str(job_id), "--resume")
    manage("db_worker", "--batch", "--no-startup-delay")
    finished = state(job_id)
    assert finished["status"] == "done" and finished["rows_done"] == ROWS
    assert finished["written_rows"] == list(range(1, ROWS + 1))
    ids = json.loads(manage("shell", "-c", COUNT).strip().splitlines()[-1])
    assert sorted(ids) == [f"kill-{n:03d}" for n in range(ROWS)]  # each row exactly once

"""Background imports (publishing.jobs): progress, the row-numbered report, resuming an
interrupted job without writing a row twice, the user's permissions, and the commands'
contract (`import_content --background` → {"job": ID}; `import_job ID --json`)."""

import io
import json
import socket

import pytest
from django.core.management import call_command

from cases.models import CasePage
from publishing import exports, jobs
from publishing.models import ImportJob
from tests.publishing.test_import import make_records

pytestmark = pytest.mark.django_db


def _jsonl(records) -> bytes:
    return exports.to_bytes(records, "jsonl")


def _dead_worker() -> str:
    return f"{socket.gethostname()}:999999999"


def test_a_job_imports_every_row_and_reports_progress():
    records = make_records(5, prefix="job")
    records[3]["city"] = "不存在市"
    job = jobs.create(None, "cases.jsonl", _jsonl(records), {"chunk_rows": 2})
    assert jobs.progress(job)["status"] == "queued"
    jobs.run(job.pk)
    job.refresh_from_db()
    state = jobs.progress(job)
    assert state["status"] == "done" and not state["resumable"]
    assert (state["rows_total"], state["rows_done"], state["rows_written"]) == (5, 5, 4)
    assert state["written_rows"] == [1, 2, 3, 5]
    assert [(e["row"], e["field"]) for e in state["errors"]] == [(4, "city")]
    assert CasePage.objects.filter(external_id__startswith="job-").count() == 4


def test_the_final_report_lists_each_row_by_number():
    records = make_records(3, prefix="rep")
    records[1]["governance_model"] = ""
    job = jobs.create(None, "cases.jsonl", _jsonl(records), {})
    jobs.run(job.pk)
    job.refresh_from_db()
    text = jobs.report_bytes(job, "csv").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("row,status,")
    assert lines[2].startswith("2,error,case,rep-001") and "governance_model" in lines[2]
    body = json.loads(jobs.report_bytes(job, "json"))
    assert [r["status"] for r in body["rows"]] == ["created", "error", "created"]


def test_an_interrupted_job_resumes_without_writing_a_row_twice():
    records = make_records(5, prefix="res")
    job = jobs.create(None, "cases.jsonl", _jsonl(records), {"chunk_rows": 2})
    # A worker that committed the first chunk (rows 1–2) and then died.
    rows = [(1, records[0]), (2, records[1])]
    jobs._import_chunk(job, rows, {"publish": False})
    ImportJob.objects.filter(pk=job.pk).update(status="running", worker=_dead_worker())
    job.refresh_from_db()
    state = jobs.progress(job)
    assert state["status"] == "interrupted" and state["resumable"]
    assert state["written_rows"] == [1, 2] and state["rows_done"] == 2
    call_command("import_job", str(job.pk), "--run", stdout=io.StringIO())
    job.refresh_from_db()
    assert jobs.status_of(job) == "done" and job.rows_done == 5
    assert jobs.written_rows(job) == [1, 2, 3, 4, 5]
    pages = CasePage.objects.filter(external_id__startswith="res-")
    assert pages.count() == 5
    assert all(page.revisions.count() == 1 for page in pages)


def test_a_running_job_with_a_live_worker_is_not_resumed():
    job = jobs.create(None, "cases.jsonl", _jsonl(make_records(1, prefix="live")), {})
    ImportJob.objects.filter(pk=job.pk).update(status="running", worker=jobs._worker_id())
    job.refresh_from_db()
    assert jobs.status_of(job) == "running" and not jobs.resumable(job)
    assert jobs.run(job.pk) is None


def test_a_city_editors_job_keeps_their_permissions(role_user):
    editor = role_user("绍兴 编辑")
    records = make_records(2, prefix="perm")
    records[1]["city"] = "深圳市"
    job = jobs.create(editor, "cases.jsonl", _jsonl(records), {"publish": True})
    jobs.run(job.pk)
    job.refresh_from_db()
    assert jobs.written_rows(job) == [1]
    assert [e["row"] for e in jobs.errors(job)] == [2]
    page = CasePage.objects.get(external_id="perm-000")
    assert not page.live  # a city editor's rows are drafts submitted for review


def test_the_command_contract(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(_jsonl(make_records(3, prefix="cmd")))
    out = io.StringIO()
    # The immediate backend (tests) runs the job when the enqueueing transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_content", str(path), "--background", stdout=out)
    job_id = json.loads(out.getvalue().strip().splitlines()[-1])["job"]
    out = io.StringIO()
    call_command("import_job", str(job_id), "--json", stdout=out)
    state = json.loads(out.getvalue())
    assert {
        "id",
        "status",
        "rows_total",
        "rows_done",
        "errors",
        "written_rows",
        "resumable",
    } <= set(state)
    assert state["status"] == "done" and state["written_rows"] == [1, 2, 3]


def test_files_over_the_limit_are_refused(monkeypatch):
    from publishing import importfile

    monkeypatch.setattr(jobs, "MAX_ROWS", 2)
    with pytest.raises(importfile.FileError):
        jobs.create(None, "cases.jsonl", _jsonl(make_records(3, prefix="big")), {})

"""Background work of publishing (django-tasks): large imports (publishing.jobs), the
freshness digest. With the database backend a worker runs them (`manage.py db_worker`)."""

from django_tasks import task


@task()
def run_import_job(job_id: int) -> dict | None:
    from publishing import jobs

    job = jobs.run(job_id)
    return None if job is None else {"id": job.pk, "rows_done": job.rows_done}

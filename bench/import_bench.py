"""Bulk import benchmark: rows per second through the import_content path (parse + import).

    python bench/import_bench.py [--rows 5000] [--formats csv,jsonl,xlsx] [--draft]
                                 [--database-url sqlite:///…|postgres://…]
                                 [--job] [--no-reimport]

Generates ROWS realistic cases from fixtures/content/cases.json (each row a new external_id,
cycling through the seed cities, waste categories, governance models, tags, bodies and
indicators), writes them as CSV / JSON Lines / XLSX, and imports each file into the same freshly
seeded database state (taxonomy, site tree, the 16 cities with their roles). By default rows are
published, as a national administrator's import is (search indexing included); --draft saves
drafts. Then the same file is imported again (every row unchanged) to time the re-import path
(--no-reimport skips it). With --job the file is imported once more from the seeded state as
the admin imports a large file: a background job (publishing.jobs, run here in the process as
a worker runs it: other external ids, into the database the first import filled), whose
progress and final report are checked.

The time of an import includes everything that makes the pages findable: the exchange search
(embedded engine) and the admin search are brought up to date batch by batch before the import
returns (`searchable` counts the imported pages the exchange search holds afterwards).

Prints one JSON object: {"rows", "database", "publish", "cpu_calibration_ms", "results": {fmt:
{"parse_seconds", "import_seconds", "seconds", "rows_per_s", "created", "errors", "searchable",
"reimport_seconds", "reimport_rows_per_s", "job": {…}}}}. `cpu_calibration_ms` is a fixed
Python loop timed before and after: this machine's speed changes from minute to minute, so a
run is read against it. Needs no server: the default database is a temporary SQLite file.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from calibration import cpu_calibration_ms  # noqa: E402


def _setup(database_url: str | None, workdir: Path) -> str:
    os.environ["DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wfc_platform.settings.test"
    os.environ.setdefault("SEARCH_URL", "")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    from cases import seeding

    seeding.load_taxonomy()
    seeding.ensure_site_tree()
    seeding.load_cities()
    for record in seeding.read("content/technologies.json"):
        from cases import importing

        importing.upsert_technology(record, publish=True)
    return os.environ["DATABASE_URL"]


def generate(rows: int, prefix: str = "bench") -> list[dict]:
    from cases import seeding

    seeds = seeding.read("content/cases.json")
    cities = [c["name"] for c in seeding.read("content/cities.json")]
    records = []
    for n in range(rows):
        seed = dict(seeds[n % len(seeds)])
        seed["external_id"] = f"{prefix}-{n:06d}"
        seed["title"] = f"{seed['title']}（批量 {n + 1}）"
        seed["city"] = cities[n % len(cities)]
        seed["tags"] = list(seed.get("tags", []))[:3] + [f"批次{n % 20}"]
        seed["indicators"] = [
            {"name": "处置量", "value": round(1 + n * 0.25, 2), "unit": "万吨", "year": 2020}
        ]
        seed["technologies"] = seed.get("technologies", [])[:1]
        records.append(seed)
    return records


def _snapshot(url: str, workdir: Path):
    """A copy of the seeded database to start each format from the same state (SQLite only)."""
    if url.startswith("sqlite:///"):
        from django.db import connection, connections

        # WAL mode: recent writes sit in the -wal file until a checkpoint moves them in.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connections.close_all()
        path = Path(url[len("sqlite:///") :])
        shutil.copyfile(path, workdir / "seeded.sqlite3")
        return path
    return None


def _restore(path: Path | None, workdir: Path):
    from django.db import connections

    if path is None:
        from cases.models import CasePage

        CasePage.objects.filter(external_id__startswith="bench-").delete()
        return
    connections.close_all()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(workdir / "seeded.sqlite3", path)


def _searchable(created: int) -> int:
    from cases.models import CasePage
    from search.models import IndexedDocument

    ids = CasePage.objects.filter(external_id__startswith="bench-").values_list("pk", flat=True)
    keys = [f"page-{pk}" for pk in ids]
    return sum(
        IndexedDocument.objects.filter(key__in=keys[i : i + 2000]).count()
        for i in range(0, len(keys), 2000)
    )


def _job(data: bytes, name: str, rows: int, publish: bool) -> dict:
    """The admin's path for a large file: a stored job run by the worker's code."""
    from publishing import jobs

    started = time.perf_counter()
    job = jobs.create(None, name, data, {"publish": publish})
    jobs.run(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    report = jobs.report_rows(job)
    return {
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds, 1),
        "status": job.status,
        "rows_done": job.rows_done,
        "rows_written": job.rows_written,
        "rows_failed": job.rows_failed,
        "report_rows": len(report),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--formats", default="csv,jsonl")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--draft", action="store_true", help="import drafts instead of publishing")
    parser.add_argument("--job", action="store_true", help="also import as a background job")
    parser.add_argument("--no-reimport", action="store_true", help="skip the re-import")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        url = _setup(args.database_url, workdir)
        from publishing import exports, importfile, imports

        records = generate(args.rows)
        seeded = _snapshot(url, workdir)
        results = {}
        calibration = cpu_calibration_ms()
        for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
            _restore(seeded, workdir)
            data = exports.to_bytes(records, fmt)
            started = time.perf_counter()
            parsed = importfile.parse(data, f"bench.{fmt}")
            parse_seconds = time.perf_counter() - started
            report = imports.import_records(parsed.rows, publish=not args.draft)
            total = time.perf_counter() - started
            results[fmt] = {
                "bytes": len(data),
                "parse_seconds": round(parse_seconds, 3),
                "import_seconds": round(report.seconds, 2),
                "seconds": round(total, 2),
                "rows_per_s": round(args.rows / total, 1),
                "created": report.counts["created"],
                "errors": report.counts["errors"],
                "searchable": _searchable(report.counts["created"]) if not args.draft else None,
            }
            if not args.no_reimport:
                again_started = time.perf_counter()
                again = imports.import_records(importfile.parse(data, f"bench.{fmt}").rows)
                again_seconds = time.perf_counter() - again_started
                results[fmt].update(
                    reimport_unchanged=again.counts["unchanged"],
                    reimport_seconds=round(again_seconds, 2),
                    reimport_rows_per_s=round(args.rows / again_seconds, 1),
                )
            if args.job:
                # New ids (no restore: deleting thousands of pages would take longer than this).
                job_data = exports.to_bytes(generate(args.rows, prefix="job"), fmt)
                results[fmt]["job"] = _job(job_data, f"job.{fmt}", args.rows, not args.draft)
        result = {
            "rows": args.rows,
            "database": url.split(":", 1)[0],
            "publish": not args.draft,
            "cpu_calibration_ms": [calibration, cpu_calibration_ms()],
            "results": results,
        }
        print(json.dumps(result, ensure_ascii=False))
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

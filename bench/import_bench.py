"""Bulk import benchmark: rows per second through the import_content path (parse + import).

    python bench/import_bench.py [--rows 5000] [--formats csv,jsonl,xlsx] [--draft]
                                 [--database-url sqlite:///…|postgres://…]

Generates ROWS realistic cases from fixtures/content/cases.json (each row a new external_id,
cycling through the seed cities, waste categories, governance models, tags, bodies and
indicators), writes them as CSV / JSON Lines / XLSX, and imports each file into the same freshly
seeded database state (taxonomy, site tree, the 16 cities with their roles). By default rows are
published, as a national administrator's import is (search indexing included); --draft saves
drafts. Then the same file is imported again (every row unchanged) to time the re-import path.

Prints one JSON object: {"rows", "database", "publish", "results": {fmt: {"parse_seconds",
"import_seconds", "seconds", "rows_per_s", "created", "errors", "reimport_seconds",
"reimport_rows_per_s"}}}. Needs no server: the default database is a temporary SQLite file.
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


def generate(rows: int) -> list[dict]:
    from cases import seeding

    seeds = seeding.read("content/cases.json")
    cities = [c["name"] for c in seeding.read("content/cities.json")]
    records = []
    for n in range(rows):
        seed = dict(seeds[n % len(seeds)])
        seed["external_id"] = f"bench-{n:06d}"
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


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--formats", default="csv,jsonl")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--draft", action="store_true", help="import drafts instead of publishing")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        url = _setup(args.database_url, workdir)
        from publishing import exports, importfile, imports

        records = generate(args.rows)
        seeded = _snapshot(url, workdir)
        results = {}
        for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
            _restore(seeded, workdir)
            data = exports.to_bytes(records, fmt)
            started = time.perf_counter()
            parsed = importfile.parse(data, f"bench.{fmt}")
            parse_seconds = time.perf_counter() - started
            report = imports.import_records(parsed.rows, publish=not args.draft)
            total = time.perf_counter() - started
            again_started = time.perf_counter()
            again = imports.import_records(importfile.parse(data, f"bench.{fmt}").rows)
            again_seconds = time.perf_counter() - again_started
            results[fmt] = {
                "bytes": len(data),
                "parse_seconds": round(parse_seconds, 3),
                "import_seconds": round(report.seconds, 2),
                "seconds": round(total, 2),
                "rows_per_s": round(args.rows / total, 1),
                "created": report.counts["created"],
                "errors": report.counts["errors"],
                "reimport_unchanged": again.counts["unchanged"],
                "reimport_seconds": round(again_seconds, 2),
                "reimport_rows_per_s": round(args.rows / again_seconds, 1),
            }
        result = {
            "rows": args.rows,
            "database": url.split(":", 1)[0],
            "publish": not args.draft,
            "results": results,
        }
        print(json.dumps(result, ensure_ascii=False))
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

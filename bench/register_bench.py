"""Register benchmark: bulk import of N cells and the speed of the public register.

    python bench/register_bench.py [--rows 50000] [--requests 40] [--database-url …]

Seeds a fresh database (taxonomy, site tree, the 16 cities, the example standards), writes N
cells as a CSV in the register's own format (cycling through the cities, cell types, years
2019–2026 and statuses) and imports it through standards.register_import; then times, with the
Django test client (full request: URL routing, form validation, queries, template):
the register's first page, a deep page, a filtered page (city + type + year), the counts per
city and per type (the selectors), and a search for cells by name.

Prints one JSON object: {"rows", "database", "import": {"seconds", "rows_per_s"},
"reimport": {…}, "<timing>": {"p50_ms", "p95_ms", "n"}}. Targets at 50,000 cells: pages
p95 ≤ 150 ms on SQLite and PostgreSQL; import ≥ 500 rows/s. Needs no server by default (a
temporary SQLite file); pass a PostgreSQL URL of an empty database to measure PostgreSQL.
"""

import argparse
import csv
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(database_url, workdir: Path) -> str:
    os.environ["DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wfc_platform.settings.test"
    os.environ.setdefault("SEARCH_URL", "")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    from cases import importing, seeding

    seeding.load_taxonomy()
    seeding.ensure_site_tree()
    seeding.load_cities()
    for record in seeding.read("content/standards_examples.json"):
        importing.upsert_standard(record, publish=True)
    return os.environ["DATABASE_URL"].split("@")[-1]


def generate_csv(rows: int, score_offset: int = 0) -> bytes:
    from cases.models import CityPage, StandardPage
    from standards.exports import COLUMNS

    cities = list(CityPage.objects.order_by("path").values_list("title", flat=True))
    standards = list(StandardPage.objects.filter(is_example=True).values_list("title", "version"))
    types = [label for _, label in StandardPage.CellType.choices]
    statuses = ["有效"] * 8 + ["已过期", "已撤销"]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([label for _, label in COLUMNS])
    for n in range(rows):
        year = 2019 + n % 8
        title, version = standards[n % len(standards)]
        writer.writerow(
            [
                f"BENCH-{n:07d}",
                f"第{n + 1}号无废单位",
                types[n % len(types)],
                cities[n % len(cities)],
                f"第{n % 9 + 1}区",
                title,
                version,
                80 + (n + score_offset) % 20,
                f"{year}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                f"{year + 3}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                statuses[n % len(statuses)],
            ]
        )
    return text.getvalue().encode("utf-8-sig")


def _time(fn, n: int) -> dict:
    fn()  # warm-up
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "n": n,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url")
    parser.add_argument("--workdir", help="keep the SQLite file here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.workdir) if args.workdir else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        database = _setup(args.database_url, workdir)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        from cases.models import CityPage
        from standards import register_import, selectors
        from standards.models import Cell

        report = {"rows": args.rows, "database": database.split("?")[0]}
        runs = [("import", 0), ("reimport_unchanged", 0), ("reimport_changed", 1)]
        if Cell.objects.exists():
            runs = runs[1:]
        for label, offset in runs:
            data = generate_csv(args.rows, offset)
            started = time.perf_counter()
            result = register_import.import_file(SimpleUploadedFile("cells.csv", data))
            seconds = time.perf_counter() - started
            assert not result.errors, result.errors[:3]
            report[label] = {
                "seconds": round(seconds, 2),
                "rows_per_s": round(args.rows / seconds),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        assert Cell.objects.count() == args.rows
        client = Client()
        city = CityPage.objects.order_by("path")[3]

        def get(params):
            def call():
                response = client.get("/cells/register/", params)
                assert response.status_code == 200, response.status_code
                return response

            return call

        n = args.requests
        report["register_page"] = _time(get({}), n)
        report["register_deep_page"] = _time(get({"page": str(args.rows // 100)}), n)
        report["filtered_page"] = _time(
            get({"city": str(city.pk), "cell_type": "school", "year": "2024"}), n
        )
        report["filtered_status_page"] = _time(get({"status": "revoked", "year": "2021"}), n)
        report["counts"] = _time(
            lambda: (selectors.cell_counts_by_city(), selectors.cell_counts_by_type()), n
        )
        report["cell_search"] = _time(get({"q": "第4242号"}), n)
        print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()

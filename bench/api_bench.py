"""Public API benchmark: latency of list, detail and download requests, printed as JSON.

Builds its own SQLite database in a temporary folder (migrate + seed fixtures), adds N more
published cases under the seed cities (benchmark data: titles say so), then times requests
through the full Django stack (middleware, throttle, ETag) with the test client.

    python bench/api_bench.py --cases 1000 [--repeat 20]
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUESTS = [
    ("list", "/api/v1/cases/"),
    ("list", "/api/v1/cases/?page_size=100"),
    ("list", "/api/v1/cases/?waste=hazardous&region=东部"),
    ("list", "/api/v1/technologies/"),
    ("list", "/api/v1/cities/"),
    ("list", "/api/v1/regions/?page_size=100"),
    ("detail", "/api/v1/cases/{case}/"),
    ("download", "/api/v1/downloads/cases/?format=csv"),
    ("download", "/api/v1/downloads/cases/?format=xlsx"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    shm = Path("/dev/shm")
    folder = tempfile.mkdtemp(prefix="wfc-api-bench-", dir=shm if shm.is_dir() else None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="wfc_platform.settings.test",
        DATA_DIR=folder,
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        API_RATE_LIMIT="",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    from cases import seeding

    seeding.load_all()
    from cases.factories import CasePageFactory
    from cases.models import CasePage, CityPage, GovernanceModel, WasteCategory

    rng = random.Random(12)
    cities = list(CityPage.objects.all())
    categories = list(WasteCategory.objects.all())
    models = list(GovernanceModel.objects.all())
    started = time.perf_counter()
    for n in range(args.cases):
        CasePageFactory(
            parent=rng.choice(cities),
            title=f"基准测试数据 {n}",
            governance_model=rng.choice(models),
            waste_categories=rng.sample(categories, 2),
            tags=[f"基准{n % 7}"],
        )
    created = time.perf_counter() - started
    from django.test import Client

    client = Client()
    case_id = CasePage.objects.live().first().id
    results = []
    for kind, url in REQUESTS:
        url = url.format(case=case_id)
        timings = []
        for _ in range(args.repeat if kind != "download" else max(3, args.repeat // 5)):
            t = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        etag = response.get("ETag")
        t = time.perf_counter()
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag) if etag else None
        conditional_ms = (time.perf_counter() - t) * 1000
        results.append(
            {
                "kind": kind,
                "url": url,
                "p50_ms": round(statistics.median(timings), 1),
                "max_ms": round(max(timings), 1),
                "bytes": len(response.content),
                "conditional_get_ms": round(conditional_ms, 1) if not_modified else None,
                "conditional_status": not_modified.status_code if not_modified else None,
            }
        )
    print(
        json.dumps(
            {
                "cases": CasePage.objects.live().count(),
                "seconds_to_create_bench_cases": round(created, 1),
                "requests": results,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()

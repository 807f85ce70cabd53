"""Indicator pages at the design scale: 200 cities × 60 indicators × 10 years = 120,000 values.

    python bench/indicator_bench.py [--cities 200] [--indicators 60] [--years 10]
                                    [--requests 40] [--database-url sqlite:///…|postgres://…]

Seeds the taxonomy, site tree and the 16 seed cities, adds synthetic cities ("基准测试城市 N",
on real prefecture-level regions) up to --cities, synthetic indicators ("基准测试指标 N") and one
approved value per city, indicator and year, then times full requests (routing, queries,
templates) through Django's test client: a city's dashboard, the comparison of one indicator
(all cities, and filtered by region tier), the map, and a city page with its similar cities.

Prints one JSON object with p50/p95/max in milliseconds per page. Needs no server: the default
database is a temporary SQLite file; a PostgreSQL URL must name an empty database.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from calibration import cpu_calibration_ms  # noqa: E402


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
    from cases import seeding

    seeding.load_taxonomy()
    seeding.ensure_site_tree()
    seeding.load_cities()
    return os.environ["DATABASE_URL"]


def _generate(n_cities: int, n_indicators: int, n_years: int) -> dict:
    from django.db import transaction

    from cases.models import CityIndexPage, CityPage, PilotBatch, Region
    from indicators import seeding
    from indicators.models import Indicator, IndicatorGroup, IndicatorValue

    rng = random.Random(7)
    seeding.load_system()
    started = time.perf_counter()
    index = CityIndexPage.objects.get()
    taken = set(CityPage.objects.values_list("region_id", flat=True))
    regions = list(Region.objects.filter(level="city").exclude(pk__in=taken).order_by("code"))
    batch = PilotBatch.objects.get(slug="14th-fyp")
    with transaction.atomic():
        for n in range(CityPage.objects.count(), n_cities):
            region = regions[n % len(regions)]
            index.add_child(
                instance=CityPage(
                    title=f"基准测试城市{n}", slug=f"bench-city-{n}", region=region, batch=batch
                )
            )
    groups = list(IndicatorGroup.objects.filter(parent=None))
    indicators = [
        Indicator(
            code=f"BENCH-{n}",
            name=f"基准测试指标{n}",
            group=groups[n % len(groups)],
            unit="%",
            direction="lower" if n % 5 == 0 else "higher",
            mandatory=n % 2 == 0,
            source="基准测试（合成数据）",
        )
        for n in range(n_indicators)
    ]
    Indicator.objects.bulk_create(indicators)
    indicators = list(Indicator.objects.filter(code__startswith="BENCH-"))
    cities = list(CityPage.objects.all())
    first_year = 2024 - n_years + 1
    values = [
        IndicatorValue(
            city=city,
            indicator=indicator,
            year=year,
            value=round(rng.uniform(20, 99), 2),
            target=95,
            target_year=2025,
            baseline=40,
            baseline_year=first_year,
            source="基准测试（合成数据）",
            status="approved",
        )
        for city in cities
        for indicator in indicators
        for year in range(first_year, 2025)
    ]
    IndicatorValue.objects.bulk_create(values, batch_size=5000)
    del values
    from django.db import connection

    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum keeps them on a running database: without them a
        # bulk load just made is planned as if its tables were empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from indicators import cache

    cache.bump()  # bulk_create sends no signals
    return {
        "cities": len(cities),
        "indicators": len(indicators),
        "values": IndicatorValue.objects.count(),
        "generate_seconds": round(time.perf_counter() - started, 1),
    }


def _percentiles(times) -> dict:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
    }


def _time(client, urls, requests: int) -> dict:
    """`cold`: the data version is bumped before each request (as after an approval), so the
    page is computed and rendered; `warm`: served from the shared cache (the usual case)."""
    from indicators import cache

    result = {"requests": requests}
    for mode in ("cold", "warm"):
        for url in urls:
            assert client.get(url).status_code == 200, url  # fill the cache, warm the process
        times = []
        for n in range(requests):
            url = urls[n % len(urls)]
            if mode == "cold":
                cache.bump()
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        result[mode] = _percentiles(times)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="wfc-indicator-bench-"))
    try:
        database = _setup(args.database_url, workdir)
        data = _generate(args.cities, args.indicators, args.years)
        from django.test import Client
        from django.urls import reverse

        from cases.models import CityPage

        client = Client()
        cities = list(CityPage.objects.order_by("?")[:20])
        codes = [f"BENCH-{n}" for n in range(0, args.indicators, max(1, args.indicators // 10))]
        compare = reverse("indicators:compare")
        calibration_before = cpu_calibration_ms()
        results = {
            "dashboard": _time(
                client,
                [reverse("indicators:dashboard", args=[c.slug]) for c in cities],
                args.requests,
            ),
            "comparison": _time(client, [f"{compare}?indicator={c}" for c in codes], args.requests),
            "comparison_filtered": _time(
                client, [f"{compare}?indicator={c}&tier=西部" for c in codes], args.requests
            ),
            "map": _time(client, [reverse("indicators:map")], args.requests),
            "city_page_with_similar_cities": _time(client, [c.url for c in cities], args.requests),
        }
        print(
            json.dumps(
                {
                    "database": database.split(":")[0],
                    **data,
                    "target_p95_ms": 100,
                    # Before and after the timings; larger means a slower machine just then.
                    "cpu_calibration_ms": [calibration_before, cpu_calibration_ms()],
                    **results,
                },
                ensure_ascii=False,
            )
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

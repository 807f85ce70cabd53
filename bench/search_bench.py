"""Search benchmark: indexing throughput and query latency per engine, printed as JSON.

Generates N realistic Chinese documents (sentences, titles, tags, categories and regions taken
from the seed fixtures), indexes them in each available engine and times a fixed mix of queries
(plain, filtered, faceted) through the public JSON API (the platform's full path) and, for the
same requests, the engine alone: `took` reported by a search server plus a direct client call
with the same body, or the embedded engine's own search call. The ratio of the two is the
platform's overhead.

    python bench/search_bench.py --docs 10000 [--docs 100000] [--opensearch-url http://127.0.0.1:9200]
    BENCH_DATABASE_URL=postgres://…/wfc_bench python bench/search_bench.py --docs 100000 --engines embedded

Runs on its own SQLite database in a temporary folder (or BENCH_DATABASE_URL), never the site's.
Prints one JSON line per run to stderr as it goes and the whole report (JSON) at the end: per
engine and size, index docs/s (wall clock, and this process's CPU seconds), API p50/p95/p99 by
kind, the engine call alone and the load average (the machine is shared: compare runs in pairs).
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

QUERIES = [
    ("plain", {"q": "危废"}),
    ("plain", {"q": "飞灰 资源化"}),
    ("plain", {"q": "农膜回收"}),
    ("plain", {"q": "一物一码"}),
    ("plain", {"q": "危废小微收集"}),
    ("plain", {"q": '"生产者责任延伸"'}),
    ("filtered", {"q": "危废", "region": "粤港澳"}),
    ("filtered", {"q": "建筑垃圾", "waste": "construction", "type": "case"}),
    ("filtered", {"q": "垃圾分类", "region": "西部", "sort": "newest"}),
    ("faceted", {"waste": "hazardous"}),
    ("faceted", {"region": "东部", "model": "hazardous"}),
    ("faceted", {}),
]


def percentile(values, p):
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 2)


def summary(values):
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "mean": round(statistics.fmean(values), 2),
    }


def generate(n, seed=7):
    from cases import taxonomy_cache
    from search import text

    fixtures = ROOT / "fixtures" / "content"
    records = json.loads((fixtures / "cases.json").read_text()) + json.loads(
        (fixtures / "technologies.json").read_text()
    )
    sentences = [
        s
        for r in records
        for s in text.strip_html(r["body"]).replace("\n", "。").split("。")
        if len(s) > 8
    ]
    titles = [r["title"] for r in records]
    tags = sorted({t for r in records for t in r.get("tags", [])})
    categories = list(taxonomy_cache.waste_categories().values())
    cities = [r for r in taxonomy_cache.regions().values() if r.level == "city"]
    models = ["comprehensive", "industrial", "agricultural", "urban", "hazardous"]
    rng = random.Random(seed)
    types = ["case"] * 6 + ["technology"] * 2 + ["standard", "article"]
    for i in range(n):
        city = rng.choice(cities)
        picked = rng.sample(categories, rng.randint(1, 3))
        waste = sorted({c.slug for cat in picked for c in taxonomy_cache.waste_ancestors(cat)})
        doc_tags = rng.sample(tags, 3)
        body = "。".join(rng.sample(sentences, rng.randint(3, 8))) + "。"
        yield {
            "key": f"bench-{i}",
            "page_id": 10_000_000 + i,
            "type": rng.choice(types),
            "title": f"{city.name}{rng.choice(titles)[3:]}",
            "url": f"/bench/{i}/",
            "summary": "。".join(rng.sample(sentences, 2)),
            "body": body,
            "keywords": " ".join(doc_tags + [c.name for c in picked] + [city.name]),
            "waste": waste,
            "waste_categories": [{"slug": c.slug, "name": c.name} for c in picked],
            "region": city.facet_values(),
            "region_code": city.code,
            "city": city.name,
            "batch": [rng.choice(["2019-11plus5", "14th-fyp"])],
            "model": [rng.choice(models)],
            "tag": doc_tags,
            "published": f"20{rng.randint(19, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "year": None,
        }


def time_queries(client, engine, repeats):
    from django.http import QueryDict

    from search.engines.server import ServerEngine, search_body
    from search.query import parse_params, understand

    api, raw, took = {"plain": [], "filtered": [], "faceted": []}, [], []
    for _ in range(repeats):
        for kind, params in QUERIES:
            started = time.perf_counter()
            response = client.get("/api/search/", params)
            api[kind].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
            query = QueryDict(mutable=True)
            for k, v in params.items():
                query[k] = v
            search_params = parse_params(query)
            concepts = understand(search_params.q)
            started = time.perf_counter()
            if isinstance(engine, ServerEngine):
                result = engine.transport.search(engine.alias, search_body(concepts, search_params))
                took.append(result["took"])
            else:
                engine.search(concepts, search_params)
            raw.append((time.perf_counter() - started) * 1000)
    all_api = [v for values in api.values() for v in values]
    report = {
        "api_ms": summary(all_api),
        "api_ms_by_kind": {k: summary(v) for k, v in api.items()},
        "engine_call_ms": summary(raw),
    }
    if took:
        report["engine_took_ms"] = summary(took)
    report["overhead_ratio_p95"] = round(
        report["api_ms"]["p95"] / max(report["engine_call_ms"]["p95"], 0.01), 2
    )
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="document counts (repeatable)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--opensearch-url", default=os.environ.get("SEARCH_TEST_OPENSEARCH_URL", "")
    )
    parser.add_argument("--elasticsearch-url", default=os.environ.get("ELASTICSEARCH_URL", ""))
    parser.add_argument("--engines", default="embedded,opensearch,elasticsearch")
    parser.add_argument(
        "--server-timeout",
        type=float,
        default=60,
        help="client timeout (s) for a search server: bulk requests outlast the site's 5 s on a "
        "loaded machine",
    )
    args = parser.parse_args()
    sizes = args.docs or [10_000]

    workdir = tempfile.mkdtemp(prefix="wfc-bench-")
    os.environ["DATA_DIR"] = workdir
    os.environ.setdefault(
        "DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "wfc_platform.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from cases import seeding
    from search import engines as engine_registry
    from search.engines import server as server_module

    server_module.TIMEOUT_SECONDS = args.server_timeout

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the version stamps' shared cache
    seeding.load_taxonomy()
    client = Client()
    wanted = args.engines.split(",")
    servers = {}
    if "opensearch" in wanted and args.opensearch_url:
        servers["opensearch"] = f"opensearch+{args.opensearch_url}"
    if "elasticsearch" in wanted and args.elasticsearch_url:
        servers["elasticsearch"] = f"elasticsearch+{args.elasticsearch_url}"

    from django.db import connection

    results = {
        "machine": {"cores": os.cpu_count(), "load_average": list(os.getloadavg())},
        "database": connection.vendor,
        "queries": [dict(kind=k, **p) for k, p in QUERIES],
        "runs": [],
    }
    for n in sizes:
        docs = list(generate(n))
        for name in [e for e in wanted if e == "embedded" or e in servers]:
            url = servers.get(name, "")
            with override_settings(SEARCH_URL=url, SEARCH_INDEX_PREFIX="wfc-bench"):
                engine_registry._server_engines.clear()
                engine = engine_registry.server_engine() or engine_registry.embedded_engine()
                started, cpu_started = time.perf_counter(), time.process_time()
                engine.rebuild(iter(docs))
                seconds = time.perf_counter() - started
                # This process's own CPU time: what the rate would be on an idle machine (a
                # server engine's work happens in its own process and is not counted).
                cpu_seconds = time.process_time() - cpu_started
                client.get("/api/search/", {"q": "预热"})
                run = {
                    "engine": name,
                    "docs": n,
                    "index_seconds": round(seconds, 2),
                    "index_docs_per_s": round(n / seconds, 1),
                    "index_cpu_seconds": round(cpu_seconds, 2),
                    "load_average_at_start": list(os.getloadavg()),
                }
                run.update(time_queries(client, engine, args.repeats))
                results["runs"].append(run)
                print(json.dumps(run, ensure_ascii=False), file=sys.stderr)
                if name != "embedded":
                    engine.drop()
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

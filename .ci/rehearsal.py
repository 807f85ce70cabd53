"""The checks and drills of the rehearsal (started by .ci/rehearsal.sh, which has started
PostgreSQL, Redis, the OpenSearch cluster and nginx, seeded the site and exported the production
environment). This script starts gunicorn and the task worker, then:

- GETs every public page type and the API through nginx (all 200);
- stores an image through Wagtail's image model and fetches its rendition through nginx;
- drills (a) kill an OpenSearch node during searches, (b) stop the engine during 100 publishes,
  (c) kill the worker mid-import, (d) restart PostgreSQL under load, (e) 64 connections × 60 s.

It prints one JSON document (also test-artifacts/rehearsal.json) and exits 1 when a criterion
fails. Standard library only, so that it runs before and beside the project's code.
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RUN = Path(os.environ["REHEARSAL_DIR"]) / "run"
NGINX = f"http://127.0.0.1:{os.environ['REHEARSAL_NGINX_PORT']}"
WEB_BIND = f"127.0.0.1:{os.environ['REHEARSAL_WEB_PORT']}"
OPENSEARCH_PORTS = os.environ["OPENSEARCH_CLUSTER_HTTP_PORTS"].split(",")
LOAD_SECONDS = int(os.environ.get("REHEARSAL_LOAD_SECONDS", "60"))
LOAD_CONNECTIONS = int(os.environ.get("REHEARSAL_LOAD_CONNECTIONS", "64"))
SEARCH_QUERY = "危废"
# While working on one drill: REHEARSAL_ONLY=pages,drill_d runs only the steps so named.
ONLY = [name for name in os.environ.get("REHEARSAL_ONLY", "").split(",") if name]


def log(message: str) -> None:
    print(f"[rehearsal] {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes


def sh(*args: str, check: bool = True, timeout: float = 600) -> str:
    result = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}"
        )
    return result.stdout


def manage(*args: str, check: bool = True, timeout: float = 600) -> str:
    return sh(PY, "manage.py", *args, check=check, timeout=timeout)


def django(code: str, timeout: float = 600) -> dict:
    """Run code in `manage.py shell` (production settings); it prints one JSON line last."""
    out = manage("shell", "-c", code, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def spawn(name: str, *args: str) -> subprocess.Popen:
    logfile = open(RUN / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
    process = subprocess.Popen(
        args, cwd=ROOT, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
    )
    (RUN / f"{name}.pid").write_text(str(process.pid))
    return process


def start_web() -> subprocess.Popen:
    process = spawn(
        "gunicorn",
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "wfc_platform.wsgi:application",
        "--bind",
        WEB_BIND,
        "--workers",
        os.environ.get("REHEARSAL_WEB_WORKERS", "4"),
        "--no-control-socket",
        "--graceful-timeout",
        "10",
        "--timeout",
        "60",
    )
    wait_for(lambda: get("/healthz").status in (200, 503), 120, "gunicorn behind nginx")
    return process


PROCESSES: dict[str, subprocess.Popen] = {}


def start_worker() -> subprocess.Popen:
    PROCESSES["worker"] = spawn(
        "worker", PY, "manage.py", "task_worker", "--interval", "0.5", "--no-startup-delay"
    )
    return PROCESSES["worker"]


def worker_running() -> subprocess.Popen:
    """The worker, started again if a drill left it dead."""
    worker = PROCESSES.get("worker")
    return worker if worker is not None and worker.poll() is None else start_worker()


def wait_for(condition, seconds: float, what: str, interval: float = 1.0) -> float:
    started = time.monotonic()
    while True:
        try:
            if condition():
                return round(time.monotonic() - started, 1)
        except Exception:  # noqa: BLE001 - keep waiting whatever the probe raises
            pass
        if time.monotonic() - started > seconds:
            raise TimeoutError(f"{what}: not ready after {seconds}s")
        time.sleep(interval)


def cluster(*args: str) -> str:
    return sh("bash", ".ci/opensearch/cluster.sh", *args, timeout=300)


# ---------------------------------------------------------------- HTTP


class Answer:
    def __init__(self, status: int, body: bytes, headers):
        self.status, self.body, self.headers = status, body, headers

    def json(self):
        return json.loads(self.body)


def get(path: str, base: str = NGINX, timeout: float = 30) -> Answer:
    request = urllib.request.Request(base + path, headers={"User-Agent": "wfc-rehearsal"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), error.headers)
    except (OSError, urllib.error.URLError) as error:
        return Answer(0, str(error).encode(), {})


def opensearch(path: str, port: str | None = None) -> dict:
    ports = [port] if port else OPENSEARCH_PORTS
    for p in ports:
        answer = get(path, base=f"http://127.0.0.1:{p}", timeout=10)
        if answer.status == 200:
            return answer.json()
    raise RuntimeError(f"no OpenSearch node answered {path}")


def healthz() -> dict:
    return get("/healthz").json()


# ---------------------------------------------------------------- checks

PAGE_URLS = """
import json
from django.urls import reverse
from cases import models as m
pages = {}
for model in (m.HomePage, m.CityIndexPage, m.CityPage, m.CaseIndexPage, m.CasePage,
              m.TechnologyIndexPage, m.TechnologyPage, m.StandardIndexPage, m.StandardPage,
              m.ArticleIndexPage, m.ArticlePage):
    page = model.objects.live().public().first()
    if page is not None:
        pages[model.__name__] = page.url
city = m.CityPage.objects.live().public().first()
names = {"search": reverse("search") + "?q=%E5%8D%B1%E5%BA%9F",
         "search-api": reverse("search-api") + "?q=%E5%8D%B1%E5%BA%9F",
         "autocomplete": reverse("search-autocomplete") + "?q=wei",
         "sitemap": reverse("sitemap"), "api-docs": reverse("api-docs"),
         "indicators": reverse("indicators:index"), "indicators-statistics": reverse("indicators:statistics"),
         "indicators-map": reverse("indicators:map"), "indicators-compare": reverse("indicators:compare"),
         "cells-register": reverse("standards:register"), "cells-compare": reverse("standards:compare"),
         "board": reverse("matchmaking:board"), "healthz": reverse("operations:healthz")}
if city is not None:
    names["indicators-city"] = reverse("indicators:dashboard", args=[city.slug])
# The self-assessment exists only for a standard with a scorecard (the others answer 404).
standard = next((s for s in m.StandardPage.objects.live().public() if s.dimensions), None)
if standard is not None:
    names["cells-assess"] = reverse("standards:assess", args=[standard.pk])
print(json.dumps({"pages": pages, "named": names}))
"""


def check_pages(urls: dict) -> dict:
    targets = {**urls["pages"], **urls["named"]}
    # Every GET endpoint of the public API without path parameters, from its own schema.
    schema = get("/api/v1/openapi.json").json()
    for path, operations in schema.get("paths", {}).items():
        if "get" in operations and "{" not in path:
            targets[f"api {path}"] = path
    results = {name: get(url).status for name, url in targets.items()}
    failed = {name: (targets[name], status) for name, status in results.items() if status != 200}
    return {"checked": len(results), "failed": failed, "ok": not failed and len(results) > 20}


IMAGE = """
import json
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
Image = get_image_model()
with open("platform/static/icons/icon-512.png", "rb") as f:
    image = Image(title="演练图片（平台图标，演练用）")
    image.file.save("rehearsal-icon.png", ImageFile(f, name="rehearsal-icon.png"), save=False)
    image.save()
rendition = image.get_rendition("fill-120x120|format-webp")
print(json.dumps({"id": image.pk, "original": image.file.url, "rendition": rendition.url}))
"""


def check_image() -> dict:
    stored = django(IMAGE)
    rendition = get(stored["rendition"])
    original = get(stored["original"])
    result = {
        "rendition_url": stored["rendition"],
        "rendition_status": rendition.status,
        "rendition_type": rendition.headers.get("Content-Type"),
        "rendition_bytes": len(rendition.body),
        "rendition_cache": rendition.headers.get("Cache-Control"),
        "original_status": original.status,
    }
    result["ok"] = (
        rendition.status == 200
        and (result["rendition_type"] or "").startswith("image/")
        and rendition.body[:4] == b"RIFF"
    )
    return result


# ---------------------------------------------------------------- drill (a)


def _search_ok() -> tuple[bool, str]:
    answer = get(f"/api/search/?q={urllib.parse.quote(SEARCH_QUERY)}", timeout=60)
    if answer.status != 200:
        return False, f"HTTP {answer.status}"
    engine = answer.json().get("engine")
    return engine == "opensearch", f"engine {engine}"


def _primary_node_number() -> int:
    """The node (1-based, in OPENSEARCH_PORTS order) holding the primary of the exchange index:
    killing it is the harder case. The runner names every node alike, so go by node id."""
    shards = opensearch("/_cat/shards/rehearsal-exchange?format=json&h=prirep,id")
    node_id = next(s["id"] for s in shards if s["prirep"] == "p")
    nodes = opensearch("/_nodes/http")["nodes"]
    full_id = next(i for i in nodes if i.startswith(node_id))
    port = nodes[full_id]["http"]["publish_address"].rsplit(":", 1)[1]
    return OPENSEARCH_PORTS.index(port) + 1


def drill_kill_node(searches: int = 200, threads: int = 4) -> dict:
    victim = _primary_node_number()
    failures: list[str] = []
    done = 0
    lock = threading.Lock()
    killed_at = searches // 4

    def one(_):
        nonlocal done
        ok, why = _search_ok()
        with lock:
            done += 1
            if not ok:
                failures.append(why)
            if done == killed_at:
                cluster("kill-node", str(victim))

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(searches)))
    loop_seconds = round(time.monotonic() - started, 1)
    during = opensearch("/_cluster/health")
    health_after_kill = healthz()["checks"]["search"]
    cluster("start-node", str(victim))
    rejoin_seconds = wait_for(
        lambda: (
            opensearch("/_cluster/health?wait_for_status=green&timeout=5s")["status"] == "green"
        ),
        180,
        "cluster green after the restart",
    )
    nodes = opensearch("/_cluster/health")["number_of_nodes"]
    return {
        "killed_node": victim,
        "killed_primary_holder": True,
        "searches": searches,
        "failed_searches": len(failures),
        "failures": failures[:10],
        "loop_seconds": loop_seconds,
        "status_after_kill": during["status"],
        "active_primaries_after_kill": during["active_primary_shards"],
        "nodes_after_kill": during["number_of_nodes"],
        "healthz_search_after_kill": health_after_kill.get("cluster"),
        "green_after_restart_s": rejoin_seconds,
        "nodes_after_restart": nodes,
        "ok": not failures and during["status"] in ("green", "yellow") and nodes == 3,
    }


# ---------------------------------------------------------------- drill (b)

PUBLISHER = """
import json, sys, time
from cases.models import ArticleIndexPage, ArticlePage
parent = ArticleIndexPage.objects.live().first()
ok = failed = 0
errors = []
for n in range(1, 101):
    try:
        page = ArticlePage(
            title=f"演练发布 {n:03d}（演练数据，非真实内容）",
            slug=f"rehearsal-{n:03d}",
            summary="演练用的示例文章，不是真实内容。",
            section=ArticlePage.Section.OVERVIEW,
        )
        parent.add_child(instance=page)
        page.save_revision().publish()
        ok += 1
    except Exception as error:
        failed += 1
        errors.append(repr(error)[:200])
    print(json.dumps({"n": n, "t": time.time()}), flush=True)
    time.sleep(0.05)
print(json.dumps({"published": ok, "failed": failed, "errors": errors[:5]}), flush=True)
"""

INDEX_STATE = """
import json
from search import documents
from search.engines import server_engine
from search.models import IndexQueueEntry
state = {"expected": sum(1 for _ in documents.all_documents()),
         "queued": IndexQueueEntry.objects.count()}
if ASK_ENGINE:
    state["indexed"] = server_engine().count()
print(json.dumps(state))
"""


def index_state(ask_engine: bool = True) -> dict:
    return django(f"ASK_ENGINE = {ask_engine}\n" + INDEX_STATE)


def _indexed_rehearsal_articles() -> int:
    body = {"query": {"match_phrase": {"title": "演练发布"}}}
    request = urllib.request.Request(
        f"http://127.0.0.1:{OPENSEARCH_PORTS[0]}/rehearsal-exchange/_count",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["count"]


def drill_stop_engine() -> dict:
    publisher = subprocess.Popen(
        [PY, "manage.py", "shell", "-c", PUBLISHER],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stopped_at = None
    last = {}
    healthz_down = None
    for line in publisher.stdout:
        # The shell prints other lines too (start-up output); the publisher's own are objects.
        if not line.startswith("{"):
            continue
        try:
            last = json.loads(line)
        except json.JSONDecodeError:
            continue
        if last.get("n") == 10 and stopped_at is None:
            cluster("stop")
            stopped_at = time.time()
            healthz_down = healthz()
    publisher.wait()
    state_down = index_state(ask_engine=False)
    cluster("start")
    replay_seconds = wait_for(
        lambda: index_state(ask_engine=False)["queued"] == 0,
        240,
        "the worker replaying the queue",
        3,
    )
    state = index_state()
    articles = _indexed_rehearsal_articles()
    search_health = (healthz_down or {}).get("checks", {}).get("search", {})
    return {
        "publishes": last.get("published", 0) + last.get("failed", 0),
        "published_ok": last.get("published", 0),
        "publish_failures": last.get("failed", 0),
        "publish_errors": last.get("errors", []),
        # The engine is stopped once the 10th publish is done and restarted after the 100th.
        "published_while_engine_stopped": 90 if stopped_at else 0,
        "queued_while_down": state_down["queued"],
        "healthz_while_down": {
            "status": (healthz_down or {}).get("status"),
            "search_ok": search_health.get("ok"),
            "search_error": (search_health.get("error") or "")[:120],
        },
        "replay_after_restart_s": replay_seconds,
        "index_count": state["indexed"],
        "published_count": state["expected"],
        "rehearsal_articles_indexed": articles,
        "lost": state["expected"] - state["indexed"],
        "ok": last.get("published") == 100
        and search_health.get("ok") is False
        and (healthz_down or {}).get("status") == "degraded"
        and state["queued"] == 0
        and state["indexed"] == state["expected"]
        and articles == 100,
    }


# ---------------------------------------------------------------- drill (c)


def drill_kill_worker_mid_import() -> dict:
    commands = manage("help", "--commands")
    if "import_job" not in commands.split():
        return {
            "ok": False,
            "error": "import job commands missing (import_content --background, import_job)",
        }
    from_imports = ROOT / ".ci" / "rehearsal_import.py"
    if not from_imports.exists():
        return {
            "ok": False,
            "error": "import job commands present; drill file .ci/rehearsal_import.py missing",
        }
    sys.path.insert(0, str(from_imports.parent))
    import rehearsal_import  # noqa: PLC0415 - the drill lives beside the import contract

    return rehearsal_import.run(manage=manage, start_worker=start_worker, run=RUN)


# ---------------------------------------------------------------- drill (d)


def _load(paths: list[str], stop: threading.Event, record: list) -> None:
    i = 0
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        answer = get(path, timeout=60)
        detail = "" if answer.status == 200 else answer.body[:160].decode(errors="replace")
        record.append((time.time(), answer.status, path, detail))


def drill_restart_postgres(case_url: str, listing_url: str) -> dict:
    worker = worker_running()
    stop = threading.Event()
    record: list[tuple[float, int, str, str]] = []
    threads = [
        threading.Thread(target=_load, args=([case_url, listing_url, "/healthz"], stop, record))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    time.sleep(8)
    down_at = time.time()
    sh("bash", ".ci/postgres.sh", "stop")
    time.sleep(3)
    sh("bash", ".ci/postgres.sh", "start")
    up_at = time.time()
    time.sleep(12)
    stop.set()
    for t in threads:
        t.join()
    errors = [(t, s) for t, s, _, _ in record if s != 200]
    late = [(round(t - up_at, 2), s, p, d) for t, s, p, d in record if t > up_at + 5 and s != 200]
    after = [s for t, s, _, _ in record if t > up_at + 5]
    health = healthz()
    worker_alive = worker.poll() is None
    return {
        "requests": len(record),
        "errors": len(errors),
        "error_statuses": sorted({s for _, s in errors}),
        "outage_s": round(up_at - down_at, 1),
        "requests_after_recovery": len(after),
        "errors_after_recovery": len(late),
        "first_errors_after_recovery": late[:5],
        "healthz_database_ok": health["checks"]["database"]["ok"],
        "web_restarted": False,
        "worker_alive": worker_alive,
        "ok": not late and len(after) > 0 and health["checks"]["database"]["ok"] and worker_alive,
    }


# ---------------------------------------------------------------- drill (e)


def _wrk(path: str, connections: int, seconds: int) -> dict:
    out = sh(
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
        "--latency",
        NGINX + path,
        timeout=seconds + 120,
    )
    figures = {"path": path, "connections": connections, "seconds": seconds}
    match = re.search(r"(\d+) requests in", out)
    figures["requests"] = int(match.group(1)) if match else 0
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    figures["requests_per_s"] = float(match.group(1)) if match else 0.0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = int(match.group(1)) if match else 0
    match = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["socket_errors"] = sum(map(int, match.groups())) if match else 0
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        if match:
            value, unit = float(match.group(1)), match.group(2)
            figures[f"p{pct}_ms"] = round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)
    figures["errors"] = figures["non_2xx"] + figures["socket_errors"]
    return figures


def drill_load(paths: list[str]) -> dict:
    with ThreadPoolExecutor(len(paths)) as pool:
        runs = list(pool.map(lambda p: _wrk(p, LOAD_CONNECTIONS, LOAD_SECONDS), paths))
    errors = sum(r["errors"] for r in runs)
    return {
        "concurrent": True,
        "runs": runs,
        "errors": errors,
        "ok": errors == 0 and all(r["requests"] > 0 for r in runs),
    }


# ---------------------------------------------------------------- main


def main() -> int:
    started = time.monotonic()
    report: dict = {"setup_s": int(os.environ.get("REHEARSAL_SETUP_SECONDS", "0"))}
    criteria: dict[str, bool] = {}

    def step(name: str, function, *args):
        if ONLY and not any(name.startswith(prefix) for prefix in ONLY):
            log(f"{name}: skipped (REHEARSAL_ONLY)")
            return {}
        log(f"{name} …")
        t0 = time.monotonic()
        try:
            result = function(*args)
        except Exception as error:  # noqa: BLE001 - a failed step is a figure, not a crash
            result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:1000]}
        result["seconds"] = round(time.monotonic() - t0, 1)
        report[name] = result
        criteria[name] = bool(result.get("ok"))
        log(f"{name}: {'ok' if criteria[name] else 'FAILED'} ({result['seconds']}s)")
        log(json.dumps(result, ensure_ascii=False)[:2000])
        return result

    web = start_web()
    start_worker()
    try:
        try:
            urls = django(PAGE_URLS)
        except Exception as error:  # noqa: BLE001 - reported; the page checks then fail
            urls = {"pages": {}, "named": {}}
            report["page_urls_error"] = f"{type(error).__name__}: {error}"[:1000]
        step("pages", check_pages, urls)
        step("image", check_image)
        step("drill_a_kill_opensearch_node", drill_kill_node)
        step("drill_b_stop_engine_during_publishes", drill_stop_engine)
        worker_running()
        step("drill_c_kill_worker_mid_import", drill_kill_worker_mid_import)
        worker_running()
        case_url = urls["pages"].get("CasePage", "/")
        listing_url = urls["pages"].get("CaseIndexPage", "/")
        step("drill_d_restart_postgresql", drill_restart_postgres, case_url, listing_url)
        search_url = f"/search/?q={urllib.parse.quote(SEARCH_QUERY)}"
        step("drill_e_load", drill_load, [case_url, listing_url, search_url])
        report["web_alive_at_end"] = web.poll() is None
        criteria["web_alive_at_end"] = report["web_alive_at_end"]
    except Exception as error:  # noqa: BLE001 - the figures so far are still written
        report["crashed"] = f"{type(error).__name__}: {error}"[:1000]
        criteria["crashed"] = False
    finally:
        for process in (PROCESSES.get("worker"), web):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
    report["total_s"] = round(time.monotonic() - started + report["setup_s"], 1)
    report["load_average"] = os.getloadavg()
    report["failed_criteria"] = [name for name, ok in criteria.items() if not ok]
    report["ok"] = not report["failed_criteria"]
    document = json.dumps(report, ensure_ascii=False, indent=2)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "rehearsal.json").write_text(document + "\n", encoding="utf-8")
    print(document)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

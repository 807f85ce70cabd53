"""Two real processes share one vocabulary: an import (a `manage.py import_content`
subprocess) adds a case with a new tag; a running site (gunicorn with two workers, another
process) understands the new word without a restart: it finds the case and corrects a one-
character slip to the new tag, which only a vocabulary that knows the tag can do. Unpublishing
the case (a third process) takes the word away again.

The site runs on its own SQLite database and the embedded engine (the default `make run`
serves); the shared stamps live in its database cache.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TAG = "鹦鹉螺压滤法"
SLIP = "鹦鹉螺压虑法"  # one character off (and a homophone)
PREPARE = "from cases import seeding; seeding.load_taxonomy(); seeding.ensure_site_tree(); seeding.load_cities()"
UNPUBLISH = "from cases.models import CasePage; CasePage.objects.get(external_id='two-process-1').unpublish()"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site():
    workdir = tempfile.mkdtemp(prefix="wfc-two-processes-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.dev",
        "DATA_DIR": workdir,
        "DATABASE_URL": f"sqlite:///{workdir}/site.sqlite3",
        "SEARCH_URL": "",
        "EMAIL_URL": "console://",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )

    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("shell", "-c", PREPARE)
    port = _free_port()
    log = open(Path(workdir) / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wfc_platform.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/api/search/?q=hw18", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((Path(workdir) / "server.log").read_text()[-3000:]) from None
            time.sleep(0.5)
    yield base, manage, workdir
    server.terminate()
    server.wait(timeout=20)
    log.close()


def _search(base, q):
    url = f"{base}/api/search/?{urllib.parse.urlencode({'q': q})}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _every_worker_agrees(base, check, seconds=15):
    """`check` holds for many requests in a row (spread over both workers) within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        if all(check(_search(base, SLIP)) for _ in range(8)):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def test_an_import_in_another_process_reaches_the_running_site(site):
    base, manage, workdir = site
    # Every worker has built its vocabulary before the import.
    for _ in range(6):
        assert "corrected" not in _search(base, SLIP)
    record = {
        "type": "case",
        "external_id": "two-process-1",
        "title": "绍兴市污泥深度脱水试点",
        "city": "绍兴市",
        "waste_categories": ["工业固体废物"],
        "governance_model": "工业固体废物治理模式",
        "tags": [TAG],
        "summary": "示例（测试用）：一条由导入命令新增的经验。",
        "body": "示例正文。",
        "published": "2021-03-06",
    }
    path = Path(workdir) / "import.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    manage("import_content", str(path), "--publish")

    found = _search(base, TAG)
    assert [r["title"] for r in found["results"]][:1] == [record["title"]]
    assert _every_worker_agrees(base, lambda body: body.get("corrected") == TAG)

    manage("shell", "-c", UNPUBLISH)
    assert _every_worker_agrees(base, lambda body: "corrected" not in body)
    assert _search(base, TAG)["total"] == 0

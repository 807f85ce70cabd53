"""A publish in one process (a `manage.py shell` subprocess) shows on the very next request to a
running gunicorn (two workers, other processes) that had the page cached: the exact stamp lives in
the shared database cache, so no worker serves the old entry.

The site runs on its own SQLite database with the embedded engine (as `make run` serves).
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREPARE = "from cases import seeding; seeding.load_taxonomy(); seeding.ensure_site_tree(); seeding.load_cities()"
URL_OF = "from cases.models import CityPage; print(CityPage.objects.order_by('pk').first().url)"
RETITLE = (
    "from cases.models import CityPage; p = CityPage.objects.order_by('pk').first(); "
    "p.title = '两进程缓存测试新标题'; p.save_revision().publish()"
)


@pytest.fixture(scope="module")
def site():
    workdir = tempfile.mkdtemp(prefix="wfc-pagecache-two-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.dev",
        "DATA_DIR": workdir,
        "DATABASE_URL": f"sqlite:///{workdir}/site.sqlite3",
        "SEARCH_URL": "",
        "REDIS_URL": "",
    }

    def manage(*args):
        run = [sys.executable, str(ROOT / "manage.py"), *args]
        return subprocess.run(run, env=env, cwd=ROOT, check=True, capture_output=True, text=True)

    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("shell", "-c", PREPARE)
    with open(Path(workdir) / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "wfc_platform.wsgi", "--workers", "2"]
            + ["--bind", "127.0.0.1:0", "--no-control-socket"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = _wait_for_address(Path(workdir) / "server.log", server)
            yield base, manage
        finally:
            server.terminate()
            server.wait(timeout=20)


def _wait_for_address(log: Path, server) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        for line in log.read_text().splitlines():
            if "Listening at: " in line:
                base = line.split("Listening at: ")[1].split()[0]
                try:
                    urllib.request.urlopen(base + "/", timeout=10)
                    return base
                except OSError:
                    pass
        time.sleep(0.5)
    raise RuntimeError(log.read_text()[-3000:])


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("X-Cache"), response.read().decode()


def test_a_publish_in_another_process_shows_on_the_next_request(site):
    base, manage = site
    url = base + manage("shell", "-c", URL_OF).stdout.strip().splitlines()[-1]
    states = {_get(url)[0] for _ in range(8)}  # both workers answer, from the cache
    assert "hit" in states
    manage("shell", "-c", RETITLE)
    for _ in range(8):
        state, body = _get(url)
        assert "两进程缓存测试新标题" in body
        assert state in ("miss", "hit")

"""A served copy of the site for benchmarks and Lighthouse: a fresh DATA_DIR with its own SQLite
database, seeded like `make run` (migrate, cache tables, fixtures, indicators, static files), and
gunicorn with the embedded settings (DEBUG off, WhiteNoise), stopped and removed on exit.

    with served_site(workers=2) as base:   # "http://127.0.0.1:PORT"
        ...
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_env(folder: Path, root: Path = HERE) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.embedded",
        "DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder}/site.sqlite3",
        "SEARCH_URL": "",
        "REDIS_URL": "",
        "API_RATE_LIMIT": "",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    if root != HERE:
        # The editable install maps `wfc_platform` to this checkout: point it at the other one.
        shim = folder / "shim"
        shim.mkdir(exist_ok=True)
        (shim / "wfc_platform").symlink_to(root / "platform")
        env["PYTHONPATH"] = f"{root}{os.pathsep}{shim}"
    return env


def _prepare(root: Path, env: dict) -> None:
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["load_fixtures"],
        ["load_indicators"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=root, env=env, check=True, capture_output=True
        )


@contextlib.contextmanager
def served_site(*, workers: int = 2, root: Path = HERE):
    root = Path(root).resolve()
    folder = Path(tempfile.mkdtemp(prefix="wfc-served-"))
    env = site_env(folder, root)
    _prepare(root, env)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wfc_platform.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--no-control-socket"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=10)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((folder / "server.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)

"""A real gunicorn serving a copy of the seeded test database, for tests that need several
processes writing at once (what `make run` serves: the embedded settings, several workers).

The copy is made from the test database itself, so it costs no second migrate + seed:
SQLite's online backup of the in-memory database into a file, or PostgreSQL's CREATE DATABASE …
TEMPLATE. `ServedSite.scalar(sql)` reads the copy directly (the test's own connection sees the
test database, not the copy).
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, connections

REPO = Path(__file__).resolve().parents[2]


@dataclass
class ServedSite:
    base: str
    database_url: str
    vendor: str
    workdir: Path

    def scalar(self, sql: str, params=()):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.workdir / "db.sqlite3") as db:
                return db.execute(sql.replace("%s", "?"), params).fetchone()[0]
        import psycopg

        with psycopg.connect(self.database_url) as db:
            return db.execute(sql, params).fetchone()[0]

    def log(self) -> str:
        return (self.workdir / "server.log").read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_database(workdir: Path) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(workdir / "db.sqlite3")
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{workdir}/db.sqlite3"
    import psycopg

    source = connection.settings_dict["NAME"]
    copy = f"{source}_served"
    params = connection.get_connection_params()
    connections.close_all()
    admin = {**params, "dbname": "postgres", "autocommit": True}
    admin.pop("cursor_factory", None)
    admin.pop("context", None)
    with psycopg.connect(**admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    user = params.get("user") or "postgres"
    password = f":{params['password']}" if params.get("password") else ""
    return f"postgres://{user}{password}@{params['host']}:{params['port']}/{copy}"


def _drop_copy(database_url: str):
    if not database_url.startswith("postgres"):
        return
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def served_site(django_db_setup, django_db_blocker, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("served")
    with django_db_blocker.unblock():
        vendor = connection.vendor
        database_url = _copy_database(workdir)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.embedded",
        "DATA_DIR": str(workdir),
        "DATABASE_URL": database_url,
        "SEARCH_URL": "",
        "EMAIL_URL": "console://",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    port = _free_port()
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wfc_platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--no-control-socket",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/matchmaking/board/", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((workdir / "server.log").read_text()[-3000:]) from None
            time.sleep(0.5)
    yield ServedSite(base=base, database_url=database_url, vendor=vendor, workdir=workdir)
    server.terminate()
    server.wait(timeout=20)
    log.close()
    _drop_copy(database_url)

"""The embedded server (`make run`: gunicorn, embedded settings) for real.

50 visitors submit an inquiry at the same moment to a gunicorn with four workers: every one
is accepted and stored (SQLite: WAL + busy timeout + IMMEDIATE transactions; PostgreSQL as is).
Before the SQLite options, 3 of 50 were stored and 47 answered 500 "database is locked"."""

import secrets
from pathlib import Path

import pytest

from bench.concurrent_inquiries import inquiry_fields, submit_concurrently

REPO = Path(__file__).resolve().parents[2]

# The served copy is made from the test database, so the test database must be set up.
pytestmark = pytest.mark.django_db


def _ids(site):
    case = site.scalar(
        "SELECT p.id FROM wagtailcore_page p JOIN cases_casepage c ON c.page_ptr_id = p.id "
        "WHERE p.live ORDER BY p.path LIMIT 1"
    )
    region = site.scalar("SELECT id FROM cases_region WHERE code = %s", ("442000",))
    waste = site.scalar("SELECT id FROM cases_wastecategory WHERE slug = %s", ("hw17",))
    return case, region, waste


def test_50_simultaneous_inquiries_are_all_accepted_and_stored(served_site):
    case, region, waste = _ids(served_site)
    marker = secrets.token_hex(6)
    report = submit_concurrently(
        served_site.base,
        f"/matchmaking/inquiry/{case}/",
        inquiry_fields(marker, region, waste),
        n=50,
    )
    stored = served_site.scalar(
        "SELECT COUNT(*) FROM matchmaking_inquiry WHERE message LIKE %s", (f"%{marker}%",)
    )
    assert (report["accepted"], report["errors"], stored) == (50, 0, 50), (
        report,
        served_site.log()[-3000:],
    )
    assert "database is locked" not in served_site.log()


def test_the_embedded_server_serves_images_and_static_but_no_document_files(served_site):
    import urllib.error
    import urllib.request

    for folder, name in (("original_images", "probe.png"), ("documents", "evidence.pdf")):
        path = served_site.workdir / "media" / folder
        path.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(b"probe")
    image = urllib.request.urlopen(f"{served_site.base}/media/original_images/probe.png")
    assert image.status == 200 and image.read() == b"probe"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{served_site.base}/media/documents/evidence.pdf")
    assert refused.value.code == 404
    home = urllib.request.urlopen(served_site.base + "/").read().decode()
    stylesheet = home.split('href="/static/css/', 1)[1].split('"', 1)[0]
    css = urllib.request.urlopen(f"{served_site.base}/static/css/{stylesheet}")
    assert "immutable" in css.headers["Cache-Control"]


# ---------------------------------------------------------------------------------------------
# nginx in front (.ci/nginx.sh, Debian's nginx), proxying to the same gunicorn.


@pytest.fixture(scope="module")
def nginx_front(served_site):
    import os
    import shutil
    import socket
    import subprocess

    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "NGINX_DIR": str(served_site.workdir / "nginx"),
        "NGINX_PORT": str(port),
        "NGINX_UPSTREAM": served_site.base.removeprefix("http://"),
        "NGINX_STATIC_ROOT": str(served_site.workdir / "static"),
        "NGINX_MEDIA_ROOT": str(served_site.workdir / "media"),
    }
    script = str(REPO / ".ci" / "nginx.sh")
    subprocess.run(["bash", script, "start"], env=env, check=True, capture_output=True)
    yield f"http://127.0.0.1:{port}"
    subprocess.run(["bash", script, "stop"], env=env, check=False, capture_output=True)


def _get(url, **headers):
    import urllib.request

    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)


def test_nginx_serves_static_compressed_with_a_long_cache(served_site, nginx_front):
    home = _get(nginx_front + "/").read().decode()
    stylesheet = home.split('href="/static/css/', 1)[1].split('"', 1)[0]
    css = _get(f"{nginx_front}/static/css/{stylesheet}", **{"Accept-Encoding": "gzip"})
    assert css.headers["Server"] == "nginx"
    assert css.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in css.headers.get_all("Cache-Control")[0]
    assert "immutable" in ",".join(css.headers.get_all("Cache-Control"))


def test_nginx_serves_images_but_not_document_files(served_site, nginx_front):
    import urllib.error

    folder = served_site.workdir / "media" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rendition.png").write_bytes(b"rendition")
    (served_site.workdir / "media" / "documents").mkdir(parents=True, exist_ok=True)
    (served_site.workdir / "media" / "documents" / "evidence.pdf").write_bytes(b"secret")
    image = _get(nginx_front + "/media/images/rendition.png")
    assert image.read() == b"rendition" and "max-age=2592000" in image.headers["Cache-Control"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(nginx_front + "/media/documents/evidence.pdf")
    assert refused.value.code == 404


def test_nginx_proxies_pages_with_request_ids_and_limits_bodies(served_site, nginx_front):
    import urllib.error
    import urllib.request

    page = _get(nginx_front + "/matchmaking/board/")
    assert page.status == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert len(page.headers["X-Request-ID"]) == 32  # nginx's $request_id, passed to Django
    big = urllib.request.Request(
        nginx_front + "/matchmaking/board/new/", data=b"x" * (3 * 1024 * 1024), method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(big, timeout=30)
    assert refused.value.code == 413

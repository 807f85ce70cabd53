"""The embedded server (`make run`: gunicorn, embedded settings) for real.

50 visitors submit an inquiry at the same moment to a gunicorn with four workers: every one
is accepted and stored (SQLite: WAL + busy timeout + IMMEDIATE transactions; PostgreSQL as is).
Before the SQLite options, 3 of 50 were stored and 47 answered 500 "database is locked"."""

import secrets

import pytest

from bench.concurrent_inquiries import inquiry_fields, submit_concurrently

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

"""50 visitors submit an inquiry at the same moment to a gunicorn with four workers: every one
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

"""The register's figures are cached under a shared stamp: a repeated request does no counting,
and every kind of change (a saved cell, a bulk import, the expiry run, a deletion) shows at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards import register_import, services
from standards.factories import make_cell
from standards.models import Cell

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered_every_time(settings):
    # These tests read the view's context, which a page-cache hit does not have; the page
    # cache's own tests cover what it serves.
    settings.PAGE_CACHE_ENABLED = False


def _figures(client, params=None):
    response = client.get(reverse("standards:register"), params or {})
    assert response.status_code == 200
    context = response.context
    return (
        context["page_obj"].paginator.count,
        {r["city"]: r["count"] for r in context["by_city"]},
        {r["cell_type"]: r["count"] for r in context["by_type"]},
    )


def _counting_queries(client, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("standards:register"), params or {})
    return [
        q["sql"]
        for q in queries.captured_queries
        if "wfc_cache" not in q["sql"] and ("COUNT(" in q["sql"].upper())
    ]


def test_a_repeated_request_does_no_counting(client, shaoxing):
    for _ in range(3):
        make_cell(city=shaoxing)
    assert _counting_queries(client, {"cell_type": "school"})
    assert _counting_queries(client, {"cell_type": "school"}) == []
    # Another page of the same filters uses the same figures.
    assert _counting_queries(client, {"cell_type": "school", "page": "2"}) == []


def test_every_change_shows_at_once(client, shaoxing, shenzhen):
    make_cell(city=shaoxing, cell_type="school")
    before = _figures(client)
    cell = make_cell(city=shenzhen, cell_type="hospital")
    after_save = _figures(client)
    assert after_save[0] == before[0] + 1
    assert after_save[2].get("hospital", 0) == before[2].get("hospital", 0) + 1

    rows = [
        (
            2,
            {
                "certificate_number": "CACHE-0001",
                "name": "缓存测试学校",
                "cell_type": "school",
                "city": shaoxing.title,
                "recognised_on": "2024-05-01",
                "expires_on": "2027-05-01",
            },
        )
    ]
    report = register_import.import_rows(rows)
    assert report.created == 1, report.errors
    assert _figures(client)[0] == after_save[0] + 1

    cell.delete()
    assert _figures(client)[0] == after_save[0]


def test_the_expiry_run_moves_the_status_counts(client, shaoxing):
    make_cell(
        city=shaoxing,
        recognised_on=datetime.date(2018, 1, 1),
        expires_on=datetime.date(2021, 1, 1),
    )
    expired_before = _figures(client, {"status": "expired"})[0]
    assert services.flag_expired() >= 1
    assert _figures(client, {"status": "expired"})[0] > expired_before
    assert (
        _figures(client, {"status": "expired"})[0] == Cell.objects.filter(status="expired").count()
    )

"""HTTP behaviour of the API: conditional GET (ETag, Last-Modified → 304), CORS for GET, the
per-address rate limit."""

import pytest

from cases.models import CasePage, CityPage, WasteCategory

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/cases/?waste=hazardous",
    "/api/v1/technologies/",
    "/api/v1/standards/",
    "/api/v1/cities/",
    "/api/v1/articles/",
    "/api/v1/waste-categories/",
    "/api/v1/regions/440000/",
]


@pytest.mark.parametrize("path", PATHS)
def test_conditional_get_answers_304(client, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    not_modified = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_publication_changes_the_validators(client):
    case = CasePage.objects.live().public().filter(waste_categories__slug="hazardous").first()
    path = "/api/v1/cases/?waste=hazardous"
    before = client.get(path)
    detail = client.get(f"/api/v1/cases/{case.id}/")
    case.summary = "新的摘要"
    case.save_revision().publish()
    after = client.get(path, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    changed = client.get(f"/api/v1/cases/{case.id}/", HTTP_IF_NONE_MATCH=detail["ETag"])
    assert changed.status_code == 200 and changed.json()["summary"] == "新的摘要"


def test_unpublishing_moves_last_modified(client):
    path = "/api/v1/cases/?waste=hazardous"
    before = client.get(path)
    case = CasePage.objects.live().public().filter(waste_categories__slug="hazardous").first()
    case.unpublish(log_action=True)
    # The log entry of the unpublication is newer than any remaining page's date.
    after = client.get(path, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT")
    assert after.status_code == 200 and after.json()["count"] == before.json()["count"] - 1


def test_a_taxonomy_rename_changes_the_etag(client):
    path = "/api/v1/waste-categories/hazardous/"
    before = client.get(path)
    # As the admin does it: a save (its signal bumps the public-content stamp of the page cache).
    category = WasteCategory.objects.get(slug="hazardous")
    category.name_en = "Hazardous waste (renamed)"
    category.save()
    after = client.get(path, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200


def test_cors_allows_any_origin_to_read(client):
    response = client.get("/api/v1/cases/", HTTP_ORIGIN="https://partner.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/cases/",
        HTTP_ORIGIN="https://partner.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    # The search API is covered too; the rest of the site is not.
    assert client.get("/api/search/", HTTP_ORIGIN="https://x.org")["Access-Control-Allow-Origin"]
    city = CityPage.objects.live().first()
    assert "Access-Control-Allow-Origin" not in client.get(city.url, HTTP_ORIGIN="https://x.org")


def test_rate_limit_per_address(client, settings):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/v1/batches/", REMOTE_ADDR="10.0.0.1").status_code == 200
    limited = client.get("/api/v1/batches/", REMOTE_ADDR="10.0.0.1")
    assert limited.status_code == 429
    assert limited.json()["error"] and int(limited["Retry-After"]) > 0
    # Another address has its own allowance; a forged X-Forwarded-For does not give one.
    assert client.get("/api/v1/batches/", REMOTE_ADDR="10.0.0.2").status_code == 200
    forged = client.get("/api/v1/batches/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert forged.status_code == 429


def test_rate_limit_keys_hold_no_addresses(client, settings):
    from django.db import connection

    settings.API_RATE_LIMIT = "100/m"
    client.get("/api/v1/batches/", REMOTE_ADDR="10.9.8.7")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM wfc_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and not any("10.9.8.7" in key for key in keys)


@pytest.mark.parametrize(
    "path",
    [
        *PATHS,
        "/api/v1/openapi.json",
        "/api/v1/indicator-values/",
        "/api/v1/cells/",
        "/api/v1/downloads/cases/?format=xlsx",
        "/api/search/?q=危废",
        "/api/search/autocomplete/?q=危",
    ],
)
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200, path
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    if "ETag" in get:
        assert head["ETag"] == get["ETag"]

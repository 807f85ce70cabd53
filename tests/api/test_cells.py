"""The cell register in the API and its downloads: the register page's filters give the page's
rows in the page's order, public fields only (never the application's contact data), 304 on
conditional GET, and the CSV round-trip."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from cases.models import CityPage
from standards import services
from standards.factories import make_cell, make_standard
from standards.models import Application

pytestmark = pytest.mark.django_db

PATH = "/api/v1/cells/"
PUBLIC_FIELDS = {
    "id",
    "certificate_number",
    "name",
    "cell_type",
    "cell_type_label",
    "city",
    "district",
    "standard_id",
    "standard_title",
    "standard_version",
    "score",
    "recognised_on",
    "expires_on",
    "status",
    "status_label",
}
CONTACT = {"name": "王联系人", "phone": "13900001234", "email": "contact-secret@example.cn"}


@pytest.fixture
def cells(db):
    shaoxing = CityPage.objects.get(slug="shaoxing")
    shenzhen = CityPage.objects.get(slug="shenzhen")
    standard = make_standard()
    application = Application.objects.create(
        standard=standard,
        city=shaoxing,
        unit_name="申报学校",
        contact_name=CONTACT["name"],
        contact_phone=CONTACT["phone"],
        contact_email=CONTACT["email"],
        address="保密路 1 号",
    )
    made = []
    for n in range(8):
        made.append(
            make_cell(
                city=shaoxing if n % 2 else shenzhen,
                cell_type=["school", "community", "hospital"][n % 3],
                standard=standard if n % 4 == 0 else None,
                standard_title=standard.title if n % 4 == 0 else "外部标准",
                recognised_on=datetime.date(2023 + n % 2, 3, 1 + n),
                application=application if n == 0 else None,
            )
        )
    services.revoke(made[2], "复查发现问题（内部原因）")
    return {"cells": made, "shaoxing": shaoxing, "standard": standard}


def _page_certificates(client, params) -> list[str]:
    """Certificate numbers in the register page's own table (the page's order)."""
    response = client.get(reverse("standards:register"), params)
    assert response.status_code == 200
    numbers = []
    for page in response.context["page_obj"].paginator.page_range:
        listed = client.get(reverse("standards:register"), {**params, "page": page})
        numbers += [c.certificate_number for c in listed.context["page_obj"]]
    return numbers


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"cell_type": "school"},
        {"status": "revoked"},
        {"year": 2024},
        {"city": "SHAOXING"},
        {"standard": "STANDARD"},
        {"city": "SHAOXING", "cell_type": "hospital", "status": "valid"},
    ],
)
def test_filters_give_the_register_pages_rows_in_its_order(client, api_results, cells, params):
    params = {
        key: {"SHAOXING": cells["shaoxing"].pk, "STANDARD": cells["standard"].pk}.get(v, v)
        for key, v in params.items()
    }
    api = [r["certificate_number"] for r in api_results(PATH, params)]
    assert api == _page_certificates(client, params)


def test_public_fields_only(client, api_results, cells):
    results = api_results(PATH)
    assert all(set(r) == PUBLIC_FIELDS for r in results)
    raw = client.get(PATH, {"page_size": 100}).content.decode()
    detail = client.get(f"{PATH}{cells['cells'][0].pk}/").content.decode()
    download = client.get("/api/v1/downloads/cells/", {"format": "json"}).content.decode()
    for text in (raw, detail, download):
        for secret in (*CONTACT.values(), "保密路", "内部原因"):
            assert secret not in text


def test_detail_by_stable_id(client, cells):
    cell = cells["cells"][3]
    body = client.get(f"{PATH}{cell.pk}/").json()
    assert body["certificate_number"] == cell.certificate_number
    assert body["city"] == {"id": cell.city_id, "title": cell.city.title}
    assert client.get(f"{PATH}99999999/").status_code == 404


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"cell_type": "nope"}, "cell_type"),
        ({"status": "x"}, "status"),
        ({"year": "abc"}, "year"),
        ({"city": "99999999"}, "city"),
        ({"q": "测试"}, "q"),
    ],
)
def test_bad_parameters_are_400(client, cells, params, parameter):
    response = client.get(PATH, params)
    assert response.status_code == 400 and response.json()["parameter"] == parameter


def test_conditional_get_answers_304_and_a_change_moves_the_etag(client, cells):
    first = client.get(PATH)
    assert "Last-Modified" not in first  # cells have no dates: the ETag alone validates
    assert client.get(PATH, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.revoke(cells["cells"][1], "到期未复评")
    assert client.get(PATH, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_csv_round_trips_to_the_api_rows(client, api_results, cells):
    params = {"city": cells["shaoxing"].pk}
    response = client.get("/api/v1/downloads/cells/", params)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    api = api_results(PATH, params)
    assert len(rows) == len(api) > 0
    for row, item in zip(rows, api, strict=True):
        assert int(row["id"]) == item["id"]
        assert row["certificate_number"] == item["certificate_number"]
        assert row["name"] == item["name"] and row["city"] == item["city"]["title"]
        assert row["cell_type"] == item["cell_type"] and row["status"] == item["status"]
        assert row["recognised_on"] == item["recognised_on"]
        assert row["expires_on"] == (item["expires_on"] or "")
        assert row["standard_title"] == item["standard_title"]


def test_head_answers_like_get_without_a_body(client, cells):
    for path in (PATH, f"{PATH}{cells['cells'][0].pk}/", "/api/v1/downloads/cells/"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200
        assert head.content == b"" and head["ETag"] == get["ETag"]
        assert head["Content-Type"] == get["Content-Type"]

"""Indicator values in the API and its downloads: approved values of public cities only, the
comparison page's filters and the dashboard's city giving the same rows as those pages, 304 on
conditional GET, and the CSV round-trip."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cases.models import CityPage
from indicators.factories import IndicatorFactory, IndicatorValueFactory
from indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db

PATH = "/api/v1/indicator-values/"


def _num(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def reported(db):
    """Two indicators over three cities and three years; a draft, a submitted value and the
    approved values of a private city that must never show."""
    rate = IndicatorFactory(name="测试综合利用率", unit="%")
    amount = IndicatorFactory(name="测试产生量", unit="万吨")
    cities = {
        slug: CityPage.objects.get(slug=slug) for slug in ("shaoxing", "shenzhen", "chongqing")
    }
    for n, city in enumerate(cities.values()):
        for year in (2021, 2022, 2023):
            IndicatorValueFactory(
                city=city, indicator=rate, year=year, value=60 + n * 5 + year % 10
            )
            IndicatorValueFactory(city=city, indicator=amount, year=year, value=100 + n)
    IndicatorValueFactory(
        city=cities["shaoxing"], indicator=rate, year=2024, value=1, status="draft"
    )
    IndicatorValueFactory(
        city=cities["shenzhen"], indicator=rate, year=2024, value=2, status="submitted"
    )
    private = CityPage.objects.live().exclude(slug__in=list(cities)).order_by("path").first()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    IndicatorValueFactory(city=private, indicator=rate, year=2022, value=3)
    return {"rate": rate, "amount": amount, "cities": cities, "private": private}


def test_only_approved_values_of_public_cities(api_results, reported):
    results = api_results(PATH)
    approved = IndicatorValue.objects.filter(status="approved").exclude(city=reported["private"])
    assert sorted(r["id"] for r in results) == sorted(approved.values_list("pk", flat=True))
    assert not [r for r in results if r["city"]["id"] == reported["private"].pk]
    assert not [r for r in results if Decimal(str(r["value"])) in (1, 2, 3)]


@pytest.mark.parametrize(
    "filters",
    [
        {"year": 2022},
        {"year": 2023, "tier": "东部"},
        {"year": 2022, "cluster": "长三角"},
        {"year": 2021, "batch": "2019-11plus5"},
        {"year": 2022, "tier": "西部", "cluster": "成渝"},
    ],
)
def test_comparison_filters_give_the_comparison_pages_rows(client, api_results, reported, filters):
    for indicator in (reported["rate"], reported["amount"]):
        params = {"indicator": indicator.code, **filters}
        page = _csv(client.get(reverse("indicators:compare_csv"), params))[1:]
        api = api_results(PATH, params)
        assert sorted((r[0], int(r[3]), r[4]) for r in page) == sorted(
            (r["city"]["title"], r["year"], _num(r["value"])) for r in api
        )
        assert all(r["indicator"]["code"] == indicator.code for r in api)


def test_a_city_gives_the_dashboards_rows(client, api_results, reported):
    city = reported["cities"]["shenzhen"]
    page = _csv(client.get(reverse("indicators:dashboard_csv", args=[city.slug])))[1:]
    api = api_results(PATH, {"city": city.pk})
    assert sorted((r[0], int(r[3]), r[4]) for r in page) == sorted(
        (r["indicator"]["code"], r["year"], _num(r["value"])) for r in api
    )


def test_detail_and_hidden_values(client, reported):
    value = IndicatorValue.objects.filter(status="approved").exclude(city=reported["private"])[0]
    body = client.get(f"{PATH}{value.pk}/").json()
    assert body["id"] == value.pk and body["indicator"]["code"] == value.indicator.code
    hidden = IndicatorValue.objects.exclude(status="approved") | IndicatorValue.objects.filter(
        city=reported["private"]
    )
    assert hidden.count() == 3
    for value in hidden:
        assert client.get(f"{PATH}{value.pk}/").status_code == 404


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"indicator": "NOPE"}, "indicator"),
        ({"tier": "南部"}, "tier"),
        ({"batch": "x"}, "batch"),
        ({"city": "999999"}, "city"),
        ({"sort": "value"}, "sort"),
    ],
)
def test_bad_parameters_are_400(client, reported, params, parameter):
    response = client.get(PATH, params)
    assert response.status_code == 400 and response.json()["parameter"] == parameter


def test_conditional_get_and_a_change_moves_the_validators(client, reported):
    params = {"indicator": reported["rate"].code}
    first = client.get(PATH, params)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(PATH, params, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(PATH, params, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    value = IndicatorValue.objects.get(status="submitted")
    value.status = IndicatorValue.Status.APPROVED
    value.save()
    after = client.get(PATH, params, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag


def test_csv_round_trips_to_the_api_rows(client, api_results, reported):
    params = {"indicator": reported["rate"].code, "tier": "东部"}
    rows = _csv(client.get("/api/v1/downloads/indicator-values/", params))
    header, rows = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header[:3] == ["id", "indicator_code", "indicator"]
    api = api_results(PATH, params)
    assert len(rows) == len(api) > 0
    for row, item in zip(rows, api, strict=True):
        assert int(row["id"]) == item["id"]
        assert row["indicator_code"] == item["indicator"]["code"]
        assert row["city"] == item["city"]["title"] and int(row["city_id"]) == item["city"]["id"]
        assert int(row["year"]) == item["year"]
        assert _num(row["value"]) == _num(item["value"])
        assert row["source"] == item["source"]


def test_json_and_xlsx_downloads_hold_the_same_rows(client, api_results, reported):
    params = {"year": 2022}
    api = api_results(PATH, params)
    body = client.get("/api/v1/downloads/indicator-values/", {**params, "format": "json"}).json()
    assert [r["id"] for r in body["results"]] == [r["id"] for r in api]
    from openpyxl import load_workbook

    response = client.get("/api/v1/downloads/indicator-values/", {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["指标数值"]
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [int(i) for i in ids] == [r["id"] for r in api]

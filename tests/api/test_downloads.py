"""Downloads: CSV, JSON and XLSX hold the API's rows for the listing page's filters, with the
licence and citation statement edited in the admin."""

import csv
import io

import pytest
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction, Site

from api.models import OpenDataSettings
from api.resources import cases as case_resource
from cases.factories import CasePageFactory
from cases.models import CityPage, WasteCategory

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"waste": "hazardous"},
    {"region": "东部", "waste": "hazardous"},
    {"batch": "2019-11plus5"},
]


def _csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("params", FILTERS)
def test_case_csv_round_trips_to_the_api_rows(client, api_results, params):
    response = client.get("/api/v1/downloads/cases/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    api = api_results("/api/v1/cases/", params)
    assert len(rows) == len(api)
    for row, item in zip(rows, api, strict=True):
        assert int(row["id"]) == item["id"]
        assert row["title"] == item["title"] and row["url"] == item["url"]
        assert row["summary"] == item["summary"]
        assert row["city"] == (item["city"]["title"] if item["city"] else "")
        assert row["waste_categories"].split("；") == [w["slug"] for w in item["waste_categories"]]
        assert (row["tags"].split("；") if row["tags"] else []) == item["tags"]
        assert row["published"] == (item["published"] or "")
        assert row["governance_model"] == (item["governance_model"] or {}).get("slug", "")
        assert row["last_published_at"] == item["last_published_at"]


def test_every_column_comes_from_the_api_item(client, api_results):
    """The flat row is exactly the dataset's columns applied to the API item."""
    rows = _csv_rows(client.get("/api/v1/downloads/cases/"))
    api = api_results("/api/v1/cases/")
    dataset = case_resource.dataset
    for row, item in zip(rows, api, strict=True):
        assert list(row.values()) == [str(v) for v in dataset.flat(item)]


def test_technology_csv_and_filters(client, api_results):
    rows = _csv_rows(client.get("/api/v1/downloads/technologies/", {"maturity": "pilot"}))
    api = api_results("/api/v1/technologies/", {"maturity": "pilot"})
    assert [int(r["id"]) for r in rows] == [t["id"] for t in api]
    assert all(r["maturity"] == "pilot" for r in rows)


def test_json_download_holds_the_api_items_and_the_statement(client, api_results):
    body = client.get("/api/v1/downloads/cases/", {"format": "json", "waste": "hazardous"}).json()
    api = api_results("/api/v1/cases/", {"waste": "hazardous"})
    assert body["count"] == len(api)
    assert [r["id"] for r in body["results"]] == [i["id"] for i in api]
    assert body["results"][0]["title"] == api[0]["title"]
    assert body["licence"] == "尚未设置许可协议"
    assert "中国工程院" in body["citation"] and "试点经验" in body["citation"]


def test_xlsx_download_has_the_rows_and_the_statement(client, api_results):
    response = client.get("/api/v1/downloads/cases/", {"format": "xlsx", "waste": "hazardous"})
    assert response["Content-Disposition"] == 'attachment; filename="cases.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    data, notes = book["试点经验"], book["说明"]
    rows = list(data.iter_rows(values_only=True))
    api = api_results("/api/v1/cases/", {"waste": "hazardous"})
    header = rows[0]
    assert [dict(zip(header, r, strict=True))["id"] for r in rows[1:]] == [i["id"] for i in api]
    statement = {r[0]: r[1] for r in notes.iter_rows(values_only=True) if r and r[0]}
    assert statement["条数"] == len(api)


def test_xlsx_bytes_do_not_depend_on_the_time_of_writing(client, monkeypatch, settings):
    """openpyxl dates the zip entries and docProps/core.xml at save time; a second later the same
    rows must still give the same bytes (so the ETag holds, and HEAD agrees with GET)."""
    import datetime as real

    from openpyxl.writer import excel

    settings.PAGE_CACHE_ENABLED = False  # both answers are rendered, not one served from cache
    url, params = "/api/v1/downloads/cases/", {"format": "xlsx", "waste": "hazardous"}
    first = client.get(url, params)

    class Later(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

    monkeypatch.setattr(excel.datetime, "datetime", Later)
    monkeypatch.setattr("zipfile.time.localtime", lambda *a: (2031, 5, 6, 7, 8, 9, 0, 0, 0))
    second = client.get(url, params)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_text_starting_with_equals_stays_text_in_xlsx(client):
    city = CityPage.objects.get(slug="shenzhen")
    CasePageFactory(parent=city, title='=HYPERLINK("http://x")', summary="=1+1")
    response = client.get("/api/v1/downloads/cases/", {"format": "xlsx", "region": "440300"})
    rows = list(load_workbook(io.BytesIO(response.content))["试点经验"].iter_rows(values_only=True))
    assert '=HYPERLINK("http://x")' in [r[2] for r in rows]


def test_licence_and_citation_are_edited_in_the_admin(client, admin_client):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/api/opendatasettings/{site.pk}/"
    page = admin_client.get(url)
    assert page.status_code == 200
    response = admin_client.post(
        url,
        {
            "licence_name": "知识共享署名 4.0 国际许可协议（CC BY 4.0）",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/",
            "citation": "引用：{dataset}，{url}，{date}",
        },
    )
    assert response.status_code == 302
    download = client.get("/api/v1/downloads/technologies/", {"format": "json"})
    body = download.json()
    assert body["licence"] == "知识共享署名 4.0 国际许可协议（CC BY 4.0）"
    assert body["citation"].startswith("引用：技术，http")
    assert download["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    docs = client.get("/api/v1/docs/").content.decode()
    assert "CC BY 4.0" in docs


def test_a_stray_brace_in_the_citation_does_not_break_downloads(client):
    settings = OpenDataSettings.for_site(Site.objects.get(is_default_site=True))
    settings.citation = "引用 {未知} {"
    settings.save()
    body = client.get("/api/v1/downloads/cases/", {"format": "json"}).json()
    assert body["citation"] == "引用 {未知} {"


def test_downloads_hold_no_drafts_or_private_pages(client):
    city = CityPage.objects.get(slug="shenzhen")
    hazardous = WasteCategory.objects.get(slug="hazardous")
    CasePageFactory(parent=city, title="草稿不应下载", live=False, waste_categories=[hazardous])
    private = CasePageFactory(parent=city, title="私密不应下载", waste_categories=[hazardous])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for fmt in ("csv", "json"):
        text = client.get("/api/v1/downloads/cases/", {"format": fmt}).content.decode("utf-8-sig")
        assert "草稿不应下载" not in text and "私密不应下载" not in text


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"format": "pdf"}, "format"), ({"waste": "nope"}, "waste"), ({"page": "2"}, "page")],
)
def test_bad_download_parameters_are_400(client, params, parameter):
    response = client.get("/api/v1/downloads/cases/", params)
    assert response.status_code == 400 and response.json()["parameter"] == parameter


def test_listing_pages_link_to_the_filtered_downloads(client):
    html = client.get("/cases/?waste=hazardous&page=2").content.decode()
    assert 'href="/api/v1/downloads/cases/?waste=hazardous&amp;format=csv"' in html
    assert "format=xlsx" in html and "format=json" in html
    html = client.get("/technologies/?maturity=&tag=").content.decode()
    assert 'href="/api/v1/downloads/technologies/?format=csv"' in html
    # The link carries exactly the page's filters, so the download has the page's rows.
    assert client.get("/api/v1/downloads/technologies/?format=csv").status_code == 200

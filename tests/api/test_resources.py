"""The public API returns what the listing pages list (same filters, same order), only public
content, stable ids, and 400s naming the parameter."""

import json
import re

import pytest
from wagtail.models import Page, PageViewRestriction

from cases.factories import CasePageFactory, TechnologyPageFactory
from cases.models import (
    ArticlePage,
    CasePage,
    CityPage,
    GovernanceModel,
    StandardPage,
    TechnologyPage,
    WasteCategory,
)

pytestmark = pytest.mark.django_db


def _listing_ids(client, url: str, key: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [page.id for page in response.context[key].paginator.object_list]


def _a_case_tag() -> str:
    return (
        CasePage.objects.live().filter(tags__isnull=False).values_list("tags__name", flat=True)[0]
    )


CASE_FILTERS = [
    {},
    {"waste": "hazardous"},
    {"waste": ["hazardous", "agricultural"]},
    {"region": "粤港澳"},
    {"region": "500000"},
    {"region": "东部", "waste": "hazardous"},
    {"batch": "2019-11plus5"},
    {"model": "MODEL"},
    {"tag": "TAG"},
]


@pytest.mark.parametrize("params", CASE_FILTERS)
def test_case_filters_equal_the_listing_page(client, api_results, params):
    params = dict(params)
    if params.get("model") == "MODEL":
        params["model"] = GovernanceModel.objects.order_by("sort_order")[0].slug
    if params.get("tag") == "TAG":
        params["tag"] = _a_case_tag()
    from urllib.parse import urlencode

    listing = _listing_ids(client, "/cases/?" + urlencode(params, doseq=True), "cases")
    api = [item["id"] for item in api_results("/api/v1/cases/", params)]
    assert api == listing
    assert api or params.get("region") == "粤港澳"


@pytest.mark.parametrize(
    "params", [{}, {"maturity": "pilot"}, {"maturity": "commercial"}, {"waste": "hazardous"}]
)
def test_technology_filters_equal_the_listing_page(client, api_results, params):
    from urllib.parse import urlencode

    listing = _listing_ids(client, "/technologies/?" + urlencode(params), "technologies")
    api = [item["id"] for item in api_results("/api/v1/technologies/", params)]
    assert api == listing


@pytest.mark.parametrize("cell_type", ["", *StandardPage.CellType.values])
def test_standard_filters_equal_the_listing_page(client, api_results, cell_type):
    params = {"cell_type": cell_type} if cell_type else {}
    listing = _listing_ids(client, f"/standards/?cell_type={cell_type}", "standards")
    assert [item["id"] for item in api_results("/api/v1/standards/", params)] == listing


def test_cities_equal_the_city_index(client, api_results):
    response = client.get("/cities/")
    listed = {city.id for _, cities in response.context["city_groups"] for city in cities}
    api = api_results("/api/v1/cities/")
    assert {item["id"] for item in api} == listed
    by_id = {c.id: c for _, cities in response.context["city_groups"] for c in cities}
    assert all(item["case_count"] == by_id[item["id"]].case_count for item in api)


def test_city_filters(api_results):
    guangdong = api_results("/api/v1/cities/", {"region": "440000"})
    assert [c["title"] for c in guangdong] == ["深圳市"]
    assert all(
        c["batch"]["slug"] == "2019-11plus5"
        for c in api_results("/api/v1/cities/", {"batch": "2019-11plus5"})
    )


@pytest.mark.parametrize("section", ["", *ArticlePage.Section.values])
def test_article_sections_equal_the_listing_page(client, api_results, section):
    response = client.get("/strategy/")
    listed = [
        a.id
        for value, articles in _sections(response)
        if not section or value == section
        for a in articles
    ]
    params = {"section": section} if section else {}
    assert sorted(item["id"] for item in api_results("/api/v1/articles/", params)) == sorted(listed)


def _sections(response):
    labels = dict((label, value) for value, label in ArticlePage.Section.choices)
    return [(labels[label], articles) for label, articles in response.context["sections"]]


def test_taxonomy_endpoints(client, api_results):
    categories = api_results("/api/v1/waste-categories/")
    assert len(categories) == WasteCategory.objects.count()
    hw18 = next(c for c in categories if c["code"] == "HW18")
    assert hw18["parent"] == "hazardous"
    assert client.get("/api/v1/waste-categories/hazardous/").json()["name"] == "危险废物"
    provinces = api_results("/api/v1/regions/", {"level": "province"})
    assert {"110000", "440000", "500000"} <= {r["code"] for r in provinces}
    assert client.get("/api/v1/regions/440300/").json()["clusters"] == ["粤港澳"]
    models = api_results("/api/v1/governance-models/")
    assert len(models) == 5
    assert client.get(f"/api/v1/governance-models/{models[0]['slug']}/").status_code == 200
    assert client.get("/api/v1/batches/2019-11plus5/").json()["year"] == 2019


def test_detail_endpoints_use_stable_page_ids(client):
    case = CasePage.objects.live().public().first()
    body = client.get(f"/api/v1/cases/{case.id}/").json()
    assert body["id"] == case.id and body["title"] == case.title
    assert body["url"].startswith("http") and body["url"].endswith(case.url)
    case.title = case.title + "（改名）"
    case.slug = "renamed-case"
    case.save_revision().publish()
    renamed = client.get(f"/api/v1/cases/{case.id}/").json()
    assert renamed["title"].endswith("（改名）") and renamed["url"].endswith("/renamed-case/")
    for model, path in [
        (TechnologyPage, "technologies"),
        (StandardPage, "standards"),
        (CityPage, "cities"),
        (ArticlePage, "articles"),
    ]:
        page = model.objects.live().public().first()
        response = client.get(f"/api/v1/{path}/{page.id}/")
        assert response.status_code == 200 and response.json()["title"] == page.title
        # A page of another type under this id is not found here.
        assert client.get(f"/api/v1/{path}/{case.id}/").status_code == 404


def test_case_detail_lists_indicators_and_only_public_technologies(client):
    city = CityPage.objects.get(slug="shenzhen")
    public = TechnologyPageFactory(title="公开的测试技术")
    private = TechnologyPageFactory(title="私密的测试技术")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = TechnologyPageFactory(title="草稿测试技术", live=False)
    case = CasePageFactory(
        parent=city,
        technologies=[public, private, draft],
        indicators=[{"name": "测试指标", "value": 12.5, "unit": "%", "baseline": 10, "year": 2020}],
    )
    body = client.get(f"/api/v1/cases/{case.id}/").json()
    assert [t["title"] for t in body["technologies"]] == ["公开的测试技术"]
    assert body["indicators"][0]["name"] == "测试指标"
    assert float(body["indicators"][0]["value"]) == 12.5


# --- drafts, private pages, contact data ------------------------------------------------------


@pytest.fixture
def hidden_cases():
    city = CityPage.objects.get(slug="shenzhen")
    hazardous = WasteCategory.objects.get(slug="hazardous")
    draft = CasePageFactory(
        parent=city, title="草稿经验不应公开", live=False, waste_categories=[hazardous]
    )
    private = CasePageFactory(parent=city, title="私密经验不应公开", waste_categories=[hazardous])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    changed = CasePageFactory(parent=city, title="已发布的标题", waste_categories=[hazardous])
    changed.title = "未发布的修改标题"
    changed.save_revision()
    unpublished = CasePageFactory(parent=city, title="已撤下的经验", waste_categories=[hazardous])
    unpublished.unpublish()
    return {"draft": draft, "private": private, "changed": changed, "unpublished": unpublished}


def test_drafts_and_private_pages_are_absent(client, api_results, hidden_cases):
    text = json.dumps(api_results("/api/v1/cases/", {"waste": "hazardous"}), ensure_ascii=False)
    text += json.dumps(api_results("/api/v1/technologies/"), ensure_ascii=False)
    for hidden in ("草稿经验不应公开", "私密经验不应公开", "未发布的修改标题", "已撤下的经验"):
        assert hidden not in text
    assert "已发布的标题" in text
    for name in ("draft", "private", "unpublished"):
        response = client.get(f"/api/v1/cases/{hidden_cases[name].id}/")
        assert response.status_code == 404
    city = client.get(f"/api/v1/cities/{CityPage.objects.get(slug='shenzhen').id}/").json()
    assert (
        city["case_count"] == CasePage.objects.live().public().filter(city__slug="shenzhen").count()
    )


def test_a_private_city_and_its_subtree_are_absent(client, api_results):
    city = CityPage.objects.get(slug="shenzhen")
    PageViewRestriction.objects.create(page=city, restriction_type="login")
    assert "深圳市" not in {c["title"] for c in api_results("/api/v1/cities/")}
    assert all(c["city"]["id"] != city.id for c in api_results("/api/v1/cases/") if c["city"])
    assert client.get(f"/api/v1/cities/{city.id}/").status_code == 404


CONTACT_FIELDS = re.compile(r"email|phone|mobile|telephone|contact|wechat|credit_code", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_no_contact_data_in_the_api(client, api_results):
    schema = client.get("/api/v1/openapi.json").json()
    for name, component in schema["components"]["schemas"].items():
        for field in component.get("properties", {}):
            assert not CONTACT_FIELDS.search(field), (name, field)
    for path in ("cases", "technologies", "standards", "cities", "articles"):
        results = api_results(f"/api/v1/{path}/")
        text = json.dumps(results, ensure_ascii=False)
        assert not EMAIL.search(text), path
        detail = client.get(f"/api/v1/{path}/{results[0]['id']}/").content.decode()
        assert not EMAIL.search(detail), path


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/v1/cases/", {"waste": "no-such-category"}, "waste"),
        ("/api/v1/cases/", {"region": "999999"}, "region"),
        ("/api/v1/cases/", {"model": "x"}, "model"),
        ("/api/v1/cases/", {"batch": "x"}, "batch"),
        ("/api/v1/cases/", {"tag": "标" * 51}, "tag"),
        ("/api/v1/cases/", {"page": "0"}, "page"),
        ("/api/v1/cases/", {"page": "abc"}, "page"),
        ("/api/v1/cases/", {"page_size": "101"}, "page_size"),
        ("/api/v1/cases/", {"colour": "green"}, "colour"),
        ("/api/v1/technologies/", {"maturity": "ancient"}, "maturity"),
        ("/api/v1/technologies/", {"waste": "x"}, "waste"),
        ("/api/v1/standards/", {"cell_type": "castle"}, "cell_type"),
        ("/api/v1/cities/", {"region": "999999"}, "region"),
        ("/api/v1/cities/", {"batch": "x"}, "batch"),
        ("/api/v1/articles/", {"section": "x"}, "section"),
        ("/api/v1/regions/", {"level": "x"}, "level"),
        ("/api/v1/waste-categories/", {"q": "x"}, "q"),
        ("/api/v1/cases/1/", {"format": "xml"}, "format"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, path, params, parameter):
    response = client.get(path, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["parameter"] == parameter and body["error"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/cases/0/", "/api/v1/cases/abc/", "/api/v1/cases/99999999999/", "/api/v1/nothing/"],
)
def test_bad_paths_are_json_errors(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]


def test_unknown_ids_are_404(client):
    for path in (
        "cases/2147483647",
        "waste-categories/nope",
        "regions/999999",
        "batches/x",
        "governance-models/x",
    ):
        response = client.get(f"/api/v1/{path}/")
        assert response.status_code == 404 and response.json()["error"]


def test_only_get(client):
    assert client.post("/api/v1/cases/").status_code == 405
    assert client.delete(f"/api/v1/cases/{Page.objects.live().last().id}/").status_code == 405


@pytest.mark.parametrize(
    "path",
    ["cases", "technologies", "standards", "cities", "articles", "indicator-values", "cells"],
)
def test_list_query_count_does_not_grow_with_the_page(client, path):
    from indicators.factories import IndicatorValueFactory
    from standards.factories import make_cell

    for city in CityPage.objects.live().order_by("path")[:3]:
        for year in (2021, 2022):
            IndicatorValueFactory(city=city, year=year)
            make_cell(city=city)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    assert client.get(f"/api/v1/{path}/", {"page_size": 1}).status_code == 200  # fill caches
    for size in (2, 100):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{path}/", {"page_size": size}).status_code == 200
        # Stamps are re-read from the shared cache at most once a second (clock, not content).
        counts.append(sum("wfc_cache" not in q["sql"] for q in queries.captured_queries))
    assert counts[0] == counts[1], counts

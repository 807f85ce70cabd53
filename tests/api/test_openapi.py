"""The OpenAPI description covers every endpoint (the search API included, unchanged), and the
documentation page is rendered from it on the server."""

import json
import re

import jsonschema_rs
import pytest

pytestmark = pytest.mark.django_db

RESOURCES = [
    "cases",
    "technologies",
    "standards",
    "cities",
    "articles",
    "waste-categories",
    "regions",
    "governance-models",
    "batches",
    "indicator-values",
    "cells",
]


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_endpoint_is_described(schema):
    paths = set(schema["paths"])
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
        assert any(p.startswith(f"/api/v1/{resource}/{{") for p in paths), resource
    assert {"/api/search/", "/api/search/autocomplete/"} <= paths
    downloads = {"cases", "technologies", "indicator-values", "cells"}
    assert {f"/api/v1/downloads/{name}/" for name in downloads} <= paths
    for path, methods in schema["paths"].items():
        assert set(methods) == {"get"}, path
        for operation in methods.values():
            assert operation["summary"] and "400" in operation["responses"], path


def test_filter_parameters_list_the_taxonomy_values(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert "hazardous" in parameters["waste"]["schema"]["items"]["enum"]
    assert {"粤港澳", "500000", "东部"} <= set(parameters["region"]["schema"]["items"]["enum"])
    search = {p["name"]: p for p in schema["paths"]["/api/search/"]["get"]["parameters"]}
    assert "hazardous" in search["waste"]["schema"]["items"]["enum"]
    assert search["type"]["schema"]["items"]["enum"] == [
        "case",
        "technology",
        "standard",
        "city",
        "article",
        "cell",
    ]


def _validator(schema, name):
    component = {**schema["components"]["schemas"][name]}
    component["$defs"] = schema["components"]["schemas"]
    text = re.sub(r"#/components/schemas/", "#/$defs/", json.dumps(component))
    return jsonschema_rs.validator_for(json.loads(text))


@pytest.mark.parametrize(
    "params", [{"q": "危废"}, {"q": "危废", "waste": "hazardous"}, {"q": "没有这种东西xyz"}, {}]
)
def test_search_responses_match_their_description(client, schema, params):
    body = client.get("/api/search/", params).json()
    _validator(schema, "SearchResponse").validate(body)
    error = client.get("/api/search/", {"page": "0"}).json()
    _validator(schema, "SearchError").validate(error)
    suggestions = client.get("/api/search/autocomplete/", {"q": "危"}).json()
    _validator(schema, "AutocompleteResponse").validate(suggestions)


def test_documentation_page_is_rendered_from_the_description(client, schema):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html and "开放数据接口" in html
    for path in schema["paths"]:
        assert path in html, path
    assert "waste" in html and "hazardous" in html
    # Served entirely by the site: no script or stylesheet from elsewhere (the hreflang
    # alternates are this site's own absolute addresses).
    assert not re.search(
        r'<(script|link)(?![^>]*rel="alternate")[^>]+(src|href)="(https?:)?//', html
    )
    assert 'href="/api/v1/openapi.json"' in html

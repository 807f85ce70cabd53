"""Bad input never gives a 500: it gives a 400 naming the parameter, on the API and the page."""

import random

import pytest

SPECIAL = [
    '"',
    "(",
    "*",
    ":",
    "~",
    "^",
    "/",
    "\\",
    "[",
    "]",
    "{",
    "}",
    "!",
    "&&",
    "||",
    "<",
    ">",
    "AND",
    "OR",
    "NOT",
]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page": "-1"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": str(10**6)}, "page_size"),
        ({"q": "危" * 10_000}, "q"),
        ({"waste": "no-such-category"}, "waste"),
        ({"region": "999999"}, "region"),
        ({"type": "blog"}, "type"),
        ({"sort": "random"}, "sort"),
        ({"model": "x"}, "model"),
        ({"batch": "x"}, "batch"),
        ({"colour": "green"}, "colour"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, engine, params, parameter):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter and body["error"]
    page = client.get("/search/", params)
    assert page.status_code == 400
    assert parameter in page.content.decode()


def _random_text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(0, 12)):
        kind = rng.random()
        if kind < 0.3:
            pieces.append(rng.choice(SPECIAL))
        elif kind < 0.6:
            pieces.append(chr(rng.randint(0x4E00, 0x9FFF)) * rng.randint(1, 3))
        elif kind < 0.8:
            code = rng.choice(
                [rng.randint(0x20, 0x7E), rng.randint(0x80, 0xD7FF), rng.randint(0xE000, 0x10FFFF)]
            )
            pieces.append(chr(code))
        else:
            pieces.append(
                rng.choice(["危废", "HW49", "62+X", "一物一码", " ", "\t", "\u200b", "😀"])
            )
    return "".join(pieces)


def test_fuzzed_requests_never_fail(client, engine):
    rng = random.Random(20261128)
    for _ in range(150):
        params = {"q": _random_text(rng)}
        if rng.random() < 0.3:
            params["page"] = rng.choice(["-1", "0", "1", "2", "99999", "1e3", ""])
        if rng.random() < 0.3:
            params["page_size"] = rng.choice(["1", "100", "1000000", "-5", "x"])
        if rng.random() < 0.3:
            params[rng.choice(["waste", "region", "type", "model", "batch", "tag"])] = _random_text(
                rng
            )
        for url in ("/api/search/", "/search/", "/api/search/autocomplete/"):
            response = client.get(url, params)
            assert response.status_code in (200, 400), (url, params, response.status_code)


def test_invalid_utf8_in_the_query_string(client, engine):
    for raw in ("q=%ED%A0%80", "q=%FF%FE", "q=%00", "waste=%C0%AF", "q=%E5%8D"):
        for url in ("/api/search/", "/search/"):
            assert client.get(f"{url}?{raw}").status_code in (200, 400), (url, raw)


def test_special_characters_are_plain_text(client, engine):
    for q in ['"(*:~^/', "title:危废", "危废~2", "重庆^10", "(危废 OR 飞灰)", "/.*/", '"']:
        response = client.get("/api/search/", {"q": q})
        assert response.status_code == 200, q


def test_empty_query_lists_everything_with_facets(client, engine):
    body = client.get("/api/search/").json()
    assert body["total"] > 90
    assert sum(f["count"] for f in body["facets"]["type"]) == body["total"]


def test_search_page_shows_results_facets_and_highlights(client, engine):
    html = client.get("/search/", {"q": "危废", "region": "500000"}).content.decode()
    assert "<mark>" in html
    assert 'name="region" value="500000" checked' in html
    assert 'class="badge badge-case"' in html
    assert "重庆市" in html

"""The behaviour contract every engine serves (same test functions, parametrized by engine)."""

import pytest

from cases import taxonomy_cache
from cases.models import CasePage, CityPage, GovernanceModel, WasteCategory

# (query, extra parameters, external_id expected among the first three results)
EXPECTED_TOP3 = [
    ("一物一码", {}, "seed-chongqing-04"),
    ("泥浆不落地", {}, "seed-panjin-01"),
    ("危废 小微 收集", {}, "seed-shaoxing-08"),
    ("危废小微收集", {}, "seed-shaoxing-08"),
    ("直通车", {}, "seed-shaoxing-08"),
    ("飞灰", {}, "seed-shenzhen-07"),
    ("等离子气化", {}, "seed-shenzhen-07"),
    ("白名单 跨省", {}, "seed-chongqing-05"),
    ("川渝 危险废物", {"type": "case"}, "seed-chongqing-05"),
    ("农膜 以旧换新", {}, "seed-shaoxing-04"),
    ("地膜", {}, "seed-shaoxing-04"),
    ("残膜回收", {}, "seed-xining-02"),
    ("农药包装 押金", {}, "seed-weihai-03"),
    ('"62+X"', {}, "seed-shaoxing-01"),
    ("井下充填", {"type": "case"}, "seed-tongling-02"),
    ("电子联单", {"type": "case"}, "seed-beijing-etdz-01"),
    ("医废", {"type": "case"}, "seed-shenzhen-06"),
    ("废铅蓄电池 生产者责任延伸", {}, "seed-xuchang-04"),
    ("HW31", {"type": "case"}, "seed-xuchang-04"),
    ("工业废盐", {"type": "case"}, "seed-shaoxing-10"),
    ("装配式建筑", {"type": "case"}, "seed-shaoxing-06"),
    ("渣土 排放限额", {}, "seed-shenzhen-05"),
    ("两网融合", {"type": "case"}, "seed-tianjin-eco-city-03"),
    ("强制分类", {}, "seed-shenzhen-04"),
    ("党建引领 垃圾分类", {}, "seed-shaoxing-05"),
    ("采煤塌陷地", {}, "seed-xuzhou-03"),
    ("湿垃圾", {"type": "case"}, "seed-guangze-01"),
    ("重庆 汽车", {}, "seed-chongqing-03"),
    ("无废细胞", {"type": "case"}, "seed-tongling-01"),
    ("稀土", {}, "seed-baotou-02"),
    ("电解铝", {}, "seed-xining-01"),
    ("飞灰", {"region": "粤港澳"}, "seed-shenzhen-07"),
    ("农膜", {"region": "西部"}, "seed-xining-02"),
]


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(("q", "extra", "external_id"), EXPECTED_TOP3)
def test_expected_case_in_top_three(client, engine, q, extra, external_id):
    page = CasePage.objects.get(external_id=external_id)
    body = api(client, q=q, **extra)
    assert body["engine"] == engine.name
    top3 = [r["url"] for r in body["results"][:3]]
    assert page.url in top3, (q, [r["title"] for r in body["results"][:5]])


def test_two_character_words_and_abbreviations(client, engine):
    for q in ["重庆", "农膜", "危废", "固废", "飞灰", "渣土"]:
        assert api(client, q=q)["total"] > 0, q
    # 危废 is an alias of 危险废物: both find the same documents.
    assert api(client, q="危废")["total"] == api(client, q="危险废物")["total"]


def test_highlights_mark_the_matched_words(client, engine):
    body = api(client, q="危废")
    assert body["results"]
    assert all("<mark>" in r["highlight"] for r in body["results"][:5])
    marked = body["results"][0]["highlight"]
    assert "<mark>危险废物</mark>" in marked or "<mark>危废</mark>" in marked


def test_result_shape_matches_the_contract(client, engine):
    body = api(client, q="危废 跨省转移")
    assert set(body) >= {
        "query",
        "engine",
        "total",
        "page",
        "page_size",
        "results",
        "facets",
        "suggestions",
    }
    result = body["results"][0]
    assert set(result) >= {
        "type",
        "title",
        "url",
        "summary",
        "highlight",
        "city",
        "region_code",
        "waste_categories",
        "tags",
        "published",
        "score",
    }
    assert set(body["facets"]) == {
        "type",
        "waste",
        "region",
        "batch",
        "model",
        "tag",
        "year",
        "cell_type",
    }
    assert all({"value", "label", "count"} <= set(f) for f in body["facets"]["type"])


def _public_cases():
    return CasePage.objects.live().public()


def test_facet_counts_equal_database_counts(client, engine):
    hazardous = WasteCategory.objects.get(slug="hazardous")
    body = api(client, type="case", waste="hazardous")
    ids = taxonomy_cache.waste_descendant_ids([hazardous])
    matching = _public_cases().filter(waste_categories__in=ids).distinct()
    assert body["total"] == matching.count()
    for option in body["facets"]["model"]:
        model = GovernanceModel.objects.get(slug=option["value"])
        assert option["count"] == matching.filter(governance_model=model).count(), option
    for option in body["facets"]["region"]:
        regions = taxonomy_cache.region_ids_for([option["value"]])
        assert option["count"] == matching.filter(city__region__in=regions).count(), option
    # The waste facet is counted without its own filter (so other categories stay selectable).
    for option in body["facets"]["waste"]:
        category = WasteCategory.objects.get(slug=option["value"])
        expected = _public_cases().filter(
            waste_categories__in=taxonomy_cache.waste_descendant_ids([category])
        )
        assert option["count"] == expected.distinct().count(), option


def test_filters_combine_and_across_fields_or_within(client, engine):
    one = api(client, type="case", waste="hw18", page_size=100)["total"]
    other = api(client, type="case", waste="hw31", page_size=100)["total"]
    both = api(client, type="case", waste=["hw18", "hw31"], page_size=100)["total"]
    assert one and other and both == one + other
    narrowed = api(client, type="case", waste="hazardous", region="330600", page_size=100)
    expected = (
        _public_cases()
        .filter(
            waste_categories__in=taxonomy_cache.waste_descendant_ids(
                [WasteCategory.objects.get(slug="hazardous")]
            ),
            city__region__code="330600",
        )
        .distinct()
    )
    assert {r["url"] for r in narrowed["results"]} == {p.url for p in expected}


def test_pagination_and_sort(client, engine):
    first = api(client, q="固废", page_size=5)
    second = api(client, q="固废", page_size=5, page=2)
    assert first["total"] > 10
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}
    newest = api(client, type="case", sort="newest", page_size=20)["results"]
    dates = [r["published"] for r in newest if r["published"]]
    assert dates == sorted(dates, reverse=True)


def test_a_confident_correction_is_applied_and_shown(client, engine):
    body = api(client, q="泥浆不落帝")
    panjin = CasePage.objects.get(external_id="seed-panjin-01")
    assert body["corrected"] == "泥浆不落地"
    assert panjin.url in [r["url"] for r in body["results"][:3]]
    assert "已显示“泥浆不落地”的结果" in body["notice"] and "仍搜索原词" in body["notice"]
    original = next(s for s in body["suggestions"] if s["kind"] == "original")
    assert original["text"] == "泥浆不落帝" and "correct=0" in original["url"]
    # 仍搜索原词: the words as typed, no correction.
    as_typed = api(client, q="泥浆不落帝", correct="0")
    assert "corrected" not in as_typed
    assert client.get("/api/search/", {"q": "x", "correct": "2"}).json()["parameter"] == "correct"


def test_no_strict_match_relaxes_to_a_ranked_partial_match(client, engine):
    body = api(client, q="危险废物 跨省转移 鹦鹉螺")
    assert body["match"] == "partial" and body["total"] > 0
    assert "部分检索词" in body["notice"]
    chongqing = CasePage.objects.get(external_id="seed-chongqing-05")
    assert chongqing.url in [r["url"] for r in body["results"][:3]]
    assert api(client, q="危险废物 跨省转移")["match"] == "all"


def test_a_few_strict_results_come_first_then_partial_matches(client, engine, new_case):
    """A page that happens to hold every word must not hide the pages that answer the question
    with fewer of its words: under three strict results, the partial matches follow them."""
    holder = new_case(
        title="鹦鹉螺市工作简报（示例页面，仅供测试）",
        summary="鹦鹉螺市简报提到危险废物，也提到跨省转移。",
    )
    body = api(client, q="危险废物 跨省转移 鹦鹉螺")
    assert body["match"] == "some"
    assert "只有 1 条结果同时包含全部检索词" in body["notice"]
    urls = [r["url"] for r in body["results"]]
    assert urls[0] == holder.url
    chongqing = CasePage.objects.get(external_id="seed-chongqing-05")
    assert chongqing.url in urls[:3]
    assert body["total"] > 1 and body["facets"]["type"]
    # One list, paged: the second page goes on where the first stopped.
    first, second = (api(client, q="危险废物 跨省转移 鹦鹉螺", page_size="2", page=p) for p in "12")
    assert [r["url"] for r in first["results"]] == urls[:2]
    assert [r["url"] for r in second["results"]] == urls[2:4]
    # Three or more strict results: strict only, as before.
    assert api(client, q="危险废物 跨省转移")["match"] == "all"


def test_zero_results_give_suggestions(client, engine):
    body = api(client, q="鹦鹉螺蝾螈", correct="0")
    assert body["total"] == 0
    relaxed = api(client, q="泥浆不落地", region="粤港澳")
    assert relaxed["total"] == 0
    assert any(s["kind"] == "relax" and s["count"] > 0 for s in relaxed["suggestions"])


def test_phrase_queries_are_exact(client, engine):
    loose = api(client, q="小微 危险废物", page_size=100)["total"]
    exact = api(client, q='"小微企业危险废物收集"', page_size=100)
    assert 0 < exact["total"] < loose
    assert any("直通车" in r["title"] for r in exact["results"])


def test_city_pages_are_found_by_name(client, engine):
    body = api(client, q="绍兴", type="city")
    assert [r["title"] for r in body["results"]] == ["绍兴市"]
    assert body["results"][0]["region_code"] == "330600"


def test_autocomplete(client, engine):
    response = client.get("/api/search/autocomplete/", {"q": "泥浆"})
    assert response.status_code == 200
    titles = [s["title"] for s in response.json()["suggestions"]]
    assert any("泥浆不落地" in t for t in titles)


def test_cities_filter_by_batch_and_model(client, engine):
    cities = api(client, type="city", batch="2019-11plus5", page_size=100)
    assert (
        cities["total"]
        == CityPage.objects.live().public().filter(batch__slug="2019-11plus5").count()
        == 16
    )
    hazardous_model = api(client, model="hazardous", page_size=100)
    assert (
        hazardous_model["total"]
        == _public_cases().filter(governance_model__slug="hazardous").count()
    )


def test_year_facet_and_filter(client, engine):
    body = api(client, type="case", year="2021", page_size=100)
    expected = _public_cases().filter(published_date__year=2021)
    assert body["total"] == expected.count() > 0
    years = {f["value"]: f["count"] for f in api(client, type="case")["facets"]["year"]}
    assert years["2021"] == expected.count()
    assert client.get("/api/search/", {"year": "21"}).json()["parameter"] == "year"


def test_the_search_page_shows_the_correction(client, engine):
    html = client.get("/search/", {"q": "泥浆不落帝"}).content.decode()
    assert "已显示“<strong>泥浆不落地</strong>”的结果" in html
    assert "correct=0" in html and "仍搜索原词“泥浆不落帝”" in html

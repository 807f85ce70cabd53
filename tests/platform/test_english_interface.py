"""Under /en/ the interface's words that come from Python, not templates, are English too: choice
labels (城市类型, 东/中/西部, 城市群, 细胞类型, sort orders), region names, the reasons of "cities
like mine", search notices and facet labels. Content without English (indicator names from the
national documents, tags) stays Chinese, as the pages say."""

import re

import pytest

from cases.romanized import province_short_name, region_name_en

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _html(client, path, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, path
    return response.content.decode()


def test_region_names_in_english():
    assert region_name_en("广东省") == "Guangdong"
    assert region_name_en("陕西省") == "Shaanxi"  # not pinyin's Shanxi
    assert region_name_en("内蒙古自治区") == "Inner Mongolia"
    assert region_name_en("深圳市") == "Shenzhen"
    assert region_name_en("重庆市") == "Chongqing"  # the place-name reading, not zhong
    assert region_name_en("大兴安岭地区") == "Daxinganling Prefecture"
    assert province_short_name("河南省") == "HA"


def test_city_page_kind_region_tier_and_similarity_reasons(client):
    html = _html(client, "/en/cities/xuchang/")
    assert "Prefecture-level city" in html
    assert "Henan" in html and "Xuchang" in html and "Central" in html
    assert "both in the Central region" in html
    for chinese in ("地级城市", "河南省", "同在", "同为", "都以"):
        assert chinese not in html, chinese
    # The Chinese page keeps its own words (and its own cached fragment).
    chinese_page = _html(client, "/cities/xuchang/")
    assert "同在中部地区" in chinese_page and "both in" not in chinese_page


def test_comparison_filters_and_sort_orders(client):
    html = _html(client, "/en/indicators/compare/")
    for english in ("Eastern", "Northeastern", "Yangtze River Delta", "By performance"):
        assert english in html, english
    # The values stay as the API takes them (tier=东部); the labels are English.
    for chinese in (">东部<", ">长三角<", "按成效", "数值从高到低"):
        assert chinese not in html, chinese


def test_map_names_provinces_in_english(client):
    html = _html(client, "/en/indicators/map/")
    assert "Guangdong" in html and ">GD<" in html
    assert "广东省" not in html and "暂无试点城市" not in html


def test_standards_listing_names_cell_types_in_english(client):
    html = _html(client, "/en/standards/")
    assert "Campus (school)" in html and "Hospital" in html
    assert "校园（学校）" not in html


def test_search_notice_and_region_facets_in_english(client):
    html = _html(client, "/en/search/", q="危险废物 跨省转移 鹦鹉螺")
    assert "No result holds every search word" in html
    assert "没有同时包含全部检索词" not in html
    facets = _html(client, "/en/search/", q="fly ash")
    assert "Guangdong" in facets and "Eastern" in facets
    assert "广东省" not in facets and ">东部<" not in facets

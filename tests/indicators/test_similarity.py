"""Cities like mine: reasons in words, ranking, the relevant cases, and no private data."""

import pytest

from cases.factories import CasePageFactory, CityPageFactory
from cases.models import CityPage, PilotBatch, Region, WasteCategory
from indicators import similarity
from indicators.factories import IndicatorFactory, IndicatorValueFactory


@pytest.fixture
def chengyu(db):
    batch = PilotBatch.objects.get(slug="14th-fyp")
    industrial = WasteCategory.objects.filter(parent=None).order_by("sort_order").first()
    rate = IndicatorFactory(name="测试共同指标")
    a = CityPageFactory(title="测试成都", region=Region.objects.get(code="510100"), batch=batch)
    b = CityPageFactory(title="测试自贡", region=Region.objects.get(code="510300"), batch=batch)
    far = CityPageFactory(title="测试远方", region=Region.objects.get(code="230100"))
    for city in (a, b):
        IndicatorValueFactory(city=city, indicator=rate)
    CasePageFactory(parent=a, title="测试成都经验", waste_categories=[industrial])
    case_b = CasePageFactory(parent=b, title="测试自贡经验", waste_categories=[industrial])
    CasePageFactory(parent=b, title="测试自贡草稿", waste_categories=[industrial], live=False)
    return {"a": a, "b": b, "far": far, "industrial": industrial, "rate": rate, "case_b": case_b}


def test_reasons_are_in_words_and_the_best_match_comes_first(chengyu):
    found = similarity.similar_cities(chengyu["a"])
    first = found[0]
    assert first.city.title == "测试自贡"
    assert first.reasons == [
        "同属成渝",
        "同在西部地区",
        "同为“十四五”时期“无废城市”建设",
        f"都以{chengyu['industrial'].name}为主",
        "均报告测试共同指标",
    ]
    assert [c.title for c in first.cases] == ["测试自贡经验"]  # the draft is not offered
    assert "测试远方" not in [s.city.title for s in found[:1]]
    assert len(found) <= similarity.SHOWN


def test_unapproved_values_do_not_count_as_reported(chengyu):
    other = IndicatorFactory(name="测试未审核指标")
    IndicatorValueFactory(city=chengyu["a"], indicator=other, status="submitted")
    IndicatorValueFactory(city=chengyu["b"], indicator=other, status="submitted")
    reasons = similarity.similar_cities(chengyu["a"])[0].reasons
    assert not any("测试未审核指标" in r for r in reasons)


def test_city_page_of_a_seed_city_lists_at_most_five(client, db):
    city = CityPage.objects.get(slug="chongqing")
    found = similarity.similar_cities(city)
    assert 0 < len(found) <= 5
    assert all(s.reasons for s in found)


def _stated(title, code, size, gdp):
    """A city whose editors filled in its size class and GDP band, citing an (example) source."""
    return CityPageFactory(
        title=title,
        region=Region.objects.get(code=code),
        size_class=size,
        gdp_band=gdp,
        profile_source="测试统计年鉴（示例）",
    )


def test_size_class_and_gdp_band_count_only_where_both_cities_state_them(db):
    """城市规模 and 地区生产总值 bands, filled in by editors from a cited source: two cities
    alike in both rank above a city that states neither, with the reasons in words."""
    mine = _stated("测试规模甲", "230100", CityPage.SizeClass.MEGA, CityPage.GdpBand.HIGH)
    alike = _stated("测试规模乙", "440300", CityPage.SizeClass.MEGA, CityPage.GdpBand.HIGH)
    unstated = CityPageFactory(title="测试规模丙", region=Region.objects.get(code="330600"))
    found = {s.city.pk: s for s in similarity.similar_cities(mine, limit=50)}
    assert found[alike.pk].reasons[-2:] == ["同为特大城市", "地区生产总值均在5000亿–1万亿元"]
    assert unstated.pk not in found or not any("特大城市" in r for r in found[unstated.pk].reasons)
    assert list(found)[0] == alike.pk


def test_a_size_class_or_gdp_band_needs_its_source(db):
    from django.core.exceptions import ValidationError

    city = CityPageFactory(title="测试无来源", region=Region.objects.get(code="230100"))
    city.size_class = CityPage.SizeClass.LARGE_1
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "profile_source" in error.value.message_dict
    city.profile_source = "测试统计年鉴（示例）"
    city.full_clean()


def test_the_city_page_shows_its_bands_with_their_source(client, db):
    city = _stated("测试画像", "230100", CityPage.SizeClass.SUPER, CityPage.GdpBand.TRILLION)
    content = client.get(city.url).content.decode()
    assert "超大城市" in content and "1万亿元以上" in content and "测试统计年鉴（示例）" in content


def test_the_api_gives_a_citys_bands_and_their_source(client, db):
    city = _stated("测试接口画像", "230100", CityPage.SizeClass.MEDIUM, CityPage.GdpBand.LOW)
    body = client.get(f"/api/v1/cities/{city.pk}/").json()
    assert (body["size_class"], body["gdp_band"], body["profile_source"]) == (
        "medium",
        "under-200b",
        "测试统计年鉴（示例）",
    )

"""Cities like mine: reasons in words, ranking, the relevant cases, and no private data."""

import pytest

from cases.factories import CasePageFactory, CityPageFactory
from cases.models import PilotBatch, Region, WasteCategory
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
    from cases.models import CityPage

    city = CityPage.objects.get(slug="chongqing")
    found = similarity.similar_cities(city)
    assert 0 < len(found) <= 5
    assert all(s.reasons for s in found)

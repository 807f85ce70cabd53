"""Public views: the dashboard, the comparison, statistics and the map. Each chart's data table
is checked against a query of the same figures made here, not through the app's selectors."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Count
from django.urls import reverse

from cases.models import CasePage, CityPage, GovernanceModel, Region
from indicators.factories import IndicatorFactory, IndicatorValueFactory
from indicators.models import Indicator, IndicatorValue

from .html_tables import tables


def _num(d):
    return f"{Decimal(d).normalize():f}"


@pytest.fixture
def rate(db):
    return IndicatorFactory(name="测试综合利用率", unit="%")


@pytest.fixture
def reported(rate, shaoxing, shenzhen):
    """绍兴 reports 2019, 2020 and 2022 (2021 missing); 深圳 2022; a 深圳 draft for 2023."""
    for year, value in [(2019, 80), (2020, 84), (2022, 90)]:
        IndicatorValueFactory(
            city=shaoxing,
            indicator=rate,
            year=year,
            value=value,
            baseline=80,
            baseline_year=2019,
            target=100,
            target_year=2025,
        )
    IndicatorValueFactory(city=shenzhen, indicator=rate, year=2022, value=95)
    IndicatorValueFactory(city=shenzhen, indicator=rate, year=2023, value=99, status="draft")
    return rate


def test_dashboard_shows_latest_target_progress_and_missing_years(client, reported):
    response = client.get(reverse("indicators:dashboard", args=["shaoxing"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "90%" in html and "（2022年）" in html
    assert "目标 100%（2025年）" in html and "基准 80%（2019年）" in html
    assert "进度：50%" in html  # (90 − 80) ÷ (100 − 80)
    series = response.context["series"][0]
    assert series.missing_years == [2021]
    assert len(series.spark.segments) == 2  # the line breaks at the missing year
    # The trend chart's table equals the database's approved figures, with the gap shown.
    table = tables(html)[f"trend-{reported.code}"]
    expected = dict(
        IndicatorValue.objects.filter(
            city__slug="shaoxing", indicator=reported, status="approved"
        ).values_list("year", "value")
    )
    assert table == [
        [str(y), _num(expected[y]) if y in expected else "未报告"] for y in range(2019, 2023)
    ]


def test_dashboard_csv_equals_the_approved_rows(client, reported):
    response = client.get(reverse("indicators:dashboard_csv", args=["shenzhen"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "指标编码"
    assert [(r[3], r[4]) for r in rows[1:]] == [("2022", "95")]  # the 2023 draft is not there


def test_comparison_table_and_chart_equal_the_database(client, reported):
    response = client.get(reverse("indicators:compare"), {"indicator": reported.code})
    assert response.status_code == 200
    html = response.content.decode()
    table = tables(html)["compare-chart"]
    latest = {}
    for city, year, value in (
        IndicatorValue.objects.filter(indicator=reported, status="approved")
        .order_by("year")
        .values_list("city__title", "year", "value")
    ):
        latest[city] = (year, value)
    expected = sorted(latest.items(), key=lambda kv: -kv[1][1])  # higher is better: best first
    assert [(r[1], r[4], r[5]) for r in table] == [
        (city, str(year), _num(value)) for city, (year, value) in expected
    ]
    chart = response.context["chart"]
    assert [(b.label, b.value) for b in chart.bars] == [(c, v) for c, (_, v) in expected]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("indicators:compare_csv"), {"indicator": reported.code}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert [(r[0], r[4]) for r in csv_rows[1:]] == [(c, _num(v)) for c, (_, v) in expected]


def test_comparison_lower_is_better_puts_the_lowest_first(client, shaoxing, shenzhen):
    waste = IndicatorFactory(
        name="测试人均产生量", unit="千克", direction=Indicator.Direction.LOWER
    )
    IndicatorValueFactory(city=shaoxing, indicator=waste, value=300)
    IndicatorValueFactory(city=shenzhen, indicator=waste, value=200)
    response = client.get(reverse("indicators:compare"), {"indicator": waste.code})
    assert [r.city.title for r in response.context["rows"]] == ["深圳市", "绍兴市"]
    response = client.get(
        reverse("indicators:compare"), {"indicator": waste.code, "sort": "-value"}
    )
    assert [r.city.title for r in response.context["rows"]] == ["绍兴市", "深圳市"]


@pytest.mark.parametrize(
    "filters, cities",
    [
        ({"cluster": "长三角"}, ["绍兴市"]),
        ({"cluster": "粤港澳"}, ["深圳市"]),
        ({"cluster": "成渝"}, ["重庆市"]),
        ({"tier": "西部"}, ["重庆市"]),
        ({"tier": "东部"}, ["深圳市", "绍兴市"]),
        ({"batch": "2019-11plus5"}, ["深圳市", "绍兴市", "重庆市"]),
        ({"batch": "14th-fyp"}, []),
    ],
)
def test_comparison_filters(client, reported, filters, cities):
    chongqing = CityPage.objects.get(slug="chongqing")
    IndicatorValueFactory(city=chongqing, indicator=reported, value=70)
    response = client.get(
        reverse("indicators:compare"), {"indicator": reported.code, "sort": "city", **filters}
    )
    assert response.status_code == 200
    assert sorted(r.city.title for r in response.context["rows"]) == sorted(cities)


@pytest.mark.parametrize(
    "params",
    [{"indicator": "NOPE"}, {"tier": "南部"}, {"batch": "x"}, {"year": "abc"}, {"sort": "x"}],
)
def test_comparison_bad_parameters_are_400_naming_the_field(client, reported, params):
    response = client.get(reverse("indicators:compare"), params)
    assert response.status_code == 400
    field = next(iter(params))
    assert field in response.context["errors"]
    csv_response = client.get(reverse("indicators:compare_csv"), params)
    assert csv_response.status_code == 400 and field in csv_response.json()["error"]


def test_statistics_tables_equal_the_database(client, db):
    response = client.get(reverse("indicators:statistics"))
    assert response.status_code == 200
    found = tables(response.content.decode())
    public = CasePage.objects.live().public()
    by_model = dict(
        public.order_by()
        .values_list("governance_model__name")
        .annotate(n=Count("pk"))
        .values_list("governance_model__name", "n")
    )
    assert found["chart-cases-by-model"] == [
        [m.name, str(by_model.get(m.name, 0))]
        for m in GovernanceModel.objects.order_by("sort_order", "name")
    ]
    assert "chart-board-by-category" in found  # matchmaking's section, from its stats module
    assert sum(int(n) for _, n in found["chart-cases-by-region"]) == public.count()
    csv_text = client.get(reverse("indicators:statistics_csv", args=["cases-by-model"]))
    rows = list(csv.reader(io.StringIO(csv_text.content.decode("utf-8-sig"))))
    assert rows[1:] == found["chart-cases-by-model"]
    assert client.get(reverse("indicators:statistics_csv", args=["nope"])).status_code == 404


def test_map_table_equals_the_database(client, db):
    response = client.get(reverse("indicators:map"))
    assert response.status_code == 200
    table = tables(response.content.decode())["map"]
    counts = {}
    for city in CityPage.objects.live().public().select_related("region__parent"):
        province = city.region.province
        counts[province.name] = counts.get(province.name, 0) + 1
    shown = {row[0]: int(row[2]) for row in table if int(row[2])}
    assert shown == counts
    assert len(table) == Region.objects.filter(level="province").count()
    tiles = {t.name: t.count for t in response.context["grid"]["tiles"]}
    assert {k: v for k, v in tiles.items() if v} == counts
    assert "<svg" in response.content.decode() and 'role="img"' in response.content.decode()


def test_a_province_indicator_shows_only_on_its_provinces_cities(client, shaoxing, shenzhen):
    own = IndicatorFactory(
        province=Region.objects.get(code="330000"), name="测试浙江特色指标", mandatory=True
    )
    assert (
        "测试浙江特色指标"
        in client.get(reverse("indicators:dashboard", args=["shaoxing"])).content.decode()
    )
    assert (
        "测试浙江特色指标"
        not in client.get(reverse("indicators:dashboard", args=["shenzhen"])).content.decode()
    )
    assert own.code


def test_index_lists_the_known_system_and_says_what_is_missing(client, system):
    html = client.get(reverse("indicators:index")).content.decode()
    assert "资源化利用" in html and "秸秆综合利用率" in html
    assert "未录入" in html


def test_city_page_links_the_dashboard_and_shows_similar_cities(client, shaoxing):
    html = client.get(shaoxing.url).content.decode()
    assert reverse("indicators:dashboard", args=["shaoxing"]) in html
    assert "与绍兴市相似的城市" in html
    # 铜陵 is also in 长三角 and the same batch.
    assert "铜陵市" in html and "同属长三角" in html


def test_navigation_links_the_indicator_pages(client, db):
    assert reverse("indicators:index") in client.get("/").content.decode()


def test_the_indicator_choice_marks_the_compared_indicator_selected(client, reported):
    """The indicator select is built in Python (indicators.forms.QuickSelect): the compared
    indicator is the one selected, every indicator is offered, and names are escaped."""
    other = IndicatorFactory(name="测试<指标>")
    response = client.get(reverse("indicators:compare"), {"indicator": reported.code})
    html = response.content.decode()
    assert f'<option value="{reported.code}" selected>{reported.code} {reported.name}' in html
    assert f'<option value="{other.code}">{other.code} 测试&lt;指标&gt;（%）</option>' in html
    assert '<select name="indicator" id="id_indicator">' in html

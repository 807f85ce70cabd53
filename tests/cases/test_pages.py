"""cases/models/pages.py and templates/: every page type renders with the seed content."""

import re

import pytest
from django.core.exceptions import ValidationError

from cases.factories import CasePageFactory
from cases.models import (
    ArticleIndexPage,
    ArticlePage,
    CaseIndexPage,
    CasePage,
    CityIndexPage,
    CityPage,
    HomePage,
    StandardIndexPage,
    StandardPage,
    TechnologyIndexPage,
    TechnologyPage,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, model",
    [
        ("/", HomePage),
        ("/cases/", CaseIndexPage),
        ("/technologies/", TechnologyIndexPage),
        ("/cities/", CityIndexPage),
        ("/standards/", StandardIndexPage),
        ("/strategy/", ArticleIndexPage),
    ],
)
def test_home_and_index_pages_render(client, url, model):
    response = client.get(url)
    assert response.status_code == 200
    page = response.context["page"]
    assert type(page) is model
    assert "<h1" in response.content.decode()
    assert page.title in response.content.decode()


@pytest.mark.parametrize(
    "model, lookup",
    [
        (CityPage, {"slug": "shenzhen"}),
        (CasePage, {"external_id": "seed-panjin-01"}),
        (TechnologyPage, {"external_id": "seed-tech-drilling-mud-no-landing"}),
        (StandardPage, {"external_id": "seed-std-tongling-school"}),
        (ArticlePage, {"external_id": "seed-article-province-central"}),
    ],
)
def test_detail_pages_render(client, model, lookup):
    page = model.objects.get(**lookup)
    response = client.get(page.url)
    assert response.status_code == 200
    assert type(response.context["page"]) is model
    content = response.content.decode()
    assert f"<h1>{page.title}</h1>" in content
    if getattr(page, "summary", ""):
        assert page.summary in content


def test_every_seed_page_renders(client):
    """Nothing in the seed content breaks a template (each live page answers 200)."""
    models = [CityPage, CasePage, TechnologyPage, StandardPage, ArticlePage]
    failures = {}
    for model in models:
        for page in model.objects.live():
            status = client.get(page.url).status_code
            if status != 200:
                failures[page.url] = status
    assert failures == {}


def test_home_page_shows_counts_entry_points_and_latest_cases(client):
    response = client.get("/")
    content = response.content.decode()
    counts = response.context["counts"]
    assert counts["cases"] == CasePage.objects.live().public().count()
    assert counts["cities"] == CityPage.objects.live().public().count()
    assert f"<strong>{counts['cases']}</strong> 条试点经验" in content
    assert 'href="/cases/?waste=hazardous"' in content
    assert 'href="/cases/?model=hazardous"' in content
    assert 'href="/cases/?region=西部"' in content
    assert len(response.context["latest_cases"]) == 6


def test_home_page_entry_points_agree_with_the_listing(client):
    """Each count on the home page tiles equals the number of cases its link lists."""
    response = client.get("/")
    links = {}
    for category, count in response.context["waste_entry_points"]:
        links[f"/cases/?waste={category.slug}"] = count
    for model in response.context["governance_models"]:
        links[f"/cases/?model={model.slug}"] = model.case_count
    for label, cities in response.context["city_groups"]:
        links[f"/cases/?region={label}"] = sum(city.case_count for city in cities)
    found = {}
    for url in links:
        listing = client.get(url)
        assert listing.status_code == 200, url
        found[url] = listing.context["cases"].paginator.count
    assert found == links


def test_city_page_lists_its_cases_and_place(client):
    city = CityPage.objects.get(slug="shenzhen")
    response = client.get(city.url)
    content = response.content.decode()
    assert "广东省 深圳市（东部）" in content
    assert "粤港澳" in content
    assert "首批“11+5”试点" in content
    expected = set(CasePage.objects.live().child_of(city).values_list("title", flat=True))
    assert len(expected) >= 5
    shown = {case.title for case in response.context["cases"]}
    assert shown == expected
    assert f"试点经验（{len(expected)}）" in content


def test_city_index_groups_the_pilots_by_macro_region(client):
    response = client.get("/cities/")
    groups = {label: {c.title for c in cities} for label, cities in response.context["city_groups"]}
    assert "深圳市" in groups["东部"]
    assert {"重庆市", "包头市", "西宁市"} <= groups["西部"]
    assert "盘锦市" in groups["东北"]
    assert "许昌市" in groups["中部"]
    assert sum(len(titles) for titles in groups.values()) == CityPage.objects.live().count()


def test_case_page_shows_city_categories_and_related_technology(client):
    case = CasePage.objects.get(external_id="seed-panjin-01")
    technology = TechnologyPage.objects.get(external_id="seed-tech-drilling-mud-no-landing")
    response = client.get(case.url)
    content = response.content.decode()
    city = CityPage.objects.get(slug="panjin")
    assert f'<dd><a href="{city.url}">盘锦市</a></dd>' in content
    for category in case.waste_categories.all():
        assert (
            f'<a class="chip" href="/cases/?waste={category.slug}">{category.name}</a>' in content
        )
    assert "钻井废弃物" in content
    assert '<a href="/cases/?model=industrial">工业固体废物治理模式</a>' in content
    assert "相关技术" in content
    assert f'<a href="{technology.url}">{technology.title}</a>' in content
    assert "泥浆不落地" in content  # a tag chip


def test_case_page_indicators_render_as_a_table(client, tables_on):
    hw = CasePage.objects.get(external_id="seed-shaoxing-08").waste_categories.all()
    case = CasePageFactory(
        parent=CityPage.objects.get(slug="shaoxing"),
        waste_categories=list(hw),
        indicators=[
            {"name": "危废收集量", "value": "1250.5", "unit": "吨", "year": 2020},
            {"name": "覆盖企业", "value": "1000", "unit": "家", "baseline": "800"},
        ],
    )
    response = client.get(case.url)
    [table] = [t for t in tables_on(response) if t["header"][:2] == ["指标", "数值"]]
    assert table["rows"] == [
        ["危废收集量", "1250.5 吨", "—", "2020"],
        ["覆盖企业", "1000 家", "800 家", "—"],
    ]


def test_technology_page_lists_its_reference_case(client):
    technology = TechnologyPage.objects.get(external_id="seed-tech-drilling-mud-no-landing")
    case = CasePage.objects.get(external_id="seed-panjin-01")
    response = client.get(technology.url)
    content = response.content.decode()
    assert "应用案例" in content
    assert f'<a href="{case.url}">{case.title}</a>' in content
    assert "辽河油田" in content


def test_standard_page_shows_its_city(client):
    standard = StandardPage.objects.get(external_id="seed-std-tongling-school")
    response = client.get(standard.url)
    city = CityPage.objects.get(slug="tongling")
    assert f'<a href="{city.url}">铜陵市</a>' in response.content.decode()
    assert "学校" in response.content.decode()


def test_standard_index_filters_by_cell_type(client, titles_on):
    assert set(titles_on(client.get("/standards/?cell_type=school"))) == {
        "铜陵市“无废学校”评价标准",
        "【示例】无废学校评价表",
    }
    assert len(titles_on(client.get("/standards/?cell_type=nonsense"))) == (
        StandardPage.objects.live().count()
    )


def test_strategy_index_lists_articles_by_section(client):
    response = client.get("/strategy/")
    sections = dict(response.context["sections"])
    assert sum(len(a) for a in sections.values()) == ArticlePage.objects.live().count()
    assert any("中部省域" in a.title for a in sections["省域梯次推进"])


def test_central_article_shows_the_henan_table_as_a_real_table(client, tables_on):
    article = ArticlePage.objects.get(title__startswith="中部省域")
    response = client.get(article.url)
    tables = {t["caption"]: t for t in tables_on(response)}
    table = tables["2019年河南省危险废物产生量排名前10位行业"]
    assert table["header"] == ["排序", "产生量较大的行业类别", "危险废物产生量(万吨)"]
    assert ["1", "常用有色金属冶炼", "116.99"] in table["rows"]
    assert len(table["rows"]) == 10
    # Not flattened into a paragraph: the figure sits in its own cell.
    assert re.search(r"<td>\s*116\.99\s*</td>", response.content.decode())


def test_region_background_article_shows_the_transfer_table(client, tables_on):
    article = ArticlePage.objects.get(external_id="seed-article-region-background")
    response = client.get(article.url)
    [table] = [t for t in tables_on(response) if "跨市/跨省转移" in t["caption"]]
    assert table["header"] == ["类型", "单位", "数值"]
    assert ["建筑垃圾", "万吨", "10656"] in table["rows"]
    assert "数据来源" in response.content.decode()


def test_unknown_url_is_404(client):
    assert client.get("/cases/no-such-case/").status_code == 404


def test_case_city_follows_the_parent_page(db):
    case = CasePageFactory(parent=CityPage.objects.get(slug="weihai"))
    assert case.city.slug == "weihai"
    xuzhou = CityPage.objects.get(slug="xuzhou")
    case.move(xuzhou, pos="last-child")
    case.refresh_from_db()
    assert case.city_id == xuzhou.pk


def test_case_page_clean_requires_governance_model_and_ordered_years(db):
    case = CasePage.objects.get(external_id="seed-panjin-01")
    case.start_year, case.end_year = 2020, 2019
    with pytest.raises(ValidationError) as error:
        case.clean()
    assert "end_year" in error.value.message_dict
    case.end_year, case.governance_model = 2021, None
    with pytest.raises(ValidationError) as error:
        case.clean()
    assert "governance_model" in error.value.message_dict


# --- issue 14: page defects --------------------------------------------------------------------


def test_strategy_tables_name_their_source_once(client):
    for page in ArticlePage.objects.live():
        content = client.get(page.url).content.decode()
        assert "数据来源：数据来源" not in content, page.title
    content = client.get(ArticlePage.objects.get(external_id="seed-article-region-background").url)
    assert "数据来源：各大中城市" in content.content.decode()


def test_imported_table_source_with_the_label_is_not_doubled():
    from cases.importing import blocks_to_stream

    [table] = blocks_to_stream(
        [{"type": "table", "header": ["a"], "rows": [["1"]], "source": "数据来源：某厅"}]
    )
    assert table["value"]["source"] == "某厅"


def test_city_page_shows_no_stray_province_line(client):
    content = client.get(CityPage.objects.get(slug="shenzhen").url).content.decode()
    assert '<p class="muted">广东省</p>' not in content
    assert content.count("广东省") == 1  # under 所在地区 only
    chongqing = client.get(CityPage.objects.get(slug="chongqing").url).content.decode()
    assert "试点范围为主城区" in chongqing and "重庆市；" not in chongqing

"""cases/forms.py + the filters of /cases/ and /technologies/: each filter lists exactly the
matching cases, bad values are HTTP 400, pagination clamps.

Expected sets are computed here straight from the tables (waste tree walked by hand, regions
matched on their own fields), not through cases.selectors or cases.taxonomy_cache.
"""

import re

import pytest

from cases.factories import CasePageFactory, CityPageFactory, RegionFactory
from cases.models import CasePage, GovernanceModel, PilotBatch, Region, WasteCategory
from cases.models.pages import LISTING_PAGE_SIZE

pytestmark = pytest.mark.django_db


# --- independent expectations ----------------------------------------------------------------


def _public_cases():
    return (
        CasePage.objects.live()
        .public()
        .select_related("city__region__parent", "city__batch", "governance_model")
        .prefetch_related("waste_categories")
    )


def _waste_subtree(slugs) -> set[int]:
    parent_of = dict(WasteCategory.objects.values_list("pk", "parent_id"))
    roots = set(WasteCategory.objects.filter(slug__in=slugs).values_list("pk", flat=True))

    def under_a_root(pk):
        while pk is not None:
            if pk in roots:
                return True
            pk = parent_of[pk]
        return False

    return {pk for pk in parent_of if under_a_root(pk)}


def _region_matches(region: Region, value: str) -> bool:
    province = region.parent or region
    if value.isdigit():
        return value in (region.code, province.code)
    if value in ("东部", "中部", "西部", "东北"):
        return province.macro_region == value
    clusters = f"{region.clusters},{province.clusters}".replace("，", ",").split(",")
    return value in clusters


def expected_titles(*, waste=(), region=(), model=(), batch=()) -> set[str]:
    """Titles of public cases matching every given field (AND) and any value of it (OR)."""
    waste_ids = _waste_subtree(waste) if waste else None
    titles = set()
    for case in _public_cases():
        if waste_ids is not None and not {c.pk for c in case.waste_categories.all()} & waste_ids:
            continue
        if region and not any(_region_matches(case.city.region, v) for v in region):
            continue
        if model and case.governance_model.slug not in model:
            continue
        if batch and not (case.city.batch and case.city.batch.slug in batch):
            continue
        titles.add(case.title)
    return titles


@pytest.fixture
def extra_cases(db):
    """Cases that make the filters discriminate beyond the seed: a non-pilot Guangdong city
    outside 粤港澳 (HW31, batch 十四五), a 西部 city with no batch, and a city in 广东 whose own
    region is in 粤港澳."""
    guangdong = Region.objects.get(code="440000")
    sichuan = Region.objects.get(code="510000")
    later = PilotBatch.objects.get(slug="14th-fyp")
    hazardous_model = GovernanceModel.objects.get(slug="hazardous")
    cities = {
        "gd": CityPageFactory(
            region=RegionFactory(level=Region.Level.CITY, parent=guangdong), batch=later
        ),
        "gba": CityPageFactory(
            region=RegionFactory(level=Region.Level.CITY, parent=guangdong, clusters="粤港澳")
        ),
        "west": CityPageFactory(region=RegionFactory(level=Region.Level.CITY, parent=sichuan)),
    }
    return [
        CasePageFactory(
            parent=cities["gd"],
            title="测试：广东非湾区含铅废物",
            governance_model=hazardous_model,
            waste_categories=[WasteCategory.objects.get(code="HW31")],
        ),
        CasePageFactory(
            parent=cities["gba"],
            title="测试：湾区医疗废物",
            governance_model=hazardous_model,
            waste_categories=[WasteCategory.objects.get(code="HW01")],
        ),
        CasePageFactory(
            parent=cities["west"],
            title="测试：西部工业固废",
            governance_model=GovernanceModel.objects.get(slug="industrial"),
            waste_categories=[WasteCategory.objects.get(slug="industrial")],
        ),
    ]


# --- filters ---------------------------------------------------------------------------------


def test_unfiltered_listing_has_every_public_case(listing_titles, extra_cases):
    titles = listing_titles("/cases/")
    assert len(titles) == len(set(titles))
    assert set(titles) == expected_titles()


@pytest.mark.parametrize(
    "query, filters, must_include",
    [
        (
            "waste=hazardous",
            {"waste": ["hazardous"]},
            # Descendants count: HW18 (飞灰), HW31 (铅蓄电池), HW01 (医疗废物).
            {
                "深圳市宝安垃圾焚烧厂等离子气化实现飞灰无害化和资源化",
                "许昌市废铅蓄电池生产者责任延伸制度试点",
                "深圳市医疗废物全过程智慧监管系统和视频远程执法平台",
                "测试：广东非湾区含铅废物",
            },
        ),
        (
            "waste=hw18",
            {"waste": ["hw18"]},
            {"深圳市宝安垃圾焚烧厂等离子气化实现飞灰无害化和资源化"},
        ),
        (
            "region=粤港澳",
            {"region": ["粤港澳"]},
            {"深圳市开展生活垃圾地方立法", "测试：湾区医疗废物"},
        ),
        (
            "region=440000",
            {"region": ["440000"]},
            {"测试：广东非湾区含铅废物", "测试：湾区医疗废物"},
        ),
        ("region=440300", {"region": ["440300"]}, {"深圳市开展生活垃圾地方立法"}),
        (
            "region=西部",
            {"region": ["西部"]},
            {"重庆市危险废物“一物一码”全过程追踪", "测试：西部工业固废"},
        ),
        ("region=成渝", {"region": ["成渝"]}, {"重庆市危险废物“一物一码”全过程追踪"}),
        ("model=hazardous", {"model": ["hazardous"]}, {"绍兴市小微企业危险废物收集“直通车”模式"}),
        (
            "batch=2019-11plus5",
            {"batch": ["2019-11plus5"]},
            {"盘锦市辽河油田钻井“泥浆不落地”打造“无废矿区”"},
        ),
        ("batch=14th-fyp", {"batch": ["14th-fyp"]}, {"测试：广东非湾区含铅废物"}),
        # AND across fields
        (
            "waste=hazardous&region=东部&model=hazardous",
            {"waste": ["hazardous"], "region": ["东部"], "model": ["hazardous"]},
            {"绍兴市小微企业危险废物收集“直通车”模式"},
        ),
        (
            "waste=industrial&region=西部&batch=2019-11plus5",
            {"waste": ["industrial"], "region": ["西部"], "batch": ["2019-11plus5"]},
            {"包头市推进绿色矿山建设提高资源提取效率"},
        ),
        # OR within a field
        (
            "waste=hw18&waste=hw31",
            {"waste": ["hw18", "hw31"]},
            {
                "深圳市宝安垃圾焚烧厂等离子气化实现飞灰无害化和资源化",
                "许昌市废铅蓄电池生产者责任延伸制度试点",
            },
        ),
        (
            "region=粤港澳&region=东北",
            {"region": ["粤港澳", "东北"]},
            {"深圳市开展生活垃圾地方立法", "盘锦市推进城乡环卫一体化体系建设"},
        ),
        (
            "model=agricultural&model=urban",
            {"model": ["agricultural", "urban"]},
            {
                "威海市农药包装废弃物押金回收制度",
                "深圳市全市推行生活垃圾强制分类及收费制度和激励机制",
            },
        ),
    ],
)
def test_filter_lists_exactly_the_matching_cases(
    listing_titles, extra_cases, query, filters, must_include
):
    expected = expected_titles(**filters)
    assert must_include <= expected
    assert expected != expected_titles(), "the filter should exclude something"
    titles = listing_titles(f"/cases/?{query}")
    assert len(titles) == len(set(titles)), "a case is listed twice"
    assert set(titles) == expected


def test_filters_exclude_cases_outside_the_selection(listing_titles, extra_cases):
    titles = set(listing_titles("/cases/?waste=hw18&waste=hw31"))
    assert titles == {
        "深圳市宝安垃圾焚烧厂等离子气化实现飞灰无害化和资源化",
        "许昌市废铅蓄电池生产者责任延伸制度试点",
        "测试：广东非湾区含铅废物",
    }
    gba = set(listing_titles("/cases/?region=粤港澳"))
    assert "测试：广东非湾区含铅废物" not in gba
    assert all(t.startswith("深圳市") for t in gba - {"测试：湾区医疗废物"})


def test_filter_form_keeps_the_selection(client):
    response = client.get("/cases/?waste=hw18&model=hazardous")
    content = response.content.decode()
    assert '<option value="hw18" selected>' in content
    assert '<option value="hazardous" selected>' in content


def test_tag_filter(listing_titles):
    assert set(listing_titles("/cases/?tag=一物一码")) == {"重庆市危险废物“一物一码”全过程追踪"}


def test_technology_listing_filters_by_waste_descendants(listing_titles):
    titles = set(listing_titles("/technologies/?waste=hazardous"))
    assert "等离子气化飞灰无害化与资源化技术" in titles  # HW18 under 危险废物
    assert "医疗废物全过程智慧监管系统与视频远程执法平台" in titles  # HW01 (医疗废物)
    assert "钻井“泥浆不落地”工艺" not in titles


# --- bad values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, message",
    [
        ("/cases/?waste=no-such-waste", "没有这个选项：no-such-waste"),
        ("/cases/?waste=hazardous&waste=bogus", "没有这个选项：bogus"),
        ("/cases/?region=999999", "没有这个地区：999999"),
        ("/cases/?region=火星", "没有这个地区：火星"),
        ("/cases/?model=nope", "没有这个选项：nope"),
        ("/cases/?batch=2099", "没有这个选项：2099"),
        ("/technologies/?waste=no-such-waste", "没有这个选项：no-such-waste"),
    ],
)
def test_bad_filter_value_is_400_naming_the_value(client, titles_on, url, message):
    response = client.get(url)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'role="alert"' in content
    assert titles_on(response) == []


@pytest.mark.parametrize(
    "query",
    ["waste=%00", "region=%00", "tag=%00", "model=%00", "waste=<script>", "tag=" + "x" * 51],
)
def test_hostile_filter_values_are_400_not_500(client, query):
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()


def test_bad_technology_maturity_is_400(client):
    assert client.get("/technologies/?maturity=ancient").status_code == 400


# --- pagination ------------------------------------------------------------------------------


def test_pagination_page_two_and_clamping(client, titles_on):
    total = CasePage.objects.live().public().count()
    last = -(-total // LISTING_PAGE_SIZE)
    assert last >= 2
    first = client.get("/cases/")
    second = client.get("/cases/?page=2")
    assert second.status_code == 200
    assert second.context["cases"].number == 2
    assert len(titles_on(second)) == min(LISTING_PAGE_SIZE, total - LISTING_PAGE_SIZE)
    assert not set(titles_on(first)) & set(titles_on(second))
    assert 'rel="prev"' in second.content.decode()

    clamped = client.get("/cases/?page=999")
    assert clamped.status_code == 200
    assert clamped.context["cases"].number == last
    assert titles_on(clamped) == titles_on(client.get(f"/cases/?page={last}"))
    assert f"第 {last} / {last} 页" in clamped.content.decode()

    for junk in ("abc", "", "1.5"):
        response = client.get(f"/cases/?page={junk}")
        assert response.status_code == 200
        assert response.context["cases"].number == 1
        assert titles_on(response) == titles_on(first)


def test_pagination_links_keep_the_filters(client):
    response = client.get("/cases/?waste=hazardous&waste=industrial")
    assert response.context["cases"].paginator.num_pages >= 2
    content = response.content.decode()
    assert 'href="?waste=hazardous&amp;waste=industrial&amp;page=2"' in content


# --- issue 14: the 地区 filter offers its choices ----------------------------------------------


def test_region_filter_offers_grouped_choices_and_keeps_the_selection(client):
    content = client.get("/cases/?region=440300").content.decode()
    select = re.search(r'<select name="region"[^>]*>(.*?)</select>', content, re.S).group(1)
    assert '<optgroup label="东中西部">' in select and '<option value="东部">' in select
    assert '<optgroup label="城市群">' in select and '<option value="粤港澳">' in select
    assert '<optgroup label="广东省">' in select
    assert '<option value="440000">广东省（全省）</option>' in select
    assert '<option value="440300" selected>深圳市</option>' in select
    # Only pilot cities are listed under their province, not every city of China.
    assert '<option value="440100">' not in select

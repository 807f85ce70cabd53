"""cases/seeding.py: the seed fixtures as loaded into the test database, and idempotency."""

import json

import pytest
from django.apps import apps
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision, Site

from cases import seeding
from cases.models import (
    CaseIndicator,
    CasePage,
    CaseTag,
    CityPage,
    HomePage,
    PilotBatch,
    StandardPage,
    TechnologyPage,
    TechnologyTag,
    WasteCategory,
)

pytestmark = pytest.mark.django_db

PILOTS_11_PLUS_5 = {
    "深圳市",
    "包头市",
    "铜陵市",
    "威海市",
    "重庆市",
    "绍兴市",
    "三亚市",
    "许昌市",
    "徐州市",
    "盘锦市",
    "西宁市",
    "雄安新区",
    "北京经济技术开发区",
    "中新天津生态城",
    "光泽县",
    "瑞金市",
}


def _fixture_records(name):
    return json.loads((seeding.FIXTURES_DIR / name).read_text(encoding="utf-8"))


def _row_counts() -> dict[str, int]:
    """Rows of every cases model (taxonomy terms included) and of the Wagtail tables the
    loader writes to."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_app_config("cases").get_models()}
    for model in (Page, Revision, PageLogEntry, Tag, Site):
        counts[model._meta.label] = model.objects.count()
    return counts


def test_page_counts():
    assert CityPage.objects.live().count() >= 16
    assert CasePage.objects.live().count() >= 45
    assert TechnologyPage.objects.live().count() >= 8
    assert StandardPage.objects.live().count() >= 3
    assert CasePage.objects.count() == len(_fixture_records("content/cases.json"))


def test_site_tree():
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get()
    assert site.root_page_id == home.pk
    assert [p.url_path for p in home.get_children().live().order_by("path")] == [
        f"{home.url_path}{slug}/"
        for slug in ("cases", "technologies", "cities", "standards", "strategy")
    ]


def test_every_case_has_its_city_a_category_and_a_governance_model():
    problems = []
    for case in CasePage.objects.prefetch_related("waste_categories"):
        parent = case.get_parent()
        if case.city_id is None or case.city_id != parent.pk:
            problems.append((case.title, "city", case.city_id, parent.pk))
        if not case.waste_categories.all():
            problems.append((case.title, "waste_categories"))
        if case.governance_model_id is None:
            problems.append((case.title, "governance_model"))
        if not case.live or case.has_unpublished_changes:
            problems.append((case.title, "not published"))
    assert problems == []


def test_all_sixteen_11_plus_5_pilots():
    batch = PilotBatch.objects.get(slug="2019-11plus5")
    cities = CityPage.objects.live().filter(batch=batch)
    assert set(cities.values_list("title", flat=True)) == PILOTS_11_PLUS_5
    assert cities.count() == 16
    kinds = dict(cities.values_list("title", "kind"))
    assert kinds["雄安新区"] == CityPage.Kind.NEW_AREA
    assert kinds["光泽县"] == CityPage.Kind.COUNTY


def test_hazardous_waste_codes_hw01_to_hw50_under_hazardous():
    hazardous = WasteCategory.objects.get(slug="hazardous", name="危险废物")
    codes = WasteCategory.objects.filter(code__startswith="HW")
    assert codes.count() == 46
    assert set(codes.values_list("parent", flat=True)) == {hazardous.pk}
    assert set(hazardous.children.values_list("code", flat=True)) == {
        f"HW{n:02d}" for n in [*range(1, 41), *range(45, 51)]
    }
    assert WasteCategory.objects.get(code="HW18").name == "焚烧处置残渣"


@pytest.mark.parametrize(
    "title_part, city",
    [("一物一码", "重庆市"), ("泥浆不落地", "盘锦市"), ("直通车", "绍兴市")],
)
def test_seed_case_under_its_city(title_part, city):
    case = CasePage.objects.live().get(title__contains=title_part)
    assert case.get_parent().title == city
    assert case.city.title == city


def test_mud_technology_links_to_the_panjin_case():
    technology = TechnologyPage.objects.get(title__contains="泥浆不落地")
    cases = technology.reference_cases.all()
    assert [(c.title, c.city.title) for c in cases] == [
        ("盘锦市辽河油田钻井“泥浆不落地”打造“无废矿区”", "盘锦市")
    ]


def test_technology_reference_cases_match_the_fixture():
    """technologies.json lists reference cases; cases.json links the other way. Both agree
    with what is stored."""
    stored = {
        (t.external_id, c.external_id)
        for t in TechnologyPage.objects.prefetch_related("reference_cases")
        for c in t.reference_cases.all()
    }
    listed = {
        (t["external_id"], case_id)
        for t in _fixture_records("content/technologies.json")
        for case_id in t["reference_cases"]
    }
    assert stored == listed
    assert len(stored) >= 10


def test_seed_tags_and_indicators_are_stored():
    case = CasePage.objects.get(external_id="seed-chongqing-04")
    assert {"一物一码", "全过程追踪"} <= set(case.tags.names())
    assert CaseTag.objects.exists() and TechnologyTag.objects.exists()


def test_load_all_twice_is_idempotent():
    before = _row_counts()
    latest_revisions = dict(Page.objects.values_list("pk", "latest_revision_id"))
    report = seeding.load_all()
    for kind, filenames in [
        ("technology", ["content/technologies.json"]),
        ("case", ["content/cases.json"]),
        ("standard", ["content/standards.json", "content/standards_examples.json"]),
        ("article", ["content/articles.json"]),
    ]:
        records = sum(len(_fixture_records(filename)) for filename in filenames)
        assert report[kind] == {"created": 0, "updated": 0, "unchanged": records}, kind
    assert report["cities"] == 16
    assert _row_counts() == before
    assert dict(Page.objects.values_list("pk", "latest_revision_id")) == latest_revisions
    assert CaseIndicator.objects.count() == before["cases.CaseIndicator"]

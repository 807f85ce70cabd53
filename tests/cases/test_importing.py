"""cases/importing.py: upsert_case resolves names, names the failing field, writes nothing on
error, and updates by external_id."""

import copy
import json

import pytest
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from cases import importing, seeding
from cases.importing import RecordError, upsert_case
from cases.models import CaseIndicator, CasePage, CaseTag, CityPage, WasteCategory

pytestmark = pytest.mark.django_db

RECORD = {
    "type": "case",
    "external_id": "test-import-01",
    "title": "测试导入：小微企业危废收集",
    "city": "绍兴市",
    "governance_model": "危废治理",
    "waste_categories": ["危废", "HW18"],
    "tags": ["导入测试", "小微企业"],
    "summary": "导入测试的摘要。",
    "body": "第一段。\n\n第二段。",
    "published": "2021-03-06",
    "source": "测试来源",
    "section": "3(2)",
    "indicators": [{"name": "收集量", "value": "12.5", "unit": "万吨", "year": 2020}],
    "technologies": ["seed-tech-hw-one-code"],
}


def record(**changes):
    data = copy.deepcopy(RECORD)
    for key, value in changes.items():
        if value is ...:
            data.pop(key)
        else:
            data[key] = value
    return data


def snapshot() -> dict:
    return {
        model._meta.label: model.objects.count()
        for model in (Page, CasePage, Revision, PageLogEntry, CaseIndicator, CaseTag, Tag)
    }


def test_upsert_creates_a_published_case_under_its_city():
    page, status = upsert_case(record())
    assert status == "created"
    page = CasePage.objects.get(external_id="test-import-01")
    assert page.live and not page.has_unpublished_changes
    assert page.get_parent().specific == CityPage.objects.get(title="绍兴市")
    assert page.city.title == "绍兴市"
    assert page.governance_model.slug == "hazardous"
    assert {c.slug for c in page.waste_categories.all()} == {"hazardous", "hw18"}
    assert set(page.tags.names()) == {"导入测试", "小微企业"}
    assert [t.external_id for t in page.technologies.all()] == ["seed-tech-hw-one-code"]
    [indicator] = page.indicators.all()
    assert (indicator.name, indicator.value, indicator.unit, indicator.year) == (
        "收集量",
        12.5,
        "万吨",
        2020,
    )
    assert page.published_date.isoformat() == "2021-03-06"
    assert [block.block_type for block in page.body] == ["paragraph", "paragraph"]
    assert page.revisions.count() == 1


@pytest.mark.parametrize(
    "names, slugs",
    [
        (["危废"], {"hazardous"}),
        (["HW18"], {"hw18"}),
        (["hw18"], {"hw18"}),
        (["飞灰"], {"hw18"}),
        (["危险废物", "hazardous", "危废"], {"hazardous"}),
        ("危废、HW31", {"hazardous", "hw31"}),
    ],
)
def test_waste_category_aliases_and_codes_resolve(names, slugs):
    page, _ = upsert_case(record(waste_categories=names))
    assert {c.slug for c in page.waste_categories.all()} == slugs


@pytest.mark.parametrize("city", ["绍兴市", "shaoxing", "330600"])
def test_city_resolves_by_name_slug_or_code(city):
    page, _ = upsert_case(record(city=city))
    assert page.get_parent().slug == "shaoxing"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"city": "火星市"}, "city"),
        ({"city": ...}, "city"),
        ({"waste_categories": ["不存在的废物"]}, "waste_categories"),
        ({"waste_categories": ["危废", "HW99"]}, "waste_categories"),
        ({"waste_categories": []}, "waste_categories"),
        ({"title": ...}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 256}, "title"),
        ({"summary": ""}, "summary"),
        ({"external_id": ""}, "external_id"),
        ({"governance_model": "不存在的模式"}, "governance_model"),
        ({"published": "2021-13-40"}, "published"),
        ({"published": "三月六日"}, "published"),
        ({"indicators": [{"name": "收集量", "value": "很多"}]}, "indicators[1].value"),
        (
            {"indicators": [{"name": "收集量", "value": "12", "baseline": "abc"}]},
            "indicators[1].baseline",
        ),
        ({"indicators": [{"name": "收集量", "value": "NaN"}]}, "indicators[1].value"),
        ({"indicators": [{"name": "收集量", "value": None}]}, "indicators[1].value"),
        ({"indicators": [{"name": "收集量", "value": "1", "year": "去年"}]}, "indicators[1].year"),
        ({"indicators": [{"value": "1"}]}, "indicators[1]"),
        ({"technologies": ["no-such-technology"]}, "technologies"),
    ],
)
def test_bad_record_raises_record_error_naming_the_field_and_writes_nothing(changes, field):
    before = snapshot()
    with pytest.raises(RecordError) as error:
        upsert_case(record(**changes))
    assert error.value.field == field
    assert str(error.value).startswith(f"{field}: ")
    assert snapshot() == before
    assert not CasePage.objects.filter(external_id="test-import-01").exists()


def test_unknown_city_error_suggests_close_matches():
    with pytest.raises(RecordError) as error:
        upsert_case(record(city="绍兴"))
    assert "绍兴市" in error.value.message


def test_indicator_value_out_of_range_is_a_record_error():
    before = snapshot()
    with pytest.raises(RecordError) as error:
        upsert_case(record(indicators=[{"name": "收集量", "value": "1e20"}]))
    assert error.value.field == "indicators[1].value"
    assert snapshot() == before


def test_bad_update_leaves_the_existing_case_untouched():
    upsert_case(record())
    before = snapshot()
    with pytest.raises(RecordError) as error:
        upsert_case(record(title="改过的标题", published="not-a-date"))
    assert error.value.field == "published"
    assert snapshot() == before
    assert CasePage.objects.get(external_id="test-import-01").title == RECORD["title"]


def test_reupsert_updates_instead_of_duplicating():
    upsert_case(record())
    page = CasePage.objects.get(external_id="test-import-01")
    revisions = page.revisions.count()
    pages = Page.objects.count()

    updated, status = upsert_case(
        record(title="测试导入：更新后的标题", waste_categories=["HW31"], tags=["更新"])
    )
    assert status == "updated"
    assert updated.pk == page.pk
    assert Page.objects.count() == pages
    assert CasePage.objects.filter(external_id="test-import-01").count() == 1
    page.refresh_from_db()
    assert page.title == "测试导入：更新后的标题"
    assert page.live and not page.has_unpublished_changes
    assert [c.code for c in page.waste_categories.all()] == ["HW31"]
    assert set(page.tags.names()) == {"更新"}
    assert page.revisions.count() == revisions + 1

    again, status = upsert_case(
        record(title="测试导入：更新后的标题", waste_categories=["HW31"], tags=["更新"])
    )
    assert status == "unchanged"
    assert again.pk == page.pk
    assert page.revisions.count() == revisions + 1


def test_identical_record_is_unchanged():
    upsert_case(record())
    before = snapshot()
    _page, status = upsert_case(record())
    assert status == "unchanged"
    assert snapshot() == before


def test_seed_record_is_unchanged():
    cases = json.loads((seeding.FIXTURES_DIR / "content/cases.json").read_text(encoding="utf-8"))
    before = snapshot()
    for item in cases[:5]:
        assert upsert_case(item)[1] == "unchanged"
    assert snapshot() == before


def test_changed_indicator_updates_the_case():
    upsert_case(record())
    _page, status = upsert_case(
        record(indicators=[{"name": "收集量", "value": "13", "unit": "万吨", "year": 2020}])
    )
    assert status == "updated"
    page = CasePage.objects.get(external_id="test-import-01")
    assert [i.value for i in page.indicators.all()] == [13]


def test_moving_a_case_to_another_city_is_refused():
    upsert_case(record())
    with pytest.raises(RecordError) as error:
        upsert_case(record(city="深圳市"))
    assert error.value.field == "city"


def test_unpublished_import_is_a_draft(client):
    page, status = upsert_case(record(), publish=False)
    assert status == "created"
    page = CasePage.objects.get(external_id="test-import-01")
    assert not page.live
    assert RECORD["title"] not in client.get("/cases/").content.decode()


def test_article_tables_become_table_blocks():
    stream = importing.blocks_to_stream(
        [
            {"type": "heading", "value": "标题"},
            {"type": "table", "caption": "表", "header": ["a", "b"], "rows": [[1, 2.5]]},
        ]
    )
    assert stream[1]["type"] == "table"
    assert stream[1]["value"]["table"]["data"] == [["a", "b"], ["1", "2.5"]]
    with pytest.raises(RecordError) as error:
        importing.blocks_to_stream([{"type": "video", "value": "x"}])
    assert error.value.field == "body"


def test_waste_categories_are_resolved_before_anything_is_written():
    hazardous = WasteCategory.objects.get(slug="hazardous")
    count = hazardous.cases.count()
    with pytest.raises(RecordError):
        upsert_case(record(waste_categories=["危废", "未知类别"]))
    assert hazardous.cases.count() == count

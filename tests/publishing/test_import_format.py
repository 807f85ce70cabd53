"""One owner for the import format (issue 15.3): one registry of record types, one place per
rule, articles export and re-import unchanged, `source_section` (the old case key `section`
still read), and a city's editors importing their own city's standards (issue 9)."""

import pytest

from cases import importing
from cases.models import ArticlePage, CasePage, CityPage, StandardPage
from publishing import exports, importfile, imports
from tests.publishing.test_import import make_records

pytestmark = pytest.mark.django_db


def _rows(records):
    return list(enumerate(records, start=2))


def test_one_registry_names_every_record_type():
    assert set(importing.RECORD_TYPES) == {"case", "technology", "standard", "article"}
    assert set(exports.MODELS) == set(exports.RECORDS) == set(importing.RECORD_TYPES)
    report = imports.import_records(_rows([{"type": "policy", "external_id": "x"}]))
    assert report.errors[0]["field"] == "type" and "article" in report.errors[0]["message"]


def test_articles_export_and_reimport_unchanged():
    records = exports.export_records(types=("article",))
    assert len(records) == ArticlePage.objects.count() > 0
    assert {"section", "macro_region", "cluster"} <= set(records[0])
    for fmt in ("jsonl", "csv"):
        rows = importfile.parse(exports.to_bytes(records, fmt), f"a.{fmt}").rows
        report = imports.import_records(rows)
        assert report.errors == [], fmt
        assert report.counts["unchanged"] == len(records), fmt


def test_a_cases_source_section_has_its_own_key_and_the_old_one_still_works():
    new, old, both = make_records(3, prefix="sec")
    new.pop("section")
    new["source_section"] = "3(1)"
    old["section"] = "3(2)"
    both["section"], both["source_section"] = "3(3)", "3(4)"
    report = imports.import_records(_rows([new, old, both]))
    assert [(e["row"], e["field"]) for e in report.errors] == [(4, "section")]
    pages = {
        p.external_id: p for p in CasePage.objects.filter(external_id__in=["sec-000", "sec-001"])
    }
    assert pages["sec-000"].source_section == "3(1)"
    assert pages["sec-001"].source_section == "3(2)"
    exported = exports.case_record(pages["sec-000"])
    assert exported["source_section"] == "3(1)" and "section" not in exported


def test_numbers_too_large_are_one_rule_with_the_field_named():
    record = make_records(1, prefix="big")[0]
    record["indicators"] = [{"name": "收集量", "value": 10**15, "unit": "吨"}]
    report = imports.import_records(_rows([record]))
    assert report.errors[0]["field"] == "indicators[1].value"
    assert "数值过大" in report.errors[0]["message"]


def test_a_case_id_of_another_city_is_one_rule():
    record = make_records(1, prefix="own")[0]
    imports.import_records(_rows([record]))
    record["city"] = "深圳市"
    report = imports.import_records(_rows([record]))
    assert report.errors[0]["field"] == "city" and "已属于" in report.errors[0]["message"]


def _standard(external_id, city):
    return {
        "type": "standard",
        "external_id": external_id,
        "title": f"示例：{city}无废学校评价标准",
        "cell_type": "school",
        "city": city,
        "summary": "示例标准（测试用）。",
    }


def test_a_city_editor_imports_their_own_citys_standards_under_the_city(role_user):
    editor = role_user("绍兴 编辑")
    report = imports.import_records(
        _rows([_standard("std-sx", "绍兴市"), _standard("std-sz", "深圳市")]), user=editor
    )
    assert [(e["row"], e["field"]) for e in report.errors] == [(3, "city")]
    page = StandardPage.objects.get(external_id="std-sx")
    city = CityPage.objects.get(title="绍兴市")
    assert page.get_parent().pk == city.pk and page.city_id == city.pk
    assert not StandardPage.objects.filter(external_id="std-sz").exists()


def test_national_imports_keep_standards_under_the_standards_index():
    report = imports.import_records(_rows([_standard("std-nat", "绍兴市")]))
    assert report.errors == []
    page = StandardPage.objects.get(external_id="std-nat")
    assert page.get_parent().specific_class.__name__ == "StandardIndexPage"

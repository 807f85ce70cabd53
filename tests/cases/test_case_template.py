"""The case template (issue 14): structured sections, completeness, 待补充 on the page, the
office contact rule, the import/export fields and the migration that keeps every case's text."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cases import case_template, importing
from cases.factories import CasePageFactory
from cases.models import CaseIndicator, CasePage, CityPage
from publishing import exports

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shaoxing(db):
    return CityPage.objects.get(slug="shaoxing")


def test_completeness_counts_the_sections_and_names_what_is_missing(shaoxing):
    case = CasePageFactory(parent=shaoxing, title="模板测试")
    empty = case_template.completeness(case)
    assert empty.score == 0 and not empty.complete
    assert empty.missing[:3] == ("背景与问题", "主要做法", "成效")
    case.background = "小微企业危废收集难。"
    case.measures = "统一收运。"
    case.indicators = [CaseIndicator(name="收集量", value=1, unit="吨", year=2020)]
    case.save()
    result = case_template.completeness(CasePage.objects.get(pk=case.pk))
    assert result.score == 30
    assert result.filled == ("背景与问题", "主要做法", "成效")
    assert "投入与成本" in result.missing_text and "背景与问题" not in result.missing_text


def test_the_page_shows_every_section_and_marks_empty_ones(client):
    case = CasePage.objects.get(external_id="seed-shaoxing-08")
    content = client.get(case.url).content.decode()
    for section in case_template.SECTIONS:
        assert f">{section.label}</h2>" in content
    assert "小微企业危险废物收集“直通车”模式" in content.split('id="sec-measures"')[1]
    background = content.split('id="sec-background"')[1].split("</section>")[0]
    assert "待补充" in background
    assert content.count('class="placeholder">待补充') >= 6


def test_seed_cases_fill_only_what_the_source_says():
    cases = CasePage.objects.filter(external_id__startswith="seed-")
    assert cases.count() == 59
    assert all(c.measures for c in cases)
    assert not any(c.background or c.costs or c.lessons or c.lead_office for c in cases)


def test_the_office_contact_refuses_a_personal_mobile(shaoxing):
    case = CasePageFactory(parent=shaoxing, title="联系方式测试")
    case.lead_office = "绍兴市生态环境局固体废物管理处"
    case.lead_office_contact = "0575-85000000"
    case.full_clean()
    case.lead_office_contact = "联系人手机 139 1234 5678"
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "lead_office_contact" in error.value.message_dict


def test_template_fields_import_and_export_round_trip(shaoxing):
    record = {
        "type": "case",
        "external_id": "tpl-01",
        "title": "模板导入测试",
        "city": "绍兴市",
        "governance_model": "危险废物治理模式",
        "waste_categories": ["HW18"],
        "summary": "摘要。",
        "background": "背景。",
        "measures": "做法一。\n\n做法二。",
        "outcomes": "成效说明。",
        "costs": "投入 100 万元（示例）。",
        "lessons": "第一次招标失败：价格过低。",
        "replicable_points": ["要点一", "要点二"],
        "applicability": "适用于小微企业多的城市。",
        "lead_office": "某市生态环境局",
        "lead_office_contact": "gfc@example.gov.cn",
    }
    page, status = importing.upsert_case(record)
    assert status == "created"
    page = CasePage.objects.get(pk=page.pk)
    assert page.replicable_points == "要点一\n要点二"
    exported = exports.case_record(page)
    for key in ("background", "measures", "outcomes", "costs", "lessons", "applicability"):
        assert exported[key] == record[key]
    assert exported["lead_office_contact"] == "gfc@example.gov.cn"
    assert importing.upsert_case(exported)[1] == "unchanged"
    with pytest.raises(importing.RecordError) as error:
        importing.upsert_case({**record, "lead_office_contact": "13912345678"})
    assert error.value.field == "lead_office_contact"


MIGRATION_CHECK = r"""
import json, django
django.setup()
from django.core.management import call_command
from django.db import connection
from cases import importing, seeding

def texts():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.title, c.summary, c.body FROM cases_casepage c "
            "JOIN wagtailcore_page p ON p.id = c.page_ptr_id ORDER BY p.id"
        )
        return [list(row) for row in cursor.fetchall()]

call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
seeding.load_taxonomy()
seeding.ensure_site_tree()
seeding.load_cities()
for kind, name in [("technology", "content/technologies.json"), ("case", "content/cases.json")]:
    for record in seeding.read(name):
        importing.UPSERTS[kind](record, publish=True)
after_seed = texts()
call_command("migrate", "cases", "0004", verbosity=0)
before = texts()
call_command("migrate", "cases", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM cases_casepage WHERE information_date IS NULL")
    undated = cursor.fetchone()[0]
print(json.dumps({"seed": after_seed, "before": before, "after": texts(), "undated": undated}))
"""


def test_the_template_migration_keeps_every_cases_text(tmp_path):
    """Forward and back over the template migration on a database of its own (SQLite): the
    title, summary and body of every case are the same before and after, and every case gets
    its 信息更新于 date."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/migration.sqlite3",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", MIGRATION_CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(data["seed"]) == 59
    assert data["before"] == data["seed"] == data["after"]
    assert data["undated"] == 0

"""Loading the indicator system and values from files: row-numbered errors, re-import by code
(or by city + indicator + year), atomic mode, the seed fixture and the management command."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from indicators import imports
from indicators.models import Indicator, IndicatorGroup, IndicatorValue

SYSTEM_CSV = """type,code,name,parent,unit,direction,mandatory,source
group,T1,测试一级,,,,,测试文件
group,T1.1,测试二级,T1,,,,测试文件
indicator,T1.1.1,测试指标甲,T1.1,%,higher,是,测试文件
indicator,T1.1.2,测试指标乙,T1.1,万吨,lower,否,测试文件
"""


def _run(kind, text, name="f.csv", **options):
    data = text.encode() if isinstance(text, str) else text
    return imports.run(kind, data, name, **options)


def test_seed_fixture_has_the_five_first_level_groups_each_with_a_source(system):
    first = list(IndicatorGroup.objects.filter(parent=None).order_by("sort_order"))
    assert [g.name for g in first] == [
        "固体废物源头减量",
        "资源化利用",
        "最终处置",
        "保障能力",
        "群众获得感",
    ]
    assert Indicator.objects.filter(name="秸秆综合利用率", unit="%").exists()
    assert all(i.source for i in Indicator.objects.all())
    assert all(g.source for g in IndicatorGroup.objects.all())


def test_system_import_and_reimport_update_by_code(db):
    report = _run("system", SYSTEM_CSV)
    assert report.ok and report.created == 4
    changed = SYSTEM_CSV.replace("测试指标乙,T1.1,万吨,lower", "测试指标乙（修订）,T1.1,万吨,lower")
    again = _run("system", changed)
    assert again.ok and again.created == 0 and again.updated == 1 and again.unchanged == 3
    indicator = Indicator.objects.get(code="T1.1.2")
    assert indicator.name == "测试指标乙（修订）" and indicator.lower_is_better
    assert Indicator.objects.filter(code__startswith="T1.").count() == 2


def test_system_import_reports_bad_rows_by_number_and_keeps_good_ones(db):
    text = (
        SYSTEM_CSV
        + "indicator,T1.1.3,缺来源,T1.1,%,higher,是,\nindicator,T1.1.4,坏方向,T1.1,%,sideways,是,测试\nindicator,T1.1.5,无分组,NOPE,%,higher,是,测试\n"
    )
    report = _run("system", text)
    assert [(row, field) for row, field, _ in report.errors] == [
        (6, "source"),
        (7, "direction"),
        (8, "parent"),
    ]
    assert Indicator.objects.filter(code="T1.1.1").exists()
    assert not Indicator.objects.filter(code__in=["T1.1.3", "T1.1.4", "T1.1.5"]).exists()


def test_system_import_atomic_writes_nothing_when_a_row_is_bad(db):
    report = _run("system", SYSTEM_CSV + "indicator,T1.1.9,,T1.1,%,higher,是,测试\n", atomic=True)
    assert not report.written and report.errors
    assert not IndicatorGroup.objects.filter(code="T1").exists()


def test_system_import_from_xlsx_with_chinese_headers(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["类型", "编码", "名称", "上级", "单位", "方向", "必选", "来源文件", "省级特色"])
    sheet.append(["分组", "T9", "测试省级分组", "", "", "", "", "测试文件", "浙江省"])
    sheet.append(["指标", "T9.1", "测试省级指标", "T9", "%", "越高越好", "必选", "测试文件", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _run("system", buffer.getvalue(), name="system.xlsx")
    assert report.ok, report.lines()
    indicator = Indicator.objects.get(code="T9.1")
    # An indicator of a province's own group belongs to that province.
    assert indicator.province.name == "浙江省" and indicator.mandatory


VALUES_CSV = """城市,指标编码,年份,数值,单位,目标值,目标年份,基准值,基准年份,数据来源
绍兴市,P2019-17,2021,91,%,95,2025,88,2020,绍兴市统计公报（测试）
绍兴市,P2019-17,2022,93,%,95,2025,88,2020,绍兴市统计公报（测试）
绍兴市,P2019-17,2023,12,万吨,,,,,绍兴市统计公报（测试）
深圳市,P2019-17,2022,90,%,,,,,深圳（测试）
绍兴市,NOPE,2022,90,%,,,,,测试
"""


def test_value_import_reports_unit_mismatch_permission_and_unknown_code_by_row(system, sx_editor):
    report = _run("values", VALUES_CSV, user=sx_editor)
    assert report.created == 2
    errors = {(row, field) for row, field, _ in report.errors}
    assert errors == {(4, "unit"), (5, "city"), (6, "indicator")}
    assert "无权填报深圳市" in dict(((r, f), m) for r, f, m in report.errors)[(5, "city")]
    assert IndicatorValue.objects.filter(city__slug="shaoxing").count() == 2
    assert not IndicatorValue.objects.filter(city__slug="shenzhen").exists()
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"draft"}


def test_value_reimport_updates_and_withdraws_an_approved_value(system, sx_editor, sx_reviewer):
    good = "\n".join(VALUES_CSV.splitlines()[:3]) + "\n"
    _run("values", good, user=sx_editor, submit=True)
    from indicators import services

    services.approve(sx_reviewer, IndicatorValue.objects.filter(city__slug="shaoxing"))
    again = _run("values", good.replace(",93,%", ",94,%"), user=sx_editor)
    assert again.created == 0 and again.updated == 2
    value = IndicatorValue.objects.get(city__slug="shaoxing", year=2022)
    assert value.value == 94 and value.status == "draft"  # changed: back to review
    assert IndicatorValue.objects.get(city__slug="shaoxing", year=2021).status == "approved"


def test_value_import_atomic(system, sx_editor):
    report = _run("values", VALUES_CSV, user=sx_editor, atomic=True)
    assert not report.written and report.created == 0
    assert not IndicatorValue.objects.exists()


def test_import_command(system, sx_editor, tmp_path, capsys):
    path = tmp_path / "values.csv"
    path.write_text(VALUES_CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="3 行有错误"):
        call_command("import_indicators", str(path), "--values", "--user", "sx-editor", "--dry-run")
    assert not IndicatorValue.objects.exists()
    err = capsys.readouterr().err
    assert "第 4 行（unit）" in err
    call_command("load_indicators")  # idempotent
    assert IndicatorGroup.objects.filter(parent=None).count() >= 5


def test_a_case_figure_that_fits_an_indicator_becomes_a_reported_value(system, shaoxing):
    from cases.factories import CasePageFactory
    from indicators import seeding

    CasePageFactory(
        parent=shaoxing,
        title="测试：秸秆利用经验",
        source="测试来源文件",
        indicators=[
            {"name": "秸秆综合利用率", "value": 92, "unit": "%", "year": 2020},
            {"name": "秸秆综合利用率", "value": 5, "unit": "万吨", "year": 2021},  # unit differs
            {"name": "某项案例数字", "value": 3, "unit": "个", "year": 2020},
        ],
    )
    assert seeding.values_from_cases() == 1
    value = IndicatorValue.objects.get(city=shaoxing)
    assert (value.year, value.value, value.status) == (2020, 92, "approved")
    assert value.source == "测试来源文件"


def test_system_file_may_list_children_before_parents(db):
    text = "type,code,name,parent,unit,source\nindicator,T5.1.1,测试指标,T5.1,%,测试\ngroup,T5.1,测试二级,T5,,测试\ngroup,T5,测试一级,,,测试\n"
    report = _run("system", text)
    assert report.ok, report.lines()
    assert Indicator.objects.get(code="T5.1.1").group.parent.code == "T5"

"""Bulk import and export: formats, row-numbered errors, --atomic, --dry-run, re-import by
external_id, export → import round trip, city editors' imports, new cities from the Region
taxonomy, and the admin upload → preview → confirm view."""

import csv
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from openpyxl import Workbook
from wagtail.models import Page, Revision, WorkflowState

from cases import importing
from cases.models import CasePage, CityPage
from publishing import exports, importfile, imports

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def make_records(n=12, prefix="imp", city="绍兴市") -> list[dict]:
    cities = ["绍兴市", "深圳市", "330600", "shenzhen"]
    return [
        {
            "type": "case",
            "external_id": f"{prefix}-{i:03d}",
            "title": f"导入测试经验{i}：小微企业危废收集",
            "city": city or cities[i % len(cities)],
            "governance_model": ["危废治理", "危险废物治理模式", "综合治理"][i % 3],
            "waste_categories": [["危废", "HW18"], ["生活垃圾"], ["hw31", "危险废物"]][i % 3],
            "tags": ["导入", f"标签{i % 4}"],
            "summary": f"第 {i} 条导入测试的摘要。",
            "body": f"第一段，第 {i} 条。\n第一段第二行。\n\n第二段：成效。",
            "published": f"2021-03-{(i % 27) + 1:02d}",
            "source": "测试来源",
            "section": f"3({i})",
            "indicators": [
                {"name": "收集量", "value": 12.5 + i, "unit": "万吨", "baseline": 3, "year": 2020}
            ]
            if i % 2
            else [],
            "technologies": ["seed-tech-hw-one-code"] if i % 5 == 0 else [],
        }
        for i in range(n)
    ]


def snapshot(prefix) -> dict:
    """Every imported case's stored content, by external_id (independent of the exporter)."""
    pages = {}
    for page in CasePage.objects.filter(external_id__startswith=prefix):
        pages[page.external_id] = {
            "title": page.title,
            "city": page.get_parent().slug,
            "model": page.governance_model.slug,
            "waste": sorted(c.slug for c in page.waste_categories.all()),
            "tags": sorted(page.tags.names()),
            "summary": page.summary,
            "body": importing._stream_json(page.body),
            "published": page.published_date,
            "source": page.source,
            "section": page.source_section,
            "indicators": [
                (i.name, i.value, i.unit, i.baseline, i.year) for i in page.indicators.all()
            ],
            "technologies": sorted(t.external_id for t in page.technologies.all()),
            "live": page.live,
            "revisions": page.revisions.count(),
        }
    return pages


def jsonl_bytes(records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def csv_bytes(records, encoding="utf-8-sig", headers=None) -> bytes:
    """A spreadsheet as a person makes it: lists with 、, indicators as JSON text."""
    columns = list(records[0])
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow([(headers or {}).get(c, c) for c in columns])
    for record in records:
        writer.writerow([_cell(record[c]) for c in columns])
    return text.getvalue().encode(encoding)


def _cell(value):
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "、".join(value)
    return value


def xlsx_bytes(records, headers=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    columns = list(records[0])
    sheet.append([(headers or {}).get(c, c) for c in columns])
    for record in records:
        row = []
        for column in columns:
            value = _cell(record[column])
            if column == "published":  # Excel keeps dates as dates
                value = datetime.datetime.fromisoformat(value)
            row.append(value)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CHINESE_HEADERS = {
    "type": "类型",
    "external_id": "外部编号",
    "title": "标题",
    "city": "城市",
    "governance_model": "治理模式",
    "waste_categories": "废物类别",
    "tags": "标签",
    "summary": "摘要",
    "body": "正文",
    "published": "发布日期",
    "source": "来源",
    "section": "来源章节",
    "indicators": "成效指标",
    "technologies": "相关技术",
}


def import_bytes(data, name, **options):
    return imports.import_records(importfile.parse(data, name).rows, **options)


def test_the_same_cases_in_jsonl_csv_and_xlsx_give_identical_pages():
    records = make_records(12, city=None)
    files = {
        "jsonl": (jsonl_bytes(records), "cases.jsonl"),
        "json": (json.dumps(records, ensure_ascii=False).encode(), "cases.json"),
        "csv": (csv_bytes(records), "cases.csv"),
        "csv-gbk-chinese-headers": (
            csv_bytes(records, encoding="gb18030", headers=CHINESE_HEADERS),
            "cases.csv",
        ),
        "xlsx": (xlsx_bytes(records, headers=CHINESE_HEADERS), "cases.xlsx"),
    }
    results = {}
    for label, (data, name) in files.items():
        with transaction.atomic():
            report = import_bytes(data, name, publish=True)
            assert report.errors == [], (label, report.errors)
            assert report.counts["created"] == 12, label
            results[label] = snapshot("imp-")
            transaction.set_rollback(True)
    first = results["jsonl"]
    assert len(first) == 12
    assert first["imp-001"]["indicators"] == [("收集量", 13.5, "万吨", 3, 2020)]
    assert first["imp-002"]["city"] == "shaoxing" and first["imp-001"]["city"] == "shenzhen"
    assert first["imp-000"]["technologies"] == ["seed-tech-hw-one-code"]
    for label, pages in results.items():
        assert pages == first, label


def _fifty_with_three_bad():
    records = make_records(50, prefix="bulk")
    records[7]["city"] = "火星市"
    records[22]["waste_categories"] = ["危废", "不存在的废物"]
    records[40]["title"] = ""
    return records


def test_three_bad_rows_out_of_fifty_import_47_and_report_the_three(tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(_fifty_with_three_bad()))
    with pytest.raises(CommandError, match="3 行有错误"):
        call_command("import_content", str(path), "--publish")
    out = capsys.readouterr().out
    assert "新建 47" in out and "错误 3" in out
    # Spreadsheet rows: the header is row 1, so record n (from 0) is row n + 2.
    assert "第 9 行 [city] 未知的城市“火星市”" in out
    assert "第 24 行 [waste_categories] 未知的废物类别“不存在的废物”" in out
    assert "第 42 行 [title] 不能为空" in out
    assert CasePage.objects.filter(external_id__startswith="bulk-").count() == 47
    assert CasePage.objects.filter(external_id__startswith="bulk-", live=True).count() == 47
    assert not CasePage.objects.filter(external_id__in=["bulk-007", "bulk-022", "bulk-040"])


def test_atomic_imports_none_of_fifty_when_three_are_bad(tmp_path, capsys):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl_bytes(_fifty_with_three_bad()))
    pages = Page.objects.count()
    with pytest.raises(CommandError):
        call_command("import_content", str(path), "--atomic", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["written"] is False
    assert [(e["row"], e["field"]) for e in report["errors"]] == [
        (8, "city"),
        (23, "waste_categories"),
        (41, "title"),
    ]
    assert Page.objects.count() == pages
    assert not CasePage.objects.filter(external_id__startswith="bulk-").exists()


def test_dry_run_writes_nothing_and_reports_what_the_import_would_do(tmp_path, capsys):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes(_fifty_with_three_bad()))
    before = (Page.objects.count(), Revision.objects.count())
    with pytest.raises(CommandError):
        call_command("import_content", str(path), "--dry-run", "--json")
    dry = json.loads(capsys.readouterr().out)
    assert (Page.objects.count(), Revision.objects.count()) == before
    assert dry["dry_run"] and not dry["written"]
    with pytest.raises(CommandError):
        call_command("import_content", str(path), "--json")
    real = json.loads(capsys.readouterr().out)
    assert real["written"]
    assert dry["counts"] == real["counts"]
    assert dry["errors"] == real["errors"]


def test_reimport_updates_in_place_keeps_revisions_and_never_duplicates():
    records = make_records(5, prefix="again")
    import_bytes(jsonl_bytes(records), "a.jsonl", publish=True)
    before = snapshot("again-")
    ids = dict(
        CasePage.objects.filter(external_id__startswith="again-").values_list("external_id", "pk")
    )

    records[2]["title"] = "改过的标题"
    records[3]["tags"] = ["只剩一个标签"]
    report = import_bytes(csv_bytes(records), "a.csv", publish=True)
    assert report.counts == {**report.counts, "created": 0, "updated": 2, "unchanged": 3}
    after = snapshot("again-")
    assert (
        dict(
            CasePage.objects.filter(external_id__startswith="again-").values_list(
                "external_id", "pk"
            )
        )
        == ids
    )
    assert after["again-002"]["title"] == "改过的标题"
    assert after["again-003"]["tags"] == ["只剩一个标签"]
    assert after["again-002"]["revisions"] == before["again-002"]["revisions"] + 1
    assert after["again-000"] == before["again-000"]

    report = import_bytes(csv_bytes(records), "a.csv", publish=True)
    assert report.counts["unchanged"] == 5
    assert snapshot("again-") == after


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx", "json"])
def test_export_then_import_round_trips_losslessly(fmt, tmp_path, capsys, shaoxing):
    # A case whose body is more than plain paragraphs must survive too.
    rich = importing.upsert_case(
        {
            **make_records(1, prefix="rich")[0],
            "body": [
                {"type": "heading", "value": "做法"},
                {
                    "type": "paragraph",
                    "value": '<p>含<b>加粗</b>和<a href="https://example.cn">链接</a></p>',
                },
                {
                    "type": "table",
                    "value": {
                        "caption": "表1",
                        "table": {
                            "data": [["指标", "数值"], ["收集量", "1.2"]],
                            "first_row_is_table_header": True,
                            "first_col_is_header": False,
                            "table_caption": "",
                        },
                        "source": "",
                    },
                },
            ],
        }
    )[0]
    assert isinstance(exports.case_record(rich)["body"], list)
    before = snapshot("")
    path = tmp_path / f"export.{fmt}"
    call_command("export_content", str(path), "--type", "case")
    capsys.readouterr()

    # Importing an untouched export changes nothing at all.
    report = import_bytes(path.read_bytes(), path.name, publish=True)
    assert report.errors == []
    assert report.counts["unchanged"] == len(before)
    assert snapshot("") == before

    # Change and delete cases, then restore them from the export.
    changed = CasePage.objects.filter(external_id__startswith="seed-shaoxing")[:3]
    for page in changed:
        importing.upsert_case(
            {**exports.case_record(page), "title": "被改坏的标题", "tags": [], "indicators": []}
        )
    CasePage.objects.get(external_id="rich-000").delete()
    CasePage.objects.filter(external_id__startswith="seed-shenzhen").first().delete()
    report = import_bytes(path.read_bytes(), path.name, publish=True)
    assert report.errors == []
    assert report.counts["created"] == 2 and report.counts["updated"] == 3
    after = snapshot("")
    for values in (*before.values(), *after.values()):
        values.pop("revisions")
    assert after == before


def test_export_filters_by_city_and_type(tmp_path, capsys):
    path = tmp_path / "sx.jsonl"
    call_command("export_content", str(path), "--city", "绍兴市", "--type", "case")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert records and {r["city"] for r in records} == {"绍兴市"}
    assert {r["type"] for r in records} == {"case"}
    assert len(records) == CasePage.objects.filter(city__slug="shaoxing").count()
    call_command("export_content", "-", "--type", "technology", "--format", "jsonl")
    out = capsys.readouterr().out.splitlines()
    assert out and all(json.loads(line)["type"] == "technology" for line in out)
    with pytest.raises(CommandError, match="未知的城市"):
        call_command("export_content", str(path), "--city", "火星市")


def test_unknown_names_are_errors_with_suggestions(make_user):
    # (A national user's "绍兴" would resolve through the Region taxonomy's 简称 to 绍兴市.)
    editor = make_user("hint-editor", "绍兴市 编辑")
    record = make_records(1, prefix="hint")[0]
    report = imports.import_records(
        [
            (1, {**record, "waste_categories": ["危险废"]}),
            (2, {**record, "external_id": "hint-2", "governance_model": "危废治"}),
            (3, {**record, "external_id": "hint-3", "city": "绍兴"}),
            (4, {**record, "external_id": "hint-4", "type": "video"}),
            (
                5,
                {
                    **record,
                    "external_id": "hint-5",
                    "indicators": [{"name": "量", "value": "1e20"}],
                },
            ),
        ],
        user=editor,
    )
    messages = {e["row"]: (e["field"], e["message"]) for e in report.errors}
    assert messages[1][0] == "waste_categories" and "是否指" in messages[1][1]
    assert "危险废物" in messages[1][1]
    assert messages[2][0] == "governance_model" and "是否指" in messages[2][1]
    assert messages[3][0] == "city" and "绍兴市" in messages[3][1]
    assert messages[4][0] == "type"
    assert messages[5][0] == "indicators[1].value"


def test_file_problems_are_reported_clearly():
    with pytest.raises(importfile.FileError, match="无法识别文件格式"):
        importfile.parse(b"hello", "cases.txt")
    with pytest.raises(importfile.FileError, match="不是有效的 JSON"):
        importfile.parse(b"[{", "cases.json")
    with pytest.raises(importfile.FileError, match="列名"):
        importfile.parse("甲,乙\n1,2\n".encode(), "cases.csv")
    with pytest.raises(importfile.FileError, match="XLSX"):
        importfile.parse(b"PK\x03\x04not really a zip", "cases.xlsx")
    parsed = importfile.parse(b'{"title": "a"}\n\nnot json\n[1]\n', "cases.jsonl")
    assert [(n, type(r).__name__) for n, r in parsed.rows] == [
        (1, "dict"),
        (3, "RowError"),
        (4, "RowError"),
    ]
    parsed = importfile.parse('title,indicators\n甲,"[{oops"\n'.encode(), "cases.csv")
    [(row, error)] = parsed.rows
    assert row == 2 and error.field == "indicators"


def test_a_national_import_creates_a_missing_city_from_the_region_taxonomy(make_user):
    admin = make_user("nat-admin", "国家管理员")
    records = make_records(2, prefix="nj", city="南京市")
    records[1]["city"] = "320100"
    report = imports.import_records(list(enumerate(records, start=1)), user=admin, publish=True)
    assert report.errors == [] and report.created_cities == ["南京市"]
    city = CityPage.objects.get(title="南京市")
    assert city.region.code == "320100" and city.live
    assert CasePage.objects.filter(external_id__startswith="nj-", city=city, live=True).count() == 2
    assert Group.objects.filter(name="南京市 编辑").exists()
    assert city.get_workflow().name == "南京市 审核流程"


def test_a_city_editor_cannot_create_cities(make_user):
    editor = make_user("sx-ed", "绍兴市 编辑")
    report = imports.import_records(
        [(1, make_records(1, prefix="x", city="南京市")[0])], user=editor
    )
    [error] = report.errors
    assert error["field"] == "city" and "南京市" in error["message"]
    assert not CityPage.objects.filter(title="南京市").exists()


def test_a_city_editors_import_lands_in_their_city_as_drafts_submitted_for_review(
    make_user, django_capture_on_commit_callbacks
):
    editor = make_user("sx-importer", "绍兴市 编辑")
    reviewer = make_user("sx-checker", "绍兴市 审核")
    records = make_records(4, prefix="ed")
    records[1]["city"] = "深圳市"  # another city: an error for that row
    records[2]["city"] = ""  # no city: the editor's own
    records[3] = {**records[3], "type": "technology", "maturity": "pilot"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_records(
            list(enumerate(records, start=2)), user=editor, publish=True
        )
    assert [(e["row"], e["field"]) for e in report.errors] == [(3, "city"), (5, "type")]
    assert "您没有在“深圳市”发布内容的权限" in report.errors[0]["message"]
    assert report.counts["submitted"] == 2 and report.counts["published"] == 0
    pages = CasePage.objects.filter(external_id__startswith="ed-")
    assert {p.external_id for p in pages} == {"ed-000", "ed-002"}
    for page in pages:
        assert page.get_parent().slug == "shaoxing"
        assert not page.live and page.owner == editor
        state = page.current_workflow_state
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.requested_by == editor
    # The reviewer gets one summary email for the batch, not one per page.
    to_reviewer = [m for m in mail.outbox if reviewer.email in m.to]
    assert len(to_reviewer) == 1
    assert "2 个页面" in to_reviewer[0].subject
    assert records[0]["title"] in to_reviewer[0].body

    # While in review the pages are locked for the editor: re-importing them is refused.
    records[0]["title"] = "审核中改标题"
    report = imports.import_records([(2, records[0])], user=editor)
    [error] = report.errors
    assert error["field"] == "external_id" and "锁定" in error["message"]


def test_a_city_reviewer_may_publish_their_own_citys_import(make_user):
    reviewer = make_user("sx-pub", "绍兴市 审核")
    report = imports.import_records(
        list(enumerate(make_records(2, prefix="rv"), start=1)), user=reviewer, publish=True
    )
    assert report.counts["published"] == 2
    assert CasePage.objects.filter(external_id__startswith="rv-", live=True).count() == 2


def test_import_command_as_a_user(tmp_path, make_user, capsys):
    make_user("cmd-editor", "绍兴市 编辑")
    path = tmp_path / "c.jsonl"
    path.write_bytes(jsonl_bytes(make_records(2, prefix="cmd", city="深圳市")))
    with pytest.raises(CommandError):
        call_command("import_content", str(path), "--user", "cmd-editor", "--publish")
    assert "您没有在“深圳市”发布内容的权限" in capsys.readouterr().out
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("import_content", str(path), "--user", "nobody")


# --- the admin view ---------------------------------------------------------------------------


def _upload(client, data, name, **options):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("publishing:import"),
        {"file": SimpleUploadedFile(name, data), **{k: "on" for k, v in options.items() if v}},
    )


def test_admin_import_previews_with_row_numbers_then_confirms(client, make_user):
    editor = make_user("view-editor", "绍兴市 编辑")
    client.force_login(editor)
    records = make_records(5, prefix="view")
    records[3]["city"] = "深圳市"
    records[4]["waste_categories"] = ["不存在的废物"]
    pages = Page.objects.count()

    response = _upload(client, xlsx_bytes(records), "cases.xlsx", publish=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "预览" in html and "第 5 行" in html and "第 6 行" in html
    assert "不存在的废物" in html
    assert response.context["report"].counts["errors"] == 2
    assert Page.objects.count() == pages  # the preview wrote nothing
    token = response.context["confirm_form"].initial["token"]

    # Another user cannot confirm this upload.
    other = make_user("view-other", "绍兴市 编辑")
    client.force_login(other)
    assert client.post(reverse("publishing:confirm"), {"token": token}).status_code == 400
    assert client.post(reverse("publishing:confirm"), {"token": "../../etc"}).status_code == 400

    client.force_login(editor)
    response = client.post(reverse("publishing:confirm"), {"token": token})
    assert response.status_code == 200
    assert "导入完成" in response.content.decode()
    created = CasePage.objects.filter(external_id__startswith="view-")
    assert created.count() == 3 and not created.filter(live=True).exists()
    assert all(p.current_workflow_state for p in created)
    # The stored file is gone: confirming twice does nothing.
    assert client.post(reverse("publishing:confirm"), {"token": token}).status_code == 400


def test_admin_import_with_atomic_and_errors_cannot_be_confirmed(client, make_user):
    client.force_login(make_user("view-atomic", "国家管理员"))
    records = make_records(3, prefix="va")
    records[1]["title"] = ""
    response = _upload(client, jsonl_bytes(records), "c.jsonl", atomic=True)
    assert response.status_code == 200
    assert not response.context["can_confirm"]
    assert "全部成功才导入" in response.content.decode()


def test_admin_import_refuses_bad_files_with_a_message(client, make_user):
    client.force_login(make_user("view-bad", "绍兴市 审核"))
    response = _upload(client, b"MZ\x90\x00", "cases.exe")
    assert response.status_code == 400
    assert "请上传 .jsonl、.json、.csv 或 .xlsx 文件" in response.content.decode()
    response = _upload(client, b"[{", "cases.json")
    assert response.status_code == 400 and "不是有效的 JSON" in response.content.decode()


def test_admin_import_template_downloads_parse(client, make_user):
    client.force_login(make_user("view-template", "绍兴市 编辑"))
    for fmt in ("xlsx", "csv", "jsonl"):
        response = client.get(reverse("publishing:template", args=[fmt]))
        assert response.status_code == 200
        [(row, record)] = importfile.parse(response.content, f"t.{fmt}").rows
        assert record["city"] == "绍兴市" and record["indicators"][0]["name"] == "收集量"


# --- scale -----------------------------------------------------------------------------------


def test_the_report_times_the_import():
    report = import_bytes(jsonl_bytes(make_records(3, prefix="time")), "t.jsonl")
    assert report.seconds > 0 and report.to_dict()["seconds"] >= 0


def test_the_benchmark_generates_and_parses_5000_distinct_rows():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import import_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    records = import_bench.generate(5000)
    assert len({r["external_id"] for r in records}) == 5000
    for fmt in ("csv", "jsonl"):
        parsed = importfile.parse(exports.to_bytes(records, fmt), f"b.{fmt}")
        assert len(parsed.rows) == 5000
        assert all(isinstance(r, dict) for _, r in parsed.rows)


def test_the_benchmark_script_prints_rows_per_second(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/import_bench.py"),
            *("--rows", "30", "--formats", "csv", "--job"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["rows"] == 30
    assert report["results"]["csv"]["created"] == 30
    result = report["results"]["csv"]
    assert result["rows_per_s"] > 0
    assert result["searchable"] == 30  # findable when the import returns
    assert result["reimport_unchanged"] == 30
    job = result["job"]
    assert (job["status"], job["rows_done"], job["rows_written"], job["report_rows"]) == (
        "done",
        30,
        30,
        30,
    )
    assert len(report["cpu_calibration_ms"]) == 2


def test_every_type_exports_and_reimports_unchanged(tmp_path, capsys):
    path = tmp_path / "all.xlsx"
    call_command("export_content", str(path))
    assert "已导出" in capsys.readouterr().err
    parsed = importfile.parse(path.read_bytes(), path.name)
    kinds = {record["type"] for _, record in parsed.rows}
    assert kinds == {"case", "technology", "standard", "article"}
    report = imports.import_records(parsed.rows, publish=True)
    assert report.errors == []
    assert report.counts["unchanged"] == len(parsed.rows)


def test_the_import_menu_item_is_shown_to_those_who_may_import(rf, role_user):
    from publishing.wagtail_hooks import register_import_menu_item

    item = register_import_menu_item()
    assert item.label == "批量导入"
    for role, shown in [("国家管理员", True), ("绍兴 编辑", True), ("国家审核", False)]:
        request = rf.get("/admin/")
        request.user = role_user(role)
        assert item.is_shown(request) is shown, role


def test_admin_import_refuses_files_over_the_job_limit(client, make_user, monkeypatch):
    from publishing import jobs, views

    monkeypatch.setattr(views, "ADMIN_MAX_ROWS", 2)
    monkeypatch.setattr(jobs, "MAX_ROWS", 3)
    client.force_login(make_user("view-big", "绍兴市 编辑"))
    response = _upload(client, jsonl_bytes(make_records(4, prefix="big")), "c.jsonl")
    assert response.status_code == 400
    assert "后台一次最多导入 3 行" in response.content.decode()
    assert "import_content" in response.content.decode()


# --- issue 14: a dry run never emails reviewers ------------------------------------------------


def test_a_dry_run_import_emails_no_reviewer(make_user, django_capture_on_commit_callbacks):
    editor = make_user("dry-editor", "绍兴市 编辑")
    make_user("dry-checker", "绍兴市 审核")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_records(
            list(enumerate(make_records(2, prefix="dry"), start=2)), user=editor, dry_run=True
        )
    assert report.counts["submitted"] == 2
    assert not CasePage.objects.filter(external_id__startswith="dry-").exists()
    assert mail.outbox == []


def test_a_rolled_back_atomic_import_emails_no_reviewer(
    make_user, django_capture_on_commit_callbacks
):
    editor = make_user("atomic-editor", "绍兴市 编辑")
    make_user("atomic-checker", "绍兴市 审核")
    records = make_records(2, prefix="atm")
    records[1]["title"] = ""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_records(list(enumerate(records, start=2)), user=editor, atomic=True)
    assert report.rolled_back
    assert mail.outbox == []


def test_the_admin_preview_emails_no_reviewer(
    client, make_user, django_capture_on_commit_callbacks
):
    editor = make_user("preview-editor", "绍兴市 编辑")
    make_user("preview-checker", "绍兴市 审核")
    client.force_login(editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, jsonl_bytes(make_records(2, prefix="pv")), "c.jsonl")
    assert response.status_code == 200
    assert mail.outbox == []


def test_technology_treatment_stages_import_export_and_unknown_stage():
    from cases.models import TechnologyPage

    record = {
        "type": "technology",
        "external_id": "stage-tech",
        "title": "飞灰处置示例技术",
        "waste_categories": ["HW18"],
        "treatment_stages": "处置、利用",
        "summary": "示例。",
    }
    report = imports.import_records([(2, record)], publish=True)
    assert not report.errors
    page = TechnologyPage.objects.get(external_id="stage-tech")
    assert [s.name for s in page.treatment_stages.all()] == ["利用", "处置"]
    assert exports.technology_record(page)["treatment_stages"] == ["利用", "处置"]
    report = imports.import_records([(2, {**record, "treatment_stages": ["焚化"]})])
    [error] = report.errors
    assert error["field"] == "treatment_stages" and "焚化" in error["message"]


def test_new_cases_cost_queries_per_batch_not_per_row():
    """Lookups, page writes and indexes go by batch: 40 new cases take hardly more queries than
    10 (the rest of a row's cost is Python)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n, prefix):
        records = make_records(n, prefix=prefix)
        with CaptureQueriesContext(connection) as captured:
            report = imports.import_records(list(enumerate(records, start=2)), publish=True)
        assert report.counts["created"] == n
        # Each row has a savepoint of its own (a bad row is rolled back alone): not counted.
        return sum("SAVEPOINT" not in q["sql"] for q in captured)

    few, many = queries(10, "perrow-a"), queries(40, "perrow-b")
    assert (many - few) / 30 < 0.25, (few, many)


def test_a_new_cases_row_writes_nothing_before_its_batch_and_needs_no_savepoint():
    """A new case in an existing city with known tags is checked whole and written with its
    batch: no savepoint of its own. A row that may write (here: a new tag) keeps one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def savepoints(records) -> int:
        with CaptureQueriesContext(connection) as captured:
            report = imports.import_records(list(enumerate(records, start=2)), publish=True)
        assert report.counts["created"] == len(records) and not report.errors
        return sum(q["sql"].startswith("SAVEPOINT") for q in captured)

    records = make_records(12, prefix="nosave")
    for record in records:
        record["tags"] = ["导入"]
    savepoints(records[:1])  # the tag exists from now on
    # The batch's own and its page batch's write: none per row.
    assert savepoints(records[1:6]) == 2
    records[11]["tags"] = ["一个全新的标签"]
    assert savepoints(records[6:]) > 2


def test_a_database_error_in_a_row_without_a_savepoint_redoes_its_batch_safely(monkeypatch):
    """On PostgreSQL a failed statement spoils the transaction: the batch is rolled back and
    run again with a savepoint per row, so the bad row is reported and the others kept."""
    from django.db import connection

    records = make_records(6, prefix="redo")
    for record in records:
        record["tags"] = ["导入"]
    imports.import_records([(2, {**records[0], "external_id": "redo-seed"})], publish=True)
    template_fields = importing._template_fields
    calls = []

    def failing(record):
        if record["external_id"] == "redo-003":
            calls.append(record["external_id"])
            with connection.cursor() as cursor:
                cursor.execute("SELECT no_such_column FROM no_such_table")
        return template_fields(record)

    monkeypatch.setattr(importing, "_template_fields", failing)
    report = imports.import_records(list(enumerate(records, start=2)), publish=True)
    assert calls == ["redo-003", "redo-003"]  # tried without, then with its savepoint
    assert report.counts["created"] == 5
    assert [e["row"] for e in report.errors] == [5]
    assert [r.row for r in report.results] == [2, 3, 4, 5, 6, 7]
    stored = CasePage.objects.filter(external_id__startswith="redo-0")
    assert sorted(stored.values_list("external_id", flat=True)) == [
        f"redo-{n:03d}" for n in (0, 1, 2, 4, 5)
    ]
    assert all(page.revisions.count() == 1 for page in stored)
    assert len({page.slug for page in stored}) == 5
    assert {page.slug for page in stored} == {f"redo-{n:03d}" for n in (0, 1, 2, 4, 5)}

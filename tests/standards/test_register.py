"""The public register: filters and counts equal database counts, flags, downloads, the bulk
import (row-numbered errors, re-import by certificate number) and the selectors other apps use."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.models import CityPage
from standards import register_import, selectors, services
from standards.factories import make_cell
from standards.models import Cell

pytestmark = pytest.mark.django_db
HEADER = [
    "证书编号",
    "名称",
    "细胞类型",
    "城市",
    "区县",
    "依据标准",
    "标准版本",
    "得分",
    "认定日期",
    "有效期至",
    "状态",
]


@pytest.fixture
def cells(shaoxing, shenzhen):
    made = []
    for n in range(6):
        made.append(
            make_cell(
                city=shaoxing if n % 2 else shenzhen,
                cell_type=["school", "community", "hospital"][n % 3],
                recognised_on=datetime.date(2023 + n % 2, 3, 1),
            )
        )
    services.revoke(made[0], "复查不合格")
    made[1].recognised_on, made[1].expires_on = datetime.date(2017, 1, 1), datetime.date(2020, 1, 1)
    made[1].save()
    services.flag_expired()
    return made


def _rows(response):
    html = response.content.decode()
    return html.count('<td class="cell-status')


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"cell_type": "school"},
        {"status": "revoked"},
        {"status": "expired"},
        {"year": "2024"},
        {"cell_type": "community", "year": "2024"},
    ],
)
def test_filters_and_counts_equal_database_counts(client, cells, params, shaoxing):
    for city in (None, shaoxing):
        query = {**params, **({"city": city.pk} if city else {})}
        response = client.get(reverse("standards:register"), query)
        assert response.status_code == 200
        expected = Cell.objects.all()
        if city:
            expected = expected.filter(city=city)
        if "cell_type" in params:
            expected = expected.filter(cell_type=params["cell_type"])
        if "status" in params:
            expected = expected.filter(status=params["status"])
        if "year" in params:
            expected = expected.filter(recognised_on__year=int(params["year"]))
        assert response.context["page_obj"].paginator.count == expected.count()
        assert _rows(response) == min(expected.count(), 50)
        by_type = {r["cell_type"]: r["count"] for r in response.context["by_type"]}
        for kind in ("school", "community", "hospital"):
            assert by_type.get(kind, 0) == expected.filter(cell_type=kind).count()
        by_city = {r["city_id"]: r["count"] for r in response.context["by_city"]}
        assert sum(by_city.values()) == expected.count()


def test_expired_and_revoked_cells_are_flagged(client, cells):
    html = client.get(reverse("standards:register")).content.decode()
    assert 'cell-status-revoked">已撤销' in html and 'cell-status-expired">已过期' in html
    assert Cell.objects.get(pk=cells[1].pk).status == Cell.Status.EXPIRED


@pytest.mark.parametrize("params", [{"year": "abc"}, {"city": "999999"}, {"status": "x"}])
def test_bad_filters_are_400_naming_the_field(client, params):
    response = client.get(reverse("standards:register"), params)
    assert response.status_code == 400
    assert next(iter(params)) in response.content.decode()
    assert (
        client.get(reverse("standards:register-download", args=["csv"]), params).status_code == 400
    )
    assert client.get(reverse("standards:register-download", args=["pdf"])).status_code == 400


def test_downloads_follow_the_filters(client, cells):
    response = client.get(reverse("standards:register-download", args=["csv"]), {"status": "valid"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) - 1 == Cell.objects.filter(status="valid").count()
    xlsx = client.get(reverse("standards:register-download", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row - 1 == Cell.objects.count()


def test_selectors_for_other_apps(cells):
    assert sum(r["count"] for r in selectors.cell_counts_by_type()) == Cell.objects.count()
    assert {r["city"] for r in selectors.cell_counts_by_city()} == {"绍兴市", "深圳市"}


def _csv(rows) -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("cells.csv", text.getvalue().encode("utf-8-sig"))


GOOD = [
    "SX-2024-001",
    "越城区实验小学",
    "学校",
    "绍兴市",
    "越城区",
    "",
    "",
    "91",
    "2024-05-01",
    "2027-05-01",
    "有效",
]


def test_import_reports_a_bad_row_and_keeps_the_others():
    bad = ["SX-2024-002", "某小区", "不存在的类型", "绍兴市", "", "", "", "", "2024-05-01", "", ""]
    bad_date = ["SX-2024-003", "某医院", "医院", "绍兴市", "", "", "", "", "2024/13/01", "", ""]
    good2 = ["SX-2024-004", "某社区", "社区", "330600", "", "", "", "", "2024-06-01", "", ""]
    report = register_import.import_file(_csv([GOOD, bad, bad_date, good2]))
    assert (report.rows, report.created, report.updated) == (4, 2, 0)
    assert [(row, field) for row, field, _ in report.errors] == [
        (3, "cell_type"),
        (4, "recognised_on"),
    ]
    assert set(Cell.objects.values_list("certificate_number", flat=True)) >= {
        "SX-2024-001",
        "SX-2024-004",
    }
    assert not Cell.objects.filter(certificate_number__in=["SX-2024-002", "SX-2024-003"]).exists()


def test_reimport_updates_by_certificate_number():
    register_import.import_file(_csv([GOOD]))
    changed = [*GOOD[:7], "95", *GOOD[8:10], "已撤销"]
    report = register_import.import_file(_csv([changed]))
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    cell = Cell.objects.get(certificate_number="SX-2024-001")
    assert cell.score == 95 and cell.status == Cell.Status.REVOKED
    assert Cell.objects.filter(certificate_number="SX-2024-001").count() == 1


def test_export_reimports_unchanged(client, cells):
    before = list(Cell.objects.order_by("pk").values_list("certificate_number", "status", "score"))
    data = client.get(reverse("standards:register-download", args=["xlsx"])).content
    report = register_import.import_file(SimpleUploadedFile("cells.xlsx", data))
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(before))
    assert report.errors == []
    assert (
        list(Cell.objects.order_by("pk").values_list("certificate_number", "status", "score"))
        == before
    )


def test_city_editor_imports_only_their_city(client, make_user):
    client.force_login(make_user("sx-editor", "绍兴市 编辑"))
    other = ["SZ-1", "深圳某校", "学校", "深圳市", "", "", "", "", "2024-01-01", "", ""]
    response = client.post(reverse("standards_admin:import"), {"file": _csv([GOOD, other])})
    assert response.status_code == 200
    html = response.content.decode()
    assert "新增 1" in html and "没有导入“深圳市”名录的权限" in html
    assert not Cell.objects.filter(certificate_number="SZ-1").exists()


def test_import_of_a_spreadsheet_without_header_is_reported():
    workbook = Workbook()
    workbook.active.append(["x", "y"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = register_import.import_file(SimpleUploadedFile("x.xlsx", buffer.getvalue()))
    assert report.errors and report.errors[0][0] == 0 and "证书编号" in report.errors[0][2]
    assert CityPage.objects.exists()

"""Recognised cells (standards.Cell, the public register) in the exchange search, on every
engine: type `cell` with facets, revoked cells gone, expired ones flagged, imports indexed, no
applicant contact data anywhere in the index."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cases.models import CityPage
from search import indexing
from standards import register_import, services
from standards.factories import make_cell, make_standard
from standards.models import Application, Cell
from standards.search_documents import CELLS


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def cells(engine, django_capture_on_commit_callbacks):
    """Makes cells (indexed at commit); their documents leave a search server afterwards."""
    made = []

    def make(**fields):
        fields.setdefault("city", CityPage.objects.get(slug="shaoxing"))
        with django_capture_on_commit_callbacks(execute=True):
            cell = make_cell(**fields)
        made.append(cell)
        return cell

    yield make
    if engine.name != "embedded":
        engine.delete([CELLS.key(c.pk) for c in made] + [CELLS.key(i) for i in _imported])
    _imported.clear()


_imported: list[int] = []


def _urls(body) -> list[str]:
    return [r["url"] for r in body["results"]]


def test_a_recognised_cell_is_a_cell_document_with_facets(client, engine, cells):
    cell = cells(name="绍兴市检索测试无废学校", cell_type="school", district="越城区")
    body = api(client, q="检索测试无废学校")
    assert body["engine"] == engine.name
    result = next(r for r in body["results"] if r["title"] == cell.name)
    assert result["type"] == "cell" and result["type_label"] == "无废细胞"
    assert result["url"] == f"/cells/register/?q={cell.certificate_number}"
    assert result["city"] == "绍兴市"
    assert result["cell"]["certificate_number"] == cell.certificate_number
    assert result["cell"]["status"] == "valid"
    facets = {name: {o["value"]: o for o in options} for name, options in body["facets"].items()}
    assert facets["type"]["cell"]["label"] == "无废细胞"
    assert facets["cell_type"]["school"]["label"] == "校园（学校）"
    assert "330600" in facets["region"] and "长三角" in facets["region"]
    assert "2025" in facets["year"]


def test_the_cell_type_filter_and_the_type_filter(client, engine, cells):
    school = cells(name="检索筛选测试学校", cell_type="school")
    hospital = cells(name="检索筛选测试医院", cell_type="hospital")
    only_schools = api(client, q="检索筛选测试", cell_type="school")
    assert school.name in [r["title"] for r in only_schools["results"]]
    assert hospital.name not in [r["title"] for r in only_schools["results"]]
    # The cell-type facet is counted under the other filters only (both options stay offered).
    offered = {o["value"] for o in only_schools["facets"]["cell_type"]}
    assert {"school", "hospital"} <= offered
    typed = api(client, q="检索筛选测试", type="cell")
    assert {r["type"] for r in typed["results"]} == {"cell"}
    assert api(client, q="检索筛选测试", type="case")["total"] == 0
    bad = client.get("/api/search/", {"cell_type": "castle"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "cell_type"


def test_standards_carry_their_cell_type(client, engine):
    body = api(client, type="standard", cell_type="school")
    assert body["total"] > 0
    assert {r["type"] for r in body["results"]} == {"standard"}


def test_a_revoked_cell_disappears(client, engine, cells, django_capture_on_commit_callbacks):
    cell = cells(name="检索撤销测试社区", cell_type="community")
    assert cell.name in [r["title"] for r in api(client, q="检索撤销测试社区")["results"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(cell, "材料不实")
    assert cell.name not in [r["title"] for r in api(client, q="检索撤销测试社区")["results"]]


def test_an_expired_cell_stays_flagged(client, engine, cells, django_capture_on_commit_callbacks):
    cell = cells(
        name="检索过期测试医院",
        cell_type="hospital",
        recognised_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2023, 1, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flag_expired(today=datetime.date(2024, 1, 1)) >= 1
    result = next(
        r for r in api(client, q="检索过期测试医院")["results"] if r["title"] == cell.name
    )
    assert result["cell"]["status"] == "expired" and result["cell"]["status_label"] == "已过期"
    assert "已过期" in result["summary"]


HEADER = ["证书编号", "名称", "细胞类型", "城市", "区县", "依据标准", "标准版本", "得分"]
HEADER += ["认定日期", "有效期至", "状态"]


def _csv(rows):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("cells.csv", text.getvalue().encode("utf-8-sig"))


def test_imported_cells_are_indexed_and_reimport_follows(
    client, engine, cells, django_capture_on_commit_callbacks
):
    row = ["SX-SEARCH-001", "检索导入测试小区", "社区", "绍兴市", "柯桥区", "", "", "88"]
    row += ["2024-05-01", "2027-05-01", "有效"]
    with django_capture_on_commit_callbacks(execute=True):
        register_import.import_file(_csv([row]))
    _imported.extend(
        Cell.objects.filter(certificate_number="SX-SEARCH-001").values_list("pk", flat=True)
    )
    body = api(client, q="检索导入测试小区")
    assert "检索导入测试小区" in [r["title"] for r in body["results"]]
    with django_capture_on_commit_callbacks(execute=True):
        register_import.import_file(_csv([[*row[:10], "已撤销"]]))
    assert "检索导入测试小区" not in [
        r["title"] for r in api(client, q="检索导入测试小区")["results"]
    ]


def test_applicant_contacts_are_never_indexed(client, engine, cells):
    standard = make_standard()
    application = Application.objects.create(
        standard=standard,
        city=CityPage.objects.get(slug="shaoxing"),
        unit_name="检索隐私测试学校",
        address="绍兴市某路 88 号",
        contact_name="王联系",
        contact_phone="13988887777",
        contact_email="wang@example.cn",
        commitment=True,
    )
    cell = cells(name="检索隐私测试学校", application=application)
    document = CELLS.documents([cell.pk])[cell.pk]
    dumped = json.dumps(document, ensure_ascii=False)
    for private in ("王联系", "13988887777", "wang@example.cn", "某路"):
        assert private not in dumped
        assert "检索隐私测试学校" not in [r["title"] for r in api(client, q=private)["results"]]
    assert cell.name in [r["title"] for r in api(client, q="检索隐私测试学校")["results"]]


def test_rebuild_includes_cells(db, django_capture_on_commit_callbacks):
    from search.engines import embedded_engine

    cell = make_cell(name="检索重建测试园区", city=CityPage.objects.get(slug="shaoxing"))
    revoked = make_cell(name="检索重建撤销园区", status=Cell.Status.REVOKED)
    keys = {d["key"] for d in indexing.documents.all_documents()}
    assert CELLS.key(cell.pk) in keys and CELLS.key(revoked.pk) not in keys
    with override_settings(SEARCH_URL=""):
        indexing.rebuild()
    assert embedded_engine().count() == len(keys)


def test_a_large_import_is_indexed_by_a_background_task(
    client, engine, cells, monkeypatch, django_capture_on_commit_callbacks
):
    from search import tasks

    enqueued = []
    original = tasks.sync_documents

    class Spy:  # the task object itself is frozen
        def enqueue(self, *args):
            enqueued.append(args)
            return original.enqueue(*args)

    monkeypatch.setattr(indexing, "BACKGROUND_SYNC_OVER", 1)
    monkeypatch.setattr(tasks, "sync_documents", Spy())
    rows = [
        [f"SX-SEARCH-10{i}", f"检索批量测试单位{i}", "社区", "绍兴市", "", "", "", ""]
        + ["2024-05-01", "", "有效"]
        for i in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        register_import.import_file(_csv(rows))
    _imported.extend(
        Cell.objects.filter(certificate_number__startswith="SX-SEARCH-10").values_list(
            "pk", flat=True
        )
    )
    # Exactly one task, holding the three new cells. (It may also hold ids a rolled-back earlier
    # transaction left pending: harmless, a sync reads their current state; on PostgreSQL those
    # ids are not reused, so they show.)
    new_ids = Cell.objects.filter(certificate_number__startswith="SX-SEARCH-10").values_list(
        "pk", flat=True
    )
    assert [source for source, _ in enqueued] == ["cell"]
    assert set(new_ids) <= set(enqueued[0][1])
    titles = [r["title"] for r in api(client, q="检索批量测试单位", page_size=10)["results"]]
    assert sorted(titles) == [f"检索批量测试单位{i}" for i in range(3)]

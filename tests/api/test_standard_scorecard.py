"""The standards endpoint exposes the scorecard: dimensions → indicators with code, text,
maximum and scoring method/levels, bonus items and cap, pass line, veto items, eligibility,
version and status, and the versions a standard supersedes or was derived from (public only)."""

from decimal import Decimal

import pytest

from cases.models import StandardPage
from standards.factories import make_standard

pytestmark = pytest.mark.django_db


def _detail(client, page_id: int) -> dict:
    response = client.get(f"/api/v1/standards/{page_id}/")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _num(value) -> Decimal:
    return Decimal(str(value))


def test_scorecard_of_a_standard(client):
    standard = make_standard(version="2024 版")
    body = _detail(client, standard.pk)
    card = body["scorecard"]
    assert [d["name"] for d in card["dimensions"]] == ["组织管理", "设施与成效"]
    assert [_num(d["max_points"]) for d in card["dimensions"]] == [30, 70]
    assert _num(card["max_points"]) == 100
    a1, a2 = card["dimensions"][0]["indicators"]
    assert (a1["code"], a1["text"], _num(a1["max_points"]), a1["method"]) == (
        "A1",
        "工作方案",
        10,
        "yesno",
    )
    assert a1["method_label"] == "是/否" and a1["levels"] == [] and a1["required"] is True
    assert a2["method"] == "graded"
    assert [(lv["label"], _num(lv["points"])) for lv in a2["levels"]] == [
        ("优", 20),
        ("良", 12),
        ("差", 0),
    ]
    b1, b2 = card["dimensions"][1]["indicators"]
    assert b1["method"] == "deduction" and _num(b1["deduction"]) == 4
    assert b2["required"] is False
    assert [(b["code"], b["text"], _num(b["points"])) for b in card["bonus_items"]] == [
        ("X1", "校外实践", 3),
        ("X2", "区级荣誉", 4),
    ]
    assert _num(card["bonus_cap"]) == 5 and _num(card["pass_threshold"]) == 80
    assert card["veto_items"] == ["发生固体废物污染事件"] == body["veto_items"]
    assert card["eligibility"] == ["近三年无严重失信记录", "材料真实"]
    assert card["validity_years"] == 3
    assert body["version"] == "2024 版" and body["status"] == "current"
    assert body["status_label"] == "现行" and body["is_example"] is False
    assert body["supersedes"] is None and body["derived_from"] is None
    assert body["current_version"] is None


def test_the_labelled_example_scorecard_from_the_fixtures(client):
    example = StandardPage.objects.live().get(external_id="example-std-school")
    body = _detail(client, example.pk)
    assert body["is_example"] is True and body["status"] == "draft"
    card = body["scorecard"]
    assert _num(card["max_points"]) == example.max_total
    assert [i["code"] for d in card["dimensions"] for i in d["indicators"]] == [
        i["code"] for _, i in example.indicator_list()
    ]
    assert _num(card["pass_threshold"]) == example.pass_threshold


def test_a_standard_without_structure_has_an_empty_scorecard(client):
    plain = next(s for s in StandardPage.objects.live().public() if not s.dimensions)
    card = _detail(client, plain.pk)["scorecard"]
    assert card["dimensions"] == [] and card["bonus_items"] == []


def test_versions_and_derivation_are_linked(client):
    old = make_standard(version="2023 版")
    new = make_standard(version="2025 版", previous_version=old.external_id)
    derived = StandardPage.objects.get(pk=make_standard(title="派生标准").pk)
    derived.derived_from = new
    derived.save_revision().publish()

    assert _detail(client, new.pk)["supersedes"]["id"] == old.pk
    assert _detail(client, old.pk)["current_version"]["id"] == new.pk
    assert _detail(client, derived.pk)["derived_from"]["id"] == new.pk
    listed = client.get("/api/v1/standards/", {"page_size": 100}).json()["results"]
    assert {s["id"]: s["version"] for s in listed}[new.pk] == "2025 版"


def test_an_unpublished_version_is_not_named(client):
    old = make_standard(version="2023 版")
    new = make_standard(version="2025 版", previous_version=old.external_id)
    old.unpublish()
    assert _detail(client, new.pk)["supersedes"] is None

"""Versions supersede (the old page stays, with a banner to the current one), derived standards
show their origin, and the comparison marks exactly the changed, added and removed items."""

import copy

import pytest
from django.urls import reverse

from cases.models import CityPage
from standards import comparison, services
from standards.factories import SAMPLE_DIMENSIONS, make_standard

pytestmark = pytest.mark.django_db


def _second_version_dimensions():
    dims = copy.deepcopy(SAMPLE_DIMENSIONS)
    dims[0]["indicators"][0]["max_score"] = 15  # A1: 10 → 15 (changed weight)
    del dims[1]["indicators"][1]  # B2 removed
    dims[1]["indicators"].append(
        {"code": "B3", "name": "有害垃圾暂存", "max_score": 35, "method": "yesno"}
    )  # B3 added
    return dims


@pytest.fixture
def versions():
    old = make_standard(version="2023 版")
    new = make_standard(
        version="2025 版",
        previous_version=old.external_id,
        dimensions=_second_version_dimensions(),
    )
    return old, new


def test_comparison_shows_exactly_the_three_differences(versions):
    result = comparison.compare(list(versions))
    assert sorted((row.code, row.status) for row in result.differences) == [
        ("A1", "changed"),
        ("B2", "removed"),
        ("B3", "added"),
    ]
    assert [row.code for row in result.rows] == ["A1", "A2", "B1", "B2", "B3"]


def test_comparison_page_marks_the_rows(client, versions):
    old, new = versions
    response = client.get(reverse("standards:compare"), {"ids": [old.pk, new.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-status="changed"') == 1
    assert html.count('data-status="added"') == 1
    assert html.count('data-status="removed"') == 1
    assert html.count('data-status="same"') == 2
    assert "共 3 处差异" in html


@pytest.mark.parametrize("ids", [["x"], ["999999"], ["1", "2", "3", "4", "5"]])
def test_comparison_rejects_bad_ids(client, ids):
    assert client.get(reverse("standards:compare"), {"ids": ids}).status_code == 400


def test_comparison_refuses_different_cell_types(client, versions):
    other = make_standard(cell_type="hospital")
    response = client.get(reverse("standards:compare"), {"ids": [versions[0].pk, other.pk]})
    assert response.status_code == 400


def test_old_version_stays_readable_with_a_banner_to_the_current(client, versions):
    old, new = versions
    html = client.get(old.url).content.decode()
    assert "本标准已被新版本取代" in html and f'href="{new.url}"' in html
    assert "本标准已被新版本取代" not in client.get(new.url).content.decode()
    assert f'href="{old.url}"' in client.get(new.url).content.decode()  # 上一版本


def test_new_version_service_makes_a_draft_that_supersedes_on_publish():
    old = make_standard()
    draft = services.new_version(old)
    assert draft.previous_version == old and not draft.live
    assert [i["code"] for _, i in draft.indicator_list()] == ["A1", "A2", "B1", "B2"]
    assert type(old).objects.get(pk=old.pk).current_version is None  # a draft supersedes nothing
    draft.save_revision().publish()
    assert type(old).objects.get(pk=old.pk).current_version.pk == draft.pk


def test_derived_standard_lives_under_the_city_and_shows_its_origin(client, versions):
    source = versions[0]
    city = CityPage.objects.get(slug="shenzhen")
    derived = services.derive(source, city)
    assert derived.get_parent().pk == city.pk and derived.city == city
    assert derived.derived_from == source and not derived.live
    assert [i["code"] for _, i in derived.indicator_list()] == ["A1", "A2", "B1", "B2"]
    derived.pass_threshold = 85
    derived.save_revision().publish()
    html = client.get(derived.url).content.decode()
    assert "本标准参照" in html and f'href="{source.url}"' in html

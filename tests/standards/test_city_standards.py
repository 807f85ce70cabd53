"""City editors write their own city's standards under the city page; the city's workflow
reviews them like cases, and other cities' people cannot touch them."""

import pytest
from django.urls import reverse

from cases.models import CityPage, StandardPage
from publishing.roles import WORKFLOW_SUFFIX
from standards.factories import SAMPLE_DIMENSIONS

pytestmark = pytest.mark.django_db


def _standard_under(city, owner):
    page = StandardPage(
        title="绍兴市无废机关评价标准（草案）",
        slug="sx-agency",
        cell_type="agency",
        summary="草案",
        owner=owner,
    )
    page.dimensions = [
        {
            "type": "dimension",
            "value": {
                "name": d["name"],
                "indicators": [{**i, "levels": i.get("levels", [])} for i in d["indicators"]],
            },
        }
        for d in SAMPLE_DIMENSIONS
    ]
    page.live = False
    city.add_child(instance=page)
    page.save_revision(user=owner)
    return page


def test_city_editor_adds_standards_only_under_their_city(client, make_user, shaoxing, shenzhen):
    editor = make_user("sx-editor", "绍兴市 编辑")
    assert StandardPage in CityPage.allowed_subpage_models()
    client.force_login(editor)
    add = "wagtailadmin_pages:add"
    own = client.get(reverse(add, args=["cases", "standardpage", shaoxing.pk]))
    assert own.status_code == 200 and "评价维度与指标" in own.content.decode()
    other = client.get(reverse(add, args=["cases", "standardpage", shenzhen.pk]))
    assert other.status_code in (302, 403)


def test_city_standard_belongs_to_the_city_and_goes_through_its_review(
    make_user, shaoxing, shenzhen
):
    editor = make_user("sx-editor", "绍兴市 编辑")
    page = _standard_under(shaoxing, editor)
    assert page.city == shaoxing
    permissions = page.permissions_for_user(editor)
    assert permissions.can_edit() and not permissions.can_publish()
    assert page.get_workflow().name == f"{shaoxing.title}{WORKFLOW_SUFFIX}"
    reviewer = make_user("sx-reviewer", "绍兴市 审核")
    assert page.permissions_for_user(reviewer).can_publish()
    outsider = make_user("sz-editor", "深圳市 编辑")
    assert not page.permissions_for_user(outsider).can_edit()
    assert not page.permissions_for_user(make_user("sz-reviewer", "深圳市 审核")).can_publish()


def test_draft_city_standard_is_not_public(client, make_user, shaoxing):
    page = _standard_under(shaoxing, make_user("sx-editor", "绍兴市 编辑"))
    assert client.get(reverse("standards:assess", args=[page.pk])).status_code == 404
    assert page.title not in client.get("/standards/").content.decode()
    assert client.get(reverse("standards:compare"), {"ids": [page.pk]}).status_code == 400


def test_duplicate_indicator_codes_are_refused(shaoxing):
    page = StandardPage(title="重复编号", slug="dup", cell_type="school", summary="x")
    indicator = {"code": "A1", "name": "x", "max_score": 5, "method": "yesno", "levels": []}
    page.dimensions = [
        {"type": "dimension", "value": {"name": "d", "indicators": [indicator, indicator]}}
    ]
    with pytest.raises(Exception, match="指标编号重复"):
        page.full_clean()


def test_city_editor_derives_a_standard_for_their_city_from_the_admin(
    client, make_user, shaoxing, shenzhen
):
    source = StandardPage.objects.get(external_id="example-std-school")
    client.force_login(make_user("sx-editor", "绍兴市 编辑"))
    url = reverse("standards_admin:derive", args=[source.pk])
    form = client.get(url).content.decode()
    assert "绍兴市" in form and "深圳市" not in form
    assert client.post(url, {"city": shenzhen.pk}).status_code == 200  # not a choice for them
    response = client.post(url, {"city": shaoxing.pk})
    derived = StandardPage.objects.get(derived_from=source, city=shaoxing)
    assert response.url == reverse("wagtailadmin_pages:edit", args=[derived.pk])
    assert derived.get_parent().pk == shaoxing.pk and not derived.live
    # New versions are for those who may add pages beside the standard (not this editor).
    refused = client.post(reverse("standards_admin:new-version", args=[source.pk]))
    assert (
        refused.status_code == 302
        and not StandardPage.objects.filter(previous_version=source).exists()
    )

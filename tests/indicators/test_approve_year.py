"""Batch approval in the admin: a city's reviewer approves every submitted value of one year at
once; drafts, other years and other cities are untouched; nobody else may."""

import pytest
from django.urls import reverse

from indicators import services
from indicators.factories import IndicatorFactory, IndicatorValueFactory
from indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db

URL = "indicators_admin:approve_year"


@pytest.fixture
def sz_reviewer(make_user):
    return make_user("sz-reviewer", "深圳市 审核")


@pytest.fixture
def values(shaoxing, shenzhen):
    made = {}
    for n in range(3):
        indicator = IndicatorFactory()
        made[f"sx-2022-{n}"] = IndicatorValueFactory(
            city=shaoxing, indicator=indicator, year=2022, status="submitted"
        )
        made[f"sx-2023-{n}"] = IndicatorValueFactory(
            city=shaoxing, indicator=indicator, year=2023, status="submitted"
        )
        made[f"sz-2022-{n}"] = IndicatorValueFactory(
            city=shenzhen, indicator=indicator, year=2022, status="submitted"
        )
    made["sx-2022-draft"] = IndicatorValueFactory(city=shaoxing, year=2022, status="draft")
    return made


def _statuses(values) -> dict:
    return dict(
        IndicatorValue.objects.filter(pk__in=[v.pk for v in values.values()]).values_list(
            "pk", "status"
        )
    )


def _expected(values, approved_keys) -> dict:
    return {v.pk: "approved" if key in approved_keys else v.status for key, v in values.items()}


def test_the_reviewer_approves_a_year_of_their_city(client, values, shaoxing, sx_reviewer):
    client.force_login(sx_reviewer)
    listing = client.get(reverse("indicators_admin:values")).content.decode()
    assert "按年份批量审核" in listing and "审核通过绍兴市 2022 年全部待审核数值" in listing
    response = client.post(reverse(URL), {"city": shaoxing.pk, "year": 2022}, follow=True)
    assert "已审核通过绍兴市 2022 年的 3 条数值" in response.content.decode()
    assert _statuses(values) == _expected(values, {f"sx-2022-{n}" for n in range(3)})
    approved = IndicatorValue.objects.get(pk=values["sx-2022-0"].pk)
    assert approved.reviewed_by == sx_reviewer and approved.approved_at is not None


def test_the_approved_year_is_public_at_once(client, values, shaoxing, sx_reviewer):
    def public_years():
        rows = client.get("/api/v1/indicator-values/", {"city": shaoxing.pk}).json()["results"]
        return {r["year"] for r in rows if r["id"] in {v.pk for v in values.values()}}

    assert public_years() == set()
    services.approve_year(sx_reviewer, shaoxing, 2022)
    assert public_years() == {2022}


@pytest.mark.parametrize("who", ["sx_editor", "sz_reviewer"])
def test_an_editor_or_another_citys_reviewer_may_not(client, values, shaoxing, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse(URL), {"city": shaoxing.pk, "year": 2022}, follow=True)
    assert "无权审核绍兴市的指标" in response.content.decode()
    assert _statuses(values) == _expected(values, set())


def test_a_reviewer_without_submitted_values_is_still_checked(shenzhen, sx_reviewer):
    with pytest.raises(services.PermissionDenied):
        services.approve_year(sx_reviewer, shenzhen, 1999)


def test_bad_input_is_a_message_not_an_error(client, values, sx_reviewer):
    client.force_login(sx_reviewer)
    response = client.post(reverse(URL), {"city": "abc", "year": ""}, follow=True)
    assert response.status_code == 200 and "请选择城市和年份" in response.content.decode()
    assert client.get(reverse(URL)).status_code == 405

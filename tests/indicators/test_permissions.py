"""City A cannot enter or approve city B's values; unapproved values are never public (pages,
charts, CSV downloads)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators import services
from indicators.factories import IndicatorFactory, IndicatorValueFactory
from indicators.models import IndicatorValue


@pytest.fixture
def rate(db):
    return IndicatorFactory(name="测试利用率", unit="%")


def _entry(city, indicator, **extra):
    data = {"year": 2023, "value": "90", "unit": "%", "source": "测试", **extra}
    entry = services.check_value(city, indicator, data)
    assert entry.errors == {}
    return entry


def test_an_editor_cannot_enter_another_citys_values(shenzhen, rate, sx_editor):
    with pytest.raises(PermissionDenied):
        services.save_value(sx_editor, _entry(shenzhen, rate))
    assert not IndicatorValue.objects.exists()


def test_editors_submit_and_only_their_citys_reviewers_approve(
    shaoxing, shenzhen, rate, sx_editor, sx_reviewer, sz_editor
):
    value, _ = services.save_value(sx_editor, _entry(shaoxing, rate))
    services.submit(sx_editor, [value])
    with pytest.raises(PermissionDenied):
        services.approve(sx_editor, [value])  # an editor does not approve
    with pytest.raises(PermissionDenied):
        services.approve(sz_editor, [value])
    other = IndicatorValueFactory(city=shenzhen, indicator=rate, status="submitted")
    with pytest.raises(PermissionDenied):
        services.approve(sx_reviewer, [other])
    with pytest.raises(PermissionDenied):
        services.submit(sx_editor, [IndicatorValueFactory(city=shenzhen, status="draft")])
    assert services.approve(sx_reviewer, [value]) == 1
    value.refresh_from_db()
    other.refresh_from_db()
    assert value.status == "approved" and value.reviewed_by == sx_reviewer
    assert other.status == "submitted"


def test_admin_actions_on_another_citys_values_are_refused(client, shenzhen, rate, sx_reviewer):
    other = IndicatorValueFactory(city=shenzhen, indicator=rate, status="submitted")
    client.force_login(sx_reviewer)
    # The list shows only the reviewer's cities.
    listing = client.get(reverse("indicators_admin:values"))
    assert listing.status_code == 200 and "深圳市" not in listing.content.decode()
    client.post(reverse("indicators_admin:values"), {"value": [other.pk], "action": "approve"})
    other.refresh_from_db()
    assert other.status == "submitted"
    response = client.get(reverse("indicators_admin:value_edit", args=[other.pk]))
    assert response.status_code in (302, 403)


def test_admin_form_entry_names_the_field_of_a_unit_mismatch(client, shaoxing, rate, sx_editor):
    client.force_login(sx_editor)
    response = client.post(
        reverse("indicators_admin:value_add"),
        {
            "city": shaoxing.pk,
            "indicator": rate.pk,
            "year": "2023",
            "value": "12",
            "unit": "万吨",
            "source": "测试",
        },
    )
    assert response.status_code == 400
    assert 'data-field="unit"' in response.content.decode()
    response = client.post(
        reverse("indicators_admin:value_add"),
        {
            "city": shaoxing.pk,
            "indicator": rate.pk,
            "year": "2023",
            "value": "12",
            "unit": "%",
            "source": "测试",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get(city=shaoxing).status == "submitted"


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_unapproved_values_are_never_public(client, shaoxing, rate, status):
    IndicatorValueFactory(city=shaoxing, indicator=rate, value="77.7", status=status)
    urls = [
        reverse("indicators:dashboard", args=["shaoxing"]),
        reverse("indicators:dashboard_csv", args=["shaoxing"]),
        reverse("indicators:compare") + f"?indicator={rate.code}",
        reverse("indicators:compare_csv") + f"?indicator={rate.code}",
        reverse("indicators:index"),
        shaoxing.url,
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        assert "77.7" not in response.content.decode(), url


def test_values_of_a_private_or_draft_city_are_not_public(client, rate):
    from cases.factories import CityPageFactory

    hidden = CityPageFactory(title="测试未发布城市", live=False)
    IndicatorValueFactory(city=hidden, indicator=rate, value="66.6")
    assert client.get(reverse("indicators:dashboard", args=[hidden.slug])).status_code == 404
    compare = client.get(reverse("indicators:compare_csv") + f"?indicator={rate.code}")
    assert "66.6" not in compare.content.decode()


def test_cached_pages_follow_approval_and_withdrawal_at_once(client, shaoxing, rate, sx_reviewer):
    url = reverse("indicators:compare") + f"?indicator={rate.code}"
    value = IndicatorValueFactory(city=shaoxing, indicator=rate, value="55.5", status="submitted")
    assert "55.5" not in client.get(url).content.decode()
    assert "55.5" not in client.get(url).content.decode()  # served from the cache
    services.approve(sx_reviewer, [value])
    assert "55.5" in client.get(url).content.decode()
    value.status = "draft"  # an edit withdraws it (services.save_value)
    value.save()
    assert "55.5" not in client.get(url).content.decode()
    assert "55.5" not in client.get(shaoxing.url).content.decode()


def test_a_city_page_made_private_drops_out_of_cached_pages(client, shaoxing, rate):
    from wagtail.models import PageViewRestriction

    IndicatorValueFactory(city=shaoxing, indicator=rate, value="44.4")
    url = reverse("indicators:compare_csv") + f"?indicator={rate.code}"
    assert "44.4" in client.get(url).content.decode()
    PageViewRestriction.objects.create(page=shaoxing, restriction_type="login")
    assert "44.4" not in client.get(url).content.decode()
    assert client.get(reverse("indicators:dashboard", args=["shaoxing"])).status_code == 404


def test_a_mixed_batch_is_refused_whole(shaoxing, shenzhen, rate, sx_reviewer):
    own = IndicatorValueFactory(city=shaoxing, indicator=rate, status="submitted")
    other = IndicatorValueFactory(city=shenzhen, indicator=rate, status="submitted")
    with pytest.raises(PermissionDenied):
        services.approve(sx_reviewer, [own, other])
    own.refresh_from_db()
    assert own.status == "submitted"  # nothing was approved

"""The editor's home (issue 14): a city editor's Wagtail dashboard shows their city's cases with
completeness and staleness, pages in review, new inquiries to the city and the study-visit
requests waiting for them — and nothing of other cities."""

import pytest
from django.urls import reverse

from cases.models import CasePage
from matchmaking.models import Inquiry

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_city_editors_home_shows_their_citys_work(client, people, fly_ash_visit):
    fly_ash_visit()
    home = _home(client, people["sz"])
    assert 'data-testid="home-city-cases"' in home
    shenzhen_case = CasePage.objects.get(external_id="seed-shenzhen-07")
    assert shenzhen_case.title in home and "已过期" in home and "20%" in home
    assert CasePage.objects.get(external_id="seed-shaoxing-08").title not in home
    assert 'data-testid="home-exchange"' in home and "飞灰无害化与资源化" in home
    assert 'data-testid="home-inquiries"' in home
    # The requester's home has no answer waiting (the request waits for 深圳).
    sx_home = _home(client, people["sx"])
    assert "待答复的考察与结对（0）" in sx_home


def test_new_inquiries_to_the_city_appear_without_contact_details(client, people, cities):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matchmaking"))
    from mm_helpers import TEST_NAME, TEST_PHONE, inquiry_data

    response = client.post(f"/matchmaking/inquiry/{cities['shenzhen'].pk}/", inquiry_data())
    assert response.status_code in (200, 302)
    inquiry = Inquiry.objects.get(target_city=cities["shenzhen"])
    home = _home(client, people["sz"])
    panel = home.split('data-testid="home-inquiries"')[1].split("</section>")[0]
    assert inquiry.reference in panel and "新的产业对接需求（1）" in panel
    assert TEST_NAME not in panel and TEST_PHONE not in panel
    other = _home(client, people["cq"]).split('data-testid="home-inquiries"')[1]
    assert inquiry.reference not in other.split("</section>")[0]


def test_national_staff_get_no_city_panel(client, people):
    home = _home(client, people["national"])
    assert 'data-testid="home-city-cases"' not in home

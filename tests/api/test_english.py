"""The API returns both languages (issue 12 item 6): English title and summary in lists and
details, the English body in details; empty strings where a page has no English."""

import pytest

from cases.models import ArticlePage, CasePage, CityPage, StandardPage, TechnologyPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "path"),
    [
        (CasePage, "cases"),
        (TechnologyPage, "technologies"),
        (StandardPage, "standards"),
        (CityPage, "cities"),
        (ArticlePage, "articles"),
    ],
)
def test_both_languages_in_list_and_detail(client, model, path):
    page = model.objects.live().public().order_by("-title_en").first()
    page.body_en = "<p>English body.</p>"
    page.save_revision().publish()
    detail = client.get(f"/api/v1/{path}/{page.id}/").json()
    assert detail["title"] == page.title and detail["title_en"] == page.title_en
    assert detail["summary_en"] == page.summary_en
    assert detail["body_html_en"] == "<p>English body.</p>"
    listed = client.get(f"/api/v1/{path}/", {"page_size": 100}).json()
    item = next(i for i in listed["results"] if i["id"] == page.id)
    assert item["title_en"] == page.title_en and item["summary_en"] == page.summary_en


def test_seed_cases_have_english_in_the_api(client):
    case = CasePage.objects.get(external_id="seed-shenzhen-07")
    body = client.get(f"/api/v1/cases/{case.id}/").json()
    assert body["title_en"].startswith("Shenzhen's Bao'an waste incineration plant")
    assert body["summary_en"] and body["body_html_en"] == ""

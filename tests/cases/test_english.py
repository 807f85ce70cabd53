"""The platform in English (issue 12 item 6): the same pages under /en/, Chinese at / as before,
English content beside the Chinese with the Chinese as the fallback, hreflang alternates."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Page

from cases.models import (
    ArticlePage,
    CaseIndexPage,
    CasePage,
    CityPage,
    HomePage,
    StandardPage,
    TechnologyPage,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "content"
NOT_IN_ENGLISH = "This page is not yet available in English; showing the Chinese original."


def url(page) -> str:
    """The page's Chinese path (the test client leaves the last request's language active)."""
    with translation.override(settings.LANGUAGE_CODE):
        return page.url


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    ("name", "key", "title"),
    [("cases", "external_id", "title"), ("technologies", "external_id", "title")]
    + [("cities", "slug", "name")],
)
def test_every_seed_record_has_an_english_title_and_summary(name, key, title):
    records = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    missing = [r[key] for r in records if not r.get(f"{title}_en") or not r.get("summary_en")]
    assert records and missing == []


def test_the_seeded_pages_carry_the_english():
    for model in (CasePage, TechnologyPage, CityPage):
        pages = model.objects.all()
        assert pages.exists()
        assert not pages.filter(title_en="").exists(), model
        assert not pages.filter(summary_en="").exists(), model
    # The home page and the index pages (the navigation) too.
    for page in Page.objects.filter(depth__in=(2, 3)).specific():
        assert page.title_en and page.intro_en, page


def test_chinese_stays_at_the_root(client):
    html = _get(client, "/")
    assert _lang(html) == "zh-Hans"
    assert "无废城市试点交流平台" in html and "Skip to content" not in html
    # Even a browser that prefers English gets the Chinese at / (no redirect, no guessing).
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and _lang(response.content.decode()) == "zh-Hans"


def test_english_home_page(client):
    html = _get(client, "/en/")
    assert _lang(html) == "en"
    assert "Zero-Waste City Pilot Exchange Platform" in html
    assert "Skip to content" in html and "跳到正文" not in html
    # Navigation in English, linking to the English pages.
    index = CaseIndexPage.objects.get()
    assert f'href="/en{url(index)}"' in html and ">Pilot experiences<" in html


def test_language_switcher_links_the_same_page(client):
    case = CasePage.objects.live().public().exclude(title_en="").first()
    zh = _get(client, url(case))
    assert f'href="/en{url(case)}" hreflang="en" lang="en">English<' in zh
    en = _get(client, f"/en{url(case)}")
    assert f'href="{url(case)}" hreflang="zh-Hans" lang="zh-Hans">简体中文<' in en


def test_hreflang_alternates_in_the_head(client):
    case = CasePage.objects.live().public().first()
    for path in (url(case), f"/en{url(case)}"):
        html = _get(client, path)
        head = html.split("</head>")[0]
        assert f'hreflang="zh-Hans" href="http://testserver{url(case)}"' in head
        assert f'hreflang="en" href="http://testserver/en{url(case)}"' in head
        assert f'hreflang="x-default" href="http://testserver{url(case)}"' in head


def test_a_case_in_english(client):
    case = CasePage.objects.get(external_id="seed-shenzhen-07")
    html = _get(client, f"/en{url(case)}")
    assert escape(case.title_en) in html and escape(case.summary_en) in html
    assert NOT_IN_ENGLISH not in html
    assert "Main measures" in html and "主要做法" not in html
    # Taxonomy terms use their English names.
    category = case.waste_categories.exclude(name_en="").first()
    if category is not None:
        assert escape(category.name_en) in html
    # The Chinese page is unchanged.
    zh = _get(client, url(case))
    assert escape(case.title) in zh and escape(case.title_en) not in zh


def test_a_page_without_english_shows_the_chinese_with_a_note(client):
    article = ArticlePage.objects.live().public().filter(title_en="").first()
    html = _get(client, f"/en{url(article)}")
    assert NOT_IN_ENGLISH in html and article.title in html
    assert NOT_IN_ENGLISH not in _get(client, url(article))


def test_the_english_body_is_shown_under_en(client):
    case = CasePage.objects.get(external_id="seed-shenzhen-07")
    case.body_en = "<p>An English paragraph written by an editor.</p>"
    case.save_revision().publish()
    assert "An English paragraph written by an editor." in _get(client, f"/en{url(case)}")
    assert "An English paragraph written by an editor." not in _get(client, url(case))


def _public_paths():
    paths = ["/", "/search/?q=fly+ash"]
    for model in (HomePage, CaseIndexPage, CasePage, TechnologyPage, StandardPage, CityPage):
        paths.append(url(model.objects.live().public().first()))
    paths.append(url(ArticlePage.objects.live().public().first()))
    for page in Page.objects.live().public().filter(depth=3):
        paths.append(url(page))
    city = CityPage.objects.live().public().first()
    paths += [
        "/indicators/",
        f"/indicators/city/{city.slug}/",
        "/indicators/compare/",
        "/indicators/statistics/",
        "/indicators/map/",
        "/cells/register/",
        "/cells/compare/",
        "/matchmaking/board/",
        "/matchmaking/board/new/",
    ]
    return list(dict.fromkeys(paths))


def test_every_public_page_type_answers_in_english(client):
    for path in _public_paths():
        html = _get(client, f"/en{path}")
        assert _lang(html) == "en", path
        assert "Zero-Waste City Pilot Exchange Platform" in html, path


def test_the_api_and_admin_stay_unprefixed(client):
    assert client.get("/api/v1/cases/").status_code == 200
    assert client.get("/en/api/v1/cases/").status_code == 404
    assert client.get("/admin/login/").status_code == 200

"""The sitemap lists live public pages at the configured address with their own dates."""

import re

import pytest
from wagtail.models import Page, PageViewRestriction

from cases.factories import CasePageFactory
from cases.models import CasePage, CityPage, StandardPage

pytestmark = pytest.mark.django_db

ENTRY = re.compile(r"<url><loc>(.*?)</loc>(?:<lastmod>(.*?)</lastmod>)?", re.S)


def _entries(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = re.sub(r">\s+<", "><", response.content.decode())
    return {loc: lastmod for loc, lastmod in ENTRY.findall(text)}


def test_sitemap_uses_the_configured_host_and_scheme(client, settings):
    settings.SITE_BASE_URL = "https://wfc.example.cn"
    entries = _entries(client)
    assert entries and all(loc.startswith("https://wfc.example.cn/") for loc in entries)
    assert "https://wfc.example.cn/cases/" in entries
    assert not any("localhost" in loc for loc in entries)


def test_lastmod_is_the_pages_own_date(client, settings):
    settings.SITE_BASE_URL = "https://wfc.example.cn"
    entries = _entries(client)
    case = CasePage.objects.live().public().first()
    own = case.information_date or case.page_date
    assert entries[f"https://wfc.example.cn{case.url}"] == own.isoformat()
    standard = StandardPage.objects.live().public().exclude(issued_date=None).first()
    if standard is not None:
        assert entries[f"https://wfc.example.cn{standard.url}"] == standard.issued_date.isoformat()
    city = CityPage.objects.live().public().first()
    assert entries[f"https://wfc.example.cn{city.url}"] == city.page_date.isoformat()
    # Never the day the fixtures were loaded.
    assert city.page_date != city.last_published_at.date()


def test_no_drafts_or_private_pages(client, settings):
    settings.SITE_BASE_URL = "https://wfc.example.cn"
    city = CityPage.objects.get(slug="shenzhen")
    draft = CasePageFactory(parent=city, slug="draft-in-sitemap", live=False)
    private = CasePageFactory(parent=city, slug="private-in-sitemap")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    private_city = CityPage.objects.get(slug="chongqing")
    PageViewRestriction.objects.create(page=private_city, restriction_type="login")
    locations = "\n".join(_entries(client))
    assert "draft-in-sitemap" not in locations and "private-in-sitemap" not in locations
    assert "/cities/chongqing/" not in locations
    public_count = Page.objects.live().public().filter(depth__gt=1).count()
    # Each public page once per language (/… and /en/…).
    assert len(_entries(client)) == public_count * len(settings.LANGUAGES)
    del draft


def test_hreflang_alternates(client, settings):
    settings.SITE_BASE_URL = "https://wfc.example.cn"
    response = client.get("/sitemap.xml")
    text = re.sub(r">\s+<", "><", response.content.decode())
    case = CasePage.objects.live().public().first()
    zh, en = f"https://wfc.example.cn{case.url}", f"https://wfc.example.cn/en{case.url}"
    entries = _entries(client)
    assert zh in entries and en in entries and entries[zh] == entries[en]
    for location in (zh, en):
        url = text.split(f"<loc>{location}</loc>")[1].split("</url>")[0]
        assert f'hreflang="zh-Hans" href="{zh}"' in url
        assert f'hreflang="en" href="{en}"' in url
        assert f'hreflang="x-default" href="{zh}"' in url

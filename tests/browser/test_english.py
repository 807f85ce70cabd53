"""The platform in English, in a real browser: home, a case, search and a city page under /en/
at phone and desktop widths (screenshots en-*.png), axe without serious violations, the language
switcher, and an English query that finds the English version."""

import re

import pytest

ENGLISH_PAGES = {
    "home": "/en/",
    "case": "/en/cities/shenzhen/seed-shenzhen-07/",
    "search": "/en/search/?q=fly+ash+plasma+gasification",
    "city": "/en/cities/shenzhen/",
}
WIDTHS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_english_pages_render_and_pass_axe(browser, live_site, axe, shoot, name, width):
    context = browser.new_context(viewport=WIDTHS[width], locale="en-GB")
    page = context.new_page()
    try:
        response = page.goto(live_site + ENGLISH_PAGES[name])
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Zero-Waste City Pilot Exchange Platform" in page.title()
        shoot(page, f"en-{name}-{width}")
        assert axe(page, f"en-{name}-{width}") == []
    finally:
        context.close()


def test_switching_language_keeps_the_page(page, live_site):
    page.goto(live_site + "/cities/shenzhen/seed-shenzhen-07/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/cities/shenzhen/seed-shenzhen-07/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Bao'an" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url(re.compile(r"/cities/shenzhen/seed-shenzhen-07/$"))
    assert "宝安" in page.get_by_role("heading", level=1).inner_text()


def test_an_english_query_finds_the_english_version(page, live_site):
    page.goto(live_site + "/en/")
    page.get_by_label("Search pilot experiences, technologies and standards").fill(
        "fly ash plasma gasification"
    )
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_url(re.compile(r"/en/search/\?q="))
    link = page.get_by_role("link", name=re.compile("Bao'an waste incineration plant")).first
    assert link.get_attribute("href").startswith("/en/cities/shenzhen/")
    link.click()
    page.wait_for_url(re.compile(r"/en/cities/shenzhen/"))
    assert page.locator("html").get_attribute("lang") == "en"

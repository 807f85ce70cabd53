"""The core journeys, in a real browser, the way people use the platform."""

import re

import pytest

PUBLIC_PAGES = {
    "home": "/",
    "case-listing": "/cases/",
    "case": "/cities/chongqing/seed-chongqing-04/",
    "technology": "/technologies/seed-tech-hw-one-code/",
    "search": "/search/?q=%E5%8D%B1%E5%BA%9F",  # 危废
    "strategy": "/strategy/seed-article-province-central/",
}


def test_peer_searches_an_abbreviation_filters_by_region_and_follows_a_technology(
    page, live_site, shoot
):
    page.goto(live_site + "/")
    page.get_by_label("搜索试点经验、技术与标准").fill("危废")
    page.get_by_role("button", name="搜索").last.click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    heading = page.get_by_role("heading", name=re.compile(r"找到 \d+ 条结果"))
    total_all = int(re.search(r"\d+", heading.inner_text()).group())
    assert total_all > 10
    assert page.locator("mark").count() > 0
    # Tick the 重庆市 region facet (the checkbox submits the form).
    page.get_by_role("group", name="地区").get_by_label(re.compile("重庆市")).check()
    page.wait_for_url(re.compile(r"region=500000"))
    total_region = int(
        re.search(r"\d+", page.get_by_role("heading", name=re.compile("找到")).inner_text()).group()
    )
    assert 0 < total_region < total_all
    shoot(page, "journey-search-危废-重庆")
    page.get_by_role("link", name=re.compile("一物一码.*全过程追踪")).click()
    page.wait_for_url(re.compile(r"/cities/chongqing/"))
    assert "一物一码" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("region", name="相关技术").get_by_role(
        "link", name=re.compile("一物一码")
    ).first.click()
    page.wait_for_url(re.compile(r"/technologies/"))
    assert "一物一码" in page.get_by_role("heading", level=1).inner_text()
    shoot(page, "journey-technology-一物一码")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", ["home", "case", "search"])
def test_pages_fit_phone_and_desktop_widths(browser, live_site, shoot, name, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_site + PUBLIC_PAGES[name])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    assert page.get_by_role("search").first.is_visible()
    shoot(page, f"{name}-{width}px")
    context.close()


@pytest.mark.parametrize(
    "name", ["home", "case-listing", "case", "technology", "search", "strategy"]
)
def test_no_serious_accessibility_violations(page, live_site, axe, name):
    page.goto(live_site + PUBLIC_PAGES[name])
    violations = axe(page, name)
    assert violations == [], [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations]


# Front-end budget per public page: requests and bytes transferred, all from this site.
MAX_REQUESTS = 6
MAX_BYTES = 250_000


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_front_end_budget(page, live_site, name):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(live_site + PUBLIC_PAGES[name], wait_until="networkidle")
    outside = [
        r.url
        for r in page.requests_made
        if not r.url.startswith(live_site) and not r.url.startswith("data:")
    ]
    assert outside == [], "pages must not fetch anything from outside the site"
    transferred = sum(len(r.body()) for r in responses if r.status < 300)
    assert len(page.requests_made) <= MAX_REQUESTS, [r.url for r in page.requests_made]
    assert transferred <= MAX_BYTES, f"{name}: {transferred} bytes"
    render_blocking = page.evaluate(
        "[...document.querySelectorAll('head script:not([defer]):not([async])')].map(s => s.src)"
    )
    assert render_blocking == []

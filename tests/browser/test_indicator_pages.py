"""Indicator pages in a real browser: a city dashboard, a comparison and the map at phone and
desktop widths, with screenshots and axe (no serious or critical violations)."""

import pytest

PAGES = {
    "dashboard": "/indicators/city/shaoxing/",
    "comparison": "/indicators/compare/?indicator=P2019-17",
    "map": "/indicators/map/",
}


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_indicator_page_screenshots_and_axe(browser, live_site, shoot, axe, name, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        response = page.goto(live_site + PAGES[name])
        assert response.status == 200
        assert page.locator("svg[role=img]").count() >= 1
        assert page.locator("table").count() >= 1
        # Everything is served by the site itself: no external tiles, scripts or fonts.
        assert all(url.startswith(live_site) for url in requests), requests
        shoot(page, f"indicators-{name}-{width}")
        assert axe(page, f"indicators-{name}-{width}") == []
        # The page fits the viewport (charts scroll inside their own box).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
    finally:
        context.close()


@pytest.mark.browser
def test_peer_goes_from_a_city_page_to_its_dashboard_and_compares(page, live_site):
    page.goto(live_site + "/cities/shaoxing/")
    section = page.get_by_role("region", name="建设指标与相似城市")
    assert "同属长三角" in section.inner_text()
    section.get_by_role("link", name="查看绍兴市的指标看板").click()
    page.wait_for_url("**/indicators/city/shaoxing/")
    assert "2021" in page.locator("table").first.inner_text()  # the missing year is listed
    page.goto(live_site + "/indicators/compare/?indicator=P2019-17&cluster=长三角")
    rows = page.locator("table[data-chart=compare-chart] tbody tr")
    assert rows.count() == 1  # 绍兴市 (徐州市 is not in the 长三角 central area)

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
    "board": "/matchmaking/board/",
    "api-docs": "/api/v1/docs/",
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


def _gb32100_code(body17: str) -> str:
    """Append the GB 32100 check character to 17 characters (used to type a valid code)."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(charset.index(c) * pow(3, i, 31) for i, c in enumerate(body17))
    return body17 + charset[(31 - total % 31) % 31]


def test_enterprise_sends_an_inquiry_from_a_technology_page(page, live_site, shoot):
    page.goto(live_site + PUBLIC_PAGES["technology"])
    page.get_by_role("link", name="我要对接").click()
    page.get_by_label("单位名称").fill("中山市某表面处理有限公司")
    page.get_by_label("单位类型").select_option(index=1)
    page.get_by_label("统一社会信用代码").fill(_gb32100_code("91442000MA4UH1234"))
    page.get_by_label("联系人").fill("王工")
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("电子邮箱").fill("wang@example.com")
    region = page.get_by_label("所在地区")
    zhongshan = region.locator("option", has_text="中山市").first.get_attribute("value")
    region.select_option(zhongshan)
    page.get_by_label("对接目的").select_option(index=1)
    page.get_by_label("需求说明").fill(
        "我司每年产生约500吨表面处理废物（HW17），希望了解一物一码管理系统的应用条件。"
    )
    page.get_by_label(re.compile("我同意平台将以上联系方式")).check()
    shoot(page, "journey-inquiry-form")
    page.get_by_role("button", name=re.compile("提交")).click()
    page.get_by_role("heading", name="已收到您的对接需求").wait_for()
    reference = page.get_by_role("status").locator("strong").first.inner_text()
    assert re.fullmatch(r"DJ\d{6}-[0-9A-Z]{6}", reference), reference
    assert "wang@example.com" not in page.content() and "13800138000" not in page.content()
    assert "13800138000" not in page.url
    shoot(page, "journey-inquiry-reference")


def _login(page, live_site, username, password):
    page.goto(live_site + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_city_editor_submits_a_case_a_reviewer_approves_it_and_search_finds_it(
    browser, live_site, shoot, browser_password
):
    title = "绍兴市餐厨垃圾就地资源化浏览器测试"
    editor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    _login(editor, live_site, "shaoxing-editor", browser_password)
    add_url = editor.evaluate(
        """async () => {
            const r = await fetch('/admin/api/main/pages/?type=cases.CityPage&slug=shaoxing');
            const data = await r.json();
            return '/admin/pages/add/cases/casepage/' + data.items[0].id + '/';
        }"""
    )
    editor.goto(live_site + add_url)
    editor.locator("#id_title").fill(title)
    editor.locator("#id_summary").fill(
        "浏览器测试：城市编辑新建并提交审核的试点经验，关于厨余垃圾资源化。"
    )
    # The governance model is a snippet: chosen through Wagtail's chooser modal.
    editor.locator("[data-field-wrapper]:has(#id_governance_model)").get_by_role(
        "button", name=re.compile("选择")
    ).first.click()
    editor.get_by_role("link", name="城市固体废物治理模式").first.click()
    editor.wait_for_function("() => document.querySelector('#id_governance_model').value !== ''")
    categories = editor.locator("[name=waste_categories]")
    if categories.first.evaluate("e => e.tagName") == "SELECT":
        value = categories.locator("option", has_text="厨余垃圾").first.get_attribute("value")
        categories.select_option(value)
    else:
        editor.get_by_label("厨余垃圾", exact=True).check()
    editor.locator("button[name=action-submit]").evaluate("b => b.click()")
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    shoot(editor, "journey-editor-submitted")
    # Submitted, not yet approved: not public (a partial match may list other pages, never it).
    found = editor.request.get(live_site + "/api/search/", params={"q": title}).json()
    assert title not in {r["title"] for r in found["results"]}

    reviewer = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN"
    ).new_page()
    _login(reviewer, live_site, "shaoxing-reviewer", browser_password)
    reviewer.get_by_role("link", name=re.compile(title)).first.click()
    reviewer.locator("[data-workflow-action-name=approve]").first.evaluate("b => b.click()")
    reviewer.wait_for_load_state("networkidle")
    confirm = reviewer.locator("dialog [type=submit], .modal [type=submit]")
    if confirm.count():
        confirm.first.click()
        reviewer.wait_for_load_state("networkidle")
    shoot(reviewer, "journey-reviewer-approved")

    body = reviewer.request.get(
        live_site + "/api/search/", params={"q": "餐厨垃圾就地资源化"}
    ).json()
    assert [r["title"] for r in body["results"]][:1] == [title]


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
    "name", ["home", "case-listing", "case", "technology", "search", "strategy", "api-docs"]
)
def test_no_serious_accessibility_violations(page, live_site, axe, name):
    page.goto(live_site + PUBLIC_PAGES[name])
    violations = axe(page, name)
    assert violations == [], [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations]


def test_inquiry_form_has_no_serious_accessibility_violations(page, live_site, axe):
    page.goto(live_site + PUBLIC_PAGES["technology"])
    page.get_by_role("link", name="我要对接").click()
    page.get_by_label("单位名称").wait_for()
    assert axe(page, "inquiry-form") == []
    # The form again, with every error shown.
    page.get_by_label("单位名称").fill("x")
    page.get_by_role("button", name=re.compile("提交")).click()
    page.locator("[role=alert]").first.wait_for()
    assert axe(page, "inquiry-form-errors") == []


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

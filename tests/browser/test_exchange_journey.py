"""Browser journey of issue 14: 绍兴's editor requests a study visit to 深圳 about 飞灰 from the
admin; 深圳's editor sees it on their home (screenshot), accepts it; both public city pages
show the visit. Screenshots of both editors' homes go to test-artifacts/screenshots/."""

import re

TOPIC = "飞灰无害化与资源化考察（浏览器测试）"


def _editor(browser, live_site, username, password):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.set_default_timeout(20_000)
    page.goto(live_site + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def test_shaoxing_requests_a_fly_ash_study_visit_shenzhen_accepts_both_pages_show_it(
    browser, live_site, shoot, browser_password
):
    shaoxing = _editor(browser, live_site, "shaoxing-editor", browser_password)
    # The editor's home: the city's cases with completeness and staleness.
    assert shaoxing.get_by_test_id("home-city-cases").is_visible()
    shoot(shaoxing, "editor-home-shaoxing")
    shaoxing.get_by_role("link", name="考察与结对").first.click()
    shaoxing.get_by_role("link", name="发起考察或结对").first.click()
    shaoxing.locator("#id_kind").select_option("study_visit")
    shaoxing.locator("#id_to_city").select_option(label="深圳市")
    shaoxing.locator("#id_topic").fill(TOPIC)
    shaoxing.locator("#id_waste_categories").select_option(label="HW18 焚烧处置残渣")
    plasma = shaoxing.locator("#id_cases option", has_text="宝安垃圾焚烧厂").first
    shaoxing.locator("#id_cases").select_option(plasma.get_attribute("value"))
    shaoxing.locator("#id_start_date").fill("2027-03-15")
    shaoxing.locator("#id_end_date").fill("2027-03-16")
    shaoxing.locator("#id_message").fill("希望考察等离子气化飞灰处理工艺。")
    shaoxing.get_by_role("button", name="提交申请").click()
    shaoxing.wait_for_url(re.compile(r"/admin/exchange/\d+/$"))
    assert "待深圳市答复" in shaoxing.get_by_test_id("status").inner_text()

    shenzhen = _editor(browser, live_site, "shenzhen-editor", browser_password)
    panel = shenzhen.get_by_test_id("home-exchange")
    assert TOPIC in panel.inner_text()
    shoot(shenzhen, "editor-home-shenzhen")
    panel.get_by_role("link", name=re.compile("飞灰无害化")).click()
    shenzhen.get_by_label("接受").check()
    shenzhen.locator("#id_text").first.fill("欢迎来访。")
    shenzhen.get_by_role("button", name="提交答复").click()
    shenzhen.wait_for_url(re.compile(r"/admin/exchange/\d+/$"))
    assert "已接受" in shenzhen.get_by_test_id("status").inner_text()

    for slug in ("shaoxing", "shenzhen"):
        shaoxing.goto(f"{live_site}/cities/{slug}/")
        section = shaoxing.locator("#city-exchanges").locator("xpath=..")
        text = section.inner_text()
        assert TOPIC in text and "考察学习" in text and "2027-03-15" in text
        assert "欢迎来访" not in shaoxing.content()
        shoot(shaoxing, f"city-page-exchange-{slug}")

"""The 无废细胞 journey in a real browser: a school assesses itself against the example school
scorecard, applies with its result and a PDF, the 绍兴市 reviewer scores and recognises it, and
the school appears in the public register and, as a recognised cell, in the exchange search. axe
runs on the scorecard, self-assessment, result, comparison, register and search pages."""

import re

SCHOOL = "/standards/example-std-school/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNIT = "绍兴市浏览器测试实验小学"


def _login(page, live_site, username, password):
    page.goto(live_site + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))


def _no_serious(axe, page, name):
    violations = axe(page, name)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_school_self_assesses_applies_and_is_recognised(
    browser, live_site, shoot, axe, browser_password
):
    applicant = browser.new_context(locale="zh-CN").new_page()
    applicant.goto(live_site + SCHOOL)
    assert "示例" in applicant.locator(".example-banner").inner_text()
    _no_serious(axe, applicant, "standard-scorecard")
    shoot(applicant, "cells-scorecard")
    applicant.get_by_role("link", name="按本标准自评").click()
    applicant.wait_for_url(re.compile(r"/cells/assess/\d+/"))
    _no_serious(axe, applicant, "standard-self-assessment")
    # Best answer everywhere: the first option of every question, no findings, all conditions met.
    applicant.evaluate(
        """() => {
          const seen = new Set();
          for (const r of document.querySelectorAll('input[type=radio][name^=ind_]')) {
            if (!seen.has(r.name)) { r.checked = true; seen.add(r.name); }
          }
          for (const n of document.querySelectorAll('input[type=number][name^=ind_]')) n.value = '0';
          for (const c of document.querySelectorAll('input[type=checkbox][name^=elig_]')) c.checked = true;
        }"""
    )
    applicant.get_by_role("button", name="计算自评结果").click()
    applicant.wait_for_url(re.compile(r"/cells/assessment/[\w-]{20,}/"))
    assert "达到达标分数线" in applicant.content()
    _no_serious(axe, applicant, "standard-assessment-result")
    shoot(applicant, "cells-assessment-result")

    applicant.get_by_role("link", name="据此申报").click()
    applicant.get_by_label("申报单位名称").fill(UNIT)
    applicant.get_by_label("所在城市").select_option(label="绍兴市")
    applicant.get_by_label("联系人（仅评估人员可见）").fill("李老师")
    applicant.get_by_label("联系电话（仅评估人员可见）").fill("13900002222")
    applicant.get_by_label(re.compile("本单位自愿申报")).check()
    applicant.get_by_label(re.compile("佐证材料")).set_input_files(
        files=[{"name": "工作方案.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    applicant.get_by_role("button", name="提交申报").click()
    applicant.wait_for_url(re.compile(r"/cells/application/[\w-]{20,}/"))
    assert "待评估" in applicant.content()
    status_url = applicant.url

    reviewer = browser.new_context(locale="zh-CN").new_page()
    _login(reviewer, live_site, "shaoxing-reviewer", browser_password)
    assert UNIT in reviewer.content()  # the home page panel of pending applications
    reviewer.get_by_role("link", name=UNIT).first.click()
    reviewer.wait_for_url(re.compile(r"/admin/cells/applications/\d+/"))
    assert "13900002222" in reviewer.content()
    # The reviewer's scores start from the self-scores; one indicator is marked down.
    reviewer.locator("input[name='ind_3.1']").fill("12")
    reviewer.locator("input[name='comment_3.1']").fill("现场缺少一类分类容器")
    for box in reviewer.locator("input[type=checkbox][name^=elig_]").all():
        box.check()
    reviewer.get_by_label("认定").check()
    reviewer.get_by_role("button", name="提交评估").click()
    reviewer.wait_for_url(re.compile(r"/admin/cells/applications/\d+/$"))
    certificate = re.search(r"WFXB-[\d]+-\d{4}-\d{6}", reviewer.content()).group()
    shoot(reviewer, "cells-reviewer-recognised")

    applicant.goto(status_url)
    assert certificate in applicant.content() and "已认定" in applicant.content()
    applicant.goto(live_site + "/cells/register/")
    applicant.get_by_label("名称或证书编号").fill(UNIT)
    applicant.get_by_role("button", name="筛选").click()
    row = applicant.locator("tr", has_text=UNIT)
    assert certificate in row.inner_text() and "97" in row.inner_text()  # 100 − 3
    assert "13900002222" not in applicant.content()
    _no_serious(axe, applicant, "standard-register")
    shoot(applicant, "cells-register")

    # The exchange search finds the recognised cell too (type 无废细胞), and its card leads back
    # to the register row; no contact data on the way.
    applicant.goto(live_site + "/search/")
    applicant.locator("#search-q").fill(UNIT)
    applicant.locator("form.hero-search button[type=submit]").click()
    applicant.wait_for_url(re.compile(r"/search/\?q="))
    card = applicant.locator("article.result", has_text=UNIT)
    assert "无废细胞" in card.inner_text() and certificate in card.inner_text()
    assert "13900002222" not in applicant.content()
    _no_serious(axe, applicant, "search-cell-result")
    shoot(applicant, "cells-search")
    card.get_by_role("link", name=UNIT).click()
    applicant.wait_for_url(re.compile(r"/cells/register/\?q="))
    assert certificate in applicant.locator("tr", has_text=UNIT).inner_text()

    applicant.goto(live_site + "/cells/compare/?cell_type=school")
    boxes = applicant.locator("input[name=ids]")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    applicant.get_by_role("button", name="对比").click()
    applicant.wait_for_url(re.compile(r"ids="))
    assert applicant.get_by_role("table", name="指标对比").count() == 1
    _no_serious(axe, applicant, "standard-comparison")
    shoot(applicant, "cells-comparison")

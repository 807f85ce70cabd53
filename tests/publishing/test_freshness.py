"""Completeness and freshness (issue 14): 信息更新于, the per-city list of stale or incomplete
cases (command and admin page), the monthly digest to the city's editors, and the completeness
panel in the page editor."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.factories import CasePageFactory
from cases.models import CaseIndicator, CasePage, TechnologyPage
from cases.models.pages import CasePolicyDocument
from publishing import freshness

pytestmark = pytest.mark.django_db

SEED_DATE = datetime.date(2021, 3, 6)


def _complete(page):
    for name in ("background", "measures", "costs", "lessons", "replicable_points"):
        setattr(page, name, f"{name} 的内容（示例）")
    page.applicability = "示例"
    page.lead_office = "某市生态环境局（示例）"
    page.indicators = [CaseIndicator(name="收集量（示例）", value=1, unit="吨", year=2023)]
    page.policy_documents = [CasePolicyDocument(title="示例文件", url="https://example.cn/a")]
    page.technologies.set([TechnologyPage.objects.first()])
    return page


def test_seed_cases_date_from_their_source_and_count_as_stale(shaoxing):
    case = CasePage.objects.get(external_id="seed-shaoxing-08")
    assert case.information_date == SEED_DATE
    groups = dict(freshness.attention_by_city())
    states = groups[shaoxing]
    assert {s.page.pk for s in states} == set(
        CasePage.objects.filter(city=shaoxing).values_list("pk", flat=True)
    )
    assert all(s.stale and s.incomplete for s in states)


def test_a_person_publishing_makes_it_fresh_and_complete_cases_drop_off(make_user, shaoxing):
    editor = make_user("fresh-rev", "绍兴市 审核")
    case = CasePageFactory(parent=shaoxing, title="完整且新的经验")
    _complete(case.get_latest_revision_as_object()).save_revision(user=editor).publish(user=editor)
    case.refresh_from_db()
    assert case.information_date == timezone.localdate()
    assert case.completeness.score == 100
    listed = {s.page.pk for _c, todo in freshness.attention_by_city() for s in todo}
    assert case.pk not in listed
    # A year and a day later it is stale again.
    later = timezone.localdate() + datetime.timedelta(days=366)
    listed = {s.page.pk for _c, todo in freshness.attention_by_city(today=later) for s in todo}
    assert case.pk in listed


def test_the_monthly_digest_goes_to_each_citys_own_editors(make_user, shaoxing):
    sx_editor = make_user("digest-sx", "绍兴市 编辑")
    sz_editor = make_user("digest-sz", "深圳市 编辑")
    no_mail = make_user("digest-nomail", "绍兴市 编辑")
    no_mail.email = ""
    no_mail.save()
    mail.outbox.clear()
    sent = freshness.send_digest()
    assert {"绍兴市", "深圳市"} <= {s["city"] for s in sent}
    [to_sx] = [m for m in mail.outbox if sx_editor.email in m.to]
    assert "【绍兴市】" in to_sx.subject and sz_editor.email not in to_sx.to
    sx_case = CasePage.objects.get(external_id="seed-shaoxing-08")
    assert sx_case.title in to_sx.body
    assert f"/admin/pages/{sx_case.pk}/edit/" in to_sx.body
    assert "待补充：背景与问题" in to_sx.body and "超过 12 个月未更新" in to_sx.body
    assert CasePage.objects.get(external_id="seed-shenzhen-07").title not in to_sx.body


def test_the_digest_command_dry_run_sends_nothing(make_user, capsys):
    make_user("digest-cmd", "绍兴市 编辑")
    mail.outbox.clear()
    call_command("send_freshness_digest", "--dry-run", "--list")
    out = capsys.readouterr().out
    assert '"dry_run": true' in out and "绍兴市\t" in out
    assert mail.outbox == []


def test_the_admin_list_shows_a_city_editor_only_their_city(client, make_user):
    client.force_login(make_user("fresh-view", "绍兴市 编辑"))
    response = client.get(reverse("publishing:freshness"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-city="shaoxing"' in content and 'data-city="shenzhen"' not in content
    assert "超过 12 个月" in content


def test_the_admin_list_is_for_city_and_national_staff_only(client, make_user):
    client.force_login(make_user("fresh-nobody", is_staff=False))
    assert client.get(reverse("publishing:freshness")).status_code in (302, 403)
    client.force_login(make_user("fresh-national", "国家管理员"))
    content = client.get(reverse("publishing:freshness")).content.decode()
    assert 'data-city="shaoxing"' in content and 'data-city="shenzhen"' in content


def test_the_page_editor_shows_completeness_and_what_is_missing(client, make_user):
    client.force_login(make_user("fresh-editor", "绍兴市 编辑"))
    case = CasePage.objects.get(external_id="seed-shaoxing-08")
    content = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert "经验完整度 10%" in content
    assert "待补充：背景与问题、成效、投入与成本" in content


def test_the_list_takes_the_same_number_of_queries_however_many_cases(shaoxing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            list(freshness.attention_by_city())
        # Not the version stamps, re-read from the shared cache at most once a second.
        return sum("wfc_cache" not in q["sql"] for q in captured.captured_queries)

    before = queries()
    for n in range(3):
        CasePageFactory(parent=shaoxing, title=f"查询数测试{n}")
    assert queries() == before


def test_the_digest_can_run_as_a_task(make_user):
    from publishing import tasks

    editor = make_user("digest-task", "绍兴市 编辑")
    mail.outbox.clear()
    result = tasks.send_freshness_digest.enqueue()  # the immediate backend runs it here
    assert "绍兴市" in {entry["city"] for entry in result.return_value["emails"]}
    assert any(editor.email in m.to for m in mail.outbox)

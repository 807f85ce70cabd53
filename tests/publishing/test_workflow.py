"""Roles setup, the moderation workflow (submit → reject with comment → resubmit → approve),
email notifications, scheduled publishing, revision history and compare — through the admin."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    WorkflowPage,
    WorkflowState,
)

from cases.factories import CasePageFactory, CityPageFactory
from cases.models import CasePage, CityPage
from publishing import roles

pytestmark = pytest.mark.django_db


def _page_perms(group, page):
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def _collection_perms(group, collection):
    return set(
        GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list(
            "permission__codename", flat=True
        )
    )


def test_every_seed_city_has_its_groups_collection_and_workflow():
    for city in CityPage.objects.all():
        editors = Group.objects.get(name=f"{city.title} 编辑")
        reviewers = Group.objects.get(name=f"{city.title} 审核")
        assert _page_perms(editors, city) == {"add_page", "change_page"}
        assert _page_perms(reviewers, city) == {"add_page", "change_page", "publish_page"}
        collection = Collection.objects.get(name=city.title, depth=2)
        media = {"add_image", "change_image", "choose_image"} | {
            "add_document",
            "change_document",
            "choose_document",
        }
        assert _collection_perms(editors, collection) == media
        assert _collection_perms(reviewers, collection) == media
        workflow = WorkflowPage.objects.get(page=city).workflow
        assert workflow.name == f"{city.title} 审核流程" and workflow.active
        [task] = workflow.tasks.specific()
        assert {g.name for g in task.groups.all()} == {
            f"{city.title} 审核",
            "国家审核",
            "国家管理员",
        }
        for group in (editors, reviewers):
            assert group.permissions.filter(codename="access_admin").exists()
    home = CityPage.objects.first().get_parent().get_parent()
    assert _page_perms(Group.objects.get(name="国家审核"), home) == {"publish_page"}
    assert _page_perms(Group.objects.get(name="国家管理员"), home) == {
        f"{a}_page" for a in roles.PAGE_ACTIONS_ALL
    }


def test_setup_roles_command_is_idempotent(capsys):
    counts = {
        model: model.objects.count()
        for model in (
            Group,
            GroupPagePermission,
            GroupCollectionPermission,
            Collection,
            WorkflowPage,
        )
    }
    call_command("setup_roles")
    call_command("setup_roles")
    assert '"cities": 16' in capsys.readouterr().out
    assert {model: model.objects.count() for model in counts} == counts


def test_setup_roles_repairs_a_changed_group():
    city = CityPage.objects.get(slug="shaoxing")
    editors = Group.objects.get(name="绍兴市 编辑")
    GroupPagePermission.objects.create(group=editors, page=city, permission_type="publish")
    GroupPagePermission.objects.filter(group=editors, permission__codename="change_page").delete()
    roles.setup_roles()
    assert _page_perms(editors, city) == {"add_page", "change_page"}


def test_a_new_city_gets_its_roles_at_once_and_keeps_them_when_renamed():
    city = CityPageFactory(title="测试新城市")
    assert Group.objects.filter(name="测试新城市 编辑").exists()
    assert Group.objects.filter(name="测试新城市 审核").exists()
    assert Collection.objects.filter(name="测试新城市").exists()
    assert WorkflowPage.objects.get(page=city).workflow.name == "测试新城市 审核流程"

    city.title = "测试改名城市"
    city.save_revision().publish()
    assert Group.objects.filter(name="测试改名城市 编辑").exists()
    assert not Group.objects.filter(name="测试新城市 编辑").exists()
    assert Collection.objects.filter(name="测试改名城市").exists()
    assert WorkflowPage.objects.get(page=city).workflow.name == "测试改名城市 审核流程"


def _mails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def _action(client, page, action, comment=""):
    state = CasePage.objects.get(pk=page.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    response = client.post(url, {"comment": comment})
    assert response.status_code in (200, 302), response.status_code
    return response


def test_submit_reject_with_comment_resubmit_approve(
    client, make_user, shaoxing, terms, form_data, case_fields
):
    editor = make_user("sx-editor", "绍兴市 编辑")
    reviewer = make_user("sx-reviewer", "绍兴市 审核")
    other_reviewer = make_user("sz-reviewer", "深圳市 审核")

    # The editor writes a case in 绍兴 and submits it.
    client.force_login(editor)
    add_url = f"/admin/pages/add/cases/casepage/{shaoxing.pk}/"
    data = form_data(client, add_url, **case_fields("工作流测试经验", terms, slug="workflow-case"))
    client.post(add_url, {**data, "action-submit": ["1"]})
    page = CasePage.objects.get(slug="workflow-case")
    assert page.get_parent().pk == shaoxing.pk and page.owner == editor
    assert not page.live
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "绍兴市 审核流程"

    # Not public yet.
    client.logout()
    assert client.get("/cities/shaoxing/workflow-case/").status_code == 404
    assert "工作流测试经验" not in client.get("/cases/").content.decode()

    # 绍兴's reviewer is told; 深圳's is not.
    assert _mails_to(reviewer) and not _mails_to(other_reviewer)

    # The editor cannot approve their own submission.
    client.force_login(editor)
    _action(client, page, "approve")
    assert not CasePage.objects.get(pk=page.pk).live

    # The reviewer rejects it with a comment; the editor gets it by email.
    mail.outbox.clear()
    client.force_login(reviewer)
    _action(client, page, "reject", comment="请补充2020年的数据来源。")
    page = CasePage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not page.live
    [rejection] = _mails_to(editor)
    assert "请补充2020年的数据来源。" in rejection.body
    assert "工作流测试经验" in rejection.subject

    # The editor edits it and submits it again.
    client.force_login(editor)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = form_data(client, edit_url, **case_fields("工作流测试经验（已补充来源）", terms))
    client.post(edit_url, {**data, "source": ["2020年统计公报"], "action-submit": ["1"]})
    page = CasePage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not page.live

    # The reviewer approves: it is published, public, and the editor is told.
    mail.outbox.clear()
    client.force_login(reviewer)
    _action(client, page, "approve", comment="同意。")
    page = CasePage.objects.get(pk=page.pk)
    assert page.live and page.title == "工作流测试经验（已补充来源）"
    assert page.source == "2020年统计公报"
    assert page.current_workflow_state is None
    assert _mails_to(editor)
    client.logout()
    response = client.get("/cities/shaoxing/workflow-case/")
    assert response.status_code == 200
    assert "工作流测试经验（已补充来源）" in response.content.decode()
    assert page.revisions.count() >= 2


def test_scheduled_publishing_waits_for_the_go_live_date(
    client, make_user, shaoxing, terms, form_data, case_fields
):
    editor = make_user("sched-editor", "绍兴市 编辑")
    reviewer = make_user("sched-reviewer", "绍兴市 审核")
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    client.force_login(editor)
    add_url = f"/admin/pages/add/cases/casepage/{shaoxing.pk}/"
    data = form_data(
        client,
        add_url,
        **case_fields("定时发布经验", terms, slug="scheduled-case"),
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
    )
    client.post(add_url, {**data, "action-submit": ["1"]})
    page = CasePage.objects.get(slug="scheduled-case")

    client.force_login(reviewer)
    _action(client, page, "approve")
    page = CasePage.objects.get(pk=page.pk)
    assert not page.live
    assert page.scheduled_revision is not None

    call_command("publish_scheduled")
    assert not CasePage.objects.get(pk=page.pk).live

    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    page = CasePage.objects.get(pk=page.pk)
    assert page.live
    client.logout()
    assert client.get("/cities/shaoxing/scheduled-case/").status_code == 200


def test_revision_history_and_compare(client, make_user, shaoxing, terms, form_data, case_fields):
    reviewer = make_user("history-reviewer", "绍兴市 审核")
    page = CasePageFactory(
        parent=shaoxing,
        title="修订历史经验",
        slug="history-case",
        governance_model=terms["model"],
        waste_categories=[terms["waste"]],
    )
    client.force_login(reviewer)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = form_data(client, edit_url, **case_fields("修订历史经验（第二版）", terms))
    client.post(edit_url, {**data, "action-publish": ["1"]})
    first, second = page.revisions.order_by("created_at", "pk")[:2]

    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    assert f"/revisions/compare/{first.pk}...{second.pk}/" in history.content.decode() or (
        "修订历史经验" in history.content.decode()
    )
    compare = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, first.pk, second.pk))
    )
    assert compare.status_code == 200
    body = compare.content.decode()
    assert "修订历史经验" in body and "第二版" in body


def test_a_reviewer_can_preview_a_draft_case(client, make_user, shaoxing, terms):
    reviewer = make_user("preview-reviewer", "绍兴市 审核")
    draft = CasePageFactory(
        parent=shaoxing,
        title="预览草稿经验",
        governance_model=terms["model"],
        waste_categories=[terms["waste"]],
        live=False,
    )
    client.force_login(reviewer)
    client.raise_request_exception = False
    response = client.get(f"/admin/pages/{draft.pk}/view_draft/")
    assert response.status_code == 200
    assert "预览草稿经验" in response.content.decode()


# --- issue 14: links in emails use the site's real address -------------------------------------


@pytest.fixture
def real_site(settings):
    from wagtail.models import Site

    settings.WAGTAILADMIN_BASE_URL = None
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "wfc.example.gov.cn", 443
    site.save()
    return "https://wfc.example.gov.cn"


def test_import_summary_links_to_the_default_site(make_user, real_site):
    from publishing import notifications

    editor = make_user("url-editor", "绍兴市 编辑")
    reviewer = make_user("url-checker", "绍兴市 审核")
    page = CasePage.objects.filter(city__slug="shaoxing").first()
    mail.outbox.clear()
    assert notifications.send_import_summary([page], editor) == 1
    [message] = [m for m in mail.outbox if reviewer.email in m.to]
    assert f"{real_site}/admin/pages/{page.pk}/edit/" in message.body
    assert "127.0.0.1" not in message.body and "localhost" not in message.body


def test_a_declared_base_url_wins(make_user, real_site, settings):
    from cases import sites

    settings.WAGTAILADMIN_BASE_URL = "https://declared.example.cn/"
    assert sites.absolute_url("/admin/") == "https://declared.example.cn/admin/"


def test_production_takes_the_public_host_name_not_a_development_default():
    import subprocess
    import sys
    from pathlib import Path

    code = "import wfc_platform.settings.production as p; print(p.WAGTAILADMIN_BASE_URL)"
    env = {
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_ALLOWED_HOSTS": "localhost,wfc.example.gov.cn",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://wfc.example.gov.cn"

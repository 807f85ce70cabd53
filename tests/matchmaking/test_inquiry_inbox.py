"""The staff inbox in the Wagtail admin: who sees which inquiry, filters, CSV export, the notes
thread, the status workflow, anonymisation, and board post moderation."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from mm_helpers import (
    TEST_EMAIL,
    TEST_NAME,
    TEST_PHONE,
    category,
    inquiry_data,
    make_city_staff,
    make_post,
    region,
)

from cases.factories import CasePageFactory, TechnologyPageFactory
from matchmaking import selectors, services
from matchmaking.models import ANONYMISED, BoardPost, Inquiry, InquiryNote, InquiryStatus

INBOX = "/admin/matchmaking/inquiries/"


def send(client, page, **data) -> Inquiry:
    response = client.post(f"/matchmaking/inquiry/{page.pk}/", inquiry_data(**data))
    assert response.status_code == 302
    return Inquiry.objects.order_by("-pk").first()


@pytest.fixture
def two_cities(client, shaoxing, shenzhen, django_user_model):
    """绍兴 and 深圳 staff (GroupPagePermission change_page on their CityPage), one inquiry on a
    绍兴 case, one on the 深圳 city page, one on a technology."""
    sx_staff = make_city_staff(django_user_model, shaoxing, "sx", "sx@shaoxing.test")
    sz_staff = make_city_staff(django_user_model, shenzhen, "sz", "sz@shenzhen.test")
    sx_case = CasePageFactory(
        parent=shaoxing, title="绍兴案例", waste_categories=[category("hw17")]
    )
    technology = TechnologyPageFactory(title="某技术")
    return {
        "sx_staff": sx_staff,
        "sz_staff": sz_staff,
        "sx": send(client, sx_case, organisation="绍兴问询单位"),
        "sz": send(client, shenzhen, organisation="深圳问询单位", purpose="visit"),
        "tech": send(client, technology, organisation="技术问询单位", purpose="consulting"),
    }


def denied(response) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------
# Visibility


def test_city_staff_see_only_their_own_citys_inquiries(client, two_cities):
    sx, sz = two_cities["sx"], two_cities["sz"]
    login(client, two_cities["sx_staff"])
    listing = client.get(INBOX)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert sx.reference in html
    assert sz.reference not in html and two_cities["tech"].reference not in html
    assert client.get(f"{INBOX}{sx.pk}/").status_code == 200
    # Another city's inquiry: not found, whether reading, acting on, exporting or deleting it.
    assert client.get(f"{INBOX}{sz.pk}/").status_code == 404
    assert client.post(f"{INBOX}{sz.pk}/", {"action": "note", "body": "偷看"}).status_code == 404
    assert client.get(f"{INBOX}{sz.pk}/history/").status_code == 404
    assert client.get(f"{INBOX}{sz.pk}/delete/").status_code == 404
    assert not InquiryNote.objects.filter(inquiry=sz).exists()
    export = client.get(INBOX, {"export": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert sx.reference in content and sz.reference not in content
    assert "深圳问询单位" not in content


def test_the_rule_follows_wagtail_page_permissions(two_cities, shaoxing, shenzhen):
    sx_staff, sz_staff = two_cities["sx_staff"], two_cities["sz_staff"]
    assert set(selectors.inquiries_visible_to(sx_staff)) == {two_cities["sx"]}
    assert set(selectors.inquiries_visible_to(sz_staff)) == {two_cities["sz"]}
    assert selectors.user_can_see_inquiry(sx_staff, two_cities["sx"])
    assert not selectors.user_can_see_inquiry(sx_staff, two_cities["sz"])
    assert set(selectors.city_editors(shaoxing)) == {sx_staff}
    # Inactive staff lose access.
    sx_staff.is_active = False
    sx_staff.save()
    assert not selectors.inquiries_visible_to(sx_staff).exists()


def test_superusers_and_platform_staff_see_everything(client, two_cities, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    html = login(client, root).get(INBOX).content.decode()
    for key in ("sx", "sz", "tech"):
        assert two_cities[key].reference in html
    platform = two_cities["sz_staff"]
    platform.user_permissions.add(Permission.objects.get(codename="view_all_inquiries"))
    platform = django_user_model.objects.get(pk=platform.pk)
    assert set(selectors.inquiries_visible_to(platform)) == {
        two_cities["sx"],
        two_cities["sz"],
        two_cities["tech"],
    }


def test_people_without_page_permissions_see_no_inbox(client, two_cities, django_user_model):
    visitor = django_user_model.objects.create_user("visitor", password="pw")
    visitor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, visitor)
    assert denied(client.get(INBOX))
    assert client.get(f"{INBOX}{two_cities['sx'].pk}/").status_code == 404
    client.logout()
    assert client.get(INBOX).status_code == 302  # to the login page


# ---------------------------------------------------------------------------------------------
# Listing, filters, export


def test_filters(client, two_cities, django_user_model, shenzhen):
    root = django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    login(client, root)
    sx, sz, tech = two_cities["sx"], two_cities["sz"], two_cities["tech"]
    services.change_status(sz, InquiryStatus.IN_PROGRESS, root)

    def listed(**params):
        html = client.get(INBOX, params).content.decode()
        return {i.reference for i in (sx, sz, tech) if i.reference in html}

    assert listed(status="in_progress") == {sz.reference}
    assert listed(purpose="consulting") == {tech.reference}
    assert listed(target_type="city") == {sz.reference}
    assert listed(target_city=shenzhen.pk) == {sz.reference}
    assert listed(target="绍兴") == {sx.reference}
    # Region: 广东省 includes 中山市 (every test inquiry comes from 中山).
    gd = region("440000")
    assert listed(region=gd.pk) == {sx.reference, sz.reference, tech.reference}
    assert listed(region=region("330600").pk) == set()
    # Waste category: 危险废物 includes HW17.
    assert listed(waste=category("hazardous").pk) == {sx.reference, sz.reference, tech.reference}
    assert listed(waste=category("hw18").pk) == set()
    assert listed(q=sx.reference) == {sx.reference}


def test_csv_export_has_the_details_and_neutralises_formulas(client, shaoxing, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    case = CasePageFactory(parent=shaoxing, waste_categories=[category("hw17")])
    inquiry = send(client, case, organisation='=HYPERLINK("http://evil")')
    response = login(client, root).get(INBOX, {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="inquiries.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    [row] = rows
    assert row["编号"] == inquiry.reference
    assert row["状态"] == "新建" and row["对接目的"] == "处置需求"
    assert row["联系电话"] == TEST_PHONE and row["电子邮箱"] == TEST_EMAIL
    assert row["所在地区"] == "中山市" and row["废物类别"] == "HW17 表面处理废物"
    assert row["所属城市"] == "绍兴市"
    assert row["单位名称"] == '\'=HYPERLINK("http://evil")'


# ---------------------------------------------------------------------------------------------
# Detail: notes and the status workflow


def test_notes_thread_and_status_workflow(client, two_cities):
    staff, inquiry = two_cities["sx_staff"], two_cities["sx"]
    login(client, staff)
    detail = f"{INBOX}{inquiry.pk}/"
    html = client.get(detail).content.decode()
    assert TEST_PHONE in html and TEST_NAME in html  # the city's staff may see the contacts
    client.post(detail, {"action": "note", "body": "已电话联系，约下周考察。"})
    client.post(detail, {"action": "status", "status": "in_progress", "comment": "分配给固废处"})
    client.post(detail, {"action": "status", "status": "matched"})
    client.post(detail, {"action": "status", "status": "closed"})
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    notes = [(n.kind, n.body, n.author) for n in inquiry.notes.all()]
    assert notes == [
        ("note", "已电话联系，约下周考察。", staff),
        ("status", "状态：新建 → 处理中\n分配给固废处", staff),
        ("status", "状态：处理中 → 已对接", staff),
        ("status", "状态：已对接 → 已关闭", staff),
    ]
    html = client.get(detail).content.decode()
    assert "已电话联系，约下周考察。" in html and "状态：处理中 → 已对接" in html
    # The audit log records who did what.
    history = client.get(f"{INBOX}{inquiry.pk}/history/")
    assert history.status_code == 200 and "状态变更" in history.content.decode()


def test_status_cannot_skip_steps(two_cities):
    inquiry, staff = two_cities["sx"], two_cities["sx_staff"]
    with pytest.raises(ValidationError):
        services.change_status(inquiry, InquiryStatus.MATCHED, staff)  # 新建 → 已对接
    services.change_status(inquiry, InquiryStatus.CLOSED, staff)  # spam: close directly
    services.change_status(inquiry, InquiryStatus.IN_PROGRESS, staff)  # reopen
    assert inquiry.status == InquiryStatus.IN_PROGRESS


def test_skipping_a_step_through_the_admin_is_refused(client, two_cities):
    inquiry = two_cities["sx"]
    login(client, two_cities["sx_staff"])
    response = client.post(f"{INBOX}{inquiry.pk}/", {"action": "status", "status": "matched"})
    assert response.status_code == 200  # the form is shown again with its error
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


# ---------------------------------------------------------------------------------------------
# Anonymisation


def test_anonymise_keeps_statistics_and_logs_who(client, two_cities, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    inquiry = two_cities["sx"]
    services.add_note(inquiry, root, f"回电 {TEST_PHONE}，{TEST_NAME} 不在")
    login(client, root)
    client.post(f"{INBOX}{inquiry.pk}/", {"action": "anonymise"})
    inquiry.refresh_from_db()
    assert inquiry.is_anonymised and inquiry.anonymised_by == root
    assert (inquiry.contact_name, inquiry.phone, inquiry.email, inquiry.credit_code) == (
        ANONYMISED,
        "",
        "",
        "",
    )
    assert inquiry.message == ANONYMISED and inquiry.organisation == ANONYMISED
    # Statistics survive.
    assert inquiry.region.code == "442000" and inquiry.purpose == "disposal"
    assert list(inquiry.waste_categories.all()) == [category("hw17")]
    assert inquiry.status == InquiryStatus.NEW
    bodies = " ".join(inquiry.notes.values_list("body", flat=True))
    assert TEST_PHONE not in bodies and TEST_NAME not in bodies
    assert "匿名化" in bodies
    html = client.get(f"{INBOX}{inquiry.pk}/").content.decode()
    assert TEST_EMAIL not in html and "由 root 匿名化" in html.replace("\n", "")


def test_city_staff_cannot_anonymise_or_delete(client, two_cities):
    inquiry = two_cities["sx"]
    login(client, two_cities["sx_staff"])
    assert denied(client.post(f"{INBOX}{inquiry.pk}/", {"action": "anonymise"}))
    assert denied(client.get(f"{INBOX}{inquiry.pk}/delete/"))
    inquiry.refresh_from_db()
    assert not inquiry.is_anonymised


def test_superuser_can_delete_an_inquiry(client, two_cities, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    inquiry = two_cities["sz"]
    response = login(client, root).post(f"{INBOX}{inquiry.pk}/delete/")
    assert response.status_code == 302
    assert not Inquiry.objects.filter(pk=inquiry.pk).exists()


def test_anonymise_requester_command_covers_inquiries_and_posts(two_cities):
    post = make_post()
    out = io.StringIO()
    call_command("anonymise_requester", "--email", TEST_EMAIL.upper(), stdout=out)
    assert "3 条对接需求、1 条供需信息" in out.getvalue()
    assert not Inquiry.objects.filter(email=TEST_EMAIL).exists()
    post.refresh_from_db()
    assert post.is_anonymised and post.status == BoardPost.Status.WITHDRAWN
    assert post.email == "" and post.waste_categories.exists()


# ---------------------------------------------------------------------------------------------
# Board moderation in the admin


def test_moderators_approve_posts_in_the_admin(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    post = make_post(status="pending", title="待审核的中山需求")
    login(client, root)
    listing = client.get("/admin/matchmaking/board/", {"status": "pending"}).content.decode()
    assert "待审核的中山需求" in listing
    detail = client.get(f"/admin/matchmaking/board/{post.pk}/").content.decode()
    assert TEST_PHONE in detail and "匹配推荐" in detail
    client.post(
        f"/admin/matchmaking/board/{post.pk}/",
        {"action": "moderate", "decision": "approve", "note": ""},
    )
    post.refresh_from_db()
    assert post.status == BoardPost.Status.APPROVED and post.moderated_by == root
    assert mail.outbox[-1].to == [TEST_EMAIL]
    client.post(f"/admin/matchmaking/board/{post.pk}/", {"action": "anonymise"})
    post.refresh_from_db()
    assert post.is_anonymised and post.status == BoardPost.Status.WITHDRAWN


def test_city_staff_cannot_moderate(client, two_cities):
    post = make_post(status="pending")
    login(client, two_cities["sx_staff"])
    assert denied(client.get(f"/admin/matchmaking/board/{post.pk}/"))
    assert denied(client.get("/admin/matchmaking/board/"))
    assert denied(client.post(f"/admin/matchmaking/board/{post.pk}/", {"action": "anonymise"}))
    post.refresh_from_db()
    assert not post.is_anonymised


def test_admin_menu_and_settings(client, two_cities, django_user_model):
    # The sidebar menu is JSON in the page: check its links.
    dashboard = login(client, two_cities["sx_staff"]).get("/admin/").content.decode()
    assert INBOX in dashboard and "/admin/matchmaking/board/" not in dashboard
    root = django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    login(client, root)
    dashboard = client.get("/admin/").content.decode()
    assert INBOX in dashboard and "/admin/matchmaking/board/" in dashboard
    settings_page = client.get("/admin/settings/matchmaking/matchmakingsettings/", follow=True)
    assert settings_page.status_code == 200 and "平台对接工作邮箱" in settings_page.content.decode()
    assert client.get("/admin/matchmaking/technology-contacts/").status_code == 200
    assert client.get("/admin/matchmaking/technology-contacts/new/").status_code == 200

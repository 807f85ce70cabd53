"""我要对接: the public inquiry form, its validation, the emails, honeypot, rate limit and CSRF."""

import pytest
from django.core import mail
from django.test import Client
from mm_helpers import (
    TEST_EMAIL,
    TEST_NAME,
    TEST_PHONE,
    category,
    inquiry_data,
    make_city_staff,
    make_credit_code,
    make_post,
)

from cases.factories import CasePageFactory, TechnologyPageFactory
from cases.models import StandardPage
from matchmaking import services
from matchmaking.models import Inquiry, InquiryStatus, TargetType, TechnologyContact


def url(page) -> str:
    return f"/matchmaking/inquiry/{page.pk}/"


@pytest.fixture
def case(shaoxing):
    return CasePageFactory(
        parent=shaoxing, title="绍兴小微企业危废收运", waste_categories=[category("hw17")]
    )


# ---------------------------------------------------------------------------------------------
# The button and the form


@pytest.mark.parametrize("slug_model", ["case", "technology", "city"])
def test_every_target_page_shows_the_button_and_the_form(client, case, shaoxing, slug_model):
    page = {
        "case": case,
        "technology": TechnologyPageFactory(title="飞灰技术"),
        "city": shaoxing,
    }[slug_model]
    html = client.get(page.url).content.decode()
    assert "我要对接" in html and url(page) in html
    response = client.get(url(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert page.title in html
    assert 'name="csrfmiddlewaretoken"' in html
    # Every control has a label.
    for name in ("organisation", "credit_code", "contact_name", "phone", "email", "message"):
        assert f'<label for="id_{name}">' in html
    # The target's waste categories are preselected.
    if slug_model == "case":
        assert f'<option value="{category("hw17").pk}" selected>' in html


def test_drafts_and_other_page_types_cannot_be_targeted(client, shaoxing):
    draft = CasePageFactory(parent=shaoxing, live=False)
    assert client.get(url(draft)).status_code == 404
    standard = StandardPage.objects.live().first()
    assert client.get(url(standard)).status_code == 404
    assert client.get("/matchmaking/inquiry/999999/").status_code == 404


# ---------------------------------------------------------------------------------------------
# A valid inquiry


def test_valid_inquiry_is_stored_and_both_emails_are_sent(
    client, case, shaoxing, mm_settings, django_user_model
):
    editor = make_city_staff(django_user_model, shaoxing, "sx-editor", "editor@shaoxing.test")
    response = client.post(url(case), inquiry_data())
    assert response.status_code == 302
    assert response["Location"] == "/matchmaking/inquiry/thanks/"
    # No contact data in the redirect.
    assert TEST_EMAIL not in response["Location"] and TEST_PHONE not in response["Location"]

    inquiry = Inquiry.objects.get()
    assert inquiry.organisation == "中山市保密电镀有限公司"
    assert inquiry.contact_name == TEST_NAME
    assert inquiry.phone == TEST_PHONE and inquiry.email == TEST_EMAIL
    assert inquiry.credit_code == make_credit_code("91442000MA4UL8K2X")
    assert inquiry.region.code == "442000"
    assert list(inquiry.waste_categories.all()) == [category("hw17")]
    assert inquiry.purpose == "disposal"
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.target_type == TargetType.CASE
    assert inquiry.target_page_id == case.pk and inquiry.target_city_id == shaoxing.pk
    assert inquiry.reference.startswith("DJ") and len(inquiry.reference) == 15
    assert inquiry.confirmation_sent_at and inquiry.notified_at

    confirmation, notification = mail.outbox
    assert confirmation.to == [TEST_EMAIL]
    assert inquiry.reference in confirmation.subject
    assert inquiry.reference in confirmation.body and case.title in confirmation.body
    # The city's editor and the platform inbox are told, with the details and an admin link.
    assert set(notification.to) == {editor.email, "inbox@platform.test"}
    assert notification.reply_to == [TEST_EMAIL]
    assert TEST_PHONE in notification.body and "表面处理废物约 500 吨" in notification.body
    assert f"/admin/matchmaking/inquiries/{inquiry.pk}/" in notification.body

    thanks = client.get(response["Location"]).content.decode()
    assert inquiry.reference in thanks
    assert TEST_EMAIL not in thanks and TEST_PHONE not in thanks


def test_technology_inquiries_go_to_the_provider_contact(client, mm_settings):
    technology = TechnologyPageFactory(title="等离子飞灰技术", waste_categories=[category("hw18")])
    TechnologyContact.objects.create(technology=technology, email="provider@plasma.test")
    assert client.post(url(technology), inquiry_data(purpose="consulting")).status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.target_type == TargetType.TECHNOLOGY and inquiry.target_city is None
    confirmation, staff, provider = mail.outbox
    assert staff.to == ["inbox@platform.test"]
    assert provider.to == ["provider@plasma.test"]
    assert "/admin/" not in provider.body  # an outside provider gets no admin link
    assert TEST_PHONE in provider.body and provider.reply_to == [TEST_EMAIL]


def test_without_any_configured_address_the_superusers_are_told(client, case, django_user_model):
    django_user_model.objects.create_superuser("root", "root@platform.test", "pw")
    client.post(url(case), inquiry_data())
    assert mail.outbox[-1].to == ["root@platform.test"]


def test_inquiry_is_kept_when_the_mail_server_fails(client, case, settings, mm_settings):
    settings.EMAIL_BACKEND = "mm_broken_email.Broken"
    response = client.post(url(case), inquiry_data())
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.confirmation_sent_at is None and inquiry.notified_at is None


def test_phone_only_inquiry_sends_no_confirmation(client, case, mm_settings):
    client.post(url(case), inquiry_data(email=""))
    inquiry = Inquiry.objects.get()
    assert inquiry.email == "" and inquiry.confirmation_sent_at is None
    assert [m.to for m in mail.outbox] == [["inbox@platform.test"]]


def test_references_are_unique_and_unguessable():
    references = {services.new_reference() for _ in range(200)}
    assert len(references) == 200


# ---------------------------------------------------------------------------------------------
# Invalid fields: each gets its own error, nothing is stored, no email is sent

LONG = "长" * 2001


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("organisation", "", "请填写单位名称。"),
        ("organisation", "单" * 201, "单位名称最多 200 个字（现在 201 个）。"),
        ("organisation_type", "pirate", "请从列表中选择单位类型。"),
        ("credit_code", "91442000MA4UL8K2XA", "统一社会信用代码校验位不正确，请核对后重新填写。"),
        ("credit_code", "9144200", "统一社会信用代码应为 18 位。"),
        ("credit_code", "91442000MA4UL8K2XA" * 2, "统一社会信用代码最多 30 个字（现在 36 个）。"),
        ("contact_name", "", "请填写联系人。"),
        ("contact_name", "名" * 51, "联系人最多 50 个字（现在 51 个）。"),
        ("phone", "12345", "请填写正确的手机号（11 位）或带区号的固定电话，例如 0760-88881234。"),
        ("email", "not-an-email", "请填写有效的电子邮箱地址，例如 name@example.com。"),
        ("region", "", "请选择所在地区。"),
        ("region", "99999999", "请从列表中选择所在地区。"),
        ("waste_categories", ["99999999"], "请从列表中选择废物类别。"),
        ("purpose", "", "请选择对接目的。"),
        ("purpose", "spam", "请从列表中选择对接目的。"),
        ("message", "太短", "需求说明至少 10 个字（现在 2 个）。"),
        ("message", LONG, "需求说明最多 2000 个字（现在 2001 个）。"),
        ("consent", None, "请勾选同意后提交。"),
    ],
)
def test_each_invalid_field_gets_its_own_error(client, case, field, value, message):
    data = inquiry_data(**{field: value})
    if value is None:
        data.pop(field, None)
    response = client.post(url(case), data)
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert form.errors[field] == [message]
    html = response.content.decode()
    # The error is announced and tied to its field.
    assert f'id="id_{field}_error" role="alert"' in html
    if field not in ("consent",):
        assert "aria-describedby=" in html and f"id_{field}_error" in html
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_phone_or_email_is_required(client, case):
    response = client.post(url(case), inquiry_data(phone="", email=""))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"phone", "email"}
    assert "至少一项" in errors["phone"][0]
    assert not Inquiry.objects.exists()


def test_a_right_credit_code_is_accepted_and_a_wrong_check_character_refused(client, case):
    right = make_credit_code("91330602MA2BDE1234"[:17])
    wrong = right[:17] + ("0" if right[17] != "0" else "1")
    response = client.post(url(case), inquiry_data(credit_code=wrong))
    assert response.status_code == 400
    assert "校验位不正确" in response.context["form"].errors["credit_code"][0]
    response = client.post(url(case), inquiry_data(credit_code=right.lower()))
    assert response.status_code == 302
    assert Inquiry.objects.get().credit_code == right


def test_credit_code_is_optional(client, case):
    assert client.post(url(case), inquiry_data(credit_code="")).status_code == 302
    assert Inquiry.objects.get().credit_code == ""


# ---------------------------------------------------------------------------------------------
# Abuse


def test_honeypot_pretends_success_but_stores_and_sends_nothing(client, case, mm_settings):
    response = client.post(url(case), inquiry_data(website="http://spam.example"))
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "编号" in thanks.content.decode()
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_rate_limit_returns_a_friendly_429(client, case):
    for _ in range(5):
        assert client.post(url(case), inquiry_data()).status_code == 302
    response = client.post(url(case), inquiry_data())
    assert response.status_code == 429
    html = response.content.decode()
    assert "提交过于频繁" in html and "10 分钟" in html
    assert response["Retry-After"] == "600"
    assert Inquiry.objects.count() == 5
    # Another address is not affected.
    other = client.post(url(case), inquiry_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_invalid_submissions_count_towards_the_limit(client, case):
    for _ in range(5):
        client.post(url(case), inquiry_data(message=""))
    assert client.post(url(case), inquiry_data()).status_code == 429


def test_forwarded_for_is_not_trusted_by_default(client, case, settings):
    for n in range(5):
        client.post(url(case), inquiry_data(), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert (
        client.post(url(case), inquiry_data(), HTTP_X_FORWARDED_FOR="198.51.100.99").status_code
        == 429
    )
    settings.XFF_TRUSTED_PROXY_DEPTH = 1  # one proxy (nginx) in front: its hop is trusted
    assert (
        client.post(url(case), inquiry_data(), HTTP_X_FORWARDED_FOR="198.51.100.99").status_code
        == 302
    )


def test_csrf_is_enforced(case):
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(url(case), inquiry_data()).status_code == 403
    assert not Inquiry.objects.exists()
    csrf_client.get(url(case))
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(url(case), inquiry_data(csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Contacting a board post


def test_contact_button_relays_an_inquiry_to_the_poster(client, mm_settings):
    post = make_post("offer", ["hw17"], "440100", email="plant@gz-facility.test")
    detail = client.get(post.get_absolute_url()).content.decode()
    assert f"/matchmaking/board/{post.pk}/contact/" in detail
    response = client.post(f"/matchmaking/board/{post.pk}/contact/", inquiry_data())
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.target_type == TargetType.POST and inquiry.target_post == post
    relayed = next(m for m in mail.outbox if m.to == ["plant@gz-facility.test"])
    assert TEST_PHONE in relayed.body and "/admin/" not in relayed.body
    # The requester's confirmation never reveals the poster's address.
    confirmation = next(m for m in mail.outbox if m.to == [TEST_EMAIL])
    assert "plant@gz-facility.test" not in confirmation.body


def test_pending_posts_cannot_be_contacted(client, db):
    post = make_post("offer", status="pending")
    assert client.get(f"/matchmaking/board/{post.pk}/contact/").status_code == 404
    assert client.post(f"/matchmaking/board/{post.pk}/contact/", inquiry_data()).status_code == 404


def test_city_page_inquiries_notify_that_citys_editors_only(
    client, shaoxing, shenzhen, mm_settings, django_user_model
):
    sz_editor = make_city_staff(django_user_model, shenzhen, "sz-editor", "editor@shenzhen.test")
    make_city_staff(django_user_model, shaoxing, "sx-editor", "editor@shaoxing.test")
    client.post(url(shenzhen), inquiry_data(purpose="visit"))
    inquiry = Inquiry.objects.get()
    assert inquiry.target_type == TargetType.CITY and inquiry.target_city_id == shenzhen.pk
    notification = mail.outbox[-1]
    assert set(notification.to) == {sz_editor.email, "inbox@platform.test"}


def test_city_editor_notification_can_be_switched_off(
    client, shenzhen, mm_settings, django_user_model
):
    make_city_staff(django_user_model, shenzhen, "sz-editor", "editor@shenzhen.test")
    mm_settings.notify_city_editors = False
    mm_settings.save()
    client.post(url(shenzhen), inquiry_data())
    assert mail.outbox[-1].to == ["inbox@platform.test"]


def test_inactive_editors_are_not_notified(client, shenzhen, mm_settings, django_user_model):
    editor = make_city_staff(django_user_model, shenzhen, "sz-editor", "editor@shenzhen.test")
    editor.is_active = False
    editor.save()
    client.post(url(shenzhen), inquiry_data())
    assert "editor@shenzhen.test" not in mail.outbox[-1].to


# --- issue 14: the region list is grouped by province ------------------------------------------


def test_inquiry_region_select_is_grouped_by_province(client, case):
    import re

    content = client.get(url(case)).content.decode()
    select = re.search(r'<select name="region"[^>]*>(.*?)</select>', content, re.S).group(1)
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert len(groups) >= 31 and "浙江省" in groups
    zhejiang = re.search(r'<optgroup label="浙江省">(.*?)</optgroup>', select, re.S).group(1)
    assert "浙江省（全省）" in zhejiang and "绍兴市" in zhejiang and "深圳市" not in zhejiang

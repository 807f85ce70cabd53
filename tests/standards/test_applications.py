"""申报 → 评估 → 认定 → 动态管理, and who may see what: a city's people never see another city's
applications, evidence is private, contacts never public."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from standards import services
from standards.factories import make_cell
from standards.models import Application, Cell, Evidence, SelfAssessment

pytestmark = pytest.mark.django_db
PHONE = "13900001111"


def _apply(client, standard, city, pdf, **extra):
    data = {
        "unit_name": "绍兴市测试实验学校",
        "city": city.pk,
        "district": "越城区",
        "contact_name": "王老师",
        "contact_phone": PHONE,
        "contact_email": "wang@example.cn",
        "commitment": "on",
        "evidence": [SimpleUploadedFile("方案.pdf", pdf, "application/pdf")],
        **extra,
    }
    return client.post(reverse("standards:apply", args=[standard.pk]), data)


@pytest.fixture
def application(client, city_standard, shaoxing, pdf):
    response = _apply(client, city_standard, shaoxing, pdf)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get()


def _review(standard, decision="recognise", **scores):
    data = {"ind_A1": "10", "ind_A2": "12", "ind_B1": "22", "ind_B2": "40", "decision": decision}
    data.update({"elig_0": "on", "elig_1": "on"})
    data.update(scores)
    return data


def test_application_keeps_evidence_private_and_contacts_hidden(client, application, settings):
    evidence = Evidence.objects.get()
    assert str(settings.STANDARDS_EVIDENCE_ROOT) in evidence.file.path
    assert str(settings.MEDIA_ROOT) not in evidence.file.path
    with pytest.raises(ValueError):
        _ = evidence.file.url  # no public URL at all
    status = client.get(reverse("standards:application", args=[application.token]))
    assert status.status_code == 200 and PHONE not in status.content.decode()
    url = reverse("standards_admin:evidence", args=[application.pk, evidence.pk])
    assert client.get(url).status_code == 302  # to the admin login


def test_application_with_its_self_assessment(client, city_standard, shaoxing, pdf):
    saved = SelfAssessment.objects.create(standard=city_standard, result={"total": "80.0"})
    response = _apply(client, city_standard, shaoxing, pdf, assessment=saved.token)
    assert response.status_code == 302
    assert Application.objects.get().assessment == saved


def test_bad_evidence_and_missing_fields_are_form_errors(client, city_standard, shaoxing):
    response = _apply(client, city_standard, shaoxing, b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400 and "方案.pdf" in response.content.decode()
    response = _apply(client, city_standard, shaoxing, b"%PDF-1.4", commitment="")
    assert response.status_code == 400
    assert not Application.objects.exists() and not Evidence.objects.exists()


def test_city_standard_takes_applications_only_for_its_city(client, city_standard, shenzhen, pdf):
    assert _apply(client, city_standard, shenzhen, pdf).status_code == 400


def test_other_city_cannot_see_or_evaluate(client, application, make_user):
    other = make_user("sz", "深圳市 审核")
    client.force_login(other)
    assert (
        "绍兴市测试实验学校"
        not in client.get(reverse("standards_admin:applications")).content.decode()
    )
    detail = reverse("standards_admin:application", args=[application.pk])
    assert client.get(detail).status_code == 404
    assert client.post(detail, _review(application.standard)).status_code == 404
    evidence = application.evidence.get()
    url = reverse("standards_admin:evidence", args=[application.pk, evidence.pk])
    assert client.get(url).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_city_editor_sees_but_does_not_evaluate(client, application, make_user):
    client.force_login(make_user("sx-editor", "绍兴市 编辑"))
    detail = reverse("standards_admin:application", args=[application.pk])
    html = client.get(detail).content.decode()
    assert PHONE in html and 'name="decision"' not in html
    refused = client.post(detail, _review(application.standard))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and not Cell.objects.exists()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待评估的无废细胞申报（1）" in home and "绍兴市测试实验学校" in home


def test_reviewer_scores_and_recognises(client, application, make_user):
    client.force_login(make_user("sx-reviewer", "绍兴市 审核"))
    detail = reverse("standards_admin:application", args=[application.pk])
    evidence = application.evidence.get()
    download = client.get(reverse("standards_admin:evidence", args=[application.pk, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    too_high = client.post(detail, _review(application.standard, ind_A1="11"))
    assert too_high.status_code == 400 and "不能高于分值" in too_high.content.decode()
    assert not Cell.objects.exists()

    data = _review(application.standard, comment_B1="现场有两处投放点不规范")
    assert client.post(detail, data).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.RECOGNISED
    assert application.review_total == 84  # 10 + 12 + 22 + 40
    assert application.review["B1"] == {"score": "22", "comment": "现场有两处投放点不规范"}
    cell = Cell.objects.get()
    today = timezone.localdate()
    assert cell.certificate_number.startswith(f"WFXB-330600-{today.year}-")
    assert cell.recognised_on == today and cell.expires_on == services.add_years(today, 3)
    assert (cell.city, cell.score, cell.standard) == (application.city, 84, application.standard)

    register = client.get(reverse("standards:register")).content.decode()
    assert cell.certificate_number in register and PHONE not in register
    csv_text = client.get(reverse("standards:register-download", args=["csv"])).content
    assert cell.certificate_number.encode() in csv_text and PHONE.encode() not in csv_text


def test_reviewer_returns_an_application(client, application, make_user):
    client.force_login(make_user("sx-reviewer", "绍兴市 审核"))
    detail = reverse("standards_admin:application", args=[application.pk])
    assert client.post(detail, _review(application.standard, decision="return")).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED and not Cell.objects.exists()


def test_revocation_needs_a_reason_and_only_the_city(client, make_user, shaoxing, shenzhen):
    cell = make_cell(city=shaoxing)
    url = reverse("standards_admin:revoke", args=[cell.pk])
    client.force_login(make_user("sz", "深圳市 审核"))
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(make_user("sx", "绍兴市 审核"))
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "复查发现分类设施撤除"}).status_code == 302
    cell.refresh_from_db()
    assert cell.status == Cell.Status.REVOKED and cell.revoked_reason == "复查发现分类设施撤除"


def test_expiry_command_flags_expired_and_reminds_the_city_editors(make_user, shaoxing):
    editor = make_user("sx-editor", "绍兴市 编辑")
    today = timezone.localdate()
    expired = make_cell(city=shaoxing, expires_on=today - datetime.timedelta(days=1))
    soon = make_cell(city=shaoxing, expires_on=today + datetime.timedelta(days=30))
    later = make_cell(city=shaoxing, expires_on=today + datetime.timedelta(days=400))
    call_command("cell_expiry")
    for cell in (expired, soon, later):
        cell.refresh_from_db()
    assert expired.status == Cell.Status.EXPIRED
    assert soon.status == Cell.Status.VALID and soon.reminder_sent_on == today
    assert later.reminder_sent_on is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [editor.email]
    assert soon.certificate_number in mail.outbox[0].body
    assert later.certificate_number not in mail.outbox[0].body
    call_command("cell_expiry")
    assert len(mail.outbox) == 1  # reminded once


def test_city_cell_list_shows_only_own_city_with_revoke_for_reviewers(
    client, make_user, shaoxing, shenzhen
):
    own, other = make_cell(city=shaoxing), make_cell(city=shenzhen)
    client.force_login(make_user("sx-editor", "绍兴市 编辑"))
    html = client.get(reverse("standards_admin:cells")).content.decode()
    assert own.certificate_number in html and other.certificate_number not in html
    assert "撤销" not in html.split("<tbody>")[1]
    client.force_login(make_user("sx-reviewer", "绍兴市 审核"))
    html = client.get(reverse("standards_admin:cells")).content.decode()
    assert reverse("standards_admin:revoke", args=[own.pk]) in html


def test_expiry_can_run_as_a_task(make_user, shaoxing):
    from standards import tasks

    editor = make_user("sx-task-editor", "绍兴市 编辑")
    today = timezone.localdate()
    make_cell(city=shaoxing, expires_on=today - datetime.timedelta(days=1))
    make_cell(city=shaoxing, expires_on=today + datetime.timedelta(days=30))
    result = tasks.cell_expiry.enqueue()  # the immediate backend runs it here
    assert result.return_value == {"expired": 1, "reminded": 1, "cities": 1}
    assert [m.to for m in mail.outbox] == [[editor.email]]

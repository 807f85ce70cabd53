"""Study visits and twinning (issue 14): request → accept / propose other dates / decline, with
messages; only the city whose turn it is answers; accepted exchanges on both city pages;
national staff see all requests and the counts."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import CasePage
from exchange import selectors, services
from exchange.models import ExchangeMessage, ExchangeRequest

pytestmark = pytest.mark.django_db
Action, Status = ExchangeMessage.Action, ExchangeRequest.Status


def test_a_request_waits_for_the_city_it_is_addressed_to(
    fly_ash_visit, people, cities, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = fly_ash_visit()
    assert request.status == Status.PENDING and request.awaiting_city == cities["shenzhen"]
    [email] = mail.outbox
    assert set(email.to) == {people["sz"].email, people["sz-rev"].email}
    assert "绍兴市" in email.subject and f"/admin/exchange/{request.pk}/" in email.body
    assert [m.action for m in request.messages.all()] == [Action.REQUEST]


def test_only_the_addressed_city_answers(fly_ash_visit, people):
    request = fly_ash_visit()
    for who in ("sx", "cq", "national"):
        with pytest.raises(PermissionDenied):
            services.respond(people[who], request, Action.ACCEPT)
    request.refresh_from_db()
    assert request.status == Status.PENDING
    services.respond(people["sz"], request, Action.ACCEPT, text="欢迎来访。")
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED and request.awaiting_city is None
    with pytest.raises(PermissionDenied):  # answered: nobody's turn any more
        services.respond(people["sz"], request, Action.DECLINE)


def test_proposing_other_dates_hands_the_turn_back(fly_ash_visit, people, cities):
    request = fly_ash_visit()
    with pytest.raises(ValidationError):
        services.respond(people["sz"], request, Action.PROPOSE)  # no dates
    services.respond(
        people["sz"],
        request,
        Action.PROPOSE,
        start_date=datetime.date(2027, 4, 8),
        end_date=datetime.date(2027, 4, 9),
        text="三月检修，建议四月。",
    )
    request.refresh_from_db()
    assert request.status == Status.DATES_PROPOSED
    assert request.awaiting_city == cities["shaoxing"]
    with pytest.raises(PermissionDenied):
        services.respond(people["sz"], request, Action.ACCEPT)
    services.respond(people["sx"], request, Action.ACCEPT)
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert (request.start_date, request.end_date) == (
        datetime.date(2027, 4, 8),
        datetime.date(2027, 4, 9),
    )
    assert [m.action for m in request.messages.all()] == [
        Action.REQUEST,
        Action.PROPOSE,
        Action.ACCEPT,
    ]


def test_decline_and_messages(fly_ash_visit, people):
    request = fly_ash_visit(kind=ExchangeRequest.Kind.TWINNING, topic="结对共建")
    services.add_message(people["sz"], request, "请先发一份议程。")
    services.add_message(people["sx"], request, "议程见附件。")
    with pytest.raises(PermissionDenied):
        services.add_message(people["cq"], request, "我也想参加。")
    services.respond(people["sz"], request, Action.DECLINE, text="今年接待已满。")
    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert request.messages.filter(action=Action.MESSAGE).count() == 2


def test_a_city_requests_only_in_its_own_name_and_about_the_other_citys_cases(
    fly_ash_visit, people, cities
):
    with pytest.raises(PermissionDenied):
        services.create_request(
            people["sx"],
            kind="study_visit",
            from_city=cities["shenzhen"],
            to_city=cities["chongqing"],
            topic="冒名",
        )
    with pytest.raises(PermissionDenied):
        services.create_request(
            people["national"],
            kind="study_visit",
            from_city=cities["shaoxing"],
            to_city=cities["shenzhen"],
            topic="国家代发",
        )
    with pytest.raises(ValidationError) as error:
        fly_ash_visit(cases=[CasePage.objects.get(external_id="seed-shaoxing-08")])
    assert "cases" in error.value.message_dict
    with pytest.raises(ValidationError):
        fly_ash_visit(to_city=cities["shaoxing"])


def test_accepted_exchanges_appear_on_both_city_pages_and_nothing_private(
    client, fly_ash_visit, people, cities
):
    visit = fly_ash_visit()
    declined = fly_ash_visit(topic="被婉拒的主题")
    services.respond(people["sz"], declined, Action.DECLINE)
    pending = fly_ash_visit(topic="尚未答复的主题")
    for slug in ("shaoxing", "shenzhen"):
        assert "考察交流与结对" not in client.get(cities[slug].url).content.decode()
    services.respond(people["sz"], visit, Action.ACCEPT, text="内部留言：接待人电话保密")
    for slug in ("shaoxing", "shenzhen"):
        content = client.get(cities[slug].url).content.decode()
        assert "考察交流与结对" in content
        assert f'data-exchange="{visit.pk}"' in content
        section = content.split('id="city-exchanges"')[1].split("</section>")[0]
        assert "绍兴市" in section and "深圳市" in section and "考察学习" in section
        assert "飞灰无害化与资源化" in content and "2027-03-15" in content
        assert "被婉拒的主题" not in content and pending.topic not in content
        assert "内部留言" not in content and "希望考察宝安" not in content


def test_national_staff_see_every_request_and_the_counts(fly_ash_visit, people):
    first = fly_ash_visit()
    fly_ash_visit(topic="第二项")
    services.respond(people["sz"], first, Action.ACCEPT)
    assert selectors.visible_requests(people["national"]).count() == 2
    assert selectors.visible_requests(people["cq"]).count() == 0
    counts = {kind: dict(cells) for kind, cells, _total in selectors.counts()}
    assert counts["考察学习"]["已接受"] == 1 and counts["考察学习"]["待答复"] == 1


# --- the admin views -------------------------------------------------------------------------


def _denied(response) -> bool:
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_admin_request_and_answer(client, people, cities):
    client.force_login(people["sx"])
    response = client.get(reverse("exchange:create"))
    assert response.status_code == 200
    data = {
        "kind": "study_visit",
        "from_city": cities["shaoxing"].pk,
        "to_city": cities["shenzhen"].pk,
        "topic": "飞灰",
        "start_date": "2027-03-15",
        "end_date": "2027-03-10",
    }
    response = client.post(reverse("exchange:create"), data)
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    data["end_date"] = "2027-03-16"
    response = client.post(reverse("exchange:create"), data)
    assert response.status_code == 302
    request = ExchangeRequest.objects.get(topic="飞灰")
    detail = reverse("exchange:detail", args=[request.pk])
    # The requester cannot answer their own request.
    assert _denied(client.post(detail, {"action": "accept"}))
    request.refresh_from_db()
    assert request.status == Status.PENDING
    # Another city sees nothing.
    client.force_login(people["cq"])
    assert _denied(client.get(detail))
    assert _denied(client.post(detail, {"text": "插话"}))
    assert not request.messages.filter(text="插话").exists()
    # 深圳 answers.
    client.force_login(people["sz"])
    page = client.get(detail).content.decode()
    assert 'data-testid="respond"' in page
    assert client.post(detail, {"action": "propose"}).status_code == 400
    assert client.post(detail, {"action": "accept", "text": "欢迎"}).status_code == 302
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    # National staff: the list with counts, no answer form.
    client.force_login(people["national"])
    listing = client.get(reverse("exchange:list")).content.decode()
    assert 'data-testid="counts"' in listing and "飞灰" in listing
    assert 'data-testid="respond"' not in client.get(detail).content.decode()


def test_the_exchange_pages_are_closed_to_users_without_a_city(client, make_user):
    from django.contrib.auth.models import Permission

    user = make_user("plain-staff")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert _denied(client.get(reverse("exchange:list")))

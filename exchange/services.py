"""Requesting, answering and messaging; each step records a message and tells the other city's
editors and reviewers by email (best effort: a mail failure never undoes the step)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from wagtail.admin.mail import send_mail

from cases import sites
from publishing import roles

from . import selectors
from .models import ExchangeMessage, ExchangeRequest

logger = logging.getLogger("exchange")
Action = ExchangeMessage.Action
Status = ExchangeRequest.Status


def _check_dates(start, end, field="start_date"):
    if start and end and end < start:
        raise ValidationError({"end_date": "结束日期不能早于开始日期。"})


def _notify(request: ExchangeRequest, to_city, subject: str, text: str) -> None:
    recipients = [u.email for u in roles.city_staff(to_city)]
    if not recipients:
        return
    link = sites.base_url() + reverse("exchange:detail", args=[request.pk])
    body = f"{text}\n\n查看并答复：{link}"
    try:
        send_mail(subject, body, recipients)
    except Exception:  # noqa: BLE001 — the step is saved; the email is best effort
        logger.exception("exchange email to %s failed", to_city)


@transaction.atomic
def create_request(
    user,
    *,
    kind,
    from_city,
    to_city,
    topic,
    waste_categories=(),
    cases=(),
    start_date=None,
    end_date=None,
    message="",
) -> ExchangeRequest:
    if not selectors.acting_cities(user).filter(pk=from_city.pk).exists():
        raise PermissionDenied("只能以本城市的名义发起。")
    if to_city.pk == from_city.pk:
        raise ValidationError({"to_city": "请选择另一个城市。"})
    _check_dates(start_date, end_date)
    stray = [c.title for c in cases if c.city_id != to_city.pk]
    if stray:
        raise ValidationError({"cases": f"这些试点经验不属于{to_city.title}：{'、'.join(stray)}"})
    request = ExchangeRequest.objects.create(
        kind=kind,
        from_city=from_city,
        to_city=to_city,
        awaiting_city=to_city,
        topic=topic,
        start_date=start_date,
        end_date=end_date,
        requested_by=user,
    )
    request.waste_categories.set(waste_categories)
    request.cases.set(cases)
    ExchangeMessage.objects.create(
        request=request,
        city=from_city,
        author=user,
        action=Action.REQUEST,
        text=message,
        start_date=start_date,
        end_date=end_date,
    )
    transaction.on_commit(
        lambda: _notify(
            request,
            to_city,
            f"【{request.get_kind_display()}】{from_city.title}希望与{to_city.title}交流：{topic}",
            f"{from_city.title}向{to_city.title}发起{request.get_kind_display()}申请。\n"
            f"主题：{topic}\n{message}",
        )
    )
    return request


@transaction.atomic
def respond(
    user, request: ExchangeRequest, action: str, *, text="", start_date=None, end_date=None
):
    """Accept, decline or propose other dates, as the city whose turn it is."""
    request = ExchangeRequest.objects.select_for_update().get(pk=request.pk)
    if not selectors.can_answer(user, request):
        raise PermissionDenied("只有待答复的城市可以答复这项申请。")
    city = request.awaiting_city
    other = request.other_city(city)
    if action == Action.ACCEPT:
        request.status, request.awaiting_city = Status.ACCEPTED, None
    elif action == Action.DECLINE:
        request.status, request.awaiting_city = Status.DECLINED, None
    elif action == Action.PROPOSE:
        if not start_date:
            raise ValidationError({"start_date": "提议其他日期时请填写开始日期。"})
        _check_dates(start_date, end_date)
        request.status, request.awaiting_city = Status.DATES_PROPOSED, other
        request.start_date, request.end_date = start_date, end_date
    else:
        raise ValidationError({"action": "请选择接受、提议其他日期或婉拒。"})
    request.save()
    ExchangeMessage.objects.create(
        request=request,
        city=city,
        author=user,
        action=action,
        text=text,
        start_date=start_date if action == Action.PROPOSE else None,
        end_date=end_date if action == Action.PROPOSE else None,
    )
    label = Action(action).label
    transaction.on_commit(
        lambda: _notify(
            request,
            other,
            f"【{request.get_kind_display()}】{city.title}{label}：{request.topic}",
            f"{city.title}{label}了{request.get_kind_display()}申请“{request.topic}”。\n{text}",
        )
    )
    return request


@transaction.atomic
def add_message(user, request: ExchangeRequest, text: str) -> ExchangeMessage:
    city = selectors.city_of_user_in(user, request)
    if city is None:
        raise PermissionDenied("只有双方城市可以留言。")
    if not text.strip():
        raise ValidationError({"text": "请填写留言。"})
    message = ExchangeMessage.objects.create(
        request=request, city=city, author=user, action=Action.MESSAGE, text=text.strip()
    )
    request.save(update_fields=["updated_at"])
    other = request.other_city(city)
    transaction.on_commit(
        lambda: _notify(
            request,
            other,
            f"【{request.get_kind_display()}】{city.title}留言：{request.topic}",
            text,
        )
    )
    return message

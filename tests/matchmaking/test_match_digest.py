"""python manage.py send_match_digest [--since ISO] [--dry-run]"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from mm_helpers import make_post

from matchmaking.models import BoardPost


def digest(*args) -> str:
    out = io.StringIO()
    call_command("send_match_digest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def market(mm_settings):
    """A 中山 need and two offers approved yesterday, all posted by different people."""
    yesterday = timezone.now() - timedelta(days=1)
    need = make_post(
        "need", ["hw17"], "442000", tonnage=Decimal("500"), email="need@zs.test", title="中山需求"
    )
    offer = make_post(
        "offer",
        ["hazardous"],
        "440100",
        tonnage=Decimal("2000"),
        email="offer@gz.test",
        title="广州能力",
        approved_at=yesterday,
    )
    need.approved_at = yesterday
    need.save()
    return need, offer


def test_digest_emails_each_poster_their_matches_and_staff_a_summary(market):
    need, offer = market
    output = digest()
    assert "2 条供需信息" in output
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    to_need = by_recipient[("need@zs.test",)]
    assert "广州能力" in to_need.body and "匹配度 84 分" in to_need.body
    assert "上级类别涵盖下级" in to_need.body
    assert need.get_private_url() in to_need.body
    assert "offer@gz.test" not in to_need.body  # never another poster's contact
    to_offer = by_recipient[("offer@gz.test",)]
    assert "中山需求" in to_offer.body and "need@zs.test" not in to_offer.body
    staff = by_recipient[("inbox@platform.test",)]
    assert "中山需求" in staff.subject + staff.body and "新匹配" in staff.subject
    need.refresh_from_db()
    assert need.last_digest_at is not None


def test_only_new_matches_are_sent_the_next_time(market):
    need, _offer = market
    digest()
    mail.outbox.clear()
    assert "0 条供需信息" in digest()
    assert mail.outbox == []
    # A new offer appears: the need's poster hears of it (the 广州 offer does not — an offer is
    # no match for an offer), and the new poster gets their first digest.
    make_post("offer", ["hw17"], "442000", email="new@zs.test", title="中山新能力")
    digest()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["inbox@platform.test", "need@zs.test", "new@zs.test"]
    to_need = next(m for m in mail.outbox if m.to == ["need@zs.test"])
    assert "中山新能力" in to_need.body and "广州能力" not in to_need.body


def test_dry_run_sends_and_records_nothing(market):
    need, _ = market
    output = digest("--dry-run")
    assert "预览" in output and "广州能力" in output
    assert mail.outbox == []
    need.refresh_from_db()
    assert need.last_digest_at is None


def test_since_limits_the_matches(market):
    make_post("offer", ["hw17"], "442000", email="new@zs.test", title="中山新能力")
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    digest("--since", since)
    to_need = next(m for m in mail.outbox if m.to == ["need@zs.test"])
    assert "中山新能力" in to_need.body and "广州能力" not in to_need.body


def test_withdrawn_rejected_and_anonymised_posts_get_no_digest(market):
    need, offer = market
    BoardPost.objects.filter(pk=need.pk).update(status=BoardPost.Status.WITHDRAWN)
    BoardPost.objects.filter(pk=offer.pk).update(status=BoardPost.Status.REJECTED)
    digest()
    assert mail.outbox == []


def test_pending_posts_get_their_matches_too(market):
    make_post("need", ["hw17"], "440300", status="pending", email="pending@sz.test")
    digest()
    assert any(m.to == ["pending@sz.test"] for m in mail.outbox)


def test_bad_since_is_refused(db):
    with pytest.raises(CommandError):
        digest("--since", "yesterday")


def test_the_digest_can_run_as_a_task(market):
    from matchmaking import tasks

    result = tasks.send_match_digest.enqueue()  # the immediate backend runs it here
    assert result.return_value["posts"] == 2 and result.return_value["sent"] == 2
    assert {("need@zs.test",), ("offer@gz.test",)} <= {tuple(m.to) for m in mail.outbox}

"""A write the database refuses (read-only, locked, full) answers 503 with a retry message, is
logged with its traceback, and stores nothing — on SQLite and PostgreSQL alike.

The database is made read-only for real: SQLite's `PRAGMA query_only` (what a read-only data
directory gives), PostgreSQL's read-only transaction (what a standby or a full disk gives)."""

import logging
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import CasePage
from matchmaking.models import BoardPost, Inquiry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matchmaking"))
from mm_helpers import board_data, inquiry_data  # noqa: E402


@pytest.fixture
def read_only_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET TRANSACTION READ ONLY")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")


@pytest.fixture
def request_log(caplog):
    """Records of django.request (it does not propagate to the root logger caplog watches)."""
    logger = logging.getLogger("django.request")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.fixture
def visitor(client):
    client.raise_request_exception = False
    return client


def _assert_retry_page(response, request_log):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "尚未保存" in body and "再次提交" in body
    errors = [r for r in request_log.records if r.levelno >= logging.ERROR]
    assert errors and errors[-1].exc_info, "the failure is logged with its traceback"


def test_inquiry_on_a_read_only_database_answers_503_and_stores_nothing(
    read_only_database, visitor, request_log
):
    case = CasePage.objects.live().first()
    before = Inquiry.objects.count()
    response = visitor.post(reverse("matchmaking:inquiry", args=[case.pk]), inquiry_data())
    _assert_retry_page(response, request_log)
    assert Inquiry.objects.count() == before


def test_board_post_on_a_read_only_database_answers_503(read_only_database, visitor, request_log):
    response = visitor.post(reverse("matchmaking:board-new"), board_data())
    _assert_retry_page(response, request_log)


def test_admin_login_on_a_read_only_database_answers_503(
    db, visitor, request_log, django_user_model
):
    django_user_model.objects.create_superuser("ops-admin", "ops@platform.test", "pw-ops-123!")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON" if connection.vendor == "sqlite" else "SELECT 1")
        if connection.vendor != "sqlite":
            cursor.execute("SET TRANSACTION READ ONLY")
    try:
        response = visitor.post(
            reverse("wagtailadmin_login"), {"username": "ops-admin", "password": "pw-ops-123!"}
        )
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
    _assert_retry_page(response, request_log)


def test_a_bug_still_answers_500(db, visitor, monkeypatch):
    """Only database availability errors are retryable; anything else stays a 500."""
    from matchmaking import views

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(views.selectors, "approved_posts", broken)
    response = visitor.get(reverse("matchmaking:board"))
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_the_stored_board_posts_are_untouched_after_a_refused_write(read_only_database, visitor):
    before = BoardPost.objects.count()
    visitor.post(reverse("matchmaking:board-new"), board_data())
    assert BoardPost.objects.count() == before

"""What is never served from (or kept in) the page cache: editors, private pages, forms with CSRF
tokens, responses that set cookies, errors, the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cases.factories import CasePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CasePageFactory(title="缓存策略测试经验")


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("cache-editor", "e@example.org", "pw")
    client.force_login(user)
    return client


def test_an_editor_never_gets_a_cached_page(seen, warm, editor, case):
    warm(case.url)
    response = editor.get(case.url)
    assert response["X-Cache"] == "pass"
    assert editor.get(case.url)["X-Cache"] == "pass"


def test_an_editors_page_is_never_kept_for_visitors(seen, editor, case):
    editor.get(case.url)
    assert seen(case.url)[1] == "miss"


def test_a_page_made_private_is_not_served_from_the_cache(seen, warm, case):
    warm(case.url)
    PageViewRestriction.objects.create(
        page=case, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    status, state, body = seen(case.url)
    assert state == "pass"
    assert "缓存策略测试经验的摘要" not in body
    assert seen(case.url)[1] == "pass"  # the password form is never kept


def test_a_login_restricted_page_is_never_kept(seen, case):
    PageViewRestriction.objects.create(page=case, restriction_type=PageViewRestriction.LOGIN)
    assert seen(case.url)[0] == 302
    assert seen(case.url)[1] == "pass"


def test_a_form_with_a_csrf_token_is_never_kept(seen, case):
    url = reverse("matchmaking:inquiry", args=[case.pk])
    status, state, body = seen(url)
    assert status == 200 and "csrfmiddlewaretoken" in body
    assert state == "pass"
    assert seen(url)[1] == "pass"


def test_a_visitor_with_a_session_is_not_served_from_the_cache(visitor, warm, case):
    warm(case.url)
    visitor.cookies["sessionid"] = "anything"
    assert visitor.get(case.url)["X-Cache"] == "pass"


def test_not_found_and_the_admin_are_never_kept(seen):
    assert seen("/no-such-page-here/")[:2] == (404, "pass")
    assert seen("/no-such-page-here/")[1] == "pass"
    assert seen("/admin/login/")[1] == "pass"


def test_keys_differ_by_query_string_and_host(visitor, case):
    assert visitor.get(case.url)["X-Cache"] == "miss"
    assert visitor.get(case.url + "?x=1")["X-Cache"] == "miss"
    assert visitor.get(case.url, HTTP_HOST="other.example.org")["X-Cache"] == "miss"
    assert visitor.get(case.url)["X-Cache"] == "hit"


def test_head_is_answered_from_the_cache_without_a_body(visitor, case):
    visitor.get(case.url)
    response = visitor.head(case.url)
    assert response["X-Cache"] == "hit"
    assert response.content == b""

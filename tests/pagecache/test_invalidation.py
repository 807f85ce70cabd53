"""Every kind of change shows on the very next anonymous request to every page that shows it.

Each test warms the affected pages (served from the cache), makes the change as an editor's
request would (publish, unpublish, move, delete, a taxonomy rename, an exchange accepted, a
board post approved or withdrawn), then checks each page on the next request. Search and API answers depend on the index, written after
the commit: those changes run inside `django_capture_on_commit_callbacks(execute=True)`.
"""

import pytest
from django.urls import reverse

from cases.factories import CasePageFactory, CityPageFactory
from cases.models import CaseIndexPage, HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CasePageFactory(title="缓存测试污泥资源化经验", summary="缓存测试摘要。")


def _listing_url():
    return CaseIndexPage.objects.get().url


def _affected(case):
    """The pages that show a case: itself, its city, the listing, home, search and the API."""
    return [
        case.url,
        case.get_parent().url,
        _listing_url(),
        HomePage.objects.get().url,
        reverse("search") + "?q=缓存测试",
        reverse("search-api") + "?q=缓存测试",
    ]


def test_a_second_request_is_a_hit_with_the_same_body(seen, case):
    first = seen(case.url)
    second = seen(case.url)
    assert (first[0], first[1]) == (200, "miss")
    assert (second[0], second[1]) == (200, "hit")
    assert first[2] == second[2]


def test_a_published_change_shows_everywhere_at_once(
    seen, warm, case, django_capture_on_commit_callbacks
):
    urls = _affected(case)
    warm(*urls)
    case.title = "缓存测试餐厨垃圾新标题"
    with django_capture_on_commit_callbacks(execute=True):
        case.save_revision().publish()
    for url in urls:
        status, state, body = seen(url)
        assert state == "miss", url
        assert "缓存测试餐厨垃圾新标题" in body, url


def test_a_draft_is_never_shown(seen, warm, case):
    warm(case.url, case.get_parent().url)
    case.title = "缓存测试草稿标题"
    case.save_revision()  # saved, not published
    for url in (case.url, case.get_parent().url):
        assert "缓存测试草稿标题" not in seen(url)[2]


def test_an_unpublished_case_leaves_every_page(
    seen, warm, case, django_capture_on_commit_callbacks
):
    urls = _affected(case)
    warm(*urls)
    with django_capture_on_commit_callbacks(execute=True):
        case.unpublish()
    assert seen(urls[0])[0] == 404
    for url in urls[1:]:
        assert case.title not in seen(url)[2], url


def test_a_deleted_case_leaves_every_page(seen, warm, case, django_capture_on_commit_callbacks):
    urls = _affected(case)
    warm(*urls)
    with django_capture_on_commit_callbacks(execute=True):
        case.delete()
    assert seen(urls[0])[0] == 404
    for url in urls[1:]:
        assert "缓存测试污泥资源化经验" not in seen(url)[2], url


def test_a_moved_case_leaves_its_old_city_and_joins_the_new_one(seen, warm, case):
    old_city = case.get_parent().specific
    new_city = CityPageFactory(title="缓存测试新城市")
    old_url = case.url
    warm(old_url, old_city.url, new_city.url)
    case.move(new_city, pos="last-child")
    case.refresh_from_db()
    # Wagtail leaves a redirect at the old address (never kept in the page cache).
    assert seen(old_url)[:2] == (301, "pass")
    assert case.title not in seen(old_city.url)[2]
    assert case.title in seen(new_city.url)[2]
    assert seen(case.url)[0] == 200


def test_a_renamed_waste_category_shows_on_the_case_and_its_city(seen, warm, case):
    category = case.waste_categories.first()
    warm(case.url, _listing_url())
    category.name = "缓存测试改名类别"
    category.save()
    assert "缓存测试改名类别" in seen(case.url)[2]
    assert "缓存测试改名类别" in seen(_listing_url())[2]


def test_an_accepted_exchange_shows_on_both_city_pages(seen, warm):
    from exchange.models import ExchangeRequest

    one, other = CityPageFactory(), CityPageFactory()
    request = ExchangeRequest.objects.create(
        kind=ExchangeRequest.Kind.STUDY_VISIT,
        from_city=one,
        to_city=other,
        awaiting_city=other,
        topic="缓存测试考察主题",
    )
    warm(one.url, other.url)
    assert "缓存测试考察主题" not in seen(one.url)[2]  # pending: not public
    request.status, request.awaiting_city = ExchangeRequest.Status.ACCEPTED, None
    request.save()
    assert "缓存测试考察主题" in seen(one.url)[2]
    assert "缓存测试考察主题" in seen(other.url)[2]


def test_a_board_posts_contact_button_follows_its_moderation(seen, warm):
    """A board post's 联系对方 (an inquiry to the poster through the platform) shows on the
    next request once the post is approved, and is gone on the next one after it is withdrawn:
    on the board and on the post's own page."""
    from matchmaking import services
    from matchmaking.models import BoardPost
    from tests.matchmaking.mm_helpers import make_post

    post = make_post(status=BoardPost.Status.PENDING, title="缓存测试供需信息")
    board, page = reverse("matchmaking:board"), post.get_absolute_url()
    contact = reverse("matchmaking:board-contact", args=[post.pk])
    warm(board)
    assert seen(page)[0] == 404
    services.approve_post(post, user=None)
    assert post.title in seen(board)[2]
    status, _, body = seen(page)
    assert status == 200 and contact in body
    warm(board, page)
    services.withdraw_post(post)
    assert post.title not in seen(board)[2]
    assert seen(page)[0] == 404

"""Contact details never appear in any public page, search result, API response or sitemap.

Board posts and inquiries are not Wagtail pages, so the exchange search never indexes them; these
tests check the whole public surface for the test contact details after an inquiry and a board
post have been stored with them — with a positive control, so a search that finds nothing at all
would not pass for privacy."""

import json
import re

import pytest
from mm_helpers import (
    TEST_EMAIL,
    TEST_NAME,
    TEST_ORG,
    TEST_PHONE,
    category,
    inquiry_data,
    make_post,
)

from cases.factories import CasePageFactory
from matchmaking.models import Inquiry

SECRETS = (TEST_EMAIL, TEST_PHONE, TEST_NAME, TEST_ORG, "91442000MA4UL8K2X")


@pytest.fixture
def stored(client, shaoxing, django_capture_on_commit_callbacks):
    """An inquiry on a case page, an approved need and offer, all with the test contacts.
    On-commit callbacks run, so the live search index is updated as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        case = CasePageFactory(
            parent=shaoxing, title="绍兴电镀园区危废集中收运", waste_categories=[category("hw17")]
        )
        assert client.post(f"/matchmaking/inquiry/{case.pk}/", inquiry_data()).status_code == 302
        need = make_post("need", ["hw17"], "442000", title="中山电镀污泥寻求处置")
        offer = make_post(
            "offer",
            ["hazardous"],
            "440100",
            title="广州危废处置能力",
            licence_number="粤危废经 4401",
        )
        pending = make_post("need", ["hw18"], "442000", title="待审核飞灰", status="pending")
    assert Inquiry.objects.count() == 1
    return {"case": case, "need": need, "offer": offer, "pending": pending}


def assert_private(text: str, where: str):
    for secret in SECRETS:
        assert secret not in text, f"{secret} appears in {where}"


@pytest.mark.parametrize("secret", SECRETS)
def test_search_api_and_page_never_return_contacts(client, stored, secret):
    api = client.get("/api/search/", {"q": secret})
    assert api.status_code == 200
    body = api.json()
    assert body.pop("query") == secret  # the query is echoed back; nothing else may contain it
    # A partial match (issue 11) may list public pages sharing a word (电镀); none carries it.
    partial = body["match"] == "partial"
    assert body["total"] == 0 or partial
    assert_private(json.dumps(body, ensure_ascii=False), "/api/search/")
    page = client.get("/search/", {"q": secret})
    assert page.status_code == 200
    html = page.content.decode()
    assert partial or ("找到 0 条结果" in html and 'class="result"' not in html)
    # The page echoes the query in its title, search boxes, sort links and the links to the same
    # search in the other language (switcher, hreflang); nowhere else may it.
    html = re.sub(r"<title>.*?</title>", "", html, flags=re.S).replace(f'value="{secret}"', "")
    html = re.sub(r'href="[^"]*\?q=[^"]*"', "", html)
    assert_private(html, "/search/")
    suggest = client.get("/api/search/autocomplete/", {"q": secret[:50]})
    assert_private(suggest.content.decode(), "autocomplete")


def test_positive_control_the_search_finds_the_inquiry_target(client, stored):
    body = client.get("/api/search/", {"q": "绍兴电镀园区危废集中收运"}).json()
    body.pop("query")
    assert any(r["title"] == "绍兴电镀园区危废集中收运" for r in body["results"])
    assert_private(json.dumps(body, ensure_ascii=False), "/api/search/")


def test_sitemap_lists_no_board_post_and_no_contact(client, stored):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert stored["case"].url in xml  # positive control
    assert "/matchmaking/" not in xml
    assert_private(xml, "sitemap")


def test_public_pages_and_listings_never_show_contacts(client, stored, shaoxing):
    urls = [
        "/",
        "/cases/",
        "/cases/?waste=hw17",
        "/technologies/",
        "/cities/",
        shaoxing.url,
        stored["case"].url,
        f"/matchmaking/inquiry/{stored['case'].pk}/",
        "/matchmaking/board/",
        "/matchmaking/board/?waste=hazardous",
        stored["need"].get_absolute_url(),
        stored["offer"].get_absolute_url(),
        f"/matchmaking/board/{stored['offer'].pk}/contact/",
        # Even the poster's own private page repeats no contact details.
        stored["pending"].get_private_url(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response.content.decode(), url)
    offer_page = client.get(stored["offer"].get_absolute_url()).content.decode()
    assert "粤危废经 4401" not in offer_page and "已提供许可证编号" in offer_page


def test_thank_you_page_and_redirect_carry_no_contacts(client, shaoxing):
    case = CasePageFactory(parent=shaoxing, waste_categories=[category("hw17")])
    response = client.post(f"/matchmaking/inquiry/{case.pk}/", inquiry_data())
    assert_private(response["Location"], "redirect")
    thanks = client.get(response["Location"])
    assert Inquiry.objects.get().reference in thanks.content.decode()
    assert_private(thanks.content.decode(), "thanks page")


def test_board_posts_are_not_pages():
    """Documented design: the exchange search indexes Wagtail pages only."""
    from wagtail.models import Page

    from matchmaking.models import BoardPost, Inquiry

    assert not issubclass(BoardPost, Page) and not issubclass(Inquiry, Page)
    assert "not Wagtail pages" in __import__("matchmaking.models.board").models.board.__doc__

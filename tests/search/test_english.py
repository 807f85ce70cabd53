"""English is searchable (issue 12 item 6): the English title, summary and body are indexed on
every engine, and under /en/ results show the English title and link the English page."""

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from cases.models import CasePage


def _zh_url(page) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return page.url


def test_english_only_words_are_found(client, engine, new_case):
    """Words that exist only in the English fields (example page for this test)."""
    page = new_case(
        title="鸚鵡螺市示例试点",
        title_en="Quokkaville example pilot",
        summary_en="Wombat composting cooperatives (example page for this test).",
        body_en="<p>Platypus deposit scheme.</p>",
    )
    for q in ["quokkaville", "wombat composting", "platypus"]:
        results = client.get("/api/search/", {"q": q}).json()["results"]
        assert _zh_url(page) in [r["url"] for r in results], q
    hit = next(r for r in results if r["url"] == _zh_url(page))
    assert hit["title_en"] == "Quokkaville example pilot"


@pytest.mark.parametrize(
    ("q", "external_id"),
    [
        ("remote video enforcement platform", "seed-shenzhen-06"),
        ("mud never touches the ground", "seed-panjin-01"),
        ("white list inter-provincial transfer", "seed-chongqing-05"),
    ],
)
def test_an_english_query_under_en_finds_the_english_page(client, engine, q, external_id):
    case = CasePage.objects.get(external_id=external_id)
    html = client.get("/en/search/", {"q": q}).content.decode()
    # The first results link the English page and show its English title.
    top = html.split('<article class="result">')[1:4]
    assert any(f'href="/en{_zh_url(case)}">{escape(case.title_en)}</a>' in r for r in top), (q, top)


def test_chinese_search_is_unchanged(client, engine):
    case = CasePage.objects.get(external_id="seed-shenzhen-06")
    html = client.get("/search/", {"q": "医疗废物 智慧监管"}).content.decode()
    assert f'href="{_zh_url(case)}">{escape(case.title)}</a>' in html
    assert escape(case.title_en) not in html

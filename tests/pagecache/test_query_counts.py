"""Every public page type renders cold (page cache off) in at most 15 queries, and the count stays
flat as content grows (the seed, then the seed plus more cases, technologies and tags).

Reads of the cache table (version stamps, Wagtail's site-root cache) are left out: they are not
the database work a page does, and the once-a-second stamp reads would make counts flicker.
"""

import pytest
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.factories import CasePageFactory, TechnologyPageFactory
from cases.models import ArticlePage, CasePage, CityPage, StandardPage, TechnologyPage

pytestmark = pytest.mark.django_db
CEILING = 15


def _pages():
    city = (
        CityPage.objects.live().filter(case_pages__isnull=False).first() or CityPage.objects.first()
    )
    return {
        "home": "/",
        "case listing": "/cases/",
        "technology listing": "/technologies/",
        "city listing": "/cities/",
        "case": CasePage.objects.live().first().url,
        "technology": TechnologyPage.objects.live().first().url,
        "standard": StandardPage.objects.live().first().url,
        "city": city.url,
        "article": ArticlePage.objects.live().first().url,
        "search": reverse("search") + "?q=危废",
        "search api": reverse("search-api") + "?q=危废",
        "indicators": reverse("indicators:index"),
        "indicator dashboard": reverse("indicators:dashboard", args=[city.slug]),
        "indicator compare": reverse("indicators:compare"),
        "indicator map": reverse("indicators:map"),
        "statistics": reverse("indicators:statistics"),
        "cell register": reverse("standards:register"),
        "board": reverse("matchmaking:board"),
    }


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return sum("wfc_cache" not in q["sql"] for q in queries.captured_queries)


def _grow():
    city = CityPage.objects.live().filter(case_pages__isnull=False).first()
    technologies = [TechnologyPageFactory(tags=["查询计数"]) for _ in range(3)]
    for n in range(8):
        CasePageFactory(parent=city, tags=[f"查询计数{n}"], technologies=technologies[: n % 3 + 1])


def test_every_public_page_is_cold_rendered_in_at_most_15_queries(client, settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = False
    # The indicator pages' own whole-page cache too: every page is rendered.
    monkeypatch.setattr("indicators.cache.cache", DummyCache("", {}))
    pages = _pages()
    for url in pages.values():
        client.get(url)  # per-process lookups (taxonomies, vocabulary) built once, as in a worker
    small = {name: _count(client, url) for name, url in pages.items()}
    _grow()
    for url in pages.values():
        client.get(url)
    large = {name: _count(client, url) for name, url in pages.items()}
    print({name: (small[name], large[name]) for name in pages})
    over = {name: n for name, n in large.items() if n > CEILING}
    assert not over, f"over {CEILING} queries: {over}"
    grew = {name: (small[name], large[name]) for name in pages if large[name] > small[name]}
    assert not grew, f"query count grew with content: {grew}"

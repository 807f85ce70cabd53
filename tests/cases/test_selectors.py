"""cases/selectors.py: listings show only public, published content, in a fixed number of
queries however much content there is."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cases import selectors
from cases.factories import CasePageFactory, TechnologyPageFactory
from cases.models import CasePage, CityPage, GovernanceModel, TechnologyPage, WasteCategory

pytestmark = pytest.mark.django_db

# --- drafts and private pages ----------------------------------------------------------------


@pytest.fixture
def hidden_cases(db):
    """Published, draft, pending-changes and private cases under 盘锦市, all linked to the
    泥浆不落地 technology and dated in the future so they would top every listing."""
    city = CityPage.objects.get(slug="panjin")
    technology = TechnologyPage.objects.get(external_id="seed-tech-drilling-mud-no-landing")
    common = {
        "parent": city,
        "technologies": [technology],
        "waste_categories": [WasteCategory.objects.get(slug="drilling-waste")],
        "governance_model": GovernanceModel.objects.get(slug="industrial"),
        "published_date": datetime.date(2030, 1, 1),
    }
    CasePageFactory(title="可见的测试经验", slug="visible-case", **common)
    draft = CasePageFactory(
        title="从未发布的草稿经验", slug="never-published", live=False, **common
    )
    pending = CasePageFactory(title="已发布的原标题", slug="pending-live", **common)
    pending.title, pending.slug = "尚未发布的新标题", "pending-draft-slug"
    pending.save_revision()
    password = CasePageFactory(title="密码保护的经验", slug="password-case", **common)
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    login = CasePageFactory(title="登录可见的经验", slug="login-case", **common)
    PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)
    return {
        "city": city,
        "technology": technology,
        "visible": ["可见的测试经验", "已发布的原标题"],
        "hidden": ["从未发布的草稿经验", "尚未发布的新标题", "密码保护的经验", "登录可见的经验"],
        "hidden_slugs": ["never-published", "pending-draft-slug", "password-case", "login-case"],
        "draft": draft,
    }


def _listing_urls(hidden_cases):
    return ["/cases/", hidden_cases["city"].url, "/", hidden_cases["technology"].url]


def test_hidden_cases_setup_is_what_it_claims(hidden_cases):
    draft = hidden_cases["draft"]
    assert not draft.live and draft.first_published_at is None
    pending = CasePage.objects.get(slug="pending-live")
    assert pending.live and pending.has_unpublished_changes
    assert pending.get_latest_revision_as_object().title == "尚未发布的新标题"


def test_drafts_and_private_cases_are_not_listed(client, titles_on, hidden_cases):
    for url in _listing_urls(hidden_cases):
        response = client.get(url)
        assert response.status_code == 200, url
        titles = titles_on(response)
        for title in hidden_cases["visible"]:
            assert title in titles, (url, title)
        for title in hidden_cases["hidden"]:
            assert title not in titles, (url, title)
            assert title not in response.content.decode(), (url, title)


def test_drafts_and_private_cases_are_not_in_filtered_listings(listing_titles, hidden_cases):
    for query in ("waste=drilling-waste", "region=东北", "model=industrial", "batch=2019-11plus5"):
        titles = listing_titles(f"/cases/?{query}")
        assert set(hidden_cases["visible"]) <= set(titles), query
        assert not set(hidden_cases["hidden"]) & set(titles), query


def test_drafts_and_private_cases_are_not_in_the_sitemap(client, hidden_cases):
    content = client.get("/sitemap.xml").content.decode()
    assert "/cities/panjin/visible-case/" in content
    assert "/cities/panjin/pending-live/" in content
    for slug in hidden_cases["hidden_slugs"]:
        assert slug not in content


def test_drafts_and_private_cases_are_not_counted(client, hidden_cases):
    public = CasePage.objects.live().exclude(pk__in=PageViewRestriction.objects.values("page"))
    home = client.get("/")
    assert home.context["counts"]["cases"] == public.count()
    cities = {
        city.slug: city.case_count
        for _label, group in client.get("/cities/").context["city_groups"]
        for city in group
    }
    assert cities["panjin"] == public.filter(city__slug="panjin").count()


def test_a_case_under_a_private_city_is_not_listed(client, titles_on):
    city = CityPage.objects.get(slug="sanya")
    PageViewRestriction.objects.create(page=city, restriction_type=PageViewRestriction.LOGIN)
    titles = set(titles_on(client.get("/")))
    assert not any(t.startswith("三亚市") for t in titles)
    assert not any(c.city.slug == "sanya" for c in selectors.listing_queryset(CasePage))
    assert "/cities/sanya/" not in client.get("/sitemap.xml").content.decode()


def test_private_technology_is_not_a_related_technology(client):
    case = CasePage.objects.get(external_id="seed-panjin-01")
    technology = case.technologies.get()
    PageViewRestriction.objects.create(
        page=technology, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    content = client.get(case.url).content.decode()
    assert technology.title not in content
    assert technology.title not in client.get("/technologies/").content.decode()


# --- query counts ----------------------------------------------------------------------------

# Measured on the seed data, SQLite and PostgreSQL alike (with the database cache backend, whose
# site-root-paths lookup is one of them): /cases/ 25, /cases/?waste=hw18 26, a case page 31,
# /cities/panjin/ 29, /technologies/ 25, / 38. The bounds leave headroom for a few more constant
# queries; what must never change is the count as content grows.
QUERY_BOUNDS = {
    "case listing": 30,
    "filtered case listing": 30,
    "case page": 36,
    "city page": 34,
    "technology listing": 30,
    "home page": 45,
}


def _urls():
    return {
        "case listing": "/cases/",
        "filtered case listing": "/cases/?waste=hw18",
        "case page": CasePage.objects.get(external_id="seed-panjin-01").url,
        "city page": CityPage.objects.get(slug="panjin").url,
        "technology listing": "/technologies/",
        "home page": "/",
    }


def count_queries(client, url) -> int:
    """Queries of one request, after a first request has filled the per-process caches (site
    root paths, taxonomy lookups)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Version stamps are re-read from the shared cache at most once a second (cases/stamps.py):
    # whether one falls inside this request depends on the clock, not on the content.
    return sum("wfc_cache" not in q["sql"] for q in queries.captured_queries)


def add_cases(count=20, **kwargs):
    """`count` more published cases under 盘锦市 with categories (HW18 among them), tags and
    technologies, dated so they come first in the listings."""
    city = CityPage.objects.get(slug="panjin")
    technologies = list(TechnologyPage.objects.order_by("path")[:3])
    categories = list(WasteCategory.objects.filter(slug__in=["hw18", "industrial", "household"]))
    for n, technology_count in zip(range(count), itertools.cycle([1, 2, 3]), strict=False):
        CasePageFactory(
            parent=city,
            title=f"新增测试经验{n}",
            published_date=datetime.date(2030, 1, 1),
            waste_categories=categories,
            technologies=technologies[:technology_count],
            tags=[f"新标签{n}", "共同标签"],
            **kwargs,
        )


def test_query_counts_do_not_grow_with_content(client, titles_on):
    """One measurement of every page before and after adding 20 cases (one test, so the 20
    cases are created once)."""
    urls = _urls()
    before = {name: count_queries(client, url) for name, url in urls.items()}
    add_cases(20)
    after = {name: count_queries(client, url) for name, url in urls.items()}
    assert after == before
    assert {name: min(n, QUERY_BOUNDS[name]) for name, n in after.items()} == after, QUERY_BOUNDS
    # The added cases are really on the measured pages.
    assert len(titles_on(client.get("/cases/?waste=hw18"))) == 12
    assert titles_on(client.get("/cases/"))[0].startswith("新增测试经验")
    city_titles = titles_on(client.get("/cities/panjin/"))
    assert len([t for t in city_titles if t.startswith("新增测试经验")]) == 20


def test_technology_listing_query_count_does_not_grow_with_technologies(client):
    before = count_queries(client, "/technologies/?maturity=commercial")
    for n in range(12):
        TechnologyPageFactory(
            maturity=TechnologyPage.Maturity.COMMERCIAL,
            waste_categories=list(WasteCategory.objects.filter(slug__in=["hw18", "industrial"])),
            tags=[f"技术标签{n}"],
        )
    after = count_queries(client, "/technologies/?maturity=commercial")
    assert after == before


def test_case_page_query_count_does_not_grow_with_related_technologies(client):
    city = CityPage.objects.get(slug="panjin")
    categories = [WasteCategory.objects.get(slug="drilling-waste")]
    technologies = list(TechnologyPage.objects.order_by("path")[:6])
    one = CasePageFactory(parent=city, waste_categories=categories, technologies=technologies[:1])
    six = CasePageFactory(parent=city, waste_categories=categories, technologies=technologies)
    assert count_queries(client, six.url) == count_queries(client, one.url)


def test_listing_queryset_excludes_drafts_and_private_pages(hidden_cases):
    titles = set(selectors.listing_queryset(CasePage).values_list("title", flat=True))
    assert set(hidden_cases["visible"]) <= titles
    assert not set(hidden_cases["hidden"]) & titles

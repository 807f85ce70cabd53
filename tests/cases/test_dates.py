"""Dates that mean something (issue 14): a page's date is its source's date where it has one,
else its first publication on the platform; pages, search documents (year facet) and the 最新
order follow."""

import datetime

import pytest
from django.utils import timezone

from cases import selectors
from cases.factories import CasePageFactory
from cases.models import ArticlePage, CasePage, CityPage, StandardPage, TechnologyPage
from search import documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def shaoxing(db):
    return CityPage.objects.get(slug="shaoxing")


SEED_DATE = datetime.date(2021, 3, 6)


@pytest.mark.parametrize(
    "model, lookup",
    [
        (TechnologyPage, {"external_id": "seed-tech-plasma-fly-ash"}),
        (ArticlePage, {"external_id": "seed-article-province-central"}),
        (StandardPage, {"external_id": "seed-std-tongling-school"}),
        (CityPage, {"slug": "shenzhen"}),
        (CasePage, {"external_id": "seed-panjin-01"}),
    ],
)
def test_seed_pages_carry_their_sources_date_not_the_load_date(client, model, lookup):
    page = model.objects.get(**lookup)
    assert page.page_date == SEED_DATE
    content = client.get(page.url).content.decode()
    assert '<time datetime="2021-03-06">2021-03-06</time>（来源日期）' in content
    document = documents.build(page)
    assert document["published"] == "2021-03-06" and document["year"] == ["2021"]


def test_a_page_without_a_source_date_takes_its_first_publication(client, shaoxing):
    case = CasePageFactory(parent=shaoxing, title="无来源日期的经验", published_date=None)
    # The day in China (the site's time zone), not in UTC: from 16:00 UTC they differ.
    first = timezone.localtime(case.first_published_at).date()
    assert case.page_date == first
    content = client.get(case.url).content.decode()
    assert "（本平台首次发布）" in content
    assert documents.build(case)["year"] == [str(first.year)]


def test_a_standard_is_dated_by_its_issue_date_first(db):
    standard = StandardPage.objects.get(external_id="seed-std-tongling-school")
    standard.issued_date = datetime.date(2020, 6, 1)
    assert standard.page_date == datetime.date(2020, 6, 1)


def test_seed_cases_carry_the_sources_period():
    cases = CasePage.objects.filter(external_id__startswith="seed-")
    assert cases.exists()
    assert set(cases.values_list("start_year", "end_year")) == {(2019, 2020)}


def test_newest_first_follows_the_page_date_on_every_database(shaoxing):
    older = CasePageFactory(
        parent=shaoxing, title="较早的经验", published_date=datetime.date(2022, 1, 1)
    )
    newer = CasePageFactory(
        parent=shaoxing, title="较新的经验", published_date=datetime.date(2024, 5, 1)
    )
    undated = CasePageFactory(parent=shaoxing, title="未注来源日期", published_date=None)
    titles = [p.title for p in selectors.listing_queryset(CasePage)]
    # Undated = published today on the platform: newest; seed cases (2021) come last.
    assert titles[:3] == [undated.title, newer.title, older.title]
    assert CasePage.objects.get(pk=undated.pk).page_date > newer.published_date


def test_the_sitemap_dates_pages_by_their_date_not_the_load_date(client):
    content = client.get("/sitemap.xml").content.decode()
    technology = TechnologyPage.objects.get(external_id="seed-tech-plasma-fly-ash")
    entry = content.split(f"{technology.url}</loc>")[1].split("</url>")[0]
    assert "<lastmod>2021-03-06</lastmod>" in entry

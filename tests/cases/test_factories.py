"""cases/factories.py: the factories other apps' tests rely on."""

import pytest

from cases.factories import (
    CasePageFactory,
    CityPageFactory,
    GovernanceModelFactory,
    PilotBatchFactory,
    RegionFactory,
    TechnologyPageFactory,
    WasteCategoryFactory,
)
from cases.models import CityIndexPage, CityPage, TechnologyIndexPage, WasteCategory

pytestmark = pytest.mark.django_db


def test_taxonomy_factories_make_unique_terms():
    a, b = WasteCategoryFactory(), WasteCategoryFactory()
    assert a.slug != b.slug and a.name != b.name
    child = WasteCategoryFactory(parent=a)
    assert child.parent == a
    province = RegionFactory()
    city = RegionFactory(level="city", parent=province)
    assert city.province == province
    assert GovernanceModelFactory().slug != GovernanceModelFactory().slug
    assert PilotBatchFactory().year


def test_city_page_factory_publishes_under_the_city_index(client):
    city = CityPageFactory(title="测试城市甲")
    assert city.get_parent().specific_class is CityIndexPage
    assert city.live and city.first_published_at and not city.has_unpublished_changes
    assert city.revisions.count() == 1
    assert client.get(city.url).status_code == 200


def test_case_page_factory_sets_city_relations_and_publishes(client):
    city = CityPage.objects.get(slug="shaoxing")
    hazardous = WasteCategory.objects.get(slug="hazardous")
    technology = TechnologyPageFactory(title="测试技术甲")
    case = CasePageFactory(
        parent=city,
        title="测试经验甲",
        waste_categories=[hazardous],
        technologies=[technology],
        tags=["标签一", "标签二"],
        indicators=[{"name": "指标", "value": 1}],
    )
    assert case.live and case.city == city and case.get_parent().pk == city.pk
    assert list(case.waste_categories.all()) == [hazardous]
    assert list(case.technologies.all()) == [technology]
    assert set(case.tags.names()) == {"标签一", "标签二"}
    assert case.indicators.count() == 1
    revision = case.get_latest_revision().as_object()
    assert set(revision.tags.names()) == {"标签一", "标签二"}
    assert client.get(case.url).status_code == 200
    assert "测试经验甲" in client.get(technology.url).content.decode()


def test_case_page_factory_defaults_are_complete():
    case = CasePageFactory()
    assert case.city is not None and case.governance_model is not None
    assert case.waste_categories.count() == 1
    assert case.summary


def test_draft_option():
    case = CasePageFactory(live=False)
    assert not case.live and case.first_published_at is None
    assert case.revisions.count() == 1 and case.has_unpublished_changes
    technology = TechnologyPageFactory(live=False)
    assert not technology.live
    assert technology.get_parent().specific_class is TechnologyIndexPage

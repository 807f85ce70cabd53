"""cases/models/taxonomy.py, cases/taxonomy_cache.py and cases/resolvers.py."""

import pytest
from django.core.exceptions import ValidationError

from cases import resolvers, taxonomy_cache
from cases.factories import WasteCategoryFactory
from cases.models import GovernanceModel, Region, WasteCategory

pytestmark = pytest.mark.django_db


def test_waste_category_clean_refuses_a_cycle():
    hazardous = WasteCategory.objects.get(slug="hazardous")
    hazardous.parent = WasteCategory.objects.get(slug="hw18")  # its own child
    with pytest.raises(ValidationError) as error:
        hazardous.clean()
    assert "parent" in error.value.message_dict


def test_waste_category_clean_refuses_a_deeper_cycle():
    top = WasteCategoryFactory()
    middle = WasteCategoryFactory(parent=top)
    bottom = WasteCategoryFactory(parent=middle)
    top.parent = bottom
    with pytest.raises(ValidationError):
        top.clean()


def test_waste_category_clean_refuses_itself_as_parent():
    category = WasteCategory.objects.get(slug="hw18")
    category.parent = category
    with pytest.raises(ValidationError):
        category.clean()


def test_waste_category_clean_accepts_a_move_elsewhere():
    category = WasteCategory.objects.get(slug="hw18")
    category.parent = WasteCategory.objects.get(slug="industrial")
    category.clean()
    WasteCategoryFactory.build(parent=None).clean()


def test_waste_category_names_and_label():
    hw18 = WasteCategory.objects.get(code="HW18")
    assert hw18.label == "HW18 焚烧处置残渣"
    assert hw18.all_names()[0] == "焚烧处置残渣"
    assert {"飞灰", "HW18"} <= set(hw18.all_names())


def test_region_facet_values_for_shenzhen():
    shenzhen = Region.objects.get(name="深圳市")
    values = shenzhen.facet_values()
    assert {"440300", "440000", "粤港澳", "东部"} <= set(values)
    assert values[:2] == ["440300", "440000"]
    assert len(values) == len(set(values))
    assert shenzhen.province.code == "440000"


def test_region_facet_values_for_a_province_level_city():
    chongqing = Region.objects.get(code="500000")
    assert set(chongqing.facet_values()) == {"500000", "成渝", "西部"}


def test_region_ids_for_cluster_and_macro_region():
    shenzhen = Region.objects.get(code="440300")
    guangzhou = Region.objects.get(code="440100")
    assert shenzhen.pk in taxonomy_cache.region_ids_for(["粤港澳"])
    assert {shenzhen.pk, guangzhou.pk} <= taxonomy_cache.region_ids_for(["440000"])
    assert Region.objects.get(code="630100").pk in taxonomy_cache.region_ids_for(["西部"])
    assert shenzhen.pk not in taxonomy_cache.region_ids_for(["西部"])


def test_waste_descendant_ids_include_the_hw_codes():
    hazardous = WasteCategory.objects.get(slug="hazardous")
    ids = taxonomy_cache.waste_descendant_ids([hazardous])
    assert ids == {hazardous.pk, *hazardous.children.values_list("pk", flat=True)}
    assert len(ids) == 47


def test_taxonomy_cache_is_cleared_when_a_term_changes():
    assert "test-new" not in {c.slug for c in taxonomy_cache.waste_categories().values()}
    WasteCategoryFactory(slug="test-new")
    assert "test-new" in {c.slug for c in taxonomy_cache.waste_categories().values()}


def test_resolvers_accept_names_aliases_codes_and_slugs():
    assert resolvers.waste_category("危废").slug == "hazardous"
    assert resolvers.waste_category("hw18").code == "HW18"
    assert resolvers.governance_model("危废治理").slug == "hazardous"
    assert (
        resolvers.governance_model(GovernanceModel.objects.get(slug="urban").name).slug == "urban"
    )
    assert resolvers.city("440300").title == "深圳市"
    with pytest.raises(resolvers.UnknownTerm) as error:
        resolvers.waste_category("危险废")
    assert "危险废物" in error.value.suggestions

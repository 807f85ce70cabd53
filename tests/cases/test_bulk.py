"""cases.bulk: the reference index written for many pages at once holds what Wagtail's own
per-object update holds, for new pages and for pages whose references changed."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from cases import bulk, importing
from cases.factories import case_record
from cases.models import CasePage, GovernanceModel, WasteCategory

pytestmark = pytest.mark.django_db


def references(page) -> set[tuple]:
    base = ContentType.objects.get_for_model(Page)
    return set(
        ReferenceIndex.objects.filter(base_content_type=base, object_id=str(page.pk)).values_list(
            "content_type_id", "to_content_type_id", "to_object_id", "model_path", "content_path"
        )
    )


def case(external_id: str) -> CasePage:
    return importing.upsert_case(case_record(external_id), publish=True)[0]


def wagtails(page) -> set[tuple]:
    ReferenceIndex.objects.filter(object_id=str(page.pk)).delete()
    ReferenceIndex.create_or_update_for_object(CasePage.objects.get(pk=page.pk))
    return references(page)


def test_new_pages_get_wagtails_references():
    pages = [case("refs-1"), case("refs-2")]
    ReferenceIndex.objects.filter(object_id__in=[str(p.pk) for p in pages]).delete()
    bulk.index_references(CasePage, list(CasePage.objects.filter(pk__in=[p.pk for p in pages])))
    ours = [references(p) for p in pages]
    assert all(ours)
    assert ours == [wagtails(p) for p in pages]


def test_changed_references_are_added_and_removed_as_wagtail_does():
    page = case("refs-3")
    ReferenceIndex.create_or_update_for_object(page)
    before = references(page)
    page = CasePage.objects.get(pk=page.pk)
    page.governance_model = GovernanceModel.objects.exclude(pk=page.governance_model_id).first()
    page.save()
    page.waste_categories.set([WasteCategory.objects.get(slug="hw31")])
    page.save()
    bulk.index_references(CasePage, [CasePage.objects.get(pk=page.pk)])
    ours = references(page)
    assert ours != before
    assert ours == wagtails(page)


def test_flush_indexes_each_recorded_page_once(django_assert_max_num_queries):
    pages = [case(f"refs-flush-{n}") for n in range(6)]
    ReferenceIndex.objects.filter(object_id__in=[str(p.pk) for p in pages]).delete()
    with bulk.deferred():
        for page in pages:
            bulk.defer_references(page)
            bulk.defer_references(page)  # twice: still once
        with django_assert_max_num_queries(12):  # per model, not per page
            counts = bulk.flush()
    assert counts["references"] == 6
    assert all(references(p) == wagtails(p) for p in pages)

"""cases.page_batch: new pages written a batch at a time are stored as Wagtail's own path
(add_child, save_revision, publish) stores them — fields, tree, revision, history, reference
index, admin search, what follows a publish — and a batch that cannot be written as a whole is
written page by page, the failing page's error its own."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from cases import bulk, importing, page_batch, resolvers
from cases.factories import case_record
from cases.models import CasePage, CityPage

pytestmark = pytest.mark.django_db

# What differs between any two pages however they were made.
OWN = {
    "id",
    "page_ptr_id",
    "path",
    "url_path",
    "slug",
    "external_id",
    "translation_key",
    "latest_revision_id",
    "live_revision_id",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "draft_title",
    "title",
}


def write_batch(records, *, publish=True) -> list[CasePage]:
    with resolvers.cached(), bulk.deferred(), page_batch.collecting(CasePage):
        pages = [importing.upsert_case(r, publish=publish)[0] for r in records]
        assert all(page.pk is None for page in pages)  # kept for the batch, not yet written
        entries = page_batch.write()
        bulk.flush()
    assert [e.error for e in entries] == [None] * len(records)
    return pages


def _without_ids(value):
    if isinstance(value, dict):
        return {
            k: _without_ids(v)
            for k, v in value.items()
            if k not in OWN | {"pk", "id", "content_object", "page", "casepage"}
        }
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    if isinstance(value, str) and value.startswith('[{"type"'):
        return _without_ids(json.loads(value))  # a StreamField in a revision
    return value


def _stream(value):
    # A StreamField's blocks get random ids: compare their types and values.
    return _without_ids(list(value.raw_data)) if hasattr(value, "raw_data") else value


def stored(page) -> dict:
    """What the database holds for the page, without what is the page's own (ids, dates)."""
    page = CasePage.objects.get(pk=page.pk)
    revision = page.latest_revision
    references = ReferenceIndex.objects.filter(
        base_content_type__model="page", object_id=str(page.pk)
    )
    return {
        "fields": {
            f.attname: _stream(getattr(page, f.attname))
            for f in CasePage._meta.concrete_fields
            if f.attname not in OWN
        },
        "url_parent": page.url_path.rsplit("/", 2)[0],
        "revisions": page.revisions.count(),
        "live_is_latest": page.live_revision_id == revision.pk,
        "revision": _without_ids(revision.content),
        "revision_user": revision.user_id,
        "history": sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)),
        "references": sorted(
            (
                r.to_content_type_id,
                r.to_object_id,
                r.model_path,
                re.sub(r"\d+", "N", r.content_path),
            )
            for r in references
        ),
        "tags": sorted(page.tags.names()),
        "categories": sorted(page.waste_categories.values_list("slug", flat=True)),
        "indicators": list(page.indicators.values_list("name", "value", "unit", "year")),
        "technologies": list(page.technologies.values_list("external_id", flat=True)),
    }


def test_a_batch_stores_each_page_as_wagtails_own_path_does():
    ordinary, _ = importing.upsert_case(case_record("pb-ordinary"), publish=True)
    (batched,) = write_batch([case_record("pb-batched")])
    assert stored(batched) == stored(ordinary)
    assert stored(batched)["history"] == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    assert stored(batched)["fields"]["information_date"] is not None


def test_a_draft_batch_is_stored_as_a_draft():
    ordinary, _ = importing.upsert_case(case_record("pb-ordinary-draft"), publish=False)
    (batched,) = write_batch([case_record("pb-batched-draft")], publish=False)
    assert stored(batched) == stored(ordinary)
    assert not CasePage.objects.get(pk=batched.pk).live


def test_a_batch_places_its_pages_after_the_existing_children_and_counts_them():
    city = CityPage.objects.get(title="绍兴市")
    before = set(Page.objects.get(pk=city.pk).get_children().values_list("pk", flat=True))
    numchild = Page.objects.get(pk=city.pk).numchild
    pages = write_batch([case_record(f"pb-tree-{n}") for n in range(5)])
    city = Page.objects.get(pk=city.pk)
    assert city.numchild == numchild + 5
    children = list(city.get_children())
    assert [p.pk for p in children[-5:]] == [p.pk for p in pages]  # in the file's order
    assert {p.pk for p in children[:-5]} == before
    assert len({p.path for p in children}) == len(children)
    # treebeard's own check: no bad paths, orphans, wrong depths or child counts.
    assert all(not problem for problem in Page.find_problems(parent=city))


def test_slugs_are_unique_among_the_siblings_and_the_batch():
    (first,) = write_batch([case_record("pb-same")])
    with pytest.raises(ValidationError):
        # The same slug under the same city, in a later batch: refused for that page.
        with resolvers.cached(), bulk.deferred(), page_batch.collecting(CasePage):
            page = CasePage(title="重复", slug=first.slug, summary="摘要")
            page_batch.add(page, CityPage.objects.get(title="绍兴市"), publish=True)


def test_a_batch_that_cannot_be_written_whole_is_written_page_by_page():
    city = CityPage.objects.get(title="绍兴市")
    with resolvers.cached(), bulk.deferred(), page_batch.collecting(CasePage):
        pages = [
            importing.upsert_case(case_record(f"pb-clash-{n}"), publish=True)[0] for n in range(3)
        ]
        # Another editor takes the second page's slug before the batch is written.
        rival = CasePage(
            title="另一位编辑",
            slug=pages[1].slug,
            summary="摘要",
            governance_model=pages[1].governance_model,
        )
        city.add_child(instance=rival)
        entries = page_batch.write()
        bulk.flush()
    errors = [entry.error for entry in entries]
    assert errors[0] is None and errors[2] is None
    assert isinstance(errors[1], ValidationError)
    assert pages[1].pk is None
    written = CasePage.objects.filter(external_id__startswith="pb-clash-")
    assert sorted(written.values_list("external_id", flat=True)) == ["pb-clash-0", "pb-clash-2"]
    for page in (pages[0], pages[2]):
        assert stored(page)["revisions"] == 1


def test_writing_a_batch_takes_a_constant_number_of_queries():
    """Per table one insert, whatever the batch's size: the cost of a page is not a query."""

    def queries(n, prefix):
        records = [
            case_record(f"{prefix}-{i}", tags=["批量写入", f"标签{i % 3}"]) for i in range(n)
        ]
        with resolvers.cached(), bulk.deferred(), page_batch.collecting(CasePage):
            for r in records:
                importing.upsert_case(r, publish=True)
            with CaptureQueriesContext(connection) as captured:
                page_batch.write()
        return len(captured)

    queries(3, "pb-warm")  # creates the tags, fills the per-process taxonomy lookups
    assert queries(20, "pb-q20") == queries(5, "pb-q5")

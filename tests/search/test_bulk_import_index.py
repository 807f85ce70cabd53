"""After a bulk import (deferred index updates, flushed per batch) the exchange search and the
admin search hold every imported page — on each engine."""

import pytest
from wagtail.models import Page

from cases.models import CasePage, CityPage, TechnologyPage
from publishing import imports
from search import documents
from tests.publishing.test_import import make_records

MARKER = "鹦鹉螺批量"  # appears nowhere in the seed content


def test_a_bulk_import_leaves_every_page_in_both_indexes(
    client, engine, created_pages, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 4)  # several batches, each flushed
    records = make_records(10, prefix="bulkidx")
    for n, record in enumerate(records):
        record["title"] = f"{MARKER}经验{n}"
        record["technologies"] = []
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_records(list(enumerate(records, start=2)), publish=True)
    assert report.counts["created"] == 10 and report.errors == []
    pages = list(CasePage.objects.filter(external_id__startswith="bulkidx-"))
    created_pages.extend(pages)
    response = client.get("/api/search/", {"q": MARKER, "page_size": 50})
    assert response.status_code == 200
    urls = {r["url"] for r in response.json()["results"]}
    assert {page.url for page in pages} <= urls
    admin_found = {p.pk for p in Page.objects.search(MARKER)}
    assert {page.pk for page in pages} <= admin_found


@pytest.mark.parametrize("engine_name", ["embedded"], indirect=True)
def test_a_rolled_back_import_leaves_nothing_in_the_admin_index(
    engine, django_capture_on_commit_callbacks
):
    records = make_records(3, prefix="bulkrb")
    records[0]["title"] = f"{MARKER}回滚"
    records[2]["city"] = "不存在市"
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_records(list(enumerate(records, start=2)), atomic=True)
    assert report.rolled_back
    assert not CasePage.objects.filter(external_id__startswith="bulkrb-").exists()
    assert not [p for p in Page.objects.search(f"{MARKER}回滚") if p.title == f"{MARKER}回滚"]


@pytest.mark.parametrize("engine_name", ["embedded"], indirect=True)
def test_a_technology_used_by_imported_cases_is_reindexed_once_at_the_end(
    engine, monkeypatch, django_capture_on_commit_callbacks
):
    """Its document lists the regions of the cases that use it: right after the import, but
    built once, not again with every batch of cases."""
    from search import indexing

    technology = TechnologyPage.objects.get(external_id="seed-tech-plasma-fly-ash")
    synced = []
    sync = indexing.sync

    def counting(source, object_ids, built=None):
        synced.extend(object_ids)
        return sync(source, object_ids, built)

    monkeypatch.setattr(indexing, "sync", counting)
    monkeypatch.setattr(imports, "BATCH_SIZE", 3)
    records = make_records(9, prefix="techend", city="银川市")
    for record in records:
        record["technologies"] = [technology.external_id]
    with django_capture_on_commit_callbacks(execute=True):
        report = imports.import_records(list(enumerate(records, start=2)), publish=True)
    assert report.counts["created"] == 9
    assert synced.count(technology.pk) == 1
    document = documents.page_documents([technology.pk])[technology.pk]
    assert "银川市" in document["city"]
    assert (
        documents.city_fields(CityPage.objects.get(title="银川市"))["region"][0]
        in (document["region"])
    )


@pytest.mark.parametrize("engine_name", ["embedded"], indirect=True)
def test_documents_built_from_a_written_batch_are_those_read_back(
    engine, monkeypatch, django_capture_on_commit_callbacks
):
    """A batch's new pages are indexed from the pages as written (cases.page_batch), not read
    back after the commit: the documents are the same as reading them back gives."""
    from search import indexing

    built = {}
    sync = indexing.sync

    def keeping(source, object_ids, documents_built=None):
        built.update(documents_built or {})
        return sync(source, object_ids, documents_built)

    monkeypatch.setattr(indexing, "sync", keeping)
    records = make_records(6, prefix="builtdocs")
    records[0]["technologies"] = ["seed-tech-plasma-fly-ash"]
    records[1]["city"] = "深圳市"
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_records(list(enumerate(records, start=2)), publish=True)
    pages = CasePage.objects.filter(external_id__startswith="builtdocs-")
    assert set(built) == set(pages.values_list("pk", flat=True))
    assert documents.page_documents(list(built)) == {i: doc for i, (_, doc) in built.items()}
    assert documents.findable_pages(list(built)) == {i: v for i, (v, _) in built.items()}


@pytest.mark.parametrize("engine_name", ["embedded"], indirect=True)
def test_a_built_document_of_a_page_no_longer_public_is_not_indexed(engine):
    """Documents built by the writer are used only while their pages are still findable."""
    from search import indexing

    page = CasePage.objects.live().first()
    document = documents.page_documents([page.pk])[page.pk]
    built = {page.pk: (documents.page_version(page), document)}
    page.unpublish()
    to_index, to_delete = indexing._changes("page", [page.pk], built)
    assert to_index == [] and to_delete == [documents.key_for(page.pk)]


@pytest.mark.parametrize("engine_name", ["embedded"], indirect=True)
def test_a_built_document_of_another_state_of_the_page_is_not_used(engine):
    """A document built for a page that was rolled back (its id since taken by another page) or
    edited since is not indexed: the page is read afresh."""
    from search import indexing

    page = CasePage.objects.live().first()
    stale = {**documents.page_documents([page.pk])[page.pk], "title": "回滚了的页面"}
    for version in [
        ("another-translation-key", page.latest_revision_id),
        (
            str(page.translation_key),
            -1,
        ),
    ]:
        to_index, _ = indexing._changes("page", [page.pk], {page.pk: (version, stale)})
        assert [d["title"] for d in to_index] == [page.title]
    fresh = (documents.page_version(page), stale)
    to_index, _ = indexing._changes("page", [page.pk], {page.pk: fresh})
    assert [d["title"] for d in to_index] == ["回滚了的页面"]  # the very state: used as built

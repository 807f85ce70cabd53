"""Signal handlers that keep the search indexes live; connected in SearchConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cases import bulk, page_batch
from cases.models import (
    CasePage,
    CityPage,
    GovernanceModel,
    PilotBatch,
    Region,
    SynonymGroup,
    WasteCategory,
)
from cases.seeding import fixtures_loaded
from search import documents, indexing, vocabulary
from search.models import LexiconGroup


def _page_changed(sender, instance, **kwargs):
    ids, built = [instance.pk], None
    if page_batch.sending() and type(instance) in documents.BUILDERS:
        # A page a batch has just written, its relations still in memory: its document is built
        # from it rather than read back after the commit (cases.page_batch).
        built = {instance.pk: (documents.page_version(instance), documents.build(instance))}
    if isinstance(instance, CasePage):
        # A technology's document lists the regions of the cases that use it; in a bulk import,
        # once at its end rather than again with every batch of cases.
        technologies = list(instance.technologies.values_list("id", flat=True))
        if not bulk.at_end("search-technologies", technologies, indexing.sync_pages_on_commit):
            ids += technologies
    indexing.sync_pages_on_commit(ids, built)


def _subtree_changed(sender, instance, **kwargs):
    # Moving or restricting a page changes its descendants' URLs and visibility too.
    page = instance.page if isinstance(instance, PageViewRestriction) else instance
    page = Page.objects.filter(pk=page.pk).first() or page
    ids = [page.pk]
    if page.path:
        ids += list(Page.objects.descendant_of(page).values_list("pk", flat=True))
    indexing.sync_pages_on_commit(ids)


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        indexing.sync_pages_on_commit([instance.pk])


def _pages_using(term) -> list[int]:
    if isinstance(term, WasteCategory):
        ids = list(CasePage.objects.filter(waste_categories=term).values_list("pk", flat=True))
        ids += list(term.technologies.values_list("pk", flat=True))
        return ids
    if isinstance(term, GovernanceModel):
        return list(term.cases.values_list("pk", flat=True))
    if isinstance(term, Region | PilotBatch):
        cities = (
            CityPage.objects.filter(region=term) if isinstance(term, Region) else term.cities.all()
        )
        city_ids = list(cities.values_list("pk", flat=True))
        return city_ids + list(
            CasePage.objects.filter(city__in=city_ids).values_list("pk", flat=True)
        )
    return []


def _taxonomy_changed(sender, instance, **kwargs):
    vocabulary.clear()
    ids = _pages_using(instance)
    if ids:
        indexing.sync_pages_on_commit(ids)


def _vocabulary_changed(sender, **kwargs):
    vocabulary.clear()


def _fixtures_loaded(sender, report, **kwargs):
    from search.seeding import load_lexicon

    report["lexicon_groups"] = load_lexicon()


def connect():
    fixtures_loaded.connect(_fixtures_loaded, dispatch_uid="search-lexicon-fixtures")
    page_published.connect(_page_changed, dispatch_uid="search-page-published")
    page_unpublished.connect(_page_changed, dispatch_uid="search-page-unpublished")
    post_page_move.connect(_subtree_changed, dispatch_uid="search-page-moved")
    post_delete.connect(_page_deleted, dispatch_uid="search-page-deleted")
    post_save.connect(
        _subtree_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved"
    )
    post_delete.connect(
        _subtree_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted"
    )
    for model in (WasteCategory, GovernanceModel, PilotBatch, Region, SynonymGroup):
        post_save.connect(
            _taxonomy_changed, sender=model, dispatch_uid=f"search-tax-{model.__name__}"
        )
        post_delete.connect(
            _taxonomy_changed, sender=model, dispatch_uid=f"search-tax-del-{model.__name__}"
        )
    # Tags reach the vocabulary through the index (its own stamp); a rename or deletion in the
    # admin, and any lexicon edit, changes it too.
    for model in (LexiconGroup, Tag):
        post_save.connect(
            _vocabulary_changed, sender=model, dispatch_uid=f"search-vocab-{model.__name__}"
        )
        post_delete.connect(
            _vocabulary_changed, sender=model, dispatch_uid=f"search-vocab-del-{model.__name__}"
        )

"""What bumps the public-content stamp (cases/stamps.py): every change to something an
anonymous visitor can see, in any process.

One global stamp rather than per-page dependency stamps: a page shows far more than itself (the
navigation, its city, related cases and technologies, taxonomy names and counts, facets, the
inquiry and exchange panels, indicator values, cells, board posts), and tracking each edge exactly
is where a stale page would hide. Writes are rare next to reads here (editors publish a few
times a day; visitors read all day), so purging everything on a change costs a few cold renders
and is correct by construction.

Watched: every model of the content apps (whatever their name, so a new model is covered
without a list to keep), the Wagtail models that decide what is public (pages, view
restrictions, sites, images, documents, collections) and tags; page publish, unpublish and move
signals (a move updates rows by queryset, with no post_save). Not watched: bookkeeping that no
public page shows (revisions, logs, workflow states, renditions made while rendering, sessions,
the cache table). Search-index writes bump the stamp themselves (search/indexing.py), after the
index has the change.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from cases.stamps import content

CONTENT_APPS = {"cases", "matchmaking", "standards", "indicators", "exchange", "api", "taggit"}
# The search's own vocabulary (everyday-word groups) changes what a query finds.
SEARCH_MODELS = {"exchange_search.lexicongroup"}
WAGTAIL_MODELS = {
    "wagtailcore.page",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.collectionviewrestriction",
    "wagtailcore.collection",
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailimages.image",
    "wagtaildocs.document",
}


def shows_publicly(model) -> bool:
    meta = model._meta
    return meta.app_label in CONTENT_APPS or meta.label_lower in WAGTAIL_MODELS | SEARCH_MODELS


def _model_changed(sender, **kwargs):
    if shows_publicly(sender):
        content.bump()


def _relation_changed(sender, instance, model, **kwargs):
    if kwargs.get("action", "").startswith("pre_"):
        return
    if shows_publicly(type(instance)) or (model is not None and shows_publicly(model)):
        content.bump()


def connect() -> None:
    post_save.connect(_model_changed, dispatch_uid="pagecache-saved")
    post_delete.connect(_model_changed, dispatch_uid="pagecache-deleted")
    m2m_changed.connect(_relation_changed, dispatch_uid="pagecache-m2m")
    page_published.connect(content.bump, dispatch_uid="pagecache-published")
    page_unpublished.connect(content.bump, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(content.bump, dispatch_uid="pagecache-moved")

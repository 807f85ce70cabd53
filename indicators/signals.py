"""Everything a cached indicator page shows bumps the shared version stamp (indicators/cache.py)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from . import cache

WATCHED = [
    "indicators.IndicatorValue",
    "indicators.Indicator",
    "indicators.IndicatorGroup",
    "indicators.CityIndicatorChoice",
    "wagtailcore.PageViewRestriction",
    "cases.Region",
    "cases.PilotBatch",
    "cases.GovernanceModel",
    "cases.WasteCategory",
    "matchmaking.BoardPost",
    "standards.Cell",
]


def connect() -> None:
    for label in WATCHED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(cache.bump, sender=model, dispatch_uid=f"indicators-bump-{label}")
        post_delete.connect(cache.bump, sender=model, dispatch_uid=f"indicators-del-{label}")
    page_published.connect(cache.bump, dispatch_uid="indicators-bump-published")
    page_unpublished.connect(cache.bump, dispatch_uid="indicators-bump-unpublished")
    post_delete.connect(_page_deleted, dispatch_uid="indicators-bump-page-deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="indicators-bump-m2m")


def _page_deleted(sender, **kwargs):
    from wagtail.models import Page

    if issubclass(sender, Page):
        cache.bump()


def _m2m_changed(sender, **kwargs):
    # Waste categories of a published case change with its publication; board posts' here.
    if kwargs.get("model") is not None and kwargs["model"]._meta.label == "cases.WasteCategory":
        cache.bump()

"""Keeps denormalised content facts right: a case's city follows the page tree, and the
in-process taxonomy lookups are dropped when a term changes."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published, post_page_move

from cases import page_batch, taxonomy_cache
from cases.models import (
    CasePage,
    CityPage,
    GovernanceModel,
    PilotBatch,
    Region,
    SynonymGroup,
    TreatmentStage,
    WasteCategory,
)


def _update_case_city(sender, instance, **kwargs):
    parent = instance.get_parent()
    city_id = parent.id if parent.specific_class is CityPage else None
    CasePage.objects.filter(pk=instance.pk).update(city_id=city_id)


def _case_published(sender, instance, revision=None, **kwargs):
    """信息更新于: the day a person (a city's editor or reviewer) published the case; a load
    without a user (seed fixtures, a system import) keeps the date of the content's source, so
    a 2021 report loaded today is not "fresh"."""
    by_person = revision is not None and revision.user_id is not None
    if by_person:
        date = timezone.localdate()
    else:
        date = instance.page_date
    if not page_batch.update_with_batch(CasePage, instance.pk, information_date=date):
        CasePage.objects.filter(pk=instance.pk).update(information_date=date)
    instance.information_date = date


def _clear_taxonomy_cache(sender, **kwargs):
    taxonomy_cache.clear()


def connect():
    post_page_move.connect(_update_case_city, sender=CasePage, dispatch_uid="case-city-on-move")
    page_published.connect(_case_published, sender=CasePage, dispatch_uid="case-information-date")
    for model in (
        WasteCategory,
        Region,
        GovernanceModel,
        PilotBatch,
        SynonymGroup,
        TreatmentStage,
    ):
        post_save.connect(
            _clear_taxonomy_cache, sender=model, dispatch_uid=f"tax-save-{model.__name__}"
        )
        post_delete.connect(
            _clear_taxonomy_cache, sender=model, dispatch_uid=f"tax-del-{model.__name__}"
        )

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from cases.models import (
    ArticleIndexPage,
    CaseIndexPage,
    CityIndexPage,
    StandardIndexPage,
    TechnologyIndexPage,
)
from cases.stamps import content, stamped

NAV_MODELS = [
    CaseIndexPage,
    TechnologyIndexPage,
    CityIndexPage,
    StandardIndexPage,
    ArticleIndexPage,
]


@stamped(content)
def _navigation():
    """Kept per process until public content changes (a publish anywhere bumps the stamp).
    One query for the five index pages (and one for view restrictions): this runs on every
    page's first render after a publish, and a query per model cost 7 ms on PostgreSQL. Their
    English titles come in the same query, from each index model's own table."""
    types = {
        content_type.pk: model
        for model, content_type in ContentType.objects.get_for_models(*NAV_MODELS).items()
    }
    pages = (
        Page.objects.live()
        .public()
        .filter(content_type__in=list(types))
        .order_by("path")
        .annotate(
            title_en=Coalesce(
                *(f"{model._meta.model_name}__title_en" for model in NAV_MODELS),
                output_field=CharField(),
            )
        )
        .only("title", "url_path", "content_type")
    )
    first = {}
    for page in pages:
        first.setdefault(types[page.content_type_id], page)
    return [first[model] for model in NAV_MODELS if model in first]


def navigation(request):
    """The main menu: the live index pages, looked up only when a template uses them."""
    return {"nav_pages": SimpleLazyObject(_navigation)}

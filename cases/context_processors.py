from django.utils.functional import SimpleLazyObject

from cases.models import (
    ArticleIndexPage,
    CaseIndexPage,
    CityIndexPage,
    StandardIndexPage,
    TechnologyIndexPage,
)

NAV_MODELS = [
    CaseIndexPage,
    TechnologyIndexPage,
    CityIndexPage,
    StandardIndexPage,
    ArticleIndexPage,
]


def _navigation():
    pages = []
    for model in NAV_MODELS:
        page = model.objects.live().public().only("title", "url_path").first()
        if page is not None:
            pages.append(page)
    return pages


def navigation(request):
    """The main menu: the live index pages, looked up only when a template uses them."""
    return {"nav_pages": SimpleLazyObject(_navigation)}

from django.utils.functional import SimpleLazyObject

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
    """Kept per process until public content changes (a publish anywhere bumps the stamp)."""
    pages = []
    for model in NAV_MODELS:
        page = model.objects.live().public().only("title", "url_path").first()
        if page is not None:
            pages.append(page)
    return pages


def navigation(request):
    """The main menu: the live index pages, looked up only when a template uses them."""
    return {"nav_pages": SimpleLazyObject(_navigation)}

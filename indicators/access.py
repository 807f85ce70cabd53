"""Who may enter and review a city's indicator values: the same people who may edit and publish
the city's pages (publishing/roles.py gives "<城市> 编辑" change and "<城市> 审核" publish on
the city page; the national groups act on every city)."""

from cases.models import CityPage


def can_enter(user, city: CityPage) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or city.permissions_for_user(user).can_edit()


def can_review(user, city: CityPage) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or city.permissions_for_user(user).can_publish()


def entry_cities(user) -> list[CityPage]:
    cities = CityPage.objects.order_by("path").select_related("region")
    return [c for c in cities if can_enter(user, c)]


def review_cities(user) -> list[CityPage]:
    cities = CityPage.objects.order_by("path").select_related("region")
    return [c for c in cities if can_review(user, c)]

"""Who may do what in the publishing space, in terms of Wagtail's page permissions."""

from wagtail.models import Page

from cases.models import CityIndexPage, CityPage


def editable_cities(user):
    """City pages the user may add pages under (their own city space)."""
    cities = CityPage.objects.order_by("path")
    if user is None or user.is_superuser:
        return cities
    if not user.is_active:
        return cities.none()
    return cities.filter(
        pk__in=[c.pk for c in cities if c.permissions_for_user(user).can_add_subpage()]
    )


def is_national(user) -> bool:
    """National level: may add cities (and so import into any city, and create missing ones)."""
    if user is None or user.is_superuser:
        return True
    index = CityIndexPage.objects.first()
    return bool(index and user.is_active and index.permissions_for_user(user).can_add_subpage())


def can_import(user) -> bool:
    """The import view is for users who may add pages somewhere (a city, or nationally)."""
    if user is None or user.is_superuser:
        return True
    if not user.is_active or not user.has_perm("wagtailadmin.access_admin"):
        return False
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy().instances_user_has_permission_for(user, "add").exists()


def visible_page_filter(user):
    """A filter for page choosers: live pages, plus every page in the subtrees the user has a
    permission on (so a city editor sees its own drafts but not another city's)."""
    from django.db.models import Q

    if user is None or user.is_superuser:
        return Q()
    from wagtail.permission_policies.pages import PagePermissionPolicy

    condition = Q(live=True)
    for permission in PagePermissionPolicy().get_cached_permissions_for_user(user):
        condition |= Q(path__startswith=permission.page.path)
    return condition


def is_visible_page(user, page: Page) -> bool:
    return Page.objects.filter(visible_page_filter(user), pk=page.pk).exists()

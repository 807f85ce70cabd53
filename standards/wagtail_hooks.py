"""Wagtail admin: the 无废细胞 menu (applications, register import), buttons on standard pages
(new version, derive for my city) and a home page panel with the city's pending applications."""

from django.urls import include, path, reverse, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from cases.models import StandardPage
from standards import admin_views, selectors

admin_urls = (
    [
        path("applications/", admin_views.application_index, name="applications"),
        path("applications/<int:pk>/", admin_views.application_detail, name="application"),
        path(
            "applications/<int:pk>/evidence/<int:evidence_id>/",
            admin_views.evidence_download,
            name="evidence",
        ),
        path("register/", admin_views.cell_index, name="cells"),
        path("register/<int:pk>/revoke/", admin_views.cell_revoke, name="revoke"),
        path("register/import/", admin_views.import_cells, name="import"),
        path("standards/<int:page_id>/new-version/", admin_views.new_version, name="new-version"),
        path("standards/<int:page_id>/derive/", admin_views.derive, name="derive"),
    ],
    "standards_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("cells/", include(admin_urls))]


class _CityMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.viewable_cities(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_menu():
    return SubmenuMenuItem(
        "无废细胞",
        Menu(
            items=[
                _CityMenuItem(
                    "申报与评估", reverse_lazy("standards_admin:applications"), icon_name="form"
                ),
                _CityMenuItem(
                    "导入名录", reverse_lazy("standards_admin:import"), icon_name="upload"
                ),
                MenuItem("公开名录", reverse_lazy("standards:register"), icon_name="list-ul"),
            ]
        ),
        icon_name="tick-inverse",
        name="cells",
        order=260,
    )


def _buttons(page, user):
    if page.specific_class is not StandardPage:
        return
    if page.get_parent().permissions_for_user(user).can_add_subpage():
        yield Button(
            "新建版本",
            reverse("standards_admin:new-version", args=[page.pk]),
            icon_name="doc-full-inverse",
            priority=80,
        )
    yield Button(
        "派生为本市标准",
        reverse("standards_admin:derive", args=[page.pk]),
        icon_name="copy",
        priority=81,
    )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield from _buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from _buttons(page, user)


class PendingApplicationsPanel(Component):
    name = "pending_cell_applications"
    template_name = "standards/admin/pending_panel.html"
    order = 205

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pending = selectors.pending_applications_for(self.user)
        context["pending"] = pending[:10]
        context["pending_count"] = pending.count()
        return context


@hooks.register("construct_homepage_panels")
def add_pending_panel(request, panels):
    if selectors.viewable_cities(request.user).exists():
        panels.append(PendingApplicationsPanel(request.user))

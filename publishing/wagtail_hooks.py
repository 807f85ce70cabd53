from django.urls import include, path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from publishing import access, views

urlpatterns = [
    path("", views.ImportView.as_view(), name="import"),
    path("confirm/", views.ConfirmImportView.as_view(), name="confirm"),
    re_path(
        r"^template\.(?P<fmt>csv|xlsx|jsonl)$",
        views.TemplateDownloadView.as_view(),
        name="template",
    ),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("publishing/import/", include((urlpatterns, "publishing"), namespace="publishing"))
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("批量导入", reverse("publishing:import"), icon_name="upload", order=250)


@hooks.register("construct_page_chooser_queryset")
def hide_other_cities_drafts(pages, request):
    """The page chooser shows every published page, but drafts only in the user's own space."""
    return pages.filter(access.visible_page_filter(request.user))

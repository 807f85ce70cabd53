from django.db.models import Q
from django.urls import include, path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from publishing import access, freshness, roles, views

urlpatterns = [
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/confirm/", views.ConfirmImportView.as_view(), name="confirm"),
    path("import/jobs/<int:job_id>/", views.ImportJobView.as_view(), name="job"),
    path(
        "import/jobs/<int:job_id>/status.json",
        views.ImportJobStatusView.as_view(),
        name="job_status",
    ),
    re_path(
        r"^import/jobs/(?P<job_id>\d+)/report\.(?P<fmt>csv|json)$",
        views.ImportJobReportView.as_view(),
        name="job_report",
    ),
    re_path(
        r"^import/template\.(?P<fmt>csv|xlsx|jsonl)$",
        views.TemplateDownloadView.as_view(),
        name="template",
    ),
    path("freshness/", views.FreshnessView.as_view(), name="freshness"),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("publishing/", include((urlpatterns, "publishing"), namespace="publishing"))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("批量导入", reverse("publishing:import"), icon_name="upload", order=250)


class FreshnessMenuItem(MenuItem):
    def is_shown(self, request):
        return access.editable_cities(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_freshness_menu_item():
    return FreshnessMenuItem(
        "完整度与更新", reverse("publishing:freshness"), icon_name="time", order=260
    )


@hooks.register("construct_page_chooser_queryset")
def hide_other_cities_drafts(pages, request):
    """The page chooser shows every published page, but drafts only in the user's own space."""
    return pages.filter(access.visible_page_filter(request.user))


class CityCasesPanel(Component):
    """Editor's home: the city's cases with their completeness and 信息更新于 (stale ones
    marked), and the city's pages waiting in review."""

    name = "city_cases"
    order = 50
    template_name = "publishing/home_city_cases.html"

    def __init__(self, user, cities):
        states = freshness.case_states(cities)
        self.groups = [(city, states[city.pk]) for city in cities]
        in_city = Q()
        for city in cities:
            in_city |= Q(path__startswith=city.path)
        self.in_review = list(
            Page.objects.filter(in_city, _workflow_states__status=WorkflowState.STATUS_IN_PROGRESS)
            .distinct()
            .order_by("-latest_revision_created_at")[:20]
        )

    def get_context_data(self, parent_context):
        stale = sum(1 for _c, states in self.groups for s in states if s.stale)
        incomplete = sum(1 for _c, states in self.groups for s in states if s.incomplete)
        return {
            "groups": self.groups,
            "stale": stale,
            "incomplete": incomplete,
            "in_review": self.in_review,
        }


@hooks.register("construct_homepage_panels")
def add_city_cases_panel(request, panels):
    """A city editor's home starts with their city's work, not "8 Pages / 0 Images"."""
    cities = list(roles.staff_cities(request.user))
    if cities:
        panels.append(CityCasesPanel(request.user, cities))

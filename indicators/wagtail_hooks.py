import datetime

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import access, admin_views, services
from .models import Indicator, IndicatorGroup, IndicatorValue

urlpatterns = [
    path("", admin_views.ValueListView.as_view(), name="values"),
    path("add/", admin_views.ValueFormView.as_view(), name="value_add"),
    path("approve-year/", admin_views.ApproveYearView.as_view(), name="approve_year"),
    path("<int:pk>/", admin_views.ValueFormView.as_view(), name="value_edit"),
    path("upload/", admin_views.UploadView.as_view(), name="upload"),
    path("choices/", admin_views.ChoicesView.as_view(), name="choices"),
]


@hooks.register("register_admin_urls")
def register_indicator_admin_urls():
    return [
        path(
            "indicators/values/",
            include((urlpatterns, "indicators_admin"), namespace="indicators_admin"),
        )
    ]


class ReportingMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(access.entry_cities(request.user) or access.review_cities(request.user))


@hooks.register("register_admin_menu_item")
def register_reporting_menu_item():
    return ReportingMenuItem(
        "指标填报", reverse("indicators_admin:values"), icon_name="table", order=260
    )


class IndicatorGroupViewSet(SnippetViewSet):
    model = IndicatorGroup
    icon = "folder-open-1"
    list_display = ["code", "name", "parent", "province", "source"]
    list_filter = ["parent", "province"]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    list_display = ["code", "name", "unit", "direction", "mandatory", "group", "province"]
    list_filter = ["group", "mandatory", "direction", "province"]


class IndicatorSystemGroup(SnippetViewSetGroup):
    menu_label = "指标体系"
    menu_icon = "list-ol"
    menu_order = 310
    items = (IndicatorGroupViewSet, IndicatorViewSet)


register_snippet(IndicatorSystemGroup)


class ReportingPanel(Component):
    """Home page panel of the admin: what the user's cities still have to report for last year,
    their drafts, and what waits for the user's review."""

    name = "indicator_reporting"
    order = 120
    template_name = "indicators/admin/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        year = datetime.date.today().year - 1
        entry = access.entry_cities(self.user)
        review = access.review_cities(self.user)
        rows = []
        for city in entry:
            expected = set(services.reported_indicators(city).values_list("pk", flat=True))
            have = set(
                IndicatorValue.objects.filter(city=city, year=year).values_list(
                    "indicator_id", flat=True
                )
            )
            drafts = IndicatorValue.objects.filter(
                city=city, status=IndicatorValue.Status.DRAFT
            ).count()
            rows.append({"city": city, "due": len(expected - have), "drafts": drafts})
        awaiting = IndicatorValue.objects.filter(
            city__in=[c.pk for c in review], status=IndicatorValue.Status.SUBMITTED
        ).count()
        return {"year": year, "rows": rows, "awaiting": awaiting, "reviewer": bool(review)}


@hooks.register("construct_homepage_panels")
def add_reporting_panel(request, panels):
    if access.entry_cities(request.user) or access.review_cities(request.user):
        panels.append(ReportingPanel(request.user))

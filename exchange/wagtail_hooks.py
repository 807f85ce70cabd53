from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import selectors, views

urlpatterns = [
    path("", views.ListView.as_view(), name="list"),
    path("new/", views.CreateView.as_view(), name="create"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
]


@hooks.register("register_admin_urls")
def register_exchange_urls():
    return [path("exchange/", include((urlpatterns, "exchange"), namespace="exchange"))]


class ExchangeMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.sees_all(request.user) or selectors.acting_cities(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_exchange_menu_item():
    return ExchangeMenuItem("考察与结对", reverse("exchange:list"), icon_name="group", order=270)


class ExchangePanel(Component):
    """Editor's home: the study-visit and twinning requests waiting for the user's city."""

    name = "exchange_requests"
    order = 140
    template_name = "exchange/admin/home_panel.html"

    def __init__(self, user):
        self.awaiting = list(selectors.awaiting_answer(user)[:10])

    def get_context_data(self, parent_context):
        return {"awaiting": self.awaiting}


@hooks.register("construct_homepage_panels")
def add_exchange_panel(request, panels):
    if selectors.acting_cities(request.user).exists():
        panels.append(ExchangePanel(request.user))

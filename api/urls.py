from django.urls import path, re_path

from api import views
from api.api import api

urlpatterns = [
    path("api/v1/docs/", views.docs, name="api-docs"),
    path("api/v1/", api.urls),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^api/v1/", views.not_found),
]

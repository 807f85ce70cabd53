from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("cells/assess/<int:page_id>/", views.assess, name="assess"),
    path("cells/assessment/<str:token>/", views.assessment, name="assessment"),
    path("cells/compare/", views.compare, name="compare"),
    path("cells/apply/<int:page_id>/", views.apply, name="apply"),
    path("cells/application/<str:token>/", views.application, name="application"),
    path("cells/register/", views.register, name="register"),
    path("cells/register.<str:fmt>", views.register_download, name="register-download"),
]

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("city/<slug:slug>/", views.dashboard, name="dashboard"),
    path("city/<slug:slug>.csv", views.dashboard, {"fmt": "csv"}, name="dashboard_csv"),
    path("compare/", views.compare, name="compare"),
    path("compare.csv", views.compare, {"fmt": "csv"}, name="compare_csv"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/<slug:key>.csv", views.statistics_csv, name="statistics_csv"),
    path("map/", views.china_map, name="map"),
    path("map.csv", views.china_map, {"fmt": "csv"}, name="map_csv"),
]

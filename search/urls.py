from django.urls import path

from search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("api/search/", views.search_api, name="search-api"),
    path("api/search/autocomplete/", views.autocomplete_api, name="search-autocomplete"),
]

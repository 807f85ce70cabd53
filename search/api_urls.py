"""The search JSON endpoints: unprefixed, like the rest of the API (the page is in `urls.py`,
under the language prefix)."""

from django.urls import path

from search import views

urlpatterns = [
    path("api/search/", views.search_api, name="search-api"),
    path("api/search/autocomplete/", views.autocomplete_api, name="search-autocomplete"),
]

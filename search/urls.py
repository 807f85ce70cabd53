from django.urls import path

from search import views

# The search page, under the language prefix (/search/, /en/search/); the JSON endpoints are in
# `api_urls.py`.
urlpatterns = [
    path("search/", views.search_page, name="search"),
]

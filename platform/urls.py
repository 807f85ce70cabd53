import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from api.sitemap import PublicSitemap

# A failed write (database busy, read-only, full) answers 503 "retry", not 500.
handler500 = "operations.errors.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links; the file is a static
    # one (hashed name in production), resolved per request.
    path(
        "favicon.ico",
        RedirectView.as_view(get_redirect_url=lambda *a, **k: static("icons/favicon.ico")),
    ),
    # Machine interfaces stay unprefixed and in one language (the API returns both).
    path("", include("api.urls")),
    path("", include("search.api_urls")),
    path("", include("operations.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Image files from Django only where nothing is in front (dev, the embedded `make run`);
    # behind nginx, nginx serves them (see .ci/nginx.sh). Documents are not served from
    # /media/ at all: they go through Wagtail's /documents/ view, which checks privacy.
    from django.urls import re_path
    from django.views.static import serve

    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [
        re_path(
            rf"^{media}(?P<path>(?:images|original_images)/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# The public pages: Chinese at /, the same pages in English at /en/ (DESIGN.md: English is a
# second language of the same pages; Chinese stays the default and the fallback).
urlpatterns += i18n_patterns(
    path("", include("search.urls")),
    path("", include("matchmaking.urls")),
    path("", include("standards.urls")),
    path("indicators/", include("indicators.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

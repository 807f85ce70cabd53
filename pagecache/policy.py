"""Which requests may be answered from the page cache, and which responses may be kept.

A cached response is one every anonymous visitor would get: nothing about the visitor, no
cookie, no CSRF token, no draft or private content. When in doubt, the answer is "no".
"""

from django.conf import settings
from django.utils.cache import cc_delim_re

# Never cached: the admin and previews, privacy-checked documents, probes, uploaded media and
# static files (served before this middleware, or by nginx).
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/healthz", "/media/", "/static/")
# Request headers whose presence makes a response personal (or not safely shared).
PERSONAL_HEADERS = ("HTTP_AUTHORIZATION",)
# Vary values the key already accounts for (the language is in it; the cookies that matter
# bypass the cache; nothing inside compresses).
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}
NOT_SHARED = {"private", "no-cache", "no-store"}


def personal_cookies() -> tuple[str, ...]:
    """A visitor with a session (an editor, a passed password restriction, a form's messages)
    or pending messages sees a page of their own."""
    return (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))


def request_is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    if any(name in request.COOKIES for name in personal_cookies()):
        return False
    return not any(header in request.META for header in PERSONAL_HEADERS)


def response_is_cacheable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # sets a cookie, or the page holds a CSRF token (a form)
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part
    }
    if cache_control & NOT_SHARED:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    return vary <= HARMLESS_VARY

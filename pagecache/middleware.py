"""The page cache: anonymous GETs of public pages and JSON APIs answered from Django's cache.

Keys carry the exact public-content stamp (cases/stamps.py), read once per request from the
shared default cache; any change a visitor could see bumps it (pagecache/signals.py), so an entry
written before the change is never read again, in any process. Keys also carry the scheme, host,
path with query string and the active language. The entries live in the `pages` cache (Redis in
production, a file cache on the embedded default: see settings).

Every response this middleware sees gets `X-Cache: hit`, `miss` (rendered and kept) or `pass`
(not cacheable: an editor, a form, a cookie, an error…).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string

from cases.stamps import content

from .policy import request_is_cacheable, response_is_cacheable

HEADER = "X-Cache"
# Headers added outside this middleware (per request) or describing this response only.
NOT_STORED = {"set-cookie", HEADER.lower()}


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


@functools.cache
def _hit_checks(paths: tuple) -> list:
    return [import_string(path) for path in paths]


def hit_checks() -> list:
    return _hit_checks(tuple(settings.PAGE_CACHE_HIT_CHECKS))


def page_key(request, stamp: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{translation.get_language()}|{address}".encode()).hexdigest()
    return f"wfc:page:{stamp}:{digest}"


def _frozen(response) -> tuple:
    headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED]
    return (response.status_code, response.content, headers)


def _thawed(entry, request) -> HttpResponse:
    status, body, headers = entry
    response = HttpResponse(b"" if request.method == "HEAD" else body, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _answered_from(response, request):
    """A kept response still honours the client's validators (If-None-Match, If-Modified-Since):
    the view that made it answered 304 itself, so the copy must too."""
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )


class PageCacheMiddleware:
    """Placed after LocaleMiddleware (the language is known) and before everything that may
    set a cookie or read the user, so it sees what they did to the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not request_is_cacheable(request):
            return self._mark(self.get_response(request), "pass")
        try:
            key = page_key(request, content.current())
        except DisallowedHost:
            return self.get_response(request)  # let Django answer the bad host
        store = page_cache()
        try:
            entry = store.get(key)
        except Exception:  # noqa: BLE001 - a cache outage serves uncached pages
            entry = None
        if entry is not None:
            for check in hit_checks():
                refusal = check(request)
                if refusal is not None:
                    return self._mark(refusal, "pass")
            return self._mark(_answered_from(_thawed(entry, request), request), "hit")
        response = self.get_response(request)
        if not response_is_cacheable(request, response):
            return self._mark(response, "pass")
        try:
            store.set(key, _frozen(response), settings.PAGE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            return self._mark(response, "pass")
        return self._mark(response, "miss")

    @staticmethod
    def _mark(response, state: str):
        response[HEADER] = state
        return response

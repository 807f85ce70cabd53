"""Cached public pages of this app, with one version stamp shared by every process.

The stamp lives in the shared cache (the database cache by default), is read on every request
and replaced when anything a page shows changes (indicators/signals.py: values, indicators,
choices, page publishing and view restrictions, board posts). A page cached under an older
stamp is never served again, so an approval in the admin process shows at once in every web
worker; and a withdrawn or unapproved value never stays visible.
"""

import hashlib
import uuid
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "indicators:version"
PAGE_TIMEOUT = 6 * 3600


def version() -> str:
    stamp = cache.get(VERSION_KEY)
    if stamp is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        stamp = cache.get(VERSION_KEY)
    return stamp


def bump(**_signal_kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def page_key(request) -> str:
    path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    return f"indicators:page:{version()}:{path}"


def cached_page(view):
    """Cache a GET view's successful response for everyone (these pages show only public data
    and nothing about the visitor)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        key = page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type, disposition = hit
            response = HttpResponse(content, content_type=content_type)
            if disposition:
                response["Content-Disposition"] = disposition
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(
                key,
                (response.content, response["Content-Type"], response.get("Content-Disposition")),
                PAGE_TIMEOUT,
            )
        return response

    return wrapper

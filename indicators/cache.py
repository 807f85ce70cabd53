"""Cached public pages of this app, for every visitor including editors (they show only
approved, public data and nothing about the visitor).

Keys carry the exact public-content stamp (cases/stamps.py), read on every request and bumped
when anything a page shows changes (pagecache/signals.py: values, indicators, choices, page
publishing and view restrictions, taxonomies, board posts, cells). A page cached under an older
stamp is never served again, so an approval in the admin process shows at once in every web
worker; and a withdrawn or unapproved value never stays visible. Anonymous visitors are served
earlier still, by the site-wide page cache (pagecache/), under the same stamp.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from cases.stamps import content

PAGE_TIMEOUT = 6 * 3600


def version() -> str:
    return content.current()


bump = content.bump


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

"""Per-IP rate limits for the public forms, counted in Django's cache.

The project's cache is a DatabaseCache, shared by every gunicorn worker, so a limit holds across
processes. Each address gets a window that starts with its first submission.
The client address is REMOTE_ADDR, which operations.middleware.ClientAddressMiddleware has set
to the visitor's address from the trusted proxy hop (TRUSTED_PROXY_DEPTH) — never the leftmost
X-Forwarded-For entry, which anyone can write. Addresses are hashed before they become cache
keys, so the cache holds no IP addresses.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

# scope → (submissions allowed, window in seconds). Overridable with MATCHMAKING_RATE_LIMITS.
DEFAULT_LIMITS = {
    "inquiry": (5, 600),
    "board": (3, 600),
    "manage": (10, 600),
}


def limits_for(scope: str) -> tuple[int, int]:
    overrides = getattr(settings, "MATCHMAKING_RATE_LIMITS", {}) or {}
    return overrides.get(scope, DEFAULT_LIMITS[scope])


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ip: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]
    return f"matchmaking:rate:{scope}:{digest}"


def allow(request, scope: str) -> bool:
    """Count one submission from the request's address; False once the limit is exceeded.

    Fixed windows of `window` seconds, one counter key per window: add() starts it (only one
    process wins), incr() counts — atomic on Redis (INCR), so concurrent workers never lose a
    count. touch() keeps the expiry at the window's end, since the database cache's incr()
    rewrites the entry with the default timeout."""
    limit, window = limits_for(scope)
    now = time.time()
    slot = int(now // window)
    key = f"{_key(scope, client_ip(request))}:{slot}"
    remaining = max(1, int((slot + 1) * window - now) + 1)
    if cache.add(key, 1, timeout=remaining):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr(): a new window
            cache.add(key, 1, timeout=remaining)
            count = 1
        cache.touch(key, remaining)
    # None: the shared cache is down (errors ignored, see settings): let the visitor through.
    return count is None or count <= limit


def too_many_requests(request, scope: str):
    """The friendly 429 page: says what happened and when to try again, in Chinese."""
    limit, window = limits_for(scope)
    response = render(
        request,
        "matchmaking/rate_limited.html",
        {"limit": limit, "minutes": max(1, window // 60)},
        status=429,
    )
    response["Retry-After"] = str(window)
    return response

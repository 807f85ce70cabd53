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

    The window starts at the first submission and lasts `window` seconds; the entry is written
    back with the time that is left, since the cache's incr() would reset the expiry."""
    limit, window = limits_for(scope)
    key = _key(scope, client_ip(request))
    now = time.time()
    started, count = cache.get(key) or (now, 0)
    if now - started >= window:
        started, count = now, 0
    count += 1
    cache.set(key, (started, count), timeout=max(1, int(started + window - now) + 1))
    return count <= limit


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

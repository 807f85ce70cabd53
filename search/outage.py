"""A short-lived "search server down" flag in the shared cache, so that during an outage a
search fails over to the embedded engine at once, in every process, instead of each request
waiting for the server's timeout. The flag expires by itself: the first search after that tries
the server again (and sets the flag again if it is still down)."""

from django.core.cache import cache

DOWN_KEY = "search:server-down"
DOWN_SECONDS = 20


def mark_down(error: Exception) -> None:
    cache.set(DOWN_KEY, str(error)[:200], DOWN_SECONDS)


def mark_up() -> None:
    cache.delete(DOWN_KEY)


def is_down() -> bool:
    return cache.get(DOWN_KEY) is not None

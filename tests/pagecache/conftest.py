"""Helpers for the page-cache tests: an anonymous visitor and a page as they see it."""

import pytest
from django.test import Client


@pytest.fixture
def visitor():
    """An anonymous visitor with no cookies: the one the page cache serves."""
    return Client()


@pytest.fixture
def seen(visitor):
    """`seen(url)` → (X-Cache state, body text) for the anonymous visitor."""

    def get(url):
        response = visitor.get(url)
        return response.status_code, response.get("X-Cache"), response.content.decode()

    return get


@pytest.fixture
def warm(seen):
    """Requests `url` until it is served from the cache, so a later fresh answer proves the
    change purged it."""

    def fill(*urls):
        for url in urls:
            seen(url)
            status, state, _ = seen(url)
            assert (status, state) == (200, "hit"), url

    return fill

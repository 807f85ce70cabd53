"""The configured engines: the embedded engine always, and a search server when SEARCH_URL
names one."""

from functools import cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search.engines.base import EngineResults, EngineUnavailable, Hit, SearchEngine
from search.engines.embedded import EmbeddedEngine

__all__ = [
    "EngineResults",
    "EngineUnavailable",
    "Hit",
    "SearchEngine",
    "embedded_engine",
    "engine_from_url",
    "server_engine",
]


@cache
def embedded_engine() -> EmbeddedEngine:
    return EmbeddedEngine()


def engine_from_url(url: str, index_prefix: str | None = None) -> SearchEngine:
    """An engine for `opensearch+http://…` or `elasticsearch+https://…`."""
    from search.engines.server import TRANSPORTS, ServerEngine

    parts = urlsplit(url)
    flavour, _, scheme = parts.scheme.partition("+")
    if flavour not in TRANSPORTS or scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            f"SEARCH_URL must start with {' or '.join(f'{t}+http(s)://' for t in TRANSPORTS)}"
        )
    return ServerEngine(
        transport=TRANSPORTS[flavour](urlunsplit((scheme, *parts[1:]))),
        index_prefix=index_prefix or settings.SEARCH_INDEX_PREFIX,
        analyzer=settings.SEARCH_CJK_ANALYZER,
    )


_server_engines: dict[tuple, SearchEngine] = {}


def server_engine() -> SearchEngine | None:
    """The search server configured by SEARCH_URL, or None for the embedded default."""
    url = settings.SEARCH_URL
    if not url:
        return None
    key = (url, settings.SEARCH_INDEX_PREFIX, settings.SEARCH_CJK_ANALYZER)
    if key not in _server_engines:
        _server_engines[key] = engine_from_url(url)
    return _server_engines[key]

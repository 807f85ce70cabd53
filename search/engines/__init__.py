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


def node_urls(url: str) -> tuple[str, list[str]]:
    """The product and one plain URL per node of `opensearch+http://user:pass@h1:9200,h2:9200/`:
    the nodes of a cluster share the scheme, the credentials and the path."""
    from search.engines.server import TRANSPORTS

    parts = urlsplit(url)
    flavour, _, scheme = parts.scheme.partition("+")
    if flavour not in TRANSPORTS or scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            f"SEARCH_URL must start with {' or '.join(f'{t}+http(s)://' for t in TRANSPORTS)}"
        )
    credentials, _, hosts = parts.netloc.rpartition("@")
    userinfo = f"{credentials}@" if credentials else ""
    nodes = [
        urlunsplit((scheme, userinfo + host.strip(), *parts[2:]))
        for host in hosts.split(",")
        if host.strip()
    ]
    return flavour, nodes


def engine_from_url(url: str, index_prefix: str | None = None) -> SearchEngine:
    """An engine for `opensearch+http://…` or `elasticsearch+https://…`; several nodes of one
    cluster are named comma-separated (`opensearch+http://h1:9200,h2:9200,h3:9200`)."""
    from search.engines.server import TRANSPORTS, ServerEngine

    flavour, nodes = node_urls(url)
    return ServerEngine(
        transport=TRANSPORTS[flavour](nodes),
        index_prefix=index_prefix or settings.SEARCH_INDEX_PREFIX,
        analyzer=settings.SEARCH_CJK_ANALYZER,
        replicas=settings.SEARCH_INDEX_REPLICAS,
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

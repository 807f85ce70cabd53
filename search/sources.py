"""Where search documents come from: a registry of document sources.

Public pages are one source (search.documents, key `page-<id>`). Apps above `cases` add their
own in their AppConfig.ready() (standards registers the register of recognised cells, key
`cell-<id>`) and tell search when their objects change (search.indexing.sync_on_commit), so
search never imports them. Every engine, the outage queue and rebuilds work per source.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentSource:
    name: str  # the key prefix of its documents ("page" → "page-42")
    # The public documents of these object ids; an id left out (deleted, withdrawn, not public)
    # has its document removed from every index.
    documents: Callable[[list[int]], dict[int, dict]]
    # Every public document of the source, for full rebuilds.
    all_documents: Callable[[], Iterable[dict]]
    # For documents the caller built itself from objects it just wrote (search.indexing.
    # sync_on_commit's `built`): of these ids, those whose objects may be found now (public),
    # each with its version, so a document is used only for the very object state it was built
    # from (not for an object that took the id of one rolled back, nor after a later edit).
    findable: Callable[[list[int]], dict[int, object]] | None = None

    def key(self, object_id: int) -> str:
        return f"{self.name}-{object_id}"


_sources: dict[str, DocumentSource] = {}


def register(source: DocumentSource) -> None:
    """Add (or replace, on a repeated ready()) a source."""
    _sources[source.name] = source


def get(name: str) -> DocumentSource:
    return _sources[name]


def all_sources() -> list[DocumentSource]:
    return list(_sources.values())

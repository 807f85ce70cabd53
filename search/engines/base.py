"""The interface every search engine implements, and the result types they return."""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field

from search.query import Concept, SearchParams


class EngineUnavailable(RuntimeError):
    """The engine cannot be reached or refused the request; callers fall back or queue."""


@dataclass
class Hit:
    document: dict
    score: float


@dataclass
class EngineResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    took_ms: float | None = None  # the engine's own time, where it reports one
    # A merged answer (the few strict results, then partial matches): how many hold every word.
    strict_total: int | None = None


class SearchEngine(ABC):
    name: str

    @abstractmethod
    def search(
        self, concepts: list[Concept], params: SearchParams, *, facets: bool = True
    ) -> EngineResults:
        """Documents matching the concepts and filters, one page of them, with facet counts
        (each facet counted under every filter except its own)."""

    @abstractmethod
    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict]:
        """Up to `limit` documents whose title (or tag) starts with / contains `prefix`."""

    @abstractmethod
    def index(self, documents: Iterable[dict]) -> None:
        """Add or replace documents (by `key`)."""

    @abstractmethod
    def delete(self, keys: Iterable[str]) -> None:
        """Remove documents by key; unknown keys are ignored."""

    @abstractmethod
    def rebuild(self, documents: Iterable[dict]) -> int:
        """Replace the whole index with `documents` without a moment of empty results."""

    @abstractmethod
    def count(self) -> int: ...

    def ping(self) -> bool:
        try:
            self.count()
        except EngineUnavailable:
            return False
        return True

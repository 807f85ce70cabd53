"""The embedded engine: an inverted index of character bigrams in the project database.

It needs no search server and works the same on SQLite and PostgreSQL (plain tables and
indexes, no vendor full-text features): a concept matches a document holding all terms of one of
its variants; documents are ranked by Σ idf × field-weighted, saturated term frequency (title 3,
summary 2, keywords 2, body 1). Set operations, ranking and facet counts run over an in-process
snapshot of the index (see _Snapshot) that follows every write.
"""

import heapq
import math
import threading
import uuid
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Q, Value, When

from search import text
from search.documents import FACET_FIELDS
from search.engines.base import EngineResults, Hit, SearchEngine
from search.models import EmbeddedIndexState, FacetValue, IndexedDocument, Posting
from search.query import Concept
from search.vocabulary import index_stamp

FIELD_BOOSTS = {"title": 3.0, "summary": 2.0, "keywords": 2.0, "body": 1.0}
SATURATION = 1.2
FACET_SIZE = 50


def _postings(document: dict) -> dict[str, float]:
    weights: dict[str, float] = {}
    for field, boost in FIELD_BOOSTS.items():
        for term, tf in text.term_counts(document.get(field) or "").items():
            weights[term] = weights.get(term, 0.0) + boost * tf / (tf + SATURATION)
    return weights


def _facet_rows(document: dict):
    for field in FACET_FIELDS:
        values = document.get(field) or []
        for value in [values] if isinstance(values, str) else values:
            if value:
                yield field, str(value)[:100]


def _intersect(base: set[int], others) -> set[int]:
    result = base
    for other in sorted(others, key=len):
        result = result & other
    return result


class _Snapshot:
    """An in-process view of the embedded index for fast set operations: each document's facet
    values and date, and the postings of recently queried terms. The database stays the source
    of truth; a snapshot is refreshed (incrementally) whenever the index's fingerprint (document
    count, highest id) changes, i.e. after any write."""

    MAX_CACHED_POSTINGS = 3_000_000

    def __init__(self, fingerprint):
        self.fingerprint = fingerprint
        self.all_ids: set[int] = set()
        self.stamps: dict[int, str] = {}
        self.published: dict[int, str | None] = {}
        self.doc_facets: dict[int, tuple[int, ...]] = {}
        self.facet_keys: list[tuple[str, str]] = []
        self.facet_ids: dict[tuple[str, str], int] = {}
        self.by_facet: dict[int, set[int]] = {}
        self.postings: dict[str, dict[int, float]] = {}
        self.cached_postings = 0

    @classmethod
    def load(cls, fingerprint, previous: "_Snapshot | None" = None) -> "_Snapshot":
        snapshot = cls(fingerprint)
        snapshot.stamps = dict(IndexedDocument.objects.values_list("id", "stamp"))
        ids = set(snapshot.stamps)
        if previous is not None:
            # Rows are immutable once written (an update is a delete and a new row), so only rows
            # of writes the previous snapshot has not seen need reading.
            snapshot.facet_keys, snapshot.facet_ids = previous.facet_keys, previous.facet_ids
            for pk, stamp in snapshot.stamps.items():
                if previous.stamps.get(pk) == stamp:
                    snapshot.published[pk] = previous.published[pk]
                    snapshot.doc_facets[pk] = previous.doc_facets[pk]
        new_ids = ids - snapshot.published.keys()
        for start in range(0, len(new_ids), 5000) if new_ids else []:
            chunk = sorted(new_ids)[start : start + 5000]
            snapshot.published.update(
                (pk, date.isoformat() if date else None)
                for pk, date in IndexedDocument.objects.filter(pk__in=chunk).values_list(
                    "id", "published"
                )
            )
            facets: dict[int, list[int]] = {pk: [] for pk in chunk}
            rows = FacetValue.objects.filter(document_id__in=chunk).values_list(
                "document_id", "field", "value"
            )
            for pk, field, value in rows:
                key = (field, value)
                if key not in snapshot.facet_ids:
                    snapshot.facet_ids[key] = len(snapshot.facet_keys)
                    snapshot.facet_keys.append(key)
                facets[pk].append(snapshot.facet_ids[key])
            snapshot.doc_facets.update((pk, tuple(values)) for pk, values in facets.items())
        snapshot.all_ids = ids
        for pk, facet_ids in snapshot.doc_facets.items():
            for facet_id in facet_ids:
                snapshot.by_facet.setdefault(facet_id, set()).add(pk)
        return snapshot

    def with_any(self, field: str, values) -> set[int]:
        found: set[int] = set()
        for value in values:
            facet_id = self.facet_ids.get((field, value))
            if facet_id is not None:
                found |= self.by_facet.get(facet_id, set())
        return found

    def term_postings(self, term: str) -> dict[int, float]:
        if term not in self.postings:
            if len(term) == 1 and text.CJK_RUN.fullmatch(term):
                # A lone character: documents with a bigram that starts or ends with it.
                rows = Posting.objects.filter(Q(term__startswith=term) | Q(term__endswith=term))
                postings: dict[int, float] = {}
                for pk, weight in rows.values_list("document_id", "weight"):
                    postings[pk] = max(weight, postings.get(pk, 0.0))
            else:
                postings = dict(
                    Posting.objects.filter(term=term).values_list("document_id", "weight")
                )
            if self.cached_postings + len(postings) > self.MAX_CACHED_POSTINGS:
                self.postings.clear()
                self.cached_postings = 0
            self.postings[term] = postings
            self.cached_postings += len(postings)
        return self.postings[term]

    def _variant(self, variant: str, phrase: bool) -> set[int]:
        terms = sorted(set(text.terms(variant)))
        if not terms:
            return set()
        sets = sorted((self.term_postings(t).keys() for t in terms), key=len)
        matched = set(sets[0]).intersection(*sets[1:]) & self.all_ids
        if phrase and matched:
            # Bigrams say "all pieces are there"; a phrase also needs them in one piece.
            contains = (
                Q(title__icontains=variant)
                | Q(summary__icontains=variant)
                | Q(keywords__icontains=variant)
                | Q(body__icontains=variant)
            )
            ordered = sorted(matched)
            matched = set()
            for start in range(0, len(ordered), 5000):
                chunk = ordered[start : start + 5000]
                matched.update(
                    IndexedDocument.objects.filter(contains, pk__in=chunk).values_list(
                        "id", flat=True
                    )
                )
        return matched

    def match(self, concepts: list[Concept]) -> set[int]:
        """Documents with every required concept; with none required, with any concept."""
        needed = [c for c in concepts if not c.optional]
        concept_sets = []
        for concept in needed or concepts:
            found: set[int] = set()
            for variant in concept.variants:
                found |= self._variant(variant, concept.phrase)
            concept_sets.append(found)
        if needed:
            return _intersect(concept_sets[0], concept_sets[1:])
        return set().union(*concept_sets) & self.all_ids

    def top(self, candidates: set[int], concepts: list[Concept], n: int) -> list[tuple[int, float]]:
        """The n best candidates by Σ idf × field-weighted term frequency."""
        total = len(self.all_ids) or 1
        scores: dict[int, float] = dict.fromkeys(candidates, 0.0)
        for term in sorted({t for c in concepts for v in c.variants for t in text.terms(v)}):
            postings = self.term_postings(term)
            idf = math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
            if len(postings) < len(scores):
                for pk, weight in postings.items():
                    if pk in scores:
                        scores[pk] += idf * weight
            else:
                for pk in scores:
                    weight = postings.get(pk)
                    if weight:
                        scores[pk] += idf * weight
        return heapq.nlargest(n, scores.items(), key=lambda item: (item[1], item[0]))

    def facets(self, text_matched: set[int], filter_sets: dict[str, set[int]]):
        """Facet counts; each field is counted under every filter except its own."""
        counts: dict[str, Counter] = {field: Counter() for field in FACET_FIELDS}
        unfiltered = [f for f in FACET_FIELDS if f not in filter_sets]
        passes = [(set(unfiltered), _intersect(text_matched, filter_sets.values()))]
        for field in filter_sets:
            others = [s for f, s in filter_sets.items() if f != field]
            passes.append(({field}, _intersect(text_matched, others)))
        keys = self.facet_keys
        for fields, documents in passes:
            for pk in documents:
                for facet_id in self.doc_facets.get(pk, ()):
                    field, value = keys[facet_id]
                    if field in fields:
                        counts[field][value] += 1
        return {
            field: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
            for field, counter in counts.items()
        }


class EmbeddedEngine(SearchEngine):
    name = "embedded"

    def __init__(self):
        self._lock = threading.Lock()
        self._cached: _Snapshot | None = None

    # Indexing

    @staticmethod
    def _new_token() -> str:
        token = uuid.uuid4().hex
        EmbeddedIndexState.objects.update_or_create(pk=1, defaults={"token": token})
        # The public tags changed with the index: every process's vocabulary follows.
        index_stamp.bump()
        return token

    def _write(self, documents: list[dict], token: str) -> None:
        rows = []
        for document in documents:
            rows.append(
                IndexedDocument(
                    key=document["key"],
                    doc_type=document["type"],
                    title=document["title"][:255],
                    summary=document.get("summary") or "",
                    body=document.get("body") or "",
                    keywords=document.get("keywords") or "",
                    published=document.get("published"),
                    data=document,
                    stamp=token,
                )
            )
        created = IndexedDocument.objects.bulk_create(rows, batch_size=500)
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35.
        postings, facets = [], []
        for row, document in zip(created, documents, strict=True):
            postings.extend(
                Posting(document_id=row.pk, term=term, weight=weight)
                for term, weight in _postings(document).items()
            )
            facets.extend(
                FacetValue(document_id=row.pk, field=field, value=value)
                for field, value in _facet_rows(document)
            )
        Posting.objects.bulk_create(postings, batch_size=2000)
        FacetValue.objects.bulk_create(facets, batch_size=2000)

    def index(self, documents: Iterable[dict]) -> None:
        documents = list(documents)
        with transaction.atomic():
            IndexedDocument.objects.filter(key__in=[d["key"] for d in documents]).delete()
            self._write(documents, self._new_token())

    def delete(self, keys: Iterable[str]) -> None:
        with transaction.atomic():
            IndexedDocument.objects.filter(key__in=list(keys)).delete()
            self._new_token()

    def rebuild(self, documents: Iterable[dict]) -> int:
        documents = list(documents)
        # One transaction: readers see the old index until the new one is committed.
        with transaction.atomic():
            Posting.objects.all().delete()
            FacetValue.objects.all().delete()
            IndexedDocument.objects.all().delete()
            token = self._new_token()
            for start in range(0, len(documents), 1000):
                self._write(documents[start : start + 1000], token)
        return len(documents)

    def count(self) -> int:
        return IndexedDocument.objects.count()

    # Searching

    def search(self, concepts, params, *, facets=True) -> EngineResults:
        snapshot = self._snapshot()
        text_matched = snapshot.match(concepts) if concepts else snapshot.all_ids
        filter_sets = {f: snapshot.with_any(f, values) for f, values in params.filters.items()}
        final = _intersect(text_matched, filter_sets.values())
        if params.sort == "newest" or not concepts:
            ordered = sorted(
                final, key=lambda pk: (snapshot.published.get(pk) or "", pk), reverse=True
            )
            page = [(pk, 0.0) for pk in ordered[params.offset : params.offset + params.page_size]]
        else:
            page = snapshot.top(final, concepts, params.offset + params.page_size)[params.offset :]
        rows = IndexedDocument.objects.in_bulk([pk for pk, _ in page])
        return EngineResults(
            total=len(final),
            hits=[
                Hit(document=rows[pk].data, score=round(score, 4))
                for pk, score in page
                if pk in rows
            ],
            facets=snapshot.facets(text_matched, filter_sets) if facets else {},
        )

    def _snapshot(self) -> "_Snapshot":
        with self._lock:
            fingerprint = EmbeddedIndexState.objects.values_list("token", flat=True).first()
            if self._cached is None or self._cached.fingerprint != fingerprint:
                self._cached = _Snapshot.load(fingerprint, previous=self._cached)
            return self._cached

    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict]:
        prefix = prefix.strip()
        if not prefix:
            return []
        rows = (
            IndexedDocument.objects.filter(
                Q(title__icontains=prefix) | Q(keywords__icontains=prefix)
            )
            .annotate(
                rank=Case(
                    When(title__istartswith=prefix, then=Value(0)),
                    When(title__icontains=prefix, then=Value(1)),
                    default=Value(2),
                )
            )
            .order_by("rank", "title")
            .values_list("data", flat=True)[:limit]
        )
        return [{"title": d["title"], "url": d["url"], "type": d["type"]} for d in rows]

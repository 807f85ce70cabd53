"""The embedded engine: an inverted index of character bigrams in the project database.

It needs no search server and works the same on SQLite and PostgreSQL (plain tables and
indexes, no vendor full-text features): a concept matches a document holding all terms of one of
its variants; documents are ranked by Σ idf × field-weighted, saturated term frequency (title 3,
summary 2, keywords 2, body 1); facets are counted with SQL aggregates.
"""

import math
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When

from search import text
from search.documents import FACET_FIELDS
from search.engines.base import EngineResults, Hit, SearchEngine
from search.models import FacetValue, IndexedDocument, Posting
from search.query import Concept, SearchParams, minimum_should_match

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


class EmbeddedEngine(SearchEngine):
    name = "embedded"

    # Indexing

    def _write(self, documents: list[dict]) -> None:
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
            self._write(documents)

    def delete(self, keys: Iterable[str]) -> None:
        IndexedDocument.objects.filter(key__in=list(keys)).delete()

    def rebuild(self, documents: Iterable[dict]) -> int:
        documents = list(documents)
        # One transaction: readers see the old index until the new one is committed.
        with transaction.atomic():
            Posting.objects.all().delete()
            FacetValue.objects.all().delete()
            IndexedDocument.objects.all().delete()
            for start in range(0, len(documents), 1000):
                self._write(documents[start : start + 1000])
        return len(documents)

    def count(self) -> int:
        return IndexedDocument.objects.count()

    # Searching

    def _variant_q(self, variant: str, phrase: bool) -> Q:
        terms = sorted(set(text.terms(variant)))
        if not terms:
            return Q(pk__in=[])
        if len(terms) == 1 and len(terms[0]) == 1 and text.CJK_RUN.fullmatch(terms[0]):
            char = terms[0]
            postings = Posting.objects.filter(Q(term__startswith=char) | Q(term__endswith=char))
            q = Q(pk__in=postings.values("document_id"))
        elif len(terms) == 1:
            q = Q(pk__in=Posting.objects.filter(term=terms[0]).values("document_id"))
        else:
            matching = (
                Posting.objects.filter(term__in=terms)
                .values("document_id")
                .annotate(n=Count("id"))
                .filter(n=len(terms))
                .values("document_id")
            )
            q = Q(pk__in=matching)
        if phrase:
            q &= (
                Q(title__icontains=variant)
                | Q(summary__icontains=variant)
                | Q(keywords__icontains=variant)
                | Q(body__icontains=variant)
            )
        return q

    def _concept_q(self, concept: Concept) -> Q:
        q = Q(pk__in=[])
        for variant in concept.variants:
            q |= self._variant_q(variant, concept.phrase)
        return q

    def _text_filtered(self, concepts: list[Concept]):
        documents = IndexedDocument.objects.all()
        if not concepts:
            return documents
        concept_qs = [self._concept_q(c) for c in concepts]
        needed = minimum_should_match(concepts)
        if needed == len(concept_qs):
            for q in concept_qs:
                documents = documents.filter(q)
            return documents
        matched = sum(
            (Case(When(q, then=Value(1)), default=Value(0)) for q in concept_qs), Value(0)
        )
        return documents.alias(matched=matched).filter(matched__gte=needed)

    @staticmethod
    def _apply_filters(documents, filters: dict[str, list[str]], skip: str | None = None):
        for field, values in filters.items():
            if field != skip:
                documents = documents.filter(
                    pk__in=FacetValue.objects.filter(field=field, value__in=values).values(
                        "document_id"
                    )
                )
        return documents

    def _idf(self, terms: list[str]) -> dict[str, float]:
        total = IndexedDocument.objects.count() or 1
        df = dict(
            Posting.objects.filter(term__in=terms)
            .values("term")
            .annotate(n=Count("id"))
            .values_list("term", "n")
        )
        return {t: math.log(1 + (total - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in terms}

    def _ranked_page(self, documents, concepts: list[Concept], params: SearchParams):
        if params.sort == "newest" or not concepts:
            rows = documents.order_by(F("published").desc(nulls_last=True), "-id")
            page = rows[params.offset : params.offset + params.page_size]
            return [(doc, 0.0) for doc in page]
        terms = sorted({t for c in concepts for v in c.variants for t in text.terms(v)})
        idf = self._idf(terms)
        score = Sum(
            Case(
                *[When(term=t, then=F("weight") * Value(idf[t])) for t in terms],
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
        scored = list(
            Posting.objects.filter(term__in=terms, document__in=documents.values("pk"))
            .values("document_id")
            .annotate(score=score)
            .order_by("-score", "-document_id")[params.offset : params.offset + params.page_size]
            .values_list("document_id", "score")
        )
        by_id = IndexedDocument.objects.in_bulk([pk for pk, _ in scored])
        return [(by_id[pk], score) for pk, score in scored if pk in by_id]

    def _facets(self, text_matched, filters: dict[str, list[str]]):
        facets: dict[str, list[tuple[str, int]]] = {}
        shared = self._apply_filters(text_matched, filters)

        def count(field, documents):
            rows = (
                FacetValue.objects.filter(field=field, document__in=documents.values("pk"))
                .values("value")
                .annotate(n=Count("document_id"))
                .order_by("-n", "value")[:FACET_SIZE]
            )
            return [(r["value"], r["n"]) for r in rows]

        unfiltered = [f for f in FACET_FIELDS if f not in filters]
        if unfiltered:
            rows = (
                FacetValue.objects.filter(field__in=unfiltered, document__in=shared.values("pk"))
                .values("field", "value")
                .annotate(n=Count("document_id"))
                .order_by("field", "-n", "value")
            )
            for row in rows:
                bucket = facets.setdefault(row["field"], [])
                if len(bucket) < FACET_SIZE:
                    bucket.append((row["value"], row["n"]))
        for field in filters:
            facets[field] = count(field, self._apply_filters(text_matched, filters, skip=field))
        return {field: facets.get(field, []) for field in FACET_FIELDS}

    def search(self, concepts, params, *, facets=True) -> EngineResults:
        text_matched = self._text_filtered(concepts)
        documents = self._apply_filters(text_matched, params.filters)
        total = documents.count()
        page = self._ranked_page(documents, concepts, params) if total else []
        return EngineResults(
            total=total,
            hits=[Hit(document=doc.data, score=round(score, 4)) for doc, score in page],
            facets=self._facets(text_matched, params.filters) if facets else {},
        )

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

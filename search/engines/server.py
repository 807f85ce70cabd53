"""Elasticsearch 8 and OpenSearch 2/3: the same index mapping and query bodies, built with
elasticsearch-dsl (`elasticsearch.dsl`), sent through each product's own client
(elasticsearch-py refuses to talk to OpenSearch, so OpenSearch goes through opensearch-py).

The index is versioned (`wfc-exchange-<timestamp>`) behind the alias `wfc-exchange`; a rebuild
fills a new index and moves the alias in one atomic `_aliases` call.
"""

import re
import time
from collections.abc import Iterable

from elasticsearch.dsl import A, Index, Keyword, Mapping, Q, Search, Text

from search import text
from search.documents import FACET_FIELDS
from search.engines.base import EngineResults, EngineUnavailable, Hit, SearchEngine
from search.query import Concept, SearchParams, required

TEXT_FIELDS = ["title^3", "summary^2", "keywords^2", "body"]
# The same fields analysed as English (stemmed: landfills finds landfill).
ENGLISH_FIELDS = ["title.en^3", "summary.en^2", "keywords.en^2", "body.en"]
PLAIN_FIELDS = ["title", "summary", "keywords", "body"]
FACET_SIZE = 50
BULK_CHUNK = 500
TIMEOUT_SECONDS = 5
# Creating an index waits for its shards (and replicas) to start, and a rebuild sends 500
# documents a request: on a loaded cluster that takes longer than a search may wait, and a create
# retried after a timeout would find the index there.
INDEX_ADMIN_TIMEOUT_SECONDS = 60


def index_body(analyzer: str, replicas: int = 0) -> dict:
    """Settings and mappings of the exchange index; `replicas` copies of each shard on other
    nodes (a cluster keeps answering when one node stops)."""
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("key", "keyword")
    for field in FACET_FIELDS:
        mapping.field(field, "keyword")
    english = Text(analyzer="english")
    mapping.field("title", "text", analyzer=analyzer, fields={"raw": Keyword(), "en": english})
    for field in ("summary", "body", "keywords"):
        mapping.field(field, "text", analyzer=analyzer, fields={"en": english})
    mapping.field("published", "date")
    mapping.field("suggest", "completion", analyzer="simple", preserve_separators=False)
    mapping.field("data", "object", enabled=False)
    index = Index("template")
    index.settings(number_of_shards=1, number_of_replicas=replicas)
    index.mapping(mapping)
    return index.to_dict()


def source_for(document: dict) -> dict:
    """The engine's copy of a search document: indexed fields plus the whole document."""
    inputs = [
        document["title"],
        *document.get("tag", []),
        *(c["name"] for c in document.get("waste_categories", [])),
    ]
    return {
        "key": document["key"],
        **{field: document.get(field) or [] for field in FACET_FIELDS if field != "type"},
        "type": document["type"],
        # Indexed in simplified characters (危險 → 危险), as queries are; `data` keeps the original.
        "title": text.simplified(document["title"]),
        "summary": text.simplified(document.get("summary") or ""),
        "body": text.simplified(document.get("body") or ""),
        "keywords": text.simplified(document.get("keywords") or ""),
        "published": document.get("published"),
        "suggest": {"input": [i[:50] for i in dict.fromkeys(inputs) if i]},
        "data": document,
    }


def _variant_query(variant: str):
    if len(variant) == 1 and text.CJK_RUN.fullmatch(variant):
        # A lone character: documents with a bigram that starts or ends with it (as the
        # embedded engine does; the cjk analyzer indexes bigrams only).
        return Q(
            "bool",
            should=[Q("prefix", **{f: variant}) for f in PLAIN_FIELDS]
            + [Q("wildcard", **{f: f"*{variant}"}) for f in PLAIN_FIELDS],
        )
    query = Q("multi_match", query=variant, type="phrase", fields=TEXT_FIELDS)
    if re.search("[a-z]{2,}", variant.lower()):
        query |= Q("multi_match", query=variant, type="phrase", fields=ENGLISH_FIELDS)
    return query


def _concept_query(concept: Concept):
    return Q("bool", should=[_variant_query(v) for v in concept.variants], minimum_should_match=1)


def search_body(concepts: list[Concept], params: SearchParams, *, facets: bool = True) -> dict:
    """The request body of a search: text query, post-filtered facets, one page of results.
    Every required concept must match; optional ones add to the score (with none required, any
    one concept matches)."""
    search = Search()
    if concepts:
        needed = required(concepts)
        optional = [_concept_query(c) for c in concepts if c.optional]
        if needed:
            query = Q("bool", must=[_concept_query(c) for c in needed], should=optional)
        else:
            query = Q("bool", should=optional, minimum_should_match=1)
        search = search.query(query)
    filters = {field: Q("terms", **{field: values}) for field, values in params.filters.items()}
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    if facets:
        for field in FACET_FIELDS:
            others = [q for name, q in filters.items() if name != field]
            bucket = A("filter", Q("bool", filter=others) if others else Q("match_all"))
            bucket.bucket("values", "terms", field=field, size=FACET_SIZE)
            search.aggs.bucket(field, bucket)
    if params.sort == "newest" or not concepts:
        search = search.sort(
            {"published": {"order": "desc", "missing": "_last"}}, "_score", {"key": "asc"}
        )
    else:
        search = search.sort(
            "_score", {"published": {"order": "desc", "missing": "_last"}}, {"key": "asc"}
        )
    search = search.source(["data"]).extra(track_total_hits=True, track_scores=True)
    return search[params.offset : params.offset + params.page_size].to_dict()


class Transport:
    """The few calls the engine makes, over one product's client, to one node or to several
    nodes of a cluster."""

    unavailable: tuple[type[Exception], ...] = ()
    not_found: tuple[type[Exception], ...] = ()

    @staticmethod
    def retry_options(nodes: list[str]) -> dict:
        """One node: fail at once (the outage flag then spares everyone else the wait). Several
        nodes: a request that fails on one (refused, reset, timed out, 502/503/504) is sent to
        the next, so a node that stops costs no request."""
        spares = len(nodes) - 1
        return {
            "max_retries": spares,
            "retry_on_timeout": spares > 0,
            "retry_on_status": (502, 503, 504) if spares else (),
        }


class OpenSearchTransport(Transport):
    def __init__(self, nodes: list[str]):
        from opensearchpy import OpenSearch
        from opensearchpy import exceptions as errors

        self.client = OpenSearch(nodes, timeout=TIMEOUT_SECONDS, **self.retry_options(nodes))
        self.unavailable = (errors.ConnectionError, errors.ConnectionTimeout, errors.TransportError)
        self.not_found = (errors.NotFoundError,)
        self.product = "opensearch"

    def search(self, index, body):
        return self.client.search(index=index, body=body)

    def bulk(self, operations, refresh, timeout=TIMEOUT_SECONDS):
        return self.client.bulk(body=operations, refresh=refresh, request_timeout=timeout)

    def create_index(self, name, body):
        self.client.indices.create(
            index=name, body=body, request_timeout=INDEX_ADMIN_TIMEOUT_SECONDS
        )

    def delete_index(self, name):
        self.client.indices.delete(index=name)

    def alias_targets(self, alias) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=alias))
        except self.not_found:
            return []

    def update_aliases(self, actions):
        self.client.indices.update_aliases(
            body={"actions": actions}, request_timeout=INDEX_ADMIN_TIMEOUT_SECONDS
        )

    def refresh(self, index):
        self.client.indices.refresh(index=index, request_timeout=INDEX_ADMIN_TIMEOUT_SECONDS)

    def count(self, index) -> int:
        return self.client.count(index=index)["count"]

    def indices(self, pattern) -> list[str]:
        return list(self.client.indices.get(index=pattern))

    def cluster_health(self) -> dict:
        return self.client.cluster.health()


class ElasticsearchTransport(Transport):
    def __init__(self, nodes: list[str]):
        import elastic_transport
        from elasticsearch import ApiError, Elasticsearch, NotFoundError

        self.client = Elasticsearch(
            nodes, request_timeout=TIMEOUT_SECONDS, **self.retry_options(nodes)
        )
        self.unavailable = (elastic_transport.TransportError, ApiError)
        self.not_found = (NotFoundError,)
        self.product = "elasticsearch"

    def search(self, index, body):
        return self.client.search(index=index, body=body).body

    def bulk(self, operations, refresh, timeout=TIMEOUT_SECONDS):
        client = self.client.options(request_timeout=timeout)
        return client.bulk(operations=operations, refresh=refresh).body

    def create_index(self, name, body):
        self.client.options(request_timeout=INDEX_ADMIN_TIMEOUT_SECONDS).indices.create(
            index=name, settings=body.get("settings"), mappings=body.get("mappings")
        )

    def delete_index(self, name):
        self.client.indices.delete(index=name)

    def alias_targets(self, alias) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=alias).body)
        except self.not_found:
            return []

    def update_aliases(self, actions):
        self.client.options(request_timeout=INDEX_ADMIN_TIMEOUT_SECONDS).indices.update_aliases(
            actions=actions
        )

    def refresh(self, index):
        self.client.options(request_timeout=INDEX_ADMIN_TIMEOUT_SECONDS).indices.refresh(
            index=index
        )

    def count(self, index) -> int:
        return self.client.count(index=index).body["count"]

    def indices(self, pattern) -> list[str]:
        return list(self.client.indices.get(index=pattern).body)

    def cluster_health(self) -> dict:
        return self.client.cluster.health().body


TRANSPORTS = {"opensearch": OpenSearchTransport, "elasticsearch": ElasticsearchTransport}


class ServerEngine(SearchEngine):
    def __init__(
        self, transport: Transport, index_prefix: str, analyzer: str = "cjk", replicas: int = 0
    ):
        self.transport = transport
        self.name = transport.product
        self.alias = f"{index_prefix}-exchange"
        self.analyzer = analyzer
        self.replicas = replicas

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except self.transport.not_found:
            raise
        except self.transport.unavailable as error:
            raise EngineUnavailable(f"{self.name}: {error}") from error

    # Index management

    def _new_index(self) -> str:
        name = f"{self.alias}-{time.time_ns() // 1_000_000}"
        self._call(self.transport.create_index, name, index_body(self.analyzer, self.replicas))
        return name

    def has_index(self) -> bool:
        """Whether the alias points at an index (a deployment builds one only if not)."""
        return bool(self._call(self.transport.alias_targets, self.alias))

    def ensure_index(self) -> None:
        if not self._call(self.transport.alias_targets, self.alias):
            name = self._new_index()
            self._call(
                self.transport.update_aliases, [{"add": {"index": name, "alias": self.alias}}]
            )

    def _bulk(self, index: str, operations: list[dict], refresh, timeout=TIMEOUT_SECONDS) -> None:
        if not operations:
            return
        response = self._call(self.transport.bulk, operations, refresh, timeout)
        if response.get("errors"):
            failed = [
                item
                for item in response["items"]
                for result in item.values()
                if result.get("status", 200) >= 300 and result.get("status") != 404
            ]
            if failed:
                raise EngineUnavailable(f"{self.name} refused {len(failed)} documents: {failed[0]}")

    @staticmethod
    def _index_ops(index: str, documents: Iterable[dict]) -> list[dict]:
        operations = []
        for document in documents:
            operations.append({"index": {"_index": index, "_id": document["key"]}})
            operations.append(source_for(document))
        return operations

    def index(self, documents: Iterable[dict]) -> None:
        self.ensure_index()
        self._bulk(self.alias, self._index_ops(self.alias, documents), refresh="wait_for")

    def delete(self, keys: Iterable[str]) -> None:
        self.ensure_index()
        operations = [{"delete": {"_index": self.alias, "_id": key}} for key in keys]
        self._bulk(self.alias, operations, refresh="wait_for")

    def rebuild(self, documents: Iterable[dict]) -> int:
        """Fill a new index, then point the alias at it in one atomic call and drop the old ones;
        searches keep hitting the old index until the swap."""
        name = self._new_index()
        count, chunk = 0, []
        for document in documents:
            chunk.append(document)
            if len(chunk) >= BULK_CHUNK:
                self._bulk(name, self._index_ops(name, chunk), False, INDEX_ADMIN_TIMEOUT_SECONDS)
                count, chunk = count + len(chunk), []
        self._bulk(name, self._index_ops(name, chunk), False, INDEX_ADMIN_TIMEOUT_SECONDS)
        count += len(chunk)
        self._call(self.transport.refresh, name)
        old = self._call(self.transport.alias_targets, self.alias)
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self._call(self.transport.update_aliases, actions)
        for stale in self._call(self.transport.indices, f"{self.alias}-*"):
            if stale != name:
                self._call(self.transport.delete_index, stale)
        return count

    def drop(self) -> None:
        """Delete every index of this prefix (tests and `search_index --drop`)."""
        for name in self._call(self.transport.indices, f"{self.alias}-*"):
            self._call(self.transport.delete_index, name)

    def count(self) -> int:
        try:
            return self._call(self.transport.count, self.alias)
        except self.transport.not_found:
            return 0

    def cluster(self) -> dict:
        """The cluster's status (green, yellow: a replica missing, red: a primary missing) and
        how many nodes are in it."""
        health = self._call(self.transport.cluster_health)
        return {
            "status": health["status"],
            "nodes": health["number_of_nodes"],
            "unassigned_shards": health["unassigned_shards"],
        }

    # Searching

    def search(self, concepts, params, *, facets=True) -> EngineResults:
        body = search_body(concepts, params, facets=facets)
        try:
            response = self._call(self.transport.search, self.alias, body)
        except self.transport.not_found:
            return EngineResults(total=0, hits=[], facets={f: [] for f in FACET_FIELDS})
        return self.results_from(response)

    @staticmethod
    def results_from(response: dict) -> EngineResults:
        hits = [
            Hit(document=hit["_source"]["data"], score=round(hit.get("_score") or 0.0, 4))
            for hit in response["hits"]["hits"]
        ]
        aggregations = response.get("aggregations", {})
        facets = {
            field: [(b["key"], b["doc_count"]) for b in aggregations[field]["values"]["buckets"]]
            for field in FACET_FIELDS
            if field in aggregations
        }
        return EngineResults(
            total=response["hits"]["total"]["value"],
            hits=hits,
            facets=facets,
            took_ms=response.get("took"),
        )

    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict]:
        prefix = prefix.strip()[:50]
        if not prefix:
            return []
        body = {
            "_source": ["data.title", "data.url", "data.type"],
            "suggest": {
                "titles": {
                    "prefix": prefix,
                    "completion": {"field": "suggest", "size": limit, "skip_duplicates": True},
                }
            },
        }
        try:
            response = self._call(self.transport.search, self.alias, body)
        except self.transport.not_found:
            return []
        options = response.get("suggest", {}).get("titles", [{}])[0].get("options", [])
        return [
            {
                "title": o["_source"]["data"]["title"],
                "url": o["_source"]["data"]["url"],
                "type": o["_source"]["data"]["type"],
            }
            for o in options
        ]

"""The exchange search as the views and the API use it: understand the query, ask the configured
engine (falling back to the embedded engine with a notice if the server is down), then add
highlights, facet labels and suggestions for empty results."""

import dataclasses
import difflib
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _

from cases import taxonomy_cache
from cases.languages import localized
from cases.models import Region
from cases.models.taxonomy import CLUSTERS
from search import corrections, highlight, outage, pinyin, text
from search.documents import FACET_FIELDS
from search.engines import EngineUnavailable, embedded_engine, server_engine
from search.engines.base import EngineResults
from search.models import IndexQueueEntry
from search.query import (
    CELL_TYPES,
    TYPES,
    SearchParams,
    all_variants,
    relaxed,
    required,
    understand,
)
from search.vocabulary import vocabulary

logger = logging.getLogger(__name__)

# In the active language where shown (lazy: the English pages get the English).
FALLBACK_NOTICE = _("检索服务器暂时不可用，以下结果来自平台内置检索，可能不是最新排序。")
CORRECTED_NOTICE = _("已显示“{corrected}”的结果，仍搜索原词“{original}”")
PARTIAL_NOTICE = _("没有同时包含全部检索词的结果，以下是包含部分检索词的结果（按相关度排序）。")
SOME_NOTICE = _(
    "只有 {count} 条结果同时包含全部检索词，排在最前；其后是包含部分检索词的结果（按相关度排序）。"
)

# Fewer strict results than this (a top three): the partial matches follow them. A question often
# names one word the best page never uses (废铅蓄电池回收 → a page on 废铅蓄电池 that says 延伸制度,
# not 回收), while a long page elsewhere happens to hold every word.
FEW_STRICT = 3
# The deepest window a merged answer reads from the engine (OpenSearch's max_result_window).
MERGE_WINDOW = 10_000


@dataclass
class SearchResponse:
    query: str
    engine: str
    total: int
    page: int
    page_size: int
    results: list[dict]
    facets: dict[str, list[dict]]
    suggestions: list[dict] = field(default_factory=list)
    notice: str = ""
    corrected: str = ""  # the query whose results are shown, when a correction was applied
    # "all": every result holds every word; "some": a few do, and partial matches follow them;
    # "partial": none does, all results are partial matches.
    match: str = "all"
    engine_took_ms: float | None = None
    took_ms: float = 0.0

    def as_json(self) -> dict:
        """The public API body (DESIGN.md)."""
        return {
            "query": self.query,
            "engine": self.engine,
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "results": self.results,
            "facets": self.facets,
            "suggestions": self.suggestions,
            "match": self.match,
            **({"corrected": self.corrected} if self.corrected else {}),
            **({"notice": self.notice} if self.notice else {}),
        }


def _labels() -> dict[str, dict[str, str]]:
    """Facet value → label in the active language (read-only)."""
    by_language = _labels_by_language()
    return by_language.get(get_language()) or by_language[settings.LANGUAGE_CODE]


@taxonomy_cache.cache
def _labels_by_language() -> dict[str, dict[str, dict[str, str]]]:
    """Built once per taxonomy version for every language: a search answer was spending
    several milliseconds naming 370 regions."""
    labels = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            labels[code] = _build_labels()
    return labels


def _build_labels() -> dict[str, dict[str, str]]:
    return {
        "type": {key: gettext(label) for key, label in TYPES.items()},
        "waste": {c.slug: localized(c, "name") for c in taxonomy_cache.waste_categories().values()},
        "region": {
            **{r.code: localized(r, "name") for r in taxonomy_cache.regions().values()},
            # 东/中/西部 and the city clusters are region values too.
            **{value: gettext(value) for value, _label in Region.MacroRegion.choices},
            **{name: gettext(name) for name in CLUSTERS},
        },
        "model": {
            m.slug: localized(m, "name") for m in taxonomy_cache.governance_models().values()
        },
        "batch": {b.slug: localized(b, "name") for b in taxonomy_cache.pilot_batches().values()},
        "tag": {},
        "year": {},
        "cell_type": {value: str(label) for value, label in CELL_TYPES.items()},
    }


def _result(hit, variants: list[str]) -> dict:
    doc = hit.document
    return {
        "type": doc["type"],
        "type_label": TYPES.get(doc["type"], doc["type"]),
        "title": doc["title"],
        "title_en": doc.get("title_en", ""),
        "url": doc["url"],
        "summary": doc.get("summary", "")[:300],
        "summary_en": doc.get("summary_en", "")[:300],
        "highlight": highlight.snippet(
            [doc.get("title", ""), doc.get("summary", ""), doc.get("body", "")], variants
        )
        if variants
        else "",
        "city": doc.get("city", ""),
        "region_code": doc.get("region_code", ""),
        "waste_categories": doc.get("waste_categories", []),
        "tags": doc.get("tag", []),
        "published": doc.get("published"),
        "score": hit.score,
        # A recognised cell: its certificate and status as the register shows them.
        **({"cell": doc["cell"]} if doc.get("cell") else {}),
    }


def _did_you_mean(q: str) -> list[dict]:
    words = list(vocabulary().words)
    suggestions = []
    for chunk in text.normalise(q).split():
        for match in difflib.get_close_matches(chunk, words, n=2, cutoff=0.5):
            if match != chunk:
                suggestions.append(
                    {
                        "kind": "query",
                        "text": q.replace(chunk, match),
                        "label": gettext("您是不是要找：%(query)s")
                        % {"query": q.replace(chunk, match)},
                    }
                )
    return suggestions[:3]


def _strict_first(engine, concepts, strict: EngineResults, params: SearchParams) -> EngineResults:
    """The few strict results, then the partial matches (a superset: any document holding every
    word holds one of them) without those, paged as one list; facets of the partial match."""
    window = params.offset + params.page_size + strict.total
    if window > MERGE_WINDOW:
        return strict
    head = strict.hits
    if len(head) < strict.total:  # a later page: the strict results are on the first one
        top = dataclasses.replace(params, page=1, page_size=FEW_STRICT)
        head = engine.search(concepts, top, facets=False).hits
    found = engine.search(relaxed(concepts), dataclasses.replace(params, page=1, page_size=window))
    first = {hit.document["key"] for hit in head}
    merged = head + [hit for hit in found.hits if hit.document["key"] not in first]
    return EngineResults(
        total=max(found.total, strict.total),
        hits=merged[params.offset : params.offset + params.page_size],
        facets=found.facets,
        took_ms=found.took_ms,
        strict_total=strict.total,
    )


def _understood(engine, params: SearchParams):
    """Strict first (every word). A few found → the partial matches follow them; nothing found → a
    confident correction of a mistyped word, then a ranked partial match. Returns (concepts,
    results, corrected query, match)."""
    concepts = understand(params.q)
    results = engine.search(concepts, params)
    if results.total >= FEW_STRICT or not params.q:
        return concepts, results, "", "all"
    several = len(required(concepts)) > 1
    if results.total:
        if several:
            merged = _strict_first(engine, concepts, results, params)
            if merged.total > results.total:
                return concepts, merged, "", "some"
        return concepts, results, "", "all"
    if params.correct:
        corrected = corrections.correct(params.q, vocabulary())
        if corrected:
            fixed = understand(corrected)
            found = engine.search(fixed, params.with_query(corrected))
            if found.total:
                return fixed, found, corrected, "all"
    if several:
        partial = relaxed(concepts)
        found = engine.search(partial, params)
        if found.total:
            return partial, found, "", "partial"
    return concepts, results, "", "all"


def search(params: SearchParams) -> SearchResponse:
    """Run a validated search; never raises for an unavailable server."""
    started = time.perf_counter()
    engine, notice = server_engine() or embedded_engine(), ""
    if engine is not embedded_engine() and outage.is_down():
        # Known down (any process, in the last seconds): no request waits for its timeout.
        engine, notice = embedded_engine(), str(FALLBACK_NOTICE)
    try:
        concepts, results, corrected, match = _understood(engine, params)
        if engine is not embedded_engine() and IndexQueueEntry.objects.exists():
            from search.tasks import schedule_replay

            schedule_replay()
    except EngineUnavailable as error:
        logger.warning("search server unavailable, using the embedded engine: %s", error)
        outage.mark_down(error)
        engine, notice = embedded_engine(), str(FALLBACK_NOTICE)
        concepts, results, corrected, match = _understood(engine, params)
    variants = all_variants(concepts)
    labels = _labels()
    facets = {
        name: [
            {"value": value, "label": labels.get(name, {}).get(value, value), "count": count}
            for value, count in results.facets.get(name, [])
        ]
        for name in FACET_FIELDS
    }
    suggestions = []
    if corrected:
        notice = notice or CORRECTED_NOTICE.format(corrected=corrected, original=params.q)
        suggestions.append(
            {
                "kind": "original",
                "text": params.q,
                "label": gettext("仍搜索原词“%(query)s”") % {"query": params.q},
                "url": f"{reverse('search')}?{urlencode({'q': params.q, 'correct': 0})}",
            }
        )
    elif match == "partial":
        notice = notice or str(PARTIAL_NOTICE)
    elif match == "some":
        notice = notice or SOME_NOTICE.format(count=results.strict_total)
    if results.total == 0 and params.q:
        suggestions = _did_you_mean(params.q)
        if params.filters:
            unfiltered = engine.search(concepts, params.without_filters(), facets=False)
            if unfiltered.total:
                suggestions.append(
                    {
                        "kind": "relax",
                        "text": params.q,
                        "count": unfiltered.total,
                        "label": gettext("去掉筛选条件后有 %(count)s 条结果")
                        % {"count": unfiltered.total},
                    }
                )
    return SearchResponse(
        query=params.q,
        engine=engine.name,
        total=results.total,
        page=params.page,
        page_size=params.page_size,
        results=[_result(hit, variants) for hit in results.hits],
        facets=facets,
        suggestions=suggestions,
        notice=notice,
        corrected=corrected,
        match=match,
        engine_took_ms=results.took_ms,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def _autocomplete(engine, prefix: str, limit: int) -> list[dict]:
    prefix = text.normalise(prefix.strip())
    if not pinyin.is_pinyin(prefix):
        return engine.autocomplete(prefix, limit)
    # Pinyin or initials (weifei, wf): the vocabulary words they spell, then their documents;
    # several words typed together (weifeixiaowei): those words as one query first.
    index = vocabulary().pinyin
    words = index.complete(prefix, limit=3)
    pieces = [] if index.spelled(prefix) else index.split(prefix, partial_last=True)
    queries = [" ".join(p[0] for p in pieces)] if pieces else []
    documents = engine.autocomplete(prefix, limit)
    for word in [p[0] for p in pieces] + words:
        documents += engine.autocomplete(word, limit)
    terms = [
        {"title": w, "url": f"{reverse('search')}?{urlencode({'q': w})}", "type": "query"}
        for w in queries + words
    ]
    unique = list({d["url"]: d for d in documents}.values())
    return (terms + unique)[: limit + len(terms)]


def autocomplete(prefix: str, limit: int = 8) -> list[dict]:
    engine = server_engine()
    if engine is None or outage.is_down():
        return _autocomplete(embedded_engine(), prefix, limit)
    try:
        return _autocomplete(engine, prefix, limit)
    except EngineUnavailable as error:
        outage.mark_down(error)
        return _autocomplete(embedded_engine(), prefix, limit)

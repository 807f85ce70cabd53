"""The search request: parameters validated into `SearchParams`, the text understood into
`Concept`s (each a word with its synonyms, or a quoted phrase) that every engine matches the same
way."""

import re
from dataclasses import dataclass, field

from django.http import QueryDict

from cases import taxonomy_cache
from search import text
from search.vocabulary import vocabulary

TYPES = {
    "case": "试点经验",
    "technology": "技术",
    "standard": "无废细胞标准",
    "city": "试点城市",
    "article": "策略与数据",
}
SORTS = ("relevance", "newest")
MAX_QUERY_LENGTH = 200
MAX_PAGE = 1000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10
MAX_FILTER_VALUES = 20
KNOWN_PARAMETERS = {
    "q",
    "type",
    "waste",
    "region",
    "batch",
    "model",
    "tag",
    "year",
    "sort",
    "page",
    "page_size",
}
YEAR = re.compile(r"^(19|20)\d\d$")
PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”')
# Characters with a meaning in engine query syntaxes; queries never reach a query-string parser,
# but they are dropped so that they do not become terms either.
SPECIAL = re.compile(r'[\\"()*:~^/\[\]{}!?<>=&|，。、；：？！（）【】《》“”‘’\'`,.;]')
STOP_WORDS = frozenset(
    "的 和 与 及 或 在 了 是 等 对 中 有 为 以 将 把 被 之 其 如何 怎么 什么 哪些 谁 案例 经验".split()
)


class InvalidParameter(ValueError):
    """A bad request parameter; `name` is the parameter, `message` says what is wrong."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


@dataclass
class Concept:
    """One thing the searcher asked for; a document matches it if it contains any variant."""

    variants: tuple[str, ...]
    phrase: bool = False


@dataclass
class SearchParams:
    q: str = ""
    types: list[str] = field(default_factory=list)
    waste: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    batch: list[str] = field(default_factory=list)
    model: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def filters(self) -> dict[str, list[str]]:
        """Facet field → selected values (AND across fields, OR within one)."""
        return {
            name: values
            for name, values in {
                "type": self.types,
                "waste": self.waste,
                "region": self.region,
                "batch": self.batch,
                "model": self.model,
                "tag": self.tag,
                "year": self.year,
            }.items()
            if values
        }

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def without_filters(self) -> "SearchParams":
        return SearchParams(q=self.q, sort=self.sort, page_size=self.page_size)


def _int(data: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = data.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(name, f"应为正整数，收到“{raw[:20]}”") from None
    if value < 1 or value > maximum:
        raise InvalidParameter(name, f"应在 1 到 {maximum} 之间，收到 {value}")
    return value


def _values(data: QueryDict, name: str, known: set[str]) -> list[str]:
    values = [v.strip() for v in data.getlist(name) if v.strip()]
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidParameter(name, f"最多 {MAX_FILTER_VALUES} 个值")
    unknown = [v for v in values if v not in known]
    if unknown:
        raise InvalidParameter(name, f"未知的值“{unknown[0][:40]}”")
    return list(dict.fromkeys(values))


def parse_params(data: QueryDict) -> SearchParams:
    """Validate request parameters; raises InvalidParameter naming the first bad one."""
    unknown = sorted(set(data) - KNOWN_PARAMETERS)
    if unknown:
        raise InvalidParameter(unknown[0][:40], "不支持的参数")
    q = data.get("q", "").replace("\x00", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidParameter("q", f"检索词不能超过 {MAX_QUERY_LENGTH} 个字符（现有 {len(q)} 个）")
    sort = data.get("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidParameter("sort", f"应为 {' 或 '.join(SORTS)}")
    tags = [t.strip()[:100] for t in data.getlist("tag") if t.strip()][:MAX_FILTER_VALUES]
    years = [y.strip() for y in data.getlist("year") if y.strip()]
    bad_year = next((y for y in years if not YEAR.match(y)), None)
    if bad_year is not None:
        raise InvalidParameter("year", f"应为四位年份，收到“{bad_year[:20]}”")
    return SearchParams(
        q=q,
        types=_values(data, "type", set(TYPES)),
        waste=_values(data, "waste", {c.slug for c in taxonomy_cache.waste_categories().values()}),
        region=_values(data, "region", taxonomy_cache.known_region_values()),
        batch=_values(data, "batch", {b.slug for b in taxonomy_cache.pilot_batches().values()}),
        model=_values(data, "model", {m.slug for m in taxonomy_cache.governance_models().values()}),
        tag=tags,
        year=list(dict.fromkeys(years))[:MAX_FILTER_VALUES],
        sort=sort,
        page=_int(data, "page", 1, MAX_PAGE),
        page_size=_int(data, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    )


def _expand(word: str) -> Concept:
    return Concept(variants=vocabulary().synonyms(word))


def _merge_single_characters(words: list[str]) -> list[str]:
    """jieba leaves unknown short words as single characters (川渝 → 川, 渝); a run of them is
    put back together, since a single character matches too much (or, on bigram indexes, nothing)."""
    merged: list[str] = []
    run = ""
    for word in [*words, ""]:
        if len(word) == 1 and text.CJK_RUN.fullmatch(word) and word not in STOP_WORDS:
            run += word
            continue
        if run:
            merged.append(run)
            run = ""
        if word:
            merged.append(word)
    return merged


def understand(q: str) -> list[Concept]:
    """Quoted phrases stay exact; other words are split (by spaces, then by jieba when a chunk is
    not a known term) and each becomes a concept with its synonyms."""
    concepts: list[Concept] = []
    for match in PHRASE.finditer(q):
        phrase = text.normalise((match.group(1) or match.group(2)).strip())
        if text.terms(phrase):
            concepts.append(Concept(variants=(phrase,), phrase=True))
    rest = PHRASE.sub(" ", q)
    vocab = vocabulary()
    for chunk in SPECIAL.sub(" ", rest).split():
        chunk = text.normalise(chunk)
        if not text.terms(chunk):
            continue
        if chunk.casefold() in vocab.groups or not text.CJK_RUN.search(chunk):
            concepts.append(_expand(chunk))
            continue
        words = _merge_single_characters(text.segmenter.cut(chunk, vocab.words))
        words = [w for w in words if w not in STOP_WORDS]
        for word in words or [chunk]:
            if text.terms(word):
                concepts.append(_expand(word))
    unique = {}
    for concept in concepts:
        unique.setdefault(concept.variants, concept)
    return list(unique.values())


def minimum_should_match(concepts: list[Concept]) -> int:
    """All of one or two concepts; with more, one may be missing (long natural-language queries)."""
    n = len(concepts)
    return n if n <= 2 else n - 1


def all_variants(concepts: list[Concept]) -> list[str]:
    return [v for c in concepts for v in c.variants]

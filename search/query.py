"""The search request: parameters validated into `SearchParams`, the text understood into
`Concept`s (each a word with its synonyms, or a quoted phrase) that every engine matches the same
way."""

import dataclasses
import re
from dataclasses import dataclass, field

from django.http import QueryDict

from cases import taxonomy_cache
from cases.models import StandardPage
from search import text
from search.vocabulary import vocabulary

TYPES = {
    "case": "试点经验",
    "technology": "技术",
    "standard": "无废细胞标准",
    "city": "试点城市",
    "article": "策略与数据",
    "cell": "无废细胞",
}
# 无废细胞 types (学校, 社区 …): a facet of standards and recognised cells.
CELL_TYPES = dict(StandardPage.CellType.choices)
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
    "cell_type",
    "sort",
    "page",
    "page_size",
    "correct",
}
YEAR = re.compile(r"^(19|20)\d\d$")
PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”')
# Characters with a meaning in engine query syntaxes; queries never reach a query-string parser,
# but they are dropped so that they do not become terms either.
SPECIAL = re.compile(r'[\\"()*:~^/\[\]{}!?<>=&|，。、；：？！（）【】《》“”‘’\'`,.;]')
STOP_WORDS = frozenset(
    "的 和 与 及 或 在 了 是 等 对 中 有 为 以 将 把 被 之 其 谁 案例 经验".split()
)
# Question and filler words: how people ask (哪些城市开展了…？怎么处理…) but not what they ask for.
QUESTION_WORDS = frozenset(
    """哪些 哪个 哪里 哪儿 哪 如何 怎么 怎么样 怎样 怎么办 什么 什么样 多少 几 吗 呢 吧 啊 么
    为什么 为何 是否 有没有 有无 能否 可否 可以 能 会 要 需要 应该 该 请问 请 想 想要 知道 了解
    一下 关于 有关 相关 方面 问题 情况 一些 这些 那些 这个 那个 这样 进行 开展 采取 做 做法 措施
    办法 方法 方式 都 也 还 又 就 呀 哦 嘛 去 来 到 给 让 使 我 我们 你 你们 他们 它 其中 主要
    经验做法 典型 哪家 好 处理好""".split()
)
ENGLISH_STOP_WORDS = frozenset(
    """a an the of in on at for to and or by with from how what which where who why is are was
    were do does did can could should would be been about into than that this these those its it
    city cities case cases""".split()
)
IGNORED = STOP_WORDS | QUESTION_WORDS


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
    # An optional concept adds to the score but is not required (a lone character left by the
    # segmenter, or every concept of a relaxed search).
    optional: bool = False


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
    cell_type: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    correct: bool = True  # correct=0: search the words as typed ("仍搜索原词")

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
                "cell_type": self.cell_type,
            }.items()
            if values
        }

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def without_filters(self) -> "SearchParams":
        return SearchParams(q=self.q, sort=self.sort, page_size=self.page_size)

    def with_query(self, q: str) -> "SearchParams":
        return dataclasses.replace(self, q=q)


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
    correct = data.get("correct", "1")
    if correct not in ("0", "1"):
        raise InvalidParameter("correct", "应为 0 或 1")
    return SearchParams(
        q=q,
        correct=correct == "1",
        types=_values(data, "type", set(TYPES)),
        waste=_values(data, "waste", {c.slug for c in taxonomy_cache.waste_categories().values()}),
        region=_values(data, "region", taxonomy_cache.known_region_values()),
        batch=_values(data, "batch", {b.slug for b in taxonomy_cache.pilot_batches().values()}),
        model=_values(data, "model", {m.slug for m in taxonomy_cache.governance_models().values()}),
        tag=tags,
        year=list(dict.fromkeys(years))[:MAX_FILTER_VALUES],
        cell_type=_values(data, "cell_type", set(CELL_TYPES)),
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
        if len(word) == 1 and text.CJK_RUN.fullmatch(word) and word not in IGNORED:
            run += word
            continue
        if run:
            merged.append(run)
            run = ""
        if word:
            merged.append(word)
    return merged


def _lone_character(chunk: str, words: list[str], i: int) -> Concept:
    """A single character the segmenter left between two words (…审批快…) is matched the same
    way on every engine: by the bigrams it forms with its neighbours in the query, and only as an
    optional concept (a bigram index has no single characters to require)."""
    start = sum(len(w) for w in words[:i])
    bigrams = []
    if start > 0 and text.CJK_RUN.fullmatch(chunk[start - 1]):
        bigrams.append(chunk[start - 1 : start + 1])
    if start + 1 < len(chunk) and text.CJK_RUN.fullmatch(chunk[start + 1]):
        bigrams.append(chunk[start : start + 2])
    return Concept(variants=tuple(bigrams) or (words[i],), optional=bool(bigrams))


def _chinese_concepts(chunk: str, vocab) -> list[Concept]:
    if vocab.knows(chunk):
        return [_expand(chunk)]
    words = _merge_single_characters(text.segmenter.cut(chunk, vocab.words))
    concepts = []
    for i, word in enumerate(words):
        if word in IGNORED or not text.terms(word):
            continue
        if len(word) == 1 and text.CJK_RUN.fullmatch(word) and len(words) > 1:
            concepts.append(_lone_character(chunk, words, i))
        else:
            concepts.append(_expand(word))
    if not concepts and not all(w in IGNORED for w in words):
        concepts.append(_expand(chunk))
    return concepts


def _latin_concepts(words: list[str], vocab) -> list[Concept]:
    """English (and codes): the longest known term first (kitchen waste → 厨余垃圾), other words
    one by one, English stop words dropped."""
    concepts, i = [], 0
    while i < len(words):
        for n in range(min(vocab.longest_phrase, len(words) - i), 0, -1):
            candidate = " ".join(words[i : i + n])
            if n > 1 and vocab.knows(candidate) or n == 1:
                break
        if n == 1 and candidate in ENGLISH_STOP_WORDS:
            i += 1
            continue
        if n == 1 and not vocab.knows(candidate):
            concepts.extend(_pinyin_or_word(candidate, vocab))
        else:
            concepts.append(_expand(candidate))
        i += n
    return concepts


MIN_PINYIN = 4


def _pinyin_or_word(word: str, vocab) -> list[Concept]:
    """A Latin word that is no English term but spells a domain word in pinyin (shenzhen,
    feihui) also means that word (and its synonyms); one that spells several words typed
    together (weifeixiaowei) means those words, each a concept of its own."""
    if len(word) < MIN_PINYIN or not word.isalpha():
        return [Concept(variants=(word,))]
    spelled = vocab.pinyin.spelled(word)
    if not spelled:
        pieces = vocab.pinyin.split(word)
        if pieces:
            return [_spelled_concept(words, vocab) for words in pieces]
    return [_spelled_concept(spelled, vocab, word)]


def _spelled_concept(words: list[str], vocab, typed: str = "") -> Concept:
    variants = [typed] if typed else []
    for chinese in words:
        variants.extend(vocab.synonyms(chinese))
    return Concept(variants=tuple(dict.fromkeys(variants)))


SPLIT = re.compile(f"([{text.CJK}]+)")


def understand(q: str) -> list[Concept]:
    """Quoted phrases stay exact; other text is normalised (simplified characters, half-width,
    lower case), split into Chinese runs and Latin words; each becomes concepts with their
    synonyms (Chinese runs split by jieba when not a known term; question words dropped)."""
    concepts: list[Concept] = []
    for match in PHRASE.finditer(q):
        phrase = text.normalise((match.group(1) or match.group(2)).strip())
        if text.terms(phrase):
            concepts.append(Concept(variants=(phrase,), phrase=True))
    rest = text.normalise(PHRASE.sub(" ", q))
    vocab = vocabulary()
    latin: list[str] = []
    for chunk in SPECIAL.sub(" ", rest).split():
        if vocab.knows(chunk) and not chunk.isascii():
            concepts.extend(_latin_concepts(latin, vocab))
            latin = []
            concepts.append(_expand(chunk))
            continue
        for piece in SPLIT.split(chunk):
            if not piece:
                continue
            if text.CJK_RUN.fullmatch(piece):
                concepts.extend(_latin_concepts(latin, vocab))
                latin = []
                concepts.extend(_chinese_concepts(piece, vocab))
            else:
                latin.extend(w for w in re.split(r"[^0-9a-z+\-]+", piece.replace("'", "")) if w)
    concepts.extend(_latin_concepts(latin, vocab))
    unique = {}
    for concept in concepts:
        if concept.variants in unique and not concept.optional:
            unique[concept.variants] = concept
        unique.setdefault(concept.variants, concept)
    return list(unique.values())


def required(concepts: list[Concept]) -> list[Concept]:
    return [c for c in concepts if not c.optional]


def minimum_should_match(concepts: list[Concept]) -> int:
    """How many of the required concepts a document must match: all of them (a strict search);
    with none required (a relaxed search), any one concept."""
    return len(required(concepts)) or 1


def relaxed(concepts: list[Concept]) -> list[Concept]:
    """The same concepts, none required: a ranked partial match."""
    return [Concept(variants=c.variants, phrase=c.phrase, optional=True) for c in concepts]


def all_variants(concepts: list[Concept]) -> list[str]:
    return [v for c in concepts for v in c.variants]

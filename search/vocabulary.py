"""The domain vocabulary of query understanding: every waste category's name, English name,
aliases and HW code, governance models, pilot batches, multi-character region names, the synonym
groups, the everyday-words lexicon (search.models.LexiconGroup) and the tags of public pages.

Built once per process and rebuilt when either shared stamp changes (cases/stamps.py): the
taxonomy stamp (any term, synonym or lexicon change, in any process) or the index stamp (any write
to the embedded index, which holds only live public pages — so a tag used only on a draft or a
private page never becomes a word here, nor a suggestion).
"""

import re
import threading
from dataclasses import dataclass
from functools import cached_property

from cases.models import GovernanceModel, PilotBatch, Region, SynonymGroup, WasteCategory
from cases.stamps import Stamp, taxonomy
from search import text
from search.models import FacetValue, LexiconGroup

# One-character region abbreviations (京, 渝 …) would expand ordinary characters; they are
# left out of query expansion.
MIN_REGION_ALIAS_LENGTH = 2
MAX_TAG_LENGTH = 20
ENGLISH_PARTS = re.compile(r"[()（）;；]+")

# Bumped by every write to the embedded index (search.engines.embedded).
index_stamp = Stamp("search-index")


@dataclass(frozen=True)
class Vocabulary:
    groups: dict[str, tuple[str, ...]]  # text.key(term) → the term and what it means
    words: frozenset[str]  # Chinese words, for the segmenter, corrections and pinyin
    longest_phrase: int = 1  # most Latin words in one term (kitchen waste = 2)

    def synonyms(self, term: str) -> tuple[str, ...]:
        """`term` and everything that means the same, `term` first."""
        group = self.groups.get(text.key(term))
        if not group:
            return (term,)
        return (term, *[t for t in group if t.casefold() != term.casefold()])

    def knows(self, term: str) -> bool:
        return text.key(term) in self.groups

    @cached_property
    def pinyin(self):
        """Pinyin of every Chinese word (built on first use: ≈0.1 s for the seed vocabulary)."""
        from search import pinyin

        return pinyin.PinyinIndex(self.words)


def _english_names(term) -> list[str]:
    return [p.strip() for p in ENGLISH_PARTS.split(term.name_en or "") if p.strip()]


def _taxonomy_groups() -> list[list[str]]:
    groups = [[*c.all_names(), *_english_names(c)] for c in WasteCategory.objects.all()]
    groups += [[*m.all_names(), *_english_names(m)] for m in GovernanceModel.objects.all()]
    groups += [[*b.all_names(), *_english_names(b)] for b in PilotBatch.objects.all()]
    groups += [s.term_list for s in SynonymGroup.objects.all()]
    for region in Region.objects.all():
        names = [
            n for n in region.all_names() if len(n) >= MIN_REGION_ALIAS_LENGTH and not n.isdigit()
        ]
        if len(names) > 1:
            groups.append(names)
    return groups


def _lexicon_entries() -> list[tuple[list[str], list[str]]]:
    """(everyday words, the names of the category they mean): one-way, so 可回收物 does not
    expand to every item of a sorting guide."""
    entries = []
    for group in LexiconGroup.objects.select_related("category"):
        entries.append((group.term_list, group.category.all_names()))
    return entries


def build() -> Vocabulary:
    groups: dict[str, tuple[str, ...]] = {}
    words = set()

    def add(key_terms, meaning):
        for term in key_terms:
            key = text.key(term)
            if not key:
                continue
            # A term in two groups keeps both: 危险废物 stays linked to 危废 even if a
            # synonym group also lists it.
            existing = groups.get(key, ())
            groups[key] = tuple(dict.fromkeys((*existing, *meaning)))

    for group in _taxonomy_groups():
        terms = tuple(dict.fromkeys(t for t in group if t))
        words.update(terms)
        add(terms, terms)
    for everyday, meaning in _lexicon_entries():
        words.update(everyday)
        for term in everyday:
            add([term], (term, *meaning))
    # Tags of public pages (一物一码, 泥浆不落地 …) keep the segmenter from splitting domain words.
    tags = FacetValue.objects.filter(field="tag").values_list("value", flat=True).distinct()
    words.update(t for t in tags if len(t) <= MAX_TAG_LENGTH)
    words = {text.normalise(w) for w in words if text.CJK_RUN.search(w)}
    longest = max((len(k.split()) for k in groups if k.isascii()), default=1)
    return Vocabulary(groups=groups, words=frozenset(words), longest_phrase=longest)


_lock = threading.Lock()
_memo: dict = {}


def vocabulary() -> Vocabulary:
    token = (taxonomy.current(), index_stamp.current())
    with _lock:
        if _memo.get("token") == token:
            return _memo["value"]
    value = build()
    with _lock:
        _memo.update(token=token, value=value)
    return value


def clear() -> None:
    """A term changed in this process: every process rebuilds its vocabulary."""
    taxonomy.bump()

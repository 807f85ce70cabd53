"""The domain vocabulary of query understanding, read from the taxonomy: every waste category's
name, aliases and HW code, governance models, pilot batches, multi-character region names and
the synonym groups. Cached in-process; dropped when a taxonomy term changes."""

from dataclasses import dataclass
from functools import cache

from taggit.models import Tag

from cases.models import GovernanceModel, PilotBatch, Region, SynonymGroup, WasteCategory

# One-character region abbreviations (京, 渝 …) would expand ordinary characters; they are
# left out of query expansion.
MIN_REGION_ALIAS_LENGTH = 2


@dataclass(frozen=True)
class Vocabulary:
    groups: dict[str, tuple[str, ...]]  # any term (case-folded) → its synonym group
    words: frozenset[str]  # every term, for the segmenter's dictionary and did-you-mean

    def synonyms(self, term: str) -> tuple[str, ...]:
        """`term` and everything that means the same, `term` first."""
        group = self.groups.get(term.casefold())
        if not group:
            return (term,)
        return (term, *[t for t in group if t.casefold() != term.casefold()])


def _taxonomy_groups() -> list[list[str]]:
    groups = [c.all_names() for c in WasteCategory.objects.all()]
    groups += [m.all_names() for m in GovernanceModel.objects.all()]
    groups += [b.all_names() for b in PilotBatch.objects.all()]
    groups += [s.term_list for s in SynonymGroup.objects.all()]
    for region in Region.objects.all():
        names = [
            n for n in region.all_names() if len(n) >= MIN_REGION_ALIAS_LENGTH and not n.isdigit()
        ]
        if len(names) > 1:
            groups.append(names)
    return groups


@cache
def vocabulary() -> Vocabulary:
    groups: dict[str, tuple[str, ...]] = {}
    words = set()
    for group in _taxonomy_groups():
        terms = tuple(dict.fromkeys(t for t in group if t))
        words.update(terms)
        for term in terms:
            # A term in two groups keeps both: 危险废物 stays linked to 危废 even if a
            # synonym group also lists it.
            existing = groups.get(term.casefold(), ())
            groups[term.casefold()] = tuple(dict.fromkeys((*existing, *terms)))
    # Free tags (一物一码, 泥浆不落地 …) keep the segmenter from splitting domain words.
    words.update(t for t in Tag.objects.values_list("name", flat=True) if len(t) <= 20)
    return Vocabulary(groups=groups, words=frozenset(words))


def clear() -> None:
    vocabulary.cache_clear()

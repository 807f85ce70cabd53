"""Cities like mine: a profile of each public city and a similarity score with its reasons
in words. A city's size class (城市规模, by urban population) and GDP band count only where its
editors have filled them in from a cited source (DESIGN: never invent a city's figure)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext

from cases import taxonomy_cache
from cases.languages import localized
from cases.models import CasePage, CityPage

from .models import Indicator
from .selectors import CityInfo, city_infos, public_values

MAIN_STREAMS = 2  # a city's main waste streams: its two most frequent top-level categories
WEIGHTS = {
    "cluster": 3.0,
    "tier": 1.0,
    "batch": 1.0,
    "size": 1.0,
    "gdp": 1.0,
    "stream": 2.0,
    "indicators": 2.0,
}
SHOWN = 5


@dataclass
class Profile:
    city: CityInfo
    streams: list[tuple[int, str]]  # main top-level categories (id, name), most cases first
    categories: set[int]  # every category of its cases, with their ancestors
    indicators: set[int]
    cases: dict[int, set[int]] = field(default_factory=dict)  # case id → its categories

    @property
    def main_stream_ids(self) -> set[int]:
        return {pk for pk, _ in self.streams}


@dataclass
class Similar:
    city: CityPage
    score: float
    reasons: list[str]
    cases: list


def _with_ancestors(category_id: int) -> list:
    lookup = taxonomy_cache.waste_categories()
    chain, node = [], lookup.get(category_id)
    while node is not None and node not in chain:
        chain.append(node)
        node = lookup.get(node.parent_id)
    return chain


def profiles() -> dict[int, Profile]:
    """Profiles of every public city from plain values, in four queries."""
    cities = city_infos()
    case_city = dict(
        CasePage.objects.live()
        .public()
        .filter(city__in=list(cities))
        .order_by("-published_date", "path")
        .values_list("pk", "city_id")
    )
    case_categories = defaultdict(set)
    for case_id, category_id in CasePage.waste_categories.through.objects.filter(
        casepage_id__in=list(case_city)
    ).values_list("casepage_id", "wastecategory_id"):
        case_categories[case_id].add(category_id)
    reported = defaultdict(set)
    for city_id, indicator_id in (
        public_values().order_by().values_list("city_id", "indicator_id").distinct()
    ):
        reported[city_id].add(indicator_id)
    result = {
        pk: Profile(city=info, streams=[], categories=set(), indicators=reported[pk])
        for pk, info in cities.items()
    }
    roots = defaultdict(Counter)
    for case_id, city_id in case_city.items():
        profile = result[city_id]
        own = set()
        for category_id in case_categories[case_id]:
            chain = _with_ancestors(category_id)
            own.update(c.pk for c in chain)
            if chain:
                roots[city_id][(chain[-1].pk, chain[-1].name)] += 1
        profile.cases[case_id] = own
        profile.categories |= own
    for city_id, counter in roots.items():
        result[city_id].streams = [key for key, _ in counter.most_common(MAIN_STREAMS)]
    return result


@dataclass(frozen=True)
class Labels:
    """The names reasons are written with, in the active language: read once per page, not once
    per compared city (200 cities × every waste category was most of a city page's time)."""

    indicators: dict[int, str]
    categories: dict[int, str]
    batches: dict[int, str]

    @classmethod
    def current(cls) -> "Labels":
        return cls(
            indicators=dict(Indicator.objects.values_list("pk", "name")),
            categories={
                c.pk: localized(c, "name") for c in taxonomy_cache.waste_categories().values()
            },
            batches={pk: localized(b, "name") for pk, b in taxonomy_cache.pilot_batches().items()},
        )


def compare(mine: Profile, other: Profile, labels: Labels) -> tuple[float, list]:
    """The similarity score and its reasons in words, in the active language."""
    score, reasons = 0.0, []
    separator = gettext("、")
    shared_clusters = sorted(mine.city.clusters & other.city.clusters)
    if shared_clusters:
        score += WEIGHTS["cluster"]
        names = separator.join(gettext(c) for c in shared_clusters)
        reasons.append(gettext("同属%(clusters)s") % {"clusters": names})
    if mine.city.tier and mine.city.tier == other.city.tier:
        score += WEIGHTS["tier"]
        reasons.append(gettext("同在%(tier)s地区") % {"tier": gettext(mine.city.tier)})
    if mine.city.batch_id and mine.city.batch_id == other.city.batch_id:
        score += WEIGHTS["batch"]
        reasons.append(gettext("同为%(batch)s") % {"batch": labels.batches[mine.city.batch_id]})
    if mine.city.size_class and mine.city.size_class == other.city.size_class:
        score += WEIGHTS["size"]
        size = CityPage.SizeClass(mine.city.size_class).label
        reasons.append(gettext("同为%(size)s") % {"size": size})
    if mine.city.gdp_band and mine.city.gdp_band == other.city.gdp_band:
        score += WEIGHTS["gdp"]
        band = CityPage.GdpBand(mine.city.gdp_band).label
        reasons.append(gettext("地区生产总值均在%(band)s") % {"band": band})
    shared_streams = [
        labels.categories.get(pk, name) for pk, name in mine.streams if pk in other.main_stream_ids
    ]
    if shared_streams:
        score += WEIGHTS["stream"] * len(shared_streams)
        reasons.append(gettext("都以%(streams)s为主") % {"streams": separator.join(shared_streams)})
    shared_indicators = mine.indicators & other.indicators
    if shared_indicators:
        union = mine.indicators | other.indicators
        score += WEIGHTS["indicators"] * len(shared_indicators) / len(union)
        names = sorted(labels.indicators[pk] for pk in shared_indicators)
        if len(names) > 1:
            reason = gettext("均报告%(indicator)s等 %(count)s 项指标")
        else:
            reason = gettext("均报告%(indicator)s")
        reasons.append(reason % {"indicator": names[0], "count": len(names)})
    return round(score, 2), reasons


def relevant_case_ids(mine: Profile, other: Profile, limit=2) -> list[int]:
    """The other city's cases that share most waste categories with mine (newest first on ties)."""
    ranked = sorted(other.cases, key=lambda pk: -len(other.cases[pk] & mine.categories))
    return ranked[:limit]


def similar_cities(city: CityPage, limit=SHOWN) -> list[Similar]:
    all_profiles = profiles()
    mine = all_profiles.get(city.pk)
    if mine is None:
        return []
    labels = Labels.current()
    scored = []
    for pk, other in all_profiles.items():
        if pk != city.pk:
            score, reasons = compare(mine, other, labels)
            if score > 0:
                scored.append((score, other, reasons))
    scored.sort(key=lambda s: (-s[0], s[1].city.title))
    top = scored[:limit]
    # Page objects only for what is shown (the template links them with pageurl).
    case_ids = {other.city.pk: relevant_case_ids(mine, other) for _, other, _ in top}
    pages = CityPage.objects.in_bulk([other.city.pk for _, other, _ in top])
    cases = CasePage.objects.in_bulk([c for ids in case_ids.values() for c in ids])
    return [
        Similar(pages[other.city.pk], score, reasons, [cases[c] for c in case_ids[other.city.pk]])
        for score, other, reasons in top
    ]

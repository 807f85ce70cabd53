"""Cities like mine: a profile of each public city and a similarity score with its reasons
in words. Population and GDP bands are left out: the platform has no verified figures for them
(DESIGN: never invent a city's figure)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from cases import taxonomy_cache
from cases.models import CasePage, CityPage

from .models import Indicator
from .selectors import public_cities, public_values

MAIN_STREAMS = 2  # a city's main waste streams: its two most frequent top-level categories
WEIGHTS = {"cluster": 3.0, "tier": 1.0, "batch": 1.0, "stream": 2.0, "indicators": 2.0}
SHOWN = 5


@dataclass
class Profile:
    city: CityPage
    tier: str
    clusters: set[str]
    batch_id: int | None
    batch_name: str
    streams: list[tuple[int, str]]  # main top-level categories (id, name), most cases first
    categories: set[int]  # every category of its cases, with their ancestors
    indicators: set[int]
    cases: list = field(default_factory=list)

    @property
    def main_stream_ids(self) -> set[int]:
        return {pk for pk, _ in self.streams}


@dataclass
class Similar:
    profile: Profile
    score: float
    reasons: list[str]
    cases: list


def _root(category_id: int):
    lookup = taxonomy_cache.waste_categories()
    node = lookup.get(category_id)
    while node is not None and node.parent_id is not None and node.parent_id in lookup:
        node = lookup[node.parent_id]
    return node


def profiles() -> dict[int, Profile]:
    """Profiles of every public city, in a fixed number of queries."""
    cities = list(public_cities())
    cases = list(
        CasePage.objects.live()
        .public()
        .filter(city__in=[c.pk for c in cities])
        .only("pk", "title", "url_path", "city_id", "summary")
        .prefetch_related("waste_categories")
        .order_by("-published_date", "path")
    )
    by_city = defaultdict(list)
    for case in cases:
        by_city[case.city_id].append(case)
    reported = defaultdict(set)
    for city_id, indicator_id in (
        public_values().order_by().values_list("city_id", "indicator_id").distinct()
    ):
        reported[city_id].add(indicator_id)
    result = {}
    for city in cities:
        roots, categories = Counter(), set()
        for case in by_city[city.pk]:
            for category in case.waste_categories.all():
                categories.update(a.pk for a in taxonomy_cache.waste_ancestors(category))
                root = _root(category.pk)
                if root is not None:
                    roots[(root.pk, root.name)] += 1
        region = city.region
        province = region.province
        result[city.pk] = Profile(
            city=city,
            tier=province.macro_region,
            clusters=set(region.cluster_list) | set(province.cluster_list),
            batch_id=city.batch_id,
            batch_name=city.batch.name if city.batch else "",
            streams=[key for key, _ in roots.most_common(MAIN_STREAMS)],
            categories=categories,
            indicators=reported[city.pk],
            cases=by_city[city.pk],
        )
    return result


def compare(mine: Profile, other: Profile, indicator_names: dict[int, str]) -> tuple[float, list]:
    score, reasons = 0.0, []
    shared_clusters = sorted(mine.clusters & other.clusters)
    if shared_clusters:
        score += WEIGHTS["cluster"]
        reasons.append(f"同属{'、'.join(shared_clusters)}")
    if mine.tier and mine.tier == other.tier:
        score += WEIGHTS["tier"]
        reasons.append(f"同在{mine.tier}地区")
    if mine.batch_id and mine.batch_id == other.batch_id:
        score += WEIGHTS["batch"]
        reasons.append(f"同为{mine.batch_name}")
    shared_streams = [name for pk, name in mine.streams if pk in other.main_stream_ids]
    if shared_streams:
        score += WEIGHTS["stream"] * len(shared_streams)
        reasons.append(f"都以{'、'.join(shared_streams)}为主")
    shared_indicators = mine.indicators & other.indicators
    if shared_indicators:
        union = mine.indicators | other.indicators
        score += WEIGHTS["indicators"] * len(shared_indicators) / len(union)
        names = sorted(indicator_names[pk] for pk in shared_indicators)
        more = f"等 {len(names)} 项指标" if len(names) > 1 else ""
        reasons.append(f"均报告{names[0]}{more}")
    return round(score, 2), reasons


def relevant_cases(mine: Profile, other: Profile, limit=2) -> list:
    """The other city's cases that share most waste categories with mine."""

    def overlap(case):
        own = set()
        for category in case.waste_categories.all():
            own.update(a.pk for a in taxonomy_cache.waste_ancestors(category))
        return len(own & mine.categories)

    ranked = sorted(other.cases, key=lambda c: -overlap(c))
    return ranked[:limit]


def similar_cities(city: CityPage, limit=SHOWN) -> list[Similar]:
    all_profiles = profiles()
    mine = all_profiles.get(city.pk)
    if mine is None:
        return []
    names = dict(Indicator.objects.values_list("pk", "name"))
    found = []
    for pk, other in all_profiles.items():
        if pk == city.pk:
            continue
        score, reasons = compare(mine, other, names)
        if score > 0:
            found.append(Similar(other, score, reasons, relevant_cases(mine, other)))
    found.sort(key=lambda s: (-s.score, s.profile.city.title))
    return found[:limit]

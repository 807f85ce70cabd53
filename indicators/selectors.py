"""Read side: only approved values of public cities ever leave here (pages, charts, CSV)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef

from cases.models import CasePage, CityPage, Region
from cases.models.taxonomy import ALIAS_SEPARATORS

from . import charts, services
from .models import Indicator, IndicatorGroup, IndicatorValue


def public_cities():
    return (
        CityPage.objects.live()
        .public()
        .select_related("region__parent", "batch")
        .order_by("region__code", "path")
    )


def public_values():
    """Approved values of live, public city pages."""
    return IndicatorValue.objects.filter(
        status=IndicatorValue.Status.APPROVED,
        city__in=CityPage.objects.live().public().values("pk"),
    )


@dataclass(frozen=True)
class CityInfo:
    """What listings need of a public city, read as plain values: building 200 Page objects
    (with their many fields and modelcluster set-up) per request costs more than the rest."""

    pk: int
    title: str
    slug: str
    province_code: str
    province: str
    tier: str
    clusters: frozenset
    batch_id: int | None
    size_class: str = ""
    gdp_band: str = ""


def _clusters(*texts) -> frozenset:
    return frozenset(c.strip() for t in texts for c in ALIAS_SEPARATORS.split(t or "") if c.strip())


def city_infos() -> dict[int, CityInfo]:
    """Every live, public city, in region-code order, in one query."""
    rows = (
        CityPage.objects.live()
        .public()
        .order_by("region__code", "path")
        .values_list(
            "pk",
            "title",
            "slug",
            "region__code",
            "region__name",
            "region__clusters",
            "region__macro_region",
            "region__parent__code",
            "region__parent__name",
            "region__parent__clusters",
            "region__parent__macro_region",
            "batch_id",
            "size_class",
            "gdp_band",
        )
    )
    infos = {}
    for (
        pk,
        title,
        slug,
        code,
        name,
        clusters,
        tier,
        p_code,
        p_name,
        p_clusters,
        p_tier,
        batch,
        size_class,
        gdp_band,
    ) in rows:
        infos[pk] = CityInfo(
            pk=pk,
            title=title,
            slug=slug,
            province_code=p_code or code,
            province=p_name or name,
            tier=(p_tier if p_code else tier) or "",
            clusters=_clusters(clusters, p_clusters),
            batch_id=batch,
            size_class=size_class,
            gdp_band=gdp_band,
        )
    return infos


def matches(info: CityInfo, filters: dict) -> bool:
    """Region tier, cluster and batch filters (cleaned CompareForm data)."""
    if filters.get("tier") and info.tier != filters["tier"]:
        return False
    if filters.get("cluster") and filters["cluster"] not in info.clusters:
        return False
    batch = filters.get("batch")
    return not (batch and info.batch_id != batch.pk)


def system_tree():
    """First-level groups → second-level groups → indicators, for the indicator system page."""
    groups = list(IndicatorGroup.objects.select_related("province").order_by("sort_order", "code"))
    indicators = defaultdict(list)
    for indicator in Indicator.objects.select_related("province").order_by("sort_order", "code"):
        indicators[indicator.group_id].append(indicator)
    children = defaultdict(list)
    for group in groups:
        if group.parent_id:
            children[group.parent_id].append(group)
    return [
        {
            "group": g,
            "indicators": indicators[g.pk],
            "children": [{"group": c, "indicators": indicators[c.pk]} for c in children[g.pk]],
        }
        for g in groups
        if not g.parent_id
    ]


@dataclass(frozen=True)
class Reported:
    """One approved value as the dashboard shows it."""

    year: int
    value: Decimal
    target: Decimal | None
    target_year: int | None
    baseline: Decimal | None
    baseline_year: int | None
    source: str
    note: str


REPORTED_FIELDS = [
    "year",
    "value",
    "target",
    "target_year",
    "baseline",
    "baseline_year",
    "source",
    "note",
]


@dataclass
class Series:
    """One indicator of a city's dashboard: every year from the first to the last report."""

    indicator: Indicator
    points: list[tuple[int, Decimal | None]]
    latest: Reported
    target: Decimal | None
    target_year: int | None
    baseline: Decimal | None
    baseline_year: int | None
    progress: services.Progress
    spark: charts.Sparkline = field(repr=False, default=None)

    @property
    def missing_years(self) -> list[int]:
        return [y for y, v in self.points if v is None]


def _series(indicator, values: list[Reported]) -> Series:
    by_year = {v.year: v for v in values}
    years = range(min(by_year), max(by_year) + 1)
    points = [(y, by_year[y].value if y in by_year else None) for y in years]
    latest = by_year[max(by_year)]
    # The target and baseline in force: the latest report that states them.
    with_target = [v for v in values if v.target is not None]
    with_baseline = [v for v in values if v.baseline is not None]
    target_row = max(with_target, key=lambda v: v.year) if with_target else None
    baseline_row = max(with_baseline, key=lambda v: v.year) if with_baseline else None
    target = target_row.target if target_row else None
    baseline = baseline_row.baseline if baseline_row else None
    series = Series(
        indicator=indicator,
        points=points,
        latest=latest,
        target=target,
        target_year=target_row.target_year if target_row else None,
        baseline=baseline,
        baseline_year=baseline_row.baseline_year if baseline_row else None,
        progress=services.progress(latest.value, target, baseline, indicator.lower_is_better),
    )
    series.spark = charts.sparkline(points, target)
    return series


def dashboard(city: CityPage) -> dict:
    grouped = defaultdict(list)
    for indicator_id, *fields in (
        public_values()
        .filter(city=city)
        .order_by("year")
        .values_list("indicator_id", *REPORTED_FIELDS)
    ):
        grouped[indicator_id].append(Reported(*fields))
    indicators = Indicator.objects.filter(pk__in=list(grouped)).order_by("sort_order", "code")
    series = [_series(indicator, grouped[indicator.pk]) for indicator in indicators]
    expected = services.reported_indicators(city).exclude(pk__in=list(grouped))
    return {"series": series, "not_reported": list(expected)}


def dashboard_rows(city: CityPage) -> list[dict]:
    """Every approved value of the city, one row per indicator and year (the CSV)."""
    return [
        {
            "indicator_code": v.indicator.code,
            "indicator": v.indicator.name,
            "unit": v.indicator.unit,
            "year": v.year,
            "value": v.value,
            "target": v.target,
            "target_year": v.target_year,
            "baseline": v.baseline,
            "baseline_year": v.baseline_year,
            "source": v.source,
        }
        for v in public_values()
        .filter(city=city)
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__code", "year")
    ]


@dataclass
class ComparisonRow:
    city: CityInfo
    year: int
    value: Decimal
    target: Decimal | None
    target_year: int | None
    baseline: Decimal | None
    source: str
    progress: services.Progress


def comparison(indicator: Indicator, filters: dict, year=None, sort=None) -> list[ComparisonRow]:
    """Each city's value of `indicator` (in `year`, else its latest approved year)."""
    cities = {pk: info for pk, info in city_infos().items() if matches(info, filters)}
    values = IndicatorValue.objects.filter(
        indicator=indicator, status=IndicatorValue.Status.APPROVED
    )
    if year:
        values = values.filter(year=year)
    latest = {}
    for row in values.order_by("year").values_list(
        "city_id", "year", "value", "target", "target_year", "baseline", "source"
    ):
        if row[0] in cities:
            latest[row[0]] = row
    rows = [
        ComparisonRow(
            cities[city_id],
            year,
            value,
            target,
            target_year,
            baseline,
            source,
            services.progress(value, target, baseline, indicator.lower_is_better),
        )
        for city_id, year, value, target, target_year, baseline, source in latest.values()
    ]
    if sort == "city":
        rows.sort(key=lambda r: (r.city.province_code, r.city.title))
    else:
        best_first = "-value" if not indicator.lower_is_better else "value"
        descending = (sort or best_first) == "-value"
        rows.sort(key=lambda r: (r.value, r.city.title), reverse=descending)
    return rows


def comparison_years(indicator: Indicator) -> list[int]:
    return list(
        public_values()
        .filter(indicator=indicator)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def compared_indicators():
    """Indicators with at least one public value (the comparison page's choice); one indexed
    EXISTS per indicator rather than a DISTINCT over every value."""
    return Indicator.objects.filter(
        Exists(public_values().filter(indicator=OuterRef("pk")))
    ).order_by("sort_order", "code")


def map_rows() -> list[dict]:
    """Per province: its public pilot cities and their public cases."""
    cities = city_infos()
    cases = dict(
        CasePage.objects.live()
        .public()
        .filter(city__in=list(cities))
        .order_by()
        .values_list("city_id")
        .annotate(n=Count("pk"))
        .values_list("city_id", "n")
    )
    by_province = defaultdict(list)
    for info in cities.values():
        by_province[info.province_code].append(info)
    rows = []
    for province in Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"):
        members = by_province.get(province.code, [])
        rows.append(
            {
                "code": province.code,
                "name": province.name,
                "short": _short_name(province),
                "macro_region": province.macro_region,
                "cities": members,
                "city_count": len(members),
                "case_count": sum(cases.get(c.pk, 0) for c in members),
            }
        )
    return rows


def _short_name(province: Region) -> str:
    """The province's usual short name (its first alias: 北京, 内蒙古), for a map tile."""
    aliases = [a.strip() for a in ALIAS_SEPARATORS.split(province.aliases) if a.strip()]
    return aliases[0] if aliases else province.name

"""Read side: only approved values of public cities ever leave here (pages, charts, CSV)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from cases.models import CityPage, Region
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


@dataclass
class Series:
    """One indicator of a city's dashboard: every year from the first to the last report."""

    indicator: Indicator
    points: list[tuple[int, Decimal | None]]
    latest: IndicatorValue
    target: Decimal | None
    target_year: int | None
    baseline: Decimal | None
    baseline_year: int | None
    progress: services.Progress
    spark: charts.Sparkline = field(repr=False, default=None)

    @property
    def missing_years(self) -> list[int]:
        return [y for y, v in self.points if v is None]


def _series(indicator, values) -> Series:
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
    values = list(
        public_values()
        .filter(city=city)
        .select_related("indicator__group__parent")
        .order_by("indicator__sort_order", "indicator__code", "year")
    )
    grouped = defaultdict(list)
    indicators = {}
    for value in values:
        grouped[value.indicator_id].append(value)
        indicators[value.indicator_id] = value.indicator
    series = [_series(indicators[pk], rows) for pk, rows in grouped.items()]
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


def filter_cities(queryset, prefix: str, filters: dict):
    """Region tier, cluster and batch filters on a queryset reaching CityPage via `prefix`."""
    p = f"{prefix}__" if prefix else ""
    if filters.get("tier"):
        tier = filters["tier"]
        queryset = queryset.filter(
            Q(**{f"{p}region__parent__macro_region": tier})
            | Q(**{f"{p}region__parent__isnull": True, f"{p}region__macro_region": tier})
        )
    if filters.get("cluster"):
        cluster = filters["cluster"]
        queryset = queryset.filter(
            Q(**{f"{p}region__clusters__contains": cluster})
            | Q(**{f"{p}region__parent__clusters__contains": cluster})
        )
    if filters.get("batch"):
        queryset = queryset.filter(**{f"{p}batch": filters["batch"]})
    return queryset


@dataclass
class ComparisonRow:
    city: CityPage
    value: IndicatorValue
    progress: services.Progress


SORTS = {"value", "-value", "city"}


def comparison(indicator: Indicator, filters: dict, year=None, sort=None) -> list[ComparisonRow]:
    """Each city's value of `indicator` (in `year`, else its latest approved year)."""
    values = filter_cities(public_values().filter(indicator=indicator), "city", filters)
    if year:
        values = values.filter(year=year)
    latest: dict[int, IndicatorValue] = {}
    for value in values.select_related("city__region__parent", "city__batch").order_by("year"):
        latest[value.city_id] = value
    rows = [
        ComparisonRow(
            v.city,
            v,
            services.progress(v.value, v.target, v.baseline, indicator.lower_is_better),
        )
        for v in latest.values()
    ]
    if sort == "city":
        rows.sort(key=lambda r: (r.city.region.code, r.city.title))
    else:
        best_first = "-value" if not indicator.lower_is_better else "value"
        descending = (sort or best_first) == "-value"
        rows.sort(key=lambda r: (r.value.value, r.city.title), reverse=descending)
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
    """Indicators with at least one public value (the comparison page's choice)."""
    return Indicator.objects.filter(
        pk__in=public_values().order_by().values("indicator_id").distinct()
    ).order_by("sort_order", "code")


def map_rows() -> list[dict]:
    """Per province: its public pilot cities and their public cases."""
    cities = list(
        public_cities().annotate(
            case_count=Count(
                "case_pages",
                filter=Q(case_pages__live=True, case_pages__view_restrictions=None),
            )
        )
    )
    by_province = defaultdict(list)
    for city in cities:
        by_province[city.region.province.pk].append(city)
    rows = []
    for province in Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"):
        members = by_province.get(province.pk, [])
        rows.append(
            {
                "code": province.code,
                "name": province.name,
                "short": _short_name(province),
                "macro_region": province.macro_region,
                "cities": members,
                "city_count": len(members),
                "case_count": sum(c.case_count for c in members),
            }
        )
    return rows


def _short_name(province: Region) -> str:
    """The province's usual short name (its first alias: 北京, 内蒙古), for a map tile."""
    aliases = [a.strip() for a in ALIAS_SEPARATORS.split(province.aliases) if a.strip()]
    return aliases[0] if aliases else province.name

"""Read-side queries of the content: listings, filters and the home page figures.

Every listing goes through `listing_queryset`, which keeps drafts and private pages out and
loads related rows in a fixed number of queries however long the list is.
"""

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce, TruncDate

from cases import taxonomy_cache
from cases.models import (
    CasePage,
    CityPage,
    GovernanceModel,
    Region,
    StandardPage,
    TechnologyPage,
    WasteCategory,
)

# Newest first by the page's date (PageDateMixin.page_date: the source's date, else the first
# publication here), the same on SQLite and PostgreSQL (which would put NULLs first).
NEWEST_FIRST = (
    Coalesce("published_date", TruncDate("first_published_at")).desc(nulls_last=True),
    "-first_published_at",
    "path",
)


def public_pages(model):
    """Live pages of `model` that anonymous visitors may see (no drafts, no private pages)."""
    return model.objects.live().public()


def listing_queryset(model):
    """Public pages of `model` with what their listing cards show, newest first."""
    queryset = public_pages(model)
    if model is CasePage:
        return (
            queryset.select_related("city", "city__region", "governance_model")
            .prefetch_related("waste_categories", "tags")
            .order_by(*NEWEST_FIRST)
        )
    if model is TechnologyPage:
        return queryset.prefetch_related(
            "waste_categories",
            "tags",
            Prefetch(
                "reference_cases",
                queryset=public_pages(CasePage).select_related("city"),
                to_attr="public_reference_cases",
            ),
        ).order_by("title")
    if model is StandardPage:
        return queryset.select_related("city").order_by("cell_type", "title")
    if model is CityPage:
        return queryset.select_related("region", "region__parent", "batch").order_by("region__code")
    return queryset


def filter_cases(queryset, filters: dict):
    """Apply the cleaned data of a CaseFilterForm: AND across fields, OR within a field."""
    if filters.get("waste"):
        queryset = queryset.filter(
            waste_categories__in=taxonomy_cache.waste_descendant_ids(filters["waste"])
        )
    if filters.get("region"):
        queryset = queryset.filter(
            city__region__in=taxonomy_cache.region_ids_for(filters["region"])
        )
    if filters.get("model"):
        queryset = queryset.filter(governance_model__in=filters["model"])
    if filters.get("batch"):
        queryset = queryset.filter(city__batch__in=filters["batch"])
    if filters.get("tag"):
        queryset = queryset.filter(tags__name=filters["tag"])
    # Joins through many-to-many filters can repeat a page.
    return queryset.distinct()


def filter_technologies(queryset, filters: dict):
    if filters.get("waste"):
        queryset = queryset.filter(
            waste_categories__in=taxonomy_cache.waste_descendant_ids(filters["waste"])
        )
    if filters.get("maturity"):
        queryset = queryset.filter(maturity=filters["maturity"])
    if filters.get("tag"):
        queryset = queryset.filter(tags__name=filters["tag"])
    return queryset.distinct()


def cities_by_macro_region():
    """Public city pages grouped under 东部/中部/西部/东北, each with its public case count."""
    cities = listing_queryset(CityPage).annotate(
        case_count=Count(
            "case_pages", filter=Q(case_pages__live=True, case_pages__view_restrictions=None)
        )
    )
    groups = {value: [] for value, _ in Region.MacroRegion.choices}
    for city in cities:
        groups.setdefault(city.region.province.macro_region or "", []).append(city)
    return [(label, groups[value]) for value, label in Region.MacroRegion.choices if groups[value]]


def home_page_context() -> dict:
    public_cases = public_pages(CasePage)
    root_categories = WasteCategory.objects.filter(parent=None).order_by("sort_order")
    descendant_counts = []
    for category in root_categories:
        ids = taxonomy_cache.waste_descendant_ids([category])
        count = public_cases.filter(waste_categories__in=ids).distinct().count()
        descendant_counts.append((category, count))
    return {
        "latest_cases": listing_queryset(CasePage)[:6],
        "waste_entry_points": descendant_counts,
        "governance_models": GovernanceModel.objects.annotate(
            case_count=Count(
                "cases",
                filter=Q(cases__live=True, cases__view_restrictions=None),
            )
        ).order_by("sort_order"),
        "city_groups": cities_by_macro_region(),
        "counts": {
            "cases": public_cases.count(),
            "technologies": public_pages(TechnologyPage).count(),
            "cities": public_pages(CityPage).count(),
            "standards": public_pages(StandardPage).count(),
        },
    }

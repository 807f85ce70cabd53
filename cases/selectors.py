"""Read-side queries of the content: listings, filters and the home page figures.

Every listing goes through `listing_queryset`, which keeps drafts and private pages out and
loads related rows in a fixed number of queries however long the list is.
"""

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce, TruncDate
from wagtail.models import PageViewRestriction

from cases import taxonomy_cache
from cases.models import (
    CasePage,
    CityPage,
    GovernanceModel,
    Region,
    StandardPage,
    TechnologyPage,
)
from cases.stamps import content, stamped

# Newest first by the page's date (PageDateMixin.page_date: the source's date, else the first
# publication here), the same on SQLite and PostgreSQL (which would put NULLs first).
NEWEST_FIRST = (
    Coalesce("published_date", TruncDate("first_published_at")).desc(nulls_last=True),
    "-first_published_at",
    "path",
)


@stamped(content)
def _restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction (their subtrees are private); kept per
    process under the exact public-content stamp, which every restriction change bumps."""
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def public_pages(model):
    """Live pages of `model` that anonymous visitors may see (no drafts, no private pages).
    The same rule as Wagtail's `.public()`, without its restriction query on every call."""
    queryset = model.objects.live()
    private = Q()
    for path in _restricted_paths():
        private |= Q(path__startswith=path)
    return queryset.exclude(private) if private else queryset


_TERMS = {
    "governance_model": taxonomy_cache.governance_models,
    "batch": taxonomy_cache.pilot_batches,
    "region": taxonomy_cache.regions,
}


def attach_terms(page, *fields) -> None:
    """Set the page's taxonomy foreign keys from the in-process taxonomy lookups, so the
    template's `page.region`, `page.batch`… cost no query."""
    for name in fields:
        term = _TERMS[name]().get(getattr(page, f"{name}_id"))
        if term is not None:
            page._meta.get_field(name).set_cached_value(page, term)


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


def cases_per_root_category(cases) -> list[tuple]:
    """(root category, number of `cases` filed under it or anything below it), in the
    taxonomy's order: one query over the case–category links, whatever the number of roots."""
    links = CasePage.waste_categories.through.objects.filter(casepage__in=cases.values("pk"))
    categories = taxonomy_cache.waste_categories()
    cases_under: dict[int, set[int]] = {}
    for case_id, category_id in links.values_list("casepage_id", "wastecategory_id"):
        category = categories.get(category_id)
        if category is not None:
            root = taxonomy_cache.waste_ancestors(category)[-1]
            cases_under.setdefault(root.pk, set()).add(case_id)
    roots = sorted(
        (c for c in categories.values() if c.parent_id is None),
        key=lambda c: (c.sort_order, c.code, c.name),
    )
    return [(root, len(cases_under.get(root.pk, ()))) for root in roots]


def home_page_context() -> dict:
    public_cases = public_pages(CasePage)
    return {
        "latest_cases": listing_queryset(CasePage)[:6],
        "waste_entry_points": cases_per_root_category(public_cases),
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

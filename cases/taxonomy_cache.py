"""In-process lookups over the (small, rarely changing) taxonomies.

Built once per process and rebuilt when the shared taxonomy stamp changes (`clear()` bumps it, in
whichever process the change happened; see cases/stamps.py).
"""

from cases.models import GovernanceModel, PilotBatch, Region, TreatmentStage, WasteCategory
from cases.stamps import stamped, taxonomy

cache = stamped(taxonomy)


@cache
def waste_categories() -> dict[int, WasteCategory]:
    return {c.pk: c for c in WasteCategory.objects.all()}


@cache
def regions() -> dict[int, Region]:
    return {r.pk: r for r in Region.objects.select_related("parent")}


@cache
def governance_models() -> dict[int, GovernanceModel]:
    return {m.pk: m for m in GovernanceModel.objects.all()}


@cache
def pilot_batches() -> dict[int, PilotBatch]:
    return {b.pk: b for b in PilotBatch.objects.all()}


@cache
def treatment_stages() -> list[TreatmentStage]:
    return list(TreatmentStage.objects.order_by("sort_order"))


def clear() -> None:
    """A term changed: every process rebuilds its lookups (and the search vocabulary)."""
    taxonomy.bump()


def waste_descendant_ids(roots) -> set[int]:
    """Ids of the given categories and everything below them."""
    by_parent: dict[int | None, list[int]] = {}
    for category in waste_categories().values():
        by_parent.setdefault(category.parent_id, []).append(category.pk)
    found, stack = set(), [c.pk for c in roots]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(by_parent.get(pk, []))
    return found


def waste_ancestors(category: WasteCategory) -> list[WasteCategory]:
    """The category and its ancestors, nearest first."""
    lookup = waste_categories()
    chain, node = [], lookup.get(category.pk, category)
    while node is not None and node not in chain:
        chain.append(node)
        node = lookup.get(node.parent_id)
    return chain


def region_ids_for(values) -> set[int]:
    """Regions filed under any of `values` (a code, a province code, a cluster or 东/中/西部)."""
    wanted = set(values)
    return {pk for pk, region in regions().items() if wanted.intersection(region.facet_values())}


@cache
def known_region_values() -> frozenset[str]:
    values = set()
    for region in regions().values():
        values.update(region.facet_values())
    return frozenset(values)

"""The content's sections of the statistics page: cases by waste category, governance model,
province and batch (public pages only). Registered like any app's (see statistics.py)."""

from django.db.models import Count

from cases.models import CasePage, GovernanceModel, PilotBatch, WasteCategory
from cases.selectors import public_pages

from .selectors import city_infos


def _public_cases():
    return public_pages(CasePage)


def cases_by_waste_category() -> dict:
    counts = _counts_by("waste_categories")
    rows = [
        (str(c), counts[c.pk])
        for c in WasteCategory.objects.order_by("sort_order", "code", "name")
        if counts.get(c.pk)
    ]
    return {
        "key": "cases-by-waste",
        "title": "试点经验（按废物类别）",
        "label": "废物类别",
        "rows": rows,
        "note": "一条经验可涉及多个类别。",
        "order": 10,
    }


def _counts_by(field: str) -> dict:
    return dict(
        _public_cases()
        .order_by()  # the default ordering (path) would split the groups
        .values_list(field)
        .annotate(n=Count("pk", distinct=True))
        .values_list(field, "n")
    )


def cases_by_governance_model() -> dict:
    counts = _counts_by("governance_model")
    rows = [
        (m.name, counts.get(m.pk, 0))
        for m in GovernanceModel.objects.order_by("sort_order", "name")
    ]
    return {
        "key": "cases-by-model",
        "title": "试点经验（按治理模式）",
        "label": "治理模式",
        "rows": rows,
        "order": 20,
    }


def cases_by_region() -> dict:
    per_city = _counts_by("city")
    counts: dict[tuple[str, str], int] = {}
    for city in city_infos().values():
        key = (city.province_code, city.province)
        counts[key] = counts.get(key, 0) + per_city.get(city.pk, 0)
    rows = [(name, n) for (_, name), n in sorted(counts.items())]
    return {
        "key": "cases-by-region",
        "title": "试点经验（按省份）",
        "label": "省份",
        "rows": rows,
        "order": 30,
    }


def cases_by_batch() -> dict:
    counts = _counts_by("city__batch")
    rows = [(b.name, counts.get(b.pk, 0)) for b in PilotBatch.objects.order_by("year")]
    return {
        "key": "cases-by-batch",
        "title": "试点经验（按试点批次）",
        "label": "试点批次",
        "rows": rows,
        "order": 40,
    }


STATISTICS = [cases_by_waste_category, cases_by_governance_model, cases_by_region, cases_by_batch]

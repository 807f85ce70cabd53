"""Sections this app adds to the statistics page (indicators/statistics.py reads STATISTICS
from every installed app's `stats` module; no import of that app is needed here)."""

from django.db.models import Count, Q

from cases.models import WasteCategory

from .models import BoardPost

_PUBLIC = Q(status=BoardPost.Status.APPROVED)


def board_posts_by_category() -> dict:
    """Published needs and capacities by waste category (pending or rejected posts never count)."""
    counts = dict(
        BoardPost.objects.filter(_PUBLIC)
        .order_by()  # the default ordering would split the groups
        .values_list("waste_categories")
        .annotate(n=Count("pk", distinct=True))
        .values_list("waste_categories", "n")
    )
    rows = [
        (str(c), counts[c.pk])
        for c in WasteCategory.objects.order_by("sort_order", "code", "name")
        if counts.get(c.pk)
    ]
    return {
        "key": "board-by-category",
        "title": "供需信息（按废物类别）",
        "label": "废物类别",
        "rows": rows,
        "note": "只统计已发布的需求和能力信息；一条信息可涉及多个类别。",
        "order": 50,
    }


STATISTICS = [board_posts_by_category]

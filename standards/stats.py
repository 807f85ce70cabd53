"""Sections this app adds to the statistics page (indicators/statistics.py reads STATISTICS from
every installed app's `stats` module; neither app imports the other)."""

from standards.models import Cell
from standards.selectors import cell_counts_by_city, cell_counts_by_type

_NOTE = "只统计名录中有效的无废细胞（已过期、已撤销的不计）。"


def _valid_cells():
    return Cell.objects.filter(status=Cell.Status.VALID)


def cells_by_type() -> dict:
    return {
        "key": "cells-by-type",
        "title": "无废细胞（按类型）",
        "label": "细胞类型",
        "rows": [(r["label"], r["count"]) for r in cell_counts_by_type(_valid_cells())],
        "note": _NOTE,
        "order": 60,
    }


def cells_by_city() -> dict:
    return {
        "key": "cells-by-city",
        "title": "无废细胞（按城市）",
        "label": "城市",
        "rows": [(r["city"], r["count"]) for r in cell_counts_by_city(_valid_cells())],
        "note": _NOTE,
        "order": 61,
    }


STATISTICS = [cells_by_type, cells_by_city]

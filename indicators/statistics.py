"""The statistics page's sections, from a registry other apps add to without this app
importing them: any installed app may have a module `stats.py` with a list `STATISTICS` of
functions, each returning a section as a plain dict::

    {"key": "cells-by-type", "title": "无废细胞（按类型）", "label": "类型",
     "rows": [("学校", 120), …], "note": "…", "order": 60}

Rows are (label, count); only public records may be counted."""

from importlib import import_module

from django.apps import apps


def section_functions() -> list:
    """Every registered section function, from every installed app's `stats` module."""
    functions = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.stats")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.stats":
                raise
            continue
        functions.extend(getattr(module, "STATISTICS", []))
    return functions


def sections() -> list[dict]:
    built = [fn() for fn in section_functions()]
    for section in built:
        section.setdefault("note", "")
        section["total"] = sum(n for _, n in section["rows"])
    return sorted(built, key=lambda s: (s.get("order", 100), s["key"]))


def section(key: str) -> dict | None:
    return next((s for s in sections() if s["key"] == key), None)

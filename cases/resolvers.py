"""Resolve the names people write (名称, 简称/别名, 代码, slug) to taxonomy terms and cities.

Each lookup builds a name index. Outside a `cached()` block the index is built on every call
(always current); inside one — an import of thousands of rows — each index is built once and
reused, and `invalidate()` drops it when the import itself adds a term or a city.
"""

import contextlib
import contextvars
import difflib

from taggit.models import Tag

from cases import taxonomy_cache
from cases.models import CityPage, GovernanceModel, Region, TechnologyPage


class UnknownTerm(ValueError):
    """A name that matches no term; carries close matches to suggest."""

    def __init__(self, kind: str, value: str, suggestions: list[str]):
        self.kind, self.value, self.suggestions = kind, value, suggestions
        hint = f"；是否指：{'、'.join(suggestions)}" if suggestions else ""
        super().__init__(f"未知的{kind}“{value}”{hint}")


_scope: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "resolver_indexes", default=None
)


@contextlib.contextmanager
def cached():
    """Reuse each name index for the duration of the block (nested blocks share it)."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def invalidate(kind: str | None = None) -> None:
    """Forget a cached index (`"city"`, `"waste"`, `"model"`, `"region"`) or all of them."""
    indexes = _scope.get()
    if indexes is not None:
        if kind is None:
            indexes.clear()
        else:
            indexes.pop(kind, None)


def _index(terms, names_of) -> dict[str, object]:
    index = {}
    for term in terms:
        for name in names_of(term):
            if name:
                index.setdefault(str(name).casefold(), term)
    return index


def _get_index(kind: str, build) -> dict[str, object]:
    indexes = _scope.get()
    if indexes is None:
        return build()
    if kind not in indexes:
        indexes[kind] = build()
    return indexes[kind]


def _lookup(kind: str, value: str, index: dict[str, object]):
    key = str(value).strip().casefold()
    if key in index:
        return index[key]
    suggestions = difflib.get_close_matches(key, list(index), n=3, cutoff=0.5)
    raise UnknownTerm(kind, str(value), suggestions)


_notes: contextvars.ContextVar[list | None] = contextvars.ContextVar("resolver_notes", default=None)


@contextlib.contextmanager
def noting():
    """Collect, for the block (one import row), the names resolved by a guess the report must
    show (玻璃 → 废玻璃)."""
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


EVERYDAY_FORMS = ("废{}", "废旧{}", "{}废物", "{}废弃物", "{}垃圾")


def _everyday_candidates(value: str) -> list:
    """Categories an everyday short name stands for: those with a name 废{value} / 废旧{value} /
    {value}废物 / {value}废弃物 / {value}垃圾, or a name ending in it (电池: 废电池 and 废铅蓄电池)."""
    value = value.strip()
    if len(value) < 2:
        return []
    forms = {form.format(value) for form in EVERYDAY_FORMS}
    return [
        c
        for c in taxonomy_cache.waste_categories().values()
        if any(n in forms or (n.endswith(value) and n != value) for n in c.all_names())
    ]


def waste_category(value: str):
    """A category by name, alias, HW code or slug; an unambiguous everyday short name resolves
    too (noted for the report); an ambiguous one is an error listing the candidates."""
    index = _get_index(
        "waste",
        lambda: _index(
            taxonomy_cache.waste_categories().values(), lambda c: [*c.all_names(), c.slug]
        ),
    )
    try:
        return _lookup("废物类别", value, index)
    except UnknownTerm as unknown:
        candidates = _everyday_candidates(str(value))
        if len(candidates) != 1:
            raise UnknownTerm(
                "废物类别", str(value), [c.name for c in candidates][:5] or unknown.suggestions
            ) from None
    category = candidates[0]
    notes = _notes.get()
    if notes is not None:
        notes.append(f"废物类别“{value}”按“{category.name}”导入")
    return category


def governance_model(value: str):
    index = _get_index(
        "model",
        lambda: _index(GovernanceModel.objects.all(), lambda m: [*m.all_names(), m.slug]),
    )
    return _lookup("治理模式", value, index)


def _city_index() -> dict[str, object]:
    pages = CityPage.objects.select_related("region")
    return _index(
        pages,
        lambda p: [
            p.title,
            p.slug,
            p.admin_code,
            p.region.code if p.kind == CityPage.Kind.CITY else "",
        ],
    )


def city(value: str) -> CityPage:
    return _lookup("城市", value, _get_index("city", _city_index))


def region(value: str) -> Region:
    """A province- or prefecture-level region by name, 简称 or GB/T 2260 code."""
    index = _get_index(
        "region", lambda: _index(taxonomy_cache.regions().values(), lambda r: r.all_names())
    )
    return _lookup("行政区", value, index)


def technology(external_id: str) -> TechnologyPage | None:
    """A technology page by its external_id (None if there is none); inside `cached()` one
    query for the whole import (`invalidate("technology")` when the import adds one)."""
    index = _get_index(
        "technology",
        lambda: {
            p.external_id: p for p in TechnologyPage.objects.exclude(external_id="").order_by("pk")
        },
    )
    return index.get(str(external_id).strip())


def _existing_tags(names: list[str]) -> dict[str, Tag]:
    """The tags with these names that exist. Inside `cached()` a tag found in the database is
    remembered for the rest of the import (one query for a row whose tags are all known:
    none); a tag created by the import is not (the row's savepoint may roll it back)."""
    known = _get_index("tag", dict)
    missing = [name for name in dict.fromkeys(names) if name not in known]
    if missing:
        known.update((tag.name, tag) for tag in Tag.objects.filter(name__in=missing))
    return {name: known[name] for name in names if name in known}


def tags_exist(names: list[str]) -> bool:
    """Whether every one of these tags exists (so `tags(names)` would write nothing)."""
    return len(_existing_tags(names)) == len(set(names))


def tags(names: list[str]) -> list[Tag]:
    """The tags with these names, in order; missing ones are created (see _existing_tags)."""
    found = _existing_tags(names)
    for name in names:
        if name not in found:
            found[name], _ = Tag.objects.get_or_create(name=name)
    return list(dict.fromkeys(found[name] for name in names))

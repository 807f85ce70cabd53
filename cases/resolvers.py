"""Resolve the names people write (名称, 简称/别名, 代码, slug) to taxonomy terms and cities."""

import difflib

from cases import taxonomy_cache
from cases.models import CityPage, GovernanceModel


class UnknownTerm(ValueError):
    """A name that matches no term; carries close matches to suggest."""

    def __init__(self, kind: str, value: str, suggestions: list[str]):
        self.kind, self.value, self.suggestions = kind, value, suggestions
        hint = f"；是否指：{'、'.join(suggestions)}" if suggestions else ""
        super().__init__(f"未知的{kind}“{value}”{hint}")


def _index(terms, names_of) -> dict[str, object]:
    index = {}
    for term in terms:
        for name in names_of(term):
            index.setdefault(name.casefold(), term)
    return index


def _lookup(kind: str, value: str, index: dict[str, object]):
    key = str(value).strip().casefold()
    if key in index:
        return index[key]
    suggestions = difflib.get_close_matches(key, list(index), n=3, cutoff=0.5)
    raise UnknownTerm(kind, str(value), suggestions)


def waste_category(value: str):
    index = _index(taxonomy_cache.waste_categories().values(), lambda c: [*c.all_names(), c.slug])
    return _lookup("废物类别", value, index)


def governance_model(value: str):
    index = _index(GovernanceModel.objects.all(), lambda m: [*m.all_names(), m.slug])
    return _lookup("治理模式", value, index)


def city(value: str) -> CityPage:
    pages = CityPage.objects.select_related("region")
    index = _index(
        pages,
        lambda p: [
            p.title,
            p.slug,
            p.admin_code,
            p.region.code if p.kind == CityPage.Kind.CITY else "",
        ],
    )
    index.pop("", None)
    return _lookup("城市", value, index)

"""The list and detail endpoints every resource has, made by one function.

A resource declares what differs — its path, schemas, filter schema, querysets, serializers and
where its Last-Modified comes from — and `list_and_detail` adds the two GET operations with the
shared behaviour: unknown parameters refused, the list envelope with paging, 404 for what is
missing or not public, Last-Modified on every answer. The operations keep the names (and so the
OpenAPI operation ids) they had as hand-written functions in the resource's module.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from ninja import Path, Query, Router, Schema

from api.common import (
    Paging,
    check_parameters,
    detail_responses,
    list_responses,
    paginate,
    set_last_modified,
)


@dataclass(frozen=True)
class Key:
    """The path parameter that names one item: its name, type, ninja parameter (default) and
    the model field it is looked up by."""

    name: str
    annotation: Any
    default: Any = inspect.Parameter.empty
    lookup: str = ""

    @property
    def field(self) -> str:
        return self.lookup or self.name


def slug_key(name: str = "slug") -> Key:
    return Key(name, Path[str])


def _no_date(_):
    return None


def _operation(module: str, name: str, parameters: list[inspect.Parameter], body: Callable):
    """A view function with the given signature (ninja reads parameters from it) whose
    operation id stays `<module>_<name>` as it was for a function written in `module`."""

    def view(request, response, **kwargs):
        return body(request, response, **kwargs)

    view.__name__ = view.__qualname__ = name
    view.__module__ = module
    view.__signature__ = inspect.Signature(
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                "response", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpResponse
            ),
            *parameters,
        ]
    )
    return view


def _keyword(name: str, annotation, default=inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def list_and_detail(
    router: Router,
    *,
    module: str,
    path: str,
    names: tuple[str, str],
    summaries: tuple[str, str],
    schemas: tuple[type[Schema], type[Schema]],
    items: Callable,
    serialize: Callable,
    detail_items: Callable | None = None,
    serialize_detail: Callable | None = None,
    filters: type[Schema] | None = None,
    key: Key | None = None,
    description: str | None = None,
    list_modified: Callable = _no_date,
    detail_modified: Callable = _no_date,
    dated: bool = True,
) -> None:
    """Add `GET {path}` (a page of `items(request, filters)`, each through `serialize`) and
    `GET {path}{{key}}/` (the item of `detail_items()` with that key, through
    `serialize_detail`). `names` and `summaries` are (list, detail); `schemas` are the list
    envelope and the detail item. `list_modified(queryset)` and `detail_modified(item)` give
    the content's own date for Last-Modified (the page and snippet logs always count); data
    without dates (`dated=False`) sends no Last-Modified, only the ETag."""
    key = key or slug_key()
    detail_items = detail_items or (lambda: items(None, None))
    serialize_detail = serialize_detail or serialize
    list_schema, detail_schema = schemas
    list_schemas = [filters, Paging] if filters else [Paging]

    def list_body(request, response, filters=None, paging=None):
        check_parameters(request, *list_schemas)
        queryset = items(request, filters)
        if dated:
            set_last_modified(response, list_modified(queryset))
        return paginate(request, queryset, paging, serialize)

    def detail_body(request, response, **kwargs):
        check_parameters(request)
        item = detail_items().filter(**{key.field: kwargs[key.name]}).first()
        if item is None:
            raise Http404
        if dated:
            set_last_modified(response, detail_modified(item))
        return serialize_detail(item, request)

    list_parameters = [_keyword("paging", Query[Paging])]
    if filters:
        list_parameters.insert(0, _keyword("filters", Query[filters]))
    router.get(
        path,
        response=list_responses(list_schema),
        summary=summaries[0],
        description=description,
    )(_operation(module, names[0], list_parameters, list_body))
    router.get(
        f"{path}{{{key.name}}}/",
        response=detail_responses(detail_schema),
        summary=summaries[1],
    )(_operation(module, names[1], [_keyword(key.name, key.annotation, key.default)], detail_body))

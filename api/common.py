"""What every API resource shares: paging and the list envelope, 400s that name the parameter,
absolute links and the Last-Modified of the content."""

from datetime import datetime

from django.conf import settings
from django.utils.http import http_date
from ninja import Field, Schema
from pydantic import field_validator
from wagtail.models import ModelLogEntry, PageLogEntry

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
# Values of one repeatable filter parameter (as /api/search/ allows).
MAX_VALUES = 20


class BadParameter(Exception):
    """A bad request parameter: HTTP 400 with {"error": message, "parameter": name}."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


class Error(Schema):
    error: str = Field(description="错误说明（中文）")
    parameter: str | None = Field(None, description="出错的参数名")


class Filters(Schema):
    """Base of the filter parameter schemas: an empty value means "not filtered", as in the
    listing pages' forms (their selects submit `maturity=` for 全部)."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value, info):
        if value == "":
            return cls.model_fields[info.field_name].get_default()
        return value


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数（1–{MAX_PAGE_SIZE}）"
    )


class Envelope(Schema):
    """Fields of every list response; each resource adds `results`."""

    count: int = Field(description="符合条件的总条数")
    page: int
    page_size: int
    next: str | None = Field(description="下一页的地址，没有则为 null")
    previous: str | None = Field(description="上一页的地址，没有则为 null")


class Ref(Schema):
    """A taxonomy term as other resources cite it."""

    slug: str
    name: str


def error_responses(*codes: int) -> dict:
    return {code: Error for code in codes}


def list_responses(schema) -> dict:
    return {200: schema, 304: None, **error_responses(400, 429)}


def detail_responses(schema) -> dict:
    return {200: schema, 304: None, **error_responses(400, 404, 429)}


def check_parameters(request, *schemas) -> None:
    """Unknown parameters are refused, as on /api/search/: a typo must not silently widen the
    result."""
    known = {name for schema in schemas for name in schema.model_fields}
    for name in request.GET:
        if name not in known:
            raise BadParameter(name, f"未知参数：{name}")


def cleaned_filters(form_class, request) -> dict:
    """The listing page's own filter form validates the same parameters, so the API accepts
    and means exactly what the page does; its first error becomes the 400."""
    form = form_class(request.GET)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise BadParameter(name, str(errors[0]))
    return form.cleaned_data


def absolute(path: str) -> str:
    return f"{settings.SITE_BASE_URL}{path}"


def page_link(page, request) -> str:
    """The public address of a page (Wagtail resolves the path; the host comes from settings)."""
    return absolute(page.get_url(request=request) or "")


def _query_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return absolute(f"{request.path}?{query.urlencode()}")


def paginate(request, items, paging: Paging, serialize) -> dict:
    """The list envelope for one page of the queryset `items`, each item serialized."""
    count = items.count()
    start = (paging.page - 1) * paging.page_size
    chunk = list(items[start : start + paging.page_size])
    last = max(1, -(-count // paging.page_size))
    return {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "next": _query_link(request, paging.page + 1) if paging.page < last else None,
        "previous": _query_link(request, min(paging.page - 1, last)) if paging.page > 1 else None,
        "results": [serialize(item, request) for item in chunk],
    }


def content_last_modified(*dates: datetime | None) -> datetime | None:
    """When the public content last changed: the latest page action (publish, unpublish, move,
    privacy), the latest admin edit of a snippet (taxonomy) and the given pages' own dates.
    An unpublished page leaves no date behind in the list, so the action logs are counted too."""
    candidates = [d for d in dates if d is not None]
    for log in (PageLogEntry, ModelLogEntry):
        latest = log.objects.order_by("-timestamp").values_list("timestamp", flat=True).first()
        if latest is not None:
            candidates.append(latest)
    return max(candidates) if candidates else None


def set_last_modified(response, *dates: datetime | None) -> None:
    when = content_last_modified(*dates)
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())

"""The public read-only API, /api/v1/ (django-ninja: OpenAPI 3 from the pydantic schemas the
responses are validated against, and it ships with Wagtail 8 already).

Every operation: GET only, public content only, 400 naming the parameter for bad input,
ETag/Last-Modified with conditional GET (304), a per-address rate limit, CORS (settings)."""

import hashlib
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import conditional_page
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle

from api import downloads, search_contract
from api.common import BadParameter
from api.resources import RESOURCES
from cases import taxonomy_cache

DESCRIPTION = """无废城市试点交流平台的开放数据接口：试点经验、技术、无废细胞标准、试点城市、策略与数据和分类目录。

* 只读（GET），只含已发布且公开的内容；不含联系人信息。
* 列表分页：`page`、`page_size`（最多 100）；响应含 `count`、`next`、`previous`。
* 筛选参数与网站栏目页相同；不同参数之间为“且”，同一参数的多个值为“或”。
* 参数错误返回 HTTP 400：`{"error": "…", "parameter": "参数名"}`。
* 每个响应带 `ETag` 与 `Last-Modified`；带 `If-None-Match` / `If-Modified-Since` 的请求在内容未变时得到 304。
* 每个地址的请求次数有上限，超出返回 429 与 `Retry-After`。
* 检索接口 `/api/search/` 与 `/api/search/autocomplete/` 也在本说明中。"""


class AddressThrottle(AnonRateThrottle):
    """Ninja's anonymous throttle with the address hashed, so the cache holds no IP addresses."""

    def allow_request(self, request):
        # The rate is read per request, so a settings change (tests, a reload) takes effect;
        # an empty rate turns the limit off (the contract test's server).
        if not settings.API_RATE_LIMIT:
            return True
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        ident = hashlib.sha256(
            f"{settings.SECRET_KEY}:{self.get_ident(request)}".encode()
        ).hexdigest()[:32]
        return self.cache_format % {"scope": "api-v1", "ident": ident}


class ChineseJSONRenderer(JSONRenderer):
    # Readable Chinese in the body, as /api/search/ does.
    json_dumps_params = {"ensure_ascii": False}


# Chinese messages for the validation errors the parameter schemas can raise (pydantic types).
VALIDATION_MESSAGES = {
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "string_too_long": "不能超过 {max_length} 个字符",
    "too_long": "最多 {max_length} 个值",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
}


def head_as_get(view):
    """HEAD answers as GET does (status, headers, validators) without the body. The operations
    are declared GET only, so the OpenAPI description lists each once."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"
        if not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapper


class PublicAPI(NinjaAPI):
    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = head_as_get(pattern.callback)
        return patterns

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["paths"].update(search_contract.search_paths())
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in search_contract.SCHEMAS:
            body = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(body.pop("$defs", {}))
            components[model.__name__] = body
        _taxonomy_values(schema)
        return schema


def _taxonomy_values(schema) -> None:
    """The allowed values of the taxonomy parameters, from the database when the description
    is generated (editors add terms in the admin)."""
    values = {
        "waste": sorted(c.slug for c in taxonomy_cache.waste_categories().values()),
        "model": sorted(m.slug for m in taxonomy_cache.governance_models().values()),
        "batch": sorted(b.slug for b in taxonomy_cache.pilot_batches().values()),
        "region": sorted(taxonomy_cache.known_region_values()),
    }
    for path in schema["paths"].values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in values:
                    items = parameter["schema"].setdefault("items", {"type": "string"})
                    items["enum"] = values[parameter["name"]]


api = PublicAPI(
    title="无废城市试点交流平台开放数据接口",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
    throttle=AddressThrottle(settings.API_RATE_LIMIT or "1/s"),
    renderer=ChineseJSONRenderer(),
)
for resource in RESOURCES:
    api.add_router("/", resource.router)
api.add_router("/", downloads.router_for([r.dataset for r in RESOURCES if hasattr(r, "dataset")]))
# ETag from the response body and 304s for If-None-Match / If-Modified-Since (Django's
# ConditionalGetMiddleware, applied to the API views only).
api.add_decorator(conditional_page, mode="view")


def _error(request, status, message, parameter=None):
    body = {"error": message}
    if parameter is not None:
        body["parameter"] = parameter
    return api.create_response(request, body, status=status)


@api.exception_handler(BadParameter)
def bad_parameter(request, exc):
    return _error(request, 400, exc.message, exc.name)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", []) if part not in ("query", "path")]
    # Query schemas nest under their argument name (filters, paging): the parameter is last.
    parameter = next((p for p in reversed(location) if not p.isdigit()), "")
    template = VALIDATION_MESSAGES.get(first.get("type", ""))
    try:
        message = template.format(**first.get("ctx", {})) if template else first.get("msg", "")
    except (KeyError, IndexError):
        message = first.get("msg", "")
    return _error(request, 400, f"参数 {parameter} 无效：{message}", parameter)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "没有找到（不存在、未发布或不公开）")


@api.exception_handler(Throttled)
def throttled(request, exc):
    response = _error(request, 429, "请求过于频繁，请稍后再试")
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


_cached_answer_throttle = AddressThrottle(settings.API_RATE_LIMIT or "1/s")


def throttle_cached_answer(request):
    """The page cache (PAGE_CACHE_HIT_CHECKS) answers a kept API response without calling the
    view, so the address's allowance is counted here, as the view's own throttle would: a kept
    answer does not lift the rate limit. Returns the 429 answer, or None to serve the hit."""
    if not request.path_info.startswith(reverse(f"{api.urls_namespace}:api-root")):
        return None
    if _cached_answer_throttle.allow_request(request):
        return None
    return throttled(request, Throttled(_cached_answer_throttle.wait()))


@api.exception_handler(HttpError)
def http_error(request, exc):
    return _error(request, exc.status_code, str(exc))

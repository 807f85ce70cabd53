"""/search/ (HTML) and /api/search/ (JSON) over the same service; bad parameters are 400s that
name the parameter."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe

from search import service
from search.query import InvalidParameter, parse_params

# Lazy: each request shows them in its own language.
FACET_TITLES = {
    "type": _("内容类型"),
    "waste": _("废物类别"),
    "region": _("地区"),
    "model": _("治理模式"),
    "batch": _("试点批次"),
    "tag": _("标签"),
    "year": _("年份"),
    "cell_type": _("细胞类型"),
}


@require_safe
def search_api(request):
    try:
        params = parse_params(request.GET)
    except InvalidParameter as error:
        return JsonResponse({"error": error.message, "parameter": error.name}, status=400)
    response = service.search(params)
    return JsonResponse(response.as_json(), json_dumps_params={"ensure_ascii": False})


@require_safe
def autocomplete_api(request):
    q = request.GET.get("q", "").strip()
    if len(q) > 50:
        return JsonResponse({"error": "检索词不能超过 50 个字符", "parameter": "q"}, status=400)
    return JsonResponse(
        {"suggestions": service.autocomplete(q)}, json_dumps_params={"ensure_ascii": False}
    )


def _page_url(request, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


@require_GET
def search_page(request):
    context = {"query_text": request.GET.get("q", "")[:200], "facet_titles": FACET_TITLES}
    try:
        params = parse_params(request.GET)
    except InvalidParameter as error:
        context["error"] = error
        return render(request, "search/search.html", context, status=400)
    context["params"] = params
    if params.q or params.filters:
        response = service.search(params)
        selected = params.filters
        context["response"] = response
        context["facet_groups"] = [
            (
                name,
                FACET_TITLES[name],
                [
                    dict(option, checked=option["value"] in selected.get(name, []))
                    for option in options
                ],
            )
            for name, options in response.facets.items()
            if options
        ]
        last_page = max(1, (response.total + params.page_size - 1) // params.page_size)
        context["pages"] = {
            "last": last_page,
            "previous": _page_url(request, page=params.page - 1) if params.page > 1 else "",
            "next": _page_url(request, page=params.page + 1) if params.page < last_page else "",
        }
        context["sort_urls"] = {
            "relevance": _page_url(request, sort="relevance", page=1),
            "newest": _page_url(request, sort="newest", page=1),
        }
        for suggestion in response.suggestions:
            suggestion.setdefault("url", "?" + urlencode({"q": suggestion["text"]}))
    return render(request, "search/search.html", context)

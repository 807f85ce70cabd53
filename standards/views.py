"""Public pages of the cell layer: self-assessment and its private result, comparison,
applications and the register (with downloads)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cases.models import StandardPage
from standards import comparison, exports, forms, selectors, services
from standards.models import Application, SelfAssessment

REGISTER_PAGE_SIZE = 50
MAX_COMPARED = 4
RELATED_PER_INDICATOR = 3


def _standard_or_404(page_id):
    standard = selectors.public_standard(page_id)
    if standard is None or not standard.dimensions:
        raise Http404("没有可自评的标准")
    return standard


@require_http_methods(["GET", "POST"])
def assess(request, page_id):
    standard = _standard_or_404(page_id)
    form = forms.SelfAssessmentForm(standard, request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = services.save_assessment(standard, form.answers, form.result)
        return redirect("standards:assessment", token=assessment.token)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "standards/assess.html", {"standard": standard, "form": form}, status=status
    )


def _related(indicator_name: str) -> list[dict]:
    """Cases and technologies the exchange search finds for a weak indicator."""
    from search.query import SearchParams
    from search.service import search

    response = search(
        SearchParams(
            q=indicator_name, types=["case", "technology"], page_size=RELATED_PER_INDICATOR
        )
    )
    return response.results


def assessment(request, token):
    saved = get_object_or_404(SelfAssessment.objects.select_related("standard"), token=token)
    result = saved.result
    lost = [i for i in result["indicators"] if float(i["score"]) < float(i["max_score"])]
    lost.sort(
        key=lambda i: (float(i["score"]) / float(i["max_score"] or 1), -float(i["max_score"]))
    )
    weakest = [{**i, "related": _related(i["name"])} for i in lost[:5]]
    response = render(
        request,
        "standards/assessment.html",
        {"saved": saved, "standard": saved.standard, "result": result, "weakest": weakest},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def compare(request):
    ids = request.GET.getlist("ids")
    cell_type = request.GET.get("cell_type", "")
    if cell_type and cell_type not in StandardPage.CellType.values:
        return HttpResponseBadRequest("cell_type：未知的细胞类型")
    try:
        ids = list(dict.fromkeys(int(i) for i in ids))
    except ValueError:
        return HttpResponseBadRequest("ids：应为标准编号")
    if len(ids) > MAX_COMPARED:
        return HttpResponseBadRequest(f"ids：最多同时对比 {MAX_COMPARED} 项标准")
    chosen = list(selectors.public_standards().filter(pk__in=ids))
    chosen.sort(key=lambda s: ids.index(s.pk))
    if len(chosen) != len(ids):
        return HttpResponseBadRequest("ids：标准不存在或未公开")
    types = {s.cell_type for s in chosen}
    if len(types) > 1:
        return HttpResponseBadRequest("ids：只能对比同一细胞类型的标准")
    cell_type = cell_type or (types.pop() if types else "")
    candidates = selectors.comparable_standards(cell_type) if cell_type else []
    result = comparison.compare(chosen) if len(chosen) >= 2 else None
    return render(
        request,
        "standards/compare.html",
        {
            "chosen": chosen,
            "chosen_ids": [s.pk for s in chosen],
            "candidates": candidates,
            "cell_type": cell_type,
            "cell_types": StandardPage.CellType.choices,
            "comparison": result,
        },
    )


@require_http_methods(["GET", "POST"])
def apply(request, page_id):
    standard = _standard_or_404(page_id)
    token = request.GET.get("assessment") or request.POST.get("assessment") or ""
    saved = SelfAssessment.objects.filter(token=token, standard=standard).first() if token else None
    form = forms.ApplicationForm(standard, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        application = services.submit_application(
            standard, form.cleaned_data, form.cleaned_data["evidence"], saved
        )
        return redirect("standards:application", token=application.token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "standards/apply.html",
        {"standard": standard, "form": form, "saved": saved},
        status=status,
    )


def application(request, token):
    """The applicant's private status page (its link is the key; no contact data shown)."""
    app = get_object_or_404(Application.objects.select_related("standard", "city"), token=token)
    response = render(request, "standards/application.html", {"application": app})
    response["X-Robots-Tag"] = "noindex"
    return response


def _register_filters(request):
    form = forms.RegisterFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    return form, (form.cleaned_data if request.GET else {})


def _bad_filters(request, form):
    fields = "、".join(form.errors)
    return render(
        request,
        "standards/register.html",
        {
            "form": form,
            "bad_fields": fields,
            "choices": form.choices(),
            "years": selectors.register_years(),
        },
        status=400,
    )


def register(request):
    form, filters = _register_filters(request)
    if filters is None:
        return _bad_filters(request, form)
    cells = selectors.register_queryset(filters)
    summary = selectors.register_summary(filters)
    paginator = Paginator(selectors.register_rows(cells), REGISTER_PAGE_SIZE)
    paginator.count = summary["count"]  # counted once with the tallies, and cached
    page_obj = paginator.get_page(filters.get("page"))
    titles = selectors.city_titles()
    for cell in page_obj:
        cell.city_title = titles.get(cell.city_id, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "standards/register.html",
        {
            "form": form,
            "choices": form.choices(),
            "page_obj": page_obj,
            "by_city": summary["by_city"],
            "by_type": summary["by_type"],
            "query": query.urlencode(),
            "years": selectors.register_years(),
        },
    )


def register_download(request, fmt):
    if fmt not in exports.FORMATS:
        return HttpResponseBadRequest("格式：只支持 csv 或 xlsx")
    form, filters = _register_filters(request)
    if filters is None:
        return HttpResponseBadRequest("筛选条件有误：" + "、".join(form.errors))
    cells = selectors.register_rows(selectors.register_queryset(filters))
    content_type, data = exports.register_file(cells, fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="wfxb-register.{fmt}"'
    return response

"""Public pages: the indicator system, a city's dashboard, the comparison across cities, the
statistics page and the map. Each chart has its data table and a CSV of the same rows."""

import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from cases.languages import is_english, localized
from cases.romanized import place_name, province_short_name

from . import charts, selectors, statistics
from .cache import cached_page
from .forms import CompareForm


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel in Chinese Windows reads UTF-8 only with a BOM
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return response


def _num(value):
    return None if value is None else f"{value.normalize():f}"


@cached_page
def index(request):
    return render(request, "indicators/index.html", {"tree": selectors.system_tree()})


def _city_or_404(slug):
    city = selectors.public_cities().filter(slug=slug).first()
    if city is None:
        raise Http404("没有这个试点城市")
    return city


@cached_page
def dashboard(request, slug, fmt=None):
    city = _city_or_404(slug)
    if fmt == "csv":
        rows = selectors.dashboard_rows(city)
        return _csv(
            f"indicators-{city.slug}.csv",
            [
                "指标编码",
                "指标",
                "单位",
                "年份",
                "数值",
                "目标值",
                "目标年份",
                "基准值",
                "基准年份",
                "数据来源",
            ],
            [
                [
                    r["indicator_code"],
                    r["indicator"],
                    r["unit"],
                    r["year"],
                    _num(r["value"]),
                    _num(r["target"]),
                    r["target_year"],
                    _num(r["baseline"]),
                    r["baseline_year"],
                    r["source"],
                ]
                for r in rows
            ],
        )
    context = {"city": city, **selectors.dashboard(city)}
    return render(request, "indicators/dashboard.html", context)


@cached_page
def compare(request, fmt=None):
    form = CompareForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        if fmt == "csv":
            return JsonResponse({"error": errors}, status=400)
        response = render(request, "indicators/compare.html", {"form": form, "errors": errors})
        response.status_code = 400
        return response
    data = form.cleaned_data
    indicator = data["indicator"] or selectors.compared_indicators().first()
    rows = (
        selectors.comparison(indicator, data, year=data["year"], sort=data["sort"])
        if indicator
        else []
    )
    if fmt == "csv":
        if indicator is None:
            return JsonResponse({"error": {"indicator": ["没有可比较的指标"]}}, status=400)
        return _csv(
            f"compare-{indicator.code}.csv",
            [
                "城市",
                "省份",
                "东中西部",
                "年份",
                f"数值（{indicator.unit}）",
                "目标值",
                "目标年份",
                "数据来源",
            ],
            [
                [
                    r.city.title,
                    r.city.province,
                    r.city.tier,
                    r.year,
                    _num(r.value),
                    _num(r.target),
                    r.target_year,
                    r.source,
                ]
                for r in rows
            ],
        )
    chart = (
        charts.bar_chart([(r.city.title, r.value) for r in rows], indicator.unit) if rows else None
    )
    query = request.GET.copy()
    query["indicator"] = indicator.code if indicator else ""
    return render(
        request,
        "indicators/compare.html",
        {
            "form": form,
            "indicator": indicator,
            "years": selectors.comparison_years(indicator) if indicator else [],
            "rows": rows,
            "chart": chart,
            "query": query.urlencode(),
        },
    )


@cached_page
def statistics_page(request):
    sections = statistics.sections()
    for section in sections:
        section["chart"] = charts.bar_chart(section["rows"]) if section["rows"] else None
    return render(request, "indicators/statistics.html", {"sections": sections})


@cached_page
def statistics_csv(request, key):
    section = statistics.section(key)
    if section is None:
        raise Http404("没有这个统计项")
    return _csv(f"statistics-{key}.csv", [section["label"], "数量"], section["rows"])


@cached_page
def china_map(request, fmt=None):
    rows = selectors.map_rows()
    if fmt == "csv":
        return _csv(
            "pilot-map.csv",
            ["省份", "行政区划代码", "东中西部", "试点城市数", "试点经验数", "试点城市"],
            [
                [
                    r["name"],
                    r["code"],
                    r["macro_region"],
                    r["city_count"],
                    r["case_count"],
                    "、".join(c.title for c in r["cities"]),
                ]
                for r in rows
            ],
        )
    grid = charts.tile_map(
        [
            (
                r["code"],
                place_name(r["name"]),
                province_short_name(r["name"]) if is_english() else r["short"],
                r["city_count"],
                gettext("、").join(localized(c, "title") for c in r["cities"])
                or gettext("暂无试点城市"),
            )
            for r in rows
        ]
    )
    return render(
        request,
        "indicators/map.html",
        {"rows": rows, "grid": grid, "total_cities": sum(r["city_count"] for r in rows)},
    )

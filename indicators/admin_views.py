"""Admin pages for reporting: a city's editors enter and submit values (one by one or from a
spreadsheet) and choose optional indicators; the city's reviewers approve or return them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cases.models import CityPage
from publishing.importfile import FileError

from . import access, imports, services
from .admin_forms import UploadForm, ValueForm
from .models import IndicatorValue

LIST_LIMIT = 500


class AdminPage(WagtailAdminTemplateMixin, View):
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        self.entry = access.entry_cities(request.user)
        self.review = access.review_cities(request.user)
        if not self.entry and not self.review:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ValueListView(AdminPage):
    page_title = "指标填报与审核"
    template_name = "indicators/admin/values.html"

    def get(self, request):
        cities = {c.pk: c for c in [*self.entry, *self.review]}
        values = IndicatorValue.objects.filter(city__in=list(cities)).select_related(
            "city", "indicator"
        )
        status = request.GET.get("status", "")
        if status in IndicatorValue.Status.values:
            values = values.filter(status=status)
        city = request.GET.get("city", "")
        if city.isdigit():
            values = values.filter(city_id=int(city))
        entry_ids = {c.pk for c in self.entry}
        review_ids = {c.pk for c in self.review}
        rows = [
            (v, v.city_id in entry_ids, v.city_id in review_ids)
            for v in values.order_by("city__title", "indicator__code", "-year")[:LIST_LIMIT]
        ]
        return self.render_to_response(
            self.get_context_data(
                rows=rows,
                cities=sorted(cities.values(), key=lambda c: c.title),
                statuses=IndicatorValue.Status.choices,
                status=status,
                city=city,
                limit=LIST_LIMIT,
                years_to_approve=services.submitted_years(self.review),
            )
        )

    def post(self, request):
        ids = [int(i) for i in request.POST.getlist("value") if i.isdigit()]
        values = list(IndicatorValue.objects.filter(pk__in=ids).select_related("city"))
        action = request.POST.get("action")
        try:
            if action == "submit":
                done = services.submit(request.user, values)
                messages.success(request, f"已提交审核 {done} 条")
            elif action == "approve":
                done = services.approve(request.user, values)
                messages.success(request, f"已审核通过 {done} 条")
            elif action == "return":
                done = services.return_to_draft(request.user, values, request.POST.get("note", ""))
                messages.success(request, f"已退回 {done} 条")
            else:
                messages.error(request, "未知操作")
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("indicators_admin:values")
        return redirect("indicators_admin:values")


class ApproveYearView(AdminPage):
    """Approve all submitted values of one city and year (the city's reviewers only)."""

    http_method_names = ["post"]

    def post(self, request):
        city_id, year = request.POST.get("city", ""), request.POST.get("year", "")
        if not (city_id.isdigit() and year.isdigit()):
            messages.error(request, "请选择城市和年份")
            return redirect("indicators_admin:values")
        city = get_object_or_404(CityPage, pk=int(city_id))
        year = int(year)
        try:
            done = services.approve_year(request.user, city, year)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("indicators_admin:values")
        messages.success(request, f"已审核通过{city.title} {year} 年的 {done} 条数值")
        return redirect("indicators_admin:values")


class ValueFormView(AdminPage):
    page_title = "填报指标数值"
    template_name = "indicators/admin/value_form.html"

    def get_object(self, pk):
        if pk is None:
            return None
        value = get_object_or_404(IndicatorValue.objects.select_related("city"), pk=pk)
        if not access.can_enter(self.request.user, value.city):
            raise PermissionDenied
        return value

    def get(self, request, pk=None):
        value = self.get_object(pk)
        initial = {}
        if value is not None:
            initial = {
                "city": value.city_id,
                "indicator": value.indicator_id,
                "unit": value.indicator.unit,
                **{
                    f: "" if getattr(value, f) is None else getattr(value, f)
                    for f in (
                        "year",
                        "value",
                        "target",
                        "target_year",
                        "baseline",
                        "baseline_year",
                        "source",
                        "note",
                    )
                },
            }
        form = ValueForm(initial=initial, cities=self.entry)
        return self.render_to_response(self.get_context_data(form=form, value=value))

    def post(self, request, pk=None):
        value = self.get_object(pk)
        form = ValueForm(request.POST, cities=self.entry)
        if form.is_valid():
            city = CityPage.objects.select_related("region__parent").get(
                pk=form.cleaned_data["city"]
            )
            entry = services.check_value(city, form.cleaned_data["indicator"], form.cleaned_data)
            for name, message in entry.errors.items():
                form.add_error(name if name in form.fields else None, message)
            if not entry.errors:
                saved, _ = services.save_value(request.user, entry)
                if request.POST.get("action") == "submit":
                    services.submit(request.user, [saved])
                messages.success(request, f"已保存：{saved}")
                return redirect("indicators_admin:values")
        response = self.render_to_response(self.get_context_data(form=form, value=value))
        response.status_code = 400
        return response


class UploadView(AdminPage):
    page_title = "批量导入指标"
    template_name = "indicators/admin/upload.html"

    def can_import_system(self):
        return self.request.user.has_perms(
            ["indicators.add_indicator", "indicators.change_indicator"]
        )

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(form=UploadForm(), can_system=self.can_import_system())
        )

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        context = {"form": form, "can_system": self.can_import_system()}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**context), status=400)
        kind = form.cleaned_data["kind"]
        if kind == "system" and not self.can_import_system():
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        options = {"atomic": form.cleaned_data["atomic"]}
        if kind == "values":
            options["submit"] = form.cleaned_data["submit"]
        try:
            report = imports.run(kind, upload.read(), upload.name, user=request.user, **options)
        except FileError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(**context), status=400)
        context["report"] = report
        status = 200 if report.ok else 400
        return self.render_to_response(self.get_context_data(**context), status=status)


class ChoicesView(AdminPage):
    page_title = "选报指标"
    template_name = "indicators/admin/choices.html"

    def city(self, request):
        pk = request.GET.get("city") or request.POST.get("city")
        cities = {str(c.pk): c for c in self.entry}
        if not cities:
            raise PermissionDenied
        return cities.get(pk) or self.entry[0]

    def get(self, request):
        city = self.city(request)
        optional = services.applicable_indicators(city).filter(mandatory=False)
        chosen = set(city.indicator_choices.values_list("indicator_id", flat=True))
        return self.render_to_response(
            self.get_context_data(
                city=city,
                cities=self.entry,
                optional=optional.order_by("sort_order", "code"),
                chosen=chosen,
                mandatory=services.applicable_indicators(city).filter(mandatory=True),
            )
        )

    def post(self, request):
        city = self.city(request)
        ids = [int(i) for i in request.POST.getlist("indicator") if i.isdigit()]
        services.set_choices(
            request.user, city, services.applicable_indicators(city).filter(pk__in=ids)
        )
        messages.success(request, f"已保存{city.title}的选报指标")
        return redirect(f"{request.path}?city={city.pk}")

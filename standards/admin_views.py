"""Wagtail admin views of the cell layer: the city's applications (list, detail with the
reviewer's scoring, private evidence downloads), revoking a cell, new versions and derived
standards, and the register import.

Every application view starts from `selectors.applications_for(user)`: a city's editors and
reviewers never see another city's applications (404, which does not reveal they exist); only
users who may publish in the city (its reviewers, national roles) evaluate."""

from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from cases.models import StandardPage
from publishing.access import editable_cities
from standards import forms, register_import, selectors, services
from standards.models import Application, Cell


def _application(request, pk):
    return get_object_or_404(selectors.applications_for(request.user), pk=pk)


def application_index(request):
    applications = selectors.applications_for(request.user)
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "standards/admin/application_index.html",
        {
            "applications": applications[:500],
            "status": status,
            "statuses": Application.Status.choices,
        },
    )


def _self_scores(application) -> dict:
    result = application.assessment.result if application.assessment else {}
    return {i["code"]: i["score"] for i in result.get("indicators", [])}


@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    application = _application(request, pk)
    standard = application.standard
    can_review = (
        selectors.reviewable_cities(request.user).filter(pk=application.city_id).exists()
        and application.status == Application.Status.SUBMITTED
    )
    form = None
    if can_review:
        initial = {
            forms.indicator_field_name(code): score
            for code, score in _self_scores(application).items()
        }
        form = forms.ReviewForm(standard, request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            cell = services.evaluate(application, form, request.user)
            if cell:
                messages.success(request, f"已认定，证书编号 {cell.certificate_number}")
            else:
                messages.success(request, "已退回申报单位")
            return redirect("standards_admin:application", pk=application.pk)
    elif request.method == "POST":
        raise PermissionDenied
    self_scores = _self_scores(application)
    rows = [
        (indicator, self_scores.get(indicator["code"]), application.review.get(indicator["code"]))
        for _, indicator in standard.indicator_list()
    ]
    return render(
        request,
        "standards/admin/application_detail.html",
        {
            "application": application,
            "standard": standard,
            "rows": rows,
            "form": form,
            "cell": Cell.objects.filter(application=application).first(),
        },
        status=400 if form is not None and request.method == "POST" else 200,
    )


def evidence_download(request, pk, evidence_id):
    application = _application(request, pk)
    evidence = get_object_or_404(application.evidence, pk=evidence_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


class RevokeForm(django_forms.Form):
    reason = django_forms.CharField(
        label="撤销原因", widget=django_forms.Textarea(attrs={"rows": 3})
    )


@require_http_methods(["GET", "POST"])
def cell_revoke(request, pk):
    cell = get_object_or_404(
        Cell.objects.select_related("city"),
        pk=pk,
        city__in=selectors.reviewable_cities(request.user),
    )
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.revoke(cell, form.cleaned_data["reason"])
        messages.success(request, f"已撤销 {cell.name}")
        return redirect("standards_admin:applications")
    return render(request, "standards/admin/cell_revoke.html", {"cell": cell, "form": form})


def _standard(request, page_id) -> StandardPage:
    page = get_object_or_404(StandardPage, pk=page_id)
    return page


@require_http_methods(["GET", "POST"])
def new_version(request, page_id):
    page = _standard(request, page_id)
    if not page.get_parent().permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    if request.method == "POST":
        draft = services.new_version(page, request.user)
        messages.success(request, "已创建新版本草稿；发布后旧版本页面将提示查看新版本。")
        return redirect("wagtailadmin_pages:edit", draft.pk)
    return render(request, "standards/admin/confirm.html", {"page": page, "action": "new_version"})


class DeriveForm(django_forms.Form):
    city = django_forms.ModelChoiceField(label="派生到城市", queryset=None)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = editable_cities(user)


@require_http_methods(["GET", "POST"])
def derive(request, page_id):
    page = _standard(request, page_id)
    form = DeriveForm(request.user, request.POST or None)
    if not form.fields["city"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        derived = services.derive(page, form.cleaned_data["city"], request.user)
        messages.success(request, "已复制为本市标准草稿，请修改权重、指标和分数线后提交审核。")
        return redirect("wagtailadmin_pages:edit", derived.pk)
    return render(
        request, "standards/admin/confirm.html", {"page": page, "action": "derive", "form": form}
    )


@require_http_methods(["GET", "POST"])
def import_cells(request):
    cities = editable_cities(request.user)
    if not cities.exists():
        raise PermissionDenied
    report, form = None, register_import.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = register_import.import_file(form.cleaned_data["file"], allowed_cities=cities)
    return render(
        request,
        "standards/admin/import.html",
        {"form": form, "report": report, "register_url": reverse("standards:register")},
    )


def cell_index(request):
    """The cells of the user's cities (imported or recognised here), with revoke links."""
    cities = selectors.viewable_cities(request.user)
    q = request.GET.get("q", "").strip()[:100]
    cells = selectors.register_queryset({"q": q} if q else {}).filter(city__in=cities)
    reviewable = set(selectors.reviewable_cities(request.user).values_list("pk", flat=True))
    titles = selectors.city_titles()
    rows = list(selectors.register_rows(cells)[:200])
    for cell in rows:
        cell.city_title = titles.get(cell.city_id, "")
        cell.can_revoke = cell.city_id in reviewable and cell.status != Cell.Status.REVOKED
    return render(
        request,
        "standards/admin/cell_index.html",
        {"cells": rows, "total": cells.count(), "q": q},
    )

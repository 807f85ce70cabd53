"""Wagtail admin views: the inquiry inbox (list, filters, CSV/XLSX export, detail with notes thread,
status workflow and anonymisation) and board post moderation.

Every view starts from `selectors.inquiries_visible_to(user)`, so a city's staff can neither list,
open, export nor delete another city's inquiries (they get a 404, which does not reveal that the
inquiry exists)."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from cases import taxonomy_cache
from cases.models import CityPage, Region, WasteCategory

from . import selectors, services
from .forms import ModerationForm, NoteForm, StatusForm
from .models import BoardPost, Inquiry, InquiryStatus, Purpose, TargetType

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value):
    """Neutralise spreadsheet formulas in exported text: anyone can type “=HYPERLINK(…)” into a
    public form, and staff open the CSV in Excel or WPS."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# ---------------------------------------------------------------------------------------------
# Filters


class WasteCategoryFilter(django_filters.ModelChoiceFilter):
    """A waste category and everything below it (危险废物 finds HW17 inquiries)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            waste_categories__in=taxonomy_cache.waste_descendant_ids([value])
        ).distinct()


class RegionFilter(django_filters.ModelChoiceFilter):
    """A region and everything filed under it (广东省 finds 中山市)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(region__in=taxonomy_cache.region_ids_for([value.code]))


class InquiryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=InquiryStatus.choices, widget=forms.RadioSelect, empty_label="全部"
    )
    purpose = django_filters.ChoiceFilter(
        label="对接目的", choices=Purpose.choices, widget=forms.RadioSelect, empty_label="全部"
    )
    region = RegionFilter(label="所在地区", queryset=Region.objects.all())
    waste = WasteCategoryFilter(label="废物类别", queryset=WasteCategory.objects.all())
    target_type = django_filters.ChoiceFilter(
        label="对接对象类型",
        choices=TargetType.choices,
        widget=forms.RadioSelect,
        empty_label="全部",
    )
    target_city = django_filters.ModelChoiceFilter(
        label="所属城市", queryset=CityPage.objects.all().order_by("title")
    )
    target = django_filters.CharFilter(
        label="对接对象", field_name="target_title", lookup_expr="icontains"
    )
    created_at = django_filters.DateFromToRangeFilter(
        label="提交日期", widget=DateRangePickerWidget
    )

    class Meta:
        model = Inquiry
        fields = []


class BoardPostFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=BoardPost.Status.choices,
        widget=forms.RadioSelect,
        empty_label="全部",
    )
    kind = django_filters.ChoiceFilter(
        label="类型", choices=BoardPost.Kind.choices, widget=forms.RadioSelect, empty_label="全部"
    )
    waste = WasteCategoryFilter(label="废物类别", queryset=WasteCategory.objects.all())
    region = RegionFilter(label="所在地区", queryset=Region.objects.all())

    class Meta:
        model = BoardPost
        fields = []


# ---------------------------------------------------------------------------------------------
# Inquiries

EXPORT_TEXT_FIELDS = (
    "organisation",
    "credit_code",
    "contact_name",
    "phone",
    "email",
    "message",
    "target_title",
)


class InquiryIndexView(generic.IndexView):
    custom_field_preprocess = {name: {"csv": _csv_safe} for name in EXPORT_TEXT_FIELDS}

    def get_base_queryset(self):
        return (
            selectors.inquiries_visible_to(self.request.user)
            .select_related("region", "target_city")
            .prefetch_related("waste_categories")
        )


class InquiryDeleteView(generic.DeleteView):
    def get_queryset(self):
        return selectors.inquiries_visible_to(self.request.user)


class InquiryHistoryView(generic.history.HistoryView):
    def get_base_object_queryset(self):
        return selectors.inquiries_visible_to(self.request.user)


class InquiryDetailView(
    PermissionCheckedMixin, generic.base.WagtailAdminTemplateMixin, TemplateView
):
    """One inquiry: the request, the notes thread, status changes and anonymisation."""

    model = Inquiry
    permission_required = "view"
    template_name = "matchmaking/admin/inquiry_detail.html"
    header_icon = "mail"
    viewset = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            selectors.inquiries_visible_to(request.user).select_related(
                "region", "target_page", "target_city", "target_post", "anonymised_by"
            ),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return f"对接需求 {self.object.reference}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.viewset.get_url_name("index")), "label": "对接需求"},
            {"url": "", "label": self.object.reference},
        ]

    @cached_property
    def can_anonymise(self):
        user = self.request.user
        return not self.object.is_anonymised and (
            user.is_superuser or user.has_perm("matchmaking.delete_inquiry")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = self.object
        context.update(
            inquiry=inquiry,
            notes=inquiry.notes.select_related("author"),
            note_form=kwargs.get("note_form") or NoteForm(),
            status_form=kwargs.get("status_form") or StatusForm(inquiry=inquiry),
            can_anonymise=self.can_anonymise,
            index_url=reverse(self.viewset.get_url_name("index")),
            history_url=reverse(self.viewset.get_url_name("history"), args=[inquiry.pk]),
            delete_url=(
                reverse(self.viewset.get_url_name("delete"), args=[inquiry.pk])
                if self.user_has_permission("delete")
                else ""
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        action = request.POST.get("action")
        inquiry = self.object
        if action == "note":
            form = NoteForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(note_form=form))
            services.add_note(inquiry, request.user, form.cleaned_data["body"])
            messages.success(request, "已添加备注。")
        elif action == "status":
            form = StatusForm(request.POST, inquiry=inquiry)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(status_form=form))
            try:
                services.change_status(
                    inquiry, form.cleaned_data["status"], request.user, form.cleaned_data["comment"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"状态已改为“{inquiry.get_status_display()}”。")
        elif action == "anonymise":
            if not self.can_anonymise:
                raise PermissionDenied
            services.anonymise_inquiry(inquiry, request.user)
            messages.success(request, "已匿名化该对接需求的个人信息。")
        return redirect(request.path)


# ---------------------------------------------------------------------------------------------
# Board posts


class BoardPostIndexView(generic.IndexView):
    def get_base_queryset(self):
        return BoardPost.objects.select_related("region")


class BoardPostDetailView(
    PermissionCheckedMixin, generic.base.WagtailAdminTemplateMixin, TemplateView
):
    """Moderation of one post: everything the poster sent, the match suggestions, approve or
    reject (the poster is told), and anonymisation."""

    model = BoardPost
    permission_required = "change"
    template_name = "matchmaking/admin/board_post_detail.html"
    header_icon = "list-ul"
    viewset = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            BoardPost.objects.select_related("region", "moderated_by"), pk=kwargs["pk"]
        )

    def get_page_title(self):
        return f"供需信息：{self.object.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.viewset.get_url_name("index")), "label": "供需信息"},
            {"url": "", "label": self.object.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        context.update(
            post=post,
            moderation_form=kwargs.get("moderation_form") or ModerationForm(),
            groups=selectors.suggestions_for_post(post) if not post.is_anonymised else [],
            inquiries=selectors.inquiries_visible_to(self.request.user).filter(target_post=post),
            index_url=reverse(self.viewset.get_url_name("index")),
            history_url=reverse(self.viewset.get_url_name("history"), args=[post.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        post = self.object
        action = request.POST.get("action")
        if action == "moderate" and not post.is_anonymised:
            form = ModerationForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(moderation_form=form))
            if form.cleaned_data["decision"] == "approve":
                services.approve_post(post, request.user, form.cleaned_data["note"])
                messages.success(request, "已通过并发布。")
            else:
                services.reject_post(post, request.user, form.cleaned_data["note"])
                messages.success(request, "已标记为不通过，并通知发布者。")
        elif action == "anonymise" and not post.is_anonymised:
            services.anonymise_post(post, request.user)
            messages.success(request, "已匿名化该供需信息的联系人信息，并从公开列表撤下。")
        return redirect(request.path)

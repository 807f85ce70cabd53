"""Wagtail admin: the 产业对接 menu (inquiry inbox, board moderation, technology provider contacts)
and the audit log actions of matchmaking."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from . import admin_views, selectors
from .models import BoardPost, Inquiry, InquiryStatus, TechnologyContact
from .permissions import inquiry_permission_policy

# Registered before any viewset looks the policy up (Wagtail refuses a late registration).
register_permission_policy(Inquiry, inquiry_permission_policy)


class _DetailViewSet(ModelViewSet):
    """A ModelViewSet whose “edit” page is a custom detail view, without add, copy or usage
    views (records come from the public forms)."""

    detail_view_class = None
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "usage_url_name": None, **kwargs}
        )

    @property
    def edit_view(self):
        return self.construct_view(self.detail_view_class, viewset=self)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.edit_view, name="edit"),
            path("<int:pk>/delete/", self.delete_view, name="delete"),
            path("<int:pk>/history/", self.history_view, name="history"),
            path("<int:pk>/history/results/", self.history_results_view, name="history_results"),
        ]


class InquiryViewSet(_DetailViewSet):
    model = Inquiry
    name = "matchmaking_inquiry"
    url_prefix = "matchmaking/inquiries"
    icon = "mail"
    menu_label = "对接需求"
    menu_name = "matchmaking-inquiries"
    index_view_class = admin_views.InquiryIndexView
    detail_view_class = admin_views.InquiryDetailView
    delete_view_class = admin_views.InquiryDeleteView
    history_view_class = admin_views.InquiryHistoryView
    list_display = ["reference", "target_title", "purpose", "region", "status", "created_at"]
    filterset_class = admin_views.InquiryFilterSet
    search_fields = ["reference", "organisation", "contact_name", "target_title", "message"]
    search_backend_name = None  # plain database search: inquiries are not in any search index
    ordering = "-created_at"
    list_export = [
        "reference",
        "created_at",
        "get_status_display",
        "get_purpose_display",
        "get_target_type_display",
        "target_title",
        "target_city",
        "organisation",
        "get_organisation_type_display",
        "credit_code",
        "contact_name",
        "phone",
        "email",
        "region",
        "waste_category_names",
        "message",
        "anonymised_at",
    ]
    export_headings = {
        "reference": "编号",
        "created_at": "提交时间",
        "get_status_display": "状态",
        "get_purpose_display": "对接目的",
        "get_target_type_display": "对接对象类型",
        "target_title": "对接对象",
        "target_city": "所属城市",
        "organisation": "单位名称",
        "get_organisation_type_display": "单位类型",
        "credit_code": "统一社会信用代码",
        "contact_name": "联系人",
        "phone": "联系电话",
        "email": "电子邮箱",
        "region": "所在地区",
        "waste_category_names": "废物类别",
        "message": "需求说明",
        "anonymised_at": "匿名化时间",
    }
    export_filename = "inquiries"


class BoardPostViewSet(_DetailViewSet):
    model = BoardPost
    name = "matchmaking_boardpost"
    url_prefix = "matchmaking/board"
    icon = "list-ul"
    menu_label = "供需信息审核"
    menu_name = "matchmaking-board"
    index_view_class = admin_views.BoardPostIndexView
    detail_view_class = admin_views.BoardPostDetailView
    list_display = ["title", "kind", "status", "region", "annual_tonnage", "created_at"]
    filterset_class = admin_views.BoardPostFilterSet
    search_fields = ["title", "organisation", "description"]
    search_backend_name = None
    ordering = "-created_at"


class TechnologyContactViewSet(ModelViewSet):
    model = TechnologyContact
    name = "matchmaking_technologycontact"
    url_prefix = "matchmaking/technology-contacts"
    icon = "user"
    menu_label = "技术提供方联系人"
    menu_name = "matchmaking-technology-contacts"
    list_display = ["technology", "contact_name", "email", "region"]
    search_fields = ["technology__title", "contact_name", "email"]
    search_backend_name = None
    copy_view_enabled = False


class MatchmakingGroup(ModelViewSetGroup):
    menu_label = "产业对接"
    menu_name = "matchmaking"
    menu_icon = "mail"
    menu_order = 250
    items = (InquiryViewSet, BoardPostViewSet, TechnologyContactViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return MatchmakingGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("matchmaking.note", "添加备注", "添加了内部备注")
    actions.register_action("matchmaking.status", "状态变更", "更改了对接需求状态")
    actions.register_action("matchmaking.anonymise", "匿名化", "匿名化了个人信息")
    actions.register_action("matchmaking.approve", "审核通过", "审核通过并发布")
    actions.register_action("matchmaking.reject", "审核不通过", "审核不通过")


class NewInquiriesPanel(Component):
    """Editor's home: new 产业对接 inquiries addressed to the user's city (reference, target and
    date only; the contact details stay in the inbox)."""

    name = "new_inquiries"
    order = 120
    template_name = "matchmaking/admin/home_new_inquiries.html"

    def __init__(self, user):
        visible = selectors.inquiries_visible_to(user).filter(status=InquiryStatus.NEW)
        self.count = visible.count()
        self.inquiries = list(visible.order_by("-created_at")[:10])

    def get_context_data(self, parent_context):
        return {"inquiries": self.inquiries, "count": self.count}


@hooks.register("construct_homepage_panels")
def add_new_inquiries_panel(request, panels):
    user = request.user
    if not user.is_superuser and selectors.edits_any_page(user):
        panels.append(NewInquiriesPanel(user))

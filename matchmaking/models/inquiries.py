"""Inquiries (“我要对接”) sent from a case, technology or city page or a board post, and the
internal notes thread staff keep on each."""

from django.conf import settings
from django.db import models

from cases.models import CityPage, Region, WasteCategory

from .common import MESSAGE_MAX, ContactFields


class Purpose(models.TextChoices):
    CONSULTING = "consulting", "技术咨询"
    COOPERATION = "cooperation", "项目合作"
    VISIT = "visit", "参观考察"
    INVESTMENT = "investment", "投资"
    DISPOSAL = "disposal", "处置需求"
    SUPPLY = "supply", "提供处置或利用能力"
    OTHER = "other", "其他"


class InquiryStatus(models.TextChoices):
    NEW = "new", "新建"
    IN_PROGRESS = "in_progress", "处理中"
    MATCHED = "matched", "已对接"
    CLOSED = "closed", "已关闭"


# The workflow 新建 → 处理中 → 已对接 → 已关闭. An inquiry can be closed from any open state
# (spam, duplicate, requester unreachable) and a closed one reopened when the requester comes
# back; nothing else skips a step, so the status history reads as what actually happened.
STATUS_TRANSITIONS = {
    InquiryStatus.NEW: (InquiryStatus.IN_PROGRESS, InquiryStatus.CLOSED),
    InquiryStatus.IN_PROGRESS: (InquiryStatus.MATCHED, InquiryStatus.CLOSED),
    InquiryStatus.MATCHED: (InquiryStatus.CLOSED,),
    InquiryStatus.CLOSED: (InquiryStatus.IN_PROGRESS,),
}


class TargetType(models.TextChoices):
    CASE = "case", "试点经验"
    TECHNOLOGY = "technology", "技术"
    CITY = "city", "试点城市"
    POST = "post", "供需信息"


class Inquiry(ContactFields):
    """A request to be put in touch, stored before any email is sent.

    `target_city` is the city whose editors answer it (the case's city, or the city page itself);
    staff visibility is decided by page permissions on `target_page` and `target_city`
    (see `matchmaking.selectors.inquiries_visible_to`)."""

    reference = models.CharField("编号", max_length=20, unique=True, editable=False)
    target_type = models.CharField("对接对象类型", max_length=20, choices=TargetType.choices)
    target_title = models.CharField("对接对象", max_length=255)
    target_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="对接页面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_city = models.ForeignKey(
        CityPage,
        verbose_name="所属城市",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_post = models.ForeignKey(
        "matchmaking.BoardPost",
        verbose_name="对接供需信息",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    region = models.ForeignKey(
        Region, verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    waste_categories = models.ManyToManyField(
        WasteCategory, verbose_name="废物类别", blank=True, related_name="+"
    )
    purpose = models.CharField("对接目的", max_length=20, choices=Purpose.choices)
    message = models.TextField("需求说明", max_length=MESSAGE_MAX)
    status = models.CharField(
        "状态", max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Whether the emails went out; an inquiry is kept even when the mail server is down.
    confirmation_sent_at = models.DateTimeField("确认邮件发送时间", null=True, blank=True)
    notified_at = models.DateTimeField("通知发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "对接需求"
        verbose_name_plural = "对接需求"
        ordering = ["-created_at", "-pk"]
        permissions = [("view_all_inquiries", "可查看全部城市的对接需求")]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        # Used in admin titles and audit logs, so it carries no personal data.
        return self.reference

    def allowed_transitions(self) -> tuple[str, ...]:
        return STATUS_TRANSITIONS.get(self.status, ())

    def waste_category_names(self) -> str:
        return "、".join(str(c) for c in self.waste_categories.all())

    waste_category_names.short_description = "废物类别"


class InquiryNote(models.Model):
    """One entry of an inquiry's internal thread: a staff note or a recorded status change."""

    class Kind(models.TextChoices):
        NOTE = "note", "备注"
        STATUS = "status", "状态变更"
        SYSTEM = "system", "系统记录"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.NOTE)
    body = models.TextField("内容", max_length=MESSAGE_MAX)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "内部备注"
        verbose_name_plural = "内部备注"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.inquiry.reference} · {self.get_kind_display()}"

"""The needs-and-capacities board (供需信息): an organisation posts a need (waste it must have
treated) or an offer (a licensed facility or a technology with spare capacity). Posts are
moderated before they are public, and their contact details are never public.

Board posts are not Wagtail pages, so the exchange search (which indexes pages only, see
`search.documents`) never indexes them, and the sitemap never lists them."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from cases.models import Region, WasteCategory

from .common import MESSAGE_MAX, TITLE_MAX, ContactFields


def new_token() -> str:
    """256 random bits, URL-safe: the poster's private link must not be guessable."""
    return secrets.token_urlsafe(32)


class BoardPost(ContactFields):
    class Kind(models.TextChoices):
        NEED = "need", "需求"
        OFFER = "offer", "能力"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已发布"
        REJECTED = "rejected", "未通过"
        WITHDRAWN = "withdrawn", "已撤回"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=TITLE_MAX)
    show_organisation = models.BooleanField(
        "公开单位名称", default=False, help_text="不勾选时，公开页面只显示单位类型和所在地区"
    )
    region = models.ForeignKey(
        Region, verbose_name="所在地区", on_delete=models.PROTECT, related_name="+"
    )
    regions_served = models.ManyToManyField(
        Region,
        verbose_name="服务地区",
        blank=True,
        related_name="+",
        help_text="能力方可接收废物的地区（省或市）",
    )
    waste_categories = models.ManyToManyField(
        WasteCategory, verbose_name="废物类别", related_name="+"
    )
    annual_tonnage = models.DecimalField(
        "数量（吨/年）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="需求方：每年需处置或利用的量；能力方：年处理能力",
    )
    licence_number = models.CharField(
        "经营许可证编号", max_length=100, blank=True, help_text="如危险废物经营许可证编号"
    )
    description = models.TextField("详细说明", max_length=MESSAGE_MAX)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    approved_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderation_note = models.CharField("审核意见", max_length=500, blank=True)
    last_digest_at = models.DateTimeField("上次推送匹配时间", null=True, blank=True)

    class Meta:
        verbose_name = "供需信息"
        verbose_name_plural = "供需信息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind", "-approved_at"])]

    def __str__(self):
        return f"[{self.get_kind_display()}] {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:board-detail", args=[self.pk])

    def get_private_url(self) -> str:
        return reverse("matchmaking:board-manage", args=[self.token])

    @property
    def public_organisation(self) -> str:
        """What the public pages say about who posted: the name only if the poster chose so."""
        if self.show_organisation and not self.is_anonymised:
            return self.organisation
        return self.get_organisation_type_display()

    def waste_category_names(self) -> str:
        return "、".join(str(c) for c in self.waste_categories.all())

    waste_category_names.short_description = "废物类别"

"""Study-visit and twinning requests between two pilot cities, and the messages on them.

A request is addressed by one city (its editor) to another; the city whose turn it is
(`awaiting_city`) accepts, declines or proposes other dates. Proposing dates hands the turn to
the other city. Messages may be added by either city at any time. Accepted requests are shown on
both city pages (cities, kind, topic and dates only: never the messages or who wrote them)."""

from django.conf import settings
from django.db import models

from cases.models import CasePage, CityPage, WasteCategory


class ExchangeRequest(models.Model):
    class Kind(models.TextChoices):
        STUDY_VISIT = "study_visit", "考察学习"
        TWINNING = "twinning", "结对"

    class Status(models.TextChoices):
        PENDING = "pending", "待答复"
        DATES_PROPOSED = "dates_proposed", "已提议其他日期"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已婉拒"

    OPEN = (Status.PENDING, Status.DATES_PROPOSED)

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    from_city = models.ForeignKey(
        CityPage,
        verbose_name="发起城市",
        on_delete=models.CASCADE,
        related_name="exchange_requests_sent",
    )
    to_city = models.ForeignKey(
        CityPage,
        verbose_name="对方城市",
        on_delete=models.CASCADE,
        related_name="exchange_requests_received",
    )
    awaiting_city = models.ForeignKey(
        CityPage,
        verbose_name="待答复城市",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="轮到哪个城市答复；已接受或已婉拒时为空",
    )
    topic = models.CharField("交流主题", max_length=200)
    waste_categories = models.ManyToManyField(
        WasteCategory, verbose_name="废物类别", blank=True, related_name="+"
    )
    cases = models.ManyToManyField(
        CasePage, verbose_name="感兴趣的试点经验", blank=True, related_name="+"
    )
    start_date = models.DateField("日期（起）", null=True, blank=True)
    end_date = models.DateField("日期（止）", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "考察与结对"
        verbose_name_plural = "考察与结对"
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["status", "awaiting_city"])]
        permissions = [("view_all_exchangerequest", "可查看全部城市的考察与结对")]

    def __str__(self):
        return f"{self.from_city} → {self.to_city}：{self.get_kind_display()}（{self.topic}）"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def other_city(self, city) -> CityPage:
        return self.to_city if city.pk == self.from_city_id else self.from_city


class ExchangeMessage(models.Model):
    class Action(models.TextChoices):
        REQUEST = "request", "发起"
        MESSAGE = "message", "留言"
        PROPOSE = "propose", "提议其他日期"
        ACCEPT = "accept", "接受"
        DECLINE = "decline", "婉拒"

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="messages")
    city = models.ForeignKey(
        CityPage, verbose_name="城市", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    text = models.TextField("留言", blank=True, max_length=2000)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "交流留言"

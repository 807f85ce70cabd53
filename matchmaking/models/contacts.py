"""Who answers inquiries: platform-wide addresses (a Wagtail site setting) and each technology's
provider contact (kept here, keyed to the TechnologyPage, because content does not know about
matchmaking)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cases.models import Region, TechnologyPage

from .common import CONTACT_NAME_MAX, PHONE_MAX


@register_setting(icon="mail")
class MatchmakingSettings(BaseSiteSetting):
    inbox_email = models.EmailField(
        "平台对接工作邮箱",
        blank=True,
        help_text="收到每条对接需求的抄送；城市或技术没有联系人时由此处理",
    )
    moderation_email = models.EmailField(
        "供需信息审核邮箱", blank=True, help_text="新的供需信息待审核时通知；留空则使用工作邮箱"
    )
    notify_city_editors = models.BooleanField(
        "通知城市编辑",
        default=True,
        help_text="试点经验或城市页面收到对接需求时，通知有权编辑该城市页面的用户",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("inbox_email"),
                FieldPanel("moderation_email"),
                FieldPanel("notify_city_editors"),
            ],
            heading="通知",
        )
    ]

    class Meta:
        verbose_name = "产业对接设置"

    @property
    def moderation_address(self) -> str:
        return self.moderation_email or self.inbox_email


class TechnologyContact(models.Model):
    """The provider's contact for a technology: inquiries about it are sent here. Its location
    and service area also place the technology for match suggestions."""

    technology = models.OneToOneField(
        TechnologyPage,
        verbose_name="技术",
        on_delete=models.CASCADE,
        related_name="matchmaking_contact",
    )
    contact_name = models.CharField("联系人", max_length=CONTACT_NAME_MAX, blank=True)
    email = models.EmailField("电子邮箱")
    phone = models.CharField("联系电话", max_length=PHONE_MAX, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name="提供方所在地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    regions_served = models.ManyToManyField(
        Region, verbose_name="服务地区", blank=True, related_name="+"
    )

    panels = [
        FieldPanel("technology"),
        FieldPanel("contact_name"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("region"),
        FieldPanel("regions_served"),
    ]

    class Meta:
        verbose_name = "技术提供方联系人"
        verbose_name_plural = "技术提供方联系人"

    def __str__(self):
        return str(self.technology)

"""The licence and citation statement of the open data, edited in the admin (设置 → 开放数据)
and shown on the API page and in every download."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

DEFAULT_CITATION = (
    "无废城市试点交流平台：{dataset}（{url}），访问日期 {date}。"
    "原始资料：中国工程院《“无废城市”建设试点梯次推进策略》（杜祥琬、刘晓龙，2021年3月6日）"
    "及各试点城市发布。"
)


@register_setting(icon="doc-full")
class OpenDataSettings(BaseSiteSetting):
    licence_name = models.CharField(
        "许可协议",
        max_length=200,
        blank=True,
        help_text="例如：知识共享署名 4.0 国际许可协议（CC BY 4.0）。留空时页面与下载文件注明“尚未设置”。",
    )
    licence_url = models.URLField("许可协议链接", blank=True)
    citation = models.TextField(
        "引用说明",
        default=DEFAULT_CITATION,
        help_text="可用占位符：{dataset} 数据集名称、{url} 下载地址、{date} 访问日期。",
    )

    panels = [FieldPanel("licence_name"), FieldPanel("licence_url"), FieldPanel("citation")]

    class Meta:
        verbose_name = "开放数据"

    def citation_for(self, dataset: str, url: str, date: str) -> str:
        try:
            return self.citation.format(dataset=dataset, url=url, date=date)
        except (KeyError, IndexError, ValueError):
            # An editor's stray brace must not break the downloads.
            return self.citation

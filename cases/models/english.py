"""English beside the Chinese on the same page (DESIGN.md: English is a second language of the
same pages, under /en/; Chinese stays the default and the fallback).

Own `*_en` fields rather than a translation framework: wagtail-localize and Wagtail's own i18n
make one page tree per locale (doubling pages, search documents and counts), and
wagtail-modeltranslation rewrites Page's own title/slug/url_path columns per language. Here a page
keeps one tree, one URL path and one search document; English is read with
`cases.languages.localized()`."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField


def english_panel(*fields: str) -> MultiFieldPanel:
    return MultiFieldPanel(
        [FieldPanel(name) for name in fields],
        heading="English 英文版",
        help_text="英文页面 /en/… 显示这些内容；未填写时英文页面显示中文原文并加以说明。",
        classname="collapsed",
    )


class EnglishTitleMixin(models.Model):
    """Home and index pages: an English title and introduction."""

    title_en = models.CharField("英文标题", max_length=255, blank=True)
    intro_en = models.TextField("英文导语", blank=True)

    english_panels = [english_panel("title_en", "intro_en")]

    class Meta:
        abstract = True


class EnglishContentMixin(models.Model):
    """Cases, technologies, standards, cities and articles: English title, summary and body."""

    title_en = models.CharField("英文标题", max_length=255, blank=True)
    summary_en = models.TextField("英文摘要", max_length=1000, blank=True)
    body_en = RichTextField("英文正文", blank=True)

    english_panels = [english_panel("title_en", "summary_en", "body_en")]

    class Meta:
        abstract = True

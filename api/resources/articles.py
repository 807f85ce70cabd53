"""Strategy and data articles (策略与数据): provincial and regional strategies, the source's tables."""

from ninja import Field, Router

from api.common import Envelope, Filters
from api.resources.pages import (
    BODY_HTML_EN,
    PageOut,
    body_html,
    body_html_en,
    listing,
    page_fields,
    page_resource,
)
from cases.models import ArticlePage

router = Router(tags=["策略与数据"])


class ArticleFilters(Filters):
    section: ArticlePage.Section | None = Field(None, description="栏目")


class ArticleOut(PageOut):
    external_id: str | None
    summary: str
    section: str
    section_label: str
    macro_region: str
    cluster: str
    source: str


class ArticleDetail(ArticleOut):
    body_html: str
    body_html_en: str = BODY_HTML_EN


class ArticleList(Envelope):
    results: list[ArticleOut]


def serialize(article: ArticlePage, request) -> dict:
    return {
        **page_fields(article, request),
        "external_id": article.external_id,
        "summary": article.summary,
        "section": article.section,
        "section_label": article.get_section_display(),
        "macro_region": article.macro_region,
        "cluster": article.cluster,
        "source": article.source,
    }


def serialize_detail(article: ArticlePage, request) -> dict:
    return {
        **serialize(article, request),
        "body_html": body_html(article),
        "body_html_en": body_html_en(article),
    }


def filtered(request, filters: ArticleFilters | None):
    # The listing page's order (ArticleIndexPage groups by section in tree order).
    articles = listing(ArticlePage).order_by("path")
    if filters and filters.section:
        articles = articles.filter(section=filters.section)
    return articles


page_resource(
    router,
    module=__name__,
    path="/articles/",
    names=("list_articles", "get_article"),
    summaries=("策略与数据列表", "策略与数据"),
    description="省域、区域推进策略与数据表，按栏目筛选。",
    schemas=(ArticleList, ArticleDetail),
    filters=ArticleFilters,
    items=filtered,
    serialize=serialize,
    serialize_detail=serialize_detail,
)

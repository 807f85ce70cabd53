"""Strategy and data articles (策略与数据): provincial and regional strategies, the source's tables."""

from django.http import HttpResponse
from ninja import Field, Query, Router

from api.common import (
    Envelope,
    Filters,
    Paging,
    check_parameters,
    detail_responses,
    list_responses,
    paginate,
    set_last_modified,
)
from api.resources.pages import (
    BODY_HTML_EN,
    PageOut,
    body_html,
    body_html_en,
    latest_published,
    listing,
    page_fields,
    page_id_param,
    public_page,
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


def filtered(filters: ArticleFilters):
    # The listing page's order (ArticleIndexPage groups by section in tree order).
    articles = listing(ArticlePage).order_by("path")
    if filters.section:
        articles = articles.filter(section=filters.section)
    return articles


@router.get(
    "/articles/",
    response=list_responses(ArticleList),
    summary="策略与数据列表",
    description="省域、区域推进策略与数据表，按栏目筛选。",
)
def list_articles(
    request, response: HttpResponse, filters: Query[ArticleFilters], paging: Query[Paging]
):
    check_parameters(request, ArticleFilters, Paging)
    articles = filtered(filters)
    set_last_modified(response, latest_published(articles))
    return paginate(request, articles, paging, serialize)


@router.get("/articles/{id}/", response=detail_responses(ArticleDetail), summary="策略与数据")
def get_article(request, response: HttpResponse, id: int = page_id_param()):
    check_parameters(request)
    article = public_page(listing(ArticlePage), id)
    set_last_modified(response, article.last_published_at)
    return serialize_detail(article, request)

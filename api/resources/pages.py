"""Helpers for the page resources (cases, technologies …): only live, public pages, looked up
by their Wagtail page id, which stays the same when a page is renamed or moved."""

from django.db.models import Max
from ninja import Field, Path, Schema
from wagtail.rich_text import expand_db_html

from api.common import page_link
from api.resources.endpoints import Key, list_and_detail
from cases import selectors

MAX_PAGE_ID = 2**31 - 1


def page_id_param():
    return Path(..., ge=1, le=MAX_PAGE_ID, description="页面编号（稳定，不随标题或地址变化）")


def page_key() -> Key:
    return Key("id", int, page_id_param(), lookup="pk")


class PageOut(Schema):
    id: int = Field(description="页面编号（稳定，不随标题或地址变化）")
    title: str
    title_en: str = Field(description="英文标题（无英文版时为空）")
    summary_en: str = Field(description="英文摘要（无英文版时为空）")
    url: str = Field(description="页面的公开地址")
    first_published_at: str | None = Field(description="首次发布时间（ISO 8601）")
    last_published_at: str | None = Field(description="最近发布时间（ISO 8601）")


def page_fields(page, request) -> dict:
    return {
        "id": page.id,
        "title": page.title,
        "title_en": page.title_en,
        "summary_en": page.summary_en,
        "url": page_link(page, request),
        "first_published_at": _iso(page.first_published_at),
        "last_published_at": _iso(page.last_published_at),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def latest_published(queryset):
    """The newest publication date among the pages of `queryset` (one aggregate query)."""
    return queryset.order_by().aggregate(latest=Max("last_published_at"))["latest"]


def body_html(page) -> str:
    return str(page.body) if page.body else ""


def body_html_en(page) -> str:
    """The English body (rich text), empty where the page has none."""
    return expand_db_html(page.body_en) if page.body_en else ""


BODY_HTML_EN = Field("", description="英文正文（HTML；无英文版时为空）")


def listing(model):
    return selectors.listing_queryset(model)


def page_resource(router, **options) -> None:
    """List and detail endpoints of a page type (`list_and_detail`'s options): items come from
    already public querysets, looked up by page id (drafts and private pages are
    indistinguishable from missing ones); Last-Modified from the pages' publication dates."""
    list_and_detail(
        router,
        key=page_key(),
        list_modified=latest_published,
        detail_modified=lambda page: page.last_published_at,
        **options,
    )

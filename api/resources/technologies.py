"""Technologies: the /technologies/ listing's filters, through its own form and selectors."""

from decimal import Decimal

from ninja import Field, Router, Schema

from api.common import MAX_VALUES, Envelope, Filters, cleaned_filters, page_link
from api.downloads import Column, Dataset, field_column, term_names, term_slugs
from api.resources.cases import PageRef
from api.resources.pages import (
    BODY_HTML_EN,
    PageOut,
    body_html,
    body_html_en,
    listing,
    page_fields,
    page_resource,
)
from api.resources.taxonomy import WasteRef, waste_ref
from cases import selectors
from cases.forms import TechnologyFilterForm
from cases.models import TechnologyPage

router = Router(tags=["技术"])


class TechnologyFilters(Filters):
    waste: list[str] = Field(
        [], max_length=MAX_VALUES, description="适用废物类别标识（含其下级类别）；可重复"
    )
    maturity: TechnologyPage.Maturity | None = Field(
        None, description="成熟度：research 研发阶段 / pilot 试点应用 / commercial 推广应用"
    )
    tag: str = Field("", max_length=50, description="标签（完全相同）")


class Figure(Schema):
    name: str
    value: Decimal
    unit: str
    note: str


class TechnologyOut(PageOut):
    external_id: str | None
    summary: str
    waste_categories: list[WasteRef]
    maturity: str
    provider: str = Field(description="技术提供方（机构名称）")
    tags: list[str]
    reference_cases: list[PageRef] = Field(description="应用该技术的公开试点经验")
    source: str


class TechnologyDetail(TechnologyOut):
    body_html: str
    body_html_en: str = BODY_HTML_EN
    figures: list[Figure] = Field(description="性能与成本")


class TechnologyList(Envelope):
    results: list[TechnologyOut]


def serialize(technology: TechnologyPage, request) -> dict:
    return {
        **page_fields(technology, request),
        "external_id": technology.external_id,
        "summary": technology.summary,
        "waste_categories": [waste_ref(c) for c in technology.waste_categories.all()],
        "maturity": technology.maturity,
        "provider": technology.provider,
        "tags": sorted(tag.name for tag in technology.tags.all()),
        "reference_cases": [
            {"id": c.id, "title": c.title, "url": page_link(c, request)}
            for c in technology.public_reference_cases
        ],
        "source": technology.source,
    }


def serialize_detail(technology: TechnologyPage, request) -> dict:
    return {
        **serialize(technology, request),
        "body_html": body_html(technology),
        "body_html_en": body_html_en(technology),
        "figures": [
            {"name": f.name, "value": f.value, "unit": f.unit, "note": f.note}
            for f in technology.indicators.all()
        ],
    }


def filtered(request, filters=None):
    """The technologies the /technologies/ page lists for the same query parameters."""
    cleaned = cleaned_filters(TechnologyFilterForm, request)
    return selectors.filter_technologies(listing(TechnologyPage), cleaned)


page_resource(
    router,
    module=__name__,
    path="/technologies/",
    names=("list_technologies", "get_technology"),
    summaries=("技术列表", "技术"),
    description="与“技术”栏目相同的筛选。",
    schemas=(TechnologyList, TechnologyDetail),
    filters=TechnologyFilters,
    items=filtered,
    detail_items=lambda: listing(TechnologyPage).prefetch_related("indicators"),
    serialize=serialize,
    serialize_detail=serialize_detail,
)


dataset = Dataset(
    name="technologies",
    title="技术",
    filters=TechnologyFilters,
    queryset=filtered,
    serialize=serialize,
    columns=[
        field_column("id", "页面编号"),
        field_column("external_id", "外部编号"),
        field_column("title", "标题"),
        field_column("url", "页面地址"),
        Column("waste_categories", "适用废物类别标识（；分隔）", term_slugs("waste_categories")),
        Column("waste_category_names", "适用废物类别（；分隔）", term_names("waste_categories")),
        field_column("maturity", "成熟度"),
        field_column("provider", "技术提供方"),
        field_column("tags", "标签（；分隔）"),
        Column(
            "reference_cases",
            "应用案例页面编号（；分隔）",
            lambda item: [case["id"] for case in item["reference_cases"]],
        ),
        field_column("summary", "摘要"),
        field_column("source", "来源"),
        field_column("first_published_at", "首次发布时间"),
        field_column("last_published_at", "最近发布时间"),
    ],
)

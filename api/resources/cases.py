"""Pilot experiences (试点经验): the /cases/ listing's filters, through its own form and
selectors, so the API returns what the page lists."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router, Schema

from api.common import MAX_VALUES, Envelope, Filters, Ref, cleaned_filters, page_link
from api.downloads import Column, Dataset, field_column, term_names, term_slugs
from api.resources.pages import (
    BODY_HTML_EN,
    PageOut,
    body_html,
    body_html_en,
    listing,
    page_fields,
    page_resource,
)
from api.resources.taxonomy import WasteRef, ref, waste_ref
from cases import selectors
from cases.forms import CaseFilterForm
from cases.models import CasePage, TechnologyPage

router = Router(tags=["试点经验"])


class CaseFilters(Filters):
    waste: list[str] = Field(
        [], max_length=MAX_VALUES, description="废物类别标识（含其下级类别）；可重复，多个为“或”"
    )
    region: list[str] = Field(
        [],
        max_length=MAX_VALUES,
        description="行政区划代码、城市群（粤港澳）或东部/中部/西部/东北；可重复",
    )
    model: list[str] = Field([], max_length=MAX_VALUES, description="治理模式标识；可重复")
    batch: list[str] = Field([], max_length=MAX_VALUES, description="试点批次标识；可重复")
    tag: str = Field("", max_length=50, description="标签（完全相同）")


class CityRef(Schema):
    id: int
    title: str
    region_code: str


class Indicator(Schema):
    name: str
    value: Decimal
    unit: str
    baseline: Decimal | None
    year: int | None


class PolicyDocument(Schema):
    title: str
    url: str


class PageRef(Schema):
    id: int
    title: str
    url: str


class CaseOut(PageOut):
    external_id: str | None = Field(description="发布城市自己的编号")
    summary: str
    city: CityRef | None
    governance_model: Ref | None
    waste_categories: list[WasteRef]
    tags: list[str]
    start_year: int | None
    end_year: int | None
    published: date | None = Field(description="发布日期")
    source: str


class CaseDetail(CaseOut):
    source_section: str
    body_html: str = Field(description="正文（HTML）")
    body_html_en: str = BODY_HTML_EN
    indicators: list[Indicator] = Field(description="成效指标")
    policy_documents: list[PolicyDocument]
    technologies: list[PageRef] = Field(description="相关技术（仅公开的）")


class CaseList(Envelope):
    results: list[CaseOut]


def serialize(case: CasePage, request) -> dict:
    city = case.city
    return {
        **page_fields(case, request),
        "external_id": case.external_id,
        "summary": case.summary,
        "city": {"id": city.id, "title": city.title, "region_code": city.region.code}
        if city
        else None,
        "governance_model": ref(case.governance_model) if case.governance_model else None,
        "waste_categories": [waste_ref(c) for c in case.waste_categories.all()],
        "tags": sorted(tag.name for tag in case.tags.all()),
        "start_year": case.start_year,
        "end_year": case.end_year,
        "published": case.published_date,
        "source": case.source,
    }


def serialize_detail(case: CasePage, request) -> dict:
    technologies = selectors.public_pages(TechnologyPage).filter(reference_cases=case)
    return {
        **serialize(case, request),
        "source_section": case.source_section,
        "body_html": body_html(case),
        "body_html_en": body_html_en(case),
        "indicators": [
            {
                "name": i.name,
                "value": i.value,
                "unit": i.unit,
                "baseline": i.baseline,
                "year": i.year,
            }
            for i in case.indicators.all()
        ],
        "policy_documents": [
            {"title": d.title, "url": d.href} for d in case.policy_documents.all() if d.href
        ],
        "technologies": [
            {"id": t.id, "title": t.title, "url": page_link(t, request)}
            for t in technologies.order_by("title")
        ],
    }


def filtered(request, filters=None):
    """The cases the /cases/ page lists for the same query parameters."""
    cleaned = cleaned_filters(CaseFilterForm, request)
    return selectors.filter_cases(listing(CasePage), cleaned)


page_resource(
    router,
    module=__name__,
    path="/cases/",
    names=("list_cases", "get_case"),
    summaries=("试点经验列表", "试点经验"),
    description="与“试点经验”栏目相同的筛选：不同参数之间为“且”，同一参数的多个值为“或”。",
    schemas=(CaseList, CaseDetail),
    filters=CaseFilters,
    items=filtered,
    detail_items=lambda: listing(CasePage).prefetch_related("indicators", "policy_documents"),
    serialize=serialize,
    serialize_detail=serialize_detail,
)


dataset = Dataset(
    name="cases",
    title="试点经验",
    filters=CaseFilters,
    queryset=filtered,
    serialize=serialize,
    columns=[
        field_column("id", "页面编号"),
        field_column("external_id", "外部编号"),
        field_column("title", "标题"),
        field_column("url", "页面地址"),
        Column("city", "试点城市", lambda item: item["city"]["title"] if item["city"] else None),
        Column("region_code", "行政区划代码", lambda item: (item["city"] or {}).get("region_code")),
        Column(
            "governance_model",
            "治理模式标识",
            lambda item: (item["governance_model"] or {}).get("slug"),
        ),
        Column(
            "governance_model_name",
            "治理模式",
            lambda item: (item["governance_model"] or {}).get("name"),
        ),
        Column("waste_categories", "废物类别标识（；分隔）", term_slugs("waste_categories")),
        Column("waste_category_names", "废物类别（；分隔）", term_names("waste_categories")),
        field_column("tags", "标签（；分隔）"),
        field_column("start_year", "起始年份"),
        field_column("end_year", "结束年份"),
        field_column("published", "发布日期"),
        field_column("summary", "摘要"),
        field_column("source", "来源"),
        field_column("first_published_at", "首次发布时间"),
        field_column("last_published_at", "最近发布时间"),
    ],
)

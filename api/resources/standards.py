"""无废细胞 standards. Only the fields the standard page has today; the standards app extends
this module when it restructures them."""

from datetime import date
from decimal import Decimal

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
from api.resources.cases import CityRef
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
from cases.models import StandardPage

router = Router(tags=["无废细胞标准"])


class StandardFilters(Filters):
    # The listing page's only filter (StandardIndexPage.get_context).
    cell_type: StandardPage.CellType | None = Field(None, description="细胞类型")


class StandardOut(PageOut):
    external_id: str | None
    summary: str
    cell_type: str
    cell_type_label: str
    city: CityRef | None = Field(description="发布城市")
    issuing_body: str
    version: str
    issued_date: date | None
    pass_threshold: Decimal | None = Field(description="达标分数线")
    source: str


class StandardDetail(StandardOut):
    body_html: str
    body_html_en: str = BODY_HTML_EN
    veto_items: list[str] = Field(description="一票否决项")


class StandardList(Envelope):
    results: list[StandardOut]


def serialize(standard: StandardPage, request) -> dict:
    city = standard.city
    return {
        **page_fields(standard, request),
        "external_id": standard.external_id,
        "summary": standard.summary,
        "cell_type": standard.cell_type,
        "cell_type_label": standard.get_cell_type_display(),
        "city": {"id": city.id, "title": city.title, "region_code": city.region.code}
        if city
        else None,
        "issuing_body": standard.issuing_body,
        "version": standard.version,
        "issued_date": standard.issued_date,
        "pass_threshold": standard.pass_threshold,
        "source": standard.source,
    }


def serialize_detail(standard: StandardPage, request) -> dict:
    return {
        **serialize(standard, request),
        "body_html": body_html(standard),
        "body_html_en": body_html_en(standard),
        "veto_items": standard.veto_list,
    }


def filtered(filters: StandardFilters):
    standards = listing(StandardPage).select_related("city__region")
    if filters.cell_type:
        standards = standards.filter(cell_type=filters.cell_type)
    return standards


@router.get(
    "/standards/",
    response=list_responses(StandardList),
    summary="无废细胞标准列表",
    description="与“无废细胞标准”栏目相同的筛选（细胞类型）。",
)
def list_standards(
    request, response: HttpResponse, filters: Query[StandardFilters], paging: Query[Paging]
):
    check_parameters(request, StandardFilters, Paging)
    standards = filtered(filters)
    set_last_modified(response, latest_published(standards))
    return paginate(request, standards, paging, serialize)


@router.get("/standards/{id}/", response=detail_responses(StandardDetail), summary="无废细胞标准")
def get_standard(request, response: HttpResponse, id: int = page_id_param()):
    check_parameters(request)
    standard = public_page(listing(StandardPage).select_related("city__region"), id)
    set_last_modified(response, standard.last_published_at)
    return serialize_detail(standard, request)

"""无废细胞 standards. Only the fields the standard page has today; the standards app extends
this module when it restructures them."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router

from api.common import Envelope, Filters
from api.resources.cases import CityRef
from api.resources.pages import PageOut, body_html, listing, page_fields, page_resource
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
        "veto_items": standard.veto_list,
    }


def filtered(request, filters: StandardFilters | None):
    standards = listing(StandardPage).select_related("city__region")
    if filters and filters.cell_type:
        standards = standards.filter(cell_type=filters.cell_type)
    return standards


page_resource(
    router,
    module=__name__,
    path="/standards/",
    names=("list_standards", "get_standard"),
    summaries=("无废细胞标准列表", "无废细胞标准"),
    description="与“无废细胞标准”栏目相同的筛选（细胞类型）。",
    schemas=(StandardList, StandardDetail),
    filters=StandardFilters,
    items=filtered,
    serialize=serialize,
    serialize_detail=serialize_detail,
)

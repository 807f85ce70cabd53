"""The register of recognised 无废细胞: the /cells/register/ page's filters, through its own form
and selectors, so the API lists what the page lists (same order). Public fields only: the
register's columns, never the application, its contact data or a revocation's reasons.

Cells carry no modification date, so answers have an ETag (conditional GET on If-None-Match)
and no Last-Modified."""

from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from ninja import Field, Path, Router, Schema
from wagtail.models import Page

from api.common import Envelope, Filters, cleaned_filters
from api.downloads import Column, Dataset, field_column
from api.resources.endpoints import Key, list_and_detail
from api.resources.pages import MAX_PAGE_ID
from cases.models import StandardPage
from standards import selectors
from standards.forms import RegisterFilterForm
from standards.models import Cell

router = Router(tags=["无废细胞名录"])

CELL_TYPE_LABELS = dict(StandardPage.CellType.choices)
STATUS_LABELS = dict(Cell.Status.choices)


class CellFilters(Filters):
    city: int | None = Field(None, ge=1, le=MAX_PAGE_ID, description="城市页面编号")
    cell_type: StandardPage.CellType | None = Field(None, description="细胞类型")
    standard: int | None = Field(
        None, ge=1, le=MAX_PAGE_ID, description="依据标准的页面编号（公开的标准）"
    )
    status: Cell.Status | None = Field(
        None, description="valid 有效 / expired 已过期 / revoked 已撤销"
    )
    year: int | None = Field(None, ge=1990, le=2100, description="认定年份")


class CellCity(Schema):
    id: int
    title: str


class CellOut(Schema):
    id: int = Field(description="名录编号（稳定）")
    certificate_number: str = Field(description="证书编号")
    name: str
    cell_type: str
    cell_type_label: str
    city: CellCity
    district: str
    standard_id: int | None = Field(description="依据标准的页面编号（平台收录的标准）")
    standard_title: str = Field(description="依据标准名称（认定时）")
    standard_version: str
    score: Decimal | None
    recognised_on: date = Field(description="认定日期")
    expires_on: date | None = Field(description="有效期至")
    status: str
    status_label: str


class CellList(Envelope):
    results: list[CellOut]


def _with_city_title(cells):
    # A subquery per returned row, not a join: the listing keeps its ordering index at 50,000.
    return cells.annotate(
        city_title=Subquery(Page.objects.filter(pk=OuterRef("city_id")).values("title")[:1])
    )


def filtered(request, filters=None):
    """The cells the register page lists for the same query parameters."""
    cleaned = cleaned_filters(RegisterFilterForm, request) if request is not None else {}
    return _with_city_title(selectors.register_rows(selectors.register_queryset(cleaned)))


def serialize(cell: Cell, request=None) -> dict:
    return {
        "id": cell.pk,
        "certificate_number": cell.certificate_number,
        "name": cell.name,
        "cell_type": cell.cell_type,
        "cell_type_label": str(CELL_TYPE_LABELS.get(cell.cell_type, cell.cell_type)),
        "city": {"id": cell.city_id, "title": cell.city_title or ""},
        "district": cell.district,
        "standard_id": cell.standard_id,
        "standard_title": cell.standard_title,
        "standard_version": cell.standard_version,
        "score": cell.score,
        "recognised_on": cell.recognised_on,
        "expires_on": cell.expires_on,
        "status": cell.status,
        "status_label": STATUS_LABELS.get(cell.status, cell.status),
    }


list_and_detail(
    router,
    module=__name__,
    path="/cells/",
    names=("list_cells", "get_cell"),
    summaries=("无废细胞名录", "无废细胞"),
    description="与“无废细胞名录”页面相同的筛选（城市、类型、依据标准、状态、认定年份）与顺序"
    "（认定日期从新到旧）；只含名录公开的字段，不含申报单位联系人等信息。",
    schemas=(CellList, CellOut),
    filters=CellFilters,
    items=filtered,
    serialize=serialize,
    key=Key("id", int, Path(..., ge=1, le=MAX_PAGE_ID, description="名录编号"), lookup="pk"),
    dated=False,
)


dataset = Dataset(
    name="cells",
    title="无废细胞名录",
    filters=CellFilters,
    queryset=filtered,
    serialize=serialize,
    modified=None,
    columns=[
        field_column("id", "名录编号"),
        field_column("certificate_number", "证书编号"),
        field_column("name", "名称"),
        field_column("cell_type", "细胞类型标识"),
        field_column("cell_type_label", "细胞类型"),
        Column("city_id", "城市页面编号", lambda item: item["city"]["id"]),
        Column("city", "城市", lambda item: item["city"]["title"]),
        field_column("district", "区县"),
        field_column("standard_id", "依据标准页面编号"),
        field_column("standard_title", "依据标准"),
        field_column("standard_version", "标准版本"),
        field_column("score", "得分"),
        field_column("recognised_on", "认定日期"),
        field_column("expires_on", "有效期至"),
        field_column("status", "状态标识"),
        field_column("status_label", "状态"),
    ],
)

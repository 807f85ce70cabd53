"""无废细胞 standards with their scorecard: dimensions → indicators (code, text, maximum,
scoring method and levels), bonus items and their cap, the pass line, veto items, eligibility,
version and status, and the standards a version supersedes or was derived from."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router, Schema

from api.common import Envelope, Filters, page_link
from api.resources.cases import CityRef, PageRef
from api.resources.pages import (
    BODY_HTML_EN,
    PageOut,
    body_html,
    body_html_en,
    listing,
    page_fields,
    page_resource,
)
from cases.blocks import StandardIndicatorBlock
from cases.models import StandardPage

METHOD_LABELS = dict(StandardIndicatorBlock.base_blocks["method"].field.choices)

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
    issuing_level: str = Field(description="发布层级：province / city / district；未填为空")
    doc_number: str = Field(description="文号")
    version: str
    issued_date: date | None
    effective_date: date | None = Field(description="施行日期")
    status: str = Field(description="current 现行 / abolished 已废止 / draft 征求意见")
    status_label: str
    is_example: bool = Field(description="为试用平台编写的示例，不是已发布的标准")
    pass_threshold: Decimal | None = Field(description="达标分数线")
    source: str


class ScoreLevel(Schema):
    label: str
    points: Decimal


class ScoredIndicator(Schema):
    code: str = Field(description="指标编号（同一标准内唯一，跨版本不变）")
    text: str = Field(description="指标")
    guidance: str = Field(description="评分要求与指引")
    evidence: str = Field(description="佐证材料")
    max_points: Decimal = Field(description="分值")
    method: str = Field(
        description="评分方式：yesno 是/否 / graded 分级评分 / deduction 按问题扣分"
    )
    method_label: str
    levels: list[ScoreLevel] = Field(description="等级与得分（分级评分）")
    deduction: Decimal | None = Field(description="每处问题扣分（按问题扣分）")
    required: bool = Field(description="必答")


class Dimension(Schema):
    name: str
    max_points: Decimal = Field(description="本维度各指标分值之和")
    indicators: list[ScoredIndicator]


class BonusItem(Schema):
    code: str
    text: str
    points: Decimal


class Scorecard(Schema):
    dimensions: list[Dimension]
    max_points: Decimal = Field(description="各指标分值之和（不含加分）")
    bonus_items: list[BonusItem]
    bonus_cap: Decimal | None = Field(description="加分上限")
    pass_threshold: Decimal | None = Field(description="达标分数线")
    veto_items: list[str] = Field(description="一票否决项")
    eligibility: list[str] = Field(description="申报条件")
    validity_years: int | None = Field(description="认定有效期（年）")
    review_rule: str = Field(description="复评规则")


class StandardDetail(StandardOut):
    body_html: str
    body_html_en: str = BODY_HTML_EN
    veto_items: list[str] = Field(description="一票否决项")
    scorecard: Scorecard = Field(description="评分表；没有结构化评分表的标准 dimensions 为空")
    supersedes: PageRef | None = Field(description="本版本取代的上一版本（公开的）")
    derived_from: PageRef | None = Field(description="本标准据以改编的标准（公开的）")
    current_version: PageRef | None = Field(
        description="取代本版本的现行版本；本版本即现行则为 null"
    )


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
        "issuing_level": standard.issuing_level,
        "doc_number": standard.doc_number,
        "version": standard.version,
        "issued_date": standard.issued_date,
        "effective_date": standard.effective_date,
        "status": standard.status,
        "status_label": standard.get_status_display(),
        "is_example": standard.is_example,
        "pass_threshold": standard.pass_threshold,
        "source": standard.source,
    }


def _indicator(value) -> dict:
    return {
        "code": value["code"],
        "text": value["name"],
        "guidance": value["description"] or "",
        "evidence": value["evidence"] or "",
        "max_points": value["max_score"] or Decimal(0),
        "method": value["method"],
        "method_label": METHOD_LABELS.get(value["method"], value["method"]),
        "levels": [{"label": lv["label"], "points": lv["points"]} for lv in value["levels"]],
        "deduction": value["deduction"],
        "required": bool(value["required"]),
    }


def scorecard(standard: StandardPage) -> dict:
    dimensions = [
        {
            "name": dimension.value["name"],
            "max_points": sum(
                (i["max_score"] or Decimal(0) for i in dimension.value["indicators"]), Decimal(0)
            ),
            "indicators": [_indicator(i) for i in dimension.value["indicators"]],
        }
        for dimension in standard.dimensions
    ]
    return {
        "dimensions": dimensions,
        "max_points": sum((d["max_points"] for d in dimensions), Decimal(0)),
        "bonus_items": [
            {"code": b.value["code"], "text": b.value["text"], "points": b.value["points"]}
            for b in standard.bonus_items
        ],
        "bonus_cap": standard.bonus_cap,
        "pass_threshold": standard.pass_threshold,
        "veto_items": standard.veto_list,
        "eligibility": standard.eligibility_list,
        "validity_years": standard.validity_years,
        "review_rule": standard.review_rule,
    }


def _public_ref(page_id: int | None, request) -> dict | None:
    """A linked standard, only if it is public (a draft or private one is not named)."""
    page = listing(StandardPage).filter(pk=page_id).first() if page_id else None
    return {"id": page.id, "title": page.title, "url": page_link(page, request)} if page else None


def serialize_detail(standard: StandardPage, request) -> dict:
    return {
        **serialize(standard, request),
        "body_html": body_html(standard),
        "body_html_en": body_html_en(standard),
        "veto_items": standard.veto_list,
        "scorecard": scorecard(standard),
        "supersedes": _public_ref(standard.previous_version_id, request),
        "derived_from": _public_ref(standard.derived_from_id, request),
        "current_version": _public_ref(
            standard.current_version.pk if standard.current_version else None, request
        ),
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

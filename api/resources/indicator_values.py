"""Indicator values: approved values of public cities only, with the comparison page's filters
(indicator, year, region tier, city cluster, pilot batch — validated by its own form) and the
dashboard's (a city). Without `year` every approved year is listed (the comparison page shows
each city's latest; with `year` both hold the same rows)."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Max
from ninja import Field, Path, Router, Schema

from api.common import BadParameter, Envelope, Filters, cleaned_filters
from api.downloads import Column, Dataset, field_column
from api.resources.endpoints import Key, list_and_detail
from api.resources.pages import MAX_PAGE_ID
from cases.models import Region
from indicators import selectors
from indicators.forms import CLUSTERS, CompareForm
from indicators.models import IndicatorValue

router = Router(tags=["指标数值"])

CLUSTER_NAMES = tuple(value for value, _ in CLUSTERS)

# The dashboard's fields of a reported value (selectors.REPORTED_FIELDS) and what names it.
VALUE_FIELDS = [*selectors.REPORTED_FIELDS, "approved_at"]
FIELDS = [
    "id",
    *VALUE_FIELDS,
    "city_id",
    "indicator__code",
    "indicator__name",
    "indicator__unit",
]


class ValueFilters(Filters):
    indicator: str = Field("", max_length=30, description="指标编码（如指标体系页面所列）")
    city: int | None = Field(None, ge=1, le=MAX_PAGE_ID, description="城市页面编号（公开的城市）")
    year: int | None = Field(None, ge=1990, le=2100, description="年份")
    tier: Region.MacroRegion | None = Field(None, description="东部 / 中部 / 西部 / 东北")
    cluster: str = Field("", max_length=10, description=f"城市群：{'、'.join(CLUSTER_NAMES)}")
    batch: str = Field("", max_length=50, description="试点批次标识")


class ValueIndicator(Schema):
    code: str
    name: str
    unit: str


class ValueCity(Schema):
    id: int
    title: str
    province: str
    tier: str = Field(description="东部 / 中部 / 西部 / 东北")


class IndicatorValueOut(Schema):
    id: int = Field(description="数值编号（稳定）")
    indicator: ValueIndicator
    city: ValueCity
    year: int
    value: Decimal
    target: Decimal | None
    target_year: int | None
    baseline: Decimal | None
    baseline_year: int | None
    source: str = Field(description="数据来源")
    note: str
    approved_at: datetime | None = Field(description="审核通过时间")


class IndicatorValueList(Envelope):
    results: list[IndicatorValueOut]


def _public_cities(request) -> dict:
    """The public cities' plain values (one query), read once per request."""
    if request is None:
        return selectors.city_infos()
    if not hasattr(request, "_public_city_infos"):
        request._public_city_infos = selectors.city_infos()
    return request._public_city_infos


def filtered(request, filters=None):
    """Approved values of public cities matching the comparison page's filters (and a city)."""
    cleaned = cleaned_filters(CompareForm, request) if request is not None else {}
    infos = _public_cities(request)
    cities = {pk for pk, info in infos.items() if selectors.matches(info, cleaned)}
    city = getattr(filters, "city", None)
    if city is not None:
        if city not in infos:
            raise BadParameter("city", f"没有这个公开的试点城市：{city}")
        cities &= {city}
    values = IndicatorValue.objects.filter(
        status=IndicatorValue.Status.APPROVED, city_id__in=sorted(cities)
    )
    if cleaned.get("indicator"):
        values = values.filter(indicator=cleaned["indicator"])
    if cleaned.get("year"):
        values = values.filter(year=cleaned["year"])
    # The unique (city, indicator, year) index gives the order.
    return values.order_by("city_id", "indicator_id", "year").values(*FIELDS)


def serialize(row: dict, request=None) -> dict:
    info = _public_cities(request)[row["city_id"]]
    return {
        "id": row["id"],
        "indicator": {
            "code": row["indicator__code"],
            "name": row["indicator__name"],
            "unit": row["indicator__unit"],
        },
        "city": {"id": info.pk, "title": info.title, "province": info.province, "tier": info.tier},
        **{key: row[key] for key in VALUE_FIELDS},
    }


def latest_change(*_):
    """When any value last changed (an approval, an edit, a return to draft): a value leaving
    the public set moves it too."""
    return IndicatorValue.objects.aggregate(latest=Max("updated_at"))["latest"]


list_and_detail(
    router,
    module=__name__,
    path="/indicator-values/",
    names=("list_indicator_values", "get_indicator_value"),
    summaries=("指标数值列表", "指标数值"),
    description="已审核的指标数值（仅公开的试点城市），筛选与“指标对比”页面相同（指标、年份、"
    "东中西部、城市群、批次），另可按城市（与城市指标看板相同）。",
    schemas=(IndicatorValueList, IndicatorValueOut),
    filters=ValueFilters,
    items=filtered,
    serialize=serialize,
    key=Key("id", int, Path(..., ge=1, le=MAX_PAGE_ID, description="数值编号"), lookup="id"),
    list_modified=latest_change,
    detail_modified=latest_change,
)


dataset = Dataset(
    name="indicator-values",
    title="指标数值",
    filters=ValueFilters,
    queryset=filtered,
    serialize=serialize,
    modified=lambda items: latest_change(),
    columns=[
        field_column("id", "数值编号"),
        Column("indicator_code", "指标编码", lambda item: item["indicator"]["code"]),
        Column("indicator", "指标", lambda item: item["indicator"]["name"]),
        Column("unit", "单位", lambda item: item["indicator"]["unit"]),
        Column("city_id", "城市页面编号", lambda item: item["city"]["id"]),
        Column("city", "城市", lambda item: item["city"]["title"]),
        Column("province", "省份", lambda item: item["city"]["province"]),
        Column("tier", "东中西部", lambda item: item["city"]["tier"]),
        field_column("year", "年份"),
        field_column("value", "数值"),
        field_column("target", "目标值"),
        field_column("target_year", "目标年份"),
        field_column("baseline", "基准值"),
        field_column("baseline_year", "基准年份"),
        field_column("source", "数据来源"),
        field_column("note", "备注"),
        field_column("approved_at", "审核通过时间"),
    ],
)

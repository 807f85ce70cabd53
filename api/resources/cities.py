"""Pilot cities and areas with their place in the taxonomy."""

from django.db.models import Count, Q
from ninja import Field, Router

from api.common import MAX_VALUES, BadParameter, Envelope, Filters, Ref
from api.resources.pages import (
    BODY_HTML_EN,
    PageOut,
    body_html,
    body_html_en,
    listing,
    page_fields,
    page_resource,
)
from api.resources.taxonomy import RegionRef, ref
from cases import taxonomy_cache
from cases.models import CityPage, PilotBatch

router = Router(tags=["试点城市"])


class CityFilters(Filters):
    region: list[str] = Field(
        [],
        max_length=MAX_VALUES,
        description="行政区划代码、城市群（粤港澳）或东部/中部/西部/东北；可重复",
    )
    batch: list[str] = Field([], max_length=MAX_VALUES, description="试点批次标识；可重复")


class CityOut(PageOut):
    region: RegionRef
    province: RegionRef
    macro_region: str
    clusters: list[str]
    admin_code: str = Field(description="试点范围的行政区划代码（如区、县）")
    kind: str
    kind_label: str
    batch: Ref | None
    summary: str
    note: str
    size_class: str = Field(description="城市规模（国发〔2014〕51号，按城区常住人口）；未填为空")
    gdp_band: str = Field(description="地区生产总值区间；未填为空")
    profile_source: str = Field(description="城市规模与地区生产总值的数据来源")
    case_count: int = Field(description="公开的试点经验条数")


class CityDetail(CityOut):
    body_html: str
    body_html_en: str = BODY_HTML_EN


class CityList(Envelope):
    results: list[CityOut]


def serialize(city: CityPage, request) -> dict:
    region, province = city.region, city.region.province
    return {
        **page_fields(city, request),
        "region": {"code": region.code, "name": region.name},
        "province": {"code": province.code, "name": province.name},
        "macro_region": province.macro_region,
        "clusters": list(dict.fromkeys(region.cluster_list + province.cluster_list)),
        "admin_code": city.admin_code,
        "kind": city.kind,
        "kind_label": city.get_kind_display(),
        "batch": ref(city.batch) if city.batch else None,
        "summary": city.summary,
        "note": city.note,
        "size_class": city.size_class,
        "gdp_band": city.gdp_band,
        "profile_source": city.profile_source,
        "case_count": city.case_count,
    }


def serialize_detail(city: CityPage, request) -> dict:
    return {
        **serialize(city, request),
        "body_html": body_html(city),
        "body_html_en": body_html_en(city),
    }


def _cities():
    return listing(CityPage).annotate(
        case_count=Count(
            "case_pages", filter=Q(case_pages__live=True, case_pages__view_restrictions=None)
        )
    )


def filtered(request, filters: CityFilters | None):
    cities = _cities()
    if filters is None:
        return cities
    if filters.region:
        unknown = set(filters.region) - taxonomy_cache.known_region_values()
        if unknown:
            raise BadParameter("region", f"没有这个地区：{sorted(unknown)[0]}")
        cities = cities.filter(region__in=taxonomy_cache.region_ids_for(filters.region))
    if filters.batch:
        batches = list(PilotBatch.objects.filter(slug__in=filters.batch))
        if len(batches) < len(set(filters.batch)):
            missing = sorted(set(filters.batch) - {b.slug for b in batches})[0]
            raise BadParameter("batch", f"没有这个选项：{missing}")
        cities = cities.filter(batch__in=batches)
    return cities


page_resource(
    router,
    module=__name__,
    path="/cities/",
    names=("list_cities", "get_city"),
    summaries=("试点城市列表", "试点城市"),
    description="试点城市与地区，按行政区划代码排序；可按地区与批次筛选。",
    schemas=(CityList, CityDetail),
    filters=CityFilters,
    items=filtered,
    serialize=serialize,
    serialize_detail=serialize_detail,
)

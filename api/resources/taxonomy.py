"""The taxonomies: waste categories (a tree), regions (GB/T 2260), governance models, batches.
Their stable ids are their slugs (regions: their codes)."""

from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from api.common import (
    Envelope,
    Filters,
    Paging,
    Ref,
    check_parameters,
    detail_responses,
    list_responses,
    paginate,
    set_last_modified,
)
from cases.models import GovernanceModel, PilotBatch, Region, WasteCategory

router = Router(tags=["分类目录"])


class WasteRef(Ref):
    code: str = Field(description="《国家危险废物名录》类别代码，如 HW18；没有则为空")


class WasteCategoryOut(WasteRef):
    name_en: str
    aliases: list[str]
    parent: str | None = Field(description="上级类别的标识")
    description: str


class RegionRef(Schema):
    code: str = Field(description="GB/T 2260 行政区划代码")
    name: str


class RegionOut(RegionRef):
    level: str = Field(description="province 省级 / city 地级")
    parent: str | None = Field(description="所属省份的代码")
    macro_region: str = Field(description="东部 / 中部 / 西部 / 东北")
    clusters: list[str] = Field(description="城市群：京津冀、长三角、粤港澳、成渝")
    aliases: list[str]


class TermOut(Ref):
    name_en: str
    aliases: list[str]
    description: str


class BatchOut(TermOut):
    year: int


class WasteCategoryList(Envelope):
    results: list[WasteCategoryOut]


class RegionList(Envelope):
    results: list[RegionOut]


class TermList(Envelope):
    results: list[TermOut]


class BatchList(Envelope):
    results: list[BatchOut]


class RegionFilters(Filters):
    level: Region.Level | None = Field(None, description="province 或 city")
    parent: str = Field("", max_length=6, description="所属省份的代码，如 440000")


def waste_ref(category: WasteCategory) -> dict:
    return {"slug": category.slug, "name": category.name, "code": category.code}


def ref(term) -> dict:
    return {"slug": term.slug, "name": term.name}


def _waste(category, request=None) -> dict:
    return {
        **waste_ref(category),
        "name_en": category.name_en,
        "aliases": category.alias_list,
        "parent": category.parent.slug if category.parent_id else None,
        "description": category.description,
    }


def _region(region, request=None) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent.code if region.parent_id else None,
        "macro_region": region.province.macro_region,
        "clusters": region.cluster_list,
        "aliases": [a for a in region.all_names() if a not in (region.name, region.code)],
    }


def _term(term, request=None) -> dict:
    return {
        **ref(term),
        "name_en": term.name_en,
        "aliases": term.alias_list,
        "description": term.description,
    }


def _batch(batch, request=None) -> dict:
    return {**_term(batch), "year": batch.year}


def _get(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/waste-categories/",
    response=list_responses(WasteCategoryList),
    summary="废物类别列表",
    description="废物类别的树（以 parent 连接），含危险废物名录代码与别名。",
)
def list_waste_categories(request, response: HttpResponse, paging: Query[Paging]):
    check_parameters(request, Paging)
    set_last_modified(response)
    return paginate(request, WasteCategory.objects.select_related("parent"), paging, _waste)


@router.get(
    "/waste-categories/{slug}/",
    response=detail_responses(WasteCategoryOut),
    summary="废物类别",
)
def get_waste_category(request, response: HttpResponse, slug: Path[str]):
    check_parameters(request)
    set_last_modified(response)
    return _waste(_get(WasteCategory.objects.select_related("parent"), slug=slug))


@router.get(
    "/regions/",
    response=list_responses(RegionList),
    summary="行政区列表",
    description="省级与地级行政区（GB/T 2260），含东中西部与城市群。",
)
def list_regions(
    request, response: HttpResponse, filters: Query[RegionFilters], paging: Query[Paging]
):
    check_parameters(request, RegionFilters, Paging)
    regions = Region.objects.select_related("parent")
    if filters.level:
        regions = regions.filter(level=filters.level)
    if filters.parent:
        regions = regions.filter(parent__code=filters.parent)
    set_last_modified(response)
    return paginate(request, regions, paging, _region)


@router.get("/regions/{code}/", response=detail_responses(RegionOut), summary="行政区")
def get_region(request, response: HttpResponse, code: Path[str]):
    check_parameters(request)
    set_last_modified(response)
    return _region(_get(Region.objects.select_related("parent"), code=code))


@router.get(
    "/governance-models/",
    response=list_responses(TermList),
    summary="治理模式列表",
    description="综合治理、工业固废、农业固废、城市（生活）固废、危险废物五种治理模式。",
)
def list_governance_models(request, response: HttpResponse, paging: Query[Paging]):
    check_parameters(request, Paging)
    set_last_modified(response)
    return paginate(request, GovernanceModel.objects.all(), paging, _term)


@router.get("/governance-models/{slug}/", response=detail_responses(TermOut), summary="治理模式")
def get_governance_model(request, response: HttpResponse, slug: Path[str]):
    check_parameters(request)
    set_last_modified(response)
    return _term(_get(GovernanceModel.objects.all(), slug=slug))


@router.get("/batches/", response=list_responses(BatchList), summary="试点批次列表")
def list_batches(request, response: HttpResponse, paging: Query[Paging]):
    check_parameters(request, Paging)
    set_last_modified(response)
    return paginate(request, PilotBatch.objects.all(), paging, _batch)


@router.get("/batches/{slug}/", response=detail_responses(BatchOut), summary="试点批次")
def get_batch(request, response: HttpResponse, slug: Path[str]):
    check_parameters(request)
    set_last_modified(response)
    return _batch(_get(PilotBatch.objects.all(), slug=slug))

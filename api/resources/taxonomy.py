"""The taxonomies: waste categories (a tree), regions (GB/T 2260), governance models, batches.
Their stable ids are their slugs (regions: their codes)."""

from ninja import Field, Router, Schema

from api.common import Envelope, Filters, Ref
from api.resources.endpoints import list_and_detail, slug_key
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


def _regions(request, filters: RegionFilters | None):
    regions = Region.objects.select_related("parent")
    if filters and filters.level:
        regions = regions.filter(level=filters.level)
    if filters and filters.parent:
        regions = regions.filter(parent__code=filters.parent)
    return regions


list_and_detail(
    router,
    module=__name__,
    path="/waste-categories/",
    names=("list_waste_categories", "get_waste_category"),
    summaries=("废物类别列表", "废物类别"),
    description="废物类别的树（以 parent 连接），含危险废物名录代码与别名。",
    schemas=(WasteCategoryList, WasteCategoryOut),
    items=lambda request, filters: WasteCategory.objects.select_related("parent"),
    serialize=_waste,
)
list_and_detail(
    router,
    module=__name__,
    path="/regions/",
    names=("list_regions", "get_region"),
    summaries=("行政区列表", "行政区"),
    description="省级与地级行政区（GB/T 2260），含东中西部与城市群。",
    schemas=(RegionList, RegionOut),
    filters=RegionFilters,
    items=_regions,
    serialize=_region,
    key=slug_key("code"),
)
list_and_detail(
    router,
    module=__name__,
    path="/governance-models/",
    names=("list_governance_models", "get_governance_model"),
    summaries=("治理模式列表", "治理模式"),
    description="综合治理、工业固废、农业固废、城市（生活）固废、危险废物五种治理模式。",
    schemas=(TermList, TermOut),
    items=lambda request, filters: GovernanceModel.objects.all(),
    serialize=_term,
)
list_and_detail(
    router,
    module=__name__,
    path="/batches/",
    names=("list_batches", "get_batch"),
    summaries=("试点批次列表", "试点批次"),
    schemas=(BatchList, BatchOut),
    items=lambda request, filters: PilotBatch.objects.all(),
    serialize=_batch,
)

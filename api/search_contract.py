"""The OpenAPI description of the existing search endpoints (/api/search/ and
/api/search/autocomplete/, served by search/views.py). They keep their own paths and behaviour;
this module only describes them, so that the contract test checks them with the rest."""

from ninja import Field, Schema

from search.query import (
    CELL_TYPES,
    DEFAULT_PAGE_SIZE,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    SORTS,
    TYPES,
)


class SearchRef(Schema):
    slug: str
    name: str
    name_en: str = ""


class CellRef(Schema):
    certificate_number: str
    status: str = Field(description="valid 有效 / expired 已过期（已撤销的细胞不在检索中）")
    status_label: str
    expires_on: str | None
    score: str | None
    standard: str


class SearchResult(Schema):
    type: str
    type_label: str
    title: str
    title_en: str = Field("", description="英文标题（无英文时为空）")
    url: str
    summary: str
    summary_en: str = Field("", description="英文摘要（无英文时为空）")
    highlight: str = Field(description="含 <mark> 标记的摘录")
    city: str
    region_code: str
    waste_categories: list[SearchRef]
    tags: list[str]
    published: str | None
    score: float | None
    cell: CellRef | None = Field(None, description="仅 type=cell：名录中的证书编号与状态")


class FacetOption(Schema):
    value: str
    label: str
    count: int


class Suggestion(Schema):
    kind: str = Field(description="query 改写建议 / relax 去掉筛选条件")
    text: str
    label: str
    count: int | None = None


class SearchResponse(Schema):
    query: str
    engine: str = Field(description="embedded / opensearch / elasticsearch")
    total: int
    page: int
    page_size: int
    results: list[SearchResult]
    facets: dict[str, list[FacetOption]]
    suggestions: list[Suggestion]
    match: str = Field(
        "all",
        description="all 结果都包含全部检索词 / some 少数包含，其后是部分匹配 / partial 全部是部分匹配",
    )
    corrected: str | None = Field(None, description="已自动更正时显示其结果的检索词")
    notice: str | None = Field(
        None, description="检索服务器不可用、已更正检索词或结果为部分匹配时的说明"
    )


class AutocompleteItem(Schema):
    title: str
    url: str
    type: str


class AutocompleteResponse(Schema):
    suggestions: list[AutocompleteItem]


class SearchError(Schema):
    error: str
    parameter: str


def _array(description: str, **items) -> dict:
    return {
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "description": description,
        "schema": {
            "type": "array",
            "maxItems": MAX_FILTER_VALUES,
            "items": {"type": "string", **items},
        },
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def search_paths() -> dict:
    search_parameters = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "检索词；引号内为精确短语，缩写与同义词自动扩展（危废 = 危险废物）",
            "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        },
        {"name": "type", **_array("内容类型；可重复", enum=list(TYPES))},
        {"name": "waste", **_array("废物类别标识；可重复")},
        {"name": "region", **_array("行政区划代码、城市群或东部/中部/西部/东北；可重复")},
        {"name": "batch", **_array("试点批次标识；可重复")},
        {"name": "model", **_array("治理模式标识；可重复")},
        {"name": "tag", **_array("标签；可重复", maxLength=100)},
        {"name": "year", **_array("发布年份；可重复", pattern="^(19|20)[0-9]{2}$")},
        {
            "name": "cell_type",
            **_array("无废细胞类型（标准与细胞）；可重复", enum=list(CELL_TYPES)),
        },
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
        },
    ]
    return {
        "/api/search/": {
            "get": {
                "operationId": "search",
                "tags": ["检索"],
                "summary": "全文检索",
                "description": "试点经验、技术、标准、城市与策略文章的检索，含分面统计与高亮。"
                "不同参数之间为“且”，同一参数的多个值为“或”。",
                "parameters": search_parameters,
                "responses": {
                    "200": _json("检索结果", "SearchResponse"),
                    "400": _json("参数错误，parameter 为出错的参数名", "SearchError"),
                },
            }
        },
        "/api/search/autocomplete/": {
            "get": {
                "operationId": "search_autocomplete",
                "tags": ["检索"],
                "summary": "检索框联想",
                "description": "标题与关键词以输入开头或包含输入的条目，最多 8 条。",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 50},
                    }
                ],
                "responses": {
                    "200": _json("联想条目", "AutocompleteResponse"),
                    "400": _json("参数错误", "SearchError"),
                },
            }
        },
    }


SCHEMAS = [SearchResponse, AutocompleteResponse, SearchError]

"""Downloads of the open data as CSV, JSON and XLSX, with the listing page's filters.

A data set is declared by its resource module (`dataset = Dataset(...)`): its filter schema,
the queryset function the list endpoint uses and the columns of the flat formats, each taken
from the API's own item. So a download holds the same rows as the API; indicator values and the
register become downloadable by declaring one more Dataset."""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from ninja import Field, Query, Router, Schema
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from api.common import absolute, check_parameters, content_last_modified, error_responses

# Values joined in one CSV/XLSX cell (slugs and names never contain it).
JOIN = "；"

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[dict], object]


def field_column(key: str, label: str) -> Column:
    return Column(key, label, lambda item: item[key])


def term_slugs(key: str):
    return lambda item: [term["slug"] for term in item[key]]


def term_names(key: str):
    return lambda item: [term["name"] for term in item[key]]


def joined(values) -> str:
    return JOIN.join(str(v) for v in values)


def _published(item: dict):
    value = item.get("last_published_at")
    return datetime.fromisoformat(value) if value else None


def pages_modified(items: list[dict]):
    """Last-Modified of a download of pages: their publication dates and the page logs."""
    return content_last_modified(*(_published(i) for i in items))


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    filters: type[Schema]
    # (request, filters) → the queryset the list endpoint pages through
    queryset: Callable
    serialize: Callable
    columns: list[Column] = field(default_factory=list)
    # (items) → the content's Last-Modified; None: the data has no dates, send none (ETag only)
    modified: Callable | None = pages_modified

    def rows(self, request, filters) -> list[dict]:
        # Every row, never a silent cut-off; a few thousand pages fit in memory easily.
        return [self.serialize(page, request) for page in self.queryset(request, filters)]

    def flat(self, item: dict) -> list:
        return [_cell(column.value(item)) for column in self.columns]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return joined(value)
    return value if isinstance(value, int | float | str) else str(value)


class Format(Schema):
    format: Literal["csv", "json", "xlsx"] = Field("csv", description="csv、json 或 xlsx")


def _statement(request, dataset: Dataset) -> dict:
    from api.models import OpenDataSettings

    settings = OpenDataSettings.for_request(request)
    url = absolute(request.get_full_path())
    today = timezone.localdate().isoformat()
    return {
        "licence": settings.licence_name or "尚未设置许可协议",
        "licence_url": settings.licence_url,
        "citation": settings.citation_for(dataset.title, url, today),
    }


def _csv(dataset: Dataset, items: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.key for c in dataset.columns])
    for item in items:
        writer.writerow(dataset.flat(item))
    # With a byte-order mark, spreadsheet programs read the Chinese as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(dataset: Dataset, items: list[dict], statement: dict, modified) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(dataset.title)
    sheet.append([c.key for c in dataset.columns])
    for item in items:
        row = []
        for value in dataset.flat(item):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Text stays text: a value starting with "=" must not become a formula.
                cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
    notes = book.create_sheet("说明")
    notes.append(["数据集", dataset.title])
    notes.append(["条数", len(items)])
    notes.append(["许可协议", statement["licence"]])
    notes.append(["许可协议链接", statement["licence_url"]])
    notes.append(["引用说明", statement["citation"]])
    notes.append([])
    notes.append(["字段", "说明"])
    for column in dataset.columns:
        notes.append([column.key, column.label])
    out = io.BytesIO()
    book.save(out)
    return _dated_by_data(out.getvalue(), book, modified)


def _dated_by_data(data: bytes, book: Workbook, modified) -> bytes:
    """openpyxl stamps each zip entry and the document properties (docProps/core.xml, set inside
    `save`) with the time of writing, so the same rows would give new bytes (and a new ETag)
    every second. Both carry the data's own date instead (a fixed one when it has none)."""
    stamp = modified.replace(tzinfo=None) if modified is not None else datetime(1980, 1, 1)
    book.properties.created = book.properties.modified = stamp
    core = tostring(book.properties.to_tree())
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            body = core if entry.filename == ARC_CORE else source.read(entry.filename)
            target.writestr(
                zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6]),
                body,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def download_response(request, dataset: Dataset, filters, fmt: str) -> HttpResponse:
    items = dataset.rows(request, filters)
    statement = _statement(request, dataset)
    modified = dataset.modified(items) if dataset.modified else None
    if fmt == "json":
        body = json.dumps(
            {
                "dataset": dataset.name,
                "title": dataset.title,
                **statement,
                "count": len(items),
                "results": items,
            },
            ensure_ascii=False,
            default=str,
        ).encode("utf-8")
    elif fmt == "xlsx":
        body = _xlsx(dataset, items, statement, modified)
    else:
        body = _csv(dataset, items)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.{fmt}"'
    if statement["licence_url"]:
        response["Link"] = f'<{statement["licence_url"]}>; rel="license"'
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response


def _openapi_responses() -> dict:
    return {
        "responses": {
            "200": {
                "description": "数据文件（CSV 为 UTF-8 带 BOM；JSON 含许可与引用说明；XLSX 含“说明”工作表）",
                "content": {
                    FORMATS["csv"].split(";")[0]: {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object"}},
                    FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    }


def router_for(datasets: list[Dataset]) -> Router:
    router = Router(tags=["数据下载"])
    for dataset in datasets:
        _add(router, dataset)
    return router


def _add(router: Router, dataset: Dataset) -> None:
    filters_schema = dataset.filters

    def download(request, filters: Query[filters_schema], fmt: Query[Format]):
        check_parameters(request, filters_schema, Format)
        return download_response(request, dataset, filters, fmt.format)

    download.__name__ = f"download_{dataset.name}"
    router.get(
        f"/downloads/{dataset.name}/",
        response={200: None, 304: None, **error_responses(400, 429)},
        summary=f"下载{dataset.title}（CSV/JSON/XLSX）",
        description=f"与“{dataset.title}”列表相同的筛选参数；format 选择文件格式。",
        openapi_extra=_openapi_responses(),
        url_name=f"download-{dataset.name}",
    )(download)

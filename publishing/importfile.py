"""Read an import file (JSON Lines, JSON array, CSV or XLSX) into numbered records.

The records use the field names of DESIGN.md ("Import format"). Row numbers are what the person
who made the file sees: the line of a JSON Lines file, the position (1, 2, …) of an object in a
JSON array, and the spreadsheet row of a CSV or XLSX file (the header is row 1, so the first
record is row 2). Blank lines and rows are skipped but keep their numbers.

Spreadsheets (CSV/XLSX): one column per field; the header may use the field names or their
Chinese labels (标题, 城市, 废物类别 …). List fields (waste_categories, tags, technologies) are
separated by 、 ; ； , or ，, or written as a JSON array; `indicators` is a JSON array; `body` is
text whose paragraphs are separated by blank lines (or a JSON array of blocks, as
`export_content` writes a body that has headings, tables or formatting). CSV may be UTF-8 (with
or without BOM) or GB18030/GBK, as Excel saves it in Chinese Windows.
"""

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("jsonl", "json", "csv", "xlsx")
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
MAX_ROWS = 50_000

LIST_FIELDS = ("waste_categories", "treatment_stages", "tags", "technologies", "reference_cases")
JSON_FIELDS = ("indicators", "dimensions", "bonus_items")
LIST_SEPARATORS = re.compile(r"[、;；,，\n]+")

# Chinese column headings people use in their spreadsheets → the import field names.
HEADER_ALIASES = {
    "类型": "type",
    "外部编号": "external_id",
    "编号": "external_id",
    "标题": "title",
    "名称": "title",
    "城市": "city",
    "试点城市": "city",
    "废物类别": "waste_categories",
    "治理模式": "governance_model",
    "标签": "tags",
    "摘要": "summary",
    "正文": "body",
    "发布日期": "published",
    "来源日期": "published",
    "起始年份": "start_year",
    "结束年份": "end_year",
    "来源": "source",
    "来源章节": "source_section",
    "章节": "source_section",
    "栏目": "section",
    "成效指标": "indicators",
    "指标": "indicators",
    "相关技术": "technologies",
    "背景与问题": "background",
    "主要做法": "measures",
    "成效说明": "outcomes",
    "投入与成本": "costs",
    "经验与教训": "lessons",
    "可复制要点": "replicable_points",
    "适用条件": "applicability",
    "牵头部门": "lead_office",
    "牵头部门公开联系方式": "lead_office_contact",
    "成熟度": "maturity",
    "处理环节": "treatment_stages",
    "技术提供方": "provider",
    "细胞类型": "cell_type",
    "发布机构": "issuing_body",
    "版本": "version",
}


@dataclass(frozen=True)
class Columns:
    """How a spreadsheet's header is read: Chinese headings → field names, the columns one of
    which must be present, and the `type` given to rows without one. Other imports (the
    indicator system and values) pass their own; the content import uses CONTENT_COLUMNS."""

    aliases: dict
    required: tuple[str, ...]
    default_type: str | None = None


CONTENT_COLUMNS = Columns(HEADER_ALIASES, ("title", "external_id"), "case")


class FileError(ValueError):
    """The file as a whole cannot be read (format, encoding, header)."""


@dataclass
class RowError:
    field: str
    message: str


@dataclass
class ParsedFile:
    format: str
    rows: list[tuple[int, dict | RowError]] = field(default_factory=list)

    def __len__(self):
        return len(self.rows)


def detect_format(name: str, head: bytes = b"") -> str:
    fmt = EXTENSIONS.get(Path(name or "").suffix.lower())
    if fmt:
        return fmt
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        return "jsonl"
    raise FileError(f"无法识别文件格式“{name}”：请使用 .jsonl、.json、.csv 或 .xlsx 文件")


def parse(
    data: bytes, name: str = "", fmt: str | None = None, columns: "Columns | None" = None
) -> ParsedFile:
    """Numbered records of the file's content `data` (bytes)."""
    fmt = fmt or detect_format(name, data[:64])
    if fmt not in FORMATS:
        raise FileError(f"不支持的格式“{fmt}”：应为 {'、'.join(FORMATS)}")
    if not data.strip():
        raise FileError("文件是空的")
    columns = columns or CONTENT_COLUMNS
    if fmt in ("csv", "xlsx"):
        parsed = {"csv": _csv, "xlsx": _xlsx}[fmt](data, columns)
    else:
        parsed = {"jsonl": _jsonl, "json": _json}[fmt](data)
    if len(parsed) > MAX_ROWS:
        raise FileError(f"一次最多导入 {MAX_ROWS} 行，文件有 {len(parsed)} 行，请拆分后导入")
    if not parsed.rows:
        raise FileError("文件中没有记录")
    return parsed


def parse_path(path, fmt: str | None = None) -> ParsedFile:
    path = Path(path)
    return parse(path.read_bytes(), path.name, fmt)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileError("文件编码无法识别：请保存为 UTF-8 编码") from None


def _jsonl(data: bytes) -> ParsedFile:
    parsed = ParsedFile("jsonl")
    for number, line in enumerate(_decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            parsed.rows.append((number, RowError("", f"不是有效的 JSON：{error.msg}")))
            continue
        parsed.rows.append((number, _object(record)))
    return parsed


def _json(data: bytes) -> ParsedFile:
    try:
        content = json.loads(_decode(data))
    except json.JSONDecodeError as error:
        raise FileError(f"不是有效的 JSON（第 {error.lineno} 行）：{error.msg}") from None
    if isinstance(content, dict):
        content = content.get("records", [content]) if "records" in content else [content]
    if not isinstance(content, list):
        raise FileError("JSON 文件应为记录数组")
    parsed = ParsedFile("json")
    parsed.rows = [(n, _object(item)) for n, item in enumerate(content, start=1)]
    return parsed


def _object(item) -> dict | RowError:
    if not isinstance(item, dict):
        return RowError("", "每条记录应为 JSON 对象")
    return item


def _csv(data: bytes, columns: Columns) -> ParsedFile:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise FileError(f"CSV 无法解析：{error}") from None
    return _table("csv", rows, columns)


def _xlsx(data: bytes, columns: Columns) -> ParsedFile:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileError(f"XLSX 文件无法打开：{error}") from None
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table("xlsx", rows, columns)


def _header(cells, columns: Columns) -> list[str]:
    names = []
    for cell in cells:
        name = _cell_text(cell).strip()
        key = name.lower().replace(" ", "_")
        names.append(columns.aliases.get(name, key))
    if not any(required in names for required in columns.required):
        raise FileError(f"第 1 行应为列名（须包含 {'、'.join(columns.required)} 等）")
    duplicates = {n for n in names if n and names.count(n) > 1}
    if duplicates:
        raise FileError(f"列名重复：{'、'.join(sorted(duplicates))}")
    return names


def _table(fmt: str, rows: list[list], columns: Columns) -> ParsedFile:
    parsed = ParsedFile(fmt)
    if not rows:
        return parsed
    names = _header(rows[0], columns)
    for number, cells in enumerate(rows[1:], start=2):
        if all(_cell_text(c).strip() == "" for c in cells):
            continue
        record: dict = {}
        error = None
        for name, cell in zip(names, cells, strict=False):
            if not name:
                continue
            try:
                record[name] = _cell_value(name, cell)
            except _CellError as problem:
                error = error or RowError(problem.field, problem.message)
        if len(cells) > len(names) and any(_cell_text(c).strip() for c in cells[len(names) :]):
            error = error or RowError("", f"本行有 {len(cells)} 列，多于列名的 {len(names)} 列")
        if columns.default_type and not record.get("type"):
            record["type"] = columns.default_type
        parsed.rows.append((number, error or record))
    return parsed


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        if cell.time() == datetime.time(0, 0):
            return cell.date().isoformat()
        return cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


class _CellError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _cell_value(name: str, cell):
    text = _cell_text(cell).strip()
    if name in LIST_FIELDS:
        if text.startswith("["):
            value = _json_cell(name, text)
            if not isinstance(value, list):
                raise _CellError(name, "应为列表")
            return value
        return [v.strip() for v in LIST_SEPARATORS.split(text) if v.strip()]
    if name in JSON_FIELDS:
        return _json_cell(name, text) if text else []
    if name == "body" and text.startswith("[{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return _cell_text(cell)
        if isinstance(value, list) and all(isinstance(b, dict) and "type" in b for b in value):
            return value
    if name == "body":
        # Keep the paragraphs' blank lines; normalise Windows line ends.
        return _cell_text(cell).replace("\r\n", "\n").strip()
    return text


def _json_cell(name: str, text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _CellError(
            name, f'应为 JSON，例如 [{{"name": …, "value": …}}]：{error.msg}'
        ) from None

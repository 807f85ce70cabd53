"""The register as CSV/XLSX: the public columns only (never application or contact data). The
same column names are what the bulk import reads (standards.register_import)."""

import csv
import io

from cases.models import StandardPage
from standards.models import Cell

COLUMNS = [
    ("certificate_number", "证书编号"),
    ("name", "名称"),
    ("cell_type", "细胞类型"),
    ("city", "城市"),
    ("district", "区县"),
    ("standard", "依据标准"),
    ("standard_version", "标准版本"),
    ("score", "得分"),
    ("recognised_on", "认定日期"),
    ("expires_on", "有效期至"),
    ("status", "状态"),
]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _row(cell: Cell, types: dict, statuses: dict, cities: dict) -> list[str]:
    return [
        cell.certificate_number,
        cell.name,
        types.get(cell.cell_type, cell.cell_type),
        cities.get(cell.city_id, ""),
        cell.district,
        cell.standard_title,
        cell.standard_version,
        "" if cell.score is None else str(cell.score),
        cell.recognised_on.isoformat(),
        cell.expires_on.isoformat() if cell.expires_on else "",
        statuses.get(cell.status, cell.status),
    ]


def rows(cells):
    from standards.selectors import city_titles

    types = {value: str(label) for value, label in StandardPage.CellType.choices}
    statuses = dict(Cell.Status.choices)
    cities = city_titles()
    for cell in cells.iterator(chunk_size=2000):
        yield _row(cell, types, statuses, cities)


def register_file(cells, fmt: str) -> tuple[str, bytes]:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    header = [label for _, label in COLUMNS]
    if fmt == "csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(rows(cells))
        return FORMATS[fmt], text.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("无废细胞名录")
    sheet.append(header)
    for values in rows(cells):
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return FORMATS[fmt], buffer.getvalue()

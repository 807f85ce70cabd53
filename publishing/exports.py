"""Export pages as import records (DESIGN.md "Import format"), so that export → import
round-trips: importing an export changes nothing.

A body made only of plain paragraphs is written as text (paragraphs separated by blank lines);
any other body (headings, tables, images, formatting, links) is written as the list of its
blocks, which the importer accepts too. Each page is exported as its latest revision (what the
editors see); `live_only=True` exports the published version of published pages only.
"""

import csv
import html
import io
import json
import re
from decimal import Decimal

from cases import case_template, importing, resolvers
from cases.models import ArticlePage, CasePage, StandardPage, TechnologyPage
from publishing.importfile import LIST_SEPARATORS

# The structured scorecard of a standard (cases.importing._scorecard reads the same names).
SCORECARD_FIELDS = [
    "issuing_level",
    "doc_number",
    "effective_date",
    "status",
    "is_example",
    "previous_version",
    "derived_from",
    "eligibility_items",
    "veto_items",
    "dimensions",
    "bonus_items",
    "bonus_cap",
    "pass_threshold",
    "validity_years",
    "review_rule",
]
FIELDS = {
    "case": [
        "type",
        "external_id",
        "title",
        "city",
        "governance_model",
        "waste_categories",
        "tags",
        "summary",
        "body",
        "published",
        "start_year",
        "end_year",
        "source",
        "source_section",
        "background",
        "measures",
        "outcomes",
        "costs",
        "lessons",
        "replicable_points",
        "applicability",
        "lead_office",
        "lead_office_contact",
        "indicators",
        "technologies",
    ],
    "technology": [
        "type",
        "external_id",
        "title",
        "waste_categories",
        "treatment_stages",
        "maturity",
        "provider",
        "tags",
        "summary",
        "body",
        "published",
        "source",
    ],
    "standard": [
        "type",
        "external_id",
        "title",
        "cell_type",
        "city",
        "issuing_body",
        "version",
        "summary",
        "body",
        "published",
        "source",
        *SCORECARD_FIELDS,
    ],
}
FIELDS["article"] = [
    "type",
    "external_id",
    "title",
    "section",
    "macro_region",
    "cluster",
    "summary",
    "body",
    "published",
    "source",
]
MODELS = {kind: record_type.model for kind, record_type in importing.RECORD_TYPES.items()}
PLAIN_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p>).)*)</p>$", re.S)


def _number(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def _iso(date) -> str:
    return date.isoformat() if date else ""


def body_value(stream):
    """Plain text if the importer would rebuild exactly this stream from it, else raw blocks."""
    raw = json.loads(importing._stream_json(stream))
    texts = []
    for block in raw:
        match = (
            PLAIN_PARAGRAPH.match(block.get("value") or "")
            if block["type"] == "paragraph"
            else None
        )
        if match is None:
            break
        texts.append(html.unescape(match.group(1).replace("<br>", "\n")))
    else:
        text = "\n\n".join(texts)
        if importing.paragraphs_to_stream(text) == raw:
            return text
    return raw


def _latest(page, live_only: bool):
    return page if live_only else page.get_latest_revision_as_object()


def case_record(page: CasePage) -> dict:
    return {
        "type": "case",
        "external_id": page.external_id or "",
        "title": page.title,
        "city": page.get_parent().title,
        "governance_model": page.governance_model.name if page.governance_model else "",
        "waste_categories": [c.name for c in page.waste_categories.all()],
        "tags": list(page.tags.names()),
        "summary": page.summary,
        "body": body_value(page.body),
        "published": _iso(page.published_date),
        "start_year": page.start_year,
        "end_year": page.end_year,
        "source": page.source,
        "source_section": page.source_section,
        **{name: getattr(page, name) for name in case_template.TEXT_FIELDS},
        "lead_office": page.lead_office,
        "lead_office_contact": page.lead_office_contact,
        "indicators": [
            {
                "name": i.name,
                "value": _number(i.value),
                "unit": i.unit,
                "baseline": _number(i.baseline),
                "year": i.year,
            }
            for i in page.indicators.all()
        ],
        "technologies": [t.external_id for t in page.technologies.all() if t.external_id],
    }


def technology_record(page: TechnologyPage) -> dict:
    return {
        "type": "technology",
        "external_id": page.external_id or "",
        "title": page.title,
        "waste_categories": [c.name for c in page.waste_categories.all()],
        "treatment_stages": [s.name for s in page.treatment_stages.all()],
        "maturity": page.maturity,
        "provider": page.provider,
        "tags": list(page.tags.names()),
        "summary": page.summary,
        "body": body_value(page.body),
        "published": _iso(page.published_date),
        "source": page.source,
    }


def standard_record(page: StandardPage) -> dict:
    return {
        "type": "standard",
        "external_id": page.external_id or "",
        "title": page.title,
        "cell_type": page.cell_type,
        "city": page.city.title if page.city else "",
        "issuing_body": page.issuing_body,
        "version": page.version,
        "summary": page.summary,
        "body": body_value(page.body),
        "published": _iso(page.published_date),
        "source": page.source,
        **scorecard_record(page),
    }


def scorecard_record(page: StandardPage) -> dict:
    def plain(value):
        # Stream values in the import format: no block ids, list items unwrapped.
        if isinstance(value, list):
            return [plain(v["value"] if isinstance(v, dict) and "value" in v else v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {
        "issuing_level": page.issuing_level,
        "doc_number": page.doc_number,
        "effective_date": page.effective_date.isoformat() if page.effective_date else "",
        "status": page.status,
        "is_example": page.is_example,
        "previous_version": page.previous_version.external_id if page.previous_version else "",
        "derived_from": page.derived_from.external_id if page.derived_from else "",
        "eligibility_items": page.eligibility_items,
        "veto_items": page.veto_items,
        "dimensions": [plain(block["value"]) for block in page.dimensions.raw_data],
        "bonus_items": [plain(block["value"]) for block in page.bonus_items.raw_data],
        "bonus_cap": _number(page.bonus_cap),
        "pass_threshold": _number(page.pass_threshold),
        "validity_years": page.validity_years,
        "review_rule": page.review_rule,
    }


def article_record(page: ArticlePage) -> dict:
    return {
        "type": "article",
        "external_id": page.external_id or "",
        "title": page.title,
        "section": page.section,
        "macro_region": page.macro_region,
        "cluster": page.cluster,
        "summary": page.summary,
        "body": body_value(page.body),
        "published": _iso(page.published_date),
        "source": page.source,
    }


RECORDS = {
    "case": case_record,
    "technology": technology_record,
    "standard": standard_record,
    "article": article_record,
}


def export_records(types=tuple(RECORDS), city=None, live_only=False):
    """Records of every page of the given types (optionally of one city: a name, code or
    CityPage), in tree order."""
    if isinstance(city, str):
        city = resolvers.city(city)
    records = []
    for kind in types:
        pages = MODELS[kind].objects.order_by("path")
        if live_only:
            pages = pages.live()
        if city is not None:
            if kind in ("technology", "article"):
                continue
            pages = pages.descendant_of(city) if kind == "case" else pages.filter(city=city)
        for page in pages:
            records.append(RECORDS[kind](_latest(page, live_only)))
    return records


# ---------------------------------------------------------------------------------------------
# Writing


def _columns(records) -> list[str]:
    columns: list[str] = []
    for kind in dict.fromkeys(r["type"] for r in records) or ["case"]:
        columns += [c for c in FIELDS.get(kind, []) if c not in columns]
    return columns


def _cell(name: str, value) -> str:
    if value is None:
        return ""
    if name in ("indicators", "dimensions", "bonus_items"):
        return json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, list):
        if name == "body":
            return json.dumps(value, ensure_ascii=False)
        items = [str(v) for v in value]
        if any(LIST_SEPARATORS.search(v) or v.startswith("[") for v in items):
            return json.dumps(items, ensure_ascii=False)
        return "、".join(items)
    return str(value)


def write(records: list[dict], fmt: str, stream) -> None:
    """Write records to a binary stream in the given format (jsonl, json, csv, xlsx)."""
    if fmt == "jsonl":
        for record in records:
            stream.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    elif fmt == "json":
        stream.write(json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8"))
    elif fmt == "csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        columns = _columns(records)
        writer.writerow(columns)
        for record in records:
            writer.writerow([_cell(c, record.get(c)) for c in columns])
        # UTF-8 with a BOM: Excel then opens the Chinese text correctly.
        stream.write(text.getvalue().encode("utf-8-sig"))
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("content")
        columns = _columns(records)
        sheet.append(columns)
        for record in records:
            row = []
            for column in columns:
                cell = WriteOnlyCell(sheet, value=_cell(column, record.get(column)))
                cell.data_type = "s"  # text, never a formula (a summary may start with "=")
                row.append(cell)
            sheet.append(row)
        workbook.save(stream)
    else:
        raise ValueError(f"unknown format {fmt}")


def to_bytes(records: list[dict], fmt: str) -> bytes:
    buffer = io.BytesIO()
    write(records, fmt, buffer)
    return buffer.getvalue()

"""Create or update content pages from records in the import format of DESIGN.md.

One function per record type; each resolves names through the taxonomy, writes the page only
when something changed (so re-loading the same data adds no revisions), and publishes it or
leaves a draft. Errors name the field: `RecordError(field, message)`.
"""

import copy
import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from cases import bulk, case_template, page_batch, resolvers
from cases.models import (
    ArticleIndexPage,
    ArticlePage,
    CaseIndicator,
    CasePage,
    StandardIndexPage,
    StandardPage,
    TechnologyIndexPage,
    TechnologyPage,
    TreatmentStage,
)
from cases.models.pages import validate_office_contact

INDICATOR_QUANTUM = Decimal("0.0001")
INDICATOR_LIMIT = Decimal(10) ** 14


class RecordError(ValueError):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


def paragraphs_to_stream(text: str) -> list[dict]:
    """Plain text with blank-line-separated paragraphs → raw StreamField data."""
    paragraphs = [p.strip() for p in str(text or "").replace("\r\n", "\n").split("\n\n")]
    return [
        {"type": "paragraph", "value": "<p>" + escape(p).replace("\n", "<br>") + "</p>"}
        for p in paragraphs
        if p
    ]


def stream_from_raw(blocks: list, stream_block=None) -> list[dict]:
    """Raw StreamField data (a list of {"type", "value"}, as `export_content` writes a body that
    is more than plain paragraphs) → validated raw data without block ids."""
    from cases.blocks import BodyBlock

    stream_block = stream_block or BodyBlock()
    raw = []
    for n, block in enumerate(blocks, start=1):
        if not isinstance(block, dict) or "type" not in block:
            raise RecordError("body", f"第 {n} 个正文块应为包含 type 和 value 的对象")
        if block["type"] not in stream_block.child_blocks:
            known = "、".join(stream_block.child_blocks)
            raise RecordError("body", f"未知的正文块类型“{block['type']}”（可用：{known}）")
        raw.append({"type": block["type"], "value": block.get("value")})
    try:
        # A copy: some blocks' to_python fills in defaults in place (TableBlock adds
        # table_header_choice), and the stored data must be what the record gave.
        stream_block.clean(stream_block.to_python(copy.deepcopy(raw)))
    except ValidationError as error:
        raise RecordError("body", f"正文块无效：{_validation_text(error)}") from None
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise RecordError("body", f"正文块无效：{error}") from None
    return raw


def _validation_text(error) -> str:
    messages = getattr(error, "messages", None) or [str(error)]
    return "；".join(str(m) for m in messages)[:300]


def body_to_stream(value) -> list[dict]:
    """A record's `body`: plain text (paragraphs separated by blank lines) or raw blocks."""
    if isinstance(value, list):
        return stream_from_raw(value)
    if value is not None and not isinstance(value, str):
        raise RecordError("body", "应为文本（段落之间空一行）或正文块列表")
    return paragraphs_to_stream(value or "")


def blocks_to_stream(blocks: list[dict]) -> list[dict]:
    """Article blocks (heading/paragraph/list/table) → raw StreamField data."""
    stream = []
    for block in blocks:
        kind = block.get("type")
        if kind == "heading":
            stream.append({"type": "heading", "value": str(block["value"])})
        elif kind == "paragraph":
            stream.extend(paragraphs_to_stream(block["value"]))
        elif kind == "list":
            items = "".join(f"<li>{escape(item)}</li>" for item in block["value"])
            stream.append({"type": "paragraph", "value": f"<ul>{items}</ul>"})
        elif kind == "table":
            rows = [
                [str(c) for c in block["header"]],
                *[[str(c) for c in r] for r in block["rows"]],
            ]
            stream.append(
                {
                    "type": "table",
                    "value": {
                        "caption": block.get("caption", ""),
                        "table": {
                            "data": rows,
                            "first_row_is_table_header": True,
                            "first_col_is_header": False,
                            "table_caption": "",
                        },
                        # The template labels it 数据来源：; a source written with the label
                        # would show it twice.
                        "source": str(block.get("source", "")).removeprefix("数据来源："),
                    },
                }
            )
        else:
            raise RecordError("body", f"未知的正文块类型“{kind}”")
    return stream


def _text(record: dict, field: str, *, required=False, max_length=None) -> str:
    value = record.get(field)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise RecordError(field, "不能为空")
    if max_length and len(value) > max_length:
        raise RecordError(field, f"不能超过 {max_length} 个字符（现有 {len(value)} 个）")
    return value


def _english_fields(record: dict) -> dict:
    """The English beside the Chinese (cases.models.english), only where the record has it: a
    re-import without English keeps what an editor wrote. `body_en` is plain paragraphs."""
    fields = {}
    for field, max_length in [("title_en", 255), ("summary_en", 1000)]:
        if field in record:
            fields[field] = _text(record, field, max_length=max_length)
    if "body_en" in record:
        paragraphs = re.split(r"\n\s*\n", _text(record, "body_en"))
        fields["body_en"] = "".join(f"<p>{escape(p.strip())}</p>" for p in paragraphs if p.strip())
    return fields


def _date(record: dict, field: str):
    value = record.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise RecordError(field, f"日期格式应为 YYYY-MM-DD，收到“{value}”") from None


def _year(record: dict, field: str):
    value = record.get(field)
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise RecordError(field, f"应为四位年份，收到“{value}”") from None
    if not 1949 <= year <= 2100:
        raise RecordError(field, f"年份超出范围（1949–2100），收到“{value}”")
    return year


def _decimal(value, field: str):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RecordError(field, f"应为数字，收到“{value}”") from None
    if not number.is_finite():
        raise RecordError(field, f"应为有限数字，收到“{value}”")
    # CaseIndicator stores 18 digits with 4 decimals: larger values would fail in the database.
    number = (
        number.quantize(INDICATOR_QUANTUM, rounding=ROUND_HALF_UP)
        if abs(number) < INDICATOR_LIMIT
        else None
    )
    if number is None:
        raise RecordError(field, f"数值过大（绝对值须小于 {INDICATOR_LIMIT:,}），收到“{value}”")
    return number


def _list(record: dict, field: str) -> list:
    value = record.get(field)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [
            v.strip() for v in value.replace("，", ",").replace("、", ",").split(",") if v.strip()
        ]
    if not isinstance(value, list):
        raise RecordError(field, "应为列表")
    return value


def _resolve_all(field: str, values, resolver):
    resolved = []
    for value in values:
        try:
            resolved.append(resolver(value))
        except resolvers.UnknownTerm as error:
            raise RecordError(field, str(error)) from None
    return list(dict.fromkeys(resolved))


def _indicators(record: dict) -> list[dict]:
    indicators = []
    for n, item in enumerate(_list(record, "indicators"), start=1):
        field = f"indicators[{n}]"
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise RecordError(field, "每个指标需要 name")
        value = _decimal(item.get("value"), f"{field}.value")
        if value is None:
            raise RecordError(f"{field}.value", "不能为空")
        year = item.get("year")
        if year not in (None, ""):
            try:
                year = int(year)
            except (TypeError, ValueError):
                raise RecordError(f"{field}.year", f"应为年份，收到“{year}”") from None
        indicators.append(
            {
                "name": str(item["name"]).strip()[:200],
                "value": value,
                "unit": str(item.get("unit") or "").strip()[:30],
                "baseline": _decimal(item.get("baseline"), f"{field}.baseline"),
                "year": year or None,
            }
        )
    return indicators


def _without_block_ids(data):
    # Stored blocks carry generated ids; records do not, so ids are left out of comparisons.
    if isinstance(data, list):
        return [_without_block_ids(item) for item in data]
    if isinstance(data, dict):
        if data.get("type") == "item" and "value" in data:
            # A ListBlock item as stored ({"type": "item", "value": …, "id": …}); records give
            # the plain value.
            return _without_block_ids(data["value"])
        return {
            k: _without_block_ids(v) for k, v in data.items() if not (k == "id" and "type" in data)
        }
    return data


def _stream_json(value) -> str:
    raw = list(value.raw_data) if hasattr(value, "raw_data") else value
    return json.dumps(_without_block_ids(raw), sort_keys=True)


def _changed(page, fields: dict, m2m: dict, tags: list | None, indicators: list | None) -> bool:
    for name, value in fields.items():
        current = getattr(page, name)
        if name in ("body", "dimensions", "bonus_items"):
            if _stream_json(current) != _stream_json(value):
                return True
        elif current != value:
            return True
    for name, values in m2m.items():
        if {v.pk for v in getattr(page, name).all()} != {v.pk for v in values}:
            return True
    if tags is not None and set(page.tags.names()) != set(tags):
        return True
    if indicators is not None:
        current = [
            {
                "name": i.name,
                "value": i.value,
                "unit": i.unit,
                "baseline": i.baseline,
                "year": i.year,
            }
            for i in page.indicators.all()
        ]
        if current != indicators:
            return True
    return False


def _write(
    model,
    parent,
    lookup: dict,
    fields,
    m2m=None,
    tags=None,
    indicators=None,
    publish=True,
    user=None,
    existing=...,
):
    """Create or update one page of `model`; returns (page, "created"|"updated"|"unchanged").

    `existing` is the page already found by `lookup` (or None), when the caller has looked it up.
    """
    m2m = m2m or {}
    page = model.objects.filter(**lookup).first() if existing is ... else existing
    if page is not None:
        page = page.get_latest_revision_as_object()
        if not _changed(page, fields, m2m, tags, indicators) and (page.live or not publish):
            return page, "unchanged"
        status = "updated"
    else:
        page = model(**lookup)
        if user is not None and getattr(user, "pk", None):
            page.owner = user
        status = "created"
    for name, value in fields.items():
        setattr(page, name, value)
    for name, values in m2m.items():
        getattr(page, name).set(values)
    if tags is not None:
        _set_tags(page, resolvers.tags(tags))
    if indicators is not None:
        # In the record's order (sort_order, as the admin's form sets it).
        page.indicators = [
            CaseIndicator(sort_order=n, **i) if model is CasePage else i
            for n, i in enumerate(indicators)
        ]
    # Creating and publishing saves the page three times; its reference index (what the page
    # uses: taxonomy terms, technologies, images) is brought up to date once, at the end.
    if status == "created" and page_batch.accepts(model):
        page_batch.add(page, parent, publish=publish, user=user)  # written with its batch
        return page, status
    with transaction.atomic():
        if status == "created":
            page_batch.save_one(page, parent, publish=publish, user=user)
        else:
            with disable_reference_index_auto_update():
                revision = page.save_revision(user=user, log_action=True)
                if publish:
                    revision.publish(user=user)
    bulk.update_references(page)
    return page, status


def record_tags(record: dict) -> list[str]:
    """The tag names a record gives (a list, or text separated by commas or 、)."""
    return [str(t).strip()[:100] for t in _list(record, "tags") if str(t).strip()]


def _set_tags(page, tags: list) -> None:
    """`page.tags.set(tags)` for Tag objects, as modelcluster stores it (the tagged items, a child
    relation of the page, saved with it), without the manager's per-tag work: it looks the names
    up again and filters the items for each tag (a tenth of a bulk import's time)."""
    through = type(page).tags.through
    items = through._meta.get_field("content_object").remote_field.related_name
    setattr(page, items, [through(tag=tag) for tag in tags])


def _unique_slug(parent: Page, base: str) -> str:
    from django.utils.text import slugify

    base = slugify(base, allow_unicode=True)[:80] or "page"
    slug, n = base, 2
    # In an import, every sibling's slug read once per parent (cases.page_batch); else only
    # those that could clash: a city with thousands of cases need not list them all.
    siblings = page_batch.sibling_slugs(parent)
    if siblings is None:
        siblings = set(
            parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
        )
    while slug in siblings:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _slug_for(model, external_id: str, parent: Page, existing=...) -> str:
    if existing is ...:
        existing = model.objects.filter(external_id=external_id).first()
    return existing.slug if existing is not None else _unique_slug(parent, external_id)


def _template_fields(record: dict) -> dict:
    """The case template's sections (cases.case_template); 可复制要点 may be a list of lines."""
    fields = {}
    for name in case_template.TEXT_FIELDS:
        value = record.get(name)
        if isinstance(value, list):
            value = "\n".join(str(v).strip() for v in value if str(v).strip())
        fields[name] = _text({name: value}, name, max_length=10000)
    fields["lead_office"] = _text(record, "lead_office", max_length=200)
    contact = _text(record, "lead_office_contact", max_length=200)
    try:
        validate_office_contact(contact)
    except ValidationError as error:
        raise RecordError("lead_office_contact", error.messages[0]) from None
    fields["lead_office_contact"] = contact
    return fields


def check_case_city(existing, city) -> None:
    """A case stays in its city: re-importing its external_id under another city is an error."""
    if existing is not None and not existing.path.startswith(city.path):
        raise RecordError(
            "city", f"编号“{existing.external_id}”已属于{existing.city}，不能改到{city.title}"
        )


def source_section(record: dict) -> str:
    """A case's `source_section` (来源章节: where in the source the case is told). Before it
    had its own name a case's row called it `section`, which for an article is its 栏目; the old
    name is still read on case rows, and a row giving both with different values is an error."""
    new = _text(record, "source_section", max_length=50)
    old = _text(record, "section", max_length=50)
    if new and old and new != old:
        raise RecordError(
            "section",
            f"“section”是“source_section”（来源章节）的旧名，两者不一致：“{old}”与“{new}”",
        )
    return new or old


def upsert_case(record: dict, *, publish=True, user=None, city=None, existing=...):
    """Create or update a CasePage under its city. `city` overrides the record's city;
    `existing` is the page with the record's external_id when the caller has looked it up."""
    external_id = _text(record, "external_id", required=True, max_length=100)
    title = _text(record, "title", required=True, max_length=255)
    if city is None:
        try:
            city = resolvers.city(_text(record, "city", required=True))
        except resolvers.UnknownTerm as error:
            raise RecordError("city", str(error)) from None
    categories = _resolve_all(
        "waste_categories", _list(record, "waste_categories"), resolvers.waste_category
    )
    if not categories:
        raise RecordError("waste_categories", "至少需要一个废物类别")
    model_name = _text(record, "governance_model", required=True)
    try:
        governance_model = resolvers.governance_model(model_name)
    except resolvers.UnknownTerm as error:
        raise RecordError("governance_model", str(error)) from None
    technologies = []
    for tech_id in _list(record, "technologies"):
        technology = resolvers.technology(tech_id)
        if technology is None:
            raise RecordError("technologies", f"未知的技术编号“{tech_id}”")
        technologies.append(technology)
    if existing is ...:
        existing = CasePage.objects.filter(external_id=external_id).first()
    check_case_city(existing, city)
    fields = {
        "title": title,
        "slug": _slug_for(CasePage, external_id, city, existing),
        "summary": _text(record, "summary", required=True, max_length=1000),
        "body": body_to_stream(record.get("body", "")),
        "governance_model": governance_model,
        "published_date": _date(record, "published"),
        "start_year": _year(record, "start_year"),
        "end_year": _year(record, "end_year"),
        "source": _text(record, "source", max_length=300),
        "source_section": source_section(record),
        **_template_fields(record),
        **_english_fields(record),
    }
    if fields["start_year"] and fields["end_year"] and fields["end_year"] < fields["start_year"]:
        raise RecordError("end_year", "结束年份不能早于起始年份")
    tags = record_tags(record)
    return _write(
        CasePage,
        city,
        {"external_id": external_id},
        fields,
        m2m={"waste_categories": categories, "technologies": technologies},
        tags=tags,
        indicators=_indicators(record),
        publish=publish,
        user=user,
        existing=existing,
    )


def _treatment_stages(record: dict) -> list:
    stages = {}
    for stage in TreatmentStage.objects.all():
        for name in (stage.name, stage.slug, stage.name_en):
            stages[name.casefold()] = stage
    resolved = []
    for value in _list(record, "treatment_stages"):
        stage = stages.get(str(value).strip().casefold())
        if stage is None:
            known = "、".join(s.name for s in TreatmentStage.objects.all())
            raise RecordError("treatment_stages", f"未知的处理环节“{value}”（可用：{known}）")
        resolved.append(stage)
    return list(dict.fromkeys(resolved))


def upsert_technology(record: dict, *, publish=True, user=None):
    resolvers.invalidate("technology")  # a case later in the same file may name it
    external_id = _text(record, "external_id", required=True, max_length=100)
    parent = TechnologyIndexPage.objects.first()
    maturity = _text(record, "maturity") or TechnologyPage.Maturity.PILOT
    if maturity not in TechnologyPage.Maturity.values:
        raise RecordError(
            "maturity", f"应为 {'/'.join(TechnologyPage.Maturity.values)}，收到“{maturity}”"
        )
    categories = _resolve_all(
        "waste_categories", _list(record, "waste_categories"), resolvers.waste_category
    )
    if not categories:
        raise RecordError("waste_categories", "至少需要一个废物类别")
    fields = {
        "title": _text(record, "title", required=True, max_length=255),
        "slug": _slug_for(TechnologyPage, external_id, parent),
        "summary": _text(record, "summary", required=True, max_length=1000),
        "body": body_to_stream(record.get("body", "")),
        "maturity": maturity,
        "provider": _text(record, "provider", max_length=200),
        "source": _text(record, "source", max_length=300),
        "published_date": _date(record, "published"),
        **_english_fields(record),
    }
    tags = record_tags(record)
    return _write(
        TechnologyPage,
        parent,
        {"external_id": external_id},
        fields,
        m2m={"waste_categories": categories, "treatment_stages": _treatment_stages(record)},
        tags=tags,
        publish=publish,
        user=user,
    )


SCORE_METHODS = ("yesno", "graded", "deduction")


def _points(value, field: str) -> str:
    number = _decimal(value, field)
    if number is None:
        raise RecordError(field, "不能为空")
    if number < 0:
        raise RecordError(field, "不能为负数")
    # Stored as the DecimalBlock stores it, so that re-importing the same record is "unchanged".
    return str(number.quantize(Decimal("0.1")))


def _choice(record: dict, field: str, choices) -> str:
    value = _text(record, field)
    if value and value not in choices.values:
        raise RecordError(field, f"应为 {'、'.join(choices.values)} 之一，收到“{value}”")
    return value


def _lines_text(record: dict, field: str) -> str:
    value = record.get(field) or []
    return "\n".join(str(v).strip() for v in value) if isinstance(value, list) else str(value)


def _scorecard_indicator(item, field: str) -> dict:
    if not isinstance(item, dict):
        raise RecordError(field, "每个指标应为对象")
    method = str(item.get("method") or "yesno")
    if method not in SCORE_METHODS:
        raise RecordError(f"{field}.method", f"应为 {'、'.join(SCORE_METHODS)} 之一")
    levels = [
        {
            "label": _text(level, "label", required=True, max_length=255),
            "points": _points(level.get("points"), f"{field}.levels[{n}].points"),
        }
        for n, level in enumerate(item.get("levels") or [], start=1)
    ]
    deduction = item.get("deduction")
    return {
        "code": _text(item, "code", required=True, max_length=20),
        "name": _text(item, "name", required=True, max_length=255),
        "description": _text(item, "description"),
        "evidence": _text(item, "evidence"),
        "max_score": _points(item.get("max_score"), f"{field}.max_score"),
        "method": method,
        "levels": levels,
        "deduction": None if deduction in (None, "") else _points(deduction, field),
        "required": _flag(item.get("required", True)),
    }


def _flag(value) -> bool:
    # Spreadsheets give "True"/"是"/"1" as text.
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "是")
    return bool(value)


def _standard_ref(record: dict, field: str):
    """Another standard named by its external_id (imported earlier in the same file or before)."""
    external_id = _text(record, field, max_length=100)
    if not external_id:
        return None
    page = StandardPage.objects.filter(external_id=external_id).first()
    if page is None:
        raise RecordError(field, f"没有外部编号为“{external_id}”的标准")
    return page


def _scorecard(record: dict) -> dict:
    """The structured fields of a standard (all optional: a standard whose source gives no
    structure imports without one)."""
    dimensions = []
    for n, dimension in enumerate(_list(record, "dimensions"), start=1):
        field = f"dimensions[{n}]"
        if not isinstance(dimension, dict):
            raise RecordError(field, "每个维度应为对象")
        dimensions.append(
            {
                "type": "dimension",
                "value": {
                    "name": _text(dimension, "name", required=True, max_length=255),
                    "indicators": [
                        _scorecard_indicator(item, f"{field}.indicators[{m}]")
                        for m, item in enumerate(dimension.get("indicators") or [], start=1)
                    ],
                },
            }
        )
    bonus = [
        {
            "type": "bonus",
            "value": {
                "code": _text(item, "code", required=True, max_length=20),
                "text": _text(item, "text", required=True, max_length=255),
                "points": _points(item.get("points"), f"bonus_items[{n}].points"),
            },
        }
        for n, item in enumerate(_list(record, "bonus_items"), start=1)
    ]
    validity = record.get("validity_years")
    try:
        validity = None if validity in (None, "") else int(validity)
    except (TypeError, ValueError):
        raise RecordError("validity_years", f"应为整数，收到“{validity}”") from None
    cap, threshold = record.get("bonus_cap"), record.get("pass_threshold")
    return {
        "issuing_level": _choice(record, "issuing_level", StandardPage.Level),
        "doc_number": _text(record, "doc_number", max_length=100),
        "effective_date": _date(record, "effective_date"),
        "status": _choice(record, "status", StandardPage.Status) or StandardPage.Status.CURRENT,
        "is_example": _flag(record.get("is_example")),
        "eligibility_items": _lines_text(record, "eligibility_items"),
        "veto_items": _lines_text(record, "veto_items"),
        "dimensions": dimensions,
        "bonus_items": bonus,
        "bonus_cap": None if cap in (None, "") else Decimal(_points(cap, "bonus_cap")),
        "pass_threshold": (
            None if threshold in (None, "") else Decimal(_points(threshold, "pass_threshold"))
        ),
        "validity_years": validity,
        "review_rule": _text(record, "review_rule"),
    }


def upsert_standard(record: dict, *, publish=True, user=None, city=None):
    """Create or update a StandardPage: under the standards index, or under `city` (a CityPage:
    a city's own standard, imported by its editors) when given."""
    external_id = _text(record, "external_id", required=True, max_length=100)
    parent = city or StandardIndexPage.objects.first()
    cell_type = _text(record, "cell_type", required=True)
    if cell_type not in StandardPage.CellType.values:
        raise RecordError("cell_type", f"未知的细胞类型“{cell_type}”")
    if city is None and _text(record, "city"):
        try:
            city = resolvers.city(_text(record, "city"))
        except resolvers.UnknownTerm as error:
            raise RecordError("city", str(error)) from None
    fields = {
        "title": _text(record, "title", required=True, max_length=255),
        "slug": _slug_for(StandardPage, external_id, parent),
        "summary": _text(record, "summary", required=True, max_length=1000),
        "body": body_to_stream(record.get("body", "")),
        "cell_type": cell_type,
        "city": city,
        "issuing_body": _text(record, "issuing_body", max_length=200),
        "version": _text(record, "version", max_length=50),
        "source": _text(record, "source", max_length=300),
        "previous_version": _standard_ref(record, "previous_version"),
        "derived_from": _standard_ref(record, "derived_from"),
        **_scorecard(record),
        "published_date": _date(record, "published"),
        **_english_fields(record),
    }
    return _write(
        StandardPage, parent, {"external_id": external_id}, fields, publish=publish, user=user
    )


def _source_shaped(block) -> bool:
    """A block in the article format of fixtures/ (plain text, a list, a table with header and
    rows), not a raw StreamField block as `export_content` writes it."""
    if not isinstance(block, dict):
        return True
    kind, value = block.get("type"), block.get("value")
    return (
        kind == "list"
        or (kind == "table" and "header" in block)
        or (kind == "paragraph" and not str(value or "").lstrip().startswith("<"))
    )


def article_body(value) -> list[dict]:
    """An article's `body`: text, article blocks (heading/paragraph/list/table) or raw blocks."""
    if not isinstance(value, list):
        return body_to_stream(value)
    if any(_source_shaped(block) for block in value):
        return blocks_to_stream(value)
    return stream_from_raw(value)


def upsert_article(record: dict, *, publish=True, user=None):
    external_id = _text(record, "external_id", required=True, max_length=100)
    parent = ArticleIndexPage.objects.first()
    section = _text(record, "section", required=True)
    if section not in ArticlePage.Section.values:
        raise RecordError("section", f"未知的栏目“{section}”")
    fields = {
        "title": _text(record, "title", required=True, max_length=255),
        "slug": _slug_for(ArticlePage, external_id, parent),
        "summary": _text(record, "summary", required=True, max_length=1000),
        "body": article_body(record.get("body") or []),
        "section": section,
        "macro_region": _text(record, "macro_region", max_length=4),
        "cluster": _text(record, "cluster", max_length=10),
        "source": _text(record, "source", max_length=300),
        "published_date": _date(record, "published"),
        **_english_fields(record),
    }
    return _write(
        ArticlePage, parent, {"external_id": external_id}, fields, publish=publish, user=user
    )


@dataclass(frozen=True)
class RecordType:
    """One kind of record of the import format: its page model, the index page it is created
    under (None: under the record's city), its label and its upsert function."""

    kind: str
    label: str
    model: type
    index_model: type | None
    upsert: Callable


RECORD_TYPES = {
    t.kind: t
    for t in (
        RecordType("case", "试点经验", CasePage, None, upsert_case),
        RecordType("technology", "技术", TechnologyPage, TechnologyIndexPage, upsert_technology),
        RecordType("standard", "无废细胞标准", StandardPage, StandardIndexPage, upsert_standard),
        RecordType("article", "策略与数据", ArticlePage, ArticleIndexPage, upsert_article),
    )
}
UPSERTS = {kind: t.upsert for kind, t in RECORD_TYPES.items()}

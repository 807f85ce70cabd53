"""Loading the indicator system and reported values from files (JSON, JSON Lines, CSV, XLSX),
with the content import's contract: every bad row is reported with its number and reason, good
rows are written (or, with `atomic`, nothing is written when any row is bad); re-importing
updates by code (indicators, groups) or by city + indicator + year (values)."""

from dataclasses import dataclass, field

from django.db import transaction

from cases.models import CityPage, Region
from publishing import importfile

from . import access, services
from .models import Indicator, IndicatorGroup

SYSTEM_COLUMNS = importfile.Columns(
    aliases={
        "类型": "type",
        "编码": "code",
        "代码": "code",
        "名称": "name",
        "指标名称": "name",
        "英文名称": "name_en",
        "上级": "parent",
        "上级编码": "parent",
        "所属分组": "parent",
        "单位": "unit",
        "方向": "direction",
        "必选": "mandatory",
        "定义": "definition",
        "计算方法": "definition",
        "数据来源部门": "data_source",
        "来源文件": "source",
        "来源": "source",
        "省份": "province",
        "省级特色": "province",
        "说明": "note",
        "排序": "sort_order",
    },
    required=("code",),
    default_type="indicator",
)

VALUE_COLUMNS = importfile.Columns(
    aliases={
        "城市": "city",
        "指标": "indicator",
        "指标编码": "indicator",
        "年份": "year",
        "数值": "value",
        "单位": "unit",
        "目标值": "target",
        "目标年份": "target_year",
        "基准值": "baseline",
        "基准年份": "baseline_year",
        "数据来源": "source",
        "来源": "source",
        "备注": "note",
    },
    required=("indicator",),
)

GROUP_TYPES = {"group", "分组", "一级", "二级"}
INDICATOR_TYPES = {"indicator", "指标", "三级"}
DIRECTIONS = {
    "higher": Indicator.Direction.HIGHER,
    "越高越好": Indicator.Direction.HIGHER,
    "正向": Indicator.Direction.HIGHER,
    "lower": Indicator.Direction.LOWER,
    "越低越好": Indicator.Direction.LOWER,
    "逆向": Indicator.Direction.LOWER,
}
TRUE = {"true", "1", "yes", "是", "必选", "y"}
FALSE = {"false", "0", "no", "否", "可选", "n", ""}


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, field, message
    written: bool = True

    def error(self, row: int, field_name: str, message: str):
        self.errors.append((row, field_name, message))

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [
            f"第 {row} 行" + (f"（{name}）" if name else "") + f"：{message}"
            for row, name, message in self.errors
        ]


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def _province(name: str, report: Report, row: int):
    if not name:
        return None
    province = (
        Region.objects.filter(level=Region.Level.PROVINCE).filter(code=name).first()
        or Region.objects.filter(level=Region.Level.PROVINCE, name=name).first()
    )
    if province is None:
        report.error(row, "province", f"找不到省份“{name}”（请用省份全称或行政区划代码）")
    return province


def _upsert(model, code: str, values: dict, report: Report):
    obj = model.objects.filter(code=code).first()
    if obj is None:
        model.objects.create(code=code, **values)
        report.created += 1
    elif any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.full_clean()
        obj.save()
        report.updated += 1
    else:
        report.unchanged += 1


def import_system(parsed: importfile.ParsedFile, atomic: bool = False) -> Report:
    """Groups and indicators, updated by code. Groups are written before indicators so a file
    may list them in any order."""
    report = Report()
    rows = []
    for row, record in parsed.rows:
        if isinstance(record, importfile.RowError):
            report.error(row, record.field, record.message)
            continue
        kind = _text(record, "type").lower() or "indicator"
        if kind not in GROUP_TYPES | INDICATOR_TYPES:
            report.error(row, "type", f"类型应为 group（分组）或 indicator（指标），而不是“{kind}”")
            continue
        # First-level groups, then second-level, then indicators: parents exist before children.
        order = (1 if _text(record, "parent") else 0) if kind in GROUP_TYPES else 2
        rows.append((order, row, record))
    rows.sort(key=lambda r: (r[0], r[1]))
    sid = transaction.savepoint()
    for kind, row, record in rows:
        before = len(report.errors)
        sid_row = transaction.savepoint()
        try:
            if kind < 2:
                _import_group(record, row, report)
            else:
                _import_indicator(record, row, report)
        except Exception as error:  # noqa: BLE001 - a row's database error is that row's report
            report.error(row, "", f"无法保存：{error}")
        if len(report.errors) > before:
            transaction.savepoint_rollback(sid_row)
        else:
            transaction.savepoint_commit(sid_row)
    if atomic and report.errors:
        transaction.savepoint_rollback(sid)
        report.written = False
    else:
        transaction.savepoint_commit(sid)
    return report


def _common(record: dict, row: int, report: Report) -> dict | None:
    code, name, source = _text(record, "code"), _text(record, "name"), _text(record, "source")
    missing = [f for f, v in (("code", code), ("name", name), ("source", source)) if not v]
    for f in missing:
        report.error(row, f, "必填" + ("：请注明来源文件" if f == "source" else ""))
    if missing:
        return None
    if len(code) > 30:
        report.error(row, "code", "编码不超过 30 个字符")
        return None
    return {"code": code, "name": name, "source": source[:300]}


def _sort_order(record, row, report) -> int:
    text = _text(record, "sort_order")
    if not text:
        return 0
    try:
        return max(0, int(text))
    except ValueError:
        report.error(row, "sort_order", "应为整数")
        return 0


def _import_group(record, row, report):
    common = _common(record, row, report)
    if common is None:
        return
    parent = None
    parent_code = _text(record, "parent")
    if parent_code:
        parent = IndicatorGroup.objects.filter(code=parent_code).first()
        if parent is None:
            return report.error(row, "parent", f"找不到上级分组“{parent_code}”")
        if parent.parent_id is not None:
            return report.error(row, "parent", "指标分组只有两级：上级须为一级指标")
        if parent.code == common["code"]:
            return report.error(row, "parent", "上级不能是自身")
    province = _province(_text(record, "province"), report, row)
    sort_order = _sort_order(record, row, report)
    if report.errors and report.errors[-1][0] == row:
        return
    code = common.pop("code")
    _upsert(
        IndicatorGroup,
        code,
        {
            **common,
            "name_en": _text(record, "name_en"),
            "parent": parent,
            "province": province,
            "note": _text(record, "note"),
            "sort_order": sort_order,
        },
        report,
    )


def _import_indicator(record, row, report):
    common = _common(record, row, report)
    if common is None:
        return
    group_code = _text(record, "parent")
    group = IndicatorGroup.objects.filter(code=group_code).first() if group_code else None
    if group is None:
        return report.error(row, "parent", f"找不到所属分组“{group_code}”（必填）")
    unit = _text(record, "unit")
    if not unit:
        return report.error(row, "unit", "必填")
    direction = DIRECTIONS.get(_text(record, "direction").lower() or "higher")
    if direction is None:
        return report.error(row, "direction", "方向应为 higher（越高越好）或 lower（越低越好）")
    mandatory_text = _text(record, "mandatory").lower()
    if isinstance(record.get("mandatory"), bool):
        mandatory = record["mandatory"]
    elif mandatory_text in TRUE:
        mandatory = True
    elif mandatory_text in FALSE:
        mandatory = False
    else:
        return report.error(row, "mandatory", "应为 是/否（必选/可选）")
    province = _province(_text(record, "province"), report, row)
    sort_order = _sort_order(record, row, report)
    if report.errors and report.errors[-1][0] == row:
        return
    if group.province_id and province is None:
        province = group.province
    code = common.pop("code")
    _upsert(
        Indicator,
        code,
        {
            **common,
            "name_en": _text(record, "name_en"),
            "group": group,
            "unit": unit[:30],
            "direction": direction,
            "mandatory": mandatory,
            "definition": _text(record, "definition"),
            "data_source": _text(record, "data_source")[:200],
            "province": province,
            "sort_order": sort_order,
        },
        report,
    )


def _city(text: str, cities: dict):
    return cities.get(text)


def city_lookup() -> dict:
    """A city by its page title, slug, or 行政区划代码 (as the content import resolves cities)."""
    lookup = {}
    for city in CityPage.objects.select_related("region"):
        for key in (city.title, city.slug, city.admin_code, city.region.code, city.region.name):
            if key:
                lookup.setdefault(key, city)
    return lookup


def import_values(
    parsed: importfile.ParsedFile, user, atomic: bool = False, submit: bool = False
) -> Report:
    """Reported values from a spreadsheet, saved as the city's drafts (or submitted for review
    with `submit`); a row of a city the user may not enter is an error of that row."""
    report = Report()
    cities = city_lookup()
    indicators = {i.code: i for i in Indicator.objects.all()}
    allowed: dict[int, bool] = {}
    sid = transaction.savepoint()
    for row, record in parsed.rows:
        if isinstance(record, importfile.RowError):
            report.error(row, record.field, record.message)
            continue
        city = _city(_text(record, "city"), cities)
        if city is None:
            report.error(row, "city", f"找不到城市“{_text(record, 'city')}”")
            continue
        indicator = indicators.get(_text(record, "indicator"))
        if indicator is None:
            report.error(row, "indicator", f"找不到指标编码“{_text(record, 'indicator')}”")
            continue
        if city.pk not in allowed:
            allowed[city.pk] = access.can_enter(user, city)
        if not allowed[city.pk]:
            report.error(row, "city", f"无权填报{city.title}的指标")
            continue
        entry = services.check_value(city, indicator, record)
        if entry.errors:
            for name, message in entry.errors.items():
                report.error(row, name, message)
            continue
        value, created = services.save_value(user, entry)
        if created:
            report.created += 1
        else:
            report.updated += 1
        if submit:
            services.submit(user, [value])
    if atomic and report.errors:
        transaction.savepoint_rollback(sid)
        report.written = False
        report.created = report.updated = 0
    else:
        transaction.savepoint_commit(sid)
    return report


def run(kind: str, data: bytes, name: str, user=None, **options) -> Report:
    """Parse and import a file; `kind` is "system" or "values". Runs in one transaction."""
    columns = SYSTEM_COLUMNS if kind == "system" else VALUE_COLUMNS
    parsed = importfile.parse(data, name, options.pop("format", None), columns=columns)
    with transaction.atomic():
        if kind == "system":
            return import_system(parsed, atomic=options.get("atomic", False))
        return import_values(parsed, user, **options)

"""Business rules of the indicator system: which indicators apply to a city, checking and saving
a reported value, the review steps, and progress towards a target."""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cases.models import CityPage
from cases.stamps import content

from . import access
from .models import CityIndicatorChoice, Indicator, IndicatorValue

MIN_YEAR, MAX_YEAR = 1990, 2100


def normalise_unit(unit: str) -> str:
    """The unit as written, in one notation: full-width ％ and spaces do not make a different
    unit. The value is never converted — 万吨 and 吨 stay different units."""
    return unicodedata.normalize("NFKC", unit or "").replace(" ", "").strip()


def applicable_indicators(city: CityPage):
    """National indicators plus those of the city's own province (省级特色)."""
    province_id = city.region.province.pk
    return Indicator.objects.filter(
        Q(province__isnull=True) | Q(province_id=province_id),
        Q(group__province__isnull=True) | Q(group__province_id=province_id),
    )


def reported_indicators(city: CityPage):
    """What the city reports: the mandatory indicators that apply, and the optional ones it chose."""
    chosen = CityIndicatorChoice.objects.filter(city=city).values("indicator_id")
    return (
        applicable_indicators(city)
        .filter(Q(mandatory=True) | Q(pk__in=chosen))
        .select_related("group__parent")
    )


def set_choices(user, city: CityPage, indicators) -> None:
    """The optional indicators the city reports (replaces the previous choice)."""
    if not access.can_enter(user, city):
        raise PermissionDenied("无权为该城市选择指标")
    allowed = set(applicable_indicators(city).filter(mandatory=False).values_list("pk", flat=True))
    wanted = {i.pk for i in indicators} & allowed
    with transaction.atomic():
        CityIndicatorChoice.objects.filter(city=city).exclude(indicator_id__in=wanted).delete()
        have = set(
            CityIndicatorChoice.objects.filter(city=city).values_list("indicator_id", flat=True)
        )
        CityIndicatorChoice.objects.bulk_create(
            [CityIndicatorChoice(city=city, indicator_id=pk) for pk in wanted - have]
        )
        content.bump()  # a bulk write sends no signal; the city's dashboard shows the choice


def parse_decimal(value, field_name: str, errors: dict, required=False):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field_name] = "必填"
        return None
    if isinstance(value, bool):
        errors[field_name] = "应为数字"
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors[field_name] = f"应为数字，而不是“{value}”"
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        errors[field_name] = "数值超出范围"
        return None
    return number


def parse_year(value, field_name: str, errors: dict, required=False):
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field_name] = "必填"
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        errors[field_name] = f"应为年份，而不是“{value}”"
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors[field_name] = f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间"
        return None
    return year


@dataclass
class ValueInput:
    """A value as entered (form or file row), checked: `errors` maps a field to its message."""

    city: CityPage
    indicator: Indicator
    year: int | None = None
    value: Decimal | None = None
    target: Decimal | None = None
    target_year: int | None = None
    baseline: Decimal | None = None
    baseline_year: int | None = None
    source: str = ""
    note: str = ""
    errors: dict = field(default_factory=dict)


def check_value(city: CityPage, indicator: Indicator, data: dict) -> ValueInput:
    """Check the fields of one value for `city` and `indicator` (raw strings or numbers)."""
    errors: dict = {}
    entry = ValueInput(city=city, indicator=indicator, errors=errors)
    if not applicable_indicators(city).filter(pk=indicator.pk).exists():
        errors["indicator"] = (
            f"指标 {indicator.code} 是其他省份的省级特色指标，不适用于{city.title}"
        )
    unit = data.get("unit")
    if unit is not None and str(unit).strip() != "":
        if normalise_unit(str(unit)) != normalise_unit(indicator.unit):
            errors["unit"] = (
                f"单位“{unit}”与指标单位“{indicator.unit}”不一致（不做换算，请按指标单位填报）"
            )
    entry.year = parse_year(data.get("year"), "year", errors, required=True)
    entry.value = parse_decimal(data.get("value"), "value", errors, required=True)
    entry.target = parse_decimal(data.get("target"), "target", errors)
    entry.target_year = parse_year(data.get("target_year"), "target_year", errors)
    entry.baseline = parse_decimal(data.get("baseline"), "baseline", errors)
    entry.baseline_year = parse_year(data.get("baseline_year"), "baseline_year", errors)
    if entry.target is not None and entry.target_year is None and "target_year" not in errors:
        errors["target_year"] = "填写目标值时须填写目标年份"
    if entry.baseline is not None and entry.baseline_year is None and "baseline_year" not in errors:
        errors["baseline_year"] = "填写基准值时须填写基准年份"
    if (
        entry.target_year is not None
        and entry.baseline_year is not None
        and entry.target_year < entry.baseline_year
    ):
        errors["target_year"] = f"目标年份 {entry.target_year} 早于基准年份 {entry.baseline_year}"
    entry.source = str(data.get("source") or "").strip()
    if not entry.source:
        errors["source"] = "必填：请注明数据来源（统计公报、部门报表等）"
    elif len(entry.source) > 300:
        errors["source"] = "不超过 300 字"
    entry.note = str(data.get("note") or "").strip()
    if len(entry.note) > 500:
        errors["note"] = "不超过 500 字"
    return entry


def save_value(user, entry: ValueInput) -> tuple[IndicatorValue, bool]:
    """Save a checked entry as a draft of the city (a changed approved value is withdrawn from
    the public until it is approved again). Returns (value, created)."""
    if entry.errors:
        raise ValueError(entry.errors)
    if not access.can_enter(user, entry.city):
        raise PermissionDenied(f"无权填报{entry.city.title}的指标")
    fields = {
        "value": entry.value,
        "target": entry.target,
        "target_year": entry.target_year,
        "baseline": entry.baseline,
        "baseline_year": entry.baseline_year,
        "source": entry.source,
        "note": entry.note,
    }
    obj, created = IndicatorValue.objects.get_or_create(
        city=entry.city,
        indicator=entry.indicator,
        year=entry.year,
        defaults={**fields, "entered_by": _user(user)},
    )
    if not created:
        changed = any(getattr(obj, k) != v for k, v in fields.items())
        if changed:
            for k, v in fields.items():
                setattr(obj, k, v)
            obj.status = IndicatorValue.Status.DRAFT
            obj.entered_by = _user(user)
            obj.reviewed_by = None
            obj.approved_at = None
            obj.save()
    return obj, created


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _check_all(values, allowed, verb: str) -> None:
    """Refuse the whole action before anything changes if one value is not the user's."""
    checked = {}
    for value in values:
        if value.city_id not in checked:
            checked[value.city_id] = allowed(value.city)
        if not checked[value.city_id]:
            raise PermissionDenied(f"无权{verb}{value.city.title}的指标")


def submit(user, values) -> int:
    """Send drafts to the city's reviewers."""
    values = list(values)
    _check_all(values, lambda city: access.can_enter(user, city), "提交")
    done = 0
    for value in values:
        if value.status == IndicatorValue.Status.DRAFT:
            value.status = IndicatorValue.Status.SUBMITTED
            value.save(update_fields=["status", "updated_at"])
            done += 1
    return done


def approve(user, values) -> int:
    """Approve submitted values: only a reviewer of the value's city may."""
    values = list(values)
    _check_all(values, lambda city: access.can_review(user, city), "审核")
    done = 0
    for value in values:
        if value.status == IndicatorValue.Status.SUBMITTED:
            value.status = IndicatorValue.Status.APPROVED
            value.reviewed_by = _user(user)
            value.approved_at = timezone.now()
            value.review_note = ""
            value.save(
                update_fields=["status", "reviewed_by", "approved_at", "review_note", "updated_at"]
            )
            done += 1
    return done


def approve_year(user, city: CityPage, year: int) -> int:
    """Approve every submitted value of `city` for `year` (a reviewer of that city only; drafts
    and already approved values are left as they are)."""
    if not access.can_review(user, city):
        raise PermissionDenied(f"无权审核{city.title}的指标")
    submitted = IndicatorValue.objects.filter(
        city=city, year=year, status=IndicatorValue.Status.SUBMITTED
    ).select_related("city")
    return approve(user, submitted)


def submitted_years(cities) -> list[tuple[int, str, int, int]]:
    """(city id, city title, year, number of submitted values) for the cities given, newest
    year first: what a reviewer can approve by year."""
    titles = {c.pk: c.title for c in cities}
    rows = (
        IndicatorValue.objects.filter(city__in=list(titles), status=IndicatorValue.Status.SUBMITTED)
        .order_by()
        .values_list("city_id", "year")
        .annotate(n=Count("pk"))
    )
    return sorted(
        ((city_id, titles[city_id], year, n) for city_id, year, n in rows),
        key=lambda r: (r[1], -r[2]),
    )


def return_to_draft(user, values, note: str = "") -> int:
    """A reviewer sends submitted values back to the city's editors with a note."""
    values = list(values)
    _check_all(values, lambda city: access.can_review(user, city), "审核")
    done = 0
    for value in values:
        if value.status == IndicatorValue.Status.SUBMITTED:
            value.status = IndicatorValue.Status.DRAFT
            value.review_note = note[:500]
            value.save(update_fields=["status", "review_note", "updated_at"])
            done += 1
    return done


@dataclass
class Progress:
    """Where a value stands between its baseline and its target."""

    ratio: Decimal | None  # 0 = at the baseline, 1 = target reached; None: no target
    achieved: bool | None

    @property
    def percent(self) -> int | None:
        if self.ratio is None:
            return None
        return int((self.ratio * 100).quantize(Decimal("1")))

    @property
    def bar_percent(self) -> int:
        """For drawing: 0–100."""
        return max(0, min(100, self.percent or 0))


def progress(value, target, baseline=None, lower_is_better=False) -> Progress:
    """Progress of `value` towards `target`. With a baseline, the share of the way from the
    baseline to the target; without one, value ÷ target (target ÷ value when lower is better).
    Moving away from the target gives a negative ratio."""
    if value is None or target is None:
        return Progress(None, None)
    value, target = Decimal(value), Decimal(target)
    achieved = value <= target if lower_is_better else value >= target
    if baseline is not None and Decimal(baseline) != target:
        baseline = Decimal(baseline)
        ratio = (value - baseline) / (target - baseline)
    elif lower_is_better:
        ratio = target / value if value > 0 else (Decimal(1) if achieved else None)
    else:
        ratio = value / target if target > 0 else (Decimal(1) if achieved else None)
    if ratio is not None:
        ratio = ratio.quantize(Decimal("0.0001"))
    return Progress(ratio, achieved)

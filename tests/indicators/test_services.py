"""Progress and direction, value checks (units, years, a province's own indicators) and the
choice of optional indicators."""

from decimal import Decimal

import pytest

from cases.models import Region
from indicators import services
from indicators.factories import IndicatorFactory, IndicatorGroupFactory


def test_progress_higher_is_better_from_baseline():
    p = services.progress(70, target=90, baseline=50)
    assert p.ratio == Decimal("0.5") and p.percent == 50 and p.achieved is False
    assert services.progress(95, target=90, baseline=50).achieved is True


def test_progress_lower_is_better_counts_the_reduction():
    # 100 → target 60: at 80 half of the reduction is done; rising to 110 is negative progress.
    p = services.progress(80, target=60, baseline=100, lower_is_better=True)
    assert p.percent == 50 and p.achieved is False
    back = services.progress(110, target=60, baseline=100, lower_is_better=True)
    assert back.percent == -25 and back.bar_percent == 0
    assert services.progress(55, target=60, baseline=100, lower_is_better=True).achieved is True


def test_progress_without_baseline_and_without_target():
    assert services.progress(45, target=90).percent == 50
    assert services.progress(20, target=10, lower_is_better=True).percent == 50
    assert services.progress(45, target=None).percent is None


@pytest.fixture
def rate(db):
    return IndicatorFactory(unit="%", mandatory=True)


def _data(**extra):
    return {"year": "2023", "value": "93.5", "unit": "%", "source": "统计公报", **extra}


def test_unit_mismatch_is_an_error_never_a_conversion(shaoxing):
    tonnes = IndicatorFactory(unit="万吨")
    entry = services.check_value(shaoxing, tonnes, _data(unit="吨", value="12000"))
    assert "unit" in entry.errors and "不做换算" in entry.errors["unit"]


def test_same_unit_in_another_notation_is_accepted(shaoxing, rate):
    assert services.check_value(shaoxing, rate, _data(unit="％")).errors == {}


def test_target_year_before_the_baseline_year_is_rejected(shaoxing, rate):
    entry = services.check_value(
        shaoxing,
        rate,
        _data(target="95", target_year="2018", baseline="80", baseline_year="2020"),
    )
    assert "早于基准年份" in entry.errors["target_year"]


def test_target_needs_its_year_and_bad_numbers_name_the_field(shaoxing, rate):
    entry = services.check_value(shaoxing, rate, _data(target="95", value="abc", year="20x3"))
    assert set(entry.errors) >= {"target_year", "value", "year"}


def test_a_province_indicator_applies_only_in_its_province(shaoxing, shenzhen):
    zhejiang = Region.objects.get(code="330000")
    own = IndicatorFactory(province=zhejiang, name="测试省级特色指标")
    assert own in services.applicable_indicators(shaoxing)
    assert own not in services.applicable_indicators(shenzhen)
    entry = services.check_value(shenzhen, own, _data())
    assert "其他省份" in entry.errors["indicator"]
    # A province's own group carries its indicators along.
    group = IndicatorGroupFactory(province=zhejiang)
    in_group = IndicatorFactory(group=group)
    assert in_group not in services.applicable_indicators(shenzhen)


def test_a_city_reports_mandatory_and_its_chosen_optional_indicators(shaoxing, sx_editor):
    mandatory = IndicatorFactory(mandatory=True)
    optional = IndicatorFactory(mandatory=False)
    other = IndicatorFactory(mandatory=False)
    assert mandatory in services.reported_indicators(shaoxing)
    assert optional not in services.reported_indicators(shaoxing)
    services.set_choices(sx_editor, shaoxing, [optional])
    reported = set(services.reported_indicators(shaoxing))
    assert {mandatory, optional} <= reported and other not in reported

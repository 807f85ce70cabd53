"""factory_boy factories for the indicators app. Codes are `T-…` so they never clash with the
fixture's (N1…, P2019-…); names say they are test data."""

import factory
from factory.django import DjangoModelFactory

from .models import Indicator, IndicatorGroup, IndicatorValue


class IndicatorGroupFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorGroup

    code = factory.Sequence(lambda n: f"T-G{n}")
    name = factory.Sequence(lambda n: f"测试分组{n}")
    source = "测试来源"
    parent = None
    province = None


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"T-I{n}")
    name = factory.Sequence(lambda n: f"测试指标{n}")
    group = factory.SubFactory(IndicatorGroupFactory)
    unit = "%"
    direction = Indicator.Direction.HIGHER
    mandatory = True
    source = "测试来源"
    province = None


class IndicatorValueFactory(DjangoModelFactory):
    """An approved value unless `status=` says otherwise; `city` is required."""

    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2023
    value = 50
    source = "测试数据"
    status = IndicatorValue.Status.APPROVED

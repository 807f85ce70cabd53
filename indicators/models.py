"""The 无废城市 indicator system as data, and the values cities report against it.

The tree is IndicatorGroup (first level: the national five; second level below them) →
Indicator. A group or indicator with a `province` is that province's own (省级特色) and applies
only to cities in it. Mandatory indicators apply to every city they reach; optional ones only to
the cities that chose them (CityIndicatorChoice).

IndicatorValue is one city's figure for one indicator and year. It goes through the city's
review (draft → submitted → approved); only approved values are public anywhere.
"""

from django.conf import settings
from django.db import models

from cases.models import CityPage, Region


class IndicatorGroup(models.Model):
    """A first-level (parent empty) or second-level indicator group."""

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    name_en = models.CharField("英文名称", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级（一级指标）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        Region,
        verbose_name="省级特色（所属省份）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.PROVINCE},
        help_text="留空为国家指标；填写则只在该省的城市显示",
    )
    source = models.CharField("来源文件", max_length=300)
    note = models.TextField("说明", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "指标分组"
        verbose_name_plural = "指标分组"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def level(self) -> int:
        return 2 if self.parent_id else 1


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "越高越好"
        LOWER = "lower", "越低越好"

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("指标名称", max_length=200)
    name_en = models.CharField("英文名称", max_length=300, blank=True)
    group = models.ForeignKey(
        IndicatorGroup, verbose_name="所属分组", on_delete=models.PROTECT, related_name="indicators"
    )
    unit = models.CharField("单位", max_length=30, help_text="填报数值必须使用此单位，如 %、万吨")
    direction = models.CharField(
        "方向", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    mandatory = models.BooleanField("必选", default=False)
    definition = models.TextField("定义或计算方法", blank=True)
    data_source = models.CharField("数据来源部门", max_length=200, blank=True)
    source = models.CharField("来源文件", max_length=300)
    province = models.ForeignKey(
        Region,
        verbose_name="省级特色（所属省份）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.PROVINCE},
        help_text="留空为国家指标；填写则只在该省的城市显示",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}（{self.unit}）"

    @property
    def lower_is_better(self) -> bool:
        return self.direction == self.Direction.LOWER


class CityIndicatorChoice(models.Model):
    """An optional indicator a city has chosen to report."""

    city = models.ForeignKey(
        CityPage, verbose_name="城市", on_delete=models.CASCADE, related_name="indicator_choices"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="city_choices"
    )

    class Meta:
        verbose_name = "城市选报指标"
        verbose_name_plural = "城市选报指标"
        constraints = [
            models.UniqueConstraint(fields=["city", "indicator"], name="unique_city_indicator")
        ]

    def __str__(self):
        return f"{self.city} · {self.indicator.name}"


class IndicatorValue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已审核"

    city = models.ForeignKey(
        CityPage, verbose_name="城市", on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField("年份")
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    target = models.DecimalField("目标值", max_digits=18, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("目标年份", null=True, blank=True)
    baseline = models.DecimalField("基准值", max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("基准年份", null=True, blank=True)
    source = models.CharField("数据来源", max_length=300)
    note = models.CharField("备注", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"
        ordering = ["city", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator", "year"], name="unique_city_indicator_year"
            )
        ]
        indexes = [
            models.Index(fields=["indicator", "status", "year"], name="indval_indicator_status"),
            models.Index(fields=["city", "status", "indicator"], name="indval_city_status"),
        ]

    def __str__(self):
        return f"{self.city} {self.indicator.name} {self.year}: {self.value}"

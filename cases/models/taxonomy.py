"""Controlled vocabularies: waste categories, regions, governance models, pilot batches.

Each term carries aliases (abbreviations and synonyms people type, e.g. 危废 for 危险废物); search
expands queries with them and the importer resolves names through them.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

ALIAS_SEPARATORS = re.compile(r"[,，、;；\n]+")


class TaxonomyTerm(models.Model):
    """Abstract base of every taxonomy: a slug, a Chinese and an English name, and aliases."""

    slug = models.SlugField("标识", max_length=80, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    name_en = models.CharField("英文名称", max_length=200, blank=True)
    aliases = models.TextField(
        "别名", blank=True, help_text="简称、同义词，用逗号或顿号分隔，例如：危废、危险固废"
    )
    description = models.TextField("说明", blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in ALIAS_SEPARATORS.split(self.aliases) if a.strip()]

    def all_names(self) -> list[str]:
        """The name, then every alias (and code where the term has one)."""
        names = [self.name, *self.alias_list]
        code = getattr(self, "code", "")
        if code:
            names.append(code)
        return list(dict.fromkeys(names))


class WasteCategory(TaxonomyTerm):
    """A node of the waste tree: 危险废物 → HW18 焚烧处置残渣, 生活垃圾 → 厨余垃圾 …"""

    code = models.CharField(
        "代码", max_length=10, blank=True, help_text="《国家危险废物名录》类别代码，如 HW18"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "废物类别"
        verbose_name_plural = "废物类别"
        ordering = ["sort_order", "code", "name"]

    def __str__(self):
        return f"{self.code} {self.name}" if self.code else self.name

    def clean(self):
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": "上级类别不能是自身或其下级。"})
            node = node.parent

    @property
    def label(self) -> str:
        return str(self)


# The four national city clusters a region may belong to (its `clusters` field); the names are
# translated where shown ({% translate %} on the value).
CLUSTERS = (
    gettext_noop("京津冀"),
    gettext_noop("长三角"),
    gettext_noop("粤港澳"),
    gettext_noop("成渝"),
)


class Region(models.Model):
    """A province-level or prefecture-level unit with its GB/T 2260 code."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "地级"

    class MacroRegion(models.TextChoices):
        EAST = "东部", _("东部")
        CENTRAL = "中部", _("中部")
        WEST = "西部", _("西部")
        NORTHEAST = "东北", _("东北")

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属省份",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    macro_region = models.CharField(
        "东中西部", max_length=4, choices=MacroRegion.choices, blank=True
    )
    clusters = models.CharField(
        "城市群", max_length=50, blank=True, help_text="京津冀、长三角、粤港澳、成渝，逗号分隔"
    )
    aliases = models.CharField("简称", max_length=100, blank=True)

    class Meta:
        verbose_name = "行政区"
        verbose_name_plural = "行政区"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @cached_property
    def name_en(self) -> str:
        """The English name under /en/ (`localized(region, "name")`): the conventional name of a
        province-level unit, romanised pinyin for a prefecture (cases/romanized.py)."""
        from cases.romanized import region_name_en

        return region_name_en(self.name)

    @property
    def cluster_list(self) -> list[str]:
        return [c.strip() for c in ALIAS_SEPARATORS.split(self.clusters) if c.strip()]

    @property
    def province(self) -> "Region":
        return self.parent if self.parent_id else self

    def all_names(self) -> list[str]:
        aliases = [a.strip() for a in ALIAS_SEPARATORS.split(self.aliases) if a.strip()]
        return list(dict.fromkeys([self.name, *aliases, self.code]))

    def facet_values(self) -> list[str]:
        """Values a page in this region is filed under: its code, its province's code, its
        city clusters and its 东/中/西部 — so `region=粤港澳` and `region=440000` both match 深圳."""
        province = self.province
        values = [self.code, province.code, *self.cluster_list, *province.cluster_list]
        if province.macro_region:
            values.append(province.macro_region)
        return list(dict.fromkeys(values))


class GovernanceModel(TaxonomyTerm):
    """One of the seed's five 治理模式 (综合治理, 工业固废, 农业固废, 城市固废, 危险废物)."""

    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "治理模式"
        verbose_name_plural = "治理模式"
        ordering = ["sort_order", "name"]


class PilotBatch(TaxonomyTerm):
    """A batch of pilots, e.g. the 2019 “11+5”."""

    year = models.PositiveIntegerField("年份")

    class Meta:
        verbose_name = "试点批次"
        verbose_name_plural = "试点批次"
        ordering = ["year"]


class SynonymGroup(models.Model):
    """Search terms that mean the same thing but are not a category's name and aliases
    (固废 = 固体废物, 充填 = 填充). The first term is the preferred form."""

    terms = models.TextField(
        "同义词", help_text="用逗号或顿号分隔，第一个为规范用语，例如：固体废物、固废"
    )

    class Meta:
        verbose_name = "检索同义词"
        verbose_name_plural = "检索同义词"
        ordering = ["terms"]

    def __str__(self):
        return "、".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        return list(
            dict.fromkeys(t.strip() for t in ALIAS_SEPARATORS.split(self.terms) if t.strip())
        )


class TreatmentStage(TaxonomyTerm):
    """What a technology does along the chain: 收集, 运输, 利用, 处置, 监管. Matchmaking compares it
    with what a need asks for (a disposal need is not served by a supervision platform); the
    aliases are the words a post uses for the stage (处置: 填埋、焚烧、无害化 …)."""

    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "处理环节"
        verbose_name_plural = "处理环节"
        ordering = ["sort_order"]

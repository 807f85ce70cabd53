"""Page types: the site tree is Home → index pages → cities → cases, and parallel indexes for
technologies, 无废细胞 standards and strategy articles. Case pages live under their city so that
Wagtail's tree permissions give each city its own editing space."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.url_routing import RouteResult

from cases.blocks import BodyBlock, BonusItemBlock, StandardDimensionBlock
from cases.panels import CompletenessPanel

from .english import EnglishContentMixin, EnglishTitleMixin
from .taxonomy import GovernanceModel, PilotBatch, Region, TreatmentStage, WasteCategory

LISTING_PAGE_SIZE = 12


class ExternalIdMixin(models.Model):
    """Identifier of a page in the publishing city's own records; imports update by it."""

    external_id = models.CharField(
        "外部编号",
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text="导入时用于识别同一条记录，例如 cq-2019-07",
    )

    class Meta:
        abstract = True


class SummaryMixin(models.Model):
    summary = models.TextField("摘要", max_length=1000)
    source = models.CharField("来源", max_length=300, blank=True)

    class Meta:
        abstract = True


class PageDateMixin(models.Model):
    """A page's date means something: its source's date where it has one (a city's report, the
    seed document), else its first publication on this platform — never the day fixtures were
    loaded into an empty database. Listings, search (the year facet, 最新) and the sitemap use
    `page_date`."""

    published_date = models.DateField(
        "来源日期",
        null=True,
        blank=True,
        help_text="来源文件的发布日期；不填时以本平台首次发布日期为准",
    )

    class Meta:
        abstract = True

    @property
    def page_date(self):
        if self.published_date:
            return self.published_date
        first = self.first_published_at
        return timezone.localtime(first).date() if first else None

    def get_sitemap_urls(self, request=None):
        # lastmod: when the information last changed (a case's 信息更新于), else the page's
        # date — not the day the fixtures were loaded.
        # Other pages give datetimes, and the sitemap compares them: an aware midnight.
        date = getattr(self, "information_date", None) or self.page_date
        urls = super().get_sitemap_urls(request)
        if date is not None:
            lastmod = timezone.make_aware(datetime.datetime.combine(date, datetime.time()))
            for url in urls:
                url["lastmod"] = lastmod
        return urls


def paginate(request, queryset, per_page=LISTING_PAGE_SIZE):
    """A page of `queryset` for the `page` query parameter; out-of-range numbers clamp."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class HomePage(EnglishTitleMixin, Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), *EnglishTitleMixin.english_panels]
    subpage_types = [
        "cases.CityIndexPage",
        "cases.CaseIndexPage",
        "cases.TechnologyIndexPage",
        "cases.StandardIndexPage",
        "cases.ArticleIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_page_context())
        return context

    def route(self, request, path_components):
        """Every page below is found by its url_path in one lookup, instead of Wagtail's walk
        down the tree (two queries per level). Pages with routing of their own, and paths
        that match no page, take Wagtail's way (which raises the 404)."""
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = Page.objects.filter(url_path=url_path).specific().first()
            if page is not None and type(page).route is Page.route:
                if page.live:
                    return RouteResult(page)
                raise Http404
        return super().route(request, path_components)


class CityIndexPage(EnglishTitleMixin, Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), *EnglishTitleMixin.english_panels]
    parent_page_types = ["cases.HomePage"]
    subpage_types = ["cases.CityPage"]
    max_count = 1

    class Meta:
        verbose_name = "试点城市目录"

    def get_context(self, request, *args, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        context["city_groups"] = selectors.cities_by_macro_region()
        return context


class CityPage(EnglishContentMixin, PageDateMixin, Page):
    """A pilot city or area (试点城市/地区) with its place in the national taxonomy."""

    class Kind(models.TextChoices):
        CITY = "city", _("地级城市")
        NEW_AREA = "new-area", _("国家级新区")
        DEVELOPMENT_ZONE = "development-zone", _("经济技术开发区")
        INTERNATIONAL = "international-cooperation", _("国际合作区")
        COUNTY = "county", _("县")
        COUNTY_CITY = "county-level-city", _("县级市")
        PROVINCE = "province", _("省域")
        REGION = "region", _("区域")

    region = models.ForeignKey(
        Region, verbose_name="所在地区", on_delete=models.PROTECT, related_name="city_pages"
    )
    admin_code = models.CharField(
        "行政区划代码", max_length=6, blank=True, help_text="试点范围的 GB/T 2260 代码（如区、县）"
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices, default=Kind.CITY)
    batch = models.ForeignKey(
        PilotBatch,
        verbose_name="试点批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cities",
    )

    class SizeClass(models.TextChoices):
        """城市规模 by urban resident population (城区常住人口), the national classification
        of 国发〔2014〕51号《关于调整城市规模划分标准的通知》."""

        SUPER = "super", _("超大城市")
        MEGA = "mega", _("特大城市")
        LARGE_1 = "large-1", _("Ⅰ型大城市")
        LARGE_2 = "large-2", _("Ⅱ型大城市")
        MEDIUM = "medium", _("中等城市")
        SMALL_1 = "small-1", _("Ⅰ型小城市")
        SMALL_2 = "small-2", _("Ⅱ型小城市")

    class GdpBand(models.TextChoices):
        """地区生产总值 in bands: enough to find cities of a like economy, and no city's figure
        is ever made up (an editor chooses the band from a cited source)."""

        TRILLION = "1t+", _("1万亿元以上")
        HIGH = "500b-1t", _("5000亿–1万亿元")
        MIDDLE = "200b-500b", _("2000亿–5000亿元")
        LOW = "under-200b", _("2000亿元以下")

    summary = models.TextField("简介", blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    size_class = models.CharField(
        "城市规模",
        max_length=10,
        choices=SizeClass.choices,
        blank=True,
        help_text="按城区常住人口（国发〔2014〕51号）：超大≥1000万，特大500–1000万，"
        "Ⅰ型大300–500万，Ⅱ型大100–300万，中等50–100万，Ⅰ型小20–50万，Ⅱ型小<20万",
    )
    gdp_band = models.CharField("地区生产总值", max_length=10, choices=GdpBand.choices, blank=True)
    profile_source = models.CharField(
        "规模与经济数据来源",
        max_length=200,
        blank=True,
        help_text="填写城市规模或地区生产总值时必填，如“某市2023年统计年鉴”",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name="正文")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("admin_code"),
                FieldPanel("kind"),
                FieldPanel("batch"),
            ],
            heading="试点信息",
        ),
        MultiFieldPanel(
            [FieldPanel("size_class"), FieldPanel("gdp_band"), FieldPanel("profile_source")],
            heading="城市画像（用于“相似城市”）",
        ),
        FieldPanel("summary"),
        FieldPanel("note"),
        FieldPanel("body"),
        FieldPanel("published_date"),
        *EnglishContentMixin.english_panels,
    ]
    parent_page_types = ["cases.CityIndexPage"]
    subpage_types = ["cases.CasePage", "cases.StandardPage"]

    class Meta:
        verbose_name = "试点城市"
        verbose_name_plural = "试点城市"

    def clean(self):
        super().clean()
        if (self.size_class or self.gdp_band) and not self.profile_source.strip():
            raise ValidationError(
                {"profile_source": "填写了城市规模或地区生产总值，请注明数据来源。"}
            )

    def get_context(self, request, *args, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        selectors.attach_terms(self, "region", "batch")
        cases = selectors.listing_queryset(CasePage).filter(city=self)
        context["cases"] = paginate(request, cases, per_page=50)
        context["standards"] = selectors.listing_queryset(StandardPage).filter(city=self)
        return context


class CaseTag(TaggedItemBase):
    content_object = ParentalKey(
        "cases.CasePage", related_name="tagged_items", on_delete=models.CASCADE
    )


# A mainland mobile number: a person's, never an office's public contact.
PERSONAL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def validate_office_contact(value: str) -> None:
    if PERSONAL_MOBILE.search(re.sub(r"[\s-]", "", value or "")):
        raise ValidationError("请填写部门的公开电话、邮箱或地址，不要填写个人手机号。")


class CasePage(EnglishContentMixin, PageDateMixin, ExternalIdMixin, SummaryMixin, Page):
    """A pilot experience (试点经验/模式) published by its city, in the case template a peer can
    rely on (cases.case_template): fixed sections from 背景与问题 to 相关技术; `body` stays for
    free content."""

    city = models.ForeignKey(
        CityPage,
        verbose_name="试点城市",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="case_pages",
        help_text="由页面所在的城市目录自动确定",
    )
    governance_model = models.ForeignKey(
        GovernanceModel,
        verbose_name="治理模式",
        null=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    waste_categories = ParentalManyToManyField(
        WasteCategory, verbose_name="废物类别", related_name="cases"
    )
    tags = ClusterTaggableManager("标签", through=CaseTag, blank=True)
    background = models.TextField("背景与问题", blank=True, help_text="试点前面临的问题与起因")
    measures = models.TextField("主要做法", blank=True, help_text="做了什么、怎么做的")
    outcomes = models.TextField(
        "成效说明", blank=True, help_text="可量化的成效请填在下方“成效指标”（含基准值和年份）"
    )
    costs = models.TextField("投入与成本", blank=True, help_text="资金、人员、设施投入及来源")
    lessons = models.TextField(
        "经验与教训", blank=True, help_text="包括没有奏效的做法及原因，供其他城市少走弯路"
    )
    replicable_points = models.TextField("可复制要点", blank=True, help_text="每行一条")
    applicability = models.TextField(
        "适用条件", blank=True, help_text="适合什么规模、产业结构或管理基础的城市"
    )
    lead_office = models.CharField("牵头部门", max_length=200, blank=True)
    lead_office_contact = models.CharField(
        "牵头部门公开联系方式",
        max_length=200,
        blank=True,
        validators=[validate_office_contact],
        help_text="部门的公开电话、邮箱或地址；不要填写个人姓名、手机号或个人邮箱",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name="其他内容")
    start_year = models.PositiveSmallIntegerField("起始年份", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("结束年份", null=True, blank=True)
    source_section = models.CharField("来源章节", max_length=50, blank=True)
    information_date = models.DateField(
        "信息更新于",
        null=True,
        editable=False,
        db_index=True,
        help_text="城市编辑最近一次发布本页的日期；系统导入时为来源日期（cases.signals）",
    )
    technologies = ParentalManyToManyField(
        "cases.TechnologyPage", verbose_name="相关技术", blank=True, related_name="reference_cases"
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="题图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        CompletenessPanel(heading="经验完整度"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("governance_model"),
                FieldPanel("waste_categories"),
                FieldPanel("tags"),
                FieldPanel("technologies"),
            ],
            heading="分类",
        ),
        FieldPanel("hero_image"),
        MultiFieldPanel(
            [
                FieldPanel("background"),
                FieldPanel("measures"),
                FieldPanel("outcomes"),
                FieldPanel("costs"),
                FieldPanel("lessons"),
                FieldPanel("replicable_points"),
                FieldPanel("applicability"),
                FieldPanel("lead_office"),
                FieldPanel("lead_office_contact"),
            ],
            heading="经验模板",
        ),
        InlinePanel("indicators", label="成效指标"),
        InlinePanel("policy_documents", label="政策文件"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("start_year"),
                FieldPanel("end_year"),
                FieldPanel("published_date"),
                FieldPanel("source"),
                FieldPanel("source_section"),
                FieldPanel("external_id"),
            ],
            heading="时间与来源",
        ),
        *EnglishContentMixin.english_panels,
    ]
    parent_page_types = ["cases.CityPage"]
    subpage_types = []

    class Meta:
        verbose_name = "试点经验"
        verbose_name_plural = "试点经验"

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.path else None
        if parent is not None:
            self.follow_parent(parent)
        return super().save(*args, **kwargs)

    def follow_parent(self, parent) -> None:
        """The facts a case takes from its place in the tree (also for cases.page_batch)."""
        if isinstance(parent, CityPage):
            self.city = parent
        else:
            self.city_id = parent.id if parent.specific_class is CityPage else None

    def clean(self):
        super().clean()
        if self.governance_model_id is None:
            raise ValidationError({"governance_model": "请选择治理模式。"})
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "结束年份不能早于起始年份。"})

    @cached_property
    def completeness(self):
        from cases.case_template import completeness

        return completeness(self)

    def get_context(self, request, *args, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        selectors.attach_terms(self, "governance_model")
        # On a revision (preview, view draft) `technologies` is an in-memory list, not a
        # queryset, so the public ones are looked up by id.
        context["related_technologies"] = (
            selectors.public_pages(TechnologyPage)
            .filter(pk__in=[t.pk for t in self.technologies.all()])
            .prefetch_related("waste_categories")
        )
        return context


class CaseIndicator(Orderable):
    """A measured result of a case: value against a baseline, with its unit and year."""

    page = ParentalKey(CasePage, related_name="indicators", on_delete=models.CASCADE)
    name = models.CharField("指标", max_length=200)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    unit = models.CharField("单位", max_length=30, blank=True)
    baseline = models.DecimalField("基准值", max_digits=18, decimal_places=4, null=True, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("value"),
        FieldPanel("unit"),
        FieldPanel("baseline"),
        FieldPanel("year"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "成效指标"


class CasePolicyDocument(Orderable):
    page = ParentalKey(CasePage, related_name="policy_documents", on_delete=models.CASCADE)
    title = models.CharField("文件名称", max_length=300)
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField("链接", blank=True)

    panels = [FieldPanel("title"), FieldPanel("document"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = "政策文件"

    @property
    def href(self) -> str:
        return self.document.url if self.document else self.url


class CaseIndexPage(EnglishTitleMixin, Page):
    """All pilot experiences, filterable by waste category, region, governance model, batch."""

    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), *EnglishTitleMixin.english_panels]
    parent_page_types = ["cases.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "试点经验目录"

    def serve(self, request, *args, **kwargs):
        from cases.forms import CaseFilterForm

        form = CaseFilterForm(request.GET)
        response = super().serve(request, *args, filter_form=form, **kwargs)
        if form.errors:
            response.status_code = 400
        return response

    def get_context(self, request, *args, filter_form=None, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        cases = selectors.listing_queryset(CasePage)
        if filter_form is not None and filter_form.is_valid():
            cases = selectors.filter_cases(cases, filter_form.cleaned_data)
        elif filter_form is not None:
            cases = cases.none()
        context["filter_form"] = filter_form
        context["cases"] = paginate(request, cases)
        return context


class TechnologyTag(TaggedItemBase):
    content_object = ParentalKey(
        "cases.TechnologyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class TechnologyIndexPage(EnglishTitleMixin, Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), *EnglishTitleMixin.english_panels]
    parent_page_types = ["cases.HomePage"]
    subpage_types = ["cases.TechnologyPage"]
    max_count = 1

    class Meta:
        verbose_name = "技术目录"

    def serve(self, request, *args, **kwargs):
        from cases.forms import TechnologyFilterForm

        form = TechnologyFilterForm(request.GET)
        response = super().serve(request, *args, filter_form=form, **kwargs)
        if form.errors:
            response.status_code = 400
        return response

    def get_context(self, request, *args, filter_form=None, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        technologies = selectors.listing_queryset(TechnologyPage)
        if filter_form is not None and filter_form.is_valid():
            technologies = selectors.filter_technologies(technologies, filter_form.cleaned_data)
        elif filter_form is not None:
            technologies = technologies.none()
        context["filter_form"] = filter_form
        context["technologies"] = paginate(request, technologies)
        return context


class TechnologyPage(EnglishContentMixin, PageDateMixin, ExternalIdMixin, SummaryMixin, Page):
    """A technology or technique with the waste it treats and the cases that use it."""

    class Maturity(models.TextChoices):
        RESEARCH = "research", "研发阶段"
        PILOT = "pilot", "试点应用"
        COMMERCIAL = "commercial", "推广应用"

    waste_categories = ParentalManyToManyField(
        WasteCategory, verbose_name="适用废物类别", related_name="technologies"
    )
    treatment_stages = ParentalManyToManyField(
        TreatmentStage,
        verbose_name="处理环节",
        blank=True,
        related_name="technologies",
        help_text="这项技术做什么：收集、运输、利用、处置或监管（可多选）",
    )
    maturity = models.CharField(
        "成熟度", max_length=20, choices=Maturity.choices, default=Maturity.PILOT
    )
    provider = models.CharField("技术提供方", max_length=200, blank=True)
    tags = ClusterTaggableManager("标签", through=TechnologyTag, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name="正文")
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="题图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("waste_categories"),
                FieldPanel("treatment_stages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("maturity"),
                FieldPanel("provider"),
                FieldPanel("tags"),
            ],
            heading="分类",
        ),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("indicators", label="性能与成本"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("published_date"), FieldPanel("external_id")],
            heading="来源",
        ),
        *EnglishContentMixin.english_panels,
    ]
    parent_page_types = ["cases.TechnologyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "技术"
        verbose_name_plural = "技术"

    def get_context(self, request, *args, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        context["cases"] = selectors.listing_queryset(CasePage).filter(technologies=self)
        return context


class TechnologyIndicator(Orderable):
    """A performance or cost figure of a technology."""

    page = ParentalKey(TechnologyPage, related_name="indicators", on_delete=models.CASCADE)
    name = models.CharField("指标", max_length=200)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    unit = models.CharField("单位", max_length=30, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "性能与成本"


class StandardIndexPage(EnglishTitleMixin, Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), *EnglishTitleMixin.english_panels]
    parent_page_types = ["cases.HomePage"]
    subpage_types = ["cases.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "无废细胞标准目录"

    def get_context(self, request, *args, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        cell_type = request.GET.get("cell_type", "")
        standards = selectors.listing_queryset(StandardPage)
        if cell_type in StandardPage.CellType.values:
            standards = standards.filter(cell_type=cell_type)
        context["cell_types"] = StandardPage.CellType.choices
        context["cell_type"] = cell_type
        context["standards"] = paginate(request, standards)
        return context


class StandardPage(EnglishContentMixin, PageDateMixin, ExternalIdMixin, SummaryMixin, Page):
    """A 无废细胞 evaluation standard as a scorecard: eligibility conditions, veto items,
    dimensions → indicators (each with its scoring method and maximum), bonus items with a cap,
    the pass line, the validity period of a recognition and its re-review rule.

    A city's own standards live under its city page (so the city's editors write them and its
    reviewers publish them, like cases); national ones under the standards index. Versions chain
    through `previous_version`; a standard copied from another records `derived_from`."""

    class CellType(models.TextChoices):
        # The types named by real rules: Shanghai 沪生建办〔2023〕14号, the Jing'an district scheme
        # (2024) and the seed (铜陵); see fixtures/taxonomy/SOURCES.md.
        SCHOOL = "school", _("校园（学校）")
        COMMUNITY = "community", _("社区（小区）")
        AGENCY = "agency", _("机关")
        FACTORY = "factory", _("工厂")
        PARK = "park", _("工业园区")
        GROUP = "group", _("企业集团")
        ENTERPRISE = "enterprise", _("企业")
        HOSPITAL = "hospital", _("医院")
        HOTEL = "hotel", _("酒店")
        SCENIC = "scenic", _("景区")
        MALL = "mall", _("商场")
        RESTAURANT = "restaurant", _("餐馆（饭店）")
        EXPRESS = "express", _("快递网点")
        BUILDING = "building", _("楼宇")
        MARKET = "market", _("菜场")
        PUBLIC_PARK = "public_park", _("公园")
        VILLAGE = "village", _("村庄")

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区（县）级")

    class Status(models.TextChoices):
        CURRENT = "current", _("现行")
        ABOLISHED = "abolished", _("已废止")
        DRAFT = "draft", _("征求意见")

    cell_type = models.CharField("细胞类型", max_length=20, choices=CellType.choices)
    city = models.ForeignKey(
        CityPage,
        verbose_name="发布城市",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="standards",
        help_text="建在城市页面之下的标准自动归属该城市",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="适用地区",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issuing_body = models.CharField("发布机构", max_length=200, blank=True)
    issuing_level = models.CharField("发布层级", max_length=10, choices=Level.choices, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    version = models.CharField("版本", max_length=50, blank=True)
    issued_date = models.DateField("发布日期", null=True, blank=True)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.CURRENT)
    is_example = models.BooleanField(
        "示例标准",
        default=False,
        help_text="为试用平台编写的示例，不是已发布的标准；页面上会醒目标注",
    )
    previous_version = models.ForeignKey(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newer_versions",
        help_text="本版本取代的旧版本；旧版本页面保留并提示查看现行版本",
    )
    derived_from = models.ForeignKey(
        "self",
        verbose_name="参照标准",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derivatives",
        help_text="本标准据以改编的其他城市标准",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name="正文")
    eligibility_items = models.TextField(
        "申报条件", blank=True, help_text="每行一项，例如：近三年无严重失信记录"
    )
    veto_items = models.TextField("一票否决项", blank=True, help_text="每行一项")
    dimensions = StreamField(
        [("dimension", StandardDimensionBlock())], blank=True, verbose_name="评价维度与指标"
    )
    bonus_items = StreamField([("bonus", BonusItemBlock())], blank=True, verbose_name="加分项")
    bonus_cap = models.DecimalField(
        "加分上限", max_digits=6, decimal_places=1, null=True, blank=True
    )
    pass_threshold = models.DecimalField(
        "达标分数线", max_digits=6, decimal_places=1, null=True, blank=True
    )
    validity_years = models.PositiveSmallIntegerField("认定有效期（年）", null=True, blank=True)
    review_rule = models.TextField("复评规则", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("cell_type"),
                FieldPanel("city"),
                FieldPanel("region"),
                FieldPanel("issuing_body"),
                FieldPanel("issuing_level"),
                FieldPanel("doc_number"),
                FieldPanel("version"),
                FieldPanel("issued_date"),
                FieldPanel("effective_date"),
                FieldPanel("status"),
                FieldPanel("is_example"),
            ],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [FieldPanel("previous_version"), FieldPanel("derived_from")], heading="版本与来源"
        ),
        FieldPanel("body"),
        FieldPanel("eligibility_items"),
        FieldPanel("veto_items"),
        FieldPanel("dimensions"),
        FieldPanel("bonus_items"),
        MultiFieldPanel(
            [
                FieldPanel("bonus_cap"),
                FieldPanel("pass_threshold"),
                FieldPanel("validity_years"),
                FieldPanel("review_rule"),
            ],
            heading="计分与认定",
        ),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("published_date"), FieldPanel("external_id")],
            heading="来源",
        ),
        *EnglishContentMixin.english_panels,
    ]
    parent_page_types = ["cases.StandardIndexPage", "cases.CityPage"]
    subpage_types = []

    class Meta:
        verbose_name = "无废细胞标准"
        verbose_name_plural = "无废细胞标准"

    def save(self, *args, **kwargs):
        # A standard written under a city page belongs to that city.
        if self.city_id is None and self.depth and self.depth > 2:
            parent = self.get_parent()
            if parent is not None and parent.specific_class is CityPage:
                self.city_id = parent.pk
        return super().save(*args, **kwargs)

    @property
    def page_date(self):
        return self.issued_date or super().page_date

    def indicator_list(self) -> list[tuple[str, dict]]:
        """(dimension name, indicator value) for every indicator, in scorecard order."""
        return [
            (dimension.value["name"], indicator)
            for dimension in self.dimensions
            for indicator in dimension.value["indicators"]
        ]

    @cached_property
    def max_total(self):
        return sum((indicator["max_score"] or 0) for _, indicator in self.indicator_list())

    @property
    def veto_list(self) -> list[str]:
        return _lines(self.veto_items)

    @property
    def eligibility_list(self) -> list[str]:
        return _lines(self.eligibility_items)

    @cached_property
    def current_version(self):
        """The newest live version that (transitively) supersedes this one, or None."""
        page, seen = self, {self.pk}
        while True:
            newer = (
                StandardPage.objects.live()
                .filter(previous_version=page)
                .order_by("-first_published_at", "-pk")
                .first()
            )
            if newer is None or newer.pk in seen:
                return page if page is not self else None
            seen.add(newer.pk)
            page = newer

    def clean(self):
        super().clean()
        errors = {}
        codes = [indicator["code"] for _, indicator in self.indicator_list()]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            errors["dimensions"] = f"指标编号重复：{'、'.join(duplicates)}"
        else:
            problems = [
                problem
                for _, indicator in self.indicator_list()
                for problem in _indicator_problems(indicator)
            ]
            if problems:
                errors["dimensions"] = "；".join(problems)
        ceiling = self.max_total + (self.bonus_cap or 0)
        if self.pass_threshold is not None and self.dimensions and self.pass_threshold > ceiling:
            errors["pass_threshold"] = "达标分数线不能高于各指标分值与加分上限之和。"
        if self.previous_version_id and self.previous_version_id == self.pk:
            errors["previous_version"] = "不能把本标准设为自己的上一版本。"
        if errors:
            raise ValidationError(errors)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _indicator_problems(indicator) -> list[str]:
    code, top = indicator["code"], indicator["max_score"] or 0
    if indicator["method"] == "graded":
        if not indicator["levels"]:
            return [f"指标 {code} 为分级评分，需要填写等级"]
        if any((level["points"] or 0) > top for level in indicator["levels"]):
            return [f"指标 {code} 的等级得分不能高于分值 {top}"]
    if indicator["method"] == "deduction" and not indicator["deduction"]:
        return [f"指标 {code} 为按问题扣分，需要填写每处问题扣分"]
    return []


class ArticleIndexPage(EnglishTitleMixin, Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), *EnglishTitleMixin.english_panels]
    parent_page_types = ["cases.HomePage"]
    subpage_types = ["cases.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = "策略与数据目录"

    def get_context(self, request, *args, **kwargs):
        from cases import selectors

        context = super().get_context(request, *args, **kwargs)
        articles = selectors.listing_queryset(ArticlePage).order_by("path")
        context["sections"] = [
            (label, [a for a in articles if a.section == value])
            for value, label in ArticlePage.Section.choices
        ]
        return context


class ArticlePage(EnglishContentMixin, PageDateMixin, ExternalIdMixin, SummaryMixin, Page):
    """Provincial and regional strategies and the source's data tables, as readable pages."""

    class Section(models.TextChoices):
        OVERVIEW = "overview", "试点进展与总体思路"
        PROVINCE = "province", "省域梯次推进"
        REGION = "region", "区域协同推进"

    section = models.CharField("栏目", max_length=20, choices=Section.choices)
    macro_region = models.CharField(
        "东中西部", max_length=4, choices=Region.MacroRegion.choices, blank=True
    )
    cluster = models.CharField("城市群", max_length=10, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name="正文")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("section"), FieldPanel("macro_region"), FieldPanel("cluster")],
            heading="分类",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("published_date"), FieldPanel("external_id")],
            heading="来源",
        ),
        *EnglishContentMixin.english_panels,
    ]
    parent_page_types = ["cases.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "策略与数据"
        verbose_name_plural = "策略与数据"

"""factory_boy factories for the cases app: taxonomy terms and the content pages.

Tests across the project (cases, search and later apps) build their data with these. The test
database already holds the seed fixtures (see tests/conftest.py), so most tests combine seed
terms with a few pages made here::

    hazardous = WasteCategory.objects.get(slug="hazardous")
    city = CityPage.objects.get(slug="shaoxing")
    case = CasePageFactory(parent=city, title="测试经验", waste_categories=[hazardous],
                           tags=["小微企业"])
    draft = CasePageFactory(parent=city, live=False)        # saved as a draft, never published

Page factories
    ``CityPageFactory``, ``CasePageFactory`` and ``TechnologyPageFactory`` add the page to the
    tree with ``parent.add_child(instance=page)`` under the right parent (the CityIndexPage, a
    CityPage, the TechnologyIndexPage) and then publish it with
    ``page.save_revision().publish()`` — the same path an editor takes, so the page has a
    revision, ``first_published_at`` and ``live=True``. Pass ``live=False`` to keep it a draft
    (one revision, never published, ``live=False``).

    Many-to-many values and tags are plain keyword arguments, set before the first revision is
    saved so that the published revision carries them:

    * ``waste_categories=[WasteCategory, …]`` (default: one new category from
      ``WasteCategoryFactory``, a root of the waste tree);
    * ``technologies=[TechnologyPage, …]`` (cases only; default none);
    * ``tags=["标签", …]`` (default none);
    * ``indicators=[{"name": …, "value": …, "unit": …}, …]`` (cases only; default none).

    The returned page is re-read from the database (``.specific``), so ``live``, ``url`` and the
    relations reflect what was saved. ``.build()`` is not supported for pages (they need a parent).

Taxonomy factories
    ``WasteCategoryFactory``, ``RegionFactory``, ``GovernanceModelFactory`` and
    ``PilotBatchFactory`` make terms with unique slugs/codes (``test-…``; region codes 9xxxxx,
    which GB/T 2260 does not use), so they never clash with the seed terms. Saving a term clears
    ``cases.taxonomy_cache`` through the app's signals.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from cases.models import (
    CaseIndicator,
    CasePage,
    CityIndexPage,
    CityPage,
    GovernanceModel,
    PilotBatch,
    Region,
    TechnologyIndexPage,
    TechnologyPage,
    WasteCategory,
)

# ---------------------------------------------------------------------------------------------
# Taxonomy


class WasteCategoryFactory(DjangoModelFactory):
    """A waste category; a root of the tree unless ``parent=`` is given."""

    class Meta:
        model = WasteCategory

    slug = factory.Sequence(lambda n: f"test-waste-{n}")
    name = factory.Sequence(lambda n: f"测试废物类别{n}")
    name_en = factory.Sequence(lambda n: f"Test waste category {n}")
    code = ""
    aliases = ""
    parent = None


class RegionFactory(DjangoModelFactory):
    """A province-level region in 东部 by default; for a prefecture-level city pass
    ``level=Region.Level.CITY, parent=<province>``."""

    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"{900000 + n * 100:06d}")
    name = factory.Sequence(lambda n: f"测试地区{n}")
    level = Region.Level.PROVINCE
    parent = None
    macro_region = Region.MacroRegion.EAST
    clusters = ""
    aliases = ""


class GovernanceModelFactory(DjangoModelFactory):
    class Meta:
        model = GovernanceModel

    slug = factory.Sequence(lambda n: f"test-model-{n}")
    name = factory.Sequence(lambda n: f"测试治理模式{n}")
    name_en = factory.Sequence(lambda n: f"Test governance model {n}")
    sort_order = factory.Sequence(lambda n: 100 + n)


class PilotBatchFactory(DjangoModelFactory):
    class Meta:
        model = PilotBatch

    slug = factory.Sequence(lambda n: f"test-batch-{n}")
    name = factory.Sequence(lambda n: f"测试试点批次{n}")
    year = 2025


# ---------------------------------------------------------------------------------------------
# Pages


def _index_page(model):
    """The single index page of `model`, creating the site tree if the database has none."""

    def get():
        page = model.objects.first()
        if page is None:
            from cases import seeding

            seeding.ensure_site_tree()
            page = model.objects.get()
        return page

    return get


class _PageFactory(DjangoModelFactory):
    """Adds the page under ``parent`` and publishes it (or keeps a draft with ``live=False``)."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"测试页面{n}")
    slug = factory.Sequence(lambda n: f"test-page-{n}")
    live = True

    # Keyword arguments handled by _create rather than passed to the model.
    _RELATIONS = ()

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Page factories need a parent in the tree; use create().")

    @classmethod
    def _create(cls, model_class, *args, parent, live=True, **kwargs):
        relations = {name: kwargs.pop(name) for name in cls._RELATIONS if name in kwargs}
        page = model_class(*args, **kwargs)
        page.live = False
        for name, values in relations.items():
            cls._set_relation(page, name, values)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        return model_class.objects.get(pk=page.pk)

    @classmethod
    def _set_relation(cls, page, name, values):
        if name == "tags":
            page.tags.set(list(values) if values else [], clear=True)
        else:
            setattr(page, name, list(values or []))


class CityPageFactory(_PageFactory):
    """A pilot city under the CityIndexPage; ``region`` defaults to a new RegionFactory region,
    ``batch`` to none."""

    class Meta:
        model = CityPage

    parent = factory.LazyFunction(_index_page(CityIndexPage))
    title = factory.Sequence(lambda n: f"测试城市{n}")
    slug = factory.Sequence(lambda n: f"test-city-{n}")
    region = factory.SubFactory(RegionFactory)
    kind = CityPage.Kind.CITY
    batch = None
    summary = factory.LazyAttribute(lambda o: f"{o.title}的简介。")


class CasePageFactory(_PageFactory):
    """A pilot experience under ``parent`` (a CityPage; default a new CityPageFactory city).

    ``city`` is not passed: CasePage.save() takes it from the parent. ``governance_model``
    defaults to a new GovernanceModelFactory term, ``waste_categories`` to one new category.
    """

    class Meta:
        model = CasePage

    _RELATIONS = ("waste_categories", "technologies", "tags", "indicators")

    parent = factory.SubFactory(CityPageFactory)
    title = factory.Sequence(lambda n: f"测试试点经验{n}")
    slug = factory.Sequence(lambda n: f"test-case-{n}")
    summary = factory.LazyAttribute(lambda o: f"{o.title}的摘要。")
    governance_model = factory.SubFactory(GovernanceModelFactory)
    waste_categories = factory.LazyFunction(lambda: [WasteCategoryFactory()])
    published_date = factory.LazyFunction(lambda: datetime.date(2021, 3, 6))
    source = "测试来源"

    @classmethod
    def _set_relation(cls, page, name, values):
        if name == "indicators":
            page.indicators = [CaseIndicator(**item) for item in values or []]
        else:
            super()._set_relation(page, name, values)


class TechnologyPageFactory(_PageFactory):
    """A technology under the TechnologyIndexPage; ``waste_categories`` defaults to one new
    category. Cases link to it with ``CasePageFactory(technologies=[technology])``."""

    class Meta:
        model = TechnologyPage

    _RELATIONS = ("waste_categories", "tags")

    parent = factory.LazyFunction(_index_page(TechnologyIndexPage))
    title = factory.Sequence(lambda n: f"测试技术{n}")
    slug = factory.Sequence(lambda n: f"test-technology-{n}")
    summary = factory.LazyAttribute(lambda o: f"{o.title}的摘要。")
    maturity = TechnologyPage.Maturity.PILOT
    provider = ""
    waste_categories = factory.LazyFunction(lambda: [WasteCategoryFactory()])
    source = "测试来源"


def case_record(external_id: str, **fields) -> dict:
    """An import record of a case (cases.importing.upsert_case, publishing.imports) that names
    seed terms: a pilot city, a governance model, waste categories, a seed technology."""
    return {
        "external_id": external_id,
        "title": f"导入测试 {external_id}",
        "city": "绍兴市",
        "governance_model": "危废治理",
        "waste_categories": ["HW18", "生活垃圾"],
        "tags": ["导入测试", "同一标签"],
        "summary": "摘要。",
        "body": "第一段。\n\n第二段。",
        "published": "2021-03-06",
        "source": "测试来源",
        "indicators": [{"name": "收集量", "value": 12.5, "unit": "万吨", "year": 2020}],
        "technologies": ["seed-tech-plasma-fly-ash"],
        **fields,
    }

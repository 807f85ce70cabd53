"""Loads the seed fixtures (fixtures/): taxonomy, the site tree, cities and content. Idempotent:
terms are matched by slug or code, pages by slug or external_id, and unchanged pages are not
saved again."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from wagtail.models import Page, Site

from cases import importing, taxonomy_cache
from cases.models import (
    ArticleIndexPage,
    CaseIndexPage,
    CityIndexPage,
    CityPage,
    GovernanceModel,
    HomePage,
    PilotBatch,
    Region,
    StandardIndexPage,
    SynonymGroup,
    TechnologyIndexPage,
    TreatmentStage,
    WasteCategory,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# Sent at the end of load_all() with the report; apps above cases (search's lexicon) seed their
# own fixtures from it and add their counts to the report.
fixtures_loaded = Signal()

# (model, title, slug, intro, English title, English intro)
INDEX_PAGES = [
    (
        CaseIndexPage,
        "试点经验",
        "cases",
        "各试点城市和地区探索形成的固体废物治理经验与模式。",
        "Pilot experiences",
        "Solid waste governance experiences and models developed by the pilot cities and areas.",
    ),
    (
        TechnologyIndexPage,
        "技术",
        "technologies",
        "试点中应用的固体废物减量、利用与处置技术。",
        "Technologies",
        "Technologies for reducing, utilising and disposing of solid waste applied in the pilots.",
    ),
    (
        CityIndexPage,
        "试点城市",
        "cities",
        "首批“11+5”“无废城市”建设试点城市和地区。",
        "Pilot cities",
        'The first "11+5" batch of "zero-waste city" pilot cities and areas.',
    ),
    (
        StandardIndexPage,
        "无废细胞",
        "standards",
        "无废学校、小区、机关等“无废细胞”评价标准。",
        "Zero-waste cells",
        'Evaluation standards for "zero-waste cells" such as zero-waste schools, residential '
        "communities and government offices.",
    ),
    (
        ArticleIndexPage,
        "策略与数据",
        "strategy",
        "省域、区域“无废城市”梯次推进策略与相关数据。",
        "Strategy and data",
        'Strategies for advancing "zero-waste cities" step by step in provinces and regions, '
        "and related data.",
    ),
]
HOME_TITLE_EN = "Zero-Waste City Pilot Exchange Platform"
HOME_INTRO_EN = (
    'Pilot experiences, technologies and "zero-waste cell" standards from the "zero-waste city" '
    "pilots, for exchange and mutual learning between cities and for industry matchmaking."
)


def read(name: str):
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


def _upsert(model, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    if any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
    return obj


@transaction.atomic
def load_taxonomy() -> dict[str, int]:
    for n, item in enumerate(read("taxonomy/governance_models.json")):
        _upsert(
            GovernanceModel,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "description": item.get("description", ""),
                "aliases": "、".join(item.get("aliases", [])),
                "sort_order": n,
            },
        )
    for n, item in enumerate(read("taxonomy/treatment_stages.json")):
        _upsert(
            TreatmentStage,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "description": item.get("description", ""),
                "aliases": "、".join(item.get("aliases", [])),
                "sort_order": n,
            },
        )
    for item in read("taxonomy/pilot_batches.json"):
        _upsert(
            PilotBatch,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "description": item.get("description", ""),
                "year": item["year"],
                "aliases": "、".join(item.get("aliases", [])),
            },
        )
    slugs = {}
    for n, item in enumerate(read("taxonomy/waste_categories.json")):
        slugs[item["slug"]] = _upsert(
            WasteCategory,
            {"slug": item["slug"]},
            {
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "code": item.get("code") or "",
                "aliases": "、".join(item.get("aliases", [])),
                "parent": slugs[item["parent"]] if item.get("parent") else None,
                "sort_order": n,
            },
        )
    codes = {}
    for item in read("taxonomy/regions.json"):
        codes[item["code"]] = _upsert(
            Region,
            {"code": item["code"]},
            {
                "name": item["name"],
                "level": item["level"],
                "parent": codes[item["parent"]] if item.get("parent") else None,
                "macro_region": item.get("macro_region") or "",
                "clusters": ",".join(item.get("clusters", [])),
                "aliases": ",".join(item.get("aliases", [])),
            },
        )
    for terms in read("taxonomy/synonyms.json"):
        joined = "、".join(terms)
        if not SynonymGroup.objects.filter(terms=joined).exists():
            SynonymGroup.objects.create(terms=joined)
    taxonomy_cache.clear()
    return {
        "waste_categories": WasteCategory.objects.count(),
        "regions": Region.objects.count(),
        "governance_models": GovernanceModel.objects.count(),
        "pilot_batches": PilotBatch.objects.count(),
        "synonym_groups": SynonymGroup.objects.count(),
        "treatment_stages": TreatmentStage.objects.count(),
    }


def _publish_new(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def ensure_site_tree() -> HomePage:
    """The home page as the default site's root, with one index page of each kind below it."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = _publish_new(
            root,
            HomePage(
                title="无废城市试点交流平台",
                slug="wfc-home",
                intro="汇集“无废城市”建设试点经验、技术与“无废细胞”标准，服务城市交流互鉴与产业对接。",
                title_en=HOME_TITLE_EN,
                intro_en=HOME_INTRO_EN,
            ),
        )
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(
                hostname="localhost",
                root_page=home,
                is_default_site=True,
                site_name="无废城市试点交流平台",
            )
        else:
            site.root_page = home
            site.site_name = "无废城市试点交流平台"
            site.save()
        # Wagtail's placeholder "Welcome" page is replaced by the home page.
        if old_root is not None and old_root.specific_class is Page:
            old_root.delete()
    _fill_english(home, HOME_TITLE_EN, HOME_INTRO_EN)
    for model, title, slug, intro, title_en, intro_en in INDEX_PAGES:
        page = model.objects.first()
        if page is None:
            _publish_new(
                home,
                model(title=title, slug=slug, intro=intro, title_en=title_en, intro_en=intro_en),
            )
        else:
            _fill_english(page, title_en, intro_en)
    return home


def _fill_english(page: Page, title_en: str, intro_en: str) -> None:
    """Sites seeded before English existed get the English title; an editor's is kept."""
    if not page.title_en:
        page.title_en, page.intro_en = title_en, intro_en
        page.save_revision().publish()


@transaction.atomic
def load_cities() -> int:
    parent = CityIndexPage.objects.get()
    batches = {b.slug: b for b in PilotBatch.objects.all()}
    for item in read("content/cities.json"):
        page = CityPage.objects.filter(slug=item["slug"]).first()
        values = {
            "title": item["name"],
            "region": Region.objects.get(code=item["region"]),
            "admin_code": item.get("admin_code") or "",
            "kind": item.get("kind") or CityPage.Kind.CITY,
            "batch": batches.get(item.get("batch")),
            "summary": item.get("summary", ""),
            "title_en": item.get("name_en", ""),
            "summary_en": item.get("summary_en", ""),
            "note": item.get("note", ""),
            "published_date": importing._date(item, "published"),
        }
        if page is None:
            _publish_new(parent, CityPage(slug=item["slug"], **values))
        elif any(getattr(page, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(page, k, v)
            page.save_revision().publish()
    return CityPage.objects.count()


def load_content() -> dict[str, dict[str, int]]:
    """Technologies first (cases link to them), then cases, standards and articles."""
    report = {}
    for kind, filename in [
        ("technology", "content/technologies.json"),
        ("case", "content/cases.json"),
        ("standard", "content/standards.json"),
        ("standard", "content/standards_examples.json"),
        ("article", "content/articles.json"),
    ]:
        counts = report.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        for record in read(filename):
            with transaction.atomic():
                _page, status = importing.UPSERTS[kind](record, publish=True)
            counts[status] += 1
    return report


def load_all() -> dict:
    """Everything in fixtures/, in dependency order."""
    report = {"taxonomy": load_taxonomy()}
    ensure_site_tree()
    report["cities"] = load_cities()
    report.update(load_content())
    fixtures_loaded.send(sender=load_all, report=report)
    return report

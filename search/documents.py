"""What the exchange search knows about a page: one flat document per public page, the same for
every engine. Content apps know nothing of this module; it reads their models."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from wagtail.models import Page

from cases import sites, taxonomy_cache
from cases.case_template import TEXT_FIELDS as CASE_TEXT_FIELDS
from cases.languages import in_default_language
from cases.models import ArticlePage, CasePage, CityPage, StandardPage, TechnologyPage
from search import sources, text

FACET_FIELDS = ("type", "waste", "region", "batch", "model", "tag", "year", "cell_type")


def key_for(page_id: int) -> str:
    return f"page-{page_id}"


def stream_text(stream) -> str:
    """The readable text of a StreamField: paragraphs, headings, table cells, captions."""
    parts = []

    def walk(value):
        if value is None:
            return
        if isinstance(value, str):
            parts.append(text.strip_html(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for block in stream.raw_data if hasattr(stream, "raw_data") else stream or []:
        if block.get("type") == "image":
            walk(block.get("value", {}).get("caption"))
        else:
            walk(block.get("value"))
    return "\n".join(p for p in parts if p)


def _waste(categories) -> tuple[list[str], list[dict]]:
    slugs, labels = [], []
    for category in categories:
        labels.append({"slug": category.slug, "name": category.name, "name_en": category.name_en})
        slugs.extend(c.slug for c in taxonomy_cache.waste_ancestors(category))
    return list(dict.fromkeys(slugs)), labels


def city_fields(city: CityPage | None) -> dict:
    if city is None:
        return {"city": "", "region_code": "", "region": [], "batch": []}
    region = taxonomy_cache.regions().get(city.region_id) or city.region
    return {
        "city": city.title,
        "region_code": city.admin_code or region.code,
        "region": region.facet_values(),
        "batch": [city.batch.slug] if city.batch_id else [],
    }


def _base(page, doc_type: str) -> dict:
    return {
        "key": key_for(page.pk),
        "page_id": page.pk,
        "type": doc_type,
        "title": page.title,
        "url": page.url or "",
        "summary": getattr(page, "summary", "") or "",
        "body": stream_text(getattr(page, "body", None)),
        "keywords": "",
        "waste": [],
        "waste_categories": [],
        "model": [],
        "tag": [],
        "published": None,
        "year": [],
        "cell_type": [],
    }


def _published(page):
    # The page's own date (cases.models.pages.PageDateMixin): its source's date, else its first
    # publication here.
    value = page.page_date
    return value.isoformat() if value else None


def _case(page: CasePage) -> dict:
    doc = _base(page, "case")
    slugs, labels = _waste(_all(page, "waste_categories"))
    tags = sorted(tag.name for tag in _all(page, "tags"))
    model = page.governance_model
    doc.update(city_fields(page.city))
    # The case template's sections are the case's text as much as its free body.
    sections = [getattr(page, name) for name in CASE_TEXT_FIELDS]
    doc.update(
        body="\n".join(filter(None, [*sections, page.lead_office, doc["body"]])),
        waste=slugs,
        waste_categories=labels,
        model=[model.slug] if model else [],
        tag=tags,
        published=_published(page),
        keywords=" ".join(
            [*tags, *(c["name"] for c in labels), model.name if model else "", doc["city"]]
            + [t.title for t in _all(page, "technologies")]
        ),
    )
    return doc


def _technology(page: TechnologyPage) -> dict:
    doc = _base(page, "technology")
    slugs, labels = _waste(_all(page, "waste_categories"))
    tags = sorted(tag.name for tag in _all(page, "tags"))
    # The cities of the cases that use it, each once, in the cases' order: a technology used by
    # thousands of cases (a bulk import reindexes it with every batch) reads their ids only.
    city_ids = list(
        dict.fromkeys(page.reference_cases.live().public().values_list("city_id", flat=True))
    )
    found = _cities(pk for pk in city_ids if pk is not None)
    cities = [found.get(pk) for pk in city_ids]
    regions = sorted({v for city in cities if city for v in city_fields(city)["region"]})
    doc.update(
        waste=slugs,
        waste_categories=labels,
        tag=tags,
        region=regions,
        city="、".join(dict.fromkeys(c.title for c in cities if c)),
        region_code="",
        batch=sorted({b for city in cities if city for b in city_fields(city)["batch"]}),
        published=_published(page),
        keywords=" ".join([*tags, *(c["name"] for c in labels), page.provider]),
    )
    return doc


def _standard(page: StandardPage) -> dict:
    doc = _base(page, "standard")
    doc.update(city_fields(page.city))
    dimensions = stream_text(page.dimensions)
    doc.update(
        body="\n".join(filter(None, [doc["body"], dimensions, page.veto_items])),
        published=_published(page),
        cell_type=[page.cell_type] if page.cell_type else [],
        keywords=" ".join(
            [in_default_language(page.get_cell_type_display()), "无废细胞", page.issuing_body]
        ),
    )
    return doc


def _city(page: CityPage) -> dict:
    doc = _base(page, "city")
    doc.update(city_fields(page))
    doc.update(
        summary=page.summary,
        published=_published(page),
        keywords=" ".join(
            [
                in_default_language(page.get_kind_display()),
                page.note,
                page.batch.name if page.batch else "",
            ]
        ),
    )
    return doc


def _article(page: ArticlePage) -> dict:
    doc = _base(page, "article")
    regions = [v for v in (page.macro_region, page.cluster) if v]
    doc.update(region=regions, published=_published(page), keywords=page.get_section_display())
    return doc


BUILDERS = {
    CasePage: _case,
    TechnologyPage: _technology,
    StandardPage: _standard,
    CityPage: _city,
    ArticlePage: _article,
}


def build(page) -> dict:
    """The document of a public page (see page_documents); `year` follows its published date.
    Built in the default language whatever the request's (an editor's English admin, an /en/
    page): the stored URL is the Chinese path, which results turn into /en/… under English."""
    with translation.override(settings.LANGUAGE_CODE):
        document = BUILDERS[type(page)](page)
    document["year"] = [document["published"][:4]] if document.get("published") else []
    _add_english(document, page)
    return document


def _add_english(document: dict, page) -> None:
    """One document per page in both languages (cases.models.english): the English title and
    summary are searched with the keywords (English-analysed on the server, stemmed on the
    embedded engine), the English body with the body; results show them under /en/."""
    title_en, summary_en = page.title_en, page.summary_en
    document.update(title_en=title_en, summary_en=summary_en)
    document["keywords"] = " ".join(filter(None, [document["keywords"], title_en, summary_en]))
    body_en = text.strip_html(page.body_en)
    document["body"] = "\n".join(filter(None, [document["body"], body_en]))


def _prefetch(*names, **querysets) -> list[Prefetch]:
    # Into lists (to_attr): Django then builds no manager per page to hold them, which is most
    # of a prefetch's cost on modelcluster's relations. Read with _all().
    return [
        Prefetch(name, queryset=querysets.get(name), to_attr=f"search_{name}") for name in names
    ]


def _all(page, name: str) -> list:
    """The page's related objects `name`, as RELATED prefetched them (else from the database)."""
    prefetched = getattr(page, f"search_{name}", None)
    return prefetched if prefetched is not None else list(getattr(page, name).all())


def _cities(ids) -> dict[int, CityPage]:
    """Cities by id with only what city_fields reads (the region comes from the taxonomy
    cache): a city is a page of fifty columns, joined to every case row it would be read for
    each case again."""
    fields = ("title", "admin_code", "region", "batch", "batch__slug")
    return CityPage.objects.select_related("batch").only(*fields).in_bulk(list(ids))


def _with_cities(pages) -> list:
    """The pages (cases, standards) with their cities attached, from one query."""
    pages = list(pages)
    cities = _cities({page.city_id for page in pages if page.city_id})
    for page in pages:
        if page.city_id in cities:
            page.city = cities[page.city_id]
    return pages


def _cases(queryset) -> list[CasePage]:
    pages = _with_cities(
        queryset.prefetch_related(
            *_prefetch(
                "waste_categories",
                "tags",
                "technologies",
                technologies=TechnologyPage.objects.only("title"),
            )
        )
    )
    models = taxonomy_cache.governance_models()
    for page in pages:
        if page.governance_model_id in models:
            page.governance_model = models[page.governance_model_id]
    return pages


RELATED = {
    CasePage: _cases,
    TechnologyPage: lambda qs: qs.prefetch_related(*_prefetch("waste_categories", "tags")),
    StandardPage: _with_cities,
    CityPage: lambda qs: qs.select_related("region", "batch"),
    ArticlePage: lambda qs: qs,
}


def searchable_pages():
    """Every public live page of an indexed type, for full rebuilds."""
    for model in BUILDERS:
        yield from sites.with_root_paths(RELATED[model](model.objects.live().public()))


def all_page_documents():
    for page in searchable_pages():
        yield build(page)


def page_documents(page_ids: list[int]) -> dict[int, dict]:
    """The documents of those pages that must be found; a page that is missing, a draft,
    private, unpublished or of a type that is not searched has none. Built from the live
    version, a few queries per page type however many pages (an import syncs hundreds)."""
    public = Page.objects.filter(pk__in=page_ids).live().public()
    documents = {}
    for model, pages in RELATED.items():
        found = pages(model.objects.filter(pk__in=public.type(model).values("pk")))
        for page in sites.with_root_paths(found):
            if type(page) is model:  # not a subclass's page: it has its own builder
                documents[page.pk] = build(page)
    return documents


def findable_pages(page_ids: list[int]) -> dict[int, tuple]:
    found = Page.objects.filter(pk__in=page_ids).live().public()
    rows = found.values_list("pk", "translation_key", "latest_revision_id")
    return {pk: (str(key), revision) for pk, key, revision in rows}


def page_version(page) -> tuple:
    """What tells this state of the page from any other: its translation key is its own for
    good (an id can come back after a rollback), its latest revision changes with every edit."""
    return str(page.translation_key), page.latest_revision_id


PAGES = sources.DocumentSource(
    name="page",
    documents=page_documents,
    all_documents=all_page_documents,
    findable=findable_pages,
)
sources.register(PAGES)


def all_documents():
    """Every public document of every source (pages, and what other apps registered)."""
    for source in sources.all_sources():
        yield from source.all_documents()

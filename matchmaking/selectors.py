"""Read-side queries of matchmaking: who may see which inquiry, who answers it, the public board,
and the profiles that `matchmaking.matching` scores."""

from django.db.models import Q
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cases import taxonomy_cache
from cases.models import CasePage, CityPage, TechnologyPage
from cases.selectors import public_pages

from . import matching
from .models import BoardPost, Inquiry, TechnologyContact

# "Edit permission" on a city's content: Wagtail's change or publish permission on the page or
# an ancestor (a city's 编辑 and 审核 groups both answer its inquiries).
EDIT_ACTIONS = {"change", "publish"}
INQUIRY_TARGET_MODELS = (CasePage, TechnologyPage, CityPage)


# ---------------------------------------------------------------------------------------------
# Inquiries: targets, visibility, responsible people


def inquiry_target(page_id: int):
    """The live, public case, technology or city page with this id (specific), or None."""
    page = public_pages(Page).filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    return page if isinstance(page, INQUIRY_TARGET_MODELS) else None


def can_see_all_inquiries(user) -> bool:
    """Superusers and platform staff given “可查看全部城市的对接需求” see every inquiry."""
    if not user.is_active or user.is_anonymous:
        return False
    return user.is_superuser or user.has_perm("matchmaking.view_all_inquiries")


def editable_pages(user):
    """Pages the user may edit or publish, through Wagtail's page permission policy."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, EDIT_ACTIONS)


def edits_any_page(user) -> bool:
    return PagePermissionPolicy().user_has_any_permission(user, EDIT_ACTIONS)


def inquiries_visible_to(user):
    """Inquiries a staff member may read: all for superusers (and platform staff); otherwise only
    those whose target page, or the city of the target, the user may edit. Nobody else."""
    if not user.is_active or user.is_anonymous:
        return Inquiry.objects.none()
    if can_see_all_inquiries(user):
        return Inquiry.objects.all()
    pages = editable_pages(user).values("pk")
    return Inquiry.objects.filter(Q(target_page__in=pages) | Q(target_city__in=pages))


def user_can_see_inquiry(user, inquiry: Inquiry) -> bool:
    """The single-object form of `inquiries_visible_to`, via `permissions_for_user().can_edit()`."""
    if can_see_all_inquiries(user):
        return True
    if not user.is_active or user.is_anonymous:
        return False
    for page in (inquiry.target_page, inquiry.target_city):
        if page is not None:
            perms = page.permissions_for_user(user)
            if perms.can_edit() or perms.can_publish():
                return True
    return False


def city_editors(page, *, include_superusers=False):
    """Active users who may edit or publish `page` (GroupPagePermission on it or an ancestor)."""
    return PagePermissionPolicy().users_with_any_permission_for_instance(
        EDIT_ACTIONS, page, include_superusers=include_superusers
    )


def technology_contact(technology_id: int | None) -> TechnologyContact | None:
    if technology_id is None:
        return None
    return TechnologyContact.objects.filter(technology_id=technology_id).first()


# ---------------------------------------------------------------------------------------------
# The public board


def approved_posts():
    return (
        BoardPost.objects.filter(status=BoardPost.Status.APPROVED, anonymised_at__isnull=True)
        .select_related("region", "region__parent")
        .prefetch_related("waste_categories", "regions_served")
        .order_by("-approved_at", "-pk")
    )


def filter_posts(queryset, filters: dict):
    """Cleaned data of BoardFilterForm: kind; waste (a category includes its children); region
    (a code, province, city cluster or 东/中/西部 — where the poster is, or an area it serves)."""
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("waste"):
        ids = taxonomy_cache.waste_descendant_ids(filters["waste"])
        queryset = queryset.filter(waste_categories__in=ids)
    if filters.get("region"):
        ids = taxonomy_cache.region_ids_for(filters["region"])
        # An offer serving all of 广东省 serves 中山市 too.
        regions = taxonomy_cache.regions()
        served = ids | {regions[pk].parent_id for pk in ids if regions[pk].parent_id}
        queryset = queryset.filter(Q(region__in=ids) | Q(regions_served__in=served))
    return queryset.distinct()


# ---------------------------------------------------------------------------------------------
# Matching profiles


def place_for(region) -> matching.Place | None:
    if region is None:
        return None
    region = taxonomy_cache.regions().get(region.pk, region)
    province = region.province
    return matching.Place(
        code=region.code,
        name=region.name,
        province_code=province.code,
        province_name=province.name,
        clusters=frozenset(region.cluster_list) | frozenset(province.cluster_list),
        macro=province.macro_region or region.macro_region or "",
    )


def category_for(category) -> matching.Category:
    chain = taxonomy_cache.waste_ancestors(category)
    return matching.Category(
        id=category.pk, label=str(category), ancestor_ids=tuple(c.pk for c in chain[1:])
    )


def _places(regions) -> tuple[matching.Place, ...]:
    seen, places = set(), []
    for region in regions:
        place = place_for(region)
        if place is not None and place.code not in seen:
            seen.add(place.code)
            places.append(place)
    return tuple(places)


def stages_in_text(text: str) -> tuple[str, ...]:
    """The treatment stages a post's words name (a stage's name or one of its aliases), in the
    stages' order: "飞灰安全填埋处置" → ("处置",)."""
    return tuple(
        stage.name
        for stage in taxonomy_cache.treatment_stages()
        if any(word in text for word in stage.all_names())
    )


def post_profile(post: BoardPost) -> matching.Profile:
    regions = [post.region, *post.regions_served.all()]
    return matching.Profile(
        key=f"post:{post.pk}",
        kind=post.kind,
        title=post.title,
        url=post.get_absolute_url() if post.is_public else "",
        categories=tuple(category_for(c) for c in post.waste_categories.all()),
        places=_places(regions),
        tonnage=post.annual_tonnage,
        stages=stages_in_text(f"{post.title}\n{post.description}"),
        appeared_at=post.approved_at,
        extra={"region": place_for(post.region), "organisation": post.public_organisation},
    )


def related_category_ids(categories) -> set[int]:
    """The categories, their ancestors and their descendants: everything that can score."""
    ids = set(taxonomy_cache.waste_descendant_ids(categories))
    for category in categories:
        ids.update(c.pk for c in taxonomy_cache.waste_ancestors(category))
    return ids


def _offer_profiles(category_ids, kind):
    posts = approved_posts().filter(kind=kind, waste_categories__in=category_ids).distinct()
    return [post_profile(p) for p in posts]


def _case_profiles(category_ids):
    cases = (
        public_pages(CasePage)
        .filter(waste_categories__in=category_ids)
        .distinct()
        .select_related("city", "city__region")
        .prefetch_related("waste_categories")
    )
    return [
        matching.Profile(
            key=f"page:{case.pk}",
            kind=matching.CASE,
            title=case.title,
            url=case.url or "",
            categories=tuple(category_for(c) for c in case.waste_categories.all()),
            places=_places([case.city.region] if case.city else []),
            appeared_at=case.first_published_at,
            extra={"city": case.city.title if case.city else ""},
        )
        for case in cases
    ]


def _technology_profiles(category_ids):
    technologies = (
        public_pages(TechnologyPage)
        .filter(waste_categories__in=category_ids)
        .distinct()
        .prefetch_related("waste_categories", "treatment_stages")
    )
    contacts = {
        c.technology_id: c
        for c in TechnologyContact.objects.filter(technology__in=technologies)
        .select_related("region")
        .prefetch_related("regions_served")
    }
    reference_regions: dict[int, list] = {}
    for case in (
        public_pages(CasePage)
        .filter(technologies__in=technologies, city__isnull=False)
        .select_related("city__region")
        .prefetch_related("technologies")
    ):
        for technology in case.technologies.all():
            reference_regions.setdefault(technology.pk, []).append(case.city.region)
    profiles = []
    for technology in technologies:
        contact = contacts.get(technology.pk)
        regions = list(reference_regions.get(technology.pk, []))
        if contact is not None:
            regions = [contact.region, *contact.regions_served.all(), *regions]
        profiles.append(
            matching.Profile(
                key=f"page:{technology.pk}",
                kind=matching.TECHNOLOGY,
                title=technology.title,
                url=technology.url or "",
                categories=tuple(category_for(c) for c in technology.waste_categories.all()),
                places=_places(r for r in regions if r is not None),
                stages=tuple(s.name for s in technology.treatment_stages.all()),
                appeared_at=technology.first_published_at,
                extra={"provider": technology.provider},
            )
        )
    return profiles


def _city_profiles(category_ids):
    """Pilot cities, with the categories of their published cases: where an offer's categories
    are being worked on."""
    cities = {c.pk: c for c in public_pages(CityPage).select_related("region")}
    categories: dict[int, dict[int, object]] = {}
    for case in (
        public_pages(CasePage)
        .filter(city__in=list(cities), waste_categories__in=category_ids)
        .distinct()
        .prefetch_related("waste_categories")
    ):
        for category in case.waste_categories.all():
            categories.setdefault(case.city_id, {})[category.pk] = category
    return [
        matching.Profile(
            key=f"page:{city_pk}",
            kind=matching.CITY,
            title=cities[city_pk].title,
            url=cities[city_pk].url or "",
            categories=tuple(category_for(c) for c in found.values()),
            places=_places([cities[city_pk].region]),
            appeared_at=cities[city_pk].first_published_at,
        )
        for city_pk, found in categories.items()
    ]


SUGGESTION_GROUPS = {
    BoardPost.Kind.NEED: (
        ("offer", "处置与利用能力"),
        ("technology", "适用技术"),
        ("case", "试点经验"),
    ),
    BoardPost.Kind.OFFER: (
        ("need", "处置与利用需求"),
        ("city", "相关试点城市"),
    ),
}


def candidates_for(post: BoardPost, group: str) -> list[matching.Profile]:
    ids = related_category_ids(list(post.waste_categories.all()))
    if group in ("offer", "need"):
        return _offer_profiles(ids, group)
    if group == "technology":
        return _technology_profiles(ids)
    if group == "case":
        return _case_profiles(ids)
    if group == "city":
        return _city_profiles(ids)
    raise ValueError(group)


def suggestions_for_post(post: BoardPost, limit: int | None = 5):
    """Ranked suggestions for a post, grouped: a need gets offers, technologies and cases; an
    offer gets needs and pilot cities. Returns [(group, heading, [Suggestion, …]), …]."""
    subject = post_profile(post)
    return [
        (group, heading, matching.rank(subject, candidates_for(post, group), limit=limit))
        for group, heading in SUGGESTION_GROUPS[post.kind]
    ]

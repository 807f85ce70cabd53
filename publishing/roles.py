"""Roles of the platform as Wagtail groups, page and collection permissions, and workflows.

* 国家管理员 — everything: every page permission on the home page, every model permission,
  every image/document permission on the root collection.
* 国家审核 — publishes anywhere (page permission "publish" on the home page) and is a reviewer
  in every city's workflow; chooses any image or document.
* "<城市> 编辑" — adds and edits pages in its city's subtree (never publishes), uploads and
  chooses images and documents in its city's collection.
* "<城市> 审核" — the same plus "publish" in its city; the reviewer of the city's workflow.

Each city has a collection named after it (child of the root collection) and a workflow
"<城市> 审核流程" with one group approval task (the city's 审核 group, 国家审核 and 国家管理员)
attached to its city page, so a city editor's "提交审核" goes to the city's reviewers.

`setup_roles()` is idempotent; `manage.py setup_roles` runs it, and every new CityPage gets its
roles at once (publishing.signals). The role definitions here are the source of truth: rerunning
resets the managed groups' permissions on their own pages and collections.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cases.models import CityPage, HomePage

NATIONAL_ADMIN = "国家管理员"
NATIONAL_REVIEWER = "国家审核"
EDITOR_SUFFIX = " 编辑"
REVIEWER_SUFFIX = " 审核"
WORKFLOW_SUFFIX = " 审核流程"

PAGE_ACTIONS_ALL = ("add", "change", "publish", "bulk_delete", "lock", "unlock")
EDITOR_PAGE_ACTIONS = ("add", "change")
REVIEWER_PAGE_ACTIONS = ("add", "change", "publish")
MEDIA_ACTIONS = ("add", "change", "choose")


@dataclass
class CityRoles:
    city: CityPage
    editors: Group
    reviewers: Group
    collection: Collection
    workflow: Workflow | None


def editor_group_name(city) -> str:
    return f"{city.title}{EDITOR_SUFFIX}"


def reviewer_group_name(city) -> str:
    return f"{city.title}{REVIEWER_SUFFIX}"


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(action: str) -> Permission:
    return _permission("wagtailcore", f"{action}_page")


def _media_permissions(actions) -> list[Permission]:
    return [
        _permission(app, f"{action}_{model}")
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
        for action in actions
    ]


def _admin_access() -> Permission:
    return _permission("wagtailadmin", "access_admin")


def _set_page_permissions(group: Group, page: Page, actions) -> None:
    wanted = {_page_permission(a).pk for a in actions}
    existing = GroupPagePermission.objects.filter(group=group, page=page)
    existing.exclude(permission_id__in=wanted).delete()
    have = set(existing.values_list("permission_id", flat=True))
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=group, page=page, permission_id=pk) for pk in wanted - have]
    )


def _set_collection_permissions(group: Group, collection: Collection, permissions) -> None:
    wanted = {p.pk for p in permissions}
    existing = GroupCollectionPermission.objects.filter(group=group, collection=collection)
    existing.exclude(permission_id__in=wanted).delete()
    have = set(existing.values_list("permission_id", flat=True))
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(group=group, collection=collection, permission_id=pk)
            for pk in wanted - have
        ]
    )


def _group_on_page(page: Page, suffix: str, name: str) -> Group:
    """The group managed for `page` (found by its permission on the page, so that renaming the
    city renames its groups), else the group called `name`, else a new one."""
    group = (
        Group.objects.filter(page_permissions__page=page, name__endswith=suffix)
        .distinct()
        .order_by("pk")
        .first()
    )
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
    elif group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])
    return group


def national_groups() -> tuple[Group, Group]:
    """The two national groups with their permissions (home page needed for page rights)."""
    admins, _ = Group.objects.get_or_create(name=NATIONAL_ADMIN)
    reviewers, _ = Group.objects.get_or_create(name=NATIONAL_REVIEWER)
    admins.permissions.add(*Permission.objects.all())
    reviewers.permissions.add(_admin_access())
    home = HomePage.objects.first()
    if home is not None:
        _set_page_permissions(admins, home, PAGE_ACTIONS_ALL)
        _set_page_permissions(reviewers, home, ("publish",))
    root = Collection.get_first_root_node()
    _set_collection_permissions(
        admins, root, _media_permissions(("add", "change", "delete", "choose"))
    )
    _set_collection_permissions(reviewers, root, _media_permissions(("choose",)))
    return admins, reviewers


def _city_collection(city: CityPage, editors: Group) -> Collection:
    # Found by the editors' permission on it first, so that renaming the city renames it.
    collection = (
        Collection.objects.filter(group_permissions__group=editors, depth=2)
        .distinct()
        .order_by("pk")
        .first()
    )
    if collection is None:
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=city.title).first()
        if collection is None:
            collection = root.add_child(name=city.title)
    elif collection.name != city.title:
        collection.name = city.title
        collection.save(update_fields=["name"])
    return collection


def _city_workflow(city: CityPage, reviewers: Group, national: list[Group]) -> Workflow:
    name = f"{city.title}{WORKFLOW_SUFFIX}"
    assigned = WorkflowPage.objects.filter(page=city).select_related("workflow").first()
    if assigned is not None and not assigned.workflow.name.endswith(WORKFLOW_SUFFIX):
        # An administrator chose another workflow for this city: keep it.
        return assigned.workflow
    workflow = assigned.workflow if assigned else None
    if workflow is None:
        workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
        WorkflowPage.objects.update_or_create(page=city, defaults={"workflow": workflow})
    elif workflow.name != name:
        workflow.name = name
        workflow.save(update_fields=["name"])
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"{city.title}审核")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    elif task.name != f"{city.title}审核":
        task.name = f"{city.title}审核"
        task.save(update_fields=["name"])
    task.groups.set([reviewers, *national])
    return workflow


@transaction.atomic
def setup_city_roles(city: CityPage, national: tuple[Group, Group] | None = None) -> CityRoles:
    city = CityPage.objects.get(pk=city.pk)
    if national is None:
        national = national_groups()
    editors = _group_on_page(city, EDITOR_SUFFIX, editor_group_name(city))
    reviewers = _group_on_page(city, REVIEWER_SUFFIX, reviewer_group_name(city))
    access = _admin_access()
    editors.permissions.add(access)
    reviewers.permissions.add(access)
    _set_page_permissions(editors, city, EDITOR_PAGE_ACTIONS)
    _set_page_permissions(reviewers, city, REVIEWER_PAGE_ACTIONS)
    collection = _city_collection(city, editors)
    media = _media_permissions(MEDIA_ACTIONS)
    _set_collection_permissions(editors, collection, media)
    _set_collection_permissions(reviewers, collection, media)
    workflow = _city_workflow(city, reviewers, list(national))
    return CityRoles(city, editors, reviewers, collection, workflow)


@transaction.atomic
def setup_roles() -> dict:
    """Create or update every role; returns counts for the command's report."""
    national = national_groups()
    cities = [setup_city_roles(c, national) for c in CityPage.objects.order_by("path")]
    return {
        "national_groups": [NATIONAL_ADMIN, NATIONAL_REVIEWER],
        "cities": len(cities),
        "groups": Group.objects.filter(
            name__in=[NATIONAL_ADMIN, NATIONAL_REVIEWER]
            + [r.editors.name for r in cities]
            + [r.reviewers.name for r in cities]
        ).count(),
        "collections": len({r.collection.pk for r in cities}),
        "workflows": len({r.workflow.pk for r in cities if r.workflow}),
    }


def city_roles(city: CityPage) -> CityRoles:
    """The roles of `city`, creating them if they are missing."""
    return setup_city_roles(city)


def city_staff(city: CityPage) -> list:
    """The city's editors and reviewers (its own groups), active and with an email address: the
    people a message to "the city" goes to."""
    from django.contrib.auth import get_user_model

    names = [editor_group_name(city), reviewer_group_name(city)]
    users = get_user_model().objects.filter(groups__name__in=names, is_active=True)
    return list(users.exclude(email="").distinct().order_by("pk"))


def staff_cities(user):
    """The cities `user` works for: those on whose own city page one of the user's groups has a
    permission (its editors and reviewers). National staff, whose permissions sit above the
    cities, act for none of them."""
    if user is None or not user.is_authenticated or not user.is_active:
        return CityPage.objects.none()
    return CityPage.objects.filter(group_permissions__group__user=user).distinct().order_by("path")

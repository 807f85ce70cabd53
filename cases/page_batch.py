"""Creating many new pages at once: the bulk path of an import.

Wagtail creates a page in about fifty statements (treebeard's `add_child`, `save_revision`,
`publish`, each saving the page and its relations again). An import of thousands of new cases
spends nearly all its time there. Inside `collecting(models)`, `importing._write` hands a new
page of one of those models to `add()` instead, fully built in memory (fields, parental m2m,
tags, child objects). `add()` validates it at once, as `save_revision` would (so a bad row is
still reported as that row's error); `write()` stores the whole batch the way `add_child` +
`save_revision` + `publish` would leave it, with one insert per table: the tree rows (paths allocated after the parent's last child, under a lock on the
parent row), the specific rows, child objects and m2m rows, one revision per page, the log
entries (edited, published: what the per-page import logs), the parents' child counts. `page_published` is sent for each
published page, so everything that follows a publish (search, page cache, dates) happens as for
one page. The admin search and reference index are left to `cases.bulk.flush()`.

Django's `bulk_create` refuses models with a concrete parent (a page's tree row and its specific
row are two tables), so the specific rows go through the queryset's `_insert`, the call
`Model.save` itself uses for each table. If the batch cannot be written as a whole (a concurrent
editor took a path, a constraint the validation cannot see), nothing of it is kept (a savepoint)
and each page is written on its own the ordinary way, so a failing page costs only its own row.
"""

import contextlib
import contextvars
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from cases import bulk


@dataclass
class NewPage:
    page: Page
    parent: Page
    publish: bool
    user: object = None
    error: Exception | None = None  # set by write() when the page could not be saved


@dataclass
class _Batch:
    models: tuple
    pending: list[NewPage] = field(default_factory=list)
    slugs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    external_ids: dict[type, set[str]] = field(default_factory=lambda: defaultdict(set))


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("page_batch", default=None)


@contextlib.contextmanager
def collecting(*page_models):
    """New pages of these models are collected by `add()` until `write()`. The caller writes
    before the block ends; pages still pending when it ends are discarded."""
    token = _batch.set(_Batch(models=page_models))
    try:
        yield
    finally:
        _batch.reset(token)


def accepts(model) -> bool:
    batch = _batch.get()
    return batch is not None and model in batch.models


def add(page: Page, parent: Page, *, publish: bool, user=None) -> NewPage:
    """Validate the new page (raises ValidationError) and keep it for `write()`."""
    batch = _batch.get()
    # A provisional place under the parent, only so that validation finds the parent (slug
    # among its children, default locale); write() gives the page its real path.
    page.depth = parent.depth + 1
    page.path = Page._get_path(parent.path, page.depth, 1)
    page._cached_parent_obj = parent
    if user is not None and getattr(user, "pk", None):
        page.owner = user
    # Every foreign key here holds an object just read from the database (the resolved terms,
    # the parent's locale, the user), so Django's per-key existence query is skipped.
    page.full_clean(exclude=["path", *_foreign_keys(type(page))])
    entry = NewPage(page=page, parent=parent, publish=publish, user=user)
    batch.pending.append(entry)
    batch.slugs[parent.pk].add(page.slug)
    if getattr(page, "external_id", None):
        batch.external_ids[type(page)].add(page.external_id)
    return entry


def _foreign_keys(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def pending_slugs(parent: Page) -> set[str]:
    """Slugs taken under `parent` by pages not yet written (a new slug must avoid them too)."""
    batch = _batch.get()
    return batch.slugs.get(parent.pk, set()) if batch is not None else set()


def is_pending(model, external_id: str) -> bool:
    batch = _batch.get()
    return batch is not None and external_id in batch.external_ids.get(model, ())


def write() -> list[NewPage]:
    """Store the pending pages; returns them (each with its pk, or `error` when it failed)."""
    batch = _batch.get()
    if batch is None or not batch.pending:
        return []
    entries, batch.pending = batch.pending, []
    batch.slugs.clear()
    batch.external_ids.clear()
    try:
        with transaction.atomic():
            _write_together(entries)
        # Written without post_save: the admin search learns of them here.
        bulk.update_search([entry.page for entry in entries])
    except DatabaseError:
        for entry in entries:
            _reset(entry.page)
            try:
                with transaction.atomic():
                    save_one(entry.page, entry.parent, publish=entry.publish, user=entry.user)
            except (ValidationError, DatabaseError) as error:
                _reset(entry.page)
                entry.error = error
    for entry in entries:
        if entry.error is None:
            bulk.update_references(entry.page)
    return entries


def save_one(page: Page, parent: Page, *, publish: bool, user=None):
    """A new page the ordinary way (treebeard, a revision, a publish); returns its revision.
    The caller brings its reference index up to date (`bulk.update_references`)."""
    with disable_reference_index_auto_update():
        page.live = False
        parent.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
    return revision


def _reset(page: Page) -> None:
    """Back to unsaved, after a rolled-back attempt left ids on the object."""
    page.pk = page.id = None
    page.path, page.depth = "", None
    page._state.adding = True
    page.latest_revision = page.live_revision = None
    for name in _in_memory(page):
        for child in getattr(page, name).all():
            child.pk = None
            child._state.adding = True


def _write_together(entries: list[NewPage]) -> None:
    now = timezone.now()
    _place_in_tree(entries)
    for entry in entries:
        page = entry.page
        page.live = entry.publish
        page.has_unpublished_changes = not entry.publish
        page.first_published_at = page.last_published_at = now if entry.publish else None
        page.latest_revision_created_at = now
        page.draft_title = page.title
    pages = [entry.page for entry in entries]
    for page in pages:
        _hold_relations(page)
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    Page.objects.bulk_create(pages)
    for model, objects in by_model.items():
        for obj in objects:
            setattr(obj, model._meta.pk.attname, obj.id)
            obj._state.adding, obj._state.db = False, Page.objects.db
        # Model.save's own insert for the specific table (bulk_create refuses a child model).
        fields = model._meta.local_concrete_fields
        size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
        for start in range(0, len(objects), size):
            model._base_manager._insert(objects[start : start + size], fields=fields)
        _insert_relations(model, objects)
    revisions = _insert_revisions(entries, now)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if page.live else None
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
    _insert_log_entries(entries, revisions, now)
    for page in pages:
        # Stored: from now on the relations read the database, as after modelcluster's commit.
        _in_memory(page).clear()
    for entry, revision in zip(entries, revisions, strict=True):
        if entry.publish:
            page_published.send(sender=type(entry.page), instance=entry.page, revision=revision)


def _place_in_tree(entries: list[NewPage]) -> None:
    """Paths after each parent's last child (the parent row locked, as treebeard does)."""
    by_parent = defaultdict(list)
    for entry in entries:
        by_parent[entry.parent.pk].append(entry)
    for parent_pk, children in by_parent.items():
        parent = Page.objects.select_for_update().get(pk=parent_pk)
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = Page._str2int(last[-Page.steplen :]) if last else 0
        for entry in children:
            step += 1
            page = entry.page
            page.depth = parent.depth + 1
            page.path = Page._get_path(parent.path, page.depth, step)
            page.numchild = 0
            page.set_url_path(parent)
            if hasattr(page, "follow_parent"):  # what its save() takes from the parent
                page.follow_parent(entry.parent)
        Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + len(children))
        for entry in children:
            entry.parent.numchild = parent.numchild + len(children)


def _insert_relations(model, pages: list[Page]) -> None:
    """Child objects (tags, indicators …) and parental m2m rows, as modelcluster's save commits
    them, one insert per table."""
    for relation in get_all_child_relations(model):
        name = relation.get_accessor_name()
        fk = relation.field.attname
        rows = []
        for page in pages:
            if name not in _in_memory(page):
                continue  # never set: nothing to store (and no query to find that out)
            for n, child in enumerate(getattr(page, name).all()):
                setattr(child, fk, page.pk)
                if getattr(child, "sort_order_field", None):
                    setattr(child, child.sort_order_field, n)
                rows.append(child)
        if rows:
            relation.related_model.objects.bulk_create(rows)
    for m2m in model._meta.get_fields():
        if not isinstance(m2m, ParentalManyToManyField):
            continue
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(**{f"{source}_id": page.pk, f"{target}_id": obj.pk})
            for page in pages
            if m2m.name in _in_memory(page)
            for obj in getattr(page, m2m.name).all()
        )


def _in_memory(page: Page):
    """Names of the relations modelcluster holds in memory for this unsaved page."""
    return getattr(page, "_cluster_related_objects", {})


def _hold_relations(page: Page) -> None:
    """Hold every relation of the new page in memory, the unset ones empty, as modelcluster
    does for an unsaved page. Otherwise, once the page has its id, serialising its revision
    would query each unset relation (comments, policy documents …) for rows it cannot have."""
    held = page.__dict__.setdefault("_cluster_related_objects", {})
    for relation in get_all_child_relations(type(page)):
        held.setdefault(relation.get_accessor_name(), [])
    for m2m in type(page)._meta.get_fields():
        if isinstance(m2m, ParentalManyToManyField):
            held.setdefault(m2m.name, [])


def _insert_revisions(entries: list[NewPage], now) -> list[Revision]:
    base_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=ContentType.objects.get_for_model(type(entry.page)),
            base_content_type=base_type,
            object_id=str(entry.page.pk),
            created_at=now,
            user=entry.user if getattr(entry.user, "pk", None) else None,
            content=entry.page.serializable_data(),
            object_str=str(entry.page)[:255],
        )
        for entry in entries
    ]
    return Revision.objects.bulk_create(revisions)


def _insert_log_entries(entries: list[NewPage], revisions: list[Revision], now) -> None:
    """The history a page created and published in the admin shows: 创建 then 发布."""
    logs = []
    for entry, revision in zip(entries, revisions, strict=True):
        action_id = uuid.uuid4()  # one user action, as the admin groups its entries
        actions = ["wagtail.edit", "wagtail.publish"] if entry.publish else ["wagtail.edit"]
        for action in actions:
            logs.append(
                PageLogEntry(
                    content_type=ContentType.objects.get_for_model(type(entry.page)),
                    label=PageLogEntry.objects.get_instance_title(entry.page),
                    action=action,
                    timestamp=now,
                    data={},
                    user=revision.user,
                    revision=revision,
                    content_changed=True,
                    uuid=action_id,
                    page=entry.page,
                )
            )
    PageLogEntry.objects.bulk_create(logs)

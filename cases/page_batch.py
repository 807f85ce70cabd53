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
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from cases import bulk, rows, sites


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
    # The slugs taken under each parent: its children's, read once in the block, and those of
    # the pages created since (pending or written).
    siblings: dict[int, set[str]] = field(default_factory=dict)
    # The slugs taken since `begin()`, for `undo()`.
    taken_since: list[tuple[int, str]] = field(default_factory=list)
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
    # A provisional place under the parent, only so that validation finds the parent; write()
    # gives the page its real path.
    page.depth = parent.depth + 1
    page.path = Page._get_path(parent.path, page.depth, 1)
    page._cached_parent_obj = parent
    page.locale_id = parent.locale_id  # Page.get_default_locale, without its query
    if user is not None and getattr(user, "pk", None):
        page.owner = user
    taken = sibling_slugs(parent)
    if page.slug in taken:
        raise ValidationError({"slug": _slug_in_use(page.slug, parent)})
    # What Wagtail's validation would query page by page is known here: the siblings' slugs
    # (above), a new translation key, an external id looked up by the caller and checked again
    # by the database's unique index when the batch is written. Every foreign key holds an
    # object just read from the database (the resolved terms, the user), so Django's per-key
    # existence query is skipped too.
    page._check_slug_is_unique = _checked_above
    try:
        page.full_clean(exclude=["path", *_foreign_keys(type(page))], validate_unique=False)
    finally:
        del page._check_slug_is_unique
    entry = NewPage(page=page, parent=parent, publish=publish, user=user)
    batch.pending.append(entry)
    _take(batch, parent.pk, page.slug)
    if getattr(page, "external_id", None):
        batch.external_ids[type(page)].add(page.external_id)
    return entry


def _checked_above() -> None:
    pass


def _slug_in_use(slug: str, parent: Page) -> str:
    # Wagtail's own message (Page._check_slug_is_unique), in its translation.
    return _(
        "The slug '%(page_slug)s' is already in use within the parent page at "
        "'%(parent_url_path)s'."
    ) % {"page_slug": slug, "parent_url_path": parent.url}


def _foreign_keys(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def sibling_slugs(parent: Page) -> set[str] | None:
    """The slugs taken under `parent` (a new page's slug must avoid them): its children's, read
    once in the block, and those of the pages created under it since; None outside a block."""
    batch = _batch.get()
    if batch is None:
        return None
    if parent.pk not in batch.siblings:
        batch.siblings[parent.pk] = set(_children(parent).values_list("slug", flat=True))
    return batch.siblings[parent.pk]


_updates: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "page_batch_updates", default=None
)


def sending() -> bool:
    """Whether the signals of a batch's pages are being sent: the page a receiver gets is as
    the batch wrote it, relations included (held in memory until the signals are sent)."""
    return _updates.get() is not None


def update_with_batch(model, pk, **values) -> bool:
    """For receivers of the signals sent for a batch's pages: `model.objects.filter(pk=pk)
    .update(**values)`, done for all the batch's pages at once (one UPDATE per field). False
    when not called from those signals: the receiver updates on its own."""
    updates = _updates.get()
    if updates is None:
        return False
    for name, value in values.items():
        updates[model, name][pk] = value
    return True


def is_pending(model, external_id: str) -> bool:
    batch = _batch.get()
    return batch is not None and external_id in batch.external_ids.get(model, ())


def write() -> list[NewPage]:
    """Store the pending pages; returns them (each with its pk, or `error` when it failed)."""
    batch = _batch.get()
    if batch is None or not batch.pending:
        return []
    entries, batch.pending = batch.pending, []
    batch.external_ids.clear()
    try:
        with transaction.atomic():
            _write_together(entries)
    except (DatabaseError, _SlugTaken):
        for entry in entries:
            _reset(entry.page)
            try:
                with transaction.atomic():
                    save_one(entry.page, entry.parent, publish=entry.publish, user=entry.user)
            except (ValidationError, DatabaseError) as error:
                _reset(entry.page)
                entry.error = error
            else:
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
    batch = _batch.get()
    if batch is not None and parent.pk in batch.siblings:
        _take(batch, parent.pk, page.slug)
    return revision


def _take(batch: _Batch, parent_pk: int, slug: str) -> None:
    if slug not in batch.siblings[parent_pk]:
        batch.siblings[parent_pk].add(slug)
        batch.taken_since.append((parent_pk, slug))


def begin() -> None:
    """Start a unit of work (an import's batch of rows) that `undo()` can take back."""
    batch = _batch.get()
    if batch is not None:
        batch.taken_since.clear()


def undo() -> None:
    """The unit of work was rolled back: forget its pending pages and the slugs it took."""
    batch = _batch.get()
    if batch is None:
        return
    batch.pending.clear()
    batch.external_ids.clear()
    for parent_pk, slug in batch.taken_since:
        batch.siblings.get(parent_pk, set()).discard(slug)
    batch.taken_since.clear()


class _SlugTaken(Exception):
    """A slug of the batch was taken under its parent after it was chosen (by another editor,
    or by a page of another type created in the same import)."""


def _reset(page: Page) -> None:
    """Back to unsaved, after a rolled-back attempt left ids on the object."""
    page.pk = page.id = None
    page.path, page.depth = "", None
    page._state.adding = True
    page.latest_revision = page.live_revision = None
    # Its child objects were inserted too (not the objects of its many-to-many relations: those
    # are taxonomy terms, shared and stored).
    for relation in get_all_child_relations(type(page)):
        for child in getattr(page, relation.get_accessor_name()).all():
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
    _point_at_revisions(pages)
    _insert_log_entries(entries, revisions, now)
    # What saving each page would index (post_save, which bulk writes do not send): the admin
    # search and the reference index, from the pages as they are in memory, relations included.
    for model, objects in by_model.items():
        bulk.index_now(model, objects, new=True)
    pages = list(sites.with_root_paths(pages))  # their URLs, for the handlers below
    token = _updates.set(defaultdict(dict))
    try:
        for entry, revision in zip(entries, revisions, strict=True):
            if entry.publish:
                page_published.send(sender=type(entry.page), instance=entry.page, revision=revision)
        updates = _updates.get()
    finally:
        _updates.reset(token)
    for (model, field_name), values in updates.items():
        rows.update_each(model, field_name, values)
    for page in pages:
        # Stored: from now on the relations read the database, as after modelcluster's commit
        # (the handlers above still read them from memory).
        _in_memory(page).clear()


def _place_in_tree(entries: list[NewPage]) -> None:
    """Paths after each parent's last child (the parent row locked, as treebeard does)."""
    by_parent = defaultdict(list)
    for entry in entries:
        by_parent[entry.parent.pk].append(entry)
    for parent_pk, children in by_parent.items():
        parent = Page.objects.select_for_update().get(pk=parent_pk)
        last = _children(parent).order_by("-path").values_list("path", flat=True).first()
        step = Page._str2int(last[-Page.steplen :]) if last else 0
        if _children(parent).filter(slug__in=[entry.page.slug for entry in children]).exists():
            raise _SlugTaken  # each page then on its own: the clash is that page's error
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


def _children(parent: Page):
    """The parent's children, by the path range (as treebeard's get_children, which uses the
    index on path where `path__startswith` scans the table on SQLite), whatever the parent
    object's numchild says."""
    interval = Page._get_children_path_interval(parent.path)
    return Page.objects.filter(depth=parent.depth + 1, path__range=interval)


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
            for child in getattr(page, name).all():
                setattr(child, fk, page.pk)
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
    """One revision per page, as `save_revision` makes it. Written as rows (cases.rows: COPY on
    PostgreSQL, where `bulk_create` spent a quarter of a millisecond per revision escaping its
    JSON), then their ids read back in one query."""
    base_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=ContentType.objects.get_for_model(type(entry.page)),
            base_content_type=base_type,
            object_id=str(entry.page.pk),
            created_at=now,
            user=entry.user if getattr(entry.user, "pk", None) else None,
            content=_draft_content(entry.page),
            object_str=str(entry.page)[:255],
        )
        for entry in entries
    ]
    columns = ["content_type", "base_content_type", "object_id", "created_at", "user"]
    rows.insert_values(
        Revision,
        [
            {
                **{
                    name: getattr(revision, Revision._meta.get_field(name).attname)
                    for name in columns
                },
                "content": revision.content,
                "object_str": revision.object_str,
                "approved_go_live_at": None,
            }
            for revision in revisions
        ],
    )
    ids = dict(
        Revision.objects.filter(
            base_content_type=base_type, object_id__in=[r.object_id for r in revisions]
        ).values_list("object_id", "pk")
    )
    for revision in revisions:
        revision.pk = ids[revision.object_id]
        revision._state.adding, revision._state.db = False, Revision.objects.db
    return revisions


def _draft_content(page: Page) -> dict:
    """The revision's content as `save_revision` records it: the page as it is before that
    save and the publish that follows (a new page is not live yet, has no dates)."""
    content = page.serializable_data()
    content.update(
        live=False,
        has_unpublished_changes=False,
        first_published_at=None,
        last_published_at=None,
        latest_revision_created_at=None,
    )
    return content


def _point_at_revisions(pages: list[Page]) -> None:
    """Each page's latest (and, if live, live) revision: its only one. One UPDATE with a
    subquery for the live pages and one for the drafts; `bulk_update` would build a CASE branch
    per page and field."""
    own = Subquery(
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), output_field=models.CharField()),
        ).values("pk")[:1]
    )
    live = [p.pk for p in pages if p.live]
    drafts = [p.pk for p in pages if not p.live]
    if live:
        Page.objects.filter(pk__in=live).update(latest_revision=own, live_revision=own)
    if drafts:
        Page.objects.filter(pk__in=drafts).update(latest_revision=own)


def _insert_log_entries(entries: list[NewPage], revisions: list[Revision], now) -> None:
    """The history the ordinary path leaves: 创建 (Page.save of a new page), 编辑 (its first
    revision) and, when published, 发布; by the importing user (else the log context's, as
    wagtail.log_actions.log), linked by the log context's action id if there is one."""
    context = get_active_log_context()
    logs = []
    for entry, revision in zip(entries, revisions, strict=True):
        page = entry.page
        user = entry.user if getattr(entry.user, "pk", None) else context.user
        actions = [("wagtail.create", None), ("wagtail.edit", revision.pk)]
        if entry.publish:
            actions.append(("wagtail.publish", revision.pk))
        logs += [
            {
                "content_type": ContentType.objects.get_for_model(type(page)).pk,
                "label": PageLogEntry.objects.get_instance_title(page),
                "action": action,
                "timestamp": now,
                "data": {},
                # Page.save logs a creation as the page's owner when no user is given.
                "user": getattr(
                    user or (page.owner if action == "wagtail.create" else None), "pk", None
                ),
                "revision": revision_id,
                "content_changed": True,
                "deleted": False,
                "uuid": context.uuid,
                "page": page.pk,
            }
            for action, revision_id in actions
        ]
    rows.insert_values(PageLogEntry, logs)

"""Deferred index work for bulk writes (an import of thousands of pages).

Saving a page updates Wagtail's admin search index (modelsearch: on every save, three times
for a page created and published) and its reference index (what the page uses). Inside
`deferred()` those updates are only recorded; `flush()` does each page once, in bulk, at the
end of a batch (in its transaction, so a rolled-back batch leaves nothing behind). Outside the
block — and in other threads — saves index as usual. Work that each batch would repeat (a
document every batch touches) can be kept for the end: `at_end()`, run by `finish()`.
"""

import contextlib
import contextvars
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from modelsearch import index as search_index
from modelsearch import signal_handlers
from modelsearch.backends import get_search_backends
from wagtail.models import ReferenceIndex

from cases import rows

_pending: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bulk_pending", default=None)
_installed = False


def _deferrable_post_save(sender, instance, **kwargs):
    pending = _pending.get()
    if pending is None or kwargs.get("raw", False):
        signal_handlers.post_save_signal_handler(instance, **kwargs)
        return
    pending["search"].setdefault(type(instance), set()).add(instance.pk)


def _install() -> None:
    """Route modelsearch's save handler through `_deferrable_post_save` (once per process)."""
    global _installed
    if _installed:
        return
    for model in search_index.get_indexed_models():
        if post_save.disconnect(signal_handlers.post_save_signal_handler, sender=model):
            post_save.connect(
                _deferrable_post_save, sender=model, dispatch_uid=f"bulk-search-{model._meta}"
            )
    _installed = True


def active() -> bool:
    return _pending.get() is not None


def at_end(key: str, ids, run) -> bool:
    """Inside `deferred()`: keep `ids` under `key` for `run(ids)`, called once with all of them
    by `finish()` at the end of the bulk write (e.g. documents that every batch would touch
    again). False outside: the caller does it now."""
    pending = _pending.get()
    if pending is None:
        return False
    ids_so_far, _run = pending["at_end"].get(key, ([], run))
    ids_so_far.extend(ids)
    pending["at_end"][key] = (ids_so_far, run)
    return True


def finish() -> None:
    """The end of the bulk write: what `at_end` kept, each key's ids once."""
    pending = _pending.get()
    if pending is None:
        return
    work, pending["at_end"] = pending["at_end"], {}
    for ids, run in work.values():
        run(list(dict.fromkeys(ids)))


def defer_references(page) -> bool:
    """Record the page for a reference-index update at flush(); False outside `deferred()`."""
    pending = _pending.get()
    if pending is None:
        return False
    pending["references"].setdefault(type(page), set()).add(page.pk)
    return True


def index_now(model, objects, *, new=False) -> None:
    """The admin search and reference index of objects written in bulk (no post_save), from the
    objects as given: for pages just written, their relations still in memory. `new`: objects
    created just now, in this transaction, which have no references stored yet."""
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objects)
    index_references(model, objects, new=new)


def update_references(page) -> None:
    """Bring the page's reference index up to date: at flush() inside `deferred()`, else in a
    background task (after the saving transaction commits)."""
    if not defer_references(page):
        from wagtail.tasks import update_reference_index_task

        update_reference_index_task.enqueue(
            page._meta.app_label, page._meta.model_name, str(page.pk)
        )


def flush() -> dict[str, int]:
    """Index the recorded pages now (each once); returns how many."""
    pending = _pending.get()
    if pending is None:
        return {"search": 0, "references": 0}
    counts = {"search": 0, "references": 0}
    for model, pks in pending["search"].items():
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, objects)
        counts["search"] += len(objects)
    for model, pks in pending["references"].items():
        for start in range(0, len(pks), REFERENCE_CHUNK):
            chunk = sorted(pks)[start : start + REFERENCE_CHUNK]
            objects = list(model.objects.filter(pk__in=chunk).prefetch_related(*_relations(model)))
            counts["references"] += index_references(model, objects)
    pending["search"].clear()
    pending["references"].clear()
    return counts


REFERENCE_CHUNK = 500


def index_references(model, objects, *, new=False) -> int:
    """`ReferenceIndex.create_or_update_for_object` for many objects of one model at once: one
    query for what is stored, one insert, one delete, instead of those three per object (Wagtail
    has no bulk form). The same records and the same rule for deletions as Wagtail's method,
    which this follows step by step; returns how many objects were indexed. For `new` objects
    (created in this transaction) there is nothing stored to look up, and nothing a row could
    clash with."""
    if not objects:
        return 0
    content_types = [
        ContentType.objects.get_for_model(m, for_concrete_model=False)
        for m in [model, *model._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    known_content_type_ids = {ct.id for ct in content_types}
    found = {
        str(obj.pk): set(ReferenceIndex._extract_references_from_object(obj)) for obj in objects
    }
    stored: dict[str, dict[tuple, tuple]] = defaultdict(dict)
    stored_rows = (
        []
        if new
        else ReferenceIndex.objects.filter(
            base_content_type=base_content_type, object_id__in=list(found)
        ).values_list(
            "id",
            "object_id",
            "content_type_id",
            "to_content_type",
            "to_object_id",
            "model_path",
            "content_path",
        )
    )
    for pk, object_id, content_type_id, *reference in stored_rows:
        stored[object_id][tuple(reference)] = (content_type_id, pk)
    added, gone = [], []
    for object_id, references in found.items():
        existing = stored.get(object_id, {})
        added += [
            {
                "content_type": content_type.pk,
                "base_content_type": base_content_type.pk,
                "object_id": object_id,
                "to_content_type": to_content_type_id,
                "to_object_id": to_object_id,
                "model_path": model_path,
                "content_path": content_path,
                "content_path_hash": ReferenceIndex._get_content_path_hash(content_path),
            }
            for to_content_type_id, to_object_id, model_path, content_path in references
            - existing.keys()
        ]
        # A stored reference of a more specific model than this one is not a deletion: it may
        # sit on a relation only that model has (Wagtail's rule).
        gone += [
            pk
            for reference, (content_type_id, pk) in existing.items()
            if reference not in references and content_type_id in known_content_type_ids
        ]
    rows.insert_values(ReferenceIndex, added, ignore_conflicts=not new)
    if gone:
        ReferenceIndex.objects.filter(id__in=gone).delete()
    return len(objects)


def _relations(model) -> list[str]:
    """What the reference index reads of each page: its child objects and parental m2m."""
    from modelcluster.fields import ParentalManyToManyField
    from modelcluster.models import get_all_child_relations

    names = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    names += [f.name for f in model._meta.get_fields() if isinstance(f, ParentalManyToManyField)]
    return names


@contextlib.contextmanager
def deferred():
    """Record index updates in the block (nested blocks share one record); the caller flushes."""
    if _pending.get() is not None:
        yield
        return
    _install()
    token = _pending.set({"search": {}, "references": {}, "at_end": {}})
    try:
        yield
    finally:
        _pending.reset(token)
